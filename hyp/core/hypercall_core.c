/* hypercall_core: the native-table handlers of the object/cspace calls, adapting registers to
 * hyp/core. */
#include "abi.h"
#include "core_call.h"
#include "hypercall_core.h"
#include "vm.h"

/* A vCPU without a cspace names no caps: every cap it passes fails to decode. */
static struct hypercall_result hypercall_core_error(error_t err)
{
	return (struct hypercall_result){.x = {(uint64_t)(int64_t)err}, .count = 1};
}

static struct hypercall_result hypercall_core_value(struct core_result r)
{
	return (struct hypercall_result){.x = {(uint64_t)(int64_t)r.error, r.value}, .count = 2};
}

static struct core_ctx hypercall_core_ctx(const struct vcpu *vcpu)
{
	return (struct core_ctx){.cspace = vcpu->cspace};
}

#define HYPERCALL_CORE_NEEDS_CSPACE()                                                              \
	do {                                                                                       \
		if (vcpu->cspace == NULL) {                                                        \
			return hypercall_core_error(ERROR_ARGUMENT_INVALID);                       \
		}                                                                                  \
	} while (0)

HYPERCALL_CORE_HANDLER(partition_create_partition)
{
	struct core_ctx ctx = hypercall_core_ctx(vcpu);

	HYPERCALL_CORE_NEEDS_CSPACE();
	return hypercall_core_value(core_partition_create(&ctx, OBJ_PARTITION, in->x[0], in->x[1]));
}

HYPERCALL_CORE_HANDLER(partition_create_cspace)
{
	struct core_ctx ctx = hypercall_core_ctx(vcpu);

	HYPERCALL_CORE_NEEDS_CSPACE();
	return hypercall_core_value(core_partition_create(&ctx, OBJ_CSPACE, in->x[0], in->x[1]));
}

HYPERCALL_CORE_HANDLER(partition_create_thread)
{
	struct core_ctx ctx = hypercall_core_ctx(vcpu);

	HYPERCALL_CORE_NEEDS_CSPACE();
	return hypercall_core_value(core_partition_create(&ctx, OBJ_THREAD, in->x[0], in->x[1]));
}

HYPERCALL_CORE_HANDLER(object_activate)
{
	struct core_ctx ctx = hypercall_core_ctx(vcpu);

	HYPERCALL_CORE_NEEDS_CSPACE();
	return hypercall_core_error(core_object_activate(&ctx, in->x[0]));
}

HYPERCALL_CORE_HANDLER(object_activate_from)
{
	struct core_ctx ctx = hypercall_core_ctx(vcpu);

	HYPERCALL_CORE_NEEDS_CSPACE();
	return hypercall_core_error(core_object_activate_from(&ctx, in->x[0], in->x[1]));
}

/* Unimplemented as upstream, whatever the caps (so no cspace is needed). */
HYPERCALL_CORE_HANDLER(object_reset)
{
	struct core_ctx ctx = hypercall_core_ctx(vcpu);

	return hypercall_core_error(core_object_reset(&ctx, 0, in->x[0]));
}

HYPERCALL_CORE_HANDLER(object_reset_from)
{
	struct core_ctx ctx = hypercall_core_ctx(vcpu);

	return hypercall_core_error(core_object_reset(&ctx, in->x[0], in->x[1]));
}

HYPERCALL_CORE_HANDLER(cspace_delete_cap_from)
{
	struct core_ctx ctx = hypercall_core_ctx(vcpu);

	HYPERCALL_CORE_NEEDS_CSPACE();
	return hypercall_core_error(core_cspace_delete_cap_from(&ctx, in->x[0], in->x[1]));
}

HYPERCALL_CORE_HANDLER(cspace_copy_cap_from)
{
	struct core_ctx ctx = hypercall_core_ctx(vcpu);

	HYPERCALL_CORE_NEEDS_CSPACE();
	return hypercall_core_value(
	    core_cspace_copy_cap_from(&ctx, in->x[0], in->x[1], in->x[2], in->x[3]));
}

HYPERCALL_CORE_HANDLER(cspace_revoke_cap_from)
{
	struct core_ctx ctx = hypercall_core_ctx(vcpu);

	HYPERCALL_CORE_NEEDS_CSPACE();
	return hypercall_core_error(core_cspace_revoke_cap_from(&ctx, in->x[0], in->x[1]));
}

HYPERCALL_CORE_HANDLER(cspace_configure)
{
	struct core_ctx ctx = hypercall_core_ctx(vcpu);

	HYPERCALL_CORE_NEEDS_CSPACE();
	return hypercall_core_error(core_cspace_configure(&ctx, in->x[0], in->x[1]));
}

HYPERCALL_CORE_HANDLER(cspace_attach_thread)
{
	struct core_ctx ctx = hypercall_core_ctx(vcpu);

	HYPERCALL_CORE_NEEDS_CSPACE();
	return hypercall_core_error(core_cspace_attach_thread(&ctx, in->x[0], in->x[1]));
}

HYPERCALL_CORE_HANDLER(cspace_revoke_caps_from)
{
	struct core_ctx ctx = hypercall_core_ctx(vcpu);

	HYPERCALL_CORE_NEEDS_CSPACE();
	return hypercall_core_error(core_cspace_revoke_caps_from(&ctx, in->x[0], in->x[1]));
}

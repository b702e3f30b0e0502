/* doorbell_calls: the doorbell_* hypercalls as core calls (rights per reference §5). */
#include "core_call.h"
#include "doorbell.h"

static struct cap_lookup_result doorbell_lookup(const struct core_ctx *ctx, cap_id_t cap,
                                                rights_t rights)
{
	return cap_lookup(ctx->cspace, cap, OBJ_DOORBELL, rights, CAP_WANT_ACTIVE);
}

error_t core_doorbell_bind_virq(const struct core_ctx *ctx, cap_id_t db_cap, cap_id_t vic_cap,
                                uint64_t virq)
{
	return core_virq_bind(ctx, db_cap, OBJ_DOORBELL, RIGHT_DOORBELL_BIND, doorbell_source,
	                      vic_cap, virq);
}

error_t core_doorbell_unbind_virq(const struct core_ctx *ctx, cap_id_t db_cap)
{
	return core_virq_unbind(ctx, db_cap, OBJ_DOORBELL, RIGHT_DOORBELL_BIND, doorbell_source);
}

struct core_result core_doorbell_send(const struct core_ctx *ctx, cap_id_t db_cap,
                                      uint64_t new_flags)
{
	struct cap_lookup_result d = doorbell_lookup(ctx, db_cap, RIGHT_DOORBELL_SEND);

	if (d.error != OK) {
		return (struct core_result){.error = d.error};
	}
	return (struct core_result){.value = doorbell_send((struct doorbell *)d.obj, new_flags)};
}

struct core_result core_doorbell_receive(const struct core_ctx *ctx, cap_id_t db_cap,
                                         uint64_t clear_flags)
{
	struct cap_lookup_result d = doorbell_lookup(ctx, db_cap, RIGHT_DOORBELL_RECEIVE);

	if (d.error != OK) {
		return (struct core_result){.error = d.error};
	}
	if (clear_flags == 0U) {
		return (struct core_result){.error = ERROR_ARGUMENT_INVALID};
	}
	return (struct core_result){.value =
	                                doorbell_receive((struct doorbell *)d.obj, clear_flags)};
}

error_t core_doorbell_reset(const struct core_ctx *ctx, cap_id_t db_cap)
{
	struct cap_lookup_result d = doorbell_lookup(ctx, db_cap, RIGHT_DOORBELL_RECEIVE);

	if (d.error != OK) {
		return d.error;
	}
	doorbell_reset((struct doorbell *)d.obj);
	return OK;
}

error_t core_doorbell_mask(const struct core_ctx *ctx, cap_id_t db_cap, uint64_t enable_mask,
                           uint64_t ack_mask)
{
	struct cap_lookup_result d = doorbell_lookup(ctx, db_cap, RIGHT_DOORBELL_RECEIVE);

	if (d.error != OK) {
		return d.error;
	}
	doorbell_mask((struct doorbell *)d.obj, enable_mask, ack_mask);
	return OK;
}

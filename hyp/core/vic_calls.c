/* vic_calls: vic_configure, vic_attach_vcpu and the bind/unbind common to every VIRQ source, as
 * core calls. */
#include "core_call.h"
#include "hwirq.h"
#include "thread.h"
#include "vic.h"

/* A VIC cap with the activate right, naming a VIC still in INIT (what its configure calls need). */
static struct cap_lookup_result vic_config_lookup(const struct core_ctx *ctx, cap_id_t vic_cap)
{
	struct cap_lookup_result v =
	    cap_lookup(ctx->cspace, vic_cap, OBJ_ANY, RIGHT_OBJECT_ACTIVATE, CAP_WANT_ANY);

	if (v.error == OK && v.obj->type != OBJ_VIC) {
		v.error = ERROR_CSPACE_WRONG_OBJECT_TYPE;
	} else if (v.error == OK && v.obj->state != OBJ_STATE_INIT) {
		v.error = ERROR_OBJECT_STATE;
	}
	return v;
}

error_t core_vic_configure(const struct core_ctx *ctx, cap_id_t vic_cap, uint64_t max_vcpus,
                           uint64_t max_virqs, uint64_t vic_options, uint64_t max_msis)
{
	struct cap_lookup_result v = vic_config_lookup(ctx, vic_cap);

	if (v.error != OK) {
		return v.error;
	}
	return vic_configure((struct vic *)v.obj, max_vcpus, max_virqs, vic_options, max_msis);
}

/* The VIC must be ACTIVE (its size is known), the thread still INIT (it has not run yet). */
error_t core_vic_attach_vcpu(const struct core_ctx *ctx, cap_id_t vic_cap, cap_id_t thread_cap,
                             uint64_t index)
{
	struct cap_lookup_result v, t;

	v = cap_lookup(ctx->cspace, vic_cap, OBJ_VIC, RIGHT_VIC_ATTACH_VCPU, CAP_WANT_ACTIVE);
	if (v.error != OK) {
		return v.error;
	}
	t = cap_lookup(ctx->cspace, thread_cap, OBJ_THREAD, RIGHT_OBJECT_ACTIVATE, CAP_WANT_INIT);
	if (t.error != OK) {
		return t.error;
	}
	return vic_attach_vcpu((struct vic *)v.obj, (struct thread *)t.obj, index);
}

error_t core_virq_bind(const struct core_ctx *ctx, cap_id_t cap, enum obj_type type,
                       rights_t rights, core_virq_pick_fn pick, cap_id_t vic_cap, uint64_t virq)
{
	struct cap_lookup_result o, v;

	o = cap_lookup(ctx->cspace, cap, type, rights, CAP_WANT_ACTIVE);
	if (o.error != OK) {
		return o.error;
	}
	v = cap_lookup(ctx->cspace, vic_cap, OBJ_VIC, RIGHT_VIC_BIND_SOURCE, CAP_WANT_ACTIVE);
	if (v.error != OK) {
		return v.error;
	}
	return virq_bind(pick(o.obj), (struct vic *)v.obj, virq);
}

error_t core_virq_unbind(const struct core_ctx *ctx, cap_id_t cap, enum obj_type type,
                         rights_t rights, core_virq_pick_fn pick)
{
	struct cap_lookup_result o = cap_lookup(ctx->cspace, cap, type, rights, CAP_WANT_ACTIVE);

	if (o.error != OK) {
		return o.error;
	}
	virq_unbind(pick(o.obj));
	return OK;
}

/* hwirq_bind_virq: the physical interrupt is forwarded from now on. */
error_t core_hwirq_bind_virq(const struct core_ctx *ctx, cap_id_t hwirq_cap, cap_id_t vic_cap,
                             uint64_t virq)
{
	error_t err = core_virq_bind(ctx, hwirq_cap, OBJ_HWIRQ, RIGHT_HWIRQ_BIND_VIC, hwirq_source,
	                             vic_cap, virq);

	if (err == OK) {
		arch_hwirq_bound(
		    (struct hwirq *)cap_lookup(ctx->cspace, hwirq_cap, OBJ_HWIRQ, 0, CAP_WANT_ANY)
		        .obj,
		    true);
	}
	return err;
}

error_t core_hwirq_unbind_virq(const struct core_ctx *ctx, cap_id_t hwirq_cap)
{
	struct cap_lookup_result h =
	    cap_lookup(ctx->cspace, hwirq_cap, OBJ_HWIRQ, RIGHT_HWIRQ_BIND_VIC, CAP_WANT_ACTIVE);

	if (h.error != OK) {
		return h.error;
	}
	if (((struct hwirq *)h.obj)->source.vic != NULL) {
		arch_hwirq_bound((struct hwirq *)h.obj, false);
	}
	virq_unbind(hwirq_source(h.obj));
	return OK;
}

/* humpy has no MSI sources (no virtual ITS): any cap that names an object is the wrong type. */
error_t core_vic_bind_msi_source(const struct core_ctx *ctx, cap_id_t vic_cap, cap_id_t msi_cap)
{
	struct cap_lookup_result v, m;

	v = cap_lookup(ctx->cspace, vic_cap, OBJ_VIC, RIGHT_VIC_BIND_SOURCE, CAP_WANT_ACTIVE);
	if (v.error != OK) {
		return v.error;
	}
	m = cap_lookup(ctx->cspace, msi_cap, OBJ_ANY, 0U, CAP_WANT_ANY);
	return m.error != OK ? m.error : ERROR_CSPACE_WRONG_OBJECT_TYPE;
}

/*
 * While the VIC is INIT: how vCPU indices map to MPIDR affinity fields. Each shift selects where an
 * affinity level's bits of the index go, so it must leave room in a byte-wide field (< 8 bits
 * used per level is not checked further: humpy gives vCPU i the MPIDR U | Aff0 = i, and its GICR
 * frame i that affinity, whatever the map); mt is a boolean.
 */
error_t core_vgic_set_mpidr_mapping(const struct core_ctx *ctx, cap_id_t vic_cap, uint64_t mask,
                                    const uint64_t shifts[4], uint64_t mt)
{
	struct cap_lookup_result v = vic_config_lookup(ctx, vic_cap);

	if (v.error != OK) {
		return v.error;
	}
	for (unsigned i = 0; i < 4; i++) {
		if (shifts[i] >= 64U) {
			return ERROR_ARGUMENT_INVALID;
		}
	}
	if (mt > 1U || mask == 0U) {
		return ERROR_ARGUMENT_INVALID;
	}
	return OK;
}

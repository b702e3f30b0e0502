/* memextent_calls: the memextent_* hypercalls as core calls (rights per reference §7). */
#include "mem_calls.h"

#include "partition.h"

error_t core_memextent_configure(const struct core_ctx *ctx, cap_id_t me_cap, uint64_t phys_base,
                                 uint64_t size, uint64_t attrs)
{
	struct cap_lookup_result m =
	    cap_lookup(ctx->cspace, me_cap, OBJ_MEMEXTENT, RIGHT_OBJECT_ACTIVATE, CAP_WANT_INIT);

	if (m.error != OK) {
		return m.error;
	}
	return memextent_configure((struct memextent *)m.obj, phys_base, size, attrs);
}

error_t core_memextent_configure_derive(const struct core_ctx *ctx, cap_id_t me_cap,
                                        cap_id_t parent_cap, uint64_t offset, uint64_t size,
                                        uint64_t attrs)
{
	struct cap_lookup_result m =
	    cap_lookup(ctx->cspace, me_cap, OBJ_MEMEXTENT, RIGHT_OBJECT_ACTIVATE, CAP_WANT_INIT);
	struct cap_lookup_result p;

	if (m.error != OK) {
		return m.error;
	}
	p = cap_lookup(ctx->cspace, parent_cap, OBJ_MEMEXTENT, RIGHT_MEMEXTENT_DERIVE,
	               CAP_WANT_ACTIVE);
	if (p.error != OK) {
		return p.error;
	}
	return memextent_configure_derive((struct memextent *)m.obj, (struct memextent *)p.obj,
	                                  offset, size, attrs);
}

error_t core_memextent_modify(const struct core_ctx *ctx, cap_id_t me_cap, uint64_t flags,
                              uint64_t offset, uint64_t size)
{
	struct cap_lookup_result m =
	    cap_lookup(ctx->cspace, me_cap, OBJ_MEMEXTENT, RIGHT_MEMEXTENT_MAP, CAP_WANT_ACTIVE);

	if (m.error != OK) {
		return m.error;
	}
	return memextent_modify((struct memextent *)m.obj, flags, offset, size);
}

/* A donor or receiver: an active partition (its donate right) or memory extent (its donate right).
 */
static struct cap_lookup_result memextent_donor_lookup(const struct core_ctx *ctx, cap_id_t cap)
{
	struct cap_lookup_result r;

	/* The row names no cap input (the options come first), so the dispatcher cannot refuse a
	 * caller without a cspace: every cap it names fails to decode. */
	if (ctx->cspace == NULL) {
		return (struct cap_lookup_result){.error = ERROR_ARGUMENT_INVALID};
	}
	r = cap_lookup(ctx->cspace, cap, OBJ_ANY, 0U, CAP_WANT_ACTIVE);

	if (r.error != OK) {
		return r;
	}
	if (r.obj->type == OBJ_PARTITION) {
		return cap_lookup(ctx->cspace, cap, OBJ_PARTITION, RIGHT_PARTITION_DONATE,
		                  CAP_WANT_ACTIVE);
	}
	if (r.obj->type == OBJ_MEMEXTENT) {
		return cap_lookup(ctx->cspace, cap, OBJ_MEMEXTENT, RIGHT_MEMEXTENT_DONATE,
		                  CAP_WANT_ACTIVE);
	}
	return (struct cap_lookup_result){.error = ERROR_CSPACE_WRONG_OBJECT_TYPE};
}

error_t core_memextent_donate(const struct core_ctx *ctx, uint64_t options, cap_id_t from_cap,
                              cap_id_t to_cap, uint64_t offset, uint64_t size)
{
	uint64_t type = options & MEMEXTENT_DONATE_TYPE_MASK;
	struct cap_lookup_result from, to;

	if ((options & ~(uint64_t)(MEMEXTENT_DONATE_TYPE_MASK | MEMEXTENT_DONATE_NO_SYNC)) != 0U ||
	    type > MEMEXTENT_DONATE_TO_SIBLING) {
		return ERROR_ARGUMENT_INVALID;
	}
	from = memextent_donor_lookup(ctx, from_cap);
	if (from.error != OK) {
		return from.error;
	}
	to = memextent_donor_lookup(ctx, to_cap);
	if (to.error != OK) {
		return to.error;
	}
	return memextent_donate((unsigned)type, from.obj, to.obj, offset, size);
}

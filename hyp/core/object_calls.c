/* object_calls: partition_create_*, object_activate(_from) and object_reset(_from) as core calls.
 */
#include "core_call.h"
#include "partition.h"

struct core_result core_partition_create(const struct core_ctx *ctx, enum obj_type type,
                                         cap_id_t partition_cap, cap_id_t cspace_cap)
{
	struct core_result ret = {.error = ERROR_UNIMPLEMENTED, .value = 0U};
	struct cap_lookup_result p, c;
	struct obj_result made;

	if (object_ops(type) == NULL) {
		goto out;
	}
	p = cap_lookup(ctx->cspace, partition_cap, OBJ_PARTITION, RIGHT_PARTITION_OBJECT_CREATE,
	               CAP_WANT_ACTIVE);
	ret.error = p.error;
	if (ret.error != OK) {
		goto out;
	}
	c = cap_lookup(ctx->cspace, cspace_cap, OBJ_CSPACE, RIGHT_CSPACE_CAP_CREATE,
	               CAP_WANT_ACTIVE);
	ret.error = c.error;
	if (ret.error != OK) {
		goto out;
	}
	/* Check for a slot before allocating, so a full cspace changes nothing. */
	if (!cspace_has_free_slot((struct cspace *)c.obj)) {
#if HUMPY_PLANT_BUG == 7 /* planted bug 7: an error with a side effect (leak) */
		(void)object_create((struct partition *)p.obj, type);
#endif
		ret.error = ERROR_CSPACE_FULL;
		goto out;
	}
	made = object_create((struct partition *)p.obj, type);
	ret.error = made.error;
	if (ret.error != OK) {
		goto out;
	}
	ret.value = cspace_insert_master((struct cspace *)c.obj, made.obj);
out:
	return ret;
}

error_t core_object_activate(const struct core_ctx *ctx, cap_id_t cap)
{
	struct cap_lookup_result o =
	    cap_lookup(ctx->cspace, cap, OBJ_ANY, RIGHT_OBJECT_ACTIVATE, CAP_WANT_ANY);

	if (o.error != OK) {
		return o.error;
	}
	return object_activate(o.obj);
}

/* As upstream: the cspace the cap is named in needs CAP_CREATE. */
error_t core_object_activate_from(const struct core_ctx *ctx, cap_id_t cspace_cap, cap_id_t cap)
{
	struct cap_lookup_result c, o;

	c = cap_lookup(ctx->cspace, cspace_cap, OBJ_CSPACE, RIGHT_CSPACE_CAP_CREATE,
	               CAP_WANT_ACTIVE);
	if (c.error != OK) {
		return c.error;
	}
	o = cap_lookup((struct cspace *)c.obj, cap, OBJ_ANY, RIGHT_OBJECT_ACTIVATE, CAP_WANT_ANY);
	if (o.error != OK) {
		return o.error;
	}
	return object_activate(o.obj);
}

error_t core_object_reset(const struct core_ctx *ctx, cap_id_t cspace_cap, cap_id_t cap)
{
	(void)ctx;
	(void)cspace_cap;
	(void)cap;
	return ERROR_UNIMPLEMENTED;
}

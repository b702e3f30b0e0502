/* cspace_calls: the cspace_* hypercalls and the configure calls of the core object types as core
 * calls. */
#include "core_call.h"
#include "msgqueue.h"
#include "thread.h"

static struct cap_lookup_result cspace_lookup(const struct core_ctx *ctx, cap_id_t cap,
                                              rights_t rights)
{
	return cap_lookup(ctx->cspace, cap, OBJ_CSPACE, rights, CAP_WANT_ACTIVE);
}

/*
 * Configure calls look the cap up with the generic activate right first and check the type after,
 * as upstream does (so a wrong-type cap without that right reports the missing right).
 */
static struct cap_lookup_result config_lookup(const struct core_ctx *ctx, cap_id_t cap,
                                              enum obj_type type)
{
	struct cap_lookup_result r =
	    cap_lookup(ctx->cspace, cap, OBJ_ANY, RIGHT_OBJECT_ACTIVATE, CAP_WANT_ANY);

	if (r.error == OK && r.obj->type != type) {
		r.error = ERROR_CSPACE_WRONG_OBJECT_TYPE;
	} else if (r.error == OK && r.obj->state != OBJ_STATE_INIT) {
		r.error = ERROR_OBJECT_STATE;
	}
	return r;
}

error_t core_cspace_delete_cap_from(const struct core_ctx *ctx, cap_id_t cspace_cap, cap_id_t cap)
{
#if HUMPY_PLANT_BUG == 3 /* planted bug 3: missing rights check */
	struct cap_lookup_result c = cspace_lookup(ctx, cspace_cap, 0U);
#else
	struct cap_lookup_result c = cspace_lookup(ctx, cspace_cap, RIGHT_CSPACE_CAP_DELETE);
#endif

	if (c.error != OK) {
		return c.error;
	}
	return cspace_delete_cap((struct cspace *)c.obj, cap);
}

/* rights_mask is 32 bits wide in the ABI; the upper half of the register is ignored, as upstream.
 */
struct core_result core_cspace_copy_cap_from(const struct core_ctx *ctx, cap_id_t src_cspace_cap,
                                             cap_id_t src_cap, cap_id_t dest_cspace_cap,
                                             uint64_t rights_mask)
{
	struct core_result ret = {.error = OK, .value = 0U};
	struct cap_lookup_result src, dest;
	struct cap_id_result made;

	src = cspace_lookup(ctx, src_cspace_cap, RIGHT_CSPACE_CAP_COPY);
	ret.error = src.error;
	if (ret.error != OK) {
		goto out;
	}
	dest = cspace_lookup(ctx, dest_cspace_cap, RIGHT_CSPACE_CAP_CREATE);
	ret.error = dest.error;
	if (ret.error != OK) {
		goto out;
	}
	made = cspace_copy_cap((struct cspace *)dest.obj, (struct cspace *)src.obj, src_cap,
	                       (rights_t)rights_mask);
	ret.error = made.error;
	if (ret.error == OK) {
		ret.value = made.id;
	}
out:
	return ret;
}

error_t core_cspace_revoke_cap_from(const struct core_ctx *ctx, cap_id_t cspace_cap, cap_id_t cap)
{
	struct cap_lookup_result c = cspace_lookup(ctx, cspace_cap, RIGHT_CSPACE_CAP_REVOKE);

	if (c.error != OK) {
		return c.error;
	}
	return cspace_revoke_cap((struct cspace *)c.obj, cap);
}

error_t core_cspace_revoke_caps_from(const struct core_ctx *ctx, cap_id_t cspace_cap,
                                     cap_id_t master_cap)
{
	struct cap_lookup_result c = cspace_lookup(ctx, cspace_cap, RIGHT_CSPACE_CAP_REVOKE);

	if (c.error != OK) {
		return c.error;
	}
	return cspace_revoke_caps((struct cspace *)c.obj, master_cap);
}

error_t core_cspace_configure(const struct core_ctx *ctx, cap_id_t cspace_cap, uint64_t max_caps)
{
	struct cap_lookup_result c = config_lookup(ctx, cspace_cap, OBJ_CSPACE);

	if (c.error != OK) {
		return c.error;
	}
	return cspace_configure((struct cspace *)c.obj, max_caps);
}

/* As upstream: the thread is checked first (activate right, type), then the cspace, then the state.
 */
error_t core_cspace_attach_thread(const struct core_ctx *ctx, cap_id_t cspace_cap,
                                  cap_id_t thread_cap)
{
	struct cap_lookup_result t, c;

	t = cap_lookup(ctx->cspace, thread_cap, OBJ_ANY, RIGHT_OBJECT_ACTIVATE, CAP_WANT_ANY);
	if (t.error != OK) {
		return t.error;
	}
	if (t.obj->type != OBJ_THREAD) {
		return ERROR_CSPACE_WRONG_OBJECT_TYPE;
	}
	c = cspace_lookup(ctx, cspace_cap, RIGHT_CSPACE_ATTACH);
	if (c.error != OK) {
		return c.error;
	}
	if (t.obj->state != OBJ_STATE_INIT) {
		return ERROR_OBJECT_STATE;
	}
	thread_attach_cspace((struct thread *)t.obj, (struct cspace *)c.obj);
	return OK;
}

error_t core_msgqueue_configure(const struct core_ctx *ctx, cap_id_t msgqueue_cap,
                                uint64_t create_info)
{
	struct cap_lookup_result m = config_lookup(ctx, msgqueue_cap, OBJ_MSGQUEUE);

	if (m.error != OK) {
		return m.error;
	}
	return msgqueue_configure((struct msgqueue *)m.obj, create_info);
}

/* addrspace_calls: the addrspace_* hypercalls as core calls (rights per reference §7). */
#include "mem_calls.h"
#include "thread.h"

static struct cap_lookup_result addrspace_cap(const struct core_ctx *ctx, cap_id_t cap,
                                              rights_t rights)
{
	return cap_lookup(ctx->cspace, cap, OBJ_ADDRSPACE, rights, CAP_WANT_ACTIVE);
}

error_t core_addrspace_configure(const struct core_ctx *ctx, cap_id_t as_cap, uint64_t vmid)
{
	struct cap_lookup_result a =
	    cap_lookup(ctx->cspace, as_cap, OBJ_ADDRSPACE, RIGHT_OBJECT_ACTIVATE, CAP_WANT_INIT);

	if (a.error != OK) {
		return a.error;
	}
	return addrspace_configure((struct addrspace *)a.obj, vmid);
}

/* The thread (still INIT) will run in this address space: activation needs it (thread.c). */
error_t core_addrspace_attach_thread(const struct core_ctx *ctx, cap_id_t as_cap,
                                     cap_id_t thread_cap)
{
	struct cap_lookup_result a = addrspace_cap(ctx, as_cap, RIGHT_ADDRSPACE_ATTACH);
	struct cap_lookup_result t;

	if (a.error != OK) {
		return a.error;
	}
	t = cap_lookup(ctx->cspace, thread_cap, OBJ_THREAD, RIGHT_OBJECT_ACTIVATE, CAP_WANT_INIT);
	if (t.error != OK) {
		return t.error;
	}
	thread_attach_addrspace((struct thread *)t.obj, (struct addrspace *)a.obj);
	return OK;
}

/* The address space (@as_rights) and the extent (@me_rights) a mapping call names. */
static error_t addrspace_pair(const struct core_ctx *ctx, cap_id_t as_cap, rights_t as_rights,
                              cap_id_t me_cap, rights_t me_rights, struct addrspace **as,
                              struct memextent **me)
{
	struct cap_lookup_result a = addrspace_cap(ctx, as_cap, as_rights);
	struct cap_lookup_result m;

	if (a.error != OK) {
		return a.error;
	}
	m = cap_lookup(ctx->cspace, me_cap, OBJ_MEMEXTENT, me_rights, CAP_WANT_ACTIVE);
	if (m.error != OK) {
		return m.error;
	}
	*as = (struct addrspace *)a.obj;
	*me = (struct memextent *)m.obj;
	return OK;
}

error_t core_addrspace_map(const struct core_ctx *ctx, cap_id_t as_cap, cap_id_t me_cap,
                           uint64_t vbase, uint64_t map_attrs, uint64_t map_flags, uint64_t offset,
                           uint64_t size)
{
	struct addrspace *as = NULL;
	struct memextent *me = NULL;
	error_t err =
	    addrspace_pair(ctx, as_cap, RIGHT_ADDRSPACE_MAP, me_cap, RIGHT_MEMEXTENT_MAP, &as, &me);

	return err != OK ? err : addrspace_map(as, me, vbase, map_attrs, map_flags, offset, size);
}

error_t core_addrspace_unmap(const struct core_ctx *ctx, cap_id_t as_cap, cap_id_t me_cap,
                             uint64_t vbase, uint64_t map_flags, uint64_t offset, uint64_t size)
{
	struct addrspace *as = NULL;
	struct memextent *me = NULL;
	error_t err =
	    addrspace_pair(ctx, as_cap, RIGHT_ADDRSPACE_MAP, me_cap, RIGHT_MEMEXTENT_MAP, &as, &me);

	return err != OK ? err : addrspace_unmap(as, me, vbase, map_flags, offset, size);
}

error_t core_addrspace_update_access(const struct core_ctx *ctx, cap_id_t as_cap, cap_id_t me_cap,
                                     uint64_t vbase, uint64_t access_attrs, uint64_t map_flags,
                                     uint64_t offset, uint64_t size)
{
	struct addrspace *as = NULL;
	struct memextent *me = NULL;
	error_t err =
	    addrspace_pair(ctx, as_cap, RIGHT_ADDRSPACE_MAP, me_cap, RIGHT_MEMEXTENT_MAP, &as, &me);

	return err != OK
	           ? err
	           : addrspace_update_access(as, me, vbase, access_attrs, map_flags, offset, size);
}

struct addrspace_lookup_result core_addrspace_lookup(const struct core_ctx *ctx, cap_id_t as_cap,
                                                     cap_id_t me_cap, uint64_t vbase, uint64_t size)
{
	struct addrspace *as = NULL;
	struct memextent *me = NULL;
	error_t err = addrspace_pair(ctx, as_cap, RIGHT_ADDRSPACE_LOOKUP, me_cap,
	                             RIGHT_MEMEXTENT_LOOKUP, &as, &me);

	if (err != OK) {
		return (struct addrspace_lookup_result){.error = err};
	}
	return addrspace_lookup(as, me, vbase, size);
}

/* Upstream takes the address space INIT or ACTIVE, the only states a humpy object is seen in. */
error_t core_addrspace_configure_vmmio(const struct core_ctx *ctx, cap_id_t as_cap, uint64_t base,
                                       uint64_t size, uint64_t op)
{
	struct cap_lookup_result a = cap_lookup(ctx->cspace, as_cap, OBJ_ADDRSPACE,
	                                        RIGHT_ADDRSPACE_ADD_VMMIO_RANGE, CAP_WANT_ANY);

	return a.error != OK ? a.error
	                     : addrspace_configure_vmmio((struct addrspace *)a.obj, base, size, op);
}

error_t core_addrspace_unbuilt(const struct core_ctx *ctx, cap_id_t as_cap, rights_t rights,
                               bool is_configure)
{
	struct cap_lookup_result a = cap_lookup(ctx->cspace, as_cap, OBJ_ADDRSPACE, rights,
	                                        is_configure ? CAP_WANT_INIT : CAP_WANT_ACTIVE);

	return a.error != OK ? a.error : ERROR_UNIMPLEMENTED;
}

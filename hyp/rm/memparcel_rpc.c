/* hyp/rm/memparcel_rpc.c: the MEM_* RPC handlers. Each passes the request to the RM's parcel
 * table (memparcel.c); the image attaches that table at boot, with the ops that reach the
 * hypervisor. Without a table every MEM_* message is answered UNIMPLEMENTED, as an unknown ID. */
#include "memparcel.h"
#include "rm_abi.h"
#include "rpc_handlers.h"

/* The handler signature carries only the call: the one parcel table of the RM lives here. */
static struct rm_mem *rm_mem_table;

void rm_mem_rpc_attach(struct rm_mem *mem)
{
	rm_mem_table = mem;
}

static uint32_t create(struct rm_rpc_call *call, uint8_t trans_type)
{
	if (rm_mem_table == NULL) {
		return RM_ERROR_UNIMPLEMENTED;
	}
	return rm_mem_create(rm_mem_table, trans_type, call->caller_vmid, call->req, call->req_len,
	                     call->reply, call->reply_cap, &call->reply_len);
}

uint32_t rm_handle_mem_share(struct rm_rpc_call *call)
{
	return create(call, RM_TRANS_SHARE);
}

uint32_t rm_handle_mem_lend(struct rm_rpc_call *call)
{
	return create(call, RM_TRANS_LEND);
}

uint32_t rm_handle_mem_donate(struct rm_rpc_call *call)
{
	return create(call, RM_TRANS_DONATE);
}

uint32_t rm_handle_mem_accept(struct rm_rpc_call *call)
{
	if (rm_mem_table == NULL) {
		return RM_ERROR_UNIMPLEMENTED;
	}
	return rm_mem_accept(rm_mem_table, call->caller_vmid, call->req, call->req_len, call->reply,
	                     call->reply_cap, &call->reply_len);
}

uint32_t rm_handle_mem_append(struct rm_rpc_call *call)
{
	return rm_mem_table == NULL
	           ? RM_ERROR_UNIMPLEMENTED
	           : rm_mem_append(rm_mem_table, call->caller_vmid, call->req, call->req_len);
}

uint32_t rm_handle_mem_release(struct rm_rpc_call *call)
{
	return rm_mem_table == NULL
	           ? RM_ERROR_UNIMPLEMENTED
	           : rm_mem_release(rm_mem_table, call->caller_vmid, call->req, call->req_len);
}

uint32_t rm_handle_mem_reclaim(struct rm_rpc_call *call)
{
	return rm_mem_table == NULL
	           ? RM_ERROR_UNIMPLEMENTED
	           : rm_mem_reclaim(rm_mem_table, call->caller_vmid, call->req, call->req_len);
}

uint32_t rm_handle_mem_notify(struct rm_rpc_call *call)
{
	return rm_mem_table == NULL
	           ? RM_ERROR_UNIMPLEMENTED
	           : rm_mem_notify(rm_mem_table, call->caller_vmid, call->req, call->req_len);
}

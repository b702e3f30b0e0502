/* hyp/rm/irq_lend_rpc.c: the VM_IRQ_* RPC handlers. Each passes the request to the RM's loan
 * table (irq_lend.c), attached at boot; without one they answer UNIMPLEMENTED. */
#include "irq_lend.h"
#include "rm_abi.h"
#include "rpc_handlers.h"

/* The handler signature carries only the call: the one loan table of the RM lives here. */
static struct rm_irq *rm_irq_table;

void rm_irq_rpc_attach(struct rm_irq *irq)
{
	rm_irq_table = irq;
}

/* A reply of one u32 (the handle, the VIRQ). */
static uint32_t reply_word(struct rm_rpc_call *call, uint32_t err, uint32_t word)
{
	if (err == RM_OK) {
		rm_rpc_put32(call->reply, word);
		call->reply_len = 4;
	}
	return err;
}

uint32_t rm_handle_vm_irq_lend(struct rm_rpc_call *call)
{
	uint32_t handle = 0;
	if (rm_irq_table == NULL) {
		return RM_ERROR_UNIMPLEMENTED;
	}
	return reply_word(
	    call, rm_irq_lend(rm_irq_table, call->caller_vmid, call->req, call->req_len, &handle),
	    handle);
}

uint32_t rm_handle_vm_irq_accept(struct rm_rpc_call *call)
{
	uint32_t virq = 0;
	if (rm_irq_table == NULL) {
		return RM_ERROR_UNIMPLEMENTED;
	}
	return reply_word(
	    call, rm_irq_accept(rm_irq_table, call->caller_vmid, call->req, call->req_len, &virq),
	    virq);
}

uint32_t rm_handle_vm_irq_release(struct rm_rpc_call *call)
{
	return rm_irq_table == NULL
	           ? RM_ERROR_UNIMPLEMENTED
	           : rm_irq_release(rm_irq_table, call->caller_vmid, call->req, call->req_len);
}

uint32_t rm_handle_vm_irq_reclaim(struct rm_rpc_call *call)
{
	return rm_irq_table == NULL
	           ? RM_ERROR_UNIMPLEMENTED
	           : rm_irq_reclaim(rm_irq_table, call->caller_vmid, call->req, call->req_len);
}

uint32_t rm_handle_vm_irq_notify(struct rm_rpc_call *call)
{
	return rm_irq_table == NULL
	           ? RM_ERROR_UNIMPLEMENTED
	           : rm_irq_notify(rm_irq_table, call->caller_vmid, call->req, call->req_len);
}

/* hyp/rm/vm_rpc.c: a VM's RPC questions about itself (VM_GET_VMID, VM_GET_HYP_RESOURCES,
 * VM_GET_STATE) and its reports about itself (VM_SET_STATUS, VM_EXIT). */
#include "rm_abi.h"
#include "rpc_handlers.h"
#include "vm_state.h"

#define VMID_REQ_SIZE  4U /* u16 vmid, u16 reserved */
#define STATUS_REQ_LEN 4U /* u8 vm_status (ignored), u8 os_status, u16 app_status */
#define EXIT_REQ_LEN   4U /* u16 exit_flags, u8 exit_code, u8 reserved */

/* Reply: u32 whose low 16 bits are the caller's VMID; the request is empty. */
uint32_t rm_handle_vm_get_vmid(struct rm_rpc_call *call)
{
	if (call->req_len != 0) {
		return RM_ERROR_MSG_INVALID;
	}
	rm_rpc_put32(call->reply, call->caller_vmid);
	call->reply_len = 4;
	return RM_OK;
}

static void encode_resource(uint8_t *p, const struct rm_resource *r)
{
	p[0] = r->type;
	p[1] = 0;
	rm_rpc_put16(p + 2, r->partner_vmid);
	rm_rpc_put32(p + 4, r->resource_handle);
	rm_rpc_put32(p + 8, r->resource_label);
	rm_rpc_put64(p + 12, r->cap_id);
	rm_rpc_put32(p + 20, r->virq_handle);
	rm_rpc_put32(p + 24, r->virq);
	rm_rpc_put64(p + 28, r->base);
	rm_rpc_put64(p + 36, r->size);
}

/* Request {u16 vmid, u16 reserved}: vmid 0 or the caller's own gives every resource the caller
 * holds; another known VMID gives those whose partner is that VM. Reply: u32 count, then count
 * 44-byte entries. */
uint32_t rm_handle_vm_get_hyp_resources(struct rm_rpc_call *call)
{
	struct rm_vm *self;
	uint16_t vmid;
	uint32_t n = 0;

	if (call->req_len != VMID_REQ_SIZE) {
		return RM_ERROR_MSG_INVALID;
	}
	vmid = rm_rpc_get16(call->req);
	self = rm_vm_lookup(call->rpc->vms, call->caller_vmid);
	if (self == NULL) {
		return RM_ERROR_NORESOURCE;
	}
	if (vmid != 0 && vmid != call->caller_vmid && rm_vm_lookup(call->rpc->vms, vmid) == NULL) {
		return RM_ERROR_VMID_INVALID;
	}
	for (uint32_t i = 0; i < self->n_resources && i < RM_VM_MAX_RESOURCES; i++) {
		const struct rm_resource *r = &self->resources[i];

		if (vmid != 0 && vmid != call->caller_vmid && r->partner_vmid != vmid) {
			continue;
		}
		encode_resource(call->reply + 4 + n * RM_RES_ENTRY_SIZE, r);
		n++;
	}
	rm_rpc_put32(call->reply, n);
	call->reply_len = 4 + n * RM_RES_ENTRY_SIZE;
	return RM_OK;
}

/* Request {u16 vmid (0: the caller), u16 reserved}; reply u32 vm_status | os_status << 8 |
 * app_status << 16. A VM may ask about itself and about the VMs it owns. */
uint32_t rm_handle_vm_get_state(struct rm_rpc_call *call)
{
	const struct rm_vm *vm;
	uint16_t vmid;

	if (call->req_len != VMID_REQ_SIZE) {
		return RM_ERROR_MSG_INVALID;
	}
	vmid = rm_rpc_get16(call->req);
	if (vmid == 0) {
		vmid = call->caller_vmid;
	}
	vm = rm_vm_lookup(call->rpc->vms, vmid);
	if (vm == NULL) {
		return RM_ERROR_NORESOURCE;
	}
	if (vm->vmid != call->caller_vmid && vm->owner_vmid != call->caller_vmid) {
		return RM_ERROR_DENIED;
	}
	rm_rpc_put32(call->reply, (uint32_t)vm->vm_status | ((uint32_t)vm->os_status << 8) |
	                              ((uint32_t)vm->app_status << 16));
	call->reply_len = 4;
	return RM_OK;
}

/* The caller reports its OS and application status (os_status 0: unchanged); its owner gets
 * VM_STATUS. Byte 0 (vm_status) is the RM's to set and is ignored, as upstream does. */
uint32_t rm_handle_vm_set_status(struct rm_rpc_call *call)
{
	struct rm_vm *vm;
	uint8_t os_status;

	if (call->req_len != STATUS_REQ_LEN) {
		return RM_ERROR_MSG_INVALID;
	}
	os_status = call->req[1];
	if (os_status > RM_OS_STATUS_CRASHED) {
		return RM_ERROR_ARGUMENT_INVALID;
	}
	vm = rm_vm_lookup(call->rpc->vms, call->caller_vmid);
	if (vm == NULL) {
		return RM_ERROR_NORESOURCE;
	}
	if (os_status != RM_OS_STATUS_NONE) {
		vm->os_status = os_status;
	}
	vm->app_status = rm_rpc_get16(call->req + 2);
	rm_vm_notify_status(call->rpc->vms, vm);
	return RM_OK;
}

/* The caller stops itself: its vCPUs are stopped (ops->vm_exit), it is EXITED, and its owner
 * gets VM_STATUS then VM_EXITED {vmid, VM_EXIT, 4, flags | code << 16}. */
uint32_t rm_handle_vm_exit(struct rm_rpc_call *call)
{
	struct rm_rpc *rpc = call->rpc;
	struct rm_vm *vm;
	uint8_t reason[4];
	uint32_t err;

	if (call->req_len != EXIT_REQ_LEN || call->req[3] != 0 ||
	    call->req[2] > RM_EXIT_CODE_DEVICE_ERROR) {
		return RM_ERROR_MSG_INVALID;
	}
	vm = rm_vm_lookup(rpc->vms, call->caller_vmid);
	if (vm == NULL) {
		return RM_ERROR_NORESOURCE;
	}
	if (vm->vm_status != RM_VM_STATUS_RUNNING && vm->vm_status != RM_VM_STATUS_PAUSED) {
		return RM_ERROR_VM_STATE;
	}
	err = rpc->ops->vm_exit != NULL ? rpc->ops->vm_exit(rpc->ctx, vm->vmid) : RM_OK;
	if (err != RM_OK) {
		return err;
	}
	rm_rpc_put32(reason, (uint32_t)rm_rpc_get16(call->req) | ((uint32_t)call->req[2] << 16));
	rm_vm_set_status(rpc->vms, vm, RM_VM_STATUS_EXITED);
	rm_vm_notify_exited(rpc->vms, vm, RM_EXIT_TYPE_VM_EXIT, reason, sizeof(reason));
	return RM_OK;
}

/* vm_lifecycle: VM_ALLOCATE, VM_DEALLOCATE, VM_CONFIG_IMAGE, VM_INIT, VM_START, VM_STOP and
 * VM_RESET for peer VMs (gunyah-abi.md §6 layouts). Only the VM's owner (the VM that allocated it)
 * may act on it; every length, VMID and handle from the request is checked before anything
 * changes. Status changes reach the owner as VM_STATUS (vm_state.c). */
#include "boot_info.h"
#include "hvc.h"
#include "irq_hyp.h"
#include "mem_hyp.h"
#include "peer.h"
#include "rm_abi.h"
#include "rpc_handlers.h"
#include "vm_state.h"

#define VMID_REQ_SIZE      4U
#define STOP_REQ_SIZE      8U
#define CONFIG_IMAGE_SIZE  40U
#define AUTH_NONE          0U
#define EXITED_NOTIFY_SIZE 8U
#define PEER_PAGE          4096U

static struct peer_vm peers[PEER_MAX];
static const struct rm_boot_info *peer_boot;

void peer_init(const struct rm_boot_info *boot)
{
	peer_boot = boot;
}

static struct peer_vm *peer_of(uint16_t vmid)
{
	for (unsigned i = 0; i < PEER_MAX; i++) {
		if (peers[i].is_used && peers[i].vmid == vmid) {
			return &peers[i];
		}
	}
	return NULL;
}

/* The peer a request names, owned by the caller: NULL with *err set otherwise. */
static struct peer_vm *peer_owned(struct rm_rpc_call *call, uint16_t vmid, struct rm_vm **vm,
                                  uint32_t *err)
{
	struct peer_vm *p = peer_of(vmid);

	*vm = rm_vm_lookup(call->rpc->vms, vmid);
	if (p == NULL || *vm == NULL) {
		*err = RM_ERROR_VMID_INVALID;
		return NULL;
	}
	if ((*vm)->owner_vmid != call->caller_vmid) {
		*err = RM_ERROR_DENIED;
		return NULL;
	}
	return p;
}

static uint16_t peer_free_vmid(struct rm_vms *vms)
{
	for (uint16_t v = PEER_VMID_FIRST; v <= PEER_VMID_LAST; v++) {
		if (rm_vm_lookup(vms, v) == NULL) {
			return v;
		}
	}
	return 0;
}

uint32_t rm_handle_vm_allocate(struct rm_rpc_call *call)
{
	uint16_t vmid;
	struct peer_vm *slot = NULL;
	struct rm_vm *vm;

	if (call->req_len != VMID_REQ_SIZE) {
		return RM_ERROR_MSG_INVALID;
	}
	vmid = rm_rpc_get16(call->req);
	if (vmid == 0) {
		vmid = peer_free_vmid(call->rpc->vms);
		if (vmid == 0) {
			return RM_ERROR_NORESOURCE;
		}
	} else if (vmid < PEER_VMID_FIRST || vmid > PEER_VMID_LAST) {
		return RM_ERROR_VMID_INVALID;
	} else if (rm_vm_lookup(call->rpc->vms, vmid) != NULL) {
		return RM_ERROR_IN_USE;
	}
	for (unsigned i = 0; i < PEER_MAX && slot == NULL; i++) {
		slot = peers[i].is_used ? NULL : &peers[i];
	}
	if (slot == NULL) {
		return RM_ERROR_NORESOURCE;
	}
	vm = rm_vm_add(call->rpc->vms, vmid, call->caller_vmid);
	if (vm == NULL) {
		return RM_ERROR_NORESOURCE;
	}
	*slot = (struct peer_vm){.is_used = true, .vmid = vmid};
	vm->priv = slot;
	vm->vm_status = RM_VM_STATUS_INIT;
	rm_rpc_put16(call->reply, vmid);
	rm_rpc_put16(call->reply + 2, 0);
	call->reply_len = 4;
	return RM_OK;
}

uint32_t rm_handle_vm_config_image(struct rm_rpc_call *call)
{
	struct rm_vm *vm;
	struct peer_vm *p;
	uint32_t err;
	uint64_t image_offset, image_size, dtb_offset, dtb_size;

	if (call->req_len != CONFIG_IMAGE_SIZE) {
		return RM_ERROR_MSG_INVALID;
	}
	p = peer_owned(call, rm_rpc_get16(call->req), &vm, &err);
	if (p == NULL) {
		return err;
	}
	if (vm->vm_status != RM_VM_STATUS_INIT || p->is_built) {
		return RM_ERROR_VM_STATE;
	}
	if (rm_rpc_get16(call->req + 2) != AUTH_NONE) {
		return RM_ERROR_ARGUMENT_INVALID;
	}
	image_offset = rm_rpc_get64(call->req + 8);
	image_size = rm_rpc_get64(call->req + 16);
	dtb_offset = rm_rpc_get64(call->req + 24);
	dtb_size = rm_rpc_get64(call->req + 32);
	/* The image and the DT are page aligned, non-empty and do not wrap or overlap; whether they
	 * fit the parcel is checked when it is mapped (VM_INIT). */
	if (image_size == 0 || dtb_size == 0 || (image_offset % PEER_PAGE) != 0 ||
	    (dtb_offset % PEER_PAGE) != 0 || image_offset + image_size < image_offset ||
	    dtb_offset + dtb_size < dtb_offset ||
	    (image_offset < dtb_offset + dtb_size && dtb_offset < image_offset + image_size)) {
		return RM_ERROR_ARGUMENT_INVALID;
	}
	p->mem_handle = rm_rpc_get32(call->req + 4);
	p->image_offset = image_offset;
	p->image_size = image_size;
	p->dtb_offset = dtb_offset;
	p->dtb_size = dtb_size;
	p->is_configured = true;
	call->reply_len = 0;
	return RM_OK;
}

static bool peer_create(uint32_t call_num, uint64_t *cap)
{
	uint64_t err;

	*cap = hvc_create(call_num, peer_boot->partition, peer_boot->cspace, &err);
	return err == HVC_OK;
}

/* Deletes what VM_INIT made (a failed VM_INIT, VM_RESET): the vCPU stops first; the channel
 * closes; every parcel the VM accepted (its image's too) is released while its address space
 * still exists, so the owner can reclaim them and the VMID can be built again; then the caps go,
 * the vCPU's first since it holds its cspace and address space. */
static void peer_destroy(struct rm_vms *vms, struct peer_vm *p)
{
	const uint64_t caps[4] = {p->vcpu, p->vic, p->cspace, p->addrspace};

	if (p->vcpu != 0) {
		(void)hvc_err(HVC_VCPU_KILL, p->vcpu, 0, 0);
	}
	peer_chan_close(peer_boot, vms, p);
	rm_mem_vm_remove(p->vmid);
	rm_irq_forget_vm(p->vmid); /* while its VIC still exists */
	for (unsigned i = 0; i < 4; i++) {
		if (caps[i] != 0) {
			(void)hvc_err(HVC_CSPACE_DELETE_CAP_FROM, peer_boot->cspace, caps[i], 0);
		}
	}
	p->vcpu = p->vic = p->cspace = p->addrspace = 0;
	p->is_built = false;
}

/* The peer's objects: cspace, address space with its VMID, its RAM from the parcel, VIC, vCPU,
 * and its RPC channel (peer_chan.c). */
static uint32_t peer_build(struct rm_vms *vms, struct peer_vm *p)
{
	uint32_t err;

	if (!peer_create(HVC_PARTITION_CREATE_CSPACE, &p->cspace) ||
	    hvc_err(HVC_CSPACE_CONFIGURE, p->cspace, PEER_CSPACE_CAPS, 0) != HVC_OK ||
	    hvc_err(HVC_OBJECT_ACTIVATE, p->cspace, 0, 0) != HVC_OK ||
	    !peer_create(HVC_PARTITION_CREATE_ADDRSPACE, &p->addrspace) ||
	    hvc_err(HVC_ADDRSPACE_CONFIGURE, p->addrspace, p->vmid, 0) != HVC_OK ||
	    hvc_err(HVC_OBJECT_ACTIVATE, p->addrspace, 0, 0) != HVC_OK) {
		return RM_ERROR_NOMEM;
	}
	if (!rm_mem_vm_add(p->vmid, p->addrspace)) {
		return RM_ERROR_NORESOURCE;
	}
	err = rm_mem_accept_for(p->mem_handle, p->vmid, &p->ram_ipa, &p->ram_size);
	if (err != RM_OK) {
		return err;
	}
	if (p->image_offset + p->image_size > p->ram_size ||
	    p->dtb_offset + p->dtb_size > p->ram_size) {
		return RM_ERROR_ARGUMENT_INVALID;
	}
	if (!peer_create(HVC_PARTITION_CREATE_VIC, &p->vic)) {
		return RM_ERROR_NOMEM;
	}
	{
		const uint64_t a[3] = {p->vic, 1, PEER_VIC_VIRQS};

		if (hvc_call(HVC_VIC_CONFIGURE, a, 3).x[0] != HVC_OK ||
		    hvc_err(HVC_OBJECT_ACTIVATE, p->vic, 0, 0) != HVC_OK) {
			return RM_ERROR_NOMEM;
		}
	}
	if (!peer_create(HVC_PARTITION_CREATE_THREAD, &p->vcpu) ||
	    hvc_err(HVC_VCPU_CONFIGURE, p->vcpu, 0, 0) != HVC_OK ||
	    hvc_err(HVC_CSPACE_ATTACH_THREAD, p->cspace, p->vcpu, 0) != HVC_OK ||
	    hvc_err(HVC_ADDRSPACE_ATTACH_THREAD, p->addrspace, p->vcpu, 0) != HVC_OK ||
	    hvc_err(HVC_VIC_ATTACH_VCPU, p->vic, p->vcpu, 0) != HVC_OK ||
	    hvc_err(HVC_VCPU_SET_PRIORITY, p->vcpu, PEER_PRIORITY, 0) != HVC_OK ||
	    hvc_err(HVC_OBJECT_ACTIVATE, p->vcpu, 0, 0) != HVC_OK) {
		return RM_ERROR_NOMEM;
	}
	err = peer_chan_open(peer_boot, vms, p, (unsigned)(p - peers));
	if (err != RM_OK) {
		return err;
	}
	p->is_built = true;
	return RM_OK;
}

/* The common VMID request of VM_INIT, VM_START, VM_RESET and VM_DEALLOCATE. */
static struct peer_vm *peer_request(struct rm_rpc_call *call, size_t len, struct rm_vm **vm,
                                    uint32_t *err)
{
	if (call->req_len != len) {
		*err = RM_ERROR_MSG_INVALID;
		return NULL;
	}
	return peer_owned(call, rm_rpc_get16(call->req), vm, err);
}

uint32_t rm_handle_vm_init(struct rm_rpc_call *call)
{
	struct rm_vm *vm;
	uint32_t err;
	struct peer_vm *p = peer_request(call, VMID_REQ_SIZE, &vm, &err);

	if (p == NULL) {
		return err;
	}
	if (vm->vm_status != RM_VM_STATUS_INIT || !p->is_configured || p->is_built) {
		return RM_ERROR_VM_STATE;
	}
	err = peer_build(call->rpc->vms, p);
	if (err != RM_OK) {
		peer_destroy(call->rpc->vms, p);
		rm_vm_set_status(call->rpc->vms, vm, RM_VM_STATUS_INIT_FAILED);
		return err;
	}
	rm_vm_set_status(call->rpc->vms, vm, RM_VM_STATUS_READY);
	call->reply_len = 0;
	return RM_OK;
}

uint32_t rm_handle_vm_start(struct rm_rpc_call *call)
{
	struct rm_vm *vm;
	uint32_t err;
	struct peer_vm *p = peer_request(call, VMID_REQ_SIZE, &vm, &err);

	if (p == NULL) {
		return err;
	}
	if (vm->vm_status != RM_VM_STATUS_READY || !p->is_built) {
		return RM_ERROR_VM_STATE;
	}
	{
		const uint64_t a[4] = {p->vcpu, p->ram_ipa + p->image_offset,
		                       p->ram_ipa + p->dtb_offset, 0};

		if (hvc_call(HVC_VCPU_POWERON, a, 4).x[0] != HVC_OK) {
			return RM_ERROR_DENIED;
		}
	}
	rm_vm_set_status(call->rpc->vms, vm, RM_VM_STATUS_RUNNING);
	call->reply_len = 0;
	return RM_OK;
}

uint32_t rm_handle_vm_stop(struct rm_rpc_call *call)
{
	struct rm_vm *vm;
	uint32_t err;
	struct peer_vm *p = peer_request(call, STOP_REQ_SIZE, &vm, &err);

	if (p == NULL) {
		return err;
	}
	if (vm->vm_status != RM_VM_STATUS_RUNNING) {
		return RM_ERROR_VM_STATE;
	}
	(void)hvc_err(HVC_VCPU_KILL, p->vcpu, 0, 0);
	rm_vm_set_status(call->rpc->vms, vm, RM_VM_STATUS_EXITED);
	rm_vm_notify_exited(call->rpc->vms, vm, RM_EXIT_TYPE_VM_STOP_FORCED, NULL, 0);
	call->reply_len = 0;
	return RM_OK;
}

uint32_t rm_handle_vm_reset(struct rm_rpc_call *call)
{
	struct rm_vm *vm;
	uint32_t err;
	struct peer_vm *p = peer_request(call, VMID_REQ_SIZE, &vm, &err);

	if (p == NULL) {
		return err;
	}
	if (vm->vm_status != RM_VM_STATUS_EXITED && vm->vm_status != RM_VM_STATUS_READY &&
	    vm->vm_status != RM_VM_STATUS_INIT_FAILED) {
		return RM_ERROR_VM_STATE;
	}
	rm_vm_set_status(call->rpc->vms, vm, RM_VM_STATUS_RESETTING);
	peer_destroy(call->rpc->vms, p);
	rm_vm_set_status(call->rpc->vms, vm, RM_VM_STATUS_RESET);
	call->reply_len = 0;
	return RM_OK;
}

uint32_t rm_handle_vm_deallocate(struct rm_rpc_call *call)
{
	struct rm_vm *vm;
	uint32_t err;
	struct peer_vm *p = peer_request(call, VMID_REQ_SIZE, &vm, &err);

	if (p == NULL) {
		return err;
	}
	if (vm->vm_status == RM_VM_STATUS_RUNNING || vm->vm_status == RM_VM_STATUS_READY ||
	    p->is_built) {
		return RM_ERROR_VM_STATE;
	}
	*p = (struct peer_vm){0};
	rm_vm_remove(call->rpc->vms, vm);
	call->reply_len = 0;
	return RM_OK;
}

/* hyp/rm/vm_state.c: the RM's VM table and the VM_STATUS / VM_EXITED notifications to owners. */
#include "vm_state.h"

#include "rm_abi.h"
#include "rpc.h"

#define RM_VM_STATUS_SIZE       8U
#define RM_VM_EXITED_HDR_SIZE   8U
#define RM_VM_EXITED_REASON_MAX 64U

void rm_vms_init(struct rm_vms *vms)
{
	struct rm_vms zero = {0};

	*vms = zero;
	vms->console_last_vmid = RM_VMID_RM;
}

struct rm_vm *rm_vm_lookup(struct rm_vms *vms, uint16_t vmid)
{
	for (size_t i = 0; i < RM_VM_MAX; i++) {
		if (vms->vm[i].is_used && vms->vm[i].vmid == vmid) {
			return &vms->vm[i];
		}
	}
	return NULL;
}

struct rm_vm *rm_vm_add(struct rm_vms *vms, uint16_t vmid, uint16_t owner_vmid)
{
	struct rm_vm zero = {0};

	if (rm_vm_lookup(vms, vmid) != NULL) {
		return NULL;
	}
	for (size_t i = 0; i < RM_VM_MAX; i++) {
		struct rm_vm *vm = &vms->vm[i];

		if (!vm->is_used) {
			*vm = zero;
			vm->is_used = true;
			vm->vmid = vmid;
			vm->owner_vmid = owner_vmid;
			return vm;
		}
	}
	return NULL;
}

void rm_vm_remove(struct rm_vms *vms, struct rm_vm *vm)
{
	struct rm_vm zero = {0};

	if (vms->console_last_vmid == vm->vmid) {
		vms->console_last_vmid = RM_VMID_RM;
	}
	*vm = zero;
}

bool rm_vm_add_resource(struct rm_vm *vm, const struct rm_resource *res)
{
	if (vm->n_resources >= RM_VM_MAX_RESOURCES) {
		return false;
	}
	vm->resources[vm->n_resources++] = *res;
	return true;
}

/* The owner's channel, when the owner is a VM with one (the RM owns the primary VM). */
static struct rm_rpc *rm_vm_owner_rpc(struct rm_vms *vms, const struct rm_vm *vm)
{
	struct rm_vm *owner;

	if (vm->owner_vmid == RM_VMID_RM || vm->owner_vmid == vm->vmid) {
		return NULL;
	}
	owner = rm_vm_lookup(vms, vm->owner_vmid);
	return owner != NULL ? owner->rpc : NULL;
}

void rm_vm_notify_status(struct rm_vms *vms, const struct rm_vm *vm)
{
	struct rm_rpc *to = rm_vm_owner_rpc(vms, vm);
	uint8_t msg[RM_VM_STATUS_SIZE];

	if (to == NULL) {
		return;
	}
	rm_rpc_put16(msg, vm->vmid);
	rm_rpc_put16(msg + 2, 0);
	msg[4] = vm->vm_status;
	msg[5] = vm->os_status;
	rm_rpc_put16(msg + 6, vm->app_status);
	(void)rm_rpc_notify(to, RM_NOTIFY_VM_STATUS, msg, sizeof(msg));
}

void rm_vm_set_status(struct rm_vms *vms, struct rm_vm *vm, uint8_t vm_status)
{
	vm->vm_status = vm_status;
	rm_vm_notify_status(vms, vm);
}

void rm_vm_notify_exited(struct rm_vms *vms, const struct rm_vm *vm, uint16_t exit_type,
                         const uint8_t *reason, uint32_t reason_len)
{
	struct rm_rpc *to = rm_vm_owner_rpc(vms, vm);
	uint8_t msg[RM_VM_EXITED_HDR_SIZE + RM_VM_EXITED_REASON_MAX];

	if (to == NULL) {
		return;
	}
	if (reason_len > RM_VM_EXITED_REASON_MAX) {
		reason_len = RM_VM_EXITED_REASON_MAX;
	}
	rm_rpc_put16(msg, vm->vmid);
	rm_rpc_put16(msg + 2, exit_type);
	rm_rpc_put32(msg + 4, reason_len);
	for (uint32_t i = 0; i < reason_len; i++) {
		msg[RM_VM_EXITED_HDR_SIZE + i] = reason[i];
	}
	(void)rm_rpc_notify(to, RM_NOTIFY_VM_EXITED, msg, RM_VM_EXITED_HDR_SIZE + reason_len);
}

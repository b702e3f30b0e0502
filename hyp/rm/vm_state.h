/* hyp/rm/vm_state.h: the RM's table of VMs as RPC sees them: VMID, owner, status words, console
 * flags, the resources VM_GET_HYP_RESOURCES reports, and the RPC channel to each VM. Pure
 * bookkeeping (no hypercalls): the lifecycle handlers that need hypercalls (rmboot) keep their
 * caps in `priv` and report state changes through rm_vm_set_status / rm_vm_exited. */
#ifndef RM_VM_STATE_H
#define RM_VM_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rm_rpc;

#define RM_VM_MAX           8U  /* the RM, the primary VM and peers */
#define RM_VM_MAX_RESOURCES 16U /* entries of one VM's VM_GET_HYP_RESOURCES */
#define RM_RES_ENTRY_SIZE                                                                          \
	44U /* one entry on the wire: §6 says 40, its own field list sums to 44                   \
	     */

/* One VM_GET_HYP_RESOURCES entry (§6 layout; encoded little-endian on the wire). */
struct rm_resource {
	uint8_t type; /* RM_RES_* */
	uint16_t partner_vmid;
	uint32_t resource_handle;
	uint32_t resource_label;
	uint64_t cap_id; /* a cap in the owning VM's own cspace */
	uint32_t virq_handle;
	uint32_t virq; /* the GIC INTID the VM sees, 0 for none */
	uint64_t base;
	uint64_t size;
};

struct rm_vm {
	bool is_used;
	uint16_t vmid;
	uint16_t owner_vmid; /* RM_VMID_RM for the primary VM */
	uint8_t vm_status;   /* RM_VM_STATUS_* */
	uint8_t os_status;   /* RM_OS_STATUS_* */
	uint16_t app_status;
	bool is_console_self_open;  /* the VM opened its own console (target 0) */
	bool is_console_owner_open; /* its owner opened it (target = this VMID) */
	bool is_console_mid_line;   /* its last UART output did not end a line */
	uint32_t n_resources;
	struct rm_resource resources[RM_VM_MAX_RESOURCES];
	struct rm_rpc *rpc; /* the channel to this VM, NULL when it has none */
	void *priv;         /* the lifecycle code's own per-VM data (caps) */
};

struct rm_vms {
	struct rm_vm vm[RM_VM_MAX];
	uint16_t console_last_vmid; /* the VM whose bytes the UART printed last */
};

void rm_vms_init(struct rm_vms *vms);
/* The entry of vmid, or NULL. */
struct rm_vm *rm_vm_lookup(struct rm_vms *vms, uint16_t vmid);
/* A new entry (status NONE, no resources), or NULL when vmid is taken or the table is full. */
struct rm_vm *rm_vm_add(struct rm_vms *vms, uint16_t vmid, uint16_t owner_vmid);
/* Frees the entry (its channel, if any, stays the caller's). */
void rm_vm_remove(struct rm_vms *vms, struct rm_vm *vm);
/* Appends a resource entry; false when the VM's list is full. */
bool rm_vm_add_resource(struct rm_vm *vm, const struct rm_resource *res);

/* Sets vm_status and sends VM_STATUS {vmid, 0, vm_status, os_status, app_status} to the VM's
 * owner when the owner has a channel. */
void rm_vm_set_status(struct rm_vms *vms, struct rm_vm *vm, uint8_t vm_status);
/* Sends the current status words to the owner (after os/app changes). */
void rm_vm_notify_status(struct rm_vms *vms, const struct rm_vm *vm);
/* Sends VM_EXITED {vmid, exit_type, reason_len, reason} to the VM's owner when it has a
 * channel (reason_len <= 64). */
void rm_vm_notify_exited(struct rm_vms *vms, const struct rm_vm *vm, uint16_t exit_type,
                         const uint8_t *reason, uint32_t reason_len);

#endif

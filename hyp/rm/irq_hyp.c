/* hyp/rm/irq_hyp.c: VIRQ lending's hypervisor side in the RM image (struct rm_irq_ops). The RM
 * holds the hwirq objects (caps in its cspace) of the hardware IRQs it gave a VM (primary.c: the
 * PL061's SPI, the primary VM's), and moves each between VMs' VICs with hwirq_bind_virq /
 * hwirq_unbind_virq: unbound from the owner at lend, bound to the borrower at accept, unbound at
 * release, bound back to the owner at reclaim. Which VM has which VIC is the RM's own table
 * (rm_vm.priv: the primary's struct primary_vm, a peer's struct peer_vm once VM_INIT built it). */
#include "irq_hyp.h"

#include "hvc.h"
#include "irq_lend.h"
#include "peer.h"
#include "primary.h"
#include "rm_abi.h"
#include "rpc.h"
#include "vm_state.h"

#define RM_IRQ_HWIRQS_MAX 4U
#define RM_IRQ_NOT_BOUND  0U /* bound_vmid: no VIC has it */

/* A hardware IRQ the RM gave a VM: its owner's VIRQ, and where it is bound now. */
struct rm_hwirq {
	uint64_t cap; /* the hwirq object, in the RM's cspace; 0: free slot */
	uint16_t owner;
	uint32_t owner_virq;
	uint16_t bound_vmid; /* RM_IRQ_NOT_BOUND while lent and not accepted */
	uint32_t bound_virq;
};

static struct {
	struct rm_vms *vms;
	struct rm_hwirq hwirq[RM_IRQ_HWIRQS_MAX];
} rm_irq_hyp;

static struct rm_irq rm_irq_state;

static struct rm_hwirq *hwirq_of(uint16_t owner, uint32_t owner_virq)
{
	for (unsigned i = 0; i < RM_IRQ_HWIRQS_MAX; i++) {
		struct rm_hwirq *h = &rm_irq_hyp.hwirq[i];

		if (h->cap != 0 && h->owner == owner && h->owner_virq == owner_virq) {
			return h;
		}
	}
	return NULL;
}

/* The VIC of vmid (a cap in the RM's cspace), 0 when it has none (yet). */
static uint64_t vic_of(uint16_t vmid)
{
	const struct rm_vm *vm = rm_vm_lookup(rm_irq_hyp.vms, vmid);

	if (vm == NULL || vm->priv == NULL) {
		return 0;
	}
	if (vmid == PRIMARY_VMID) {
		return ((const struct primary_vm *)vm->priv)->vic;
	}
	const struct peer_vm *p = vm->priv;
	return p->is_built ? p->vic : 0;
}

static bool op_vm_exists(void *ctx, uint16_t vmid)
{
	return vmid != RM_VMID_RM && rm_vm_lookup(ctx, vmid) != NULL;
}

static uint32_t op_owns(void *ctx, uint16_t vmid, uint32_t virq)
{
	const struct rm_hwirq *h = hwirq_of(vmid, virq);

	if (!op_vm_exists(ctx, vmid)) {
		return RM_ERROR_VMID_INVALID;
	}
	/* Its own and bound in it: not lent out (irq_lend.c refuses a second lend first). */
	return h != NULL && h->bound_vmid == vmid ? RM_OK : RM_ERROR_IRQ_NOT_MAPPED;
}

/* What the RM bound at virq of vmid: a hardware IRQ, or one of the VM's RPC queue VIRQs (its
 * resource entries). Anything else the hypervisor's bind refuses (BUSY, VIRQ_BOUND). */
static bool op_is_virq_used(void *ctx, uint16_t vmid, uint32_t virq)
{
	const struct rm_vm *vm = rm_vm_lookup(ctx, vmid);

	for (unsigned i = 0; i < RM_IRQ_HWIRQS_MAX; i++) {
		const struct rm_hwirq *h = &rm_irq_hyp.hwirq[i];

		if (h->cap != 0 && h->bound_vmid == vmid && h->bound_virq == virq) {
			return true;
		}
	}
	for (uint32_t i = 0; vm != NULL && i < vm->n_resources; i++) {
		if (vm->resources[i].virq == virq) {
			return true;
		}
	}
	return false;
}

/* The hypervisor's answer as an RM error (§6: hypervisor -> RM error mapping, where a VIRQ taken
 * is the lending call's IRQ_INUSE). */
static uint32_t rm_error_of_bind(uint64_t err)
{
	switch (err) {
	case HVC_OK:
		return RM_OK;
	case HVC_ERROR_ARGUMENT:
		return RM_ERROR_ARGUMENT_INVALID;
	case HVC_ERROR_BUSY:
	case HVC_ERROR_VIRQ_BOUND:
		return RM_ERROR_IRQ_INUSE;
	default:
		return RM_ERROR_DENIED;
	}
}

static uint32_t op_bind(void *ctx, uint16_t owner, uint32_t owner_virq, uint16_t vmid,
                        uint32_t virq)
{
	struct rm_hwirq *h = hwirq_of(owner, owner_virq);
	uint64_t vic = vic_of(vmid);
	uint32_t err;

	(void)ctx;
	if (h == NULL || h->bound_vmid != RM_IRQ_NOT_BOUND) {
		return RM_ERROR_IRQ_INUSE;
	}
	if (vic == 0) {
		return RM_ERROR_VM_STATE; /* no VIC yet: not built (VM_INIT) */
	}
	err = rm_error_of_bind(hvc_err(HVC_HWIRQ_BIND_VIRQ, h->cap, vic, virq));
	if (err == RM_OK) {
		h->bound_vmid = vmid;
		h->bound_virq = virq;
	}
	return err;
}

static uint32_t op_unbind(void *ctx, uint16_t owner, uint32_t owner_virq)
{
	struct rm_hwirq *h = hwirq_of(owner, owner_virq);

	(void)ctx;
	if (h == NULL) {
		return RM_ERROR_IRQ_NOT_MAPPED;
	}
	if (hvc_err(HVC_HWIRQ_UNBIND_VIRQ, h->cap, 0, 0) != HVC_OK) {
		return RM_ERROR_DENIED;
	}
	h->bound_vmid = RM_IRQ_NOT_BOUND;
	h->bound_virq = 0;
	return RM_OK;
}

static void op_notify(void *ctx, uint16_t vmid, uint32_t msg_id, const uint8_t *payload, size_t len)
{
	struct rm_vm *vm = rm_vm_lookup(ctx, vmid);
	if (vm != NULL && vm->rpc != NULL) {
		(void)rm_rpc_notify(vm->rpc, msg_id, payload, len);
	}
}

static const struct rm_irq_ops rm_irq_hyp_ops = {
    .owns = op_owns,
    .is_virq_used = op_is_virq_used,
    .bind = op_bind,
    .unbind = op_unbind,
    .vm_exists = op_vm_exists,
    .notify = op_notify,
};

bool rm_irq_give(uint64_t hwirq_cap, uint16_t owner, uint32_t virq)
{
	for (unsigned i = 0; i < RM_IRQ_HWIRQS_MAX; i++) {
		struct rm_hwirq *h = &rm_irq_hyp.hwirq[i];

		if (h->cap == 0) {
			*h = (struct rm_hwirq){
			    .cap = hwirq_cap,
			    .owner = owner,
			    .owner_virq = virq,
			    .bound_vmid = owner,
			    .bound_virq = virq,
			};
			return true;
		}
	}
	return false;
}

void rm_irq_forget_vm(uint16_t vmid)
{
	if (rm_irq_hyp.vms != NULL) {
		rm_irq_vm_gone(&rm_irq_state, vmid);
	}
}

void rm_irq_start(struct rm_vms *vms)
{
	rm_irq_hyp.vms = vms;
	rm_irq_init(&rm_irq_state, &rm_irq_hyp_ops, vms);
	rm_irq_rpc_attach(&rm_irq_state);
}

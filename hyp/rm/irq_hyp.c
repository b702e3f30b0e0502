/* hyp/rm/irq_hyp.c: VIRQ lending's hypervisor side in the RM image. No VM is given a hardware IRQ
 * yet (the hypervisor delivers hwirq SPIs to the boot VM only), so no VM owns a VIRQ it could lend:
 * every lend is IRQ_NOT_MAPPED, and the rest of the state machine answers its own checks. Binding
 * (hwirq_bind_virq / hwirq_unbind_virq) comes with the first hardware IRQ a VM owns. */
#include "irq_hyp.h"

#include "irq_lend.h"
#include "rm_abi.h"
#include "rpc.h"
#include "vm_state.h"

static struct rm_irq rm_irq_state;

static bool op_vm_exists(void *ctx, uint16_t vmid)
{
	return vmid != RM_VMID_RM && rm_vm_lookup(ctx, vmid) != NULL;
}

static uint32_t op_owns(void *ctx, uint16_t vmid, uint32_t virq)
{
	(void)virq;
	return op_vm_exists(ctx, vmid) ? RM_ERROR_IRQ_NOT_MAPPED : RM_ERROR_VMID_INVALID;
}

static bool op_is_virq_used(void *ctx, uint16_t vmid, uint32_t virq)
{
	(void)ctx;
	(void)vmid;
	(void)virq;
	return false;
}

static uint32_t op_bind(void *ctx, uint16_t owner, uint32_t owner_virq, uint16_t vmid,
                        uint32_t virq)
{
	(void)ctx;
	(void)owner;
	(void)owner_virq;
	(void)vmid;
	(void)virq;
	return RM_ERROR_DENIED;
}

static uint32_t op_unbind(void *ctx, uint16_t owner, uint32_t owner_virq)
{
	(void)ctx;
	(void)owner;
	(void)owner_virq;
	return RM_ERROR_DENIED;
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

void rm_irq_start(struct rm_vms *vms)
{
	rm_irq_init(&rm_irq_state, &rm_irq_hyp_ops, vms);
	rm_irq_rpc_attach(&rm_irq_state);
}

/* hyp/rm/irq_hyp.h: the hypervisor side of VIRQ lending in the RM image (struct rm_irq_ops). */
#ifndef RM_IRQ_HYP_H
#define RM_IRQ_HYP_H

#include <stdbool.h>
#include <stdint.h>

struct rm_vms;

/* Records a hardware IRQ the RM bound to owner's VIC at virq (hwirq_cap: the hwirq object in the
 * RM's cspace): the owner may lend it from now on. False when the table is full. */
bool rm_irq_give(uint64_t hwirq_cap, uint16_t owner, uint32_t virq);

/* vmid is being torn down, its VIC still there: its loans undone (irq_lend.h rm_irq_vm_gone). */
void rm_irq_forget_vm(uint16_t vmid);

/* Serves VM_IRQ_* from now on (the loan table attached to the handlers). */
void rm_irq_start(struct rm_vms *vms);

#endif

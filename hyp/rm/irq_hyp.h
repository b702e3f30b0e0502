/* hyp/rm/irq_hyp.h: the hypervisor side of VIRQ lending in the RM image (struct rm_irq_ops). */
#ifndef RM_IRQ_HYP_H
#define RM_IRQ_HYP_H

struct rm_vms;

/* Serves VM_IRQ_* from now on (the loan table attached to the handlers). */
void rm_irq_start(struct rm_vms *vms);

#endif

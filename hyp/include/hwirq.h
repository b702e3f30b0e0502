/* hwirq: a physical interrupt (SPI) that can be handed to a VM as one of its VIC's VIRQs. No create
 * call: the hypervisor makes them at boot for the devices it passes through. */
#ifndef HWIRQ_H
#define HWIRQ_H

#include "object.h"
#include "virq.h"

struct hwirq {
	struct object hdr;
	uint32_t pintid;           /* the physical INTID */
	struct virq_source source; /* the VIRQ it raises while bound */
};

struct virq_source *hwirq_source(struct object *obj);

extern const struct obj_ops hwirq_ops;

/* The arch layer: @hwirq was bound (forward its physical SPI into the VIRQ) or unbound (mask it).
 */
void arch_hwirq_bound(struct hwirq *hwirq, bool is_bound);

#endif

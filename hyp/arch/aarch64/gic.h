/* gic: the physical GICv3 and the virtual CPU interface (ICH_*) as the rest of arch sees them. */
#ifndef GIC_H
#define GIC_H

#include "machine.h"

#define GIC_INTID_SPURIOUS 1020

/* Enables or disables a PPI/SGI of this CPU at the physical redistributor. */
void gic_ppi_enable(uint32_t intid, bool enable);

/* Puts a pending virtual interrupt into a free list register; false if none is free. hw: the
 * guest's deactivation also deactivates physical INTID pintid. */
bool gic_lr_inject(uint32_t vintid, bool hw, uint32_t pintid, uint8_t priority);

#endif

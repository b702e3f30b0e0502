/* gic: the physical GICv3 and the virtual CPU interface (ICH_*) as the rest of arch sees them. */
#ifndef GIC_H
#define GIC_H

#include "machine.h"

#define GIC_INTID_SPURIOUS 1020

/* Enables or disables a PPI/SGI of this CPU at the physical redistributor. */
void gic_ppi_enable(uint32_t intid, bool enable);

/* Enables or disables an SPI at the physical distributor (routed to the boot CPU, group 1). */
void gic_spi_enable(uint32_t intid, bool enable);

/* List register n (< 16; ICH_VTR_EL2 says how many exist) of this CPU's virtual interface. */
uint64_t gic_lr_read(unsigned n);
void gic_lr_write(unsigned n, uint64_t v);

#endif

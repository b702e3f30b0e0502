/* gic: the RM's side of its virtual GICv3 (distributor, redistributor, ICC_* registers): just
 * enough to be woken from WFI by the SPIs its message queues are bound to. */
#ifndef RM_GIC_H
#define RM_GIC_H

#include <stdint.h>

#define GIC_SPURIOUS 1023U

/* Distributor and this vCPU's redistributor (the addresses of the RM's boot DT). */
void gic_init(uint64_t gicd, uint64_t gicr);
/* SPI @intid: group 1, priority 0x80, routed to this vCPU, level, enabled. */
void gic_enable_spi(uint32_t intid);
/* SPI @intid disabled: no longer wakes the RM. */
void gic_disable_spi(uint32_t intid);
/* Acknowledges and ends the highest pending interrupt: its INTID, or GIC_SPURIOUS for none. */
uint32_t gic_ack(void);

#endif

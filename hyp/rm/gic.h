/* gic: the RM's side of its virtual GIC (GICv3: distributor, redistributor, ICC_* registers;
 * GICv2: distributor and the memory-mapped CPU interface): just enough to be woken from WFI by the
 * SPIs its message queues are bound to. */
#ifndef RM_GIC_H
#define RM_GIC_H

#include <stdint.h>

#define GIC_SPURIOUS 1023U

struct rm_boot_info;

/* The GIC the RM's boot DT names (its version, distributor, redistributor or CPU interface). */
void gic_init(const struct rm_boot_info *boot);
/* SPI @intid: group 1, priority 0x80, routed to this vCPU (IROUTER, or ITARGETSR on GICv2), level,
 * enabled. */
void gic_enable_spi(uint32_t intid);
/* SPI @intid disabled: no longer wakes the RM. */
void gic_disable_spi(uint32_t intid);
/* Acknowledges and ends the highest pending interrupt: its INTID, or GIC_SPURIOUS for none. */
uint32_t gic_ack(void);

#endif

/* The per-test time limit: the EL1 virtual timer interrupting through the GICv3. */
#ifndef HUMPY_TLIMIT_H
#define HUMPY_TLIMIT_H

#include <humpy/plat.h>

/*
 * Sets up the distributor, this CPU's redistributor and CPU interface, then proves a first expiry
 * arrives as an interrupt; false (after a SETUP_ERROR timer or vgic line) if any step fails.
 */
bool tlimit_init(const struct plat *p);
bool tlimit_available(void);
/* This CPU's redistributor as tlimit_init found it (0 before); irq.c uses it for PPIs. */
u64 tlimit_gicr(void);
void tlimit_arm(u32 ms);
void tlimit_disarm(void);
/* From the IRQ/FIQ vector: acknowledges; on the timer, ends the running test with ERROR. */
void tlimit_irq(bool fiq);

#endif

/* The guest's interrupt layer: per-INTID GICv3 set-up and a count of every interrupt taken. */
#ifndef HUMPY_IRQ_H
#define HUMPY_IRQ_H

#include <humpy/types.h>

#define IRQ_SPI_BASE     32
#define IRQ_INTID_LIMIT  1020 /* 1020..1023 are special INTIDs */
#define IRQ_PRIO_DEFAULT 0xa0 /* below the time limit's timer (reset priority 0) */

/*
 * The distributor, redistributor and CPU interface are those the time limit set up (tlimit.c);
 * irq_ready() is false when it could not. Every INTID a test enables is taken "one-shot": the
 * handler acknowledges it (ICC_IAR1_EL1), counts it, disables it at the distributor/redistributor
 * and EOIs it, so a level source whose condition still holds is taken again only after the test
 * calls irq_enable() again.
 */
bool irq_ready(void);
/* Group 1, priority IRQ_PRIO_DEFAULT, level (edge when asked), routed to this CPU, then enabled. */
bool irq_enable(u32 intid);
bool irq_set_edge(u32 intid, bool edge);
bool irq_set_priority(u32 intid, u8 prio);
/*
 * The handler only acknowledges and EOIs intid, without touching the distributor (until the next
 * irq_reset): for edge sources, so taking them traps to the hypervisor for nothing but the EOI.
 */
void irq_keep_enabled(u32 intid);
/* Disabled and its pending state cleared. */
void irq_disable(u32 intid);
/* Makes intid pending by software (GICD_ISPENDR / GICR_ISPENDR0). */
bool irq_raise(u32 intid);
/* GICD/GICR I{S,C}PENDR state as the (virtual) distributor reports it; false if unreadable. */
bool irq_pending(u32 intid, bool *pending);

/* What the handler took since the last irq_reset(). */
u32 irq_count(u32 intid);
u32 irq_total(void);
u32 irq_last(void);
/* The i-th INTID taken since the reset (i < IRQ_ORDER_MAX), IRQ_INTID_LIMIT if none. */
#define IRQ_ORDER_MAX 32
u32 irq_order(u32 i);
/* Waits until intid was taken at least `times` times or `ms` passed; true if it was. */
bool irq_wait(u32 intid, u32 times, u32 ms);
/* Lets interrupts that are on their way arrive: a bounded pause with IRQs unmasked. */
void irq_settle(u32 ms);
/* Disables every INTID enabled since the last reset, clears their pending state and the counts. */
void irq_reset(void);

/*
 * This vCPU's GIC CPU interface, whichever version the DT gave (GICv3: the ICC_* system registers;
 * GICv2: the memory-mapped GICC, plat.gicc). irq_cpu_enable: priority mask open, both groups on
 * (GICv2: AckCtl, so IAR acknowledges group 1 too). irq_ack: the acknowledged INTID (>= 1020:
 * none; on GICv2 an SGI's source CPU in bits 12:10), to give back unchanged to irq_eoi.
 * irq_highest_pending: the INTID HPPIR names.
 */
void irq_cpu_enable(void);
u32 irq_ack(void);
void irq_eoi(u32 iar);
u32 irq_highest_pending(void);

/* Bench: PMCCNTR_EL0 as irq_taken found it on entry, for the last interrupt taken. */
void irq_stamp_enable(bool on);
u64 irq_stamp(void);

/* From the IRQ handler (tlimit_irq), between acknowledge and EOI, for every INTID but the timer. */
void irq_taken(u32 intid);

#endif

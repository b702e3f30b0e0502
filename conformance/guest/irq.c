/* Guest interrupt layer: per-INTID GICv3 distributor/redistributor set-up and the handler counts.
 */
#include <humpy/arch.h>
#include <humpy/exc.h>
#include <humpy/irq.h>
#include <humpy/plat.h>
#include <humpy/tlimit.h>

/* Distributor (SPIs) and the redistributor's SGI frame (SGIs, PPIs) share these offsets. */
#define GIC_IGROUPR    0x0080
#define GIC_ISENABLER  0x0100
#define GIC_ICENABLER  0x0180
#define GIC_ISPENDR    0x0200
#define GIC_ICPENDR    0x0280
#define GIC_IPRIORITYR 0x0400
#define GIC_ICFGR      0x0c00
#define GICD_IROUTER   0x6000
#define GICD_ITARGETSR 0x0800
#define GICR_SGI_FRAME 0x10000

/* GICv2 CPU interface (GICC). */
#define GICC_CTLR    0x0000
#define GICC_PMR     0x0004
#define GICC_IAR     0x000c
#define GICC_EOIR    0x0010
#define GICC_HPPIR   0x0018
#define GICC_CTLR_EN 0x7    /* EnableGrp0, EnableGrp1, AckCtl */
#define GICC_IAR_ID  0x1fff /* INTID 9:0, an SGI's CPUID 12:10 */

#define IRQ_WORDS (IRQ_INTID_LIMIT / 32 + 1)

static struct {
	volatile u32 count[IRQ_INTID_LIMIT];
	volatile u32 total;
	volatile u32 last;
	volatile u32 order[IRQ_ORDER_MAX]; /* the first INTIDs taken, in order */
	u32 enabled[IRQ_WORDS]; /* INTIDs enabled or configured since the last reset, to undo */
	u32 keep_on[IRQ_WORDS]; /* INTIDs the handler leaves enabled (not one-shot) */
	bool stamping;          /* bench: read the PMU cycle counter on entry */
	volatile u64 stamp;
} irq;

bool irq_ready(void)
{
	return tlimit_available() && (plat.gic_version == 2 || tlimit_gicr() != 0);
}

/* The frame holding intid's registers: the distributor for SPIs, this CPU's SGI frame otherwise
 * (GICv2: the distributor's banked registers). */
static u64 irq_frame(u32 intid)
{
	if (plat.gic_version == 2)
		return plat.gicd;
	return intid < IRQ_SPI_BASE ? tlimit_gicr() + GICR_SGI_FRAME : plat.gicd;
}

/* Sets (or clears) intid's bit in a 1-bit-per-INTID register bank. */
static bool irq_bit_write(u32 bank, u32 intid)
{
	return probe_try_write32(irq_frame(intid) + bank + 4 * (intid / 32), 1U << (intid % 32));
}

static bool irq_field_update(u32 reg, u32 shift, u32 width, u32 value)
{
	u32 mask = ((1U << width) - 1) << shift;
	u32 v;

	if (!probe_try_read32(reg, &v))
		return false;
	return probe_try_write32(reg, (v & ~mask) | ((value << shift) & mask));
}

bool irq_set_priority(u32 intid, u8 prio)
{
	if (intid >= IRQ_INTID_LIMIT)
		return false;
	/* Word accesses: byte access to IPRIORITYR is optional in an emulated distributor. */
	return irq_field_update(irq_frame(intid) + GIC_IPRIORITYR + (intid & ~3U), 8 * (intid % 4),
	                        8, prio);
}

bool irq_set_edge(u32 intid, bool edge)
{
	if (intid >= IRQ_INTID_LIMIT)
		return false;
	irq.enabled[intid / 32] |= 1U << (intid % 32); /* irq_reset puts it back to level */
	return irq_field_update(irq_frame(intid) + GIC_ICFGR + 4 * (intid / 16),
	                        2 * (intid % 16) + 1, 1, edge ? 1 : 0);
}

bool irq_enable(u32 intid)
{
	u64 mpidr = sysreg_read(mpidr_el1);

	if (!irq_ready() || intid >= IRQ_INTID_LIMIT)
		return false;
	if (!irq_field_update(irq_frame(intid) + GIC_IGROUPR + 4 * (intid / 32), intid % 32, 1,
	                      1) ||
	    !irq_set_priority(intid, IRQ_PRIO_DEFAULT))
		return false;
	/* GICv2: ITARGETSR, one byte per INTID: CPU interface 0 (the guest's only CPU). */
	if (intid >= IRQ_SPI_BASE && plat.gic_version == 2 &&
	    !irq_field_update(plat.gicd + GICD_ITARGETSR + (intid & ~3U), 8 * (intid % 4), 8, 1))
		return false;
	/* IROUTER: IRM 0, this CPU's Aff2.Aff1.Aff0 in the low word, Aff3 in the high word. */
	if (intid >= IRQ_SPI_BASE && plat.gic_version != 2 &&
	    (!probe_try_write32(plat.gicd + GICD_IROUTER + 8 * intid, (u32)(mpidr & 0xffffff)) ||
	     !probe_try_write32(plat.gicd + GICD_IROUTER + 8 * intid + 4,
	                        (u32)(mpidr >> 32) & 0xff)))
		return false;
	irq.enabled[intid / 32] |= 1U << (intid % 32);
	dsb(sy);
	return irq_bit_write(GIC_ISENABLER, intid);
}

void irq_keep_enabled(u32 intid)
{
	if (intid < IRQ_INTID_LIMIT)
		irq.keep_on[intid / 32] |= 1U << (intid % 32);
}

void irq_disable(u32 intid)
{
	if (!irq_ready() || intid >= IRQ_INTID_LIMIT)
		return;
	irq_bit_write(GIC_ICENABLER, intid);
	irq_bit_write(GIC_ICPENDR, intid);
}

bool irq_raise(u32 intid)
{
	if (!irq_ready() || intid >= IRQ_INTID_LIMIT)
		return false;
	return irq_bit_write(GIC_ISPENDR, intid);
}

bool irq_pending(u32 intid, bool *pending)
{
	u32 v;

	if (!irq_ready() || intid >= IRQ_INTID_LIMIT ||
	    !probe_try_read32(irq_frame(intid) + GIC_ISPENDR + 4 * (intid / 32), &v))
		return false;
	*pending = (v >> (intid % 32)) & 1;
	return true;
}

u32 irq_count(u32 intid)
{
	return intid < IRQ_INTID_LIMIT ? irq.count[intid] : 0;
}

u32 irq_total(void)
{
	return irq.total;
}

u32 irq_last(void)
{
	return irq.last;
}

u32 irq_order(u32 i)
{
	return i < IRQ_ORDER_MAX && i < irq.total ? irq.order[i] : IRQ_INTID_LIMIT;
}

bool irq_wait(u32 intid, u32 times, u32 ms)
{
	u64 end = timer_now() + timer_freq() / 1000 * ms;

	while (irq_count(intid) < times) {
		if (timer_now() >= end)
			return false;
	}
	return true;
}

void irq_settle(u32 ms)
{
	u64 end = timer_now() + timer_freq() / 1000 * ms;

	while (timer_now() < end)
		;
}

void irq_reset(void)
{
	u32 w, b;

	for (w = 0; w < IRQ_WORDS; w++) {
		for (b = 0; b < 32; b++) {
			if (irq.enabled[w] & (1U << b)) {
				irq_disable(w * 32 + b);
				irq_set_edge(w * 32 + b, false);
				irq_set_priority(w * 32 + b, IRQ_PRIO_DEFAULT);
			}
		}
		irq.enabled[w] = 0;
		irq.keep_on[w] = 0;
	}
	for (w = 0; w < IRQ_INTID_LIMIT; w++)
		irq.count[w] = 0;
	irq.total = 0;
	irq.last = IRQ_INTID_LIMIT;
}

void irq_stamp_enable(bool on)
{
	irq.stamping = on;
}

u64 irq_stamp(void)
{
	return irq.stamp;
}

void irq_taken(u32 intid)
{
	if (irq.stamping)
		irq.stamp = sysreg_read(pmccntr_el0);
	if (intid >= IRQ_INTID_LIMIT)
		return;
	if (irq.total < IRQ_ORDER_MAX)
		irq.order[irq.total] = intid;
	irq.count[intid]++;
	irq.total++;
	irq.last = intid;
	if (irq.keep_on[intid / 32] & (1U << (intid % 32)))
		return;
	/*
	 * One-shot: a level source still asserted must not be taken again as soon as it is EOIed.
	 * A plain store, not a probe: the interrupted code may be inside its own expected fault.
	 */
	mmio_write32(irq_frame(intid) + GIC_ICENABLER + 4 * (intid / 32), 1U << (intid % 32));
	dsb(sy);
}

void irq_cpu_enable(void)
{
	if (plat.gic_version == 2) {
		mmio_write32(plat.gicc + GICC_PMR, 0xff);
		mmio_write32(plat.gicc + GICC_CTLR, GICC_CTLR_EN);
		dsb(sy);
		return;
	}
	sysreg_write(icc_sre_el1, 7);
	isb();
	sysreg_write(icc_pmr_el1, 0xff);
	sysreg_write(icc_igrpen1_el1, 1);
	isb();
}

u32 irq_ack(void)
{
	if (plat.gic_version == 2)
		return mmio_read32(plat.gicc + GICC_IAR) & GICC_IAR_ID;
	return (u32)sysreg_read(icc_iar1_el1) & 0xffffff;
}

void irq_eoi(u32 iar)
{
	if (plat.gic_version == 2) {
		mmio_write32(plat.gicc + GICC_EOIR, iar);
		dsb(sy);
		return;
	}
	sysreg_write(icc_eoir1_el1, iar);
	isb();
}

u32 irq_highest_pending(void)
{
	if (plat.gic_version == 2)
		return mmio_read32(plat.gicc + GICC_HPPIR) & 0x3ff;
	return (u32)sysreg_read(icc_hppir1_el1) & 0xffffff;
}

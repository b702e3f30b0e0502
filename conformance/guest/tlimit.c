/* Per-test time limit: CNTV_CVAL/CTL plus the minimum of GICv3 set-up to take its PPI. */
#include <humpy/arch.h>
#include <humpy/exc.h>
#include <humpy/irq.h>
#include <humpy/plat.h>
#include <humpy/runner.h>
#include <humpy/setup.h>
#include <humpy/tlimit.h>

#define GICD_CTLR         0x0000
#define GICD_CTLR_RWP     (1U << 31)
#define GICD_CTLR_ARE     (1U << 4)
#define GICD_CTLR_GRP1    (1U << 1)
#define GICD_CTLR_GRP0    (1U << 0)
#define GICR_TYPER        0x0008
#define GICR_TYPER_VLPIS  (1U << 1)
#define GICR_TYPER_LAST   (1U << 4)
#define GICR_WAKER        0x0014
#define GICR_WAKER_SLEEP  (1U << 1)
#define GICR_WAKER_ASLEEP (1U << 2)
#define GICR_SGI_FRAME    0x10000
#define GICR_IGROUPR0     (GICR_SGI_FRAME + 0x0080)
#define GICR_ISENABLER0   (GICR_SGI_FRAME + 0x0100)
#define GICR_FRAME_STRIDE 0x20000
#define GIC_SPURIOUS      1020 /* INTIDs 1020..1023 are special */
#define GIC_SPIN_MAX      100000

#define CNTV_CTL_ENABLE  (1ULL << 0)
#define CNTV_CTL_IMASK   (1ULL << 1)
#define CNTV_CTL_ISTATUS (1ULL << 2)

#define ICC_SRE_SRE_DFB_DIB 0x7

/* GICv2: the distributor's banked SGI/PPI registers and the memory-mapped CPU interface. */
#define GICD_IGROUPR0   0x0080
#define GICD_ISENABLER0 0x0100
#define GICC_CTLR       0x0000
#define GICC_PMR        0x0004
#define GICC_BPR        0x0008
#define GICC_IAR        0x000c
#define GICC_EOIR       0x0010
#define GICC_CTLR_EN    0x3       /* EnableGrp0, EnableGrp1: both signalled as IRQ */
#define GICC_CTLR_ACK   (1U << 2) /* AckCtl: IAR acknowledges group 1 too */
#define GICC_IAR_ID     0x3ff

/* The set-up check: the first expiry must arrive within this, or the time limit cannot work. */
#define TLIMIT_CHECK_ARM_MS  1
#define TLIMIT_CHECK_WAIT_MS 200

static struct {
	bool ready;
	u32 intid;
	u32 armed_ms;
	u64 gicr;               /* this CPU's redistributor, shared with irq.c */
	volatile bool checking; /* the set-up check is waiting for the first expiry */
	volatile bool check_seen;
} tlimit;

/* Finds this CPU's redistributor by affinity; the first frame if TYPER cannot be read. */
static u64 tlimit_find_gicr(const struct plat *p)
{
	u64 mpidr = sysreg_read(mpidr_el1);
	u32 want = (u32)((mpidr & 0xffffff) | ((mpidr >> 8) & 0xff000000));
	u64 off = 0;

	while (off + 2 * 0x10000 <= p->gicr_size) {
		u32 lo, hi;

		if (!probe_try_read32(p->gicr + off + GICR_TYPER, &lo) ||
		    !probe_try_read32(p->gicr + off + GICR_TYPER + 4, &hi))
			return p->gicr;
		if (hi == want)
			return p->gicr + off;
		if (lo & GICR_TYPER_LAST)
			break;
		off += (lo & GICR_TYPER_VLPIS) ? 2 * GICR_FRAME_STRIDE : GICR_FRAME_STRIDE;
	}
	return p->gicr;
}

/* GICv2: the distributor (its banked PPI registers) and the memory-mapped CPU interface. */
static bool tlimit_gicv2_init(const struct plat *p)
{
	u32 v = 0;

	tlimit.gicr = 0;
	if (!probe_try_write32(p->gicd + GICD_CTLR, GICD_CTLR_GRP1 | GICD_CTLR_GRP0)) {
		setup_error("vgic", "GICD_CTLR write at 0x%lx aborted", p->gicd + GICD_CTLR);
		return false;
	}
	if (probe_try_read32(p->gicd + GICD_IGROUPR0, &v))
		probe_try_write32(p->gicd + GICD_IGROUPR0, v | (1U << tlimit.intid));
	if (!probe_try_write32(p->gicd + GICD_ISENABLER0, 1U << tlimit.intid)) {
		setup_error("vgic", "GICD_ISENABLER0 write at 0x%lx aborted",
		            p->gicd + GICD_ISENABLER0);
		return false;
	}
	if (!probe_try_write32(p->gicc + GICC_PMR, 0xff) ||
	    !probe_try_write32(p->gicc + GICC_BPR, 0) ||
	    !probe_try_write32(p->gicc + GICC_CTLR, GICC_CTLR_EN | GICC_CTLR_ACK)) {
		setup_error("vgic", "GICC write at 0x%lx aborted", p->gicc);
		return false;
	}
	return true;
}

/* GIC distributor, this CPU's redistributor and CPU interface for the timer PPI. */
static bool tlimit_gic_init(const struct plat *p)
{
	u32 v = 0;
	u64 gicr;
	unsigned spins;

	tlimit.ready = false;
	tlimit.intid = p->vtimer_intid;
	if (tlimit.intid < 16 || tlimit.intid > 31) {
		setup_error("timer", "the virtual timer INTID %u is not a PPI", tlimit.intid);
		return false;
	}
	sysreg_write(cntv_ctl_el0, 0);
	if (p->gic_version == 2)
		return tlimit_gicv2_init(p);
	if (!probe_try_write32(p->gicd + GICD_CTLR,
	                       GICD_CTLR_ARE | GICD_CTLR_GRP1 | GICD_CTLR_GRP0)) {
		setup_error("vgic", "GICD_CTLR write at 0x%lx aborted", p->gicd + GICD_CTLR);
		return false;
	}
	for (spins = 0; spins < GIC_SPIN_MAX; spins++) {
		if (!probe_try_read32(p->gicd + GICD_CTLR, &v) || !(v & GICD_CTLR_RWP))
			break;
	}
	gicr = tlimit_find_gicr(p);
	tlimit.gicr = gicr;
	if (!probe_try_write32(gicr + GICR_WAKER, 0)) {
		setup_error("vgic", "GICR_WAKER write at 0x%lx aborted", gicr + GICR_WAKER);
		return false;
	}
	for (spins = 0; spins < GIC_SPIN_MAX; spins++) {
		if (!probe_try_read32(gicr + GICR_WAKER, &v) || !(v & GICR_WAKER_ASLEEP))
			break;
	}
	/*
	 * Group 1, so it arrives as an IRQ. A minimal emulation may not implement IGROUPR0; then
	 * the interrupt's group is whatever the hypervisor injects, and FIQs are handled too.
	 */
	if (probe_try_read32(gicr + GICR_IGROUPR0, &v))
		probe_try_write32(gicr + GICR_IGROUPR0, v | (1U << tlimit.intid));
	if (!probe_try_write32(gicr + GICR_ISENABLER0, 1U << tlimit.intid)) {
		setup_error("vgic", "GICR_ISENABLER0 write at 0x%lx aborted",
		            gicr + GICR_ISENABLER0);
		return false;
	}
	sysreg_write(icc_sre_el1, ICC_SRE_SRE_DFB_DIB);
	isb();
	sysreg_write(icc_pmr_el1, 0xff);
	sysreg_write(icc_bpr1_el1, 0);
	sysreg_write(icc_igrpen1_el1, 1);
	sysreg_write(icc_igrpen0_el1, 1);
	isb();
	return true;
}

/*
 * Proves the time limit works before any test relies on it: a 1 ms expiry must arrive as an
 * interrupt. ISTATUS tells a timer that never expired (timer) from one whose PPI never came
 * (vgic).
 */
static bool tlimit_check_delivery(void)
{
	u64 deadline = timer_now() + timer_freq() / 1000 * TLIMIT_CHECK_WAIT_MS;
	bool expired;

	tlimit.check_seen = false;
	tlimit.checking = true;
	tlimit.ready = true;
	tlimit_arm(TLIMIT_CHECK_ARM_MS);
	__asm__ volatile("msr daifclr, #3" ::: "memory"); /* IRQ, FIQ */
	while (!tlimit.check_seen && timer_now() < deadline)
		;
	__asm__ volatile("msr daifset, #3" ::: "memory");
	expired = (sysreg_read(cntv_ctl_el0) & CNTV_CTL_ISTATUS) != 0;
	tlimit_disarm();
	tlimit.checking = false;
	tlimit.ready = false;
	if (tlimit.check_seen)
		return true;
	if (expired)
		setup_error("vgic",
		            "the virtual timer expired but its PPI %u was not taken in %u ms",
		            tlimit.intid, TLIMIT_CHECK_WAIT_MS);
	else
		setup_error("timer", "the virtual timer armed %u ms ahead did not expire in %u ms",
		            TLIMIT_CHECK_ARM_MS, TLIMIT_CHECK_WAIT_MS);
	return false;
}

bool tlimit_init(const struct plat *p)
{
	tlimit.ready = false;
	if (!tlimit_gic_init(p) || !tlimit_check_delivery())
		return false;
	tlimit.ready = true;
	return true;
}

bool tlimit_available(void)
{
	return tlimit.ready;
}

u64 tlimit_gicr(void)
{
	return tlimit.gicr;
}

void tlimit_arm(u32 ms)
{
	u64 ticks = timer_freq() / 1000 * ms;

	if (!tlimit.ready || ms == 0)
		return;
	tlimit.armed_ms = ms;
	sysreg_write(cntv_cval_el0, timer_now() + ticks);
	sysreg_write(cntv_ctl_el0, CNTV_CTL_ENABLE);
	isb();
}

void tlimit_disarm(void)
{
	sysreg_write(cntv_ctl_el0, CNTV_CTL_IMASK);
	isb();
}

void tlimit_irq(bool fiq)
{
	bool v2 = plat.gic_version == 2;
	u32 iar = v2 ? mmio_read32(plat.gicc + GICC_IAR) : 0;
	u64 intid = v2    ? iar & GICC_IAR_ID
	            : fiq ? sysreg_read(icc_iar0_el1)
	                  : sysreg_read(icc_iar1_el1);
	bool expired;

	if (intid >= GIC_SPURIOUS)
		return;
	/* Only a timer that is armed and has fired counts: a stale injection is just acknowledged.
	 */
	expired =
	    intid == tlimit.intid &&
	    (sysreg_read(cntv_ctl_el0) & (CNTV_CTL_ENABLE | CNTV_CTL_IMASK | CNTV_CTL_ISTATUS)) ==
	        (CNTV_CTL_ENABLE | CNTV_CTL_ISTATUS);
	if (intid == tlimit.intid)
		tlimit_disarm(); /* level-triggered: silence the source before EOI */
	else
		irq_taken((u32)intid); /* a test's interrupt (irq.c) */
	if (v2)
		mmio_write32(plat.gicc + GICC_EOIR, iar);
	else if (fiq)
		sysreg_write(icc_eoir0_el1, intid);
	else
		sysreg_write(icc_eoir1_el1, intid);
	isb();
	if (expired && tlimit.checking) {
		tlimit.check_seen = true; /* the set-up check, not a test over its limit */
		return;
	}
	if (expired)
		runner_abandon("time limit %u ms exceeded", tlimit.armed_ms);
}

/* gic_v3: physical GICv3 set-up (distributor, redistributors, EL2 CPU interface, ICH) and the
 * list registers and controls of its virtual interface (ICH_*_EL2). */
#include "arch.h"
#include "gic.h"
#include "log.h"
#include "sysreg.h"
#include "vcpu_context.h"

#define GICD_CTLR       0x0000
#define GICD_TYPER      0x0004
#define GICD_IGROUPR    0x0080
#define GICD_ISENABLER  0x0100
#define GICD_ICENABLER  0x0180
#define GICD_ICPENDR    0x0280
#define GICD_IPRIORITYR 0x0400
#define GICD_IROUTER    0x6000
#define GICD_CTLR_RWP   BIT(31)
#define GICD_CTLR_DS    BIT(6)
#define GICD_CTLR_ARE   BIT(4)
#define GICD_CTLR_G1    BIT(1)
#define GICD_CTLR_G0    BIT(0)

#define GICR_FRAME        0x20000
#define GICR_TYPER        0x0008
#define GICR_WAKER        0x0014
#define GICR_TYPER_VLPIS  BIT(1)
#define GICR_TYPER_LAST   BIT(4)
#define GICR_WAKER_SLEEP  BIT(1)
#define GICR_WAKER_ASLEEP BIT(2)
#define GICR_SGI          0x10000
#define GICR_ISENABLER0   (GICR_SGI + 0x0100)
#define GICR_ICENABLER0   (GICR_SGI + 0x0180)

#define GIC_DEFAULT_PRIO 0xA0A0A0A0u
#define GIC_POLL_LIMIT   1000000

#define ICC_SRE_SRE      BIT(0)
#define ICC_SRE_ENABLE   BIT(3)
#define ICC_CTLR_EOIMODE BIT(1)
#define ICH_HCR_EN       BIT(0)

static uintptr_t gic_dist;
static uintptr_t gic_rdist; /* this CPU's RD_base */
static unsigned gic_v3_nr_lrs;
static unsigned gic_num_aprs; /* ICH_AP<g>R<n>_EL2 exist for n < this (1, 2 or 4) */

static uint32_t gic_read32(uintptr_t a)
{
	return *(volatile uint32_t *)a;
}

static void gic_write32(uintptr_t a, uint32_t v)
{
	*(volatile uint32_t *)a = v;
}

static void gic_dist_wait(void)
{
	for (int i = 0; i < GIC_POLL_LIMIT; i++) {
		if ((gic_read32(gic_dist + GICD_CTLR) & GICD_CTLR_RWP) == 0)
			return;
	}
	panic("GICD_CTLR.RWP stuck");
}

static uint64_t gic_affinity(uint64_t mpidr)
{
	return (mpidr & 0xFFFFFF) | ((mpidr >> 32) & 0xFF) << 24;
}

static void gic_dist_init(const struct machine *m)
{
	gic_dist = m->gicd.base;
	gic_write32(gic_dist + GICD_CTLR, 0);
	gic_dist_wait();
	unsigned lines = (gic_read32(gic_dist + GICD_TYPER) & 0x1F) + 1;
	unsigned nr = lines * 32 > 1020 ? 1020 : lines * 32;
	uint64_t route = gic_affinity(read_sysreg(mpidr_el1));
	/* SPIs: group 1, disabled, not pending, default priority, routed to the boot CPU. */
	for (unsigned i = 32; i < nr; i += 32) {
		gic_write32(gic_dist + GICD_IGROUPR + i / 8, ~0u);
		gic_write32(gic_dist + GICD_ICENABLER + i / 8, ~0u);
		gic_write32(gic_dist + GICD_ICPENDR + i / 8, ~0u);
	}
	for (unsigned i = 32; i < nr; i += 4)
		gic_write32(gic_dist + GICD_IPRIORITYR + i, GIC_DEFAULT_PRIO);
	for (unsigned i = 32; i < nr; i++)
		*(volatile uint64_t *)(gic_dist + GICD_IROUTER + 8 * i) = route;
	/* Without security (DS) both groups are ours; with it, the non-secure view has G1A at 1. */
	uint32_t ds = gic_read32(gic_dist + GICD_CTLR) & GICD_CTLR_DS;
	gic_write32(gic_dist + GICD_CTLR, GICD_CTLR_ARE);
	gic_dist_wait();
	gic_write32(gic_dist + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_G1 | (ds ? GICD_CTLR_G0 : 0));
	gic_dist_wait();
}

/* Every redistributor: SGIs/PPIs group 1, disabled, default priority; wake only our own. */
static void gic_rdist_init(const struct machine *m)
{
	uint64_t me = gic_affinity(read_sysreg(mpidr_el1));
	uint64_t off = 0;
	unsigned count = 0;

	while (off + GICR_FRAME <= m->gicr.size) {
		uintptr_t rd = m->gicr.base + off;
		uint64_t typer = *(volatile uint64_t *)(rd + GICR_TYPER);
		gic_write32(rd + GICR_SGI + 0x0080, ~0u); /* IGROUPR0 */
		gic_write32(rd + GICR_ICENABLER0, ~0u);
		gic_write32(rd + GICR_SGI + 0x0280, ~0u); /* ICPENDR0 */
		for (unsigned i = 0; i < 32; i += 4)
			gic_write32(rd + GICR_SGI + 0x0400 + i, GIC_DEFAULT_PRIO);
		if (typer >> 32 == me)
			gic_rdist = rd;
		count++;
		if ((typer & GICR_TYPER_LAST) != 0)
			break;
		off += (typer & GICR_TYPER_VLPIS) != 0 ? 2 * GICR_FRAME : GICR_FRAME;
	}
	if (gic_rdist == 0)
		panic("no redistributor for MPIDR 0x%lx among %u", read_sysreg(mpidr_el1), count);
	gic_write32(gic_rdist + GICR_WAKER, gic_read32(gic_rdist + GICR_WAKER) & ~GICR_WAKER_SLEEP);
	for (int i = 0; (gic_read32(gic_rdist + GICR_WAKER) & GICR_WAKER_ASLEEP) != 0; i++) {
		if (i > GIC_POLL_LIMIT)
			panic("redistributor does not wake");
	}
	log_printf("humpy: GICv3: %u redistributors, ours at 0x%lx\n", count, (uint64_t)gic_rdist);
}

/* The 16 list registers the architecture allows, each its own system register. */
#define GIC_EACH_LR(X)                                                                             \
	X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15)

void gic_v3_lr_write(unsigned n, uint64_t v)
{
	switch (n) {
#define GIC_LR(i)                                                                                  \
	case i:                                                                                    \
		write_sysreg(ich_lr##i##_el2, v);                                                  \
		break;
		GIC_EACH_LR(GIC_LR)
#undef GIC_LR
	default:
		break;
	}
}

static void gic_cpu_init(void)
{
	write_sysreg(ICC_SRE_EL2, ICC_SRE_SRE | ICC_SRE_ENABLE);
	isb();
	if ((read_sysreg(ICC_SRE_EL2) & ICC_SRE_SRE) == 0)
		panic("GICv3 system-register interface not available at EL2");
	write_sysreg(ICC_PMR_EL1, 0xF0);
	write_sysreg(ICC_BPR1_EL1, 0);
	/* EOImode 1: the hypervisor drops priority, the guest's EOI deactivates (HW list regs). */
	write_sysreg(ICC_CTLR_EL1, ICC_CTLR_EOIMODE);
	write_sysreg(ICC_IGRPEN1_EL1, 1);
	uint64_t vtr = read_sysreg(ICH_VTR_EL2);
	gic_v3_nr_lrs = (unsigned)(vtr & 0x1F) + 1;
	/* PREbits + 1 preemption bits: 5 -> one APR of each group, 6 -> two, 7 -> four. */
	gic_num_aprs = 1U << ((((vtr >> 26) & 7) + 1) - 5);
	for (unsigned i = 0; i < gic_v3_nr_lrs; i++)
		gic_v3_lr_write(i, 0);
	write_sysreg(ICH_VMCR_EL2, 0);
	write_sysreg(ICH_HCR_EL2, ICH_HCR_EN);
	isb();
}

void gic_v3_init(const struct machine *m)
{
	gic_dist_init(m);
	gic_rdist_init(m);
	gic_cpu_init();
}

void gic_v3_ppi_enable(uint32_t intid, bool enable)
{
	if (intid >= 32)
		return;
	gic_write32(gic_rdist + (enable ? GICR_ISENABLER0 : GICR_ICENABLER0), 1u << intid);
}

void gic_v3_spi_enable(uint32_t intid, bool enable)
{
	if (intid < 32 || intid >= 1020)
		return;
	gic_write32(gic_dist + (enable ? GICD_ISENABLER : GICD_ICENABLER) + intid / 32 * 4,
	            1u << (intid % 32));
}

uint64_t gic_v3_lr_read(unsigned n)
{
	switch (n) {
#define GIC_LR(i)                                                                                  \
	case i:                                                                                    \
		return read_sysreg(ich_lr##i##_el2);
		GIC_EACH_LR(GIC_LR)
#undef GIC_LR
	default:
		return 0;
	}
}

/* ICH_AP0R<n>_EL2 and ICH_AP1R<n>_EL2 of every n < gic_num_aprs, each its own register. */
#define GIC_EACH_APR(X) X(0) X(1) X(2) X(3)

void gic_v3_vif_save(struct vcpu_context *c)
{
	c->ich_vmcr = read_sysreg(ICH_VMCR_EL2);
	c->ich_hcr = read_sysreg(ICH_HCR_EL2);
#define GIC_APR_SAVE(n)                                                                            \
	if (n < gic_num_aprs) {                                                                    \
		c->ich_ap0r[n] = read_sysreg(ICH_AP0R##n##_EL2);                                   \
		c->ich_ap1r[n] = read_sysreg(ICH_AP1R##n##_EL2);                                   \
	}
	GIC_EACH_APR(GIC_APR_SAVE)
#undef GIC_APR_SAVE
	write_sysreg(ICH_HCR_EL2, 0);
}

void gic_v3_vif_load(const struct vcpu_context *c)
{
#define GIC_APR_LOAD(n)                                                                            \
	if (n < gic_num_aprs) {                                                                    \
		write_sysreg(ICH_AP0R##n##_EL2, c->ich_ap0r[n]);                                   \
		write_sysreg(ICH_AP1R##n##_EL2, c->ich_ap1r[n]);                                   \
	}
	GIC_EACH_APR(GIC_APR_LOAD)
#undef GIC_APR_LOAD
	write_sysreg(ICH_VMCR_EL2, c->ich_vmcr);
	write_sysreg(ICH_HCR_EL2, c->ich_hcr);
}

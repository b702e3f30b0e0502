/*
 * gic_v2: the physical GICv2 (GIC-400 and its kin with the virtualization extensions): the
 * distributor, this CPU's interface (GICC, memory-mapped) and the virtual interface control
 * (GICH) whose list registers carry a VM's interrupts; the VM's CPU interface is GICV, mapped
 * into its Stage-2 where its GICC is (stage2.c). Everything is one CPU's: humpy runs on one.
 */
#include "addrspace.h"
#include "arch.h"
#include "gic.h"
#include "gich_lr.h"
#include "gicv2_frame.h"
#include "log.h"
#include "sysreg.h"
#include "thread.h"
#include "vcpu_context.h"

#define GICD_CTLR       0x0000
#define GICD_TYPER      0x0004
#define GICD_IGROUPR    0x0080
#define GICD_ISENABLER  0x0100
#define GICD_ICENABLER  0x0180
#define GICD_ICPENDR    0x0280
#define GICD_ICACTIVER  0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ITARGETSR  0x0800
#define GICD_CTLR_EN    0x3     /* both groups (a non-secure view has one enable, bit 0) */
#define GICD_TYPER_SEC  BIT(10) /* the GIC has the Security Extensions: we are its NS side */

#define GICC_CTLR         0x0000
#define GICC_PMR          0x0004
#define GICC_BPR          0x0008
#define GICC_IAR          0x000C
#define GICC_EOIR         0x0010
#define GICC_DIR          0x0000 /* in page 1 (gicv2_frame.h): 0x1000, or 0x10000 aliased */
#define GICC_CTLR_EN      0x3    /* both groups, signalled as IRQ (FIQEn clear) */
#define GICC_CTLR_ACKCTL  BIT(2) /* IAR acknowledges group 1 too (no Security Extensions) */
#define GICC_CTLR_NS_EN   BIT(0) /* the non-secure view's EnableGrp1 */
#define GICC_CTLR_EOIMODE BIT(9) /* EOIR drops the priority, DIR deactivates (either view) */

#define GICH_HCR     0x0000
#define GICH_VTR     0x0004
#define GICH_VMCR    0x0008
#define GICH_ELRSR0  0x0030
#define GICH_ELRSR1  0x0034
#define GICH_APR     0x00F0
#define GICH_LR0     0x0100
#define GICH_HCR_UIE BIT(1)

#define GIC_DEFAULT_PRIO 0xA0A0A0A0u

static struct {
	uintptr_t dist, cpu, hyp;
	uintptr_t cpu_page1;       /* GICC's second page (DIR), where the region's layout has it */
	struct machine_range gicc; /* as the DT gives it: where every VM's CPU interface is */
	struct machine_range vcpu; /* GICV */
	unsigned num_lrs;
} gicv2;

static uint32_t gic_v2_read32(uintptr_t a)
{
	return *(volatile uint32_t *)a;
}

static void gic_v2_write32(uintptr_t a, uint32_t v)
{
	*(volatile uint32_t *)a = v;
}

/* This CPU's bit in GICD_ITARGETSR: ITARGETSR0..7 read as it (0 on a uniprocessor GIC). */
static uint8_t gic_v2_cpu_mask(void)
{
	uint32_t t = gic_v2_read32(gicv2.dist + GICD_ITARGETSR);
	uint8_t mask = (uint8_t)(t | t >> 8 | t >> 16 | t >> 24);

	return mask != 0 ? mask : 1;
}

/*
 * Group 1 throughout, as the non-secure side of a GIC with the Security Extensions sees every
 * interrupt (IGROUPR is not writable there): a guest's deactivation of a HW list register acts on
 * a group 1 physical interrupt only (the GICv2 rule QEMU follows too: a group 0 one would stay
 * active for ever). Without the extensions AckCtl lets IAR acknowledge group 1.
 */
static void gic_v2_dist_init(void)
{
	uintptr_t d = gicv2.dist;
	unsigned lines = (gic_v2_read32(d + GICD_TYPER) & 0x1F) + 1;
	unsigned nr = lines * 32 > 1020 ? 1020 : lines * 32;
	uint32_t targets = gic_v2_cpu_mask() * 0x01010101u;

	gic_v2_write32(d + GICD_CTLR, 0);
	for (unsigned i = 0; i < nr; i += 32) {
		gic_v2_write32(d + GICD_IGROUPR + i / 8, ~0u);
		gic_v2_write32(d + GICD_ICENABLER + i / 8, ~0u);
		gic_v2_write32(d + GICD_ICPENDR + i / 8, ~0u);
		gic_v2_write32(d + GICD_ICACTIVER + i / 8, ~0u);
	}
	for (unsigned i = 0; i < nr; i += 4)
		gic_v2_write32(d + GICD_IPRIORITYR + i, GIC_DEFAULT_PRIO);
	for (unsigned i = 32; i < nr; i += 4)
		gic_v2_write32(d + GICD_ITARGETSR + i, targets);
	gic_v2_write32(d + GICD_CTLR, GICD_CTLR_EN);
}

void gic_v2_init(const struct machine *m)
{
	gicv2.dist = m->gicd.base;
	gicv2.cpu = m->gicc.base;
	gicv2.cpu_page1 = m->gicc.base + gicv2_frame_page_offset(m->gicc.size, 1);
	gicv2.gicc = m->gicc;
	gicv2.hyp = m->gich.base;
	gicv2.vcpu = m->gicv;
	gic_v2_dist_init();
	gic_v2_write32(gicv2.cpu + GICC_PMR, 0xF0);
	gic_v2_write32(gicv2.cpu + GICC_BPR, 0);
	/* EOImode 1: the hypervisor drops priority, the guest's deactivation of a HW list
	 * register deactivates the physical interrupt. */
	bool is_ns = (gic_v2_read32(gicv2.dist + GICD_TYPER) & GICD_TYPER_SEC) != 0;
	gic_v2_write32(gicv2.cpu + GICC_CTLR,
	               (is_ns ? GICC_CTLR_NS_EN : GICC_CTLR_EN | GICC_CTLR_ACKCTL) |
	                   GICC_CTLR_EOIMODE);
	gicv2.num_lrs = (gic_v2_read32(gicv2.hyp + GICH_VTR) & 0x3F) + 1;
	for (unsigned i = 0; i < gicv2.num_lrs; i++)
		gic_v2_write32(gicv2.hyp + GICH_LR0 + 4 * i, 0);
	gic_v2_write32(gicv2.hyp + GICH_VMCR, 0);
	gic_v2_write32(gicv2.hyp + GICH_HCR, 1); /* En */
	log_printf("humpy: GICv2: CPU mask 0x%x, %u list registers\n", gic_v2_cpu_mask(),
	           gicv2.num_lrs);
}

void gic_v2_ppi_enable(uint32_t intid, bool enable)
{
	if (intid >= 32)
		return;
	gic_v2_write32(gicv2.dist + (enable ? GICD_ISENABLER : GICD_ICENABLER), 1u << intid);
}

void gic_v2_spi_enable(uint32_t intid, bool enable)
{
	if (intid < 32 || intid >= 1020)
		return;
	gic_v2_write32(gicv2.dist + (enable ? GICD_ISENABLER : GICD_ICENABLER) + intid / 32 * 4,
	               1u << (intid % 32));
}

uint64_t gic_v2_ack(void)
{
	uint32_t iar = gic_v2_read32(gicv2.cpu + GICC_IAR);

	/* INTID 9:0 (CPUID 12:10 only for an SGI, which humpy never sends). */
	return iar & 0x1FFF;
}

void gic_v2_priority_drop(uint64_t iar)
{
	gic_v2_write32(gicv2.cpu + GICC_EOIR, (uint32_t)iar);
}

void gic_v2_deactivate(uint64_t intid)
{
	gic_v2_write32(gicv2.cpu_page1 + GICC_DIR, (uint32_t)intid);
}

unsigned gic_v2_num_lrs(void)
{
	return gicv2.num_lrs;
}

/*
 * A HW list register the guest has deactivated (invalid now, HW still set) also deactivated its
 * physical interrupt. QEMU 7.2's GICv2 does not then re-evaluate the physical distributor, so a
 * level line still high would not be signalled again until some other distributor write: an
 * enabled interrupt's enable bit is written again (no change of state) to have it looked at.
 */
uint64_t gic_v2_lr_read(unsigned n)
{
	uint32_t g;

	if (n >= gicv2.num_lrs)
		return 0;
	g = gic_v2_read32(gicv2.hyp + GICH_LR0 + 4 * n);
	if ((g & (GICH_LR_HW | 3u << GICH_LR_STATE_SHIFT)) == GICH_LR_HW) {
		uint32_t pintid = g >> GICH_LR_PINTID_SHIFT & GICH_LR_ID_MASK;
		uintptr_t reg = gicv2.dist + GICD_ISENABLER + pintid / 32 * 4;

		if ((gic_v2_read32(reg) & 1u << (pintid % 32)) != 0)
			gic_v2_write32(reg, 1u << (pintid % 32));
	}
	return gich_lr_to_ich(g);
}

void gic_v2_lr_write(unsigned n, uint64_t v)
{
	if (n < gicv2.num_lrs)
		gic_v2_write32(gicv2.hyp + GICH_LR0 + 4 * n, gich_lr_from_ich(v));
}

uint64_t gic_v2_lr_empty(void)
{
	return gic_v2_read32(gicv2.hyp + GICH_ELRSR0) |
	       (uint64_t)gic_v2_read32(gicv2.hyp + GICH_ELRSR1) << 32;
}

void gic_v2_underflow_irq(bool on)
{
	uint32_t hcr = gic_v2_read32(gicv2.hyp + GICH_HCR) & ~GICH_HCR_UIE;

	gic_v2_write32(gicv2.hyp + GICH_HCR, hcr | (on ? GICH_HCR_UIE : 0));
}

/* GICv2 has one active-priorities register: it travels in ich_ap1r[0]. */
void gic_v2_vif_save(struct vcpu_context *c)
{
	c->ich_vmcr = gic_v2_read32(gicv2.hyp + GICH_VMCR);
	c->ich_hcr = gic_v2_read32(gicv2.hyp + GICH_HCR);
	c->ich_ap1r[0] = gic_v2_read32(gicv2.hyp + GICH_APR);
	gic_v2_write32(gicv2.hyp + GICH_HCR, 0);
}

void gic_v2_vif_load(const struct vcpu_context *c)
{
	gic_v2_write32(gicv2.hyp + GICH_APR, (uint32_t)c->ich_ap1r[0]);
	gic_v2_write32(gicv2.hyp + GICH_VMCR, (uint32_t)c->ich_vmcr);
	gic_v2_write32(gicv2.hyp + GICH_HCR, (uint32_t)c->ich_hcr);
}

struct machine_range gic_vcpu_interface(void)
{
	return gicv2.vcpu;
}

struct machine_range gic_cpu_interface(void)
{
	return gicv2.gicc;
}

/*
 * Every VM sees the GIC where the machine's DT has it, its CPU interface (GICV) at the machine's
 * GICC. The boot VM's Stage 2 maps it from the start (stage2.c); a VM built from hypercalls gets
 * it on its first access there: the whole interface is mapped into the address space of the vCPU
 * on the CPU, which must have a VIC (GICV shows the loaded vCPU's list registers, so a vCPU without
 * one has nothing to see there), and the access is retried.
 */
bool gic_vm_cpu_interface_fault(uint64_t ipa)
{
	struct vcpu *v = arch_vcpu_current();
	const struct thread *t = v != NULL ? v->thread : NULL;
	struct machine_range gicc = gic_cpu_interface(), gicv = gic_vcpu_interface();
	uint64_t at = ALIGN_DOWN(ipa, GICV2_PAGE) - gicc.base, g;
	bool retry = false;

	if (gic_version() != 2 || t == NULL || t->vic == NULL || t->addrspace == NULL ||
	    !range_within(ipa, 1, gicc.base, gicc.size) ||
	    !gicv2_frame_backing(gicc.size, gicv.size, at, &g))
		return false;
	for (uint64_t off = 0; off < gicc.size; off += GICV2_PAGE) {
		if (!gicv2_frame_backing(gicc.size, gicv.size, off, &g))
			continue;
		/* A page mapped already (an earlier fault) stays: only the faulting one must
		 * be new, or the access would fault again at once. */
		if (addrspace_map_device(t->addrspace, gicc.base + off, gicv.base + g,
		                         GICV2_PAGE) == OK &&
		    off == at)
			retry = true;
	}
	return retry;
}

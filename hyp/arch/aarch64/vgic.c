/*
 * vgic: just enough of a GICv3 distributor and one redistributor for a guest to enable its
 * virtual timer PPI the way Linux does; everything else reads as zero and ignores writes. The
 * CPU interface itself is the hardware's (ICV_* through ICH_HCR_EL2.En).
 */
#include "gic.h"
#include "sysreg.h"
#include "vgic.h"

#define VGIC_GICD_SIZE     0x10000
#define VGIC_GICR_SIZE     0x20000 /* one vCPU: RD_base + SGI_base */
#define VGIC_SGI           0x10000
#define VGIC_PIDR2         0xFFE8
#define VGIC_PIDR2_V3      0x3B /* ArchRev 3 */
#define VGICD_CTLR_G0      BIT(0)
#define VGICD_CTLR_G1      BIT(1)
#define VGICD_CTLR_ARE     BIT(4)
#define VGICD_CTLR_DS      BIT(6)
#define VGICD_TYPER        (9u << 19) /* 10 INTID bits, no SPIs, no LPIs */
#define VGICR_TYPER_LAST   BIT(4)
#define VGICR_WAKER_SLEEP  BIT(1)
#define VGICR_WAKER_ASLEEP BIT(2)

static struct {
	paddr_t gicd, gicr;
	uint32_t vtimer;
	uint32_t affinity;
	uint32_t ctlr;
	uint32_t enabled; /* SGI/PPI enable bits */
	bool asleep;
	uint8_t priority[32];
} vgic;

void vgic_init(const struct machine *m, uint64_t vcpu_affinity)
{
	vgic.gicd = m->gicd.base;
	vgic.gicr = m->gicr.base;
	vgic.vtimer = m->timer_virt_intid;
	vgic.affinity = (uint32_t)vcpu_affinity;
	vgic.asleep = true;
}

static bool vgic_deliverable(uint32_t intid)
{
	return intid < 32 && (vgic.ctlr & VGICD_CTLR_G1) != 0 && (vgic.enabled & BIT(intid)) != 0;
}

/* The physical vtimer PPI is enabled only while the guest could take it, so it cannot storm. */
static void vgic_sync(void)
{
	gic_ppi_enable(vgic.vtimer, vgic_deliverable(vgic.vtimer));
}

static uint32_t vgic_gicd_read(uint64_t off)
{
	switch (off) {
	case 0x0000:
		return vgic.ctlr | VGICD_CTLR_ARE | VGICD_CTLR_DS;
	case 0x0004:
		return VGICD_TYPER;
	case VGIC_PIDR2:
		return VGIC_PIDR2_V3;
	default:
		return 0;
	}
}

static void vgic_gicd_write(uint64_t off, uint32_t val)
{
	if (off == 0x0000) {
		vgic.ctlr = val & (VGICD_CTLR_G0 | VGICD_CTLR_G1);
		vgic_sync();
	}
}

static uint32_t vgic_gicr_read(uint64_t off)
{
	switch (off) {
	case 0x0008:
		return VGICR_TYPER_LAST;
	case 0x000C:
		return vgic.affinity;
	case 0x0014:
		return vgic.asleep ? VGICR_WAKER_SLEEP | VGICR_WAKER_ASLEEP : 0;
	case VGIC_PIDR2:
		return VGIC_PIDR2_V3;
	case VGIC_SGI + 0x0080: /* IGROUPR0: everything is group 1 */
		return ~0u;
	case VGIC_SGI + 0x0100: /* ISENABLER0 */
	case VGIC_SGI + 0x0180: /* ICENABLER0 */
		return vgic.enabled;
	default:
		if (off >= VGIC_SGI + 0x0400 && off < VGIC_SGI + 0x0420) {
			const uint8_t *p = &vgic.priority[off - (VGIC_SGI + 0x0400)];
			return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
			       (uint32_t)p[3] << 24;
		}
		return 0;
	}
}

static void vgic_gicr_write(uint64_t off, uint32_t val)
{
	switch (off) {
	case 0x0014:
		vgic.asleep = (val & VGICR_WAKER_SLEEP) != 0;
		break;
	case VGIC_SGI + 0x0100:
		vgic.enabled |= val;
		vgic_sync();
		break;
	case VGIC_SGI + 0x0180:
		vgic.enabled &= ~val;
		vgic_sync();
		break;
	default:
		break;
	}
}

/* One aligned 32-bit register; bytes outside mask keep their value (IPRIORITYR byte writes). */
static void vgic_write32(bool is_gicd, uint64_t off, uint32_t val, uint32_t mask)
{
	if (!is_gicd && off >= VGIC_SGI + 0x0400 && off < VGIC_SGI + 0x0420) {
		for (unsigned b = 0; b < 4; b++) {
			if ((mask >> (8 * b) & 0xFF) != 0)
				vgic.priority[off - (VGIC_SGI + 0x0400) + b] =
				    (uint8_t)(val >> (8 * b));
		}
		return;
	}
	if (mask != ~0u)
		return; /* sub-word writes only reach byte-accessible registers */
	if (is_gicd)
		vgic_gicd_write(off, val);
	else
		vgic_gicr_write(off, val);
}

bool vgic_mmio(ipa_t ipa, unsigned size, bool is_write, uint64_t *val)
{
	bool is_gicd = range_within(ipa, size, vgic.gicd, VGIC_GICD_SIZE);
	bool is_gicr = range_within(ipa, size, vgic.gicr, VGIC_GICR_SIZE);

	if ((!is_gicd && !is_gicr) || !IS_ALIGNED(ipa, size))
		return false;
	uint64_t off = ipa - (is_gicd ? vgic.gicd : vgic.gicr);
	uint64_t word = ALIGN_DOWN(off, 4);
	unsigned shift = (unsigned)(off - word) * 8;
	uint32_t (*rd)(uint64_t) = is_gicd ? vgic_gicd_read : vgic_gicr_read;

	if (!is_write) {
		uint64_t v = rd(word);
		if (size == 8)
			v |= (uint64_t)rd(word + 4) << 32;
		else
			v = (v >> shift) & ((size == 4) ? 0xFFFFFFFFull : (1ull << (8 * size)) - 1);
		*val = v;
		return true;
	}
	if (size == 8) {
		vgic_write32(is_gicd, word, (uint32_t)*val, ~0u);
		vgic_write32(is_gicd, word + 4, (uint32_t)(*val >> 32), ~0u);
	} else {
		uint32_t mask = size == 4 ? ~0u : (uint32_t)((1ull << (8 * size)) - 1) << shift;
		vgic_write32(is_gicd, word, (uint32_t)(*val << shift), mask);
	}
	return true;
}

void vgic_handle_irq(void)
{
	uint64_t iar = read_sysreg(ICC_IAR1_EL1);
	uint32_t intid = (uint32_t)(iar & 0xFFFFFF);

	if (intid >= GIC_INTID_SPURIOUS)
		return;
	write_sysreg(ICC_EOIR1_EL1, iar); /* priority drop; EOImode 1 leaves it active */
	/* The guest's EOI of the HW list register deactivates the physical vtimer PPI. */
	if (intid == vgic.vtimer && vgic_deliverable(intid) &&
	    gic_lr_inject(intid, true, intid, vgic.priority[intid]))
		return;
	write_sysreg(ICC_DIR_EL1, iar);
	isb();
}

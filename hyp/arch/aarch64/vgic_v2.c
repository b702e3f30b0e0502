/*
 * vgic_v2: what the VM's emulated distributor shows a GICv2 guest, on top of the GICv3 emulation
 * in vgic.c. A GICv2 distributor has the GICv3 one's SPI registers at the same offsets; its
 * banked SGI/PPI registers (word 0 of each bit bank, IPRIORITYR0..7, ICFGR0..1) are the ones a
 * GICv3 redistributor's SGI frame holds, so they are served from there; ITARGETSR, SGIR and the
 * SGI pending registers are GICv2's own, and there is no redistributor (and no IROUTER, no ARE).
 * The guest's CPU interface is the hardware's GICV, mapped where its GICC is (stage2.c, gic_v2.c).
 * Pure (no register access): the host unit tests drive it (test_vgic_v2.c).
 */
#include "vgic_v2.h"

#include "vic.h"

#define GICD_CTLR        0x0000
#define GICD_TYPER       0x0004
#define GICD_IGROUPR     0x0080
#define GICD_ICACTIVER   0x0380
#define GICD_IPRIORITYR  0x0400
#define GICD_ITARGETSR   0x0800
#define GICD_ICFGR       0x0C00
#define GICD_SGIR        0x0F00
#define GICD_SPENDSGIR   0x0F20
#define GICD_ID_START    0xFFD0 /* the ID registers (PIDR2 among them) */
#define GICD_PIDR2       0xFFE8
#define GICD_CTLR_EN     0x3     /* EnableGrp0, EnableGrp1 */
#define GICD_TYPER_LINES 0x1F    /* ITLinesNumber; CPUNumber 0: one CPU interface */
#define GICD_PIDR2_V2    0x2B    /* ArchRev 2 */
#define VGIC_SGI_FRAME   0x10000 /* a GICv3 redistributor's SGI_base */
/* GICD_IROUTER of an SPI whose ITARGETSR names no vCPU: Aff1 0xFF, which no vCPU of a VM has
 * (they differ in Aff0 alone), so vgic.c lists it nowhere. */
#define VGIC_V2_NOWHERE 0xFF00u
/* GICD_SGIR: TargetListFilter 25:24, CPUTargetList 23:16, SGIINTID 3:0. ICC_SGI1R_EL1 (what
 * vgic.c sends SGIs by): TargetList 15:0, INTID 27:24, IRM 40 (every vCPU but the sender). */
#define SGIR_FILTER(v)    ((v) >> 24 & 3u)
#define SGIR_TARGETS(v)   ((v) >> 16 & 0xFFu)
#define SGIR_INTID(v)     ((v)&0xFu)
#define SGI1R_INTID_SHIFT 24
#define SGI1R_IRM         BIT(40)

enum vgic_v2_where vgic_v2_gicd_where(uint64_t *off)
{
	uint64_t o = *off;

	/* Word 0 of the one-bit banks (IGROUPR .. ICACTIVER), IPRIORITYR0..7, ICFGR0..1. */
	if ((o >= GICD_IGROUPR && o <= GICD_ICACTIVER + 3 && (o & 0x7C) == 0) ||
	    (o >= GICD_IPRIORITYR && o < GICD_IPRIORITYR + 32) ||
	    (o >= GICD_ICFGR && o < GICD_ICFGR + 8)) {
		*off = VGIC_SGI_FRAME + o;
		return VGIC_V2_BANKED;
	}
	if ((o >= GICD_ITARGETSR && o < GICD_ICFGR) || (o >= GICD_SGIR && o < GICD_ID_START))
		return VGIC_V2_OWN;
	return VGIC_V2_SHARED;
}

/* The ITARGETSR bits of @vic's vCPUs: CPU interface n is vCPU n (Aff0 n). */
static uint8_t vgic_v2_vcpu_bits(const struct vic *vic)
{
	return (uint8_t)(BIT(vic->max_vcpus) - 1);
}

/* INTID @intid's GICD_ITARGETSR byte as vCPU @self reads it. */
static uint8_t vgic_v2_target_byte(struct vic *vic, unsigned self, uint32_t intid)
{
	const struct vic_irq *irq;

	if (intid < VIC_SPI_BASE)
		return (uint8_t)BIT(self); /* SGIs and PPIs: the reader's own interface */
	irq = vic_irq_of(vic, intid);
	return irq != NULL ? irq->targets & vgic_v2_vcpu_bits(vic) : 0;
}

/*
 * ITARGETSR reads each INTID's targets: an SGI's or PPI's is the reading vCPU's bit, an SPI's what
 * the guest wrote (vgic_v2_targets_write) of the VIC's vCPUs, 0 beyond the VIC's SPIs. SGIR is
 * write-only (a write sends SGIs: vgic_v2_sgir); the SGI pending registers (CPENDSGIR, SPENDSGIR)
 * read 0 and ignore writes, as does the reserved space up to the ID registers, where GICv3 has
 * IROUTER.
 */
uint64_t vgic_v2_own_read(struct vic *vic, unsigned self, uint64_t off, unsigned size)
{
	uint64_t v = 0;

	if (off < GICD_ITARGETSR || off >= GICD_ICFGR)
		return 0;
	for (unsigned b = 0; b < size; b++)
		v |= (uint64_t)vgic_v2_target_byte(vic, self, (uint32_t)(off - GICD_ITARGETSR) + b)
		     << (8 * b);
	return v;
}

/*
 * An SPI's targets are kept as written, bits of vCPUs the VIC does not have cleared; it is routed
 * to the lowest vCPU named (GICv2 lets one of the targets take it), or to none when none is. The
 * SGI and PPI bytes are read-only.
 */
bool vgic_v2_targets_write(struct vic *vic, uint64_t off, unsigned size, uint64_t val)
{
	if (off < GICD_ITARGETSR || off >= GICD_ICFGR)
		return false;
	for (unsigned b = 0; b < size; b++) {
		uint32_t intid = (uint32_t)(off - GICD_ITARGETSR) + b;
		struct vic_irq *irq = intid >= VIC_SPI_BASE ? vic_irq_of(vic, intid) : NULL;
		uint8_t t = (uint8_t)(val >> (8 * b)) & vgic_v2_vcpu_bits(vic);

		if (irq == NULL)
			continue;
		irq->targets = t;
		irq->route = t != 0 ? (uint64_t)__builtin_ctz(t) : VGIC_V2_NOWHERE;
	}
	return true;
}

/*
 * A GICv2 guest sends SGIs through GICD_SGIR; vgic.c takes them as GICv3's ICC_SGI1R_EL1. CPU
 * interface n is the VM's vCPU n (Aff0 n, its ITARGETSR bit), so the filters map to a TargetList
 * of those bits (0), IRM (1: all but self) or the sender's own bit (2); 3 is reserved: no SGI.
 */
bool vgic_v2_sgir(uint64_t off, unsigned size, uint32_t val, unsigned self, uint64_t *sgi1r)
{
	uint64_t intid = (uint64_t)SGIR_INTID(val) << SGI1R_INTID_SHIFT;

	if (off != GICD_SGIR || size != 4)
		return false;
	switch (SGIR_FILTER(val)) {
	case 0:
		*sgi1r = intid | SGIR_TARGETS(val);
		return true;
	case 1:
		*sgi1r = intid | SGI1R_IRM;
		return true;
	case 2:
		*sgi1r = intid | BIT(self);
		return true;
	default:
		return false;
	}
}

uint32_t vgic_v2_gicd_fix(uint64_t off, uint32_t v)
{
	switch (off) {
	case GICD_CTLR:
		return v & GICD_CTLR_EN; /* no ARE, no DS */
	case GICD_TYPER:
		return v & GICD_TYPER_LINES; /* no IDbits, no LPIs */
	case GICD_PIDR2:
		return GICD_PIDR2_V2;
	default:
		return v;
	}
}

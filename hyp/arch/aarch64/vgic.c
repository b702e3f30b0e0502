/*
 * vgic: the VM's emulated GICv3 distributor and one redistributor, and delivery into the GICv3
 * virtual CPU interface (ICH_LR list registers). The CPU interface itself is the hardware's (ICV_*
 * through ICH_HCR_EL2.En). SGIs/PPIs (the virtual timer) are kept here; shared VIRQs (SPIs) are the
 * VM's VIC (hyp/core vic.c), whose state the GICD registers read and write.
 *
 * Delivery model: before any change the list registers holding SPIs are folded back into the VIC
 * (pending taken by the guest clears the latch, active is copied, a level VIRQ's source is asked
 * whether its condition still holds), then the VIC's active and deliverable SPIs are listed again,
 * active ones first, then by priority. Level VIRQs are listed with EOI maintenance, so their EOI
 * brings us back to re-deliver them while their condition holds; when more are deliverable than
 * there are list registers, ICH_HCR_EL2.UIE asks for a maintenance interrupt once at most one list
 * register is still in use, and the rest are listed then.
 */
#include "gic.h"
#include "hwirq.h"
#include "ich_lr.h"
#include "sysreg.h"
#include "vgic.h"
#include "vgic_v2.h"
#include "vic.h"

#define VGIC_GICD_SIZE     0x10000
#define VGIC_GICR_SIZE     0x20000 /* one vCPU: RD_base + SGI_base */
#define VGIC_SGI           0x10000
#define VGIC_PIDR2         0xFFE8
#define VGIC_PIDR2_V3      0x3B /* ArchRev 3 */
#define VGICD_CTLR_G0      BIT(0)
#define VGICD_CTLR_G1      BIT(1)
#define VGICD_CTLR_ARE     BIT(4)
#define VGICD_CTLR_DS      BIT(6)
#define VGICD_TYPER_IDBITS (9u << 19) /* 10 INTID bits, no LPIs */
#define VGICR_TYPER_LAST   BIT(4)
#define VGICR_WAKER_SLEEP  BIT(1)
#define VGICR_WAKER_ASLEEP BIT(2)

/* GICD register blocks with one bit, two bits or one byte per INTID, and IROUTER. */
#define GICD_IGROUPR     0x0080
#define GICD_ISENABLER   0x0100
#define GICD_ICENABLER   0x0180
#define GICD_ISPENDR     0x0200
#define GICD_ICPENDR     0x0280
#define GICD_ISACTIVER   0x0300
#define GICD_ICACTIVER   0x0380
#define GICD_IPRIORITYR  0x0400
#define GICD_ICFGR       0x0C00
#define GICD_IROUTER     0x6000
#define GICD_IROUTER_END 0x7FE0

#define ICH_HCR_EN               BIT(0)
#define ICH_HCR_UIE              BIT(1)
#define VGIC_MAX_LRS             16
#define VGIC_MAX_HWIRQS          4
#define VGIC_MAINT_INTID_DEFAULT 25 /* the PPI the Arm BSA recommends (QEMU virt uses it) */

static struct {
	paddr_t gicd, gicr;
	uint32_t vtimer;
	uint32_t maint;
	uint32_t affinity;
	uint32_t ctlr;
	uint32_t enabled; /* SGI/PPI enable bits */
	bool asleep;
	uint8_t priority[32];
	struct vic *vic; /* the VM's VIC: its SPIs */
	unsigned num_lrs;
	uint32_t lr_intid[VGIC_MAX_LRS]; /* the SPI a list register holds for us, 0 = none */
	bool lr_latched[VGIC_MAX_LRS]; /* its pending state was a latch (given back if not taken) */
	struct hwirq *hwirqs[VGIC_MAX_HWIRQS]; /* bound hwirqs (their physical SPIs are enabled) */
	bool hwirq_masked[VGIC_MAX_HWIRQS]; /* its SPI masked while the guest disables the VIRQ */
	/* A vCPU of the VM of `vic` is on the CPU (its list registers, and its virtual timer, are
	 * the hardware's). When not, `vic`'s state stays here until another VIC's vCPU comes. */
	bool is_loaded;
	/* `vic` changed while none of its vCPUs was on the CPU: fold and list when one is again. */
	bool is_stale;
} vgic;

/*
 * The emulation serves the VM whose vCPU is on the CPU: the fields of `vgic` from ctlr to
 * lr_latched are that VM's. When a vCPU of another VM (another VIC) is loaded they are saved here,
 * keyed by the VIC, and that VM's put in (vgic_vcpu_loaded); the list registers themselves travel
 * with the vCPU context. A VM whose vCPU has no VIC gets no emulated GIC at all: its GICD/GICR
 * accesses abort (the last VIC's state stays in `vgic`, unloaded, so coming back to it costs
 * nothing). Slot 0 is the boot VM's; a VM that finds no free slot gets no emulated GIC either.
 * is_stale: the VIC changed while its state was saved here; its list registers are folded and
 * listed again only then, so a switch back to an unchanged VM touches no list register.
 */
#define VGIC_MAX_VMS 4
static struct vgic_vm {
	struct vic *vic; /* NULL: a free slot */
	uint32_t ctlr;
	uint32_t affinity;
	uint32_t enabled;
	bool asleep;
	uint8_t priority[32];
	uint32_t lr_intid[VGIC_MAX_LRS];
	bool lr_latched[VGIC_MAX_LRS];
	bool is_stale;
} vgic_vms[VGIC_MAX_VMS];
/* The boot VM's VIC: the hwirqs are delivered to it alone. */
static struct vic *vgic_boot_vic;

static void vgic_hwirq_unmask(void);

void vgic_init(const struct machine *m, uint64_t vcpu_affinity, struct vic *vic)
{
	vgic.gicd = m->gicd.base;
	vgic.gicr = m->gicr.base;
	vgic.vtimer = m->timer_virt_intid;
	vgic.maint = m->gic_maint_intid != 0 ? m->gic_maint_intid : VGIC_MAINT_INTID_DEFAULT;
	vgic.affinity = (uint32_t)vcpu_affinity;
	vgic.asleep = true;
	vgic.vic = vic;
	vgic_boot_vic = vic;
	vgic_vms[0] = (struct vgic_vm){.vic = vic, .asleep = true}; /* the boot VM always has one */
	vgic.is_loaded = true;
	vgic.num_lrs = gic_num_lrs();
	if (vgic.num_lrs > VGIC_MAX_LRS)
		vgic.num_lrs = VGIC_MAX_LRS;
	gic_ppi_enable(vgic.maint, true);
}

static bool vgic_deliverable(uint32_t intid)
{
	return intid < 32 && (vgic.ctlr & VGICD_CTLR_G1) != 0 && (vgic.enabled & BIT(intid)) != 0;
}

/*
 * The physical vtimer PPI is enabled only while the VM on the CPU could take it, so it cannot
 * storm: the timer that drives it is that vCPU's (vcpu.c loads CNTV_* with it), whatever VM it
 * belongs to, and a vCPU without a VIC has no GIC to take it through.
 */
static void vgic_sync(void)
{
	gic_ppi_enable(vgic.vtimer, vgic.is_loaded && vgic_deliverable(vgic.vtimer));
}

/* List registers -> VIC: what the guest did with the SPIs we listed. */
static void vgic_fold(struct vic *vic)
{
	for (unsigned i = 0; i < vgic.num_lrs; i++) {
		if (vgic.lr_intid[i] == 0)
			continue;
		struct ich_lr lr = ich_lr_decode(gic_lr_read(i));
		struct vic_irq *irq = vic_irq_of(vic, vgic.lr_intid[i]);
		bool was_latched = vgic.lr_latched[i];

		gic_lr_write(i, 0);
		vgic.lr_intid[i] = 0;
		/* A hwirq unbound while the guest had its SPI in service: the virtual EOI would no
		 * longer end the physical SPI's active state (it is listed again without HW), so it
		 * could never arrive again. Ended here. (A pending one is ended below.) */
		if (lr.hw && (lr.state & ICH_LR_ACTIVE) != 0 &&
		    (irq == NULL || irq->source == NULL || irq->source->hw_pintid != lr.pintid))
			gic_deactivate(lr.pintid);
		if (irq == NULL)
			continue; /* unbound meanwhile: its state went with it */
		irq->is_listed = false;
		irq->is_active = (lr.state & ICH_LR_ACTIVE) != 0;
		if (lr.hw && lr.state == ICH_LR_PENDING) {
			/* Not taken yet: let the device raise it again rather than hold it active
			 * while it may not be listed again (disabled meanwhile). */
			gic_deactivate(lr.pintid);
		} else if ((lr.state & ICH_LR_PENDING) != 0) {
			/* Still pending: a latch the list register held comes back. */
			irq->is_latched = irq->is_latched || was_latched;
		} else if (!irq->is_edge) {
			/* Taken by the guest: its source is asked again before a re-delivery. */
			irq->is_redelivery = true;
			vic_irq_recheck(irq);
		}
	}
}

/* What a VIRQ not yet listed needs: 0 nothing, else its rank (active first, then priority). */
static unsigned vgic_rank(const struct vic *vic, struct vic_irq *irq)
{
	if (irq->is_listed)
		return 0;
	if (irq->is_active)
		return 1;
	if (!irq->is_latched && !irq->is_line_high)
		return 0;     /* the common case, decided on two flags */
	vic_irq_recheck(irq); /* a level VIRQ the guest took before: still raised? */
	return vic_irq_is_deliverable(vic, irq) ? 2u + irq->priority : 0;
}

/*
 * The best @max SPIs to list, in one pass: active first, then pending by priority (lower value
 * first), then INTID. Returns how many there are in all (more than @max: some must wait).
 */
static unsigned vgic_pick(struct vic *vic, uint32_t *best, unsigned max)
{
	unsigned rank[VGIC_MAX_LRS];
	unsigned found = 0;

	for (uint32_t n = 0; n < vic->max_virqs; n++) {
		unsigned r = vgic_rank(vic, &vic->irqs[n]);
		unsigned at;

		if (r == 0)
			continue;
		found++;
		for (at = found - 1 < max ? found - 1 : max; at > 0 && rank[at - 1] > r; at--) {
			if (at < max) {
				rank[at] = rank[at - 1];
				best[at] = best[at - 1];
			}
		}
		if (at < max) {
			rank[at] = r;
			best[at] = n;
		}
	}
	return found;
}

/* VIC -> list registers; UIE while some SPI found no free list register. */
static void vgic_list(struct vic *vic)
{
	uint32_t best[VGIC_MAX_LRS];
	unsigned free[VGIC_MAX_LRS];
	unsigned n_free = 0, found, next = 0;
	uint64_t empty;

	empty = gic_lr_empty();
	for (unsigned i = 0; i < vgic.num_lrs; i++) {
		if ((empty & BIT(i)) != 0 && vgic.lr_intid[i] == 0)
			free[n_free++] = i;
	}
	found = vgic_pick(vic, best, n_free);
	for (; next < found && next < n_free; next++) {
		struct vic_irq *irq = &vic->irqs[best[next]];
		uint32_t pintid = irq->source != NULL ? irq->source->hw_pintid : 0;
		/* An active level VIRQ is listed active only: its EOI brings us back to ask the
		 * source again before it is pending again (a latched edge may be pending+active).
		 */
		bool is_pending =
		    vic_irq_is_deliverable(vic, irq) && !(irq->is_active && !irq->is_latched);
		struct ich_lr lr = {
		    .state =
		        (is_pending ? ICH_LR_PENDING : 0) | (irq->is_active ? ICH_LR_ACTIVE : 0),
		    .hw = pintid != 0,
		    .group1 = irq->is_group1,
		    .eoi = pintid == 0 && !irq->is_edge,
		    .priority = irq->priority,
		    .pintid = (uint16_t)pintid,
		    .vintid = VIC_SPI_BASE + best[next],
		};
		unsigned i = free[next];

		gic_lr_write(i, ich_lr_encode(&lr));
		vgic.lr_intid[i] = VIC_SPI_BASE + best[next];
		/* The list register holds the pending latch now (an edge asserted while it is
		 * listed latches again and is listed pending-and-active or after its EOI). */
		vgic.lr_latched[i] = is_pending && irq->is_latched;
		if (is_pending)
			irq->is_latched = false;
		irq->is_listed = true;
	}
	gic_underflow_irq(found > n_free);
}

/* The slot @vic's state is saved in, or NULL (claim_free: a free one, claimed, if any). */
static struct vgic_vm *vgic_vm_slot(struct vic *vic, bool claim_free)
{
	struct vgic_vm *free = NULL;

	for (unsigned i = 0; i < VGIC_MAX_VMS; i++) {
		if (vgic_vms[i].vic == vic)
			return &vgic_vms[i];
		if (vgic_vms[i].vic == NULL && free == NULL)
			free = &vgic_vms[i];
	}
	if (free != NULL && claim_free)
		*free = (struct vgic_vm){.vic = vic, .asleep = true, .is_stale = true};
	return claim_free ? free : NULL;
}

void arch_vic_changed(struct vic *vic)
{
	if (vic->irqs == NULL)
		return;
	vcpu_vic_changed(vic);
	if (vic == vgic.vic && vgic.is_loaded) {
		vgic_fold(vic);
		vgic_list(vic);
		return;
	}
	/* Its list registers are saved with its vCPU: refilled when one is loaded again. */
	if (vic == vgic.vic) {
		vgic.is_stale = true;
	} else {
		struct vgic_vm *slot = vgic_vm_slot(vic, false);

		if (slot != NULL)
			slot->is_stale = true;
	}
}

static void vgic_vm_save(struct vgic_vm *to)
{
	to->vic = vgic.vic;
	to->ctlr = vgic.ctlr;
	to->affinity = vgic.affinity;
	to->enabled = vgic.enabled;
	to->asleep = vgic.asleep;
	memcpy(to->priority, vgic.priority, sizeof(to->priority));
	memcpy(to->lr_intid, vgic.lr_intid, sizeof(to->lr_intid));
	memcpy(to->lr_latched, vgic.lr_latched, sizeof(to->lr_latched));
	to->is_stale = vgic.is_stale;
}

static void vgic_vm_restore(const struct vgic_vm *from)
{
	vgic.vic = from->vic;
	vgic.ctlr = from->ctlr;
	vgic.affinity = from->affinity;
	vgic.enabled = from->enabled;
	vgic.asleep = from->asleep;
	memcpy(vgic.priority, from->priority, sizeof(vgic.priority));
	memcpy(vgic.lr_intid, from->lr_intid, sizeof(vgic.lr_intid));
	memcpy(vgic.lr_latched, from->lr_latched, sizeof(vgic.lr_latched));
	vgic.is_stale = from->is_stale;
}

void vgic_vcpu_loaded(struct vic *vic)
{
	if (vic != NULL && vic != vgic.vic) {
		struct vgic_vm *slot = vgic_vm_slot(vic, true);

		if (vgic.vic != NULL) {
			struct vgic_vm *mine = vgic_vm_slot(vgic.vic, false);

			if (mine != NULL)
				vgic_vm_save(mine);
		}
		if (slot != NULL) {
			vgic_vm_restore(slot);
		} else {
			vgic.vic = NULL; /* no slot left: no emulated GIC */
			memset(vgic.lr_intid, 0, sizeof(vgic.lr_intid));
		}
	}
	/* No VIC: the last VM's state stays, unloaded (its GIC accesses abort meanwhile). */
	vgic.is_loaded = vic != NULL && vgic.vic != NULL;
	vgic_sync();
	/* Changes made while this VM was off the CPU are listed now. */
	if (vgic.is_loaded && vgic.is_stale) {
		if (vgic.vic->irqs != NULL) {
			vgic_fold(vgic.vic);
			vgic_list(vgic.vic);
		}
		vgic.is_stale = false;
	}
}

void arch_vic_released(struct vic *vic)
{
	for (unsigned i = 1; i < VGIC_MAX_VMS; i++) {
		if (vgic_vms[i].vic == vic)
			vgic_vms[i].vic = NULL;
	}
	/* Its state may still be the resident one (unloaded: no vCPU of it runs any more): a new
	 * VIC at the same address must not find it. */
	if (vgic.vic == vic && vic != vgic_boot_vic) {
		vgic.vic = NULL;
		vgic.is_loaded = false;
		memset(vgic.lr_intid, 0, sizeof(vgic.lr_intid));
	}
}

/* An SPI register block of one bit per INTID: word @n covers INTIDs 32n .. 32n + 31. */
static uint32_t vgic_spi_bits_read(uint64_t base, uint64_t off)
{
	uint32_t first = (uint32_t)(off - base) * 8, v = 0;

	for (unsigned b = 0; b < 32; b++) {
		const struct vic_irq *irq =
		    vgic.vic != NULL ? vic_irq_of(vgic.vic, first + b) : NULL;
		bool bit = false;

		if (irq == NULL)
			continue;
		switch (base) {
		case GICD_IGROUPR:
			bit = irq->is_group1;
			break;
		case GICD_ISENABLER:
		case GICD_ICENABLER:
			bit = irq->is_enabled;
			break;
		case GICD_ISPENDR:
		case GICD_ICPENDR:
			bit = vic_irq_is_pending(irq);
			break;
		default: /* ISACTIVER, ICACTIVER */
			bit = irq->is_active;
			break;
		}
		v |= (uint32_t)bit << b;
	}
	return v;
}

static void vgic_spi_bits_write(uint64_t base, uint64_t off, uint32_t val)
{
	uint32_t first = (uint32_t)(off - base) * 8;

	/* Set/clear registers act on the 1 bits only; IGROUPR on all 32. */
	uint64_t todo = base == GICD_IGROUPR ? 0xFFFFFFFFull : val;

	while (todo != 0) {
		unsigned b = (unsigned)__builtin_ctzll(todo);
		struct vic_irq *irq = vic_irq_of(vgic.vic, first + b);
		bool bit = (val & BIT(b)) != 0;

		todo &= todo - 1;
		if (irq == NULL)
			continue;
		switch (base) {
		case GICD_IGROUPR:
			irq->is_group1 = bit;
			break;
		case GICD_ISENABLER:
			irq->is_enabled = true;
			break;
		case GICD_ICENABLER:
			irq->is_enabled = false;
			break;
		case GICD_ISPENDR:
			irq->is_latched = true;
			break;
		case GICD_ICPENDR:
			/* A level line that still holds keeps it pending (GICv3 rules). */
			irq->is_latched = false;
			break;
		case GICD_ISACTIVER:
			irq->is_active = true;
			break;
		default: /* ICACTIVER */
			irq->is_active = false;
			break;
		}
	}
}

/* Which one-bit-per-INTID block @off lies in (SPI words only: word 0 is the redistributor's). */
static uint64_t vgic_spi_block(uint64_t off)
{
	static const uint64_t blocks[] = {GICD_IGROUPR,  GICD_ISENABLER, GICD_ICENABLER,
	                                  GICD_ISPENDR,  GICD_ICPENDR,   GICD_ISACTIVER,
	                                  GICD_ICACTIVER};

	for (unsigned i = 0; i < ARRAY_SIZE(blocks); i++) {
		if (off >= blocks[i] + 4 && off < blocks[i] + 0x80)
			return blocks[i];
	}
	return 0;
}

static uint32_t vgic_gicd_typer(void)
{
	uint32_t spis = vgic.vic != NULL && vgic.vic->irqs != NULL ? vgic.vic->max_virqs : 0;

	/* ITLinesNumber N: INTIDs up to 32(N + 1) - 1 exist. */
	return VGICD_TYPER_IDBITS | (spis + 31) / 32;
}

static uint32_t vgic_gicd_read(uint64_t off)
{
	uint64_t block = vgic_spi_block(off);

	if (block >= GICD_ISPENDR && vgic.vic != NULL && vgic.vic->irqs != NULL) {
		/* Pending and active state may sit in list registers: fold it back to read it. */
		uint32_t v;
		vgic_fold(vgic.vic);
		v = vgic_spi_bits_read(block, off);
		vgic_list(vgic.vic);
		return v;
	}
	if (block != 0)
		return vgic_spi_bits_read(block, off);
	if (off >= GICD_ICFGR + 8 && off < GICD_ICFGR + 0x100) {
		uint32_t first = (uint32_t)(off - GICD_ICFGR) * 4, v = 0;
		for (unsigned i = 0; i < 16; i++) {
			const struct vic_irq *irq =
			    vgic.vic ? vic_irq_of(vgic.vic, first + i) : NULL;
			if (irq != NULL && irq->is_edge)
				v |= 2u << (2 * i);
		}
		return v;
	}
	if (off >= GICD_IROUTER + 8 * VIC_SPI_BASE && off < GICD_IROUTER_END) {
		uint32_t intid = (uint32_t)(off - GICD_IROUTER) / 8;
		const struct vic_irq *irq = vgic.vic ? vic_irq_of(vgic.vic, intid) : NULL;
		if (irq == NULL)
			return 0;
		return (off & 4) != 0 ? (uint32_t)(irq->route >> 32) : (uint32_t)irq->route;
	}
	switch (off) {
	case 0x0000:
		return vgic.ctlr | VGICD_CTLR_ARE | VGICD_CTLR_DS;
	case 0x0004:
		return vgic_gicd_typer();
	case VGIC_PIDR2:
		return VGIC_PIDR2_V3;
	default:
		return 0;
	}
}

static void vgic_gicd_write(uint64_t off, uint32_t val)
{
	uint64_t block = vgic_spi_block(off);

	if (vgic.vic == NULL || vgic.vic->irqs == NULL) {
		if (off == 0x0000) {
			vgic.ctlr = val & (VGICD_CTLR_G0 | VGICD_CTLR_G1);
			vgic_sync();
		}
		return;
	}
	/* Fold first: the guest may change what a list register holds. */
	vgic_fold(vgic.vic);
	if (block != 0) {
		vgic_spi_bits_write(block, off, val);
	} else if (off >= GICD_ICFGR + 8 && off < GICD_ICFGR + 0x100) {
		uint32_t first = (uint32_t)(off - GICD_ICFGR) * 4;
		for (unsigned i = 0; i < 16; i++) {
			struct vic_irq *irq = vic_irq_of(vgic.vic, first + i);
			if (irq != NULL)
				irq->is_edge = (val & (2u << (2 * i))) != 0;
		}
	} else if (off >= GICD_IROUTER + 8 * VIC_SPI_BASE && off < GICD_IROUTER_END) {
		struct vic_irq *irq = vic_irq_of(vgic.vic, (uint32_t)(off - GICD_IROUTER) / 8);
		/* Aff3.Aff2.Aff1.Aff0 and IRM kept as written (one vCPU takes them all). */
		if (irq != NULL && (off & 4) != 0)
			irq->route = (irq->route & 0xFFFFFFFFull) | (uint64_t)(val & 0xFF) << 32;
		else if (irq != NULL)
			irq->route = (irq->route & ~0xFFFFFFFFull) | (val & 0x80FFFFFFu);
	} else if (off == 0x0000) {
		vgic.ctlr = val & (VGICD_CTLR_G0 | VGICD_CTLR_G1);
		vgic.vic->ctlr = vgic.ctlr;
		vgic_sync();
	}
	vgic_list(vgic.vic);
	vgic_hwirq_unmask();
}

#if HUMPY_PLANT_BUG == 22 /* planted bug 22: GICR IPRIORITYR8..15 overrun vgic.priority[] */
#define VGIC_SGI_PRIO_END 0x0440
#else
#define VGIC_SGI_PRIO_END 0x0420
#endif

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
		if (off >= VGIC_SGI + 0x0400 && off < VGIC_SGI + VGIC_SGI_PRIO_END) {
			/* cppcheck-suppress arrayIndexOutOfBoundsCond ; planted bug 22's range */
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

/* Byte-accessible priority registers: the redistributor's for SGIs/PPIs, the VIC's for SPIs. */
static uint8_t *vgic_priority_byte(bool is_gicd, uint64_t off)
{
	/* cppcheck also reads planted bug 22's wider range (off by default): */
	if (!is_gicd && off >= VGIC_SGI + 0x0400 && off < VGIC_SGI + VGIC_SGI_PRIO_END)
		/* cppcheck-suppress arrayIndexOutOfBoundsCond */
		return &vgic.priority[off - (VGIC_SGI + 0x0400)];
	if (is_gicd && off >= GICD_IPRIORITYR + VIC_SPI_BASE && off < GICD_IPRIORITYR + 1020 &&
	    vgic.vic != NULL) {
		struct vic_irq *irq = vic_irq_of(vgic.vic, (uint32_t)(off - GICD_IPRIORITYR));
		return irq != NULL ? &irq->priority : NULL;
	}
	return NULL;
}

static bool vgic_is_priority(bool is_gicd, uint64_t off)
{
	return is_gicd ? off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 1020
	               : off >= VGIC_SGI + 0x0400 && off < VGIC_SGI + VGIC_SGI_PRIO_END;
}

static uint32_t vgic_read32(bool is_gicd, uint64_t off)
{
	if (is_gicd && vgic_is_priority(true, off)) {
		uint32_t v = 0;
		for (unsigned b = 0; b < 4; b++) {
			const uint8_t *p = vgic_priority_byte(true, off + b);
			v |= p != NULL ? (uint32_t)*p << (8 * b) : 0;
		}
		return v;
	}
	if (is_gicd && gic_version() == 2)
		return vgic_v2_gicd_fix(off, vgic_gicd_read(off));
	return is_gicd ? vgic_gicd_read(off) : vgic_gicr_read(off);
}

/* One aligned 32-bit register; bytes outside mask keep their value (IPRIORITYR byte writes). */
static void vgic_write32(bool is_gicd, uint64_t off, uint32_t val, uint32_t mask)
{
	if (vgic_is_priority(is_gicd, off)) {
		if (is_gicd && vgic.vic != NULL && vgic.vic->irqs != NULL)
			vgic_fold(vgic.vic);
		for (unsigned b = 0; b < 4; b++) {
			uint8_t *p = vgic_priority_byte(is_gicd, off + b);
			if ((mask >> (8 * b) & 0xFF) != 0 && p != NULL)
				*p = (uint8_t)(val >> (8 * b));
		}
		if (is_gicd && vgic.vic != NULL && vgic.vic->irqs != NULL)
			vgic_list(vgic.vic);
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
	bool is_gicr = vgic.gicr != 0 && range_within(ipa, size, vgic.gicr, VGIC_GICR_SIZE);

	if (!vgic.is_loaded || (!is_gicd && !is_gicr) || !IS_ALIGNED(ipa, size))
		return false; /* a VM without a VIC has no GIC: its accesses abort */
	uint64_t off = ipa - (is_gicd ? vgic.gicd : vgic.gicr);
	/* GICv2: no redistributor; its banked SGI/PPI registers are served as the GICv3 SGI
	 * frame's, its own ones by vgic_v2.c. */
	enum vgic_v2_where v2 = gic_version() == 2 ? vgic_v2_gicd_where(&off) : VGIC_V2_SHARED;

	if (v2 == VGIC_V2_OWN) {
		if (!is_write)
			*val = vgic_v2_own_read(off, size);
		return true;
	}
	is_gicd = is_gicd && v2 != VGIC_V2_BANKED;
	uint64_t word = ALIGN_DOWN(off, 4);
	unsigned shift = (unsigned)(off - word) * 8;

	if (!is_write) {
		uint64_t v = vgic_read32(is_gicd, word);
		if (size == 8)
			v |= (uint64_t)vgic_read32(is_gicd, word + 4) << 32;
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

/* A physical PPI for the guest in a free list register (HW = 1); false if none is free. */
static bool vgic_inject_hw(uint32_t intid)
{
	uint64_t empty = gic_lr_empty();

	for (unsigned i = 0; i < vgic.num_lrs; i++) {
		if ((empty & BIT(i)) == 0 || vgic.lr_intid[i] != 0)
			continue;
		struct ich_lr lr = {.state = ICH_LR_PENDING,
		                    .hw = true,
		                    .group1 = true,
		                    .priority = vgic.priority[intid],
		                    .pintid = (uint16_t)intid,
		                    .vintid = intid};
		gic_lr_write(i, ich_lr_encode(&lr));
		isb();
		return true;
	}
	return false;
}

/*
 * A bound hwirq's physical SPI. While the guest could take its VIRQ it is latched and stays
 * active (the guest's deactivation of the HW list register ends it); otherwise it is deactivated
 * and its SPI masked until the guest enables the VIRQ (vgic_hwirq_unmask), so a level line that
 * stays high cannot storm. False when @intid is no bound hwirq's.
 */
static bool vgic_hwirq_arrived(uint32_t intid)
{
	for (unsigned i = 0; i < VGIC_MAX_HWIRQS; i++) {
		struct hwirq *h = vgic.hwirqs[i];
		struct vic_irq *irq;

		if (h == NULL || h->pintid != intid)
			continue;
		irq = h->source.vic == vgic_boot_vic ? vic_irq_of(h->source.vic, h->source.virq)
		                                     : NULL;
		if (irq == NULL || !irq->is_enabled) {
			gic_spi_enable(intid, false);
			vgic.hwirq_masked[i] = true;
			return false;
		}
		irq->is_latched = true;
		arch_vic_changed(h->source.vic);
		return true;
	}
	return false;
}

/* After the guest changed enables: a masked hwirq SPI whose VIRQ is enabled again is unmasked. */
static void vgic_hwirq_unmask(void)
{
	for (unsigned i = 0; i < VGIC_MAX_HWIRQS; i++) {
		struct hwirq *h = vgic.hwirqs[i];
		struct vic_irq *irq;

		if (h == NULL || !vgic.hwirq_masked[i] || h->source.vic != vgic_boot_vic)
			continue;
		irq = vic_irq_of(h->source.vic, h->source.virq);
		if (irq != NULL && irq->is_enabled) {
			vgic.hwirq_masked[i] = false;
			gic_spi_enable(h->pintid, true);
		}
	}
}

void vgic_handle_irq(uint64_t iar)
{
	uint32_t intid = (uint32_t)(iar & 0xFFFFFF);

	if (intid >= GIC_INTID_SPURIOUS)
		return;
	gic_priority_drop(iar); /* EOImode 1 leaves it active */
	/* The guest's EOI of the HW list register deactivates the physical vtimer PPI. The timer
	 * that fired is the loaded vCPU's, so it goes to that vCPU's VM. */
	if (intid == vgic.vtimer && vgic.is_loaded && vgic_deliverable(intid) &&
	    vgic_inject_hw(intid))
		return;
	/* A bound hwirq's SPI stays active until the guest deactivates its HW list register. */
	if (vgic_hwirq_arrived(intid))
		return;
	gic_deactivate(iar);
	/* An SPI no bound hwirq owns (or whose VIRQ is disabled: masked already): masked, so a
	 * device holding its line high cannot keep this CPU in here. Binding enables it again. */
	if (intid >= 32)
		gic_spi_enable(intid, false);
	isb();
	/* Maintenance (an EOI of a level VIRQ, or list registers running low): fold and refill. */
	if (intid == vgic.maint && vgic.vic != NULL)
		arch_vic_changed(vgic.vic);
}

void arch_hwirq_bound(struct hwirq *hwirq, bool is_bound)
{
	for (unsigned i = 0; i < VGIC_MAX_HWIRQS; i++) {
		if (is_bound ? vgic.hwirqs[i] == NULL : vgic.hwirqs[i] == hwirq) {
			vgic.hwirqs[i] = is_bound ? hwirq : NULL;
			vgic.hwirq_masked[i] = false;
			gic_spi_enable(hwirq->pintid, is_bound);
			return;
		}
	}
}

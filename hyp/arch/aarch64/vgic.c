/*
 * vgic: a VM's emulated GICv3 distributor and redistributors (one frame per vCPU of its VIC), and
 * delivery into the GICv3 virtual CPU interface (ICH_LR list registers). The CPU interface itself
 * is the hardware's (ICV_* through ICH_HCR_EL2.En). Shared VIRQs (SPIs) are the VM's VIC (hyp/core
 * vic.c), whose state the GICD registers read and write; each vCPU's private interrupts (SGIs,
 * PPIs) are kept here, per vCPU.
 *
 * Delivery model: before any change the list registers the loaded vCPU holds for us are folded
 * back (pending taken by the guest clears the latch, active is copied, a level VIRQ's source is
 * asked whether its condition still holds), then what that vCPU may take is listed again: its
 * software-pending SGIs/PPIs and the SPIs GICD_IROUTER routes to it, active ones first, then by
 * priority. Level VIRQs are listed with EOI maintenance, so their EOI brings us back to re-deliver
 * them while their condition holds; when more are deliverable than there are list registers,
 * ICH_HCR_EL2.UIE asks for a maintenance interrupt once at most one list register is still in use,
 * and the rest are listed then. A change for a vCPU that is not on the CPU marks it stale: it is
 * folded and listed when it is loaded again (its list registers travel with its context).
 */
#include "gic.h"
#include "hwirq.h"
#include "ich_lr.h"
#include "sysreg.h"
#include "vgic.h"
#include "vgic_v2.h"
#include "vic.h"

#define VGIC_GICD_SIZE     0x10000
#define VGIC_GICR_STRIDE   0x20000 /* one vCPU's frames: RD_base + SGI_base */
#define VGIC_SGI           0x10000
#define VGIC_PIDR2         0xFFE8
#define VGIC_PIDR2_V3      0x3B /* ArchRev 3 */
#define VGICD_CTLR_G0      BIT(0)
#define VGICD_CTLR_G1      BIT(1)
#define VGICD_CTLR_ARE     BIT(4)
#define VGICD_CTLR_DS      BIT(6)
#define VGICD_TYPER_IDBITS (9u << 19) /* 10 INTID bits, no LPIs */
#define VGICR_TYPER_LAST   BIT(4)
#define VGICR_TYPER_PROC   8 /* Processor_Number 23:8 */
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
/* GICD_IROUTER: Interrupt_Routing_Mode (any vCPU), and the affinity bits beyond Aff0 (Aff1 15:8,
 * Aff2 23:16, Aff3 39:32): a VM's vCPUs differ in Aff0 alone (MPIDR U | Aff0 = the index). */
#define GICD_IROUTER_IRM  BIT(31)
#define GICD_IROUTER_AFFS 0xFF00FFFFFFull /* Aff3..Aff0 */
/* ICC_SGI1R_EL1: TargetList 15:0, Aff1 23:16, INTID 27:24, Aff2 39:32, IRM 40, RS 47:44, Aff3
 * 55:48. */
#define SGI1R_TARGETS(v) ((uint32_t)(v)&0xFFFFu)
#define SGI1R_INTID(v)   ((uint32_t)((v) >> 24) & 0xFu)
#define SGI1R_IRM        BIT(40)
#define SGI1R_RS(v)      ((unsigned)((v) >> 44) & 0xFu)
#define SGI1R_AFF123     (0xFFull << 16 | 0xFFull << 32 | 0xFFull << 48)

#define VGIC_MAX_LRS             16
#define VGIC_MAX_HWIRQS          4
#define VGIC_MAINT_INTID_DEFAULT 25 /* the PPI the Arm BSA recommends (QEMU virt uses it) */

/*
 * One vCPU's redistributor (its SGIs and PPIs) and what the list registers hold for it. The
 * virtual timer's PPI is listed by the hardware path (vgic_inject_hw, HW = 1) and not tracked
 * here; every other private interrupt is a software latch (GICR_ISPENDR0, an SGI).
 */
struct vgic_cpu {
	uint32_t enabled;    /* SGI/PPI enable bits */
	uint32_t pending;    /* SGIs/PPIs pending and not listed */
	uint32_t active;     /* SGIs/PPIs the guest had active when last folded */
	uint32_t listed;     /* SGIs/PPIs a list register holds */
	uint32_t lr_used;    /* list registers holding an interrupt of ours */
	uint32_t lr_latched; /* ... whose pending state was a latch (given back if not taken) */
	bool asleep;
	uint8_t priority[32];
	uint32_t lr_intid[VGIC_MAX_LRS]; /* the INTID list register n holds (lr_used bit n) */
};

/*
 * A VM's emulated GIC: its VIC (its SPIs, GICD_CTLR) and its vCPUs' redistributors. Slot 0 is the
 * boot VM's; a VM that finds no free slot gets no emulated GIC (its GIC accesses abort). stale:
 * vCPUs whose list registers must be folded and listed again when they are next loaded.
 */
#define VGIC_MAX_VMS 4
struct vgic_vm {
	struct vic *vic; /* NULL: a free slot */
	uint32_t stale;
	struct vgic_cpu cpu[VIC_MAX_VCPUS];
};
static struct vgic_vm vgic_vms[VGIC_MAX_VMS];

/*
 * The emulation serves the resident VM: the one whose vCPU is on the CPU (is_loaded) or, after a
 * vCPU without a VIC came, the last one (unloaded: its GIC accesses abort meanwhile, and coming
 * back to it costs nothing).
 */
static struct {
	paddr_t gicd, gicr;
	uint32_t vtimer;
	uint32_t maint;
	unsigned num_lrs;
	struct vgic_vm *vm;   /* the resident VM, or NULL */
	struct vgic_cpu *cpu; /* its vCPU `index` */
	uint32_t index;
	bool is_loaded;
	struct hwirq *hwirqs[VGIC_MAX_HWIRQS]; /* bound hwirqs (their physical SPIs are enabled) */
	bool hwirq_masked[VGIC_MAX_HWIRQS]; /* its SPI masked while the guest disables the VIRQ */
	bool vtimer_held; /* the vtimer's PPI taken, kept active: no list register was free */
} vgic;

static void vgic_hwirq_unmask(void);
static void vgic_vtimer_unhold(bool list);

/* The physical CPU interface (gic.h: GICv3 or GICv2). */
#define vgic_lr_empty_mask gic_lr_empty
#define vgic_underflow_irq gic_underflow_irq
#define vgic_deactivate    gic_deactivate
#define vgic_priority_drop gic_priority_drop /* EOImode 1 leaves it active */

static void vgic_vm_reset(struct vgic_vm *vm, struct vic *vic)
{
	*vm = (struct vgic_vm){.vic = vic, .stale = ~0u};
	for (unsigned i = 0; i < VIC_MAX_VCPUS; i++)
		vm->cpu[i].asleep = true;
}

void vgic_init(const struct machine *m, uint64_t vcpu_affinity, struct vic *vic)
{
	(void)vcpu_affinity; /* vCPU i of every VM is Aff0 i (vcpu.c's VMPIDR) */
	vgic.gicd = m->gicd.base;
	vgic.gicr = m->gicr.base;
	vgic.vtimer = m->timer_virt_intid;
	vgic.maint = m->gic_maint_intid != 0 ? m->gic_maint_intid : VGIC_MAINT_INTID_DEFAULT;
	vgic_vm_reset(&vgic_vms[0], vic); /* the boot VM always has one */
	vgic.vm = &vgic_vms[0];
	vgic.cpu = &vgic_vms[0].cpu[0];
	vgic.index = 0;
	vgic.is_loaded = true;
	vgic.num_lrs = gic_num_lrs();
	if (vgic.num_lrs > VGIC_MAX_LRS)
		vgic.num_lrs = VGIC_MAX_LRS;
	gic_ppi_enable(vgic.maint, true);
}

static bool vgic_private_deliverable(uint32_t intid)
{
	return (vgic.vm->vic->ctlr & VGICD_CTLR_G1) != 0 && (vgic.cpu->enabled & BIT(intid)) != 0;
}

/*
 * The physical vtimer PPI is enabled only while the vCPU on the CPU could take it, so it cannot
 * storm: the timer that drives it is that vCPU's (vcpu.c loads CNTV_* with it), whatever VM it
 * belongs to, and a vCPU without a VIC has no GIC to take it through.
 */
static void vgic_sync(void)
{
	gic_ppi_enable(vgic.vtimer, vgic.is_loaded && vgic_private_deliverable(vgic.vtimer));
}

/* Whether GICD_IROUTER value @route sends its SPI to the loaded vCPU. */
static inline bool vgic_routes_here(uint64_t route)
{
	return (route & GICD_IROUTER_IRM) != 0 || (route & GICD_IROUTER_AFFS) == vgic.index;
}

/* A private interrupt's list register came back: active copied, a latch not taken kept. */
static void vgic_fold_private(struct vgic_cpu *cpu, uint32_t intid, const struct ich_lr *lr,
                              bool was_latched)
{
	cpu->listed &= ~BIT(intid);
	if ((lr->state & ICH_LR_ACTIVE) != 0)
		cpu->active |= BIT(intid);
	else
		cpu->active &= ~BIT(intid);
	if ((lr->state & ICH_LR_PENDING) != 0 && was_latched)
		cpu->pending |= BIT(intid);
}

/*
 * List registers -> VIC: what the guest did with what we listed. @saved: a vCPU's saved list
 * registers, else the live ones. @dead: the vCPU never runs again, so it can end nothing it holds:
 * every physical interrupt it held is deactivated and no SPI stays active for it (a pending one
 * keeps its latch and goes to another vCPU).
 */
static inline __attribute__((always_inline)) void
vgic_fold_lrs(struct vic *vic, struct vgic_cpu *cpu, uint64_t *saved, bool dead)
{
	uint32_t used = cpu->lr_used;

	while (used != 0) {
		unsigned i = (unsigned)__builtin_ctz(used);
		struct ich_lr lr = ich_lr_decode(saved != NULL ? saved[i] : gic_lr_read(i));
		uint32_t intid = cpu->lr_intid[i];
		struct vic_irq *irq;
		bool was_latched = (cpu->lr_latched & BIT(i)) != 0;

		used &= used - 1;
		if (saved != NULL)
			saved[i] = 0;
		else
			gic_lr_write(i, 0);
		if (dead && lr.hw)
			vgic_deactivate(lr.pintid);
		if (intid < VIC_SPI_BASE) {
			vgic_fold_private(cpu, intid, &lr, was_latched);
			continue;
		}
		irq = vic_irq_of(vic, intid);
		/* A hwirq unbound while the guest had its SPI in service: the virtual EOI would no
		 * longer end the physical SPI's active state (it is listed again without HW), so it
		 * could never arrive again. Ended here. (A pending one is ended below.) */
		if (!dead && lr.hw && (lr.state & ICH_LR_ACTIVE) != 0 &&
		    (irq == NULL || irq->source == NULL || irq->source->hw_pintid != lr.pintid))
			vgic_deactivate(lr.pintid);
		if (irq == NULL)
			continue; /* unbound meanwhile: its state went with it */
		irq->is_listed = false;
		irq->is_active = !dead && (lr.state & ICH_LR_ACTIVE) != 0;
		if (lr.hw && lr.state == ICH_LR_PENDING) {
			/* Not taken yet: let the device raise it again rather than hold it active
			 * while it may not be listed again (disabled meanwhile). */
			if (!dead)
				vgic_deactivate(lr.pintid);
		} else if ((lr.state & ICH_LR_PENDING) != 0) {
			/* Still pending: a latch the list register held comes back. */
			irq->is_latched = irq->is_latched || was_latched;
		} else if (!irq->is_edge) {
			/* Taken by the guest: its source is asked again before a re-delivery. */
			irq->is_redelivery = true;
			vic_irq_recheck(irq);
		}
		if (irq->is_active || irq->is_latched || irq->is_line_high)
			vic_irq_hint(vic, irq);
	}
	cpu->lr_used = 0;
	cpu->lr_latched = 0;
}

/* The loaded vCPU's list registers folded into its VIC. */
static void vgic_fold(struct vic *vic)
{
	vgic_fold_lrs(vic, vgic.cpu, NULL, false);
}

/* What an SPI not yet listed needs from the loaded vCPU: 0 nothing, else its rank (active first,
 * then priority). */
static unsigned vgic_rank(const struct vic *vic, struct vic_irq *irq)
{
	if (irq->is_listed || (!irq->is_active && !irq->is_latched && !irq->is_line_high))
		return 0; /* the common case, decided on flags */
	if (!vgic_routes_here(irq->route))
		return 0; /* another vCPU's */
	if (irq->is_active)
		return 1;
	vic_irq_recheck(irq); /* a level VIRQ the guest took before: still raised? */
	return vic_irq_is_deliverable(vic, irq) ? 2u + irq->priority : 0;
}

/* The same for the loaded vCPU's private interrupt @intid (pending or active, not listed). */
static unsigned vgic_rank_private(uint32_t intid)
{
	if ((vgic.cpu->active & BIT(intid)) != 0)
		return 1;
	return vgic_private_deliverable(intid) ? 2u + vgic.cpu->priority[intid] : 0;
}

/* Keeps best[0..max) sorted by rank (then INTID, the order of arrival); returns found + 1, or
 * found for rank 0. */
static inline __attribute__((always_inline)) unsigned vgic_pick_add(unsigned *rank, uint32_t *best,
                                                                    unsigned found, unsigned max,
                                                                    unsigned r, uint32_t intid)
{
	unsigned at;

	if (r == 0)
		return found;
	for (at = found < max ? found : max; at > 0 && rank[at - 1] > r; at--) {
		if (at < max) {
			rank[at] = rank[at - 1];
			best[at] = best[at - 1];
		}
	}
	if (at < max) {
		rank[at] = r;
		best[at] = intid;
	}
	return found + 1;
}

/*
 * The best @max INTIDs to list for the loaded vCPU, in one pass: active first, then pending by
 * priority (lower value first), then INTID. Returns how many there are in all (more than @max:
 * some must wait).
 */
static unsigned vgic_pick(struct vic *vic, uint32_t *best, unsigned max)
{
	unsigned rank[VGIC_MAX_LRS];
	unsigned found = 0;
	uint32_t priv = (vgic.cpu->pending | vgic.cpu->active) & ~vgic.cpu->listed;

	while (priv != 0) {
		uint32_t n = (uint32_t)__builtin_ctz(priv);

		priv &= priv - 1;
		found = vgic_pick_add(rank, best, found, max, vgic_rank_private(n), n);
	}
	/* The SPIs that may be pending or active (vic.h hint); one found neither, or listed (its
	 * fold hints it again), is dropped from the hint. */
	for (uint32_t w = 0; w < (vic->max_virqs + 63) / 64; w++) {
		for (uint64_t bits = vic->hint[w]; bits != 0; bits &= bits - 1) {
			uint32_t n = w * 64 + (uint32_t)__builtin_ctzll(bits);
			struct vic_irq *irq = &vic->irqs[n];

			if (irq->is_listed ||
			    (!irq->is_active && !irq->is_latched && !irq->is_line_high)) {
				vic->hint[w] &= ~BIT(n % 64);
				continue;
			}
			found = vgic_pick_add(rank, best, found, max, vgic_rank(vic, irq),
			                      VIC_SPI_BASE + n);
		}
	}
	return found;
}

/* The list register for private interrupt @intid of the loaded vCPU (a software latch: edge). */
static struct ich_lr vgic_lr_private(uint32_t intid, bool *is_pending)
{
	struct vgic_cpu *cpu = vgic.cpu;
	bool is_active = (cpu->active & BIT(intid)) != 0;

	*is_pending = (cpu->pending & BIT(intid)) != 0 && vgic_private_deliverable(intid);
	cpu->listed |= BIT(intid);
	if (*is_pending)
		cpu->pending &= ~BIT(intid);
	return (struct ich_lr){
	    .state = (*is_pending ? ICH_LR_PENDING : 0) | (is_active ? ICH_LR_ACTIVE : 0),
	    .group1 = true,
	    .priority = cpu->priority[intid],
	    .vintid = intid,
	};
}

/* The list register for SPI @irq (INTID @intid). */
static struct ich_lr vgic_lr_spi(struct vic *vic, struct vic_irq *irq, uint32_t intid,
                                 bool *is_pending)
{
	uint32_t pintid = irq->source != NULL ? irq->source->hw_pintid : 0;
	/* An active level VIRQ is listed active only: its EOI brings us back to ask the source
	 * again before it is pending again (a latched edge may be pending+active). */
	bool pend = vic_irq_is_deliverable(vic, irq) && !(irq->is_active && !irq->is_latched);
	struct ich_lr lr = {
	    .state = (pend ? ICH_LR_PENDING : 0) | (irq->is_active ? ICH_LR_ACTIVE : 0),
	    .hw = pintid != 0,
	    .group1 = irq->is_group1,
	    .eoi = pintid == 0 && !irq->is_edge,
	    .priority = irq->priority,
	    .pintid = (uint16_t)pintid,
	    .vintid = intid,
	};

	/* The list register holds the pending latch now (an edge asserted while it is listed
	 * latches again and is listed pending-and-active or after its EOI). */
	*is_pending = pend && irq->is_latched;
	if (pend)
		irq->is_latched = false;
	irq->is_listed = true;
	return lr;
}

/* VIC and the loaded vCPU -> list registers (a held vtimer first); UIE while something found no
 * free list register. */
static void vgic_list(struct vic *vic)
{
	struct vgic_cpu *cpu = vgic.cpu;
	uint32_t best[VGIC_MAX_LRS];
	unsigned free[VGIC_MAX_LRS];
	unsigned n_free = 0, found, next = 0;
	uint64_t empty;

	vgic_vtimer_unhold(true);
	empty = vgic_lr_empty_mask() & ~(uint64_t)cpu->lr_used & (BIT(vgic.num_lrs) - 1);

	for (; empty != 0; empty &= empty - 1)
		free[n_free++] = (unsigned)__builtin_ctzll(empty);
	found = vgic_pick(vic, best, n_free);
	for (; next < found && next < n_free; next++) {
		uint32_t intid = best[next];
		unsigned i = free[next];
		bool is_latched;
		struct ich_lr lr =
		    intid < VIC_SPI_BASE
		        ? vgic_lr_private(intid, &is_latched)
		        : vgic_lr_spi(vic, &vic->irqs[intid - VIC_SPI_BASE], intid, &is_latched);

		gic_lr_write(i, ich_lr_encode(&lr));
		cpu->lr_intid[i] = intid;
		cpu->lr_used |= BIT(i);
		if (is_latched)
			cpu->lr_latched |= BIT(i);
	}
	vgic_underflow_irq(found > n_free || vgic.vtimer_held);
}

/* The loaded vCPU's list registers folded and refilled. */
static void vgic_refresh(void)
{
	vgic_fold(vgic.vm->vic);
	vgic_list(vgic.vm->vic);
}

/* The slot @vic's state is kept in, or NULL (claim_free: a free one, claimed, if any). */
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
		vgic_vm_reset(free, vic);
	return claim_free ? free : NULL;
}

/* Something of the resident VM changed: the loaded vCPU lists it now, the others when loaded
 * (woken if they wait in WFI). */
static void vgic_vm_changed(void)
{
	struct vic *vic = vgic.vm->vic;

	vgic.vm->stale |= ~BIT(vgic.index);
	if (vic->max_vcpus > 1)
		vcpu_vic_changed(vic);
	vgic_refresh();
}

void arch_vic_changed(struct vic *vic)
{
	struct vgic_vm *vm = vgic.vm;

	vcpu_vic_changed(vic);
	if (vm != NULL && vm->vic == vic && vgic.is_loaded) {
		vm->stale |= ~BIT(vgic.index);
		vgic_refresh();
		return;
	}
	/* Its list registers are saved with its vCPUs: refilled when one is loaded again. */
	if (vm == NULL || vm->vic != vic)
		vm = vgic_vm_slot(vic, false);
	if (vm != NULL)
		vm->stale = ~0u;
}

/*
 * A dead vCPU can neither take what its list registers hold pending nor end what they hold
 * active, and while they hold an SPI (is_listed) no other vCPU is given it. So they go back to the
 * VIC as a dead vCPU's (vgic_fold_lrs) and the rest of the VIC's vCPUs are told.
 */
void vgic_vcpu_dead(struct vic *vic, unsigned index, uint64_t *lrs)
{
	struct vgic_vm *vm = lrs == NULL   ? (vgic.is_loaded ? vgic.vm : NULL)
	                     : vic != NULL ? vgic_vm_slot(vic, false)
	                                   : NULL;
	struct vgic_cpu *cpu;

	if (vm == NULL || index >= VIC_MAX_VCPUS)
		return; /* no emulated GIC: nothing of its VIC was listed */
	cpu = lrs == NULL ? vgic.cpu : &vm->cpu[index];
	if (lrs == NULL) {
		vgic.is_loaded = false; /* nothing is listed for it any more */
		vgic_underflow_irq(false);
	}
	if (cpu->lr_used == 0)
		return;
	vgic_fold_lrs(vm->vic, cpu, lrs, true);
	cpu->listed = 0;
	cpu->active = 0;
	arch_vic_changed(vm->vic);
}

void vgic_vcpu_loaded(struct vic *vic, unsigned index)
{
	struct vgic_vm *vm = vgic.vm;

	vgic_vtimer_unhold(false); /* the held one was the last vCPU's timer */

	if (vic != NULL && (vm == NULL || vm->vic != vic)) {
		vm = vgic_vm_slot(vic, true); /* NULL: no slot left, no emulated GIC */
		vgic.vm = vm;
	}
	/* No VIC: the last VM's state stays resident, unloaded (its GIC accesses abort). */
	vgic.is_loaded = vic != NULL && vm != NULL && index < VIC_MAX_VCPUS;
	if (vgic.is_loaded) {
		vgic.cpu = &vm->cpu[index];
		vgic.index = index;
	}
	vgic_sync();
	/* Changes made while this vCPU was off the CPU are listed now. */
	if (vgic.is_loaded && (vm->stale & BIT(index)) != 0) {
		vm->stale &= ~BIT(index);
		vgic_refresh();
	}
}

void arch_vic_released(struct vic *vic)
{
	for (unsigned i = 1; i < VGIC_MAX_VMS; i++) {
		if (vgic_vms[i].vic != vic)
			continue;
		vgic_vms[i].vic = NULL;
		/* Still the resident one (unloaded: no vCPU of it runs any more): a new VIC at
		 * the same address must not find it. */
		if (vgic.vm == &vgic_vms[i]) {
			vgic.vm = NULL;
			vgic.is_loaded = false;
		}
	}
}

/* A guest write of ICC_SGI1R_EL1: the SGI pending on each vCPU of its VM it names. */
bool vgic_sgi1r_write(uint64_t val)
{
	uint32_t intid = SGI1R_INTID(val), targets, self;
	struct vgic_vm *vm = vgic.vm;

	if (!vgic.is_loaded)
		return false; /* no GIC: UNDEFINED */
	self = BIT(vgic.index);
	if ((val & SGI1R_IRM) != 0)
		targets = ~self;
	else if ((val & SGI1R_AFF123) != 0 || SGI1R_RS(val) != 0)
		targets = 0; /* no vCPU has those affinities (VIC_MAX_VCPUS < 16) */
	else
		targets = SGI1R_TARGETS(val);
	targets &= (uint32_t)(BIT(vm->vic->max_vcpus) - 1);
	for (uint32_t t = targets; t != 0; t &= t - 1)
		vm->cpu[__builtin_ctz(t)].pending |= BIT(intid);
	if (targets & ~self) {
		vm->stale |= targets & ~self;
		vcpu_vic_changed(vm->vic);
	}
	if (targets & self)
		vgic_refresh();
	return true;
}

/* An SPI register block of one bit per INTID: word @n covers INTIDs 32n .. 32n + 31. */
static uint32_t vgic_spi_bits_read(struct vic *vic, uint64_t base, uint64_t off)
{
	uint32_t first = (uint32_t)(off - base) * 8, v = 0;

	for (unsigned b = 0; b < 32; b++) {
		const struct vic_irq *irq = vic_irq_of(vic, first + b);
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

static void vgic_spi_bits_write(struct vic *vic, uint64_t base, uint64_t off, uint32_t val)
{
	uint32_t first = (uint32_t)(off - base) * 8;

	/* Set/clear registers act on the 1 bits only; IGROUPR on all 32. */
	uint64_t todo = base == GICD_IGROUPR ? 0xFFFFFFFFull : val;

	while (todo != 0) {
		unsigned b = (unsigned)__builtin_ctzll(todo);
		struct vic_irq *irq = vic_irq_of(vic, first + b);
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
			vic_irq_hint(vic, irq);
			break;
		case GICD_ICPENDR:
			/* A level line that still holds keeps it pending (GICv3 rules). */
			irq->is_latched = false;
			break;
		case GICD_ISACTIVER:
			irq->is_active = true;
			vic_irq_hint(vic, irq);
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

static uint32_t vgic_gicd_typer(const struct vic *vic)
{
	uint32_t spis = vic->irqs != NULL ? vic->max_virqs : 0;

	/* ITLinesNumber N: INTIDs up to 32(N + 1) - 1 exist. */
	return VGICD_TYPER_IDBITS | (spis + 31) / 32;
}

static uint32_t vgic_gicd_read(uint64_t off)
{
	struct vic *vic = vgic.vm->vic;
	uint64_t block = vgic_spi_block(off);

	if (block >= GICD_ISPENDR && vic->irqs != NULL) {
		/* Pending and active state may sit in list registers: fold it back to read it. */
		uint32_t v;
		vgic_fold(vic);
		v = vgic_spi_bits_read(vic, block, off);
		vgic_list(vic);
		return v;
	}
	if (block != 0)
		return vgic_spi_bits_read(vic, block, off);
	if (off >= GICD_ICFGR + 8 && off < GICD_ICFGR + 0x100) {
		uint32_t first = (uint32_t)(off - GICD_ICFGR) * 4, v = 0;
		for (unsigned i = 0; i < 16; i++) {
			const struct vic_irq *irq = vic_irq_of(vic, first + i);
			if (irq != NULL && irq->is_edge)
				v |= 2u << (2 * i);
		}
		return v;
	}
	if (off >= GICD_IROUTER + 8 * VIC_SPI_BASE && off < GICD_IROUTER_END) {
		const struct vic_irq *irq = vic_irq_of(vic, (uint32_t)(off - GICD_IROUTER) / 8);
		if (irq == NULL)
			return 0;
		return (off & 4) != 0 ? (uint32_t)(irq->route >> 32) : (uint32_t)irq->route;
	}
	switch (off) {
	case 0x0000:
		return vic->ctlr | VGICD_CTLR_ARE | VGICD_CTLR_DS;
	case 0x0004:
		return vgic_gicd_typer(vic);
	case VGIC_PIDR2:
		return VGIC_PIDR2_V3;
	default:
		return 0;
	}
}

static void vgic_gicd_write(uint64_t off, uint32_t val)
{
	struct vic *vic = vgic.vm->vic;
	uint64_t block = vgic_spi_block(off);

	/* Fold first: the guest may change what a list register holds. */
	vgic_fold(vic);
	if (block != 0) {
		vgic_spi_bits_write(vic, block, off, val);
	} else if (off >= GICD_ICFGR + 8 && off < GICD_ICFGR + 0x100) {
		uint32_t first = (uint32_t)(off - GICD_ICFGR) * 4;
		for (unsigned i = 0; i < 16; i++) {
			struct vic_irq *irq = vic_irq_of(vic, first + i);
			if (irq != NULL)
				irq->is_edge = (val & (2u << (2 * i))) != 0;
		}
	} else if (off >= GICD_IROUTER + 8 * VIC_SPI_BASE && off < GICD_IROUTER_END) {
		struct vic_irq *irq = vic_irq_of(vic, (uint32_t)(off - GICD_IROUTER) / 8);
		/* Aff3.Aff2.Aff1.Aff0 and IRM kept as written. */
		if (irq != NULL && (off & 4) != 0)
			irq->route = (irq->route & 0xFFFFFFFFull) | (uint64_t)(val & 0xFF) << 32;
		else if (irq != NULL)
			irq->route = (irq->route & ~0xFFFFFFFFull) | (val & 0x80FFFFFFu);
	} else if (off == 0x0000) {
		vic->ctlr = val & (VGICD_CTLR_G0 | VGICD_CTLR_G1);
		vgic_sync();
	}
	vgic_vm_changed();
	vgic_hwirq_unmask();
}

#if HUMPY_PLANT_BUG == 22 /* planted bug 22: GICR IPRIORITYR8..15 overrun vgic.priority[] */
#define VGIC_SGI_PRIO_END 0x0440
#else
#define VGIC_SGI_PRIO_END 0x0420
#endif

/* Redistributor frame @frame (vCPU @frame's) of the resident VM. */
static uint32_t vgic_gicr_read(uint32_t frame, uint64_t off)
{
	const struct vgic_cpu *rd = &vgic.vm->cpu[frame];

	/* Its pending and active state may sit in the loaded vCPU's list registers. */
	if (frame == vgic.index && off >= VGIC_SGI + 0x0200 && off < VGIC_SGI + 0x0400 &&
	    (off & 0x7F) == 0) {
		uint32_t v;
		vgic_fold(vgic.vm->vic);
		v = (off < VGIC_SGI + 0x0300) ? rd->pending : rd->active;
		vgic_list(vgic.vm->vic);
		return v;
	}
	switch (off) {
	case 0x0008: /* TYPER: Processor_Number, Last for the VIC's last vCPU */
		return frame << VGICR_TYPER_PROC |
		       (frame + 1 == vgic.vm->vic->max_vcpus ? VGICR_TYPER_LAST : 0);
	case 0x000C: /* TYPER Affinity_Value: Aff0 = the vCPU index (vcpu.c's VMPIDR) */
		return frame;
	case 0x0014:
		return rd->asleep ? VGICR_WAKER_SLEEP | VGICR_WAKER_ASLEEP : 0;
	case VGIC_PIDR2:
		return VGIC_PIDR2_V3;
	case VGIC_SGI + 0x0080: /* IGROUPR0: everything is group 1 */
		return ~0u;
	case VGIC_SGI + 0x0100: /* ISENABLER0 */
	case VGIC_SGI + 0x0180: /* ICENABLER0 */
		return rd->enabled;
	case VGIC_SGI + 0x0200: /* ISPENDR0, ICPENDR0 of a vCPU not on the CPU */
	case VGIC_SGI + 0x0280:
		return rd->pending;
	case VGIC_SGI + 0x0300: /* ISACTIVER0, ICACTIVER0 */
	case VGIC_SGI + 0x0380:
		return rd->active;
	default:
		if (off >= VGIC_SGI + 0x0400 && off < VGIC_SGI + VGIC_SGI_PRIO_END) {
			/* cppcheck-suppress arrayIndexOutOfBoundsCond ; planted bug 22's range */
			const uint8_t *p = &rd->priority[off - (VGIC_SGI + 0x0400)];
			return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
			       (uint32_t)p[3] << 24;
		}
		return 0;
	}
}

/* vCPU @frame's private state changed: listed now if it is the loaded one, else when loaded. */
static void vgic_rd_changed(uint32_t frame)
{
	if (frame == vgic.index) {
		vgic_sync();
		vgic_list(vgic.vm->vic);
		return;
	}
	vgic.vm->stale |= BIT(frame);
	vcpu_vic_changed(vgic.vm->vic);
}

static void vgic_gicr_write(uint32_t frame, uint64_t off, uint32_t val)
{
	struct vgic_cpu *rd = &vgic.vm->cpu[frame];

	if (off == 0x0014) {
		rd->asleep = (val & VGICR_WAKER_SLEEP) != 0;
		return;
	}
	if (off < VGIC_SGI + 0x0100 || off >= VGIC_SGI + 0x0300 || (off & 0x7F) != 0)
		return;
	if (frame == vgic.index)
		vgic_fold(vgic.vm->vic); /* pending state may sit in a list register */
	switch (off) {
	case VGIC_SGI + 0x0100: /* ISENABLER0 */
		rd->enabled |= val;
		break;
	case VGIC_SGI + 0x0180: /* ICENABLER0 */
		rd->enabled &= ~val;
		break;
	case VGIC_SGI + 0x0200: /* ISPENDR0 (the virtual timer's PPI too: a software latch) */
		rd->pending |= val;
		break;
	default: /* ICPENDR0 */
		rd->pending &= ~val;
		break;
	}
	vgic_rd_changed(frame);
}

/* Byte-accessible priority registers: a redistributor's for SGIs/PPIs (@rd), the VIC's for SPIs
 * (@rd NULL). */
static uint8_t *vgic_priority_byte(struct vgic_cpu *rd, uint64_t off)
{
	/* cppcheck also reads planted bug 22's wider range (off by default): */
	if (rd != NULL && off >= VGIC_SGI + 0x0400 && off < VGIC_SGI + VGIC_SGI_PRIO_END)
		/* cppcheck-suppress arrayIndexOutOfBoundsCond */
		return &rd->priority[off - (VGIC_SGI + 0x0400)];
	if (rd == NULL && off >= GICD_IPRIORITYR + VIC_SPI_BASE && off < GICD_IPRIORITYR + 1020) {
		struct vic_irq *irq = vic_irq_of(vgic.vm->vic, (uint32_t)(off - GICD_IPRIORITYR));
		return irq != NULL ? &irq->priority : NULL;
	}
	return NULL;
}

static bool vgic_is_priority(bool is_gicd, uint64_t off)
{
	return is_gicd ? off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 1020
	               : off >= VGIC_SGI + 0x0400 && off < VGIC_SGI + VGIC_SGI_PRIO_END;
}

/* GICD (@frame < 0) or redistributor frame @frame: one aligned 32-bit register. */
static uint32_t vgic_read32(int frame, uint64_t off)
{
	if (frame < 0 && vgic_is_priority(true, off)) {
		uint32_t v = 0;
		for (unsigned b = 0; b < 4; b++) {
			const uint8_t *p = vgic_priority_byte(NULL, off + b);
			v |= p != NULL ? (uint32_t)*p << (8 * b) : 0;
		}
		return v;
	}
	if (frame < 0 && gic_version() == 2)
		return vgic_v2_gicd_fix(off, vgic_gicd_read(off));
	return frame < 0 ? vgic_gicd_read(off) : vgic_gicr_read((uint32_t)frame, off);
}

/* The same for a write; bytes outside mask keep their value (IPRIORITYR byte writes). */
static void vgic_write32(int frame, uint64_t off, uint32_t val, uint32_t mask)
{
	if (vgic_is_priority(frame < 0, off)) {
		struct vgic_cpu *rd = frame < 0 ? NULL : &vgic.vm->cpu[frame];

		vgic_fold(vgic.vm->vic);
		for (unsigned b = 0; b < 4; b++) {
			uint8_t *p = vgic_priority_byte(rd, off + b);
			if ((mask >> (8 * b) & 0xFF) != 0 && p != NULL)
				*p = (uint8_t)(val >> (8 * b));
		}
		vgic_list(vgic.vm->vic);
		return;
	}
	if (mask != ~0u)
		return; /* sub-word writes only reach byte-accessible registers */
	if (frame < 0)
		vgic_gicd_write(off, val);
	else
		vgic_gicr_write((uint32_t)frame, off, val);
}

bool vgic_mmio(ipa_t ipa, unsigned size, bool is_write, uint64_t *val)
{
	bool is_gicd, is_gicr;
	uint64_t off, word;
	unsigned shift;
	int frame = -1;

	if (!vgic.is_loaded || !IS_ALIGNED(ipa, size))
		return false; /* a VM without a VIC has no GIC: its accesses abort */
	is_gicd = range_within(ipa, size, vgic.gicd, VGIC_GICD_SIZE);
	is_gicr =
	    vgic.gicr != 0 && range_within(ipa, size, vgic.gicr,
	                                   (uint64_t)VGIC_GICR_STRIDE * vgic.vm->vic->max_vcpus);
	if (!is_gicd && !is_gicr)
		return false;
	off = ipa - (is_gicd ? vgic.gicd : vgic.gicr);
	if (is_gicr) {
		frame = (int)(off / VGIC_GICR_STRIDE);
		off %= VGIC_GICR_STRIDE;
	} else if (gic_version() == 2) {
		/* GICv2: no redistributor; its banked SGI/PPI registers are served as the
		 * accessing vCPU's GICv3 SGI frame, its own ones by vgic_v2.c. */
		enum vgic_v2_where v2 = vgic_v2_gicd_where(&off);

		if (v2 == VGIC_V2_OWN) {
			uint64_t sgi1r;

			if (!is_write) {
				*val = vgic_v2_own_read(vgic.vm->vic, vgic.index, off, size);
			} else if (vgic_v2_sgir(off, size, (uint32_t)*val, vgic.index, &sgi1r)) {
				(void)vgic_sgi1r_write(sgi1r);
			} else if (vgic.vm->vic->irqs != NULL) {
				/* ITARGETSR: an SPI's route changes, as by an IROUTER write. */
				vgic_fold(vgic.vm->vic);
				(void)vgic_v2_targets_write(vgic.vm->vic, off, size, *val);
				vgic_vm_changed();
			}
			return true;
		}
		if (v2 == VGIC_V2_BANKED)
			frame = (int)vgic.index;
	}
	word = ALIGN_DOWN(off, 4);
	shift = (unsigned)(off - word) * 8;
	if (!is_write) {
		uint64_t v = vgic_read32(frame, word);
		if (size == 8)
			v |= (uint64_t)vgic_read32(frame, word + 4) << 32;
		else
			v = (v >> shift) & ((size == 4) ? 0xFFFFFFFFull : (1ull << (8 * size)) - 1);
		*val = v;
		return true;
	}
	if (size == 8) {
		vgic_write32(frame, word, (uint32_t)*val, ~0u);
		vgic_write32(frame, word + 4, (uint32_t)(*val >> 32), ~0u);
	} else {
		uint32_t mask = size == 4 ? ~0u : (uint32_t)((1ull << (8 * size)) - 1) << shift;
		vgic_write32(frame, word, (uint32_t)(*val << shift), mask);
	}
	return true;
}

/*
 * A physical PPI for the guest in a list register (HW = 1); false if none is free. A list register
 * already holding it pending (vcpu.c keeps a PPI's pending entry as a purely virtual one while its
 * vCPU is off the CPU) is taken over: one expiry is one interrupt, never two.
 */
static bool vgic_inject_hw(uint32_t intid)
{
	uint64_t empty = vgic_lr_empty_mask();
	unsigned at = VGIC_MAX_LRS;

	for (unsigned i = 0; i < vgic.num_lrs; i++) {
		if ((vgic.cpu->lr_used & BIT(i)) != 0)
			continue;
		if ((empty & BIT(i)) == 0) {
			struct ich_lr held = ich_lr_decode(gic_lr_read(i));

			if (held.vintid == intid && held.state == ICH_LR_PENDING) {
				at = i;
				break;
			}
		} else if (at == VGIC_MAX_LRS) {
			at = i;
		}
	}
	if (at == VGIC_MAX_LRS)
		return false;
	struct ich_lr lr = {.state = ICH_LR_PENDING,
	                    .hw = true,
	                    .group1 = true,
	                    .priority = vgic.cpu->priority[intid],
	                    .pintid = (uint16_t)intid,
	                    .vintid = intid};
	gic_lr_write(at, ich_lr_encode(&lr));
	isb();
	return true;
}

/*
 * A bound hwirq's physical SPI, for whatever VIC it is bound to. While the guest could take its
 * VIRQ it is latched and stays active (the guest's deactivation of the HW list register ends it;
 * a VM not on the CPU lists it when its vCPU is loaded, a vCPU waiting in WFI is woken);
 * otherwise it is deactivated and its SPI masked until the guest enables the VIRQ
 * (vgic_hwirq_unmask), so a level line that stays high cannot storm. False when @intid is no bound
 * hwirq's.
 */
static bool vgic_hwirq_arrived(uint32_t intid)
{
	for (unsigned i = 0; i < VGIC_MAX_HWIRQS; i++) {
		struct hwirq *h = vgic.hwirqs[i];
		struct vic_irq *irq;

		if (h == NULL || h->pintid != intid)
			continue;
		irq = h->source.vic != NULL ? vic_irq_of(h->source.vic, h->source.virq) : NULL;
		if (irq == NULL || !irq->is_enabled) {
			gic_spi_enable(intid, false);
			vgic.hwirq_masked[i] = true;
			return false;
		}
		irq->is_latched = true;
		vic_irq_hint(h->source.vic, irq);
		arch_vic_changed(h->source.vic);
		return true;
	}
	return false;
}

/* After the resident VM changed enables: a masked hwirq SPI of its VIC whose VIRQ is enabled again
 * is unmasked. */
static void vgic_hwirq_unmask(void)
{
	for (unsigned i = 0; i < VGIC_MAX_HWIRQS; i++) {
		struct hwirq *h = vgic.hwirqs[i];
		struct vic_irq *irq;

		if (h == NULL || !vgic.hwirq_masked[i] || h->source.vic != vgic.vm->vic)
			continue;
		irq = vic_irq_of(h->source.vic, h->source.virq);
		if (irq != NULL && irq->is_enabled) {
			vgic.hwirq_masked[i] = false;
			gic_spi_enable(h->pintid, true);
		}
	}
}

/*
 * The vtimer's PPI held active (vgic_handle_irq found every list register taken) is listed once
 * one is free (@list, from vgic_list) or, when the vCPU leaves the CPU or can no longer take it,
 * deactivated: its timer asserts it again when it fires for the vCPU on the CPU.
 */
static void vgic_vtimer_unhold(bool list)
{
	if (!vgic.vtimer_held)
		return;
	if (list && vgic.is_loaded && vgic_private_deliverable(vgic.vtimer)) {
		if (!vgic_inject_hw(vgic.vtimer))
			return; /* still no free list register: UIE stays on (vgic_list) */
	} else {
		vgic_deactivate(vgic.vtimer);
	}
	vgic.vtimer_held = false;
}

void vgic_handle_irq(uint64_t iar)
{
	uint32_t intid = (uint32_t)(iar & 0xFFFFFF);

	if (intid >= GIC_INTID_SPURIOUS)
		return;
	vgic_priority_drop(iar);
	/* The guest's EOI of the HW list register deactivates the physical vtimer PPI. The timer
	 * that fired is the loaded vCPU's, so it goes to that vCPU. With every list register taken
	 * it stays active until one is free (vgic_vtimer_unhold): deactivated, the level PPI would
	 * fire again at once, an interrupt storm in which the vCPU never runs (found by
	 * fuzz/system: the guest had ISPENDR0 = ~0 listed with its interrupts masked). */
	if (intid == vgic.vtimer && vgic.is_loaded && vgic_private_deliverable(intid)) {
		if (!vgic_inject_hw(intid)) {
			vgic.vtimer_held = true;
			vgic_underflow_irq(true);
		}
		return;
	}
	/* A bound hwirq's SPI stays active until the guest deactivates its HW list register. */
	if (vgic_hwirq_arrived(intid))
		return;
	vgic_deactivate(iar);
	/* An SPI no bound hwirq owns (or whose VIRQ is disabled: masked already): masked, so a
	 * device holding its line high cannot keep this CPU in here. Binding enables it again. */
	if (intid >= 32)
		gic_spi_enable(intid, false);
	isb();
	/* Maintenance (an EOI of a level VIRQ, or list registers running low): fold and refill. */
	if (intid == vgic.maint && vgic.is_loaded)
		vgic_vm_changed();
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

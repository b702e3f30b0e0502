/*
 * vcpu: a vCPU's context on AArch64: its reset state, the switch between two vCPUs (general
 * registers through the trap frame, EL1 system registers, FP/SIMD, virtual timer, GIC virtual CPU
 * interface, Stage 2 and the EL2 controls that differ between vCPUs), the timeslice timer, the idle
 * loop and the first entry. Per-CPU data (cpu_local.h) is reached through TPIDR_EL2.
 */
#include "arch.h"
#include "cpu_local.h"
#include "esr.h"
#include "frame.h"
#include "gic.h"
#include "ich_lr.h"
#include "log.h"
#include "sysreg.h"
#include "thread.h"
#include "vcpu.h"
#include "vgic.h"
#include "vm.h"

extern char __stacks_start[];
_Noreturn void arch_guest_enter(struct guest_frame *f);
void vcpu_fp_save(uint64_t *area);
void vcpu_fp_load(const uint64_t *area);

_Static_assert(sizeof(struct vcpu_regs) == sizeof(struct guest_frame), "regs are a frame");
_Static_assert(__builtin_offsetof(struct vcpu_regs, pc) == FRAME_ELR, "regs are a frame");
_Static_assert(__builtin_offsetof(struct vcpu_regs, pstate) == FRAME_SPSR, "regs are a frame");
_Static_assert(__builtin_offsetof(struct vcpu_context, fpsr) ==
                   __builtin_offsetof(struct vcpu_context, fp_v) + 512,
               "vcpu_fp.S: FPSR, FPCR follow V0..V31");
_Static_assert(__builtin_offsetof(struct vcpu_context, fpcr) ==
                   __builtin_offsetof(struct vcpu_context, fp_v) + 520,
               "vcpu_fp.S: FPSR, FPCR follow V0..V31");

/* Registers the assembler may not know by name (pointer authentication is Armv8.3). */
#define APIAKEYLO_EL1 S3_0_C2_C1_0
#define APIAKEYHI_EL1 S3_0_C2_C1_1
#define APIBKEYLO_EL1 S3_0_C2_C1_2
#define APIBKEYHI_EL1 S3_0_C2_C1_3
#define APDAKEYLO_EL1 S3_0_C2_C2_0
#define APDAKEYHI_EL1 S3_0_C2_C2_1
#define APDBKEYLO_EL1 S3_0_C2_C2_2
#define APDBKEYHI_EL1 S3_0_C2_C2_3
#define APGAKEYLO_EL1 S3_0_C2_C3_0
#define APGAKEYHI_EL1 S3_0_C2_C3_1
/* ... nor the allocation-tag registers (FEAT_MTE2 is Armv8.5): encodings from the Arm ARM. */
#define GCR_EL1    S3_0_C1_C0_6
#define RGSR_EL1   S3_0_C1_C0_5
#define TFSR_EL1   S3_0_C5_C6_0
#define TFSRE0_EL1 S3_0_C5_C6_1

#define HCR_VM     BIT(0)
#define HCR_SWIO   BIT(1)
#define HCR_FMO    BIT(3)
#define HCR_IMO    BIT(4)
#define HCR_AMO    BIT(5)
#define HCR_FB     BIT(9)
#define HCR_BSU_IS (1ull << 10)
#define HCR_TWI    BIT(13)
#define HCR_TID3   BIT(18)
#define HCR_TSC    BIT(19)
#define HCR_RW     BIT(31)
#define HCR_APK    BIT(40)
#define HCR_API    BIT(41)
#define HCR_ATA    BIT(56)
/* Stage-2 on, physical interrupts to EL2, SMC trapped (PSCI is ours), AArch64 EL1, pointer
 * authentication usable by the guest without traps, ID registers trapped (arch_vcpu_id_reg says
 * what the VM has). WFI always traps (HCR_TWI): a vCPU with nothing to take waits off the CPU
 * (arch_vcpu_wfi), so a lower-priority vCPU runs meanwhile; WFE runs natively. */
#define HCR_GUEST                                                                                  \
	(HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_FB | HCR_BSU_IS | HCR_TWI |         \
	 HCR_TID3 | HCR_TSC | HCR_RW | HCR_APK | HCR_API)

#define CPTR_EL2_RES1 0x32FFull
/*
 * FP/SIMD untrapped (TFP clear); SVE trapped (TZ): identify's flags1 says the VM has no SVE
 * (HYP_API_FLAGS1 = 0), so the VM must not be able to use it. A trapped SVE instruction gets an
 * Unknown-reason exception like any other unhandled trap.
 */
#define CPTR_EL2_TZ BIT(8)

/* MDCR_EL2: HPMN (counters EL1 may use), and the traps of the PMU and the debug registers. */
#define MDCR_HPMN_MASK   0x1Full
#define MDCR_TPMCR       BIT(5)
#define MDCR_TPM         BIT(6)
#define MDCR_TDA         BIT(9)
#define MDCR_TDOSA       BIT(10)
#define MDCR_TDRA        BIT(11)
#define MDCR_DEBUG_TRAPS (MDCR_TDA | MDCR_TDOSA | MDCR_TDRA)
#define MDCR_PMU_TRAPS   (MDCR_TPM | MDCR_TPMCR)

#define CNTHCTL_EL1PCTEN   BIT(0)
#define CNTHCTL_EL1PCEN    BIT(1)
#define CNTHP_CTL_ENABLE   BIT(0)
#define CNTV_CTL_ENABLE    BIT(0)
#define CNTV_CTL_IMASK     BIT(1)
#define CNTV_CTL_ISTATUS   BIT(2)
#define VCPU_NO_DEADLINE   UINT64_MAX
#define SCTLR_EL1_RESET    0x30D00800ull /* RES1 bits only: MMU and caches off */
#define SCTLR_EL2_ITFSB    BIT(37)
#define VMPIDR_U_AFF0(cpu) (BIT(31) | (cpu))
#define ICH_HCR_EN         BIT(0)
#define NS_PER_S           1000000000ull

/* What the CPU has, read once (every CPU of a machine has the same). */
static struct {
	unsigned num_lrs;
	bool has_pauth;
	bool has_mte; /* FEAT_MTE2: the guest gets allocation tags (vcpu_cpu_has_mte) */
	uint64_t timer_freq;
	/* With the RM as the root VM, the boot options' grants (humpy.guest_pmu ...) are the
	 * loaded guest's: the primary VM the RM builds, whose vCPUs it flags hlos_vm (the RM alone
	 * holds the root partition, so no other VM can make such a vCPU). 0 otherwise. */
	uint32_t hlos_grants;
} vcpu_hw;

/* ID_AA64PFR1_EL1.MTE (11:8) >= 2: allocation tags in memory (FEAT_MTE2), not just the
 * instructions (1). Only then do HCR_EL2.ATA, GCR_EL1, RGSR_EL1 and TFSR*_EL1 exist. */
#define PFR1_MTE(pfr1) (((pfr1) >> 8) & 0xFull)
#define PFR1_MTE2      2

static bool vcpu_cpu_has_mte(void)
{
	return PFR1_MTE(read_sysreg(id_aa64pfr1_el1)) >= PFR1_MTE2;
}

static struct cpu_local *this_cpu(void)
{
	return (struct cpu_local *)(uintptr_t)read_sysreg(tpidr_el2);
}

struct vcpu *arch_vcpu_current(void)
{
	return this_cpu()->sched.current;
}

uint64_t arch_vcpu_reset_pstate(void)
{
	return PSR_DAIF | PSR_MODE_EL1h;
}

void arch_vcpu_set_sp(struct vcpu *vcpu, unsigned el, uint64_t value)
{
	if (el == 0)
		vcpu->ctx.el1.sp_el0 = value;
	else
		vcpu->ctx.el1.sp_el1 = value;
}

/* What a vCPU owns beyond the default (MACHINE_GRANT_*): the boot VM's are its boot options (the
 * primary VM's instead under the RM: vcpu_hw.hlos_grants); a vCPU built from hypercalls may have
 * the debug registers (vcpu_configure debug_allowed). */
static uint32_t vcpu_grants(const struct vcpu *v)
{
	uint32_t grants = v->vm != NULL ? v->vm->grants : 0;

	if (v->thread != NULL && (v->thread->options & THREAD_OPTION_DEBUG_ALLOWED) != 0)
		grants |= MACHINE_GRANT_DEBUG;
	if (v->thread != NULL && (v->thread->options & THREAD_OPTION_HLOS_VM) != 0)
		grants |= vcpu_hw.hlos_grants;
	return grants;
}

/*
 * The PMU, the debug registers and the EL1 physical timer are the guest's only when granted
 * (vcpu_grants: make bench boots with humpy.guest_pmu for PMCCNTR_EL0); otherwise their accesses
 * trap and become Unknown-reason exceptions. The physical counter stays readable.
 */
static void vcpu_reset_el2(struct vcpu *v)
{
	struct vcpu_context *c = &v->ctx;
	uint64_t hpmn = (read_sysreg(pmcr_el0) >> 11) & MDCR_HPMN_MASK;
	uint32_t grants = vcpu_grants(v);

	/* Read here, not from vcpu_hw: the boot thread is reset before arch_cpu_init. */
	c->hcr = HCR_GUEST | (vcpu_cpu_has_mte() ? HCR_ATA : 0);
	c->mdcr = hpmn | ((grants & MACHINE_GRANT_PMU) != 0 ? 0 : MDCR_PMU_TRAPS) |
	          ((grants & MACHINE_GRANT_DEBUG) != 0 ? 0 : MDCR_DEBUG_TRAPS);
	c->cnthctl =
	    CNTHCTL_EL1PCTEN | ((grants & MACHINE_GRANT_PTIMER) != 0 ? CNTHCTL_EL1PCEN : 0);
	c->vmpidr = VMPIDR_U_AFF0(v->index);
	/* The boot VM's Stage 2 is the one stage2.c loaded at boot (stage2_root NULL). */
	if (v->stage2_root != NULL)
		c->vttbr = (uint64_t)v->vmid << 48 | (uint64_t)(uintptr_t)v->stage2_root;
	else if (c->vttbr == 0)
		c->vttbr = read_sysreg(vttbr_el2);
}

void arch_vcpu_context_reset(struct vcpu *v)
{
	struct vcpu_context *c = &v->ctx;
	uint64_t vttbr = c->vttbr;
	uint64_t sp_el0 = c->el1.sp_el0, sp_el1 = c->el1.sp_el1;

	*c = (struct vcpu_context){0};
	c->vttbr = vttbr;
	/* The stack pointers are registers vcpu_register_write sets: kept, as the others are. */
	c->el1.sp_el0 = sp_el0;
	c->el1.sp_el1 = sp_el1;
	c->el1.sctlr = SCTLR_EL1_RESET;
	c->ich_hcr = ICH_HCR_EN;
	vcpu_reset_el2(v);
}

#define VCPU_SAVE_(field, reg) c->el1.field = read_sysreg(reg);
#define VCPU_LOAD_(field, reg) write_sysreg(reg, c->el1.field);

/*
 * The GIC virtual CPU interface out to memory. A list register that forwards a PPI of this CPU
 * (HW = 1: the virtual timer) holds that PPI active; it must not stay so while another vCPU runs
 * (its own timer uses the same PPI), so the physical PPI is deactivated and the entry kept as a
 * purely virtual one: the vCPU still sees it when it runs again.
 */
static uint64_t vcpu_lr_release_ppi(uint64_t raw)
{
	struct ich_lr lr = ich_lr_decode(raw);

	if (!lr.hw || lr.pintid >= 32 || lr.state == ICH_LR_INVALID)
		return raw;
	gic_deactivate(lr.pintid);
	lr.hw = false;
	return ich_lr_encode(&lr);
}

static void vcpu_gic_save(struct vcpu_context *c)
{
	for (unsigned i = 0; i < vcpu_hw.num_lrs; i++)
		c->ich_lr[i] = vcpu_lr_release_ppi(gic_lr_read(i));
	gic_vif_save(c);
}

/* The VIC whose VIRQs @v takes (NULL: none). */
static struct vic *vcpu_vic(const struct vcpu *v)
{
	return v->vm != NULL ? v->vm->vic : v->thread != NULL ? v->thread->vic : NULL;
}

/*
 * A list register of a vCPU that will never run again: whatever physical interrupt it forwards
 * (HW = 1: the virtual timer's PPI, or a bound hwirq's SPI, pending or active) was acknowledged
 * here and stays active until the guest's deactivation, which cannot come now. Deactivated, so it
 * can arrive again (for another vCPU, or for whatever VIC the hwirq is bound to next).
 */
static uint64_t vcpu_lr_release_hw(uint64_t raw)
{
	struct ich_lr lr = ich_lr_decode(raw);

	if (!lr.hw || lr.state == ICH_LR_INVALID)
		return raw;
	gic_deactivate(lr.pintid);
	lr.hw = false;
	return ich_lr_encode(&lr);
}

/*
 * A vCPU that powered off or was killed on the CPU leaves nothing to save, but its virtual timer
 * still drives this CPU's PPI and its list registers may hold physical interrupts active: both are
 * ended here, or the next vCPU's timer (the same PPI) or the hwirq could never fire again.
 */
static void vcpu_drop_dead(void)
{
	write_sysreg(cntv_ctl_el0, 0);
	vgic_vcpu_dead(NULL, 0, NULL); /* what it listed goes back to its VIC */
	for (unsigned i = 0; i < vcpu_hw.num_lrs; i++)
		gic_lr_write(i, vcpu_lr_release_hw(gic_lr_read(i)));
	isb();
}

void arch_vcpu_stopped(struct vcpu *v)
{
	if (v == this_cpu()->sched.current)
		return; /* its list registers are live: vcpu_drop_dead when it leaves the CPU */
	vgic_vcpu_dead(vcpu_vic(v), v->index, v->ctx.ich_lr);
	for (unsigned i = 0; i < vcpu_hw.num_lrs; i++)
		v->ctx.ich_lr[i] = vcpu_lr_release_hw(v->ctx.ich_lr[i]);
}

static void vcpu_gic_load(struct vcpu_context *c)
{
	for (unsigned i = 0; i < vcpu_hw.num_lrs; i++)
		gic_lr_write(i, c->ich_lr[i]);
	gic_vif_load(c);
}

/* The vCPU that ran until this trap, out of the CPU: @f is its trap frame. */
static void vcpu_save(struct vcpu *v, const struct guest_frame *f)
{
	struct vcpu_context *c = &v->ctx;

	memcpy(&v->regs, f, sizeof(v->regs));
	VCPU_EL1_REGS(VCPU_SAVE_)
	if (vcpu_hw.has_pauth) {
		VCPU_PAUTH_REGS(VCPU_SAVE_)
	}
	if (vcpu_hw.has_mte) { /* TFSR*: SCTLR_EL2.ITFSB synchronised them at the trap */
		VCPU_MTE_REGS(VCPU_SAVE_)
	}
	vcpu_fp_save(c->fp_v);
	c->cntv_ctl = read_sysreg(cntv_ctl_el0);
	c->cntv_cval = read_sysreg(cntv_cval_el0);
	write_sysreg(cntv_ctl_el0, 0); /* its timer no longer drives this CPU's PPI */
	vcpu_gic_save(c);
	c->hcr = read_sysreg(hcr_el2);
}

/* @v onto the CPU: the trap frame @f returns into it. */
static void vcpu_load(struct vcpu *v, struct guest_frame *f)
{
	struct vcpu_context *c = &v->ctx;

	memcpy(f, &v->regs, sizeof(v->regs));
	VCPU_EL1_REGS(VCPU_LOAD_)
	if (vcpu_hw.has_pauth) {
		VCPU_PAUTH_REGS(VCPU_LOAD_)
	}
	if (vcpu_hw.has_mte) {
		VCPU_MTE_REGS(VCPU_LOAD_)
	}
	vcpu_fp_load(c->fp_v);
	write_sysreg(cntv_cval_el0, c->cntv_cval);
	write_sysreg(cntv_ctl_el0, c->cntv_ctl);
	vcpu_gic_load(c);
	write_sysreg(hcr_el2, c->hcr);
	write_sysreg(mdcr_el2, c->mdcr);
	write_sysreg(cnthctl_el2, c->cnthctl);
	write_sysreg(vmpidr_el2, c->vmpidr);
	if (read_sysreg(vttbr_el2) != c->vttbr)
		write_sysreg(vttbr_el2, c->vttbr);
	isb();
	/* The emulated GIC serves the VIC of the vCPU on the CPU (none: its GIC accesses abort). */
	vgic_vcpu_loaded(vcpu_vic(v), v->index);
}

/*
 * The EL2 physical timer serves two deadlines: the running vCPU's timeslice (slice_end) and the
 * earliest virtual timer of a vCPU waiting in WFI (its wake_at). Armed for the sooner, off if none.
 */
/* A vCPU off the CPU: when its saved virtual timer fires (VCPU_NO_DEADLINE: off or masked). */
static uint64_t vcpu_saved_deadline(const struct vcpu *v)
{
	return (v->ctx.cntv_ctl & (CNTV_CTL_ENABLE | CNTV_CTL_IMASK)) == CNTV_CTL_ENABLE
	           ? v->ctx.cntv_cval
	           : VCPU_NO_DEADLINE;
}

/* The caller parked by a proxy run (vcpu_run) on this CPU, or NULL. */
static struct vcpu *vcpu_parked(const struct cpu_local *cpu)
{
	const struct vcpu *cur = cpu->sched.current;

	return cur != NULL ? cur->sched.runs_for : NULL;
}

static void vcpu_arm_timer(struct cpu_local *cpu)
{
	uint64_t at = cpu->slice_end != 0 ? cpu->slice_end : VCPU_NO_DEADLINE;
	const struct vcpu *parked = vcpu_parked(cpu);

	for (const struct vcpu *w = cpu->sched.waiting; w != NULL; w = w->sched.next)
		at = w->ctx.wake_at < at ? w->ctx.wake_at : at;
	/* A proxy run ends when its caller's own timer fires (arch_vcpu_timer_fired). */
	if (parked != NULL && vcpu_saved_deadline(parked) < at)
		at = vcpu_saved_deadline(parked);
	if (at == VCPU_NO_DEADLINE) {
		write_sysreg(cnthp_ctl_el2, 0);
		return;
	}
	write_sysreg(cnthp_cval_el2, at);
	write_sysreg(cnthp_ctl_el2, CNTHP_CTL_ENABLE);
}

/* The timeslice: while a ready vCPU shares (or outranks) the running one's priority, the EL2
 * physical timer ends the slice (arch_vcpu_timer_fired -> sched_tick). */
static void vcpu_timeslice(struct cpu_local *cpu, bool is_new)
{
	/* A proxy run spends its caller's timeslice (sched_owner). */
	struct vcpu *cur = sched_owner(&cpu->sched);

	if (!sched_is_contended(&cpu->sched))
		cpu->slice_end = 0;
	else if (is_new || cpu->slice_end == 0)
		cpu->slice_end = read_sysreg(cntpct_el0) +
		                 cur->sched.timeslice_ns * vcpu_hw.timer_freq / NS_PER_S;
	vcpu_arm_timer(cpu);
}

/* Whether the vCPU on the CPU has something a WFI wakes for: a pending list register, or its
 * virtual timer fired and unmasked (a wake-up may be spurious, never missed). */
static bool vcpu_has_wakeup(void)
{
	uint64_t ctl = read_sysreg(cntv_ctl_el0);

	if ((ctl & (CNTV_CTL_ENABLE | CNTV_CTL_IMASK | CNTV_CTL_ISTATUS)) ==
	    (CNTV_CTL_ENABLE | CNTV_CTL_ISTATUS))
		return true;
	for (unsigned i = 0; i < vcpu_hw.num_lrs; i++) {
		if ((ich_lr_decode(gic_lr_read(i)).state & ICH_LR_PENDING) != 0)
			return true;
	}
	return false;
}

void arch_vcpu_wfi(void)
{
	struct cpu_local *cpu = this_cpu();
	struct vcpu *v = cpu->sched.current;
	uint64_t ctl;

	if (vcpu_has_wakeup())
		return; /* the WFI completes at once */
	ctl = read_sysreg(cntv_ctl_el0);
	v->ctx.wake_at = (ctl & (CNTV_CTL_ENABLE | CNTV_CTL_IMASK)) == CNTV_CTL_ENABLE
	                     ? read_sysreg(cntv_cval_el0) /* CNTVOFF_EL2 is 0 */
	                     : VCPU_NO_DEADLINE;
	sched_wait(&cpu->sched, v);
}

/*
 * Waking a waiter may change the waiting list under the walk: a proxied waiter's wakeup VIRQ
 * (sched_wake_waiting -> vcpu_run_wakeup) can wake another waiter in turn. So each wake starts the
 * walk again; each one takes a vCPU off the list, so it ends.
 */
void vcpu_vic_changed(const struct vic *vic)
{
	struct cpu_local *cpu = this_cpu();
	struct vcpu *w = cpu->sched.waiting;
	struct vcpu *parked = vcpu_parked(cpu);

	while (w != NULL) {
		if (vcpu_vic(w) == vic) {
			sched_wake_waiting(&cpu->sched, w);
			w = cpu->sched.waiting;
		} else {
			w = w->sched.next;
		}
	}
	/* An interrupt for a caller parked by vcpu_run ends the run (READY): it takes it. */
	if (parked != NULL && vcpu_vic(parked) == vic)
		sched_proxy_interrupt(&cpu->sched);
}

void arch_vcpu_timer_fired(struct cpu_local *cpu)
{
	uint64_t now = read_sysreg(cntpct_el0);
	struct vcpu *w = cpu->sched.waiting;
	struct vcpu *parked = vcpu_parked(cpu);

	while (w != NULL) { /* restarted after each wake, as in vcpu_vic_changed */
		if (w->ctx.wake_at <= now) {
			sched_wake_waiting(&cpu->sched, w);
			w = cpu->sched.waiting;
		} else {
			w = w->sched.next;
		}
	}
	if (parked != NULL && vcpu_saved_deadline(parked) <= now)
		sched_proxy_interrupt(&cpu->sched);
	if (cpu->slice_end != 0 && cpu->slice_end <= now) {
		cpu->slice_end = 0;
		if (cpu->sched.current != NULL)
			sched_tick(&cpu->sched);
	}
	vcpu_arm_timer(cpu);
}

/* Nothing runnable: wait for interrupts until something is (a waiter's deadline, a VIRQ). */
static struct vcpu *vcpu_idle(struct cpu_local *cpu)
{
	struct vcpu *next = NULL;

	cpu->slice_end = 0;
	vcpu_arm_timer(cpu);
	vgic_vcpu_loaded(NULL, 0);
	while (next == NULL) {
		__asm__ volatile("wfi" ::: "memory");
		arch_irq_take();
		if (cpu->sched.pending != SCHED_NONE)
			next = sched_pick(&cpu->sched);
	}
	return next;
}

void arch_vcpu_reschedule(struct guest_frame *f)
{
	struct cpu_local *cpu = this_cpu();
	/* NULL when the vCPU that trapped powered off or died: nothing of it is saved. */
	struct vcpu *prev = cpu->sched.current;
	struct vcpu *prev_owner = sched_owner(&cpu->sched);
	struct vcpu *next;

	if (prev == NULL)
		vcpu_drop_dead();
	next = sched_pick(&cpu->sched);
	if (next == NULL) {
		/* Out of the CPU before it idles (a vCPU waiting in WFI: its timer must not fire
		 * here, and the vCPU that comes back may be another). */
		if (prev != NULL)
			vcpu_save(prev, f);
		prev = NULL;
		next = vcpu_idle(cpu);
	}
	if (next != prev) {
		if (prev != NULL)
			vcpu_save(prev, f);
		vcpu_load(next, f);
	}
	/* A new slice for a new owner: a proxy run's start and end keep the caller's. */
	vcpu_timeslice(cpu, sched_owner(&cpu->sched) != prev_owner);
}

/* ID_AA64PFR0_EL1 SVE 35:32, AMU 47:44; ID_AA64PFR1_EL1 MTE 11:8, SME 27:24, MTE_frac 43:40;
 * ID_AA64DFR0_EL1 PMUVer 11:8; ID_DFR0_EL1 PerfMon 27:24. */
#define ID_FIELD(shift)  (0xFull << (shift))
#define ID_PFR0_HIDDEN   (ID_FIELD(32) | ID_FIELD(44))
#define ID_PFR1_SME      ID_FIELD(24)
#define ID_PFR1_MTE      (ID_FIELD(8) | ID_FIELD(40))
#define ID_DFR0_PMUVER   ID_FIELD(8)
#define ID_DFR0_A32_PERF ID_FIELD(24)
#define ID_REG(crm, op2) ((crm) << 3 | (op2))

/* The ID register (op0 3, op1 0, CRn 0, @crm, @op2) as the CPU has it (reserved ones read 0). */
static uint64_t vcpu_id_reg_raw(unsigned crm, unsigned op2)
{
	switch (ID_REG(crm, op2)) {
#define VCPU_ID_(m, o)                                                                             \
	case ID_REG(m, o):                                                                         \
		return read_sysreg(S3_0_C0_C##m##_##o);
#define VCPU_ID_ROW_(m)                                                                            \
	VCPU_ID_(m, 0)                                                                             \
	VCPU_ID_(m, 1)                                                                             \
	VCPU_ID_(m, 2) VCPU_ID_(m, 3) VCPU_ID_(m, 4) VCPU_ID_(m, 5) VCPU_ID_(m, 6) VCPU_ID_(m, 7)
		VCPU_ID_ROW_(1)
		VCPU_ID_ROW_(2)
		VCPU_ID_ROW_(3)
		VCPU_ID_ROW_(4)
		VCPU_ID_ROW_(5)
		VCPU_ID_ROW_(6)
		VCPU_ID_ROW_(7)
#undef VCPU_ID_ROW_
#undef VCPU_ID_
	default:
		return 0;
	}
}

/*
 * What a vCPU reads from an ID register: the CPU's, less what the VM does not have. SVE and SME
 * are trapped for everyone (identify's flags1 SVE bit is 0, and so is PFR0.SVE), AMU too, and the
 * PMU is hidden unless granted (its registers trap then). MTE (and MTE_frac) is the VM's as the CPU
 * has it when that is FEAT_MTE2 or later: HCR_EL2.ATA is set and the switch keeps GCR, RGSR and
 * TFSR*. An instructions-only MTE (1) is hidden: there are no tags to give.
 */
uint64_t arch_vcpu_id_reg(const struct vcpu *v, unsigned crm, unsigned op2)
{
	uint64_t val = vcpu_id_reg_raw(crm, op2);

	switch (ID_REG(crm, op2)) {
	case ID_REG(4, 0): /* ID_AA64PFR0_EL1 */
		return val & ~ID_PFR0_HIDDEN;
	case ID_REG(4, 1): /* ID_AA64PFR1_EL1 */
		return val & ~(ID_PFR1_SME | (PFR1_MTE(val) >= PFR1_MTE2 ? 0 : ID_PFR1_MTE));
	case ID_REG(4, 4): /* ID_AA64ZFR0_EL1: no SVE */
	case ID_REG(4, 5): /* ID_AA64SMFR0_EL1: no SME */
		return 0;
	case ID_REG(5, 0): /* ID_AA64DFR0_EL1 */
		return (vcpu_grants(v) & MACHINE_GRANT_PMU) != 0 ? val : val & ~ID_DFR0_PMUVER;
	case ID_REG(1, 2): /* ID_DFR0_EL1 */
		return (vcpu_grants(v) & MACHINE_GRANT_PMU) != 0 ? val : val & ~ID_DFR0_A32_PERF;
	default:
		return val;
	}
}

void arch_cpu_init(struct cpu_local *cpu, const struct machine *m)
{
	uint64_t isar1 = read_sysreg(id_aa64isar1_el1);

	sched_init(&cpu->sched);
	cpu->index = 0;
	cpu->timer_intid = m->timer_hyp_intid;
	cpu->slice_end = 0;
	write_sysreg(tpidr_el2, (uint64_t)(uintptr_t)cpu);

	vcpu_hw.num_lrs = gic_num_lrs();
	if (vcpu_hw.num_lrs > VCPU_GIC_MAX_LRS)
		vcpu_hw.num_lrs = VCPU_GIC_MAX_LRS;
	/* ID_AA64ISAR1_EL1 APA 7:4, API 11:8 (address keys), GPA 27:24, GPI 31:28. */
	vcpu_hw.has_pauth = (isar1 & 0xFF000FF0ull) != 0;
	vcpu_hw.has_mte = vcpu_cpu_has_mte();
	vcpu_hw.timer_freq = read_sysreg(cntfrq_el0);
	vcpu_hw.hlos_grants = m->root_vm == MACHINE_ROOT_RM ? m->guest_grants : 0;

	write_sysreg(cptr_el2, CPTR_EL2_RES1 | CPTR_EL2_TZ);
	write_sysreg(cntvoff_el2, 0);
	write_sysreg(cnthp_ctl_el2, 0);
	/* A guest's asynchronous Tag Check Fault is in its TFSR*_EL1 once a trap reaches EL2
	 * (ITFSB): vcpu_save keeps it with the vCPU that caused it. */
	if (vcpu_hw.has_mte)
		write_sysreg(sctlr_el2, read_sysreg(sctlr_el2) | SCTLR_EL2_ITFSB);
	isb();
	gic_ppi_enable(cpu->timer_intid, true);
}

_Noreturn void arch_vcpu_start(struct cpu_local *cpu)
{
	/* The frame sits at the top of this CPU's stack, where the vectors expect it. */
	struct guest_frame *f =
	    (struct guest_frame *)(uintptr_t)(__stacks_start + STACK_SLOT - FRAME_SIZE);
	struct vcpu *next = sched_pick(&cpu->sched);

	if (next == NULL)
		next = vcpu_idle(cpu);
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	vcpu_load(next, f);
	vcpu_timeslice(cpu, true);
	arch_guest_enter(f);
}

/* trap: what a guest's exits to EL2 become: hypercalls, emulated GIC accesses, injected faults. */
#include "arch.h"
#include "cpu_local.h"
#include "esr.h"
#include "frame.h"
#include "gic.h"
#include "hypercall.h"
#include "inject.h"
#include "log.h"
#include "sysreg.h"
#include "vcpu.h"
#include "vgic.h"
#include "vm.h"

void arch_guest_sync(struct guest_frame *f);
void arch_guest_hypercall_exit(struct guest_frame *f);
void arch_guest_irq(struct guest_frame *f);
void arch_guest_unexpected(struct guest_frame *f, uint64_t kind);

#define ESR_EC_WFX 0x01

static struct cpu_local *trap_cpu(void)
{
	return (struct cpu_local *)(uintptr_t)read_sysreg(tpidr_el2);
}

/*
 * On the way back to a guest: a scheduling decision that is pending is carried out here, and an
 * SError the hypervisor's own work raised is taken now, at EL2, as the hypervisor's (serror.S).
 */
static inline void trap_exit(struct guest_frame *f)
{
	if (trap_cpu()->sched.pending != SCHED_NONE)
		arch_vcpu_reschedule(f);
	arch_serror_take_hyp();
}

/* On entry, once the syndrome is read: an SError pending now is the guest's own. */
static inline void trap_entry_serror(void)
{
	if (arch_serror_take_guest() != 0)
		inject_serror();
}

_Static_assert(sizeof(struct hypercall_regs) == 8 * sizeof(uint64_t), "x0..x7 as saved");

static void trap_hypercall(struct guest_frame *f, bool is_hvc, uint16_t imm)
{
	/* The frame's x0..x7 are the inputs and get the results in place. */
	struct hypercall_regs *regs = (struct hypercall_regs *)(void *)f->x;

	if (hypercall_dispatch(arch_vcpu_current(), is_hvc, imm, regs)) {
#pragma GCC unroll 9
		for (unsigned i = 9; i <= 17; i++)
			f->x[i] = 0;
	}
}

/*
 * vectors.S's lean path for a native hypercall calls the number's entry in hypercall_native_entries
 * itself, with the running vCPU's cspace, and reads these fields (the vCPU through TPIDR_EL2); a
 * reschedule due after the call comes here once the frame is whole: trap_exit (reschedule, SError
 * window).
 */
_Static_assert(__builtin_offsetof(struct cpu_local, sched.current) == CPU_SCHED_CURRENT,
               "vectors.S reads the running vCPU here");
_Static_assert(__builtin_offsetof(struct cpu_local, sched.pending) == CPU_SCHED_PENDING &&
                   sizeof(enum sched_pending) == 4,
               "vectors.S reads the pending decision here (ldr w)");
_Static_assert(SCHED_NONE == 0, "vectors.S tests the pending decision with cbnz");
_Static_assert(__builtin_offsetof(struct vcpu, cspace) == VCPU_CSPACE,
               "vectors.S passes the running vCPU's cspace from here");
void arch_guest_hypercall_exit(struct guest_frame *f)
{
	trap_exit(f);
}

/*
 * A stage-2 data abort: emulate it if it is a decodable access to the vGIC, hand it to the proxy
 * of a vCPU in a vcpu_run if it is in a VMMIO range (the next vcpu_run completes it: a read through
 * arch_vcpu_vmmio_load), else abort.
 */
static void trap_data_abort(struct guest_frame *f, uint64_t esr, uint64_t far, uint64_t hpfar)
{
	struct esr_dabt d = esr_dabt_decode(esr);
	/* A64 only: a 16-bit T32 access (IL 0) or IT state needs more than ELR + 4. */
	bool is_a64 = (f->spsr & PSR_MODE_AA32) == 0;

	/* vgic_mmio refuses it for a VM without a VIC: there the GIC's addresses are unmapped IPAs.
	 */
	if (esr_dabt_is_translation(&d) && is_a64 && d.isv) {
		ipa_t ipa = (hpfar & 0x00000FFFFFFFFFF0ull) << 8 | (far & 0xFFF);
		uint64_t stored = esr_dabt_store_value(&d, d.srt == 31 ? 0 : f->x[d.srt]);
		uint64_t val = stored;

		if (vgic_mmio(ipa, esr_dabt_size(&d), d.wnr, &val)) {
#if HUMPY_PLANT_BUG == 21 /* planted bug 21: a load into xzr lands in x[31], the frame's ELR */
			if (!d.wnr)
#else
			if (!d.wnr && d.srt != 31)
#endif
				f->x[d.srt] = esr_dabt_load_value(&d, val);
			f->elr += 4;
			return;
		}
		if (vcpu_vmmio_exit(arch_vcpu_current(), ipa, esr_dabt_size(&d), d.wnr, stored,
		                    esr)) {
			f->elr += 4;
			return;
		}
	}
	/* GICv2: a VM's first touch of its CPU interface maps the GICV there (retried). */
	if (esr_dabt_is_translation(&d) &&
	    gic_vm_cpu_interface_fault((hpfar & 0x00000FFFFFFFFFF0ull) << 8 | (far & 0xFFF)))
		return;
	inject_abort(f, esr, far, true);
}

/*
 * The fields of the access's syndrome the load needs, picked here: a second call of esr_dabt_decode
 * made LTO stop inlining it into trap_data_abort (stage2.fault_round_trip 336 -> 409 instructions).
 */
void arch_vcpu_vmmio_load(struct vcpu *vcpu, uint64_t syndrome, uint64_t value)
{
	struct esr_dabt d = {
	    .sas = (uint8_t)((syndrome >> ESR_DA_SAS_SHIFT) & 3),
	    .sse = (syndrome & ESR_DA_SSE) != 0,
	    .srt = (uint8_t)((syndrome >> ESR_DA_SRT_SHIFT) & 31),
	    .sf = (syndrome & ESR_DA_SF) != 0,
	};

	if (d.srt != 31)
		vcpu->regs.x[d.srt] = esr_dabt_load_value(&d, value);
}

/* EC 0x18 ISS: Op0 21:20, Op2 19:17, Op1 16:14, CRn 13:10, Rt 9:5, CRm 4:1, read (MRS) 0. */
#define ESR_SYS_OP0(esr) ((unsigned)((esr) >> 20) & 3)
#define ESR_SYS_OP2(esr) ((unsigned)((esr) >> 17) & 7)
#define ESR_SYS_OP1(esr) ((unsigned)((esr) >> 14) & 7)
#define ESR_SYS_CRN(esr) ((unsigned)((esr) >> 10) & 0xF)
#define ESR_SYS_RT(esr)  ((unsigned)((esr) >> 5) & 0x1F)
#define ESR_SYS_CRM(esr) ((unsigned)((esr) >> 1) & 0xF)
#define ESR_SYS_READ     BIT(0)

/*
 * A trapped system register access. Reads of the ID registers (TID3) get what the VM has; anything
 * else trapped (PMU, debug, physical timer not granted; EL2 registers) is UNDEFINED.
 */
static void trap_sysreg(struct guest_frame *f, uint64_t esr)
{
	unsigned crm = ESR_SYS_CRM(esr), rt = ESR_SYS_RT(esr);

	if ((esr & ESR_SYS_READ) != 0 && ESR_SYS_OP0(esr) == 3 && ESR_SYS_OP1(esr) == 0 &&
	    ESR_SYS_CRN(esr) == 0 && crm >= 1 && crm <= 7) {
		uint64_t val = arch_vcpu_id_reg(arch_vcpu_current(), crm, ESR_SYS_OP2(esr));

		if (rt != 31)
			f->x[rt] = val;
		f->elr += 4;
		return;
	}
	/* ICC_SGI1R_EL1 (3, 0, C12, C11, 5) traps with HCR_EL2.IMO: the vGIC sends the SGI. */
	if ((esr & ESR_SYS_READ) == 0 && ESR_SYS_OP0(esr) == 3 && ESR_SYS_OP1(esr) == 0 &&
	    ESR_SYS_CRN(esr) == 12 && crm == 11 && ESR_SYS_OP2(esr) == 5 &&
	    vgic_sgi1r_write(rt != 31 ? f->x[rt] : 0)) {
		f->elr += 4;
		return;
	}
	inject_undef(f, esr);
}

void arch_guest_sync(struct guest_frame *f)
{
	/* Read before the SError window: an SError taken there rewrites ESR_EL2 (FAR_EL2 UNKNOWN).
	 */
	uint64_t esr = read_sysreg(esr_el2);
	uint64_t far = read_sysreg(far_el2);
	uint64_t hpfar = read_sysreg(hpfar_el2);

	trap_entry_serror();

	switch (esr_ec(esr)) {
	case ESR_EC_HVC64:
		trap_hypercall(f, true, (uint16_t)esr);
		break;
	case ESR_EC_SMC64:
#if HUMPY_PLANT_BUG == 25 /* planted bug 25: only smc #0 is stepped over; smc #n loops */
		if ((uint16_t)esr == 0)
#endif
			f->elr += 4; /* a trapped SMC returns to itself */
		trap_hypercall(f, false, (uint16_t)esr);
		break;
	case ESR_EC_DABT_LOW:
		trap_data_abort(f, esr, far, hpfar);
		break;
	case ESR_EC_IABT_LOW:
		inject_abort(f, esr, far, false);
		break;
	case ESR_EC_SYSREG:
		trap_sysreg(f, esr);
		break;
	case ESR_EC_WFX:
		/* WFI (always trapped): the vCPU waits until it has something to take. */
		f->elr += 4;
		arch_vcpu_wfi();
		break;
	default:
		inject_undef(f, esr);
		break;
	}
	trap_exit(f);
}

/* One physical interrupt: the timeslice timer is the scheduler's, the rest the vGIC's. */
void arch_irq_take(void)
{
	struct cpu_local *cpu = trap_cpu();
	uint64_t iar = gic_ack();

	if ((iar & 0xFFFFFF) == cpu->timer_intid) {
		write_sysreg(cnthp_ctl_el2, 0);
		gic_priority_drop(iar);
		gic_deactivate(iar);
		isb();
		arch_vcpu_timer_fired(cpu);
		return;
	}
	vgic_handle_irq(iar);
}

void arch_guest_irq(struct guest_frame *f)
{
	trap_entry_serror();
	arch_irq_take();
	trap_exit(f);
}

/* kind 1: physical FIQ (nothing is group 0: the hypervisor's bug); 2: SError from the guest. */
void arch_guest_unexpected(struct guest_frame *f, uint64_t kind)
{
	if (kind == 1)
		panic("unexpected physical FIQ");
	log_printf("humpy: SError from VM (ESR_EL2 0x%lx): injecting a virtual SError\n",
	           read_sysreg(esr_el2));
	inject_serror();
	trap_exit(f);
}

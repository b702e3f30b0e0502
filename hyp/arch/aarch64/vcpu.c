/* vcpu: EL2 traps and controls for running a VM, the vCPU's reset state, and first entry. */
#include "arch.h"
#include "esr.h"
#include "frame.h"
#include "sysreg.h"
#include "vm.h"

extern char __stacks_start[];
_Noreturn void arch_guest_enter(struct guest_frame *f);

#define HCR_VM     BIT(0)
#define HCR_SWIO   BIT(1)
#define HCR_FMO    BIT(3)
#define HCR_IMO    BIT(4)
#define HCR_AMO    BIT(5)
#define HCR_FB     BIT(9)
#define HCR_BSU_IS (1ull << 10)
#define HCR_TSC    BIT(19)
#define HCR_RW     BIT(31)
#define HCR_APK    BIT(40)
#define HCR_API    BIT(41)
/* Stage-2 on, physical interrupts to EL2, SMC trapped (PSCI is ours), AArch64 EL1, pointer
 * authentication usable by the guest without traps. */
#define HCR_GUEST                                                                                  \
	(HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_FB | HCR_BSU_IS | HCR_TSC |         \
	 HCR_RW | HCR_APK | HCR_API)

#define CPTR_EL2_RES1 0x32FFull
/*
 * FP/SIMD untrapped (TFP clear); SVE trapped (TZ): identify's flags1 says the VM has no SVE
 * (HYP_API_FLAGS1 = 0), so the VM must not be able to use it. A trapped SVE instruction gets an
 * Unknown-reason exception like any other unhandled trap.
 */
#define CPTR_EL2_TZ        BIT(8)
#define CNTHCTL_EL1PCTEN   BIT(0)
#define CNTHCTL_EL1PCEN    BIT(1)
#define SCTLR_EL1_RESET    0x30D00800ull /* RES1 bits only: MMU and caches off */
#define VMPIDR_U_AFF0(cpu) (BIT(31) | (cpu))

static void vcpu_el2_setup(void)
{
	write_sysreg(hcr_el2, HCR_GUEST);
	write_sysreg(cptr_el2, CPTR_EL2_RES1 | CPTR_EL2_TZ);
	isb();
	/* HPMN = all counters: the guest owns the PMU (PMCCNTR_EL0 for make bench), no traps. */
	write_sysreg(mdcr_el2, (read_sysreg(pmcr_el0) >> 11) & 0x1F);
	write_sysreg(cnthctl_el2, CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN);
	write_sysreg(cntvoff_el2, 0);
	isb();
}

struct vcpu *arch_vcpu_current(void)
{
	return (struct vcpu *)(uintptr_t)read_sysreg(tpidr_el2);
}

_Noreturn void arch_vcpu_start(struct vcpu *vcpu)
{
	/* The frame sits at the top of this CPU's stack, where the vectors expect it. */
	struct guest_frame *f =
	    (struct guest_frame *)(uintptr_t)(__stacks_start + STACK_SLOT - FRAME_SIZE);

	vcpu_el2_setup();
	/* EL2's software thread register names the running vCPU for the trap handlers. */
	write_sysreg(tpidr_el2, (uint64_t)(uintptr_t)vcpu);
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	write_sysreg(vmpidr_el2, VMPIDR_U_AFF0(vcpu->index));
	write_sysreg(sctlr_el1, SCTLR_EL1_RESET);
	write_sysreg(cpacr_el1, 0);
	write_sysreg(vbar_el1, 0);
	write_sysreg(tcr_el1, 0);
	write_sysreg(cntkctl_el1, 0);
	write_sysreg(cntv_ctl_el0, 0);
	write_sysreg(cntp_ctl_el0, 0);
	write_sysreg(sp_el1, 0);
	write_sysreg(sp_el0, 0);
	isb();

	*f = (struct guest_frame){0};
	f->x[0] = vcpu->vm->dtb;
	f->elr = vcpu->vm->entry;
	f->spsr = PSR_DAIF | PSR_MODE_EL1h;
	arch_guest_enter(f);
}

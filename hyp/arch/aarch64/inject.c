/* inject: makes a guest take an exception at EL1 as if the hardware had raised it there (the
 * values come from esr.c; this file moves them into the guest's registers). */
#include "arch.h"
#include "esr.h"
#include "inject.h"
#include "log.h"
#include "sysreg.h"
#include "vm.h"

#define HCR_EL2_VSE BIT(8)

static void inject_exception(struct guest_frame *f, uint64_t esr_el1)
{
	uint64_t target = read_sysreg(vbar_el1) + esr_vector_offset(f->spsr);
	struct esr_cpu cpu;

	/* Faulting inside the very vector we would send it to: the vCPU can never progress. */
	if (f->elr - target < 0x80) {
		vm_vcpu_stop(arch_vcpu_current(), "exception inside its own exception vector");
		return;
	}
	write_sysreg(spsr_el1, f->spsr);
	write_sysreg(elr_el1, f->elr);
	write_sysreg(esr_el1, esr_el1);
	cpu.id_aa64mmfr1 = read_sysreg(id_aa64mmfr1_el1);
	cpu.id_aa64pfr1 = read_sysreg(id_aa64pfr1_el1);
	cpu.sctlr_el1 = read_sysreg(sctlr_el1);
	f->spsr = esr_entry_pstate(f->spsr, &cpu);
	f->elr = target;
}

void inject_abort(struct guest_frame *f, uint64_t esr_el2, uint64_t far, bool is_data)
{
#if HUMPY_PLANT_BUG == 23 /* planted bug 23: the injected FAR loses its page offset */
	write_sysreg(far_el1, far & ~0xFFFull);
#else
	write_sysreg(far_el1, far);
#endif
	inject_exception(f, esr_inject_abort(f->spsr, esr_el2, is_data));
}

void inject_undef(struct guest_frame *f, uint64_t esr_el2)
{
	inject_exception(f, esr_inject_undef(esr_el2));
}

void inject_serror(void)
{
	write_sysreg(hcr_el2, read_sysreg(hcr_el2) | HCR_EL2_VSE);
	isb();
}

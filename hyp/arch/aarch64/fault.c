/* fault: the hypervisor's own unexpected exceptions (reported, then power off) and power-off. */
#include "abi.h"
#include "arch.h"
#include "frame.h"
#include "log.h"
#include "sysreg.h"

void arch_hyp_fault(uint64_t kind, const struct guest_frame *regs);

_Noreturn void arch_system_off(void)
{
	register uint64_t x0 __asm__("x0") = PSCI_SYSTEM_OFF_FN;

	/* QEMU (and EL3 firmware on boards) implements PSCI at the level above us. */
	__asm__ volatile("smc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
	log_printf("humpy: PSCI SYSTEM_OFF returned %ld; halting\n", (int64_t)x0);
	for (;;)
		__asm__ volatile("wfi");
}

void arch_hyp_fault(uint64_t kind, const struct guest_frame *regs)
{
	static const char *const kinds[] = {
	    "sync (SP_EL0)", "IRQ (SP_EL0)", "FIQ (SP_EL0)", "SError (SP_EL0)",
	    "sync",          "IRQ",          "FIQ",          "SError"};
	static int nested;

	if (nested++ != 0)
		arch_system_off(); /* faulted while reporting: just stop */
	log_printf("\nhumpy: PANIC unexpected %s exception in the hypervisor\n",
	           kind < ARRAY_SIZE(kinds) ? kinds[kind] : "?");
	log_printf("  ESR_EL2 0x%016lx  ELR_EL2 0x%016lx\n", read_sysreg(esr_el2),
	           read_sysreg(elr_el2));
	log_printf("  FAR_EL2 0x%016lx  SPSR_EL2 0x%016lx  SP 0x%016lx\n", read_sysreg(far_el2),
	           read_sysreg(spsr_el2), regs->elr);
	for (unsigned i = 0; i < 31; i += 2) {
		if (i == 30)
			log_printf("  x30 0x%016lx\n", regs->x[30]);
		else
			log_printf("  x%02u 0x%016lx  x%02u 0x%016lx\n", i, regs->x[i], i + 1,
			           regs->x[i + 1]);
	}
	arch_system_off();
}

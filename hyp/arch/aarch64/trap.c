/* trap: what a guest's exits to EL2 become: hypercalls, emulated GIC accesses, injected faults. */
#include "arch.h"
#include "esr.h"
#include "frame.h"
#include "hypercall.h"
#include "inject.h"
#include "log.h"
#include "sysreg.h"
#include "vgic.h"
#include "vm.h"

void arch_guest_sync(struct guest_frame *f);
void arch_guest_irq(struct guest_frame *f);
void arch_guest_unexpected(struct guest_frame *f, uint64_t kind);

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

/* A stage-2 data abort: emulate it if it is a decodable access to the vGIC, else abort. */
static void trap_data_abort(struct guest_frame *f, uint64_t esr)
{
	struct esr_dabt d = esr_dabt_decode(esr);
	/* A64 only: a 16-bit T32 access (IL 0) or IT state needs more than ELR + 4. */
	bool is_a64 = (f->spsr & PSR_MODE_AA32) == 0;

	if (esr_dabt_is_translation(&d) && is_a64 && d.isv) {
		ipa_t ipa = (read_sysreg(hpfar_el2) & 0x00000FFFFFFFFFF0ull) << 8 |
		            (read_sysreg(far_el2) & 0xFFF);
		uint64_t val = esr_dabt_store_value(&d, d.srt == 31 ? 0 : f->x[d.srt]);

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
	}
	inject_abort(f, esr, true);
}

void arch_guest_sync(struct guest_frame *f)
{
	uint64_t esr = read_sysreg(esr_el2);

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
		trap_data_abort(f, esr);
		break;
	case ESR_EC_IABT_LOW:
		inject_abort(f, esr, false);
		break;
	default:
		inject_undef(f, esr);
		break;
	}
}

void arch_guest_irq(struct guest_frame *f)
{
	(void)f;
	vgic_handle_irq();
}

/* kind 1: physical FIQ (nothing is group 0: the hypervisor's bug); 2: SError from the guest. */
void arch_guest_unexpected(struct guest_frame *f, uint64_t kind)
{
	(void)f;
	if (kind == 1)
		panic("unexpected physical FIQ");
	log_printf("humpy: SError from VM (ESR_EL2 0x%lx): injecting a virtual SError\n",
	           read_sysreg(esr_el2));
	inject_serror();
}

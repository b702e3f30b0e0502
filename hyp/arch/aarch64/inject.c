/* inject: makes a guest take an exception at EL1 as if the hardware had raised it there. */
#include "inject.h"
#include "log.h"
#include "sysreg.h"
#include "vm.h"

#define HCR_EL2_VSE     BIT(8)
#define SCTLR_EL1_SPAN  BIT(23)
#define SCTLR_EL1_DSSBS BIT(44)

static bool inject_from_el1(uint64_t spsr)
{
	uint64_t mode = spsr & PSR_MODE_MASK;

	return mode == PSR_MODE_EL1t || mode == PSR_MODE_EL1h;
}

/* PSTATE on entry to EL1h, per the architecture's rules for taking an exception. */
static uint64_t inject_pstate(uint64_t spsr)
{
	uint64_t mmfr1 = read_sysreg(id_aa64mmfr1_el1);
	uint64_t pfr1 = read_sysreg(id_aa64pfr1_el1);
	uint64_t sctlr = read_sysreg(sctlr_el1);
	uint64_t p = spsr;

	if ((spsr & PSR_MODE_AA32) != 0)
		p = spsr & 0xF0000000ull; /* from AArch32 EL0: keep only NZCV */
	p &= ~(PSR_MODE_MASK | PSR_IL | PSR_SS | PSR_BTYPE | PSR_UAO);
	p |= PSR_DAIF | PSR_MODE_EL1h;
	if (((pfr1 >> 4) & 0xF) != 0) { /* FEAT_SSBS */
		p &= ~PSR_SSBS;
		if ((sctlr & SCTLR_EL1_DSSBS) != 0)
			p |= PSR_SSBS;
	}
	if (((mmfr1 >> 20) & 0xF) != 0 && (sctlr & SCTLR_EL1_SPAN) == 0) /* FEAT_PAN */
		p |= PSR_PAN;
	if (((pfr1 >> 8) & 0xF) >= 2) /* FEAT_MTE2 */
		p |= PSR_TCO;
	return p;
}

static void inject_exception(struct guest_frame *f, uint64_t esr_el1)
{
	uint64_t mode = f->spsr & PSR_MODE_MASK;
	uint64_t offset;

	if (mode == PSR_MODE_EL1h)
		offset = 0x200;
	else if (mode == PSR_MODE_EL1t)
		offset = 0x000;
	else if ((mode & PSR_MODE_AA32) != 0)
		offset = 0x600;
	else
		offset = 0x400;
	uint64_t target = read_sysreg(vbar_el1) + offset;
	/* Faulting inside the very vector we would send it to: the vCPU can never progress. */
	if (f->elr - target < 0x80)
		vm_vcpu_stop(vm_primary_vcpu(), "exception inside its own exception vector");
	write_sysreg(spsr_el1, f->spsr);
	write_sysreg(elr_el1, f->elr);
	write_sysreg(esr_el1, esr_el1);
	f->spsr = inject_pstate(f->spsr);
	f->elr = target;
}

void inject_abort(struct guest_frame *f, uint64_t esr_el2, bool is_data)
{
	bool el1 = inject_from_el1(f->spsr);
	uint64_t ec;

	if (is_data)
		ec = el1 ? ESR_EC_DABT_CUR : ESR_EC_DABT_LOW;
	else
		ec = el1 ? ESR_EC_IABT_CUR : ESR_EC_IABT_LOW;
	/* ISV, SAS, SRT, WnR and the rest of the ISS are cleared, as upstream Gunyah does. */
	write_sysreg(far_el1, read_sysreg(far_el2));
	inject_exception(f, ec << ESR_EC_SHIFT | (esr_el2 & ESR_IL) | ESR_FSC_SEA);
}

void inject_undef(struct guest_frame *f, uint64_t esr_el2)
{
	inject_exception(f, (uint64_t)ESR_EC_UNKNOWN << ESR_EC_SHIFT | (esr_el2 & ESR_IL));
}

void inject_serror(void)
{
	write_sysreg(hcr_el2, read_sysreg(hcr_el2) | HCR_EL2_VSE);
	isb();
}

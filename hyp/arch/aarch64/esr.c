/* esr: decodes trapped syndromes and builds the syndrome, vector and PSTATE of an injected
 * exception. Pure: every input is an argument (Arm ARM D19.2 ESR_ELx, D1.10 exception entry). */
#include "esr.h"

#define ESR_FEAT(reg, shift) (((reg) >> (shift)) & 0xF)

struct esr_dabt esr_dabt_decode(uint64_t esr)
{
	struct esr_dabt d = {
	    .ec = (uint8_t)esr_ec(esr),
	    .il = (esr & ESR_IL) != 0,
	    .isv = (esr & ESR_DA_ISV) != 0,
	    .sas = (uint8_t)((esr >> ESR_DA_SAS_SHIFT) & 3),
	    .sse = (esr & ESR_DA_SSE) != 0,
	    .srt = (uint8_t)((esr >> ESR_DA_SRT_SHIFT) & 31),
	    .sf = (esr & ESR_DA_SF) != 0,
	    .ar = (esr & ESR_DA_AR) != 0,
	    .fnv = (esr & ESR_DA_FNV) != 0,
	    .ea = (esr & ESR_DA_EA) != 0,
	    .cm = (esr & ESR_DA_CM) != 0,
	    .s1ptw = (esr & ESR_DA_S1PTW) != 0,
	    .wnr = (esr & ESR_DA_WNR) != 0,
	    .dfsc = (uint8_t)(esr & ESR_FSC_MASK),
	};

	return d;
}

uint64_t esr_dabt_encode(const struct esr_dabt *d)
{
	return (uint64_t)(d->ec & ESR_EC_MASK) << ESR_EC_SHIFT | (d->il ? ESR_IL : 0) |
	       (d->isv ? ESR_DA_ISV : 0) | (uint64_t)(d->sas & 3) << ESR_DA_SAS_SHIFT |
	       (d->sse ? ESR_DA_SSE : 0) | (uint64_t)(d->srt & 31) << ESR_DA_SRT_SHIFT |
	       (d->sf ? ESR_DA_SF : 0) | (d->ar ? ESR_DA_AR : 0) | (d->fnv ? ESR_DA_FNV : 0) |
	       (d->ea ? ESR_DA_EA : 0) | (d->cm ? ESR_DA_CM : 0) | (d->s1ptw ? ESR_DA_S1PTW : 0) |
	       (d->wnr ? ESR_DA_WNR : 0) | (d->dfsc & ESR_FSC_MASK);
}

bool esr_dabt_is_translation(const struct esr_dabt *d)
{
	return (d->dfsc & 0x3C) == 0x04;
}

unsigned esr_dabt_size(const struct esr_dabt *d)
{
	return 1u << (d->sas & 3);
}

static uint64_t esr_dabt_cut(const struct esr_dabt *d, uint64_t v)
{
	unsigned size = esr_dabt_size(d);

	return size < 8 ? v & ((1ull << (8 * size)) - 1) : v;
}

uint64_t esr_dabt_store_value(const struct esr_dabt *d, uint64_t reg)
{
	return esr_dabt_cut(d, reg);
}

uint64_t esr_dabt_load_value(const struct esr_dabt *d, uint64_t val)
{
	unsigned bits = 8 * esr_dabt_size(d);
	uint64_t v = esr_dabt_cut(d, val);

	if (d->sse && bits < 64 && (v >> (bits - 1)) != 0)
		v |= ~0ull << bits;
	if (!d->sf)
		v &= 0xFFFFFFFFull;
	return v;
}

bool esr_from_el1(uint64_t spsr)
{
	uint64_t mode = spsr & PSR_MODE_MASK;

	return mode == PSR_MODE_EL1t || mode == PSR_MODE_EL1h;
}

uint64_t esr_inject_abort(uint64_t spsr, uint64_t esr_el2, bool is_data)
{
	bool el1 = esr_from_el1(spsr);
	uint64_t ec;

	if (is_data)
		ec = el1 ? ESR_EC_DABT_CUR : ESR_EC_DABT_LOW;
	else
		ec = el1 ? ESR_EC_IABT_CUR : ESR_EC_IABT_LOW;
	/* ISV, SAS, SRT, WnR and the rest of the ISS are cleared, as upstream Gunyah does. */
	return ec << ESR_EC_SHIFT | (esr_el2 & ESR_IL) | ESR_FSC_SEA;
}

uint64_t esr_inject_undef(uint64_t esr_el2)
{
	return (uint64_t)ESR_EC_UNKNOWN << ESR_EC_SHIFT | (esr_el2 & ESR_IL);
}

uint64_t esr_vector_offset(uint64_t spsr)
{
	uint64_t mode = spsr & PSR_MODE_MASK;

	if (mode == PSR_MODE_EL1h)
		return 0x200;
	if (mode == PSR_MODE_EL1t)
		return 0x000;
	if ((mode & PSR_MODE_AA32) != 0)
		return 0x600;
	return 0x400;
}

uint64_t esr_entry_pstate(uint64_t spsr, const struct esr_cpu *cpu)
{
	uint64_t p = spsr;

	if ((spsr & PSR_MODE_AA32) != 0)
		p = spsr & PSR_NZCV; /* from AArch32 EL0: keep only NZCV */
	p &= ~(PSR_MODE_MASK | PSR_IL | PSR_SS | PSR_BTYPE | PSR_UAO);
	p |= PSR_DAIF | PSR_MODE_EL1h;
	if (ESR_FEAT(cpu->id_aa64pfr1, 4) != 0) { /* FEAT_SSBS */
		p &= ~PSR_SSBS;
		if ((cpu->sctlr_el1 & SCTLR_EL1_DSSBS) != 0)
			p |= PSR_SSBS;
	}
	if (ESR_FEAT(cpu->id_aa64mmfr1, 20) != 0 && (cpu->sctlr_el1 & SCTLR_EL1_SPAN) == 0)
		p |= PSR_PAN;                   /* FEAT_PAN */
	if (ESR_FEAT(cpu->id_aa64pfr1, 8) >= 2) /* FEAT_MTE2 */
		p |= PSR_TCO;
	return p;
}

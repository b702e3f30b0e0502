/* esr: the syndrome and exception-entry encoders of hyp/arch/aarch64/esr.c on arbitrary values:
 * data-abort ISS round trips, load/store value rules, and what an injected exception looks like.
 * Input: esr, spsr, reg, val, id_aa64mmfr1, id_aa64pfr1, sctlr_el1 (8 bytes each, little-endian),
 * then a flags byte (bit 0: data, else instruction abort); short inputs read as zero. */
#include "esr.h"
#include "fuzz_input.h"
#include "oracle.h"

static void esr_check_dabt(uint64_t esr, uint64_t reg, uint64_t val)
{
	struct esr_dabt d = esr_dabt_decode(esr);
	struct esr_dabt again = esr_dabt_decode(esr_dabt_encode(&d));
	uint64_t enc = esr_dabt_encode(&d);
	unsigned size = esr_dabt_size(&d);
	unsigned bits = 8 * size;
	uint64_t keep = bits == 64 ? ~0ull : (1ull << bits) - 1;
	uint64_t st = esr_dabt_store_value(&d, reg);
	uint64_t ld = esr_dabt_load_value(&d, val);
	uint64_t want;

	if (enc != (esr & ESR_DA_DECODED))
		oracle_fail("esr-dabt-roundtrip", "encode(decode(0x%llx)) = 0x%llx",
		            (unsigned long long)esr, (unsigned long long)enc);
	if (esr_dabt_encode(&again) != enc || again.srt != d.srt || again.sas != d.sas ||
	    again.dfsc != d.dfsc || again.wnr != d.wnr || again.isv != d.isv)
		oracle_fail("esr-dabt-roundtrip", "decode(encode(x)) != x for 0x%llx",
		            (unsigned long long)esr);
	if (d.srt > 31 || d.sas > 3 || d.dfsc > 0x3F || d.ec > 0x3F || (enc >> 32) != 0)
		oracle_fail("esr-dabt-range", "field out of range from 0x%llx",
		            (unsigned long long)esr);
	if (size != 1 && size != 2 && size != 4 && size != 8)
		oracle_fail("esr-dabt-size", "size %u", size);
	if (esr_dabt_is_translation(&d) != (d.dfsc >= 4 && d.dfsc <= 7))
		oracle_fail("esr-dabt-translation", "DFSC 0x%x", d.dfsc);
	if (st != (reg & keep))
		oracle_fail("esr-store-value", "store of 0x%llx size %u gave 0x%llx",
		            (unsigned long long)reg, size, (unsigned long long)st);
	/* A load: the access's bytes, sign-extended to the register with SSE, 32 bits without SF.
	 */
	want = val & keep;
	if (d.sse && bits < 64 && (want & (1ull << (bits - 1))) != 0)
		want |= ~keep;
	if (!d.sf)
		want &= 0xFFFFFFFFull;
	if (ld != want)
		oracle_fail("esr-load-value", "load of 0x%llx (size %u sse %d sf %d) gave 0x%llx",
		            (unsigned long long)val, size, d.sse, d.sf, (unsigned long long)ld);
}

static void esr_check_inject(uint64_t spsr, uint64_t esr_el2, bool is_data)
{
	uint64_t mode = spsr & PSR_MODE_MASK;
	bool el1 = mode == PSR_MODE_EL1t || mode == PSR_MODE_EL1h;
	uint64_t abt = esr_inject_abort(spsr, esr_el2, is_data);
	uint64_t und = esr_inject_undef(esr_el2);
	unsigned want_ec = is_data ? (el1 ? ESR_EC_DABT_CUR : ESR_EC_DABT_LOW)
	                           : (el1 ? ESR_EC_IABT_CUR : ESR_EC_IABT_LOW);
	uint64_t off = esr_vector_offset(spsr);

	if (esr_ec(abt) != want_ec)
		oracle_fail("inject-abort-ec", "EC 0x%x from SPSR 0x%llx (data %d), want 0x%x",
		            esr_ec(abt), (unsigned long long)spsr, is_data, want_ec);
	if ((abt & ESR_IL) != (esr_el2 & ESR_IL) || (und & ESR_IL) != (esr_el2 & ESR_IL))
		oracle_fail("inject-il", "IL not copied from ESR_EL2 0x%llx",
		            (unsigned long long)esr_el2);
	if ((abt & ESR_ISS_MASK) != ESR_FSC_SEA || (abt >> 32) != 0)
		oracle_fail("inject-abort-iss", "ESR_EL1 0x%llx: ISS other than FSC 0x10",
		            (unsigned long long)abt);
	if ((und & ~ESR_IL) != 0)
		oracle_fail("inject-undef", "ESR_EL1 0x%llx", (unsigned long long)und);
	if (esr_from_el1(spsr) != el1)
		oracle_fail("inject-from-el1", "SPSR 0x%llx", (unsigned long long)spsr);
	if (off != (mode == PSR_MODE_EL1h   ? 0x200
	            : mode == PSR_MODE_EL1t ? 0
	            : (mode & 0x10) != 0    ? 0x600
	                                    : 0x400))
		oracle_fail("inject-vector", "offset 0x%llx for mode 0x%llx",
		            (unsigned long long)off, (unsigned long long)mode);
}

static void esr_check_pstate(uint64_t spsr, const struct esr_cpu *cpu)
{
	uint64_t p = esr_entry_pstate(spsr, cpu);
	bool aa32 = (spsr & PSR_MODE_AA32) != 0;
	bool ssbs = ((cpu->id_aa64pfr1 >> 4) & 0xF) != 0;
	bool pan = ((cpu->id_aa64mmfr1 >> 20) & 0xF) != 0;
	bool mte2 = ((cpu->id_aa64pfr1 >> 8) & 0xF) >= 2;
	uint64_t from = aa32 ? spsr & PSR_NZCV : spsr;
	uint64_t set_by_entry = PSR_MODE_MASK | PSR_DAIF | PSR_IL | PSR_SS | PSR_BTYPE | PSR_UAO |
	                        PSR_SSBS | PSR_PAN | PSR_TCO;
	bool want_pan = (pan && (cpu->sctlr_el1 & SCTLR_EL1_SPAN) == 0) || (from & PSR_PAN) != 0;
	bool want_ssbs = ssbs ? (cpu->sctlr_el1 & SCTLR_EL1_DSSBS) != 0 : (from & PSR_SSBS) != 0;
	bool want_tco = mte2 || (from & PSR_TCO) != 0;

	if ((p & PSR_MODE_MASK) != PSR_MODE_EL1h || (p & PSR_DAIF) != PSR_DAIF)
		oracle_fail("entry-pstate-mode", "PSTATE 0x%llx not EL1h with DAIF masked",
		            (unsigned long long)p);
	if ((p & (PSR_IL | PSR_SS | PSR_BTYPE | PSR_UAO)) != 0)
		oracle_fail("entry-pstate-cleared", "PSTATE 0x%llx keeps IL/SS/BTYPE/UAO",
		            (unsigned long long)p);
	if (((p & PSR_PAN) != 0) != want_pan || ((p & PSR_SSBS) != 0) != want_ssbs ||
	    ((p & PSR_TCO) != 0) != want_tco)
		oracle_fail("entry-pstate-features",
		            "PSTATE 0x%llx from 0x%llx: PAN/SSBS/TCO wrong", (unsigned long long)p,
		            (unsigned long long)spsr);
	if ((p & ~set_by_entry) != (from & ~set_by_entry))
		oracle_fail("entry-pstate-kept",
		            "PSTATE 0x%llx from SPSR 0x%llx changed other bits",
		            (unsigned long long)p, (unsigned long long)spsr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = {.data = data, .size = size, .pos = 0};
	uint64_t esr = fuzz_u64(&in);
	uint64_t spsr = fuzz_u64(&in);
	uint64_t reg = fuzz_u64(&in);
	uint64_t val = fuzz_u64(&in);
	struct esr_cpu cpu;

	cpu.id_aa64mmfr1 = fuzz_u64(&in);
	cpu.id_aa64pfr1 = fuzz_u64(&in);
	cpu.sctlr_el1 = fuzz_u64(&in);
	esr_check_dabt(esr, reg, val);
	esr_check_inject(spsr, esr, (fuzz_u8(&in) & 1) != 0);
	esr_check_pstate(spsr, &cpu);
	return 0;
}

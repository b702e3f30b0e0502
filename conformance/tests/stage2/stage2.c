/* Stage-2 faults seen from the primary VM: an access to an unmapped IPA (§8). */
#include <humpy/arch.h>
#include <humpy/plat.h>
#include <humpy/test.h>

#define STAGE2_VA_LIMIT (1ULL << 32) /* the guest's own stage 1 maps the low 4 GiB */
#define STAGE2_PROBE    0x1000

/* The first IPA past the highest RAM the DT describes, if no DT node claims it either. */
static bool stage2_unmapped_ipa(u64 *out)
{
	u64 end = 0;
	unsigned i;

	for (i = 0; i < plat.n_ram; i++) {
		if (plat.ram_base[i] + plat.ram_size[i] > end)
			end = plat.ram_base[i] + plat.ram_size[i];
	}
	if (end == 0 || end + STAGE2_PROBE > STAGE2_VA_LIMIT ||
	    plat_addr_described(end, STAGE2_PROBE))
		return false;
	*out = end;
	return true;
}

#define SCTLR_SPAN  (1ULL << 23)
#define SCTLR_DSSBS (1ULL << 44)

/*
 * The exception-entry rules for an exception taken to EL1 (Arm ARM, "Exception entry"): SPSR_EL1
 * holds the interrupted PSTATE (here EL1h with the test's DAIF, PAN, UAO, SSBS; IL and SS clear);
 * the handler runs at EL1h with D, A, I, F masked, PAN set when SCTLR_EL1.SPAN is 0 (else kept),
 * UAO cleared, SSBS = SCTLR_EL1.DSSBS. Fields the CPU lacks are not compared.
 */
static void stage2_check_pstate(const struct exc_record *rec, u64 before)
{
	u64 mask = exc_pstate_mask(), sctlr = sysreg_read(sctlr_el1), want;

	ASSERT_EQ("SPSR_EL1 (interrupted PSTATE: M, DAIF, PAN, UAO, SSBS)", rec->spsr & mask,
	          before & mask);
	ASSERT_EQ("SPSR_EL1.IL, SS", rec->spsr & (PSTATE_IL | PSTATE_SS), 0);
	want = PSTATE_M_EL1H | PSTATE_DAIF;
	if (mask & PSTATE_PAN)
		want |= (sctlr & SCTLR_SPAN) ? (before & PSTATE_PAN) : PSTATE_PAN;
	if (mask & PSTATE_SSBS)
		want |= (sctlr & SCTLR_DSSBS) ? PSTATE_SSBS : 0;
	ASSERT_EQ("PSTATE on entry (M, DAIF, PAN, UAO, SSBS)", rec->pstate & mask, want);
}

/*
 * Proves a load from an unmapped IPA gets an SEA: ESR 0x96000010, FAR = the IPA, ELR = the load,
 * SPSR_EL1 = the interrupted PSTATE and PSTATE on entry by the Arm ARM's rules (§8).
 */
TEST(stage2, unmapped_load)
{
	struct exc_record rec;
	u64 ipa, before;

	if (!stage2_unmapped_ipa(&ipa)) {
		test_error("no IPA past RAM that the device tree leaves undescribed");
		return;
	}
	before = exc_pstate_now();
	exc_expect_begin();
	probe_read32(ipa);
	rec = exc_expect_end();
	ASSERT_TRUE("load from the unmapped IPA raised no exception", rec.taken);
	ASSERT_EQ("ESR_EL1", rec.esr,
	          ((u64)ESR_EC_DABT_CUR << ESR_EC_SHIFT) | ESR_IL | ESR_FSC_SEA);
	ASSERT_EQ("FAR_EL1", rec.far, ipa);
	ASSERT_EQ("ELR_EL1", rec.elr, (u64)(uintptr_t)probe_read32_insn);
	stage2_check_pstate(&rec, before);
}

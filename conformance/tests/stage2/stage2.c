/* Stage-2 faults seen from the primary VM: an access to an unmapped IPA (§8). */
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

/* Proves a load from an unmapped IPA gets an SEA: ESR 0x96000010, FAR = the IPA (§8). */
TEST(stage2, unmapped_load)
{
	struct exc_record rec;
	u64 ipa;

	if (!stage2_unmapped_ipa(&ipa)) {
		test_error("no IPA past RAM that the device tree leaves undescribed");
		return;
	}
	exc_expect_begin();
	probe_read32(ipa);
	rec = exc_expect_end();
	ASSERT_TRUE("load from the unmapped IPA raised no exception", rec.taken);
	ASSERT_EQ("ESR_EL1", rec.esr,
	          ((u64)ESR_EC_DABT_CUR << ESR_EC_SHIFT) | ESR_IL | ESR_FSC_SEA);
	ASSERT_EQ("FAR_EL1", rec.far, ipa);
	ASSERT_EQ("ELR_EL1", rec.elr, (u64)(uintptr_t)probe_read32_insn);
}

/* The SMCCC entry path, hvc #0 with a function ID in x0: IDs, the vendor-hyp service calls (§1b).
 */
#include <humpy/test.h>
#include <humpy/console.h>

/* SMCCC function-ID fields (Arm SMCCC): not Gunyah facts, so not in the spec. */
#define SMCCC_FAST     (1ULL << 31)
#define SMCCC_64       (1ULL << 30)
#define SMCCC_MBZ_LOW  17 /* bits 23:17 must be zero */
#define SMCCC_MBZ_HIGH 23

static u64 smccc_x0(u64 fid)
{
	return gh_smccc_hvc(fid, NULL).x[0];
}

/* Proves every hole and the first number past the table give -1 through SMCCC (§1b). */
TEST(smccc, holes)
{
	static const u32 holes[] = {
#define HOLE_ENTRY(num) num,
	    GH_CALL_HOLES(HOLE_ENTRY)
#undef HOLE_ENTRY
	        GH_HVC_MAX +
	    1};
	unsigned i, wrong = 0;
	u64 first_num = 0, first_got = 0;

	for (i = 0; i < ARRAY_SIZE(holes); i++) {
		u64 x0 = smccc_x0(GH_SMCCC_HVC_BASE + holes[i]);

		if (x0 != (u64)GH_SMCCC_UNKNOWN && wrong++ == 0) {
			first_num = holes[i];
			first_got = x0;
		}
	}
	if (wrong)
		test_fail("call 0x%lx x0: expected 0x%lx got 0x%lx (%u of %u numbers wrong)",
		          first_num, (u64)GH_SMCCC_UNKNOWN, first_got, wrong,
		          (unsigned)ARRAY_SIZE(holes));
}

/* Proves identify as SMC32 (bit 30 clear) gives -1: hypercalls are SMC64 only (§1b). */
TEST(smccc, smc32_hypercall)
{
	ASSERT_EQ("x0", smccc_x0((GH_SMCCC_HVC_BASE + GH_HVC_HYPERVISOR_IDENTIFY) & ~SMCCC_64),
	          GH_SMCCC_UNKNOWN);
}

/* Proves identify as a yielding call (bit 31 clear) is refused with -1: fast calls only (§1b). */
TEST(smccc, yielding_hypercall)
{
	ASSERT_EQ("x0", smccc_x0((GH_SMCCC_HVC_BASE + GH_HVC_HYPERVISOR_IDENTIFY) & ~SMCCC_FAST),
	          GH_SMCCC_UNKNOWN);
}

/* Proves identify with any one of bits 23:17 set is refused with -1 (§1b). */
TEST(smccc, mbz_bits)
{
	unsigned bit;

	for (bit = SMCCC_MBZ_LOW; bit <= SMCCC_MBZ_HIGH; bit++) {
		u64 fid = (GH_SMCCC_HVC_BASE + GH_HVC_HYPERVISOR_IDENTIFY) | (1ULL << bit);
		u64 x0 = smccc_x0(fid);

		if (x0 != (u64)GH_SMCCC_UNKNOWN) {
			test_fail("id 0x%lx x0: expected 0x%lx got 0x%lx", fid,
			          (u64)GH_SMCCC_UNKNOWN, x0);
			return;
		}
	}
}

/* Proves the first ID past the call table, 0xc6008000 + GH_HVC_MAX + 1, gives -1 (§1b). */
TEST(smccc, past_table)
{
	ASSERT_EQ("x0", smccc_x0(GH_SMCCC_HVC_BASE + GH_HVC_MAX + 1), GH_SMCCC_UNKNOWN);
}

/* Proves VENDOR_HYP_CALL_UID returns Gunyah's UUID c1d58fcd-a453-5fdb-9265-ce36673d5f14 (§1b). */
TEST(smccc, vendor_uid)
{
	struct gh_ret r = gh_smccc_hvc(GH_SMCCC_VENDOR_HYP_UID, NULL);

	/* Full registers: Linux compares the UID words without masking. */
	ASSERT_EQ("x0 (uid word 0)", r.x[0], GH_UID_W0);
	ASSERT_EQ("x1 (uid word 1)", r.x[1], GH_UID_W1);
	ASSERT_EQ("x2 (uid word 2)", r.x[2], GH_UID_W2);
	ASSERT_EQ("x3 (uid word 3)", r.x[3], GH_UID_W3);
}

/* Proves VENDOR_HYP_CALL_REVISION returns the identify api_info word, all 64 bits (§1b). */
TEST(smccc, vendor_revision)
{
	struct gh_ret r = gh_smccc_hvc(GH_SMCCC_VENDOR_HYP_REVISION, NULL);

	ASSERT_EQ("x0 (revision = api_info)", r.x[0], GH_API_INFO_EXPECTED);
	ASSERT_EQ("x0 vs identify", r.x[0], gh_native(GH_HVC_HYPERVISOR_IDENTIFY, NULL).x[0]);
}

/* Proves the deprecated VENDOR_HYP_CALL_COUNT is unknown: -1 (§1b). */
TEST(smccc, vendor_call_count)
{
	ASSERT_EQ("x0", smccc_x0(GH_SMCCC_VENDOR_HYP_CALL_COUNT), GH_SMCCC_UNKNOWN);
}

/* Proves SMCCC_VERSION is 1.3 (0x10003) in w0; SMC32 results are w registers (§1b). */
TEST(smccc, version)
{
	ASSERT_EQ32("w0", smccc_x0(GH_SMCCC_VERSION_FID), GH_SMCCC_VERSION_EXPECTED);
}

/* Proves the vendor UID asked as SMC64 (0xc600ff01) gives -1: services are SMC32 (§1b). */
TEST(smccc, service_smc64)
{
	ASSERT_EQ("x0", smccc_x0(GH_SMCCC_VENDOR_HYP_UID | SMCCC_64), GH_SMCCC_UNKNOWN);
}

/* Arm SMCCC (DEN0028) architecture calls, SMC32: not Gunyah facts, so not in the spec. */
#define SMCCC_ARCH_FEATURES_FID       0x80000001u
#define SMCCC_NOT_SUPPORTED           (-1)
#define SMCCC_NOT_REQUIRED            (-2) /* WORKAROUND_2 only: mitigated for good */
#define SMCCC_WORKAROUND_NOT_AFFECTED 1    /* this PE does not need the workaround */

/*
 * Proves SMCCC_ARCH_FEATURES of SMCCC_ARCH_WORKAROUND_1/2/3 answers one of the values SMCCC allows
 * for each, and that a workaround answered as absent (negative) is an unknown function (-1) when
 * called, while one answered as present returns. The answers are printed as free text
 * ("smccc: ARCH_FEATURES(ARCH_WORKAROUND_1/2/3) = a b c"): the hypervisor takes them from its
 * firmware, which only the harness knows (harness/qemu_tests/test_firmware.py compares them with
 * humpy's firmware line and QEMU's PSCI).
 */
TEST(smccc, arch_workarounds)
{
	static const u32 fids[] = {0x80008000u, 0x80007fffu, 0x80003fffu};
	s32 answer[ARRAY_SIZE(fids)];
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(fids); i++) {
		const u64 args[7] = {fids[i]};
		s32 a = (s32)gh_smccc_smc(SMCCC_ARCH_FEATURES_FID, args).x[0];
		bool allowed = a == SMCCC_NOT_SUPPORTED || a == 0 ||
		               a == SMCCC_WORKAROUND_NOT_AFFECTED ||
		               (i == 1 && a == SMCCC_NOT_REQUIRED);

		answer[i] = a;
		if (!allowed) {
			test_fail("ARCH_FEATURES(0x%x) w0: %d is no answer SMCCC allows", fids[i],
			          a);
			return;
		}
	}
	console_printf("smccc: ARCH_FEATURES(ARCH_WORKAROUND_1/2/3) = %d %d %d\n", answer[0],
	               answer[1], answer[2]);
	for (i = 0; i < ARRAY_SIZE(fids); i++) {
		const u64 args[7] = {1}; /* WORKAROUND_2's "enable"; ignored by 1 and 3 */
		u32 w0 = (u32)gh_smccc_smc(fids[i], args).x[0];

		if (answer[i] < 0 && w0 != (u32)GH_SMCCC_UNKNOWN) {
			test_fail("0x%x answered absent (%d) but its call gave w0 0x%x, not -1",
			          fids[i], answer[i], w0);
			return;
		}
		if (answer[i] >= 0 && w0 == (u32)GH_SMCCC_UNKNOWN) {
			test_fail("0x%x answered present (%d) but its call is unknown (-1)",
			          fids[i], answer[i]);
			return;
		}
	}
}

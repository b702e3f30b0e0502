/* Every call number 0..GH_HVC_MAX on both paths: what a build does not implement answers -1. */
#include <humpy/spec.h>
#include <humpy/test.h>

/*
 * What holds for any build (so the same test runs under humpy, other humpy builds and upstream):
 * - a hole answers -1;
 * - a call whose module's api_flags0 bit is clear answers -1 (a module not built cannot answer);
 * - a call whose bit is set answers something other than -1 to a well-formed call (every cap
 *   GH_CAP_INVALID, so it can name no object and change nothing; reserved inputs as required;
 *   other inputs 0), unless the spec lists UNIMPLEMENTED among its errors (object_reset,
 *   msgqueue_configure_send/receive);
 * - identify (no feature bit) answers api_info.
 * What a set bit's call returns besides "not -1" depends on the build and is checked elsewhere.
 */
struct sweep_row {
	u32 num;
	int feature; /* api_flags0 bit, -1 for none */
	bool may_unimpl;
	u32 cap_mask;
};

#define SWEEP_ROW(num, bit, unimpl, caps, probe, probe_unimpl) {num, bit, unimpl, caps},
static const struct sweep_row sweep_rows[] = {GH_CALL_FEATURES(SWEEP_ROW)};
#define SWEEP_HOLE(num) num,
static const u32 sweep_holes[] = {GH_CALL_HOLES(SWEEP_HOLE)};

static u64 sweep_flags0(void)
{
	u64 args[8] = {0};

	return gh_native(GH_HVC_HYPERVISOR_IDENTIFY, args).x[1];
}

static struct gh_ret sweep_call(bool smccc, u32 num, const u64 args[8])
{
	return smccc ? gh_smccc_hvc(GH_SMCCC_HVC_BASE + num, args) : gh_native(num, args);
}

static void sweep(bool smccc)
{
	u64 flags0 = sweep_flags0();
	unsigned i, bad = 0, checked = 0;
	char first[120] = "";

	for (i = 0; i < ARRAY_SIZE(sweep_holes); i++) {
		u64 args[8] = {0};
		u64 x0 = sweep_call(smccc, sweep_holes[i], args).x[0];

		checked++;
		if (x0 != (u64)GH_ERROR_UNIMPLEMENTED && bad++ == 0)
			snprintf(first, sizeof(first), "hole 0x%x: expected -1 got 0x%lx",
			         sweep_holes[i], x0);
	}
	for (i = 0; i < ARRAY_SIZE(sweep_rows); i++) {
		const struct sweep_row *row = &sweep_rows[i];
		const struct spec_call *call = spec_call_find(row->num);
		u64 args[8] = {0};
		unsigned k;
		u64 x0;
		bool built;

		if (!call) {
			test_error("call 0x%x missing from the spec table", row->num);
			return;
		}
		for (k = 0; k < 8; k++)
			if (row->cap_mask & (1U << k))
				args[k] = GH_CAP_INVALID;
		spec_fix_reserved(call, args);
		x0 = sweep_call(smccc, row->num, args).x[0];
		checked++;
		if (row->feature < 0) {
			if (x0 != GH_API_INFO_EXPECTED && bad++ == 0)
				snprintf(first, sizeof(first),
				         "%s (0x%x): expected api_info got 0x%lx", call->name,
				         row->num, x0);
			continue;
		}
		built = (flags0 & (1ULL << row->feature)) != 0;
		if (!built && x0 != (u64)GH_ERROR_UNIMPLEMENTED && bad++ == 0)
			snprintf(first, sizeof(first),
			         "%s (0x%x): flags0 bit %d clear, expected -1 got 0x%lx",
			         call->name, row->num, row->feature, x0);
		if (built && !row->may_unimpl && x0 == (u64)GH_ERROR_UNIMPLEMENTED && bad++ == 0)
			snprintf(first, sizeof(first),
			         "%s (0x%x): flags0 bit %d set, but the call answers -1",
			         call->name, row->num, row->feature);
	}
	if (bad)
		test_fail("%u of %u numbers wrong; first: %s", bad, checked, first);
	else if (checked != GH_HVC_MAX + 1)
		test_fail("swept %u numbers, expected %u", checked, GH_HVC_MAX + 1);
}

/* Proves native numbers 0..GH_HVC_MAX answer -1 iff a hole or unbuilt (flags0), bar spec'd -1 (§1a,
 * §1d). */
TEST(root, sweep_native)
{
	sweep(false);
}

/* Proves SMCCC numbers 0..GH_HVC_MAX answer -1 iff a hole or unbuilt (flags0), bar spec'd -1 (§1b,
 * §1d). */
TEST(root, sweep_smccc)
{
	sweep(true);
}

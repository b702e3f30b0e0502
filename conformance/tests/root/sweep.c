/* Every call number 0..GH_HVC_MAX on both paths: what a build does not implement answers -1. */
#include <humpy/spec.h>
#include <humpy/test.h>

/*
 * What holds for any build (so the same test runs under humpy, other humpy builds and upstream),
 * each value exact from the spec (gunyah.yaml `probe`, `unimplemented_x0`):
 * - a hole answers a hole's UNIMPLEMENTED (-1);
 * - a call whose module's api_flags0 bit is clear answers the same (a module not built cannot
 *   answer);
 * - a call whose bit is set answers the spec's probe result to the probe (every cap
 *   GH_CAP_INVALID, so it can name no object and change nothing; reserved inputs as required;
 *   other inputs 0): ARGUMENT_INVALID for a looked-up cap, or what the spec names; a call that
 *   may answer UNIMPLEMENTED (documented, or optional within its feature because upstream leaves
 *   it unimplemented: 0x01, 0x24) may answer exactly that, in the path's widths;
 * - identify (no feature bit) answers api_info.
 */
#define SWEEP_HOLE(num) num,
static const u32 sweep_holes[] = {GH_CALL_HOLES(SWEEP_HOLE)};

static void sweep(enum gh_path path)
{
	u64 flags0 = gh_native(GH_HVC_HYPERVISOR_IDENTIFY, NULL).x[1];
	unsigned i, bad = 0, checked = 0;
	const struct spec_probe *p;
	char first[200] = "", why[200];

	for (i = 0; i < ARRAY_SIZE(sweep_holes); i++) {
		u64 args[8] = {0};
		u64 x0 = path == GH_PATH_NATIVE
		             ? gh_native(sweep_holes[i], args).x[0]
		             : gh_smccc_hvc(GH_SMCCC_HVC_BASE + sweep_holes[i], args).x[0];

		checked++;
		if (!gh_is_unimplemented(path, true, x0) && bad++ == 0)
			snprintf(first, sizeof(first), "hole 0x%x: expected %s got 0x%lx",
			         sweep_holes[i], gh_unimplemented_text(path, true), x0);
	}
	for (i = 0; (p = spec_probe_at(i)) != NULL; i++) {
		checked++;
		if (!spec_probe_check(p->num, path, flags0, why, sizeof(why)) && bad++ == 0)
			snprintf(first, sizeof(first), "%s", why);
	}
	if (bad)
		test_fail("%u of %u numbers wrong; first: %s", bad, checked, first);
	else if (checked != GH_HVC_MAX + 1)
		test_fail("swept %u numbers, expected %u", checked, GH_HVC_MAX + 1);
}

/* Proves native numbers 0..GH_HVC_MAX answer exactly the spec's probe result or -1 by flags0 (§1a,
 * §1d). */
TEST(root, sweep_native)
{
	sweep(GH_PATH_NATIVE);
}

/* Proves SMCCC numbers 0..GH_HVC_MAX answer exactly the spec's probe result or -1 by flags0 (§1b,
 * §1d). */
TEST(root, sweep_smccc)
{
	sweep(GH_PATH_SMCCC);
}

/* The native entry path, hvc #(0x6000 + n): undefined numbers and the reserved range's edges (§1a).
 */
#include <humpy/test.h>

/* Every value register gets a non-zero pattern, so zeroed result registers are visible. */
static struct gh_ret native_patterned(u32 imm)
{
	u64 args[8];

	gh_patterned_args(args);
	return gh_hvc_imm(imm, args);
}

struct tally {
	unsigned checked;
	unsigned wrong;
	char first[160];
};

/*
 * Checks x0 = -1 and, for a hole inside the table, x1..x7 = 0 (§1a: a hole goes through the
 * table's exit path, which zeroes unused results). Past the table the call takes the ordinary
 * trap path, which only sets x0, so only x0 is checked there.
 */
static void native_expect_unimplemented(struct tally *t, u32 num)
{
	struct gh_ret r = native_patterned(GH_HVC_NATIVE_BASE + num);
	unsigned i, n_checked = num <= GH_HVC_MAX ? 8 : 1;

	t->checked++;
	for (i = 0; i < n_checked; i++) {
		u64 want = i == 0 ? (u64)GH_ERROR_UNIMPLEMENTED : 0;

		if (r.x[i] == want)
			continue;
		if (t->wrong++ == 0)
			snprintf(t->first, sizeof(t->first),
			         "call 0x%x x%u: expected 0x%lx got 0x%lx", num, i, want, r.x[i]);
		return;
	}
}

static void tally_verdict(const struct tally *t)
{
	if (t->wrong)
		test_fail("%s (%u of %u numbers wrong)", t->first, t->wrong, t->checked);
}

#define HOLE_ENTRY(num) num,
static const u32 native_holes[] = {GH_CALL_HOLES(HOLE_ENTRY) GH_HVC_MAX + 1};

/* Proves holes give x0 -1 with x1..x7 0, and the first number past the table x0 -1 (§1a). */
TEST(native, holes)
{
	struct tally t = {0};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(native_holes); i++)
		native_expect_unimplemented(&t, native_holes[i]);
	tally_verdict(&t);
}

/* Proves every number from past the table to the end of the reserved range gives -1 (§1a). */
TEST(native, past_table)
{
	struct tally t = {0};
	u32 num;

	for (num = GH_HVC_MAX + 1; num <= GH_HVC_NATIVE_LAST - GH_HVC_NATIVE_BASE; num++)
		native_expect_unimplemented(&t, num);
	tally_verdict(&t);
}

/* hvc #imm outside the hypercall range: x0 = -1 and no exception (§1b, last bullets). */
static void native_not_a_hypercall(u32 imm)
{
	struct exc_record rec;
	struct gh_ret r;

	exc_expect_begin();
	r = native_patterned(imm);
	rec = exc_expect_end();
	if (rec.taken) {
		test_fail("hvc #0x%x raised an exception: ESR 0x%lx", imm, rec.esr);
		return;
	}
	if (r.x[0] != (u64)GH_SMCCC_UNKNOWN)
		test_fail("hvc #0x%x x0: expected 0x%lx got 0x%lx", imm, (u64)GH_SMCCC_UNKNOWN,
		          r.x[0]);
}

/* Proves hvc #0x5fff (below the range) is no hypercall: x0 -1, no exception (§1a, §1b). */
TEST(native, below_range)
{
	native_not_a_hypercall(GH_HVC_NATIVE_BASE - 1);
}

/* Proves hvc #0x6200 (past the range) is no hypercall: x0 -1, no exception (§1a, §1b). */
TEST(native, above_range)
{
	native_not_a_hypercall(GH_HVC_NATIVE_LAST + 1);
}

/* Proves hvc #0x61ff, the last reserved immediate, answers -1 without an exception (§1a). */
TEST(native, range_last)
{
	native_not_a_hypercall(GH_HVC_NATIVE_LAST);
}

/*
 * Register rules of a hypercall. Native path (§1a): results in x0.., unused result registers
 * and x9..x17 come back zero, x8 is not checked (documented caller-saved, kept by upstream),
 * x18..x30 and SP are preserved. SMCCC path (§1b; SMCCC v1.1 and later, which Linux's
 * arm_smccc_1_1_hvc relies on, and upstream's smccc_64.c, which writes back only the call's
 * results): x0..x3 are results and x4..x30 and SP are preserved. Every register is loaded with
 * a known pattern before the call and stored right after it (gh_call_raw).
 */
#include <humpy/spec.h>
#include <humpy/test.h>

#define REGS_CLOBBER_FIRST  9
#define REGS_CLOBBER_LAST   17
#define REGS_X8             8
#define REGS_SMCCC_RESULTS  4
#define REGS_LAST_PATTERNED 29 /* x30 carries the stub address, checked separately */

enum regs_path { REGS_NATIVE, REGS_SMCCC };

/* What register i (given in_i) must hold after the call; false if the rules require nothing. */
static bool regs_expected(enum regs_path path, unsigned i, u64 in_i, const u64 results[],
                          unsigned n_results, u64 *want, const char **rule)
{
	if (i < n_results) {
		*want = results[i];
		*rule = "result";
		return true;
	}
	if (path == REGS_SMCCC) {
		*want = in_i;
		*rule = i < REGS_SMCCC_RESULTS ? "unused result, preserved" : "preserved";
		return i >= REGS_SMCCC_RESULTS;
	}
	if (i < 8 || (i >= REGS_CLOBBER_FIRST && i <= REGS_CLOBBER_LAST)) {
		*want = 0;
		*rule = i < 8 ? "unused result" : "clobbered, zeroed";
		return true;
	}
	*want = in_i;
	*rule = "preserved";
	return i != REGS_X8;
}

/* Runs the call with every register patterned, then checks each rule; the first break fails. */
static void regs_check(enum regs_path path, const void *stub, u64 x0, const u64 results[],
                       unsigned n_results)
{
	u64 in[30];
	struct gh_raw_out out;
	unsigned i;

	gh_fill_in(in, NULL);
	for (i = 0; i < 8; i++)
		in[i] = gh_pattern(i);
	in[0] = x0;
	gh_call_raw(in, &out, stub);
	for (i = 0; i <= REGS_LAST_PATTERNED; i++) {
		const char *rule;
		u64 want;

		if (!regs_expected(path, i, in[i], results, n_results, &want, &rule))
			continue;
		if (out.x[i] != want) {
			test_fail("x%u (%s): expected 0x%lx got 0x%lx", i, rule, want, out.x[i]);
			return;
		}
	}
	ASSERT_EQ("x30 (preserved)", out.x[30], (u64)(uintptr_t)stub);
	ASSERT_EQ("sp (preserved)", out.sp, out.sp_before);
}

/* What identify returns now, for comparison (flags depend on the build). */
static void regs_identify_results(u64 results[4])
{
	u64 args[8];
	struct gh_ret r;
	unsigned i;

	gh_patterned_args(args);
	r = gh_native(GH_HVC_HYPERVISOR_IDENTIFY, args);
	for (i = 0; i < 4; i++)
		results[i] = r.x[i];
}

/* Proves the register rules for identify through the native path, hvc #0x6000 (§1a). */
TEST(regs, native_identify)
{
	const struct spec_call *call = spec_call_find(GH_HVC_HYPERVISOR_IDENTIFY);
	u64 results[4];

	ASSERT_TRUE("identify in the spec table with 4 outputs", call && call->n_outputs == 4);
	regs_identify_results(results);
	ASSERT_EQ("x0 (api_info)", results[0], GH_API_INFO_EXPECTED);
	regs_check(REGS_NATIVE, gh_stub_for_imm(GH_HVC_NATIVE_BASE + GH_HVC_HYPERVISOR_IDENTIFY),
	           gh_pattern(0), results, call->n_outputs);
}

/* Proves the SMCCC register rules for identify (hvc #0, x0 0xc6008000) (§1b). */
TEST(regs, smccc_identify)
{
	const struct spec_call *call = spec_call_find(GH_HVC_HYPERVISOR_IDENTIFY);
	u64 results[4];

	ASSERT_TRUE("identify in the spec table with 4 outputs", call && call->n_outputs == 4);
	regs_identify_results(results);
	ASSERT_EQ("x0 (api_info)", results[0], GH_API_INFO_EXPECTED);
	regs_check(REGS_SMCCC, gh_stub_hvc0, GH_SMCCC_HVC_BASE + GH_HVC_HYPERVISOR_IDENTIFY,
	           results, call->n_outputs);
}

#define REGS_HOLE_ENTRY(num) num,
static const u32 regs_holes[] = {GH_CALL_HOLES(REGS_HOLE_ENTRY) 0};

/* Proves the register rules for a hole (only x0 = -1 is a result) on the native path (§1a). */
TEST(regs, native_hole)
{
	const u64 results[1] = {(u64)GH_ERROR_UNIMPLEMENTED};
	u32 first_hole = regs_holes[0]; /* 0 only if the spec has no holes */

	ASSERT_NE("a hole in the spec table", first_hole, 0);
	regs_check(REGS_NATIVE, gh_stub_for_imm(GH_HVC_NATIVE_BASE + first_hole), gh_pattern(0),
	           results, 1);
}

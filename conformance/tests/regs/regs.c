/*
 * Register rules of a hypercall (§1a): results in x0.., unused result registers and x9..x17
 * come back zero, x18..x30 and SP are preserved. Every register is loaded with a known
 * pattern before the call and stored right after it (gh_call_raw), on both entry paths.
 */
#include <humpy/spec.h>
#include <humpy/test.h>

#define REGS_CLOBBER_FIRST  9
#define REGS_CLOBBER_LAST   17
#define REGS_PRESERVE_FIRST 18
#define REGS_PRESERVE_LAST  29 /* x30 carries the stub address, checked separately */

/* Runs the call with every register patterned, then checks each rule; the first break fails. */
static void regs_check(const void *stub, u64 x0, const u64 results[], unsigned n_results)
{
	u64 in[30];
	struct gh_raw_out out;
	unsigned i;

	gh_fill_in(in, NULL);
	for (i = 0; i < 8; i++)
		in[i] = gh_pattern(i);
	in[0] = x0;
	gh_call_raw(in, &out, stub);
	for (i = 0; i < n_results; i++) {
		if (out.x[i] != results[i]) {
			test_fail("x%u (result): expected 0x%lx got 0x%lx", i, results[i],
			          out.x[i]);
			return;
		}
	}
	for (i = n_results; i < 8; i++) {
		if (out.x[i] != 0) {
			test_fail("x%u (unused result): expected 0x0 got 0x%lx", i, out.x[i]);
			return;
		}
	}
	for (i = REGS_CLOBBER_FIRST; i <= REGS_CLOBBER_LAST; i++) {
		if (out.x[i] != 0) {
			test_fail("x%u (clobbered): expected 0x0 got 0x%lx", i, out.x[i]);
			return;
		}
	}
	for (i = REGS_PRESERVE_FIRST; i <= REGS_PRESERVE_LAST; i++) {
		if (out.x[i] != in[i]) {
			test_fail("x%u (preserved): expected 0x%lx got 0x%lx", i, in[i], out.x[i]);
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
	regs_check(gh_stub_for_imm(GH_HVC_NATIVE_BASE + GH_HVC_HYPERVISOR_IDENTIFY), gh_pattern(0),
	           results, call->n_outputs);
}

/* Proves the register rules for identify through SMCCC, hvc #0 with x0 = 0xc6008000 (§1a, §1b). */
TEST(regs, smccc_identify)
{
	const struct spec_call *call = spec_call_find(GH_HVC_HYPERVISOR_IDENTIFY);
	u64 results[4];

	ASSERT_TRUE("identify in the spec table with 4 outputs", call && call->n_outputs == 4);
	regs_identify_results(results);
	ASSERT_EQ("x0 (api_info)", results[0], GH_API_INFO_EXPECTED);
	regs_check(gh_stub_hvc0, GH_SMCCC_HVC_BASE + GH_HVC_HYPERVISOR_IDENTIFY, results,
	           call->n_outputs);
}

#define REGS_FIRST_HOLE(num) (first_hole = first_hole ? first_hole : (num));

/* Proves the register rules for a hole (only x0 = -1 is a result) on the native path (§1a). */
TEST(regs, native_hole)
{
	const u64 results[1] = {(u64)GH_ERROR_UNIMPLEMENTED};
	u32 first_hole = 0;

	GH_CALL_HOLES(REGS_FIRST_HOLE)
	ASSERT_NE("a hole in the spec table", first_hole, 0);
	regs_check(gh_stub_for_imm(GH_HVC_NATIVE_BASE + first_hole), gh_pattern(0), results, 1);
}

/*
 * Register rules of a hypercall (the spec's abi.registers; gunyah.yaml says why). Native path
 * (§1a): results in x0.., unused result registers zero, x9..x17 clobbered (the caller's value or
 * zero: upstream returns the caller's, humpy zeroes; never a value of the hypervisor's), x8 not
 * checked (documented caller-saved, kept by upstream), x18..x30 and SP preserved. SMCCC path (§1b;
 * SMCCC v1.1 and later, which Linux's arm_smccc_1_1_hvc relies on, and upstream's smccc wrapper,
 * which writes back only the call's results): every register past the results keeps the caller's
 * value. Every register is loaded with a known pattern before the call and stored right after it.
 */
#include <humpy/regrules.h>
#include <humpy/spec.h>
#include <humpy/test.h>

#define REGS_HOLE_ENTRY(num) num,
static const u32 regs_holes[] = {GH_CALL_HOLES(REGS_HOLE_ENTRY) 0};

/* The call with x0 (native: first input; SMCCC: the function ID) and x1..x7 patterned. */
static void regs_call(const void *stub, u64 x0, u64 in[30], struct gh_raw_out *out)
{
	unsigned i;

	gh_fill_in(in, NULL);
	for (i = 0; i < 8; i++)
		in[i] = gh_pattern(i);
	in[0] = x0;
	gh_call_raw(in, out, stub);
}

/* Results first (exact), then every other register by the rules. */
static void regs_check(enum gh_path path, const void *stub, u64 x0, const u64 results[],
                       unsigned n_results)
{
	u64 in[30];
	struct gh_raw_out out;
	char why[160];
	unsigned i;

	regs_call(stub, x0, in, &out);
	for (i = 0; i < n_results; i++) {
		if (out.x[i] != results[i]) {
			test_fail("x%u (result): expected 0x%lx got 0x%lx", i, results[i],
			          out.x[i]);
			return;
		}
	}
	if (!gh_regs_ok(path, in, &out, stub, n_results, why, sizeof(why)))
		test_fail("%s", why);
}

/* identify's four results as the spec pins them (flags0 is the build's, checked elsewhere). */
static void regs_identify_results(u64 results[4])
{
	u64 args[8];
	struct gh_ret r;

	gh_patterned_args(args);
	r = gh_native(GH_HVC_HYPERVISOR_IDENTIFY, args);
	results[0] = GH_API_INFO_EXPECTED;
	results[1] = r.x[1];
	results[2] = r.x[2];
	results[3] = r.x[3];
}

/* Proves the register rules for identify through the native path, hvc #0x6000 (§1a). */
TEST(regs, native_identify)
{
	const struct spec_call *call = spec_call_find(GH_HVC_HYPERVISOR_IDENTIFY);
	u64 results[4];

	ASSERT_TRUE("identify in the spec table with 4 outputs", call && call->n_outputs == 4);
	regs_identify_results(results);
	regs_check(GH_PATH_NATIVE, gh_stub_for_imm(GH_HVC_NATIVE_BASE + GH_HVC_HYPERVISOR_IDENTIFY),
	           gh_pattern(0), results, call->n_outputs);
}

/* Proves the SMCCC register rules for identify (hvc #0, x0 0xc6008000) (§1b). */
TEST(regs, smccc_identify)
{
	const struct spec_call *call = spec_call_find(GH_HVC_HYPERVISOR_IDENTIFY);
	u64 results[4];

	ASSERT_TRUE("identify in the spec table with 4 outputs", call && call->n_outputs == 4);
	regs_identify_results(results);
	regs_check(GH_PATH_SMCCC, gh_stub_hvc0, GH_SMCCC_HVC_BASE + GH_HVC_HYPERVISOR_IDENTIFY,
	           results, call->n_outputs);
}

/* Proves the register rules for a hole on the native path: x0 -1 (all 64 bits), rules (§1a). */
TEST(regs, native_hole)
{
	u32 first_hole = regs_holes[0]; /* 0 only if the spec has no holes */
	u64 in[30];
	struct gh_raw_out out;
	char why[160];

	ASSERT_NE("a hole in the spec table", first_hole, 0);
	regs_call(gh_stub_for_imm(GH_HVC_NATIVE_BASE + first_hole), gh_pattern(0), in, &out);
	if (!gh_is_unimplemented(GH_PATH_NATIVE, true, out.x[0]))
		test_fail("x0 (result): expected %s got 0x%lx",
		          gh_unimplemented_text(GH_PATH_NATIVE, true), out.x[0]);
	else if (!gh_regs_ok(GH_PATH_NATIVE, in, &out,
	                     gh_stub_for_imm(GH_HVC_NATIVE_BASE + first_hole), 1, why, sizeof(why)))
		test_fail("%s", why);
}

/* Proves the register rules for a hole on the SMCCC path: x0 -1, everything else kept (§1b). */
TEST(regs, smccc_hole)
{
	u32 first_hole = regs_holes[0];
	u64 in[30];
	struct gh_raw_out out;
	char why[160];

	ASSERT_NE("a hole in the spec table", first_hole, 0);
	regs_call(gh_stub_hvc0, GH_SMCCC_HVC_BASE + first_hole, in, &out);
	if (!gh_is_unimplemented(GH_PATH_SMCCC, true, out.x[0]))
		test_fail("x0 (result): expected %s got 0x%lx",
		          gh_unimplemented_text(GH_PATH_SMCCC, true), out.x[0]);
	else if (!gh_regs_ok(GH_PATH_SMCCC, in, &out, gh_stub_hvc0, 1, why, sizeof(why)))
		test_fail("%s", why);
}

/*
 * A C-dispatched call with fewer results than registers: object_activate(GH_CAP_INVALID, res0),
 * one result (x0 = ARGUMENT_INVALID, the cap never decodes), so x1..x7 are unused results.
 */
static void regs_object_call(enum gh_path path)
{
	const struct spec_call *call = spec_call_find(GH_HVC_OBJECT_ACTIVATE);
	u64 args[8] = {GH_CAP_INVALID, 0},
	    flags0 = gh_native(GH_HVC_HYPERVISOR_IDENTIFY, NULL).x[1];
	u64 in[30];
	struct gh_raw_out out;
	const void *stub;
	char why[160];
	unsigned i;

	ASSERT_TRUE("object_activate in the spec table with 1 output",
	            call && call->n_outputs == 1);
	if (!(flags0 & GH_API_FLAG0_PARTITION_CSPACE))
		SKIP("identify flags0 bit 0 (partition_cspace) clear: object_activate not built");
	gh_fill_in(in, NULL);
	for (i = 0; i < 8; i++)
		in[i] = gh_pattern(i);
	if (path == GH_PATH_NATIVE) {
		stub = gh_stub_for_imm(GH_HVC_NATIVE_BASE + GH_HVC_OBJECT_ACTIVATE);
		for (i = 0; i < call->n_inputs; i++)
			in[i] = args[i];
	} else {
		/* Reserved inputs are not checked on SMCCC (§1b): res0 keeps its pattern, so every
		 * register past x0 holds a value a zeroing bug would change. */
		stub = gh_stub_hvc0;
		in[0] = GH_SMCCC_HVC_BASE + GH_HVC_OBJECT_ACTIVATE;
		in[1] = args[0];
	}
	gh_call_raw(in, &out, stub);
	ASSERT_EQ("x0 (result: ARGUMENT_INVALID)", out.x[0], (u64)GH_ERROR_ARGUMENT_INVALID);
	if (!gh_regs_ok(path, in, &out, stub, 1, why, sizeof(why)))
		test_fail("%s", why);
}

/* Proves the native register rules for a call answered through C, object_activate (§1a). */
TEST(regs, native_object_call)
{
	regs_object_call(GH_PATH_NATIVE);
}

/* Proves the SMCCC register rules for a call answered through C: x1..x30 kept, res0 ignored (§1b).
 */
TEST(regs, smccc_object_call)
{
	regs_object_call(GH_PATH_SMCCC);
}

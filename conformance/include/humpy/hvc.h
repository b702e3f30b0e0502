/* Issuing hypercalls from the guest: native immediates, SMCCC through hvc #0 and smc #0. */
#ifndef HUMPY_HVC_H
#define HUMPY_HVC_H

#include <humpy/frame.h>
#include <humpy/types.h>

/* x0..x7 as the call left them. */
struct gh_ret {
	u64 x[8];
};

extern const char gh_native_stubs[], gh_native_stubs_end[];
extern const char gh_stub_hvc0[], gh_stub_smc0[], gh_stub_nop[];

/* Full capture: in[0..29] go to x0..x29 (x30 = stub address, SP = caller SP - 256). */
void gh_call_raw(const u64 in[30], struct gh_raw_out *out, const void *stub);

/* The pattern loaded into xN (N = 8..29) for every call, so a clobber or leak is visible. */
static inline u64 gh_pattern(unsigned n)
{
	return 0xa5a5000000000000ULL | ((u64)n << 40) | ((u64)n * 0x01010101ULL);
}

/* args[i] = gh_pattern(i): inputs a call ignores, so results it fails to write stand out. */
void gh_patterned_args(u64 args[8]);

/* The stub for "hvc #imm", or NULL if imm is outside the generated table. */
const void *gh_stub_for_imm(u32 imm);

/* Fills in[] with args (x0..x7, the rest zero) and patterns (x8..x29), captures everything. */
void gh_fill_in(u64 in[30], const u64 args[8]);

/* hvc #(GH_HVC_NATIVE_BASE + call) with x0..x7 = args. */
struct gh_ret gh_native(u32 call, const u64 args[8]);
/* hvc #imm with x0..x7 = args (any immediate in the stub table). */
struct gh_ret gh_hvc_imm(u32 imm, const u64 args[8]);
/* Every register of one call: what was loaded, what came back, through which stub. */
struct gh_capture {
	u64 in[30];
	struct gh_raw_out out;
	const void *stub;
};

/* gh_native / gh_smccc_hvc (counted for COVER and TRACE alike) keeping every register in *cap. */
struct gh_ret gh_native_capture(u32 call, const u64 args[8], struct gh_capture *cap);
struct gh_ret gh_smccc_capture(u64 fid, const u64 args[7], struct gh_capture *cap);

/* SMCCC: x0 = fid, x1..x7 = args[0..6], through hvc #0 or smc #0. */
struct gh_ret gh_smccc_hvc(u64 fid, const u64 args[7]);
struct gh_ret gh_smccc_smc(u64 fid, const u64 args[7]);

#endif

/* The spec's register rules for what a hypercall leaves in registers it does not return results in.
 */
#ifndef HUMPY_REGRULES_H
#define HUMPY_REGRULES_H

#include <humpy/frame.h>
#include <humpy/types.h>

enum gh_path { GH_PATH_NATIVE, GH_PATH_SMCCC };

/*
 * Checks every register after a call against the rules (gunyah.yaml abi.registers, reference §1a,
 * §1b): registers below n_results are results (the caller checks them); native: the rest of
 * x0..x7 zero, x9..x17 the caller's value or zero (never a value of the hypervisor's), x18..x29
 * preserved; SMCCC: every register past the results preserved; both: x30 = stub, SP preserved.
 * in[] is what gh_call_raw loaded. False, with the first broken rule in why, if one is broken.
 */
bool gh_regs_ok(enum gh_path path, const u64 in[30], const struct gh_raw_out *out, const void *stub,
                unsigned n_results, char *why, size_t why_len);

/*
 * Is x0 the spec's UNIMPLEMENTED for this path and case (unimplemented_x0)? hole: a number no call
 * uses, a module not built, past the table; otherwise a defined call, whose handler may answer
 * UNIMPLEMENTED in another width on the native path (upstream's 0x00000000FFFFFFFF).
 */
bool gh_is_unimplemented(enum gh_path path, bool hole, u64 x0);

/* The values gh_is_unimplemented accepts, as text for a FAIL reason ("0xffffffff or 0x...f"). */
const char *gh_unimplemented_text(enum gh_path path, bool hole);

#endif

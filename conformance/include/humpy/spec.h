/* The generated spec's call table as data, for tests that walk calls or build valid arguments. */
#ifndef HUMPY_SPEC_H
#define HUMPY_SPEC_H

#include <gunyah_spec.h>
#include <humpy/regrules.h>
#include <humpy/types.h>

struct spec_call {
	u32 num;
	const char *name;
	u32 n_inputs;
	u32 res0_mask; /* input i must be 0 */
	u32 res1_mask; /* input i must be ~0 */
	u32 n_outputs; /* result registers written, x0 included */
};

const struct spec_call *spec_call_find(u32 num);

/* Forces the reserved inputs of call to their required values (0 or ~0) in args[0..7]. */
void spec_fix_reserved(const struct spec_call *call, u64 args[8]);

/* GH_CALL_FEATURES as data: what each call answers to the feature probe (gunyah.yaml `probe`). */
struct spec_probe {
	u32 num;
	int feature;            /* api_flags0 bit, -1 for none (always present) */
	bool may_unimplemented; /* UNIMPLEMENTED is documented (upstream_unimplemented included) */
	u32 cap_mask;
	u64 probe_x0;
	bool probe_unimplemented; /* the probe's answer is UNIMPLEMENTED, in its path's widths */
};

const struct spec_probe *spec_probe_find(u32 num);
/* The i-th call of the table, NULL past the end. */
const struct spec_probe *spec_probe_at(size_t i);

/*
 * Makes the probe of call num on a path (every cap GH_CAP_INVALID, reserved inputs as required,
 * the rest 0: it names no object, so it changes nothing) and checks x0 exactly: with the call's
 * flags0 bit clear the hole's UNIMPLEMENTED; set (or no feature), the spec's probe result, or for
 * a call optional within its feature exactly UNIMPLEMENTED in the path's widths. False and why.
 */
bool spec_probe_check(u32 num, enum gh_path path, u64 flags0, char *why, size_t why_len);

#endif

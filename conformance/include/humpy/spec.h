/* The generated spec's call table as data, for tests that walk calls or build valid arguments. */
#ifndef HUMPY_SPEC_H
#define HUMPY_SPEC_H

#include <gunyah_spec.h>
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

#endif

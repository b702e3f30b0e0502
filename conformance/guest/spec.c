/* The generated GH_CALL_TABLE turned into a lookup table. */
#include <humpy/spec.h>

#define SPEC_CALL_ENTRY(num, NAME, n_in, r0, r1, n_out) {num, #NAME, n_in, r0, r1, n_out},

static const struct spec_call spec_calls[] = {GH_CALL_TABLE(SPEC_CALL_ENTRY)};

const struct spec_call *spec_call_find(u32 num)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(spec_calls); i++) {
		if (spec_calls[i].num == num)
			return &spec_calls[i];
	}
	return NULL;
}

void spec_fix_reserved(const struct spec_call *call, u64 args[8])
{
	unsigned i;

	for (i = 0; i < 8; i++) {
		if (call->res0_mask & (1U << i))
			args[i] = 0;
		if (call->res1_mask & (1U << i))
			args[i] = ~0ULL;
	}
}

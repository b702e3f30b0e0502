// Checks that the generated spec headers are self-consistent C (built for host and cross targets).
#include <gunyah_spec.h>

#define COUNT_ONE(...) +1
#define CALL_OK(num, name, n_in, res0, res1, n_out)                                                \
	_Static_assert((num) <= GH_HVC_MAX, #name " above GH_HVC_MAX");                            \
	_Static_assert((num) == GH_HVC_##name, #name " number differs from GH_HVC_" #name);        \
	_Static_assert((n_in) <= 7U, #name " has more inputs than the SMCCC path carries");        \
	_Static_assert(((res0) >> (n_in)) == 0U, #name " res0 mask beyond its inputs");            \
	_Static_assert(((res1) >> (n_in)) == 0U, #name " res1 mask beyond its inputs");            \
	_Static_assert(((res0) & (res1)) == 0U, #name " input both res0 and res1");                \
	_Static_assert((n_out) >= 1U && (n_out) <= 8U, #name " result count out of range");
GH_CALL_TABLE(CALL_OK)

_Static_assert((0 GH_CALL_TABLE(COUNT_ONE)) == GH_HVC_NUM_CALLS, "call count");
_Static_assert((0 GH_CALL_HOLES(COUNT_ONE)) == GH_HVC_NUM_HOLES, "hole count");
_Static_assert(GH_HVC_NUM_CALLS + GH_HVC_NUM_HOLES == GH_HVC_MAX + 1U,
               "calls and holes tile 0..MAX");
_Static_assert(GH_HVC_NATIVE_BASE + GH_HVC_MAX <= GH_HVC_NATIVE_LAST, "calls fit the immediate");
_Static_assert((GH_API_INFO_EXPECTED & GH_API_VERSION_MASK) == GH_API_VERSION, "api version");
_Static_assert((GH_API_INFO_EXPECTED & GH_API_IS_64BIT) != 0U, "64-bit");
_Static_assert((GH_API_INFO_EXPECTED >> GH_API_VARIANT_SHIFT) == GH_API_VARIANT_QUALCOMM,
               "variant");
_Static_assert((GH_API_FLAG0_RESERVED_MASK & GH_API_FLAG0_VCPU_RUN) == 0U, "flags0 reserved mask");
_Static_assert(GH_HVC_MSGQUEUE_SEND == 0x1b && GH_HVC_MEMEXTENT_DONATE == 0x61, "known numbers");

#ifndef SPEC_CHECK_FREESTANDING
#include <stdio.h>
#include <spec_calls.h>

// Each number 0..GH_HVC_MAX is exactly one call or one hole, and both tables agree call by call.
int main(void)
{
	unsigned seen[GH_HVC_MAX + 1] = {0};
	unsigned i = 0;
	int bad = 0;

#define MARK(num, ...) seen[num]++;
	GH_CALL_TABLE(MARK)
	GH_CALL_HOLES(MARK)
	for (unsigned n = 0; n <= GH_HVC_MAX; n++) {
		if (seen[n] != 1U) {
			printf("number 0x%x appears %u times\n", n, seen[n]);
			bad = 1;
		}
	}
#define SAME(n, name, n_in, res0, res1, n_out)                                                     \
	if (spec_calls[i].num != (n) || spec_calls[i].n_inputs != (n_in) ||                        \
	    spec_calls[i].res0_mask != (res0) || spec_calls[i].res1_mask != (res1) ||              \
	    spec_calls[i].n_outputs != (n_out)) {                                                  \
		printf("fuzz table entry %u differs from GH_CALL_TABLE (%s)\n", i, #name);         \
		bad = 1;                                                                           \
	}                                                                                          \
	i++;
	GH_CALL_TABLE(SAME)
	if (i != SPEC_NUM_CALLS) {
		printf("fuzz table has %u calls, GH_CALL_TABLE %u\n", (unsigned)SPEC_NUM_CALLS, i);
		bad = 1;
	}
	return bad;
}
#endif

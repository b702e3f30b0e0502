/* The generated GH_CALL_TABLE turned into a lookup table; the feature probe of each call. */
#include <humpy/hvc.h>
#include <humpy/libc.h>
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

#define SPEC_PROBE_ENTRY(num, bit, unimpl, caps, probe, probe_unimpl)                              \
	{num, bit, unimpl, caps, probe, probe_unimpl},

static const struct spec_probe spec_probes[] = {GH_CALL_FEATURES(SPEC_PROBE_ENTRY)};

const struct spec_probe *spec_probe_find(u32 num)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(spec_probes); i++) {
		if (spec_probes[i].num == num)
			return &spec_probes[i];
	}
	return NULL;
}

const struct spec_probe *spec_probe_at(size_t i)
{
	return i < ARRAY_SIZE(spec_probes) ? &spec_probes[i] : NULL;
}

bool spec_probe_check(u32 num, enum gh_path path, u64 flags0, char *why, size_t why_len)
{
	const struct spec_call *call = spec_call_find(num);
	const struct spec_probe *p = spec_probe_find(num);
	const char *where = path == GH_PATH_NATIVE ? "native" : "SMCCC";
	u64 args[8] = {0}, x0;
	char want[96];
	bool present;
	unsigned i;

	if (!call || !p) {
		snprintf(why, why_len, "call 0x%x missing from the spec table", num);
		return false;
	}
	for (i = 0; i < 8; i++) {
		if (p->cap_mask & (1U << i))
			args[i] = GH_CAP_INVALID;
	}
	spec_fix_reserved(call, args);
	x0 = path == GH_PATH_NATIVE ? gh_native(num, args).x[0]
	                            : gh_smccc_hvc(GH_SMCCC_HVC_BASE + num, args).x[0];
	present = p->feature < 0 || (flags0 & (1ULL << p->feature)) != 0;
	if (!present) {
		if (gh_is_unimplemented(path, true, x0))
			return true;
		snprintf(why, why_len,
		         "%s (0x%x) %s: flags0 bit %d clear, x0 expected %s got 0x%lx", call->name,
		         num, where, p->feature, gh_unimplemented_text(path, true), x0);
		return false;
	}
	if (p->probe_unimplemented ? gh_is_unimplemented(path, false, x0) : x0 == p->probe_x0)
		return true;
	/* Optional within its feature (upstream leaves it unimplemented): exactly UNIMPLEMENTED. */
	if (p->may_unimplemented && gh_is_unimplemented(path, false, x0))
		return true;
	if (p->probe_unimplemented)
		snprintf(want, sizeof(want), "%s", gh_unimplemented_text(path, false));
	else if (p->may_unimplemented)
		snprintf(want, sizeof(want), "0x%lx or %s", p->probe_x0,
		         gh_unimplemented_text(path, false));
	else
		snprintf(want, sizeof(want), "0x%lx", p->probe_x0);
	snprintf(why, why_len, "%s (0x%x) %s: %s, x0 expected %s got 0x%lx", call->name, num, where,
	         p->feature < 0 ? "always present" : "its flags0 bit set", want, x0);
	return false;
}

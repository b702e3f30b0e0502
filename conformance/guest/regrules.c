/* Register rules and UNIMPLEMENTED widths, all from the generated spec header. */
#include <gunyah_spec.h>
#include <humpy/libc.h>
#include <humpy/regrules.h>

#define REGS_ARGS         8 /* x0..x7: inputs and results */
#define REGS_X8           8
#define SMCCC_RESULT_REGS 4  /* x0..x3 (SMCCC 1.1) */
#define REGS_LAST_CHECKED 29 /* x30 holds the stub's return address: checked on its own */

/* What register i must hold: *exact, or (clobbered) either the caller's value or zero. */
static const char *regs_rule(enum gh_path path, unsigned i, u64 in_i, u64 *want, bool *clobbered)
{
	*clobbered = false;
	*want = in_i;
	if (path == GH_PATH_SMCCC) {
		/* x4..x17 are preserved under SMCCC 1.1+ either way; the spec decides x1..x3. */
		if (i < SMCCC_RESULT_REGS && !GH_REGS_SMCCC_PAST_OUTPUTS_PRESERVED) {
			*want = 0;
			return "unused result, zero";
		}
		return "preserved";
	}
	if (i < REGS_ARGS) {
		*want = 0;
		return "unused result, zero";
	}
	if (i == REGS_X8 && !GH_REGS_NATIVE_X8_CHECKED)
		return NULL;
	if (i >= GH_REGS_NATIVE_CLOBBER_FIRST && i <= GH_REGS_NATIVE_CLOBBER_LAST) {
		*clobbered = true;
		return "clobbered: the caller's value or zero";
	}
	return "preserved";
}

bool gh_regs_ok(enum gh_path path, const u64 in[30], const struct gh_raw_out *out, const void *stub,
                unsigned n_results, char *why, size_t why_len)
{
	unsigned i;

	for (i = n_results; i <= REGS_LAST_CHECKED; i++) {
		bool clobbered;
		u64 want;
		const char *rule = regs_rule(path, i, in[i], &want, &clobbered);

		if (!rule)
			continue;
		if (clobbered ? (out->x[i] != in[i] && out->x[i] != 0) : out->x[i] != want) {
			if (clobbered)
				snprintf(why, why_len, "x%u (%s): expected 0x%lx or 0 got 0x%lx", i,
				         rule, in[i], out->x[i]);
			else
				snprintf(why, why_len, "x%u (%s): expected 0x%lx got 0x%lx", i,
				         rule, want, out->x[i]);
			return false;
		}
	}
	if (out->x[30] != (u64)(uintptr_t)stub) {
		snprintf(why, why_len, "x30 (preserved): expected 0x%lx got 0x%lx",
		         (u64)(uintptr_t)stub, out->x[30]);
		return false;
	}
	if (out->sp != out->sp_before) {
		snprintf(why, why_len, "sp (preserved): expected 0x%lx got 0x%lx", out->sp_before,
		         out->sp);
		return false;
	}
	return true;
}

#define UNIMPL_IS(v) || x0 == (v)

bool gh_is_unimplemented(enum gh_path path, bool hole, u64 x0)
{
	if (path == GH_PATH_NATIVE)
		return hole ? (0 GH_UNIMPL_HOLE_NATIVE(UNIMPL_IS))
		            : (0 GH_UNIMPL_CALL_NATIVE(UNIMPL_IS));
	return hole ? (0 GH_UNIMPL_HOLE_SMCCC(UNIMPL_IS)) : (0 GH_UNIMPL_CALL_SMCCC(UNIMPL_IS));
}

#define UNIMPL_VALUE(v) (v),

const char *gh_unimplemented_text(enum gh_path path, bool hole)
{
	static const u64 call_n[] = {GH_UNIMPL_CALL_NATIVE(UNIMPL_VALUE)};
	static const u64 hole_n[] = {GH_UNIMPL_HOLE_NATIVE(UNIMPL_VALUE)};
	static const u64 call_s[] = {GH_UNIMPL_CALL_SMCCC(UNIMPL_VALUE)};
	static const u64 hole_s[] = {GH_UNIMPL_HOLE_SMCCC(UNIMPL_VALUE)};
	static char text[80];
	const u64 *v;
	size_t n, i, len = 0;

	if (path == GH_PATH_NATIVE) {
		v = hole ? hole_n : call_n;
		n = hole ? ARRAY_SIZE(hole_n) : ARRAY_SIZE(call_n);
	} else {
		v = hole ? hole_s : call_s;
		n = hole ? ARRAY_SIZE(hole_s) : ARRAY_SIZE(call_s);
	}
	text[0] = '\0';
	for (i = 0; i < n && len < sizeof(text); i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%s0x%lx", i ? " or " : "",
		                        v[i]);
	return text;
}

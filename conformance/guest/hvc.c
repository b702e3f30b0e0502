/* C side of the hypercall stubs: argument marshalling over the full-register capture path. */
#include <gunyah_spec.h>
#include <humpy/cover.h>
#include <humpy/hvc.h>
#include <humpy/trace.h>

const void *gh_stub_for_imm(u32 imm)
{
	if (imm < GH_STUB_IMM_FIRST || imm > GH_STUB_IMM_LAST)
		return NULL;
	return gh_native_stubs + (imm - GH_STUB_IMM_FIRST) * GH_STUB_BYTES;
}

void gh_fill_in(u64 in[30], const u64 args[8])
{
	unsigned i;

	for (i = 0; i < 8; i++)
		in[i] = args ? args[i] : 0;
	for (i = 8; i < 30; i++)
		in[i] = gh_pattern(i);
}

void gh_patterned_args(u64 args[8])
{
	unsigned i;

	for (i = 0; i < 8; i++)
		args[i] = gh_pattern(i);
}

static struct gh_ret gh_call_stub_capture(const void *stub, const u64 args[8],
                                          struct gh_capture *cap)
{
	struct gh_ret r;
	unsigned i;

	gh_fill_in(cap->in, args);
	cap->stub = stub;
	gh_call_raw(cap->in, &cap->out, stub);
	for (i = 0; i < 8; i++)
		r.x[i] = cap->out.x[i];
	return r;
}

static struct gh_ret gh_call_stub(const void *stub, const u64 args[8])
{
	struct gh_capture cap;

	return gh_call_stub_capture(stub, args, &cap);
}

struct gh_ret gh_hvc_imm(u32 imm, const u64 args[8])
{
	const void *stub = gh_stub_for_imm(imm);
	struct gh_ret r;

	/* Callers pass immediates from the spec's range; anything else is a guest bug. */
	if (!stub)
		stub = gh_stub_nop;
	r = gh_call_stub(stub, args);
	cover_native(imm, r.x[0]);
	trace_native(imm, args, &r);
	return r;
}

struct gh_ret gh_native(u32 call, const u64 args[8])
{
	return gh_hvc_imm(GH_HVC_NATIVE_BASE + call, args);
}

struct gh_ret gh_native_capture(u32 call, const u64 args[8], struct gh_capture *cap)
{
	u32 imm = GH_HVC_NATIVE_BASE + call;
	const void *stub = gh_stub_for_imm(imm);
	struct gh_ret r = gh_call_stub_capture(stub ? stub : gh_stub_nop, args, cap);

	cover_native(imm, r.x[0]);
	trace_native(imm, args, &r);
	return r;
}

struct gh_ret gh_smccc_capture(u64 fid, const u64 args[7], struct gh_capture *cap)
{
	u64 a[8] = {fid};
	struct gh_ret r;
	unsigned i;

	for (i = 0; i < 7; i++)
		a[i + 1] = args ? args[i] : 0;
	r = gh_call_stub_capture(gh_stub_hvc0, a, cap);
	cover_smccc(fid, r.x[0]);
	trace_smccc(fid, args, &r);
	return r;
}

static struct gh_ret gh_smccc(const void *stub, u64 fid, const u64 args[7])
{
	u64 a[8] = {fid};
	unsigned i;

	for (i = 0; i < 7; i++)
		a[i + 1] = args ? args[i] : 0;
	return gh_call_stub(stub, a);
}

struct gh_ret gh_smccc_hvc(u64 fid, const u64 args[7])
{
	struct gh_ret r = gh_smccc(gh_stub_hvc0, fid, args);

	cover_smccc(fid, r.x[0]);
	trace_smccc(fid, args, &r);
	return r;
}

struct gh_ret gh_smccc_smc(u64 fid, const u64 args[7])
{
	return gh_smccc(gh_stub_smc0, fid, args);
}

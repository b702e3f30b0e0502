/* Hypercall trace: one TRACE line per hypercall a test makes, the seeds of the fuzzers. */
#include <gunyah_spec.h>
#include <humpy/console.h>
#include <humpy/libc.h>
#include <humpy/root.h>
#include <humpy/spec.h>
#include <humpy/trace.h>

/*
 * The first TRACE_MAX_A_TEST calls of a test are printed (a fuzzer input holds fewer; some tests
 * loop thousands of times), the rest only counted in a `dropped=` line. A line holds the id (at
 * most 63 characters), the path, the number, at most seven inputs and x0, x1 as bare hex: at most
 * 240 characters, the console reader's limit.
 */
#define TRACE_MAX_A_TEST 64U
#define TRACE_ID_MAX     64
#define TRACE_SMCCC_NUMS 0x8000U

static struct {
	bool on;
	bool in_test;
	unsigned held; /* trace_hold nesting */
	char id[TRACE_ID_MAX];
	u32 printed;
	u32 dropped;
} trace;

void trace_start(void)
{
	struct root_caps rc;

	trace.on = true;
	if (root_caps_get(&rc))
		proto_line("TRACE caps partition=%lx cspace=%lx", rc.partition, rc.cspace);
}

void trace_test_begin(const char *id)
{
	if (!trace.on)
		return;
	snprintf(trace.id, sizeof(trace.id), "%s", id);
	trace.in_test = true;
	trace.held = 0;
	trace.printed = trace.dropped = 0;
}

void trace_test_end(void)
{
	if (!trace.in_test)
		return;
	if (trace.dropped)
		proto_line("TRACE %s dropped=%u", trace.id, trace.dropped);
	trace.in_test = false;
}

void trace_hold(void)
{
	trace.held++;
}

void trace_release(void)
{
	if (trace.held)
		trace.held--;
}

/* inputs: the call's inputs in order (x0.. native, x1.. SMCCC); only the spec's count is printed.
 */
static void trace_call(char path, u32 num, const u64 *inputs, unsigned max_inputs,
                       const struct gh_ret *r)
{
	const struct spec_call *c = spec_call_find(num);
	unsigned n = c ? c->n_inputs : 0, i;
	char line[8 * 18]; /* " %lx" of up to 8 inputs */
	size_t len = 0;

	line[0] = '\0';
	if (!trace.in_test || trace.held)
		return;
	if (trace.printed == TRACE_MAX_A_TEST) {
		trace.dropped++;
		return;
	}
	trace.printed++;
	if (n > max_inputs)
		n = max_inputs;
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(line + len, sizeof(line) - len, " %lx", inputs[i]);
	proto_line("TRACE %s %c 0x%02x%s -> %lx %lx", trace.id, path, num, line, r->x[0], r->x[1]);
}

void trace_native(u32 imm, const u64 args[8], const struct gh_ret *r)
{
	static const u64 zero[8];

	/* The same calls as the spec coverage counts (cover.c). */
	if (imm < GH_HVC_NATIVE_BASE || imm > GH_HVC_NATIVE_LAST)
		return;
	trace_call('n', imm - GH_HVC_NATIVE_BASE, args ? args : zero, 8, r);
}

void trace_smccc(u64 fid, const u64 args[7], const struct gh_ret *r)
{
	static const u64 zero[7];

	if (fid - GH_SMCCC_HVC_BASE >= TRACE_SMCCC_NUMS)
		return;
	trace_call('s', (u32)(fid - GH_SMCCC_HVC_BASE), args ? args : zero, 7, r);
}

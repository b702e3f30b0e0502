/*
 * Bench rows of the Resource Manager RPC path (issue 11 point 7), hlos profile: a VM_GET_VMID
 * round trip and a 64-byte VM_CONSOLE_WRITE round trip, each from the request's first send to its
 * whole reply received (the client's rm_call: send, then poll and yield until the reply), on the
 * counter bench.c chose. The RM's own work, the hypervisor's queue calls and switches and the
 * client's polling all count: what a VM pays per call. Without a /hypervisor node (root profile)
 * or with a reply other than the exact one expected, a row says n/a and why.
 */
#include <gunyah_spec.h>
#include <humpy/bench.h>
#include <humpy/console.h>
#include <humpy/libc.h>
#include <humpy/rm_rpc.h>

#define BENCH_RM_N         100
#define BENCH_RM_CONSOLE_N 20 /* each prints a line */
#define BENCH_RM_WRITE     64

/* One call whose reply must be OK with reply_len payload bytes; false (and why) otherwise. */
static bool bench_rm_call(u32 id, const void *req, u32 len, u32 reply_len, char *why, u32 size)
{
	struct rm_msg m;
	enum rm_io io = rm_call(id, rm_next_seq(), req, len, &m);

	if (io != RM_IO_OK) {
		snprintf(why, size, "the RM did not answer 0x%x (%s)", id, rm_io_what());
		return false;
	}
	if (m.len != reply_len || rm_get32(m.payload) != GH_RM_ERRORS_OK) {
		snprintf(why, size, "0x%x answered %u bytes, error 0x%x", id, m.len,
		         m.len >= 4 ? rm_get32(m.payload) : ~0U);
		return false;
	}
	return true;
}

/* n calls of (id, req) counted together; a row, or n/a with the first bad reply. */
static void bench_rm_row(const char *name, u32 id, const void *req, u32 len, u32 reply_len,
                         unsigned n)
{
	char why[96];
	u64 t0, t1;
	unsigned i;

	/* One untimed call: the row then starts from a quiet channel. */
	if (!bench_rm_call(id, req, len, reply_len, why, sizeof(why))) {
		proto_line("BENCH %s n/a %s", name, why);
		return;
	}
	t0 = bench_now();
	for (i = 0; i < n; i++) {
		if (!bench_rm_call(id, req, len, reply_len, why, sizeof(why))) {
			proto_line("BENCH %s n/a call %u: %s", name, i, why);
			return;
		}
	}
	t1 = bench_now();
	bench_report(name, t1 - t0, n);
}

void bench_rm_run(void)
{
	const struct rm_chan *rm = rm_chan_get();
	u8 open[4] = {0, 0, 0, 0};
	u8 write[4 + BENCH_RM_WRITE];
	char why[96];
	unsigned i;

	if (!rm->found || rm->problem) {
		const char *reason = !rm->found ? RM_NO_NODE_REASON : rm->problem;

		proto_line("BENCH rm.get_vmid n/a %s", reason);
		proto_line("BENCH rm.console_write_64 n/a %s", reason);
		return;
	}
	bench_rm_row("rm.get_vmid", GH_RM_IDS_VM_GET_VMID, NULL, 0, 8, BENCH_RM_N);

	/* The guest's own console (target 0), 63 characters and a newline per write. */
	rm_put16(write, 0);
	rm_put16(write + 2, BENCH_RM_WRITE);
	for (i = 0; i < BENCH_RM_WRITE - 1; i++)
		write[4 + i] = (u8)('a' + i % 26);
	write[4 + BENCH_RM_WRITE - 1] = '\n';
	if (!bench_rm_call(GH_RM_IDS_CONSOLE_OPEN, open, sizeof(open), 4, why, sizeof(why))) {
		proto_line("BENCH rm.console_write_64 n/a %s", why);
		return;
	}
	bench_rm_row("rm.console_write_64", GH_RM_IDS_CONSOLE_WRITE, write, sizeof(write), 4,
	             BENCH_RM_CONSOLE_N);
	(void)bench_rm_call(GH_RM_IDS_CONSOLE_CLOSE, open, sizeof(open), 4, why, sizeof(why));
}

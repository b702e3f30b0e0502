/*
 * Bench rows of the communication primitives (issue 9 point 8), on the counter bench.c chose:
 * msgq send + receive round trips (raw call path, minus the same two calls through a nop) and the
 * latency from a doorbell send or a GICD_ISPENDR write to the entry of the guest's IRQ handler.
 * Needs the root profile's caps and the own VIC (ROOT_PROFILE.md); a row says n/a and why if not.
 */
#include <gunyah_spec.h>
#include <humpy/arch.h>
#include <humpy/bench.h>
#include <humpy/console.h>
#include <humpy/exc.h>
#include <humpy/hvc.h>
#include <humpy/ipc.h>
#include <humpy/libc.h>
#include <humpy/plat.h>

#define BENCH_IPC_N    200
#define BENCH_IPC_VIRQ IPC_VIRQ(0)
#define GICD_ISPENDR   0x0200

static u8 bench_ipc_buf[GH_LIMIT_MSGQUEUE_MAX_MSG_SIZE];

static struct gh_raw_out bench_ipc_call(const void *stub, const u64 args[8])
{
	u64 in[30];
	struct gh_raw_out out;

	gh_fill_in(in, args);
	gh_call_raw(in, &out, stub);
	return out;
}

/* A native call through the raw path (not counted by cover/trace); x0. */
static u64 bench_ipc_hc(u32 call, u64 a0, u64 a1, u64 a2, u64 a3)
{
	const u64 args[8] = {a0, a1, a2, a3};

	return bench_ipc_call(gh_stub_for_imm(GH_HVC_NATIVE_BASE + call), args).x[0];
}

/* partition_create_<call>, configured by the caller, then activated; GH_CAP_INVALID on error. */
static u64 bench_ipc_create(const struct root_caps *rc, u32 call)
{
	const u64 args[8] = {rc->partition, rc->cspace};
	struct gh_raw_out out = bench_ipc_call(gh_stub_for_imm(GH_HVC_NATIVE_BASE + call), args);

	return out.x[0] == 0 ? out.x[1] : GH_CAP_INVALID;
}

static void bench_ipc_delete(const struct root_caps *rc, u64 cap)
{
	if (cap != GH_CAP_INVALID)
		bench_ipc_hc(GH_HVC_CSPACE_DELETE_CAP_FROM, rc->cspace, cap, 0, 0);
}

/* send(size) + receive per round, minus two nop calls per round. */
static void bench_ipc_msgq(const struct root_caps *rc, u64 size)
{
	char name[32];
	u64 q = bench_ipc_create(rc, GH_HVC_PARTITION_CREATE_MSGQUEUE);
	const void *send = gh_stub_for_imm(GH_HVC_NATIVE_BASE + GH_HVC_MSGQUEUE_SEND);
	const void *recv = gh_stub_for_imm(GH_HVC_NATIVE_BASE + GH_HVC_MSGQUEUE_RECEIVE);
	u64 send_args[8] = {q, size, (u64)(uintptr_t)bench_ipc_buf};
	u64 recv_args[8] = {q, (u64)(uintptr_t)bench_ipc_buf, sizeof(bench_ipc_buf)};
	u64 send_in[30], recv_in[30], t0, t1, base;
	struct gh_raw_out s_out = {0}, r_out = {0};
	unsigned i;

	snprintf(name, sizeof(name), "msgq.send_recv_%lu", size);
	if (q == GH_CAP_INVALID ||
	    bench_ipc_hc(GH_HVC_MSGQUEUE_CONFIGURE, q, 1 | (GH_LIMIT_MSGQUEUE_MAX_MSG_SIZE << 16),
	                 0, 0) != 0 ||
	    bench_ipc_hc(GH_HVC_OBJECT_ACTIVATE, q, 0, 0, 0) != 0) {
		proto_line("BENCH %s n/a cannot make a message queue", name);
		bench_ipc_delete(rc, q);
		return;
	}
	gh_fill_in(send_in, send_args);
	gh_fill_in(recv_in, recv_args);
	t0 = bench_now();
	for (i = 0; i < BENCH_IPC_N; i++) {
		gh_call_raw(send_in, &s_out, send);
		gh_call_raw(recv_in, &r_out, recv);
	}
	t1 = bench_now();
	if (s_out.x[0] != 0 || r_out.x[0] != 0 || r_out.x[1] != size) {
		proto_line("BENCH %s n/a send x0 0x%lx, receive x0 0x%lx size %lu", name,
		           s_out.x[0], r_out.x[0], r_out.x[1]);
		bench_ipc_delete(rc, q);
		return;
	}
	base = bench_now();
	for (i = 0; i < BENCH_IPC_N; i++) {
		gh_call_raw(send_in, &s_out, gh_stub_nop);
		gh_call_raw(recv_in, &r_out, gh_stub_nop);
	}
	base = bench_now() - base;
	bench_ipc_delete(rc, q);
	/* What is subtracted, on the console: the capture path's own cost, measured. */
	console_printf("bench: %s %s %lu for %u rounds, baseline %lu (the same loop with a nop in "
	               "place of each hvc, subtracted)\n",
	               name, bench_counter_is_ticks() ? "CNTVCT" : "PMU", t1 - t0, BENCH_IPC_N,
	               base);
	bench_report(name, t1 - t0 > base ? t1 - t0 - base : 0, BENCH_IPC_N);
}

/*
 * From the instruction before the trigger to the first instruction of irq_taken (the guest's
 * vector entry and its acknowledge included): trigger() is a doorbell send or an ISPENDR write.
 */
static void bench_ipc_latency(const char *name, void (*trigger)(u64), u64 arg)
{
	u64 sum = 0;
	unsigned i;

	irq_reset();
	if (!irq_set_edge((u32)BENCH_IPC_VIRQ, true) || !irq_enable((u32)BENCH_IPC_VIRQ)) {
		proto_line("BENCH %s n/a cannot enable INTID %lu", name, BENCH_IPC_VIRQ);
		return;
	}
	irq_keep_enabled((u32)BENCH_IPC_VIRQ);
	irq_stamp_enable(true);
	for (i = 0; i < BENCH_IPC_N; i++) {
		u64 t0;

		irq_mask();
		t0 = bench_now();
		irq_unmask();
		trigger(arg);
		if (!irq_wait((u32)BENCH_IPC_VIRQ, i + 1, 10))
			break;
		sum += irq_stamp() - t0;
	}
	irq_mask();
	irq_stamp_enable(false);
	irq_reset();
	if (i < BENCH_IPC_N) {
		proto_line("BENCH %s n/a INTID %lu not taken (round %u)", name, BENCH_IPC_VIRQ, i);
		return;
	}
	bench_report(name, sum, BENCH_IPC_N);
}

static u64 bench_ipc_ring_in[30];

/* The doorbell send itself: registers prepared, only the capture path and the hvc. */
static void bench_ipc_ring(u64 db)
{
	struct gh_raw_out out;

	(void)db;
	gh_call_raw(bench_ipc_ring_in, &out,
	            gh_stub_for_imm(GH_HVC_NATIVE_BASE + GH_HVC_DOORBELL_SEND));
}

static void bench_ipc_spi(u64 intid)
{
	mmio_write32(plat.gicd + GICD_ISPENDR + 4 * (intid / 32), 1U << (intid % 32));
}

void bench_ipc_run(void)
{
	struct root_caps rc;
	struct ipc_self self;
	const char *why = ipc_missing(GH_API_FLAG0_MSGQUEUE, "msgqueue", false);

	if (why) {
		proto_line("BENCH msgq.send_recv_1 n/a %s", why);
	} else {
		root_caps_get(&rc);
		bench_ipc_msgq(&rc, 1);
		bench_ipc_msgq(&rc, GH_LIMIT_MSGQUEUE_RM_MSG_SIZE);
		bench_ipc_msgq(&rc, GH_LIMIT_MSGQUEUE_MAX_MSG_SIZE);
	}
	why = ipc_missing(GH_API_FLAG0_DOORBELL, "doorbell", true);
	if (why || bench_counter_is_ticks()) {
		proto_line("BENCH doorbell.send_to_irq n/a %s",
		           why ? why : "handler entry is stamped with the PMU only");
	} else {
		root_caps_get(&rc);
		ipc_self_get(&self);
		u64 bench_ipc_db = bench_ipc_create(&rc, GH_HVC_PARTITION_CREATE_DOORBELL);
		if (bench_ipc_db == GH_CAP_INVALID ||
		    bench_ipc_hc(GH_HVC_OBJECT_ACTIVATE, bench_ipc_db, 0, 0, 0) != 0 ||
		    bench_ipc_hc(GH_HVC_DOORBELL_MASK, bench_ipc_db, ~0ULL, ~0ULL, 0) != 0 ||
		    bench_ipc_hc(GH_HVC_DOORBELL_BIND_VIRQ, bench_ipc_db, self.vic, BENCH_IPC_VIRQ,
		                 0) != 0)
			proto_line(
			    "BENCH doorbell.send_to_irq n/a cannot make and bind a doorbell");
		else {
			const u64 args[8] = {bench_ipc_db, 1};

			gh_fill_in(bench_ipc_ring_in, args);
			bench_ipc_latency("doorbell.send_to_irq", bench_ipc_ring, bench_ipc_db);
		}
		bench_ipc_hc(GH_HVC_DOORBELL_UNBIND_VIRQ, bench_ipc_db, 0, 0, 0);
		bench_ipc_delete(&rc, bench_ipc_db);
	}
	why = ipc_missing(GH_API_FLAG0_VIC, "vic", true);
	if (why || bench_counter_is_ticks())
		proto_line("BENCH virq.inject_to_irq n/a %s",
		           why ? why : "handler entry is stamped with the PMU only");
	else
		bench_ipc_latency("virq.inject_to_irq", bench_ipc_spi, BENCH_IPC_VIRQ);
}

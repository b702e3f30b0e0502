/*
 * The system fuzzer's guest: boots like the conformance guest (its runtime is linked in), then
 * waits on the mailbox page for inputs from the host-side shim and runs each (ops.c).
 */
#include <humpy/arch.h>
#include <humpy/console.h>
#include <humpy/libc.h>
#include <humpy/mmu.h>
#include <humpy/plat.h>
#include <humpy/profile.h>
#include <humpy/bench.h>
#include <humpy/root.h>

#include "ops.h"

NORETURN void guest_main(u64 x0);

static u8 sysfuzz_input[SYSFUZZ_MAX_INPUT];

/*
 * Between two inputs the guest polls the mailbox and calls sysfuzz_host_wait (probe.S: a lone
 * `ret`) after each look. Under the fuzzer, the el2cov plugin blocks QEMU's vCPU thread in that
 * call until the shim has put the next input in place (the plugin's wait= and chan= arguments), so
 * the guest neither burns a host CPU while afl-fuzz and the shim work nor waits on a timer; without
 * the plugin the loop is a plain busy poll.
 */
static u32 wait_request(volatile struct sysfuzz_mailbox *mb, u32 last)
{
	u32 req;

	while ((req = mb->request) == last)
		sysfuzz_host_wait();
	return req;
}

void guest_main(u64 x0)
{
	volatile struct sysfuzz_mailbox *mb =
	    (volatile struct sysfuzz_mailbox *)(uintptr_t)SYSFUZZ_MAILBOX_IPA;
	const struct profile *p;
	u32 last = 0, ops_run = 0;
	u64 freq, t_done;

	plat_discover(x0);
	mmu_enable(&plat);
	console_init(plat.uart, plat.uart_kind);
	p = profile_get();
	console_printf("\nsysfuzz guest: gicd 0x%lx gicr 0x%lx, %s\n", plat.gicd, plat.gicr,
	               p->reason);
	sysfuzz_ops_init(p->partition, p->cspace);
	freq = timer_freq();
	mb->freq = freq;
	/* The host zeroed the page before boot: request and done start equal. */
	last = mb->request;
	mb->done = last;
	dsb(ish);
	mb->magic = SYSFUZZ_READY_MAGIC;
	t_done = timer_now();
	for (;;) {
		u32 req, len, op = 0;
		char why[SYSFUZZ_WHY_MAX];
		enum sysfuzz_status st;
		u64 t_start;

		req = wait_request(mb, last);
		dsb(ish);
		t_start = timer_now();
		len = mb->len < SYSFUZZ_MAX_INPUT ? mb->len : SYSFUZZ_MAX_INPUT;
		for (u32 i = 0; i < len; i++)
			sysfuzz_input[i] = mb->input[i];
		st = sysfuzz_run(sysfuzz_input, len, &op, why, sizeof(why), &ops_run);
		if (st != SYSFUZZ_OK) {
			console_printf("sysfuzz: INVARIANT op %u: %s\n", op, why);
			for (u32 i = 0; i < sizeof(why); i++)
				mb->why[i] = why[i];
		}
		mb->op = op;
		mb->ops_run = ops_run;
		mb->wait_ticks = t_start - t_done;
		t_done = timer_now();
		mb->run_ticks = t_done - t_start;
		mb->status = st;
		dsb(ish);
		mb->done = req;
		last = req;
	}
}

/*
 * What the shared runtime's other users would provide: trace.c asks for the root caps, the runner
 * (linked, never started here) for the benchmarks. The fuzzing guest has the caps from its profile
 * and no benchmarks.
 */
bool root_caps_get(struct root_caps *rc)
{
	const struct profile *p = profile_get();

	rc->partition = p->partition;
	rc->cspace = p->cspace;
	return p->root;
}

void bench_run(void)
{
	console_printf("sysfuzz guest: no benchmarks\n");
}

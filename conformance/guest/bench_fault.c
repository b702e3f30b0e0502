/*
 * Bench row of the Stage-2 faults (issue 10 point 10): one load from an unmapped IPA per round,
 * the hypervisor injecting the synchronous external abort, the guest's vector and handler
 * recording it and returning past the load (exc_expect_*), minus the same round with the load
 * reading the guest's own RAM. The figure is the whole round trip the guest pays for a fault it
 * expects: EL2 trap and injection plus the guest's vector, frame save/restore and handler.
 */
#include <humpy/bench.h>
#include <humpy/console.h>
#include <humpy/exc.h>
#include <humpy/plat.h>

#define BENCH_FAULT_N    200
#define BENCH_FAULT_NAME "stage2.fault_round_trip"
#define BENCH_FAULT_SPAN 0x1000ULL

/* The first IPA past the RAM the tree describes, if nothing else there is described. */
static u64 bench_fault_ipa(void)
{
	u64 end = 0;
	unsigned i;

	for (i = 0; i < plat.n_ram; i++) {
		if (plat.ram_base[i] + plat.ram_size[i] > end)
			end = plat.ram_base[i] + plat.ram_size[i];
	}
	if (end == 0 || end + BENCH_FAULT_SPAN > (1ULL << 32) ||
	    plat_addr_described(end, BENCH_FAULT_SPAN))
		return 0;
	return end;
}

/* n rounds of an expected-fault window around one load of addr; false if a round differed. */
static bool bench_fault_loop(u64 addr, bool want_fault, u64 *ticks)
{
	u64 t0, t1;
	bool ok = true;
	unsigned i;

	t0 = bench_now();
	for (i = 0; i < BENCH_FAULT_N; i++) {
		exc_expect_begin();
		probe_read32(addr);
		ok &= exc_expect_end().taken == want_fault;
	}
	t1 = bench_now();
	*ticks = t1 - t0;
	return ok;
}

void bench_fault_run(void)
{
	static volatile u32 ram_word;
	u64 ipa = bench_fault_ipa(), total, base;

	if (ipa == 0) {
		proto_line("BENCH " BENCH_FAULT_NAME
		           " n/a no IPA past RAM that the device tree leaves undescribed");
		return;
	}
	if (!bench_fault_loop(ipa, true, &total)) {
		proto_line("BENCH " BENCH_FAULT_NAME " n/a a load from IPA 0x%lx did not abort",
		           ipa);
		return;
	}
	if (!bench_fault_loop((u64)(uintptr_t)&ram_word, false, &base)) {
		proto_line("BENCH " BENCH_FAULT_NAME " n/a a load from the guest's RAM aborted");
		return;
	}
	console_printf("bench: %s %lu for %u faults, baseline %lu\n", BENCH_FAULT_NAME, total,
	               BENCH_FAULT_N, base);
	if (total <= base) {
		proto_line("BENCH " BENCH_FAULT_NAME " n/a the counter saw no cost in the faults");
		return;
	}
	bench_report(BENCH_FAULT_NAME, total - base, BENCH_FAULT_N);
}

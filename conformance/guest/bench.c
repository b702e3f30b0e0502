/*
 * Bench mode: hypervisor_identify round trips counted by the PMU cycle counter, which counts
 * instructions under QEMU -icount shift=0. Each figure is (N calls - N baseline calls) / N,
 * where the baseline runs the same capture path with a nop in place of the hvc: what remains is
 * the hypervisor's own work per call.
 */
#include <gunyah_spec.h>
#include <humpy/arch.h>
#include <humpy/bench.h>
#include <humpy/console.h>
#include <humpy/exc.h>
#include <humpy/hvc.h>

#define BENCH_N       1000
#define PMCR_E        (1ULL << 0)
#define PMCR_C        (1ULL << 2)
#define PMCR_LC       (1ULL << 6)
#define PMCCFILTR_NSH (1ULL << 27) /* count at EL2 as well: that is where the work is */
#define PMCNTEN_C     (1ULL << 31)
#define NS_PER_S      1000000000ULL

static bool bench_use_pmu;

/* Turns on the cycle counter; false if the hypervisor does not let the guest use the PMU. */
static bool bench_pmu_enable(void)
{
	exc_expect_begin();
	sysreg_write(pmccfiltr_el0, PMCCFILTR_NSH);
	sysreg_write(pmcntenset_el0, PMCNTEN_C);
	sysreg_write(pmcr_el0, PMCR_E | PMCR_C | PMCR_LC);
	isb();
	return !exc_expect_end().taken;
}

/* Instructions so far: the cycle counter, else the virtual counter scaled to 1 insn per ns. */
static u64 bench_now(void)
{
	isb();
	if (bench_use_pmu)
		return sysreg_read(pmccntr_el0);
	return timer_now() * (NS_PER_S / timer_freq());
}

static u64 bench_loop(const void *stub, const u64 args[8], u64 *x0)
{
	u64 in[30], t0, t1;
	struct gh_raw_out out;
	unsigned i;

	gh_fill_in(in, args);
	t0 = bench_now();
	for (i = 0; i < BENCH_N; i++)
		gh_call_raw(in, &out, stub);
	t1 = bench_now();
	*x0 = out.x[0];
	return t1 - t0;
}

static void bench_one(const char *name, const void *stub, const u64 args[8])
{
	u64 x0, base_x0, total, base, per_milli;

	total = bench_loop(stub, args, &x0);
	base = bench_loop(gh_stub_nop, args, &base_x0);
	if (x0 != GH_API_INFO_EXPECTED)
		console_printf("bench: %s returned x0 0x%lx (expected 0x%llx)\n", name, x0,
		               GH_API_INFO_EXPECTED);
	if (total < base) {
		console_printf("bench: %s faster than its baseline (%lu < %lu)\n", name, total,
		               base);
		return;
	}
	per_milli = (total - base) * 1000 / BENCH_N;
	console_printf("bench: %s %lu counts for %u calls, baseline %lu\n", name, total, BENCH_N,
	               base);
	if (per_milli % 1000)
		proto_line("BENCH %s %lu.%03lu insns", name, per_milli / 1000, per_milli % 1000);
	else
		proto_line("BENCH %s %lu insns", name, per_milli / 1000);
}

void bench_run(void)
{
	const u64 smccc_args[8] = {GH_SMCCC_HVC_BASE + GH_HVC_HYPERVISOR_IDENTIFY};

	irq_mask();
	bench_use_pmu = bench_pmu_enable();
	if (!bench_use_pmu)
		console_printf("bench: no PMU access; counting with CNTVCT (exact only with "
		               "-icount shift=0)\n");
	bench_one("identify.native",
	          gh_stub_for_imm(GH_HVC_NATIVE_BASE + GH_HVC_HYPERVISOR_IDENTIFY), NULL);
	bench_one("identify.smccc", gh_stub_hvc0, smccc_args);
}

/*
 * Bench mode: hypervisor_identify round trips counted by the PMU cycle counter, which counts
 * instructions under QEMU -icount shift=0. Each figure is (N calls - N baseline calls) / N,
 * where the baseline runs the same capture path with a nop in place of the hvc: what remains is
 * the hypervisor's own work per call. A PMU that does not count EL2 (upstream Gunyah's guest PMU)
 * is detected and the generic counter used instead (unit ticks); neither: n/a.
 */
#include <gunyah_spec.h>
#include <humpy/arch.h>
#include <humpy/bench.h>
#include <humpy/console.h>
#include <humpy/exc.h>
#include <humpy/hvc.h>
#include <humpy/libc.h>

#define BENCH_N       1000
#define BENCH_N_TICKS 20000 /* the generic counter ticks every 16 instructions under QEMU */
#define PMCR_E        (1ULL << 0)
#define PMCR_C        (1ULL << 2)
#define PMCR_LC       (1ULL << 6)
#define PMCCFILTR_NSH (1ULL << 27) /* count at EL2 as well: that is where the work is */
#define PMCNTEN_C     (1ULL << 31)
/*
 * A round trip that costs the PMU fewer instructions than this over the nop baseline was not seen
 * at EL2 (the hvc replaces one nop; no hypervisor answers in fewer instructions than this).
 */
#define BENCH_MIN_EL2_INSNS 3

enum bench_counter { BENCH_PMU, BENCH_TICKS };

static enum bench_counter bench_counter;
static char bench_no_pmu[96]; /* why the PMU is not used, for the console */

#define ID_DFR0_PMUVER(v)     (((v) >> 8) & 0xf)
#define ID_DFR0_PMUVER_IMPDEF 0xf /* an IMPLEMENTATION DEFINED PMU: not the architected one */

/*
 * One PMU register write inside its own expected-exception window: a write that traps is
 * recorded, not fatal, and the next write is never attempted (one window holds one exception).
 */
#define BENCH_PMU_WRITE_TRAPS(reg, value)                                                          \
	({                                                                                         \
		exc_expect_begin();                                                                \
		sysreg_write(reg, value);                                                          \
		isb();                                                                             \
		exc_expect_end().taken;                                                            \
	})

/* Turns on the cycle counter counting EL2 too; false (and why) if the guest cannot have that. */
static bool bench_pmu_enable(void)
{
	u64 pmuver = ID_DFR0_PMUVER(sysreg_read(id_aa64dfr0_el1));

	/* A hypervisor that keeps the PMU (humpy without humpy.guest_pmu) says so here. */
	if (pmuver == 0 || pmuver == ID_DFR0_PMUVER_IMPDEF) {
		snprintf(bench_no_pmu, sizeof(bench_no_pmu),
		         "no PMU (ID_AA64DFR0_EL1.PMUVer 0x%lx)", pmuver);
		return false;
	}
	if (BENCH_PMU_WRITE_TRAPS(pmccfiltr_el0, PMCCFILTR_NSH) ||
	    BENCH_PMU_WRITE_TRAPS(pmcntenset_el0, PMCNTEN_C) ||
	    BENCH_PMU_WRITE_TRAPS(pmcr_el0, PMCR_E | PMCR_C | PMCR_LC)) {
		snprintf(bench_no_pmu, sizeof(bench_no_pmu), "PMU access traps");
		return false;
	}
	if (!(sysreg_read(pmccfiltr_el0) & PMCCFILTR_NSH)) {
		snprintf(bench_no_pmu, sizeof(bench_no_pmu), "PMCCFILTR_EL0.NSH cannot be set");
		return false;
	}
	return true;
}

u64 bench_now(void)
{
	isb();
	return bench_counter == BENCH_PMU ? sysreg_read(pmccntr_el0) : timer_now();
}

static u64 bench_loop(const void *stub, const u64 args[8], unsigned n, u64 *x0)
{
	u64 in[30], t0, t1;
	struct gh_raw_out out = {.sp = 0}; /* all zero: n may be 0 */
	unsigned i;

	gh_fill_in(in, args);
	t0 = bench_now();
	for (i = 0; i < n; i++)
		gh_call_raw(in, &out, stub);
	t1 = bench_now();
	*x0 = out.x[0];
	return t1 - t0;
}

/* Counts (calls - nop baseline) over n round trips; false if the calls were no slower. */
static bool bench_measure(const char *name, const void *stub, const u64 args[8], unsigned n,
                          u64 *delta)
{
	u64 x0, base_x0, total, base;

	total = bench_loop(stub, args, n, &x0);
	base = bench_loop(gh_stub_nop, args, n, &base_x0);
	if (x0 != GH_API_INFO_EXPECTED)
		console_printf("bench: %s returned x0 0x%lx (expected 0x%llx)\n", name, x0,
		               GH_API_INFO_EXPECTED);
	console_printf("bench: %s %s %lu for %u calls, baseline %lu\n", name,
	               bench_counter == BENCH_PMU ? "PMU" : "CNTVCT", total, n, base);
	*delta = total > base ? total - base : 0;
	return total > base;
}

static void bench_print(const char *name, u64 delta, unsigned n, const char *unit)
{
	u64 per_milli = delta * 1000 / n;

	if (per_milli % 1000)
		proto_line("BENCH %s %lu.%03lu %s", name, per_milli / 1000, per_milli % 1000, unit);
	else
		proto_line("BENCH %s %lu %s", name, per_milli / 1000, unit);
}

bool bench_counter_is_ticks(void)
{
	return bench_counter == BENCH_TICKS;
}

void bench_report(const char *name, u64 delta, unsigned n)
{
	bench_print(name, delta, n, bench_counter == BENCH_PMU ? "insns" : "ticks");
}

/*
 * PMU instructions when the PMU sees EL2; else generic-timer ticks over many more calls; else n/a.
 * Never 0: a counter that did not see the hypervisor is detected, not reported.
 */
static void bench_one(const char *name, const void *stub, const u64 args[8])
{
	u64 delta;

	if (bench_counter == BENCH_PMU) {
		if (bench_measure(name, stub, args, BENCH_N, &delta) &&
		    delta >= (u64)BENCH_MIN_EL2_INSNS * BENCH_N) {
			bench_print(name, delta, BENCH_N, "insns");
			return;
		}
		console_printf("bench: %s: the PMU counted %lu over the baseline for %u calls: it "
		               "does not see EL2; falling back to CNTVCT\n",
		               name, delta, BENCH_N);
		bench_counter = BENCH_TICKS;
	}
	if (bench_measure(name, stub, args, BENCH_N_TICKS, &delta)) {
		bench_print(name, delta, BENCH_N_TICKS, "ticks");
		return;
	}
	proto_line("BENCH %s n/a neither the PMU nor CNTVCT counted time in the hypervisor", name);
}

void bench_run(void)
{
	const u64 smccc_args[8] = {GH_SMCCC_HVC_BASE + GH_HVC_HYPERVISOR_IDENTIFY};

	irq_mask();
	bench_counter = bench_pmu_enable() ? BENCH_PMU : BENCH_TICKS;
	if (bench_counter == BENCH_TICKS)
		console_printf("bench: %s; counting CNTVCT ticks (%lu Hz)\n", bench_no_pmu,
		               timer_freq());
	bench_one("identify.native",
	          gh_stub_for_imm(GH_HVC_NATIVE_BASE + GH_HVC_HYPERVISOR_IDENTIFY), NULL);
	bench_one("identify.smccc", gh_stub_hvc0, smccc_args);
	bench_ipc_run();
	bench_mem_run();
	bench_fault_run();
	bench_vcpu_run();
	bench_rm_run();
}

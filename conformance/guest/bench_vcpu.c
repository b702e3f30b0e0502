/*
 * Bench row of the vCPU switch (issue 10 point 10): the boot vCPU and a second vCPU of the root VM
 * (tests/vcpu: powered on at vcpu2_entry in mode V2_YIELD_TO) yield to each other by name. One
 * round is the boot vCPU's scheduler_yield(to_thread) -> the second vCPU returns from its own
 * yield, counts and yields back -> the boot vCPU returns: two switches. The row is (rounds - the
 * same calls through a nop) / (2 * rounds): one switch, yield to yield, the second vCPU's few loop
 * instructions included. Checked: the second vCPU ran exactly once per round.
 */
#include <gunyah_spec.h>
#include <humpy/bench.h>
#include <humpy/console.h>
#include <humpy/hvc.h>
#include <humpy/mmu.h>
#include <humpy/plat.h>
#include <humpy/profile.h>
#include <humpy/root.h>
#include <humpy/vcpu.h>

#define BENCH_VCPU_N    200
#define BENCH_VCPU_NAME "vcpu.yield_switch"

/* x0 (and the new cap in *cap when asked) of a native call through the raw, uncounted path. */
static u64 bench_vcpu_call(u32 call, u64 a0, u64 a1, u64 a2, u64 a3, u64 *cap)
{
	const u64 args[8] = {a0, a1, a2, a3};
	u64 in[30];
	struct gh_raw_out out;

	gh_fill_in(in, args);
	gh_call_raw(in, &out, gh_stub_for_imm(GH_HVC_NATIVE_BASE + call));
	if (cap)
		*cap = out.x[1];
	return out.x[0];
}

static u64 bench_vcpu_rounds(u64 t, const void *stub, struct vcpu2 *c, u64 *ran)
{
	const u64 args[8] = {GH_VCPU_YIELD_HINT_TO_THREAD, t};
	u64 in[30], t0, before = c->counter;
	struct gh_raw_out out;
	unsigned i;

	gh_fill_in(in, args);
	t0 = bench_now();
	for (i = 0; i < BENCH_VCPU_N; i++)
		gh_call_raw(in, &out, stub);
	t0 = bench_now() - t0;
	*ran = c->counter - before;
	return t0;
}

/* Makes the second vCPU and times the rounds; the reason it could not, or NULL. */
static const char *bench_vcpu_measure(const struct root_caps *rc, u64 *t)
{
	const u64 yield = GH_HVC_NATIVE_BASE + GH_HVC_SCHEDULER_YIELD;
	struct vcpu2 *c;
	u64 total, base, ran, nop_ran;
	unsigned warm;

	if (bench_vcpu_call(GH_HVC_PARTITION_CREATE_THREAD, rc->partition, rc->cspace, 0, 0, t) !=
	    0) {
		*t = GH_CAP_INVALID;
		return "partition_create_thread failed";
	}
	if (bench_vcpu_call(GH_HVC_VCPU_CONFIGURE, *t, 0, 0, 0, NULL) != 0 ||
	    bench_vcpu_call(GH_HVC_CSPACE_ATTACH_THREAD, rc->cspace, *t, 0, 0, NULL) != 0 ||
	    bench_vcpu_call(GH_HVC_ADDRSPACE_ATTACH_THREAD, vcpu_self_as(), *t, 0, 0, NULL) != 0 ||
	    bench_vcpu_call(GH_HVC_OBJECT_ACTIVATE, *t, 0, 0, 0, NULL) != 0)
		return "cannot configure, attach and activate a thread";
	c = vcpu2_prepare(0, V2_YIELD_TO, vcpu_self(), 1);
	if (bench_vcpu_call(GH_HVC_VCPU_POWERON, *t, (u64)(uintptr_t)vcpu2_entry, (u64)(uintptr_t)c,
	                    0, NULL) != 0)
		return "vcpu_poweron failed";
	for (warm = 0; warm < 16 && c->counter < 2; warm++)
		bench_vcpu_call(GH_HVC_SCHEDULER_YIELD, GH_VCPU_YIELD_HINT_TO_THREAD, *t, 0, 0,
		                NULL);
	if (c->counter < 2 || c->faults != 0)
		return "the second vCPU did not run";
	total = bench_vcpu_rounds(*t, gh_stub_for_imm(yield), c, &ran);
	base = bench_vcpu_rounds(*t, gh_stub_nop, c, &nop_ran);
	console_printf("bench: %s %lu for %u rounds (second vCPU ran %lu), baseline %lu\n",
	               BENCH_VCPU_NAME, total, BENCH_VCPU_N, ran, base);
	if (ran != BENCH_VCPU_N || nop_ran != 0)
		return "yield_to did not switch to the second vCPU exactly once per round";
	if (total <= base)
		return "the counter saw no cost in the switches";
	bench_report(BENCH_VCPU_NAME, total - base, 2 * BENCH_VCPU_N);
	return NULL;
}

/*
 * The vcpu_run round trip (reference section 9): the boot vCPU runs a proxied second vCPU (its
 * wakeup VIRQ bound to INTID 88 of the own VIC; V2_LOG_YIELD) that returns from its yield, counts
 * and yields again, which ends the run READY: two hypercalls, two switches. The row is (rounds -
 * the same calls through a nop) / rounds. Checked: every run answered OK, READY and the second
 * vCPU ran exactly once per round.
 */
#define BENCH_RUN_NAME "vcpu.run_round_trip"
#define BENCH_RUN_VIRQ 88

static u64 bench_run_rounds(u64 t, const void *stub, struct vcpu2 *c, u64 *ran, u64 *not_ready)
{
	const u64 args[8] = {t};
	u64 in[30], t0, before = c->counter;
	struct gh_raw_out out;
	unsigned i;

	gh_fill_in(in, args);
	*not_ready = 0;
	t0 = bench_now();
	for (i = 0; i < BENCH_VCPU_N; i++) {
		gh_call_raw(in, &out, stub);
		*not_ready += out.x[0] != 0 || out.x[1] != 0;
	}
	t0 = bench_now() - t0;
	*ran = c->counter - before;
	return t0;
}

static const char *bench_run_measure(const struct root_caps *rc, u64 vic, u64 *t)
{
	const u64 run = GH_HVC_NATIVE_BASE + GH_HVC_VCPU_RUN;
	struct vcpu2 *c;
	u64 total, base, ran, nop_ran, not_ready, ignored;
	unsigned warm;

	if (bench_vcpu_call(GH_HVC_PARTITION_CREATE_THREAD, rc->partition, rc->cspace, 0, 0, t) !=
	    0) {
		*t = GH_CAP_INVALID;
		return "partition_create_thread failed";
	}
	if (bench_vcpu_call(GH_HVC_VCPU_CONFIGURE, *t, 0, 0, 0, NULL) != 0 ||
	    bench_vcpu_call(GH_HVC_CSPACE_ATTACH_THREAD, rc->cspace, *t, 0, 0, NULL) != 0 ||
	    bench_vcpu_call(GH_HVC_ADDRSPACE_ATTACH_THREAD, vcpu_self_as(), *t, 0, 0, NULL) != 0 ||
	    bench_vcpu_call(GH_HVC_OBJECT_ACTIVATE, *t, 0, 0, 0, NULL) != 0)
		return "cannot configure, attach and activate a thread";
	if (bench_vcpu_call(GH_HVC_VCPU_BIND_VIRQ, *t, vic, BENCH_RUN_VIRQ,
	                    GH_VCPU_VIRQ_TYPE_RUN_WAKEUP, NULL) != 0)
		return "vcpu_bind_virq(RUN_WAKEUP) failed";
	c = vcpu2_prepare(0, V2_LOG_YIELD, 0, 1);
	if (bench_vcpu_call(GH_HVC_VCPU_POWERON, *t, (u64)(uintptr_t)vcpu2_entry, (u64)(uintptr_t)c,
	                    0, NULL) != 0)
		return "vcpu_poweron failed";
	for (warm = 0; warm < 16 && c->counter < 2; warm++)
		bench_vcpu_call(GH_HVC_VCPU_RUN, *t, 0, 0, 0, NULL);
	if (c->counter < 2 || c->faults != 0)
		return "the proxied vCPU did not run";
	total = bench_run_rounds(*t, gh_stub_for_imm(run), c, &ran, &not_ready);
	base = bench_run_rounds(*t, gh_stub_nop, c, &nop_ran, &ignored);
	console_printf("bench: %s %lu for %u rounds (proxied vCPU ran %lu), baseline %lu\n",
	               BENCH_RUN_NAME, total, BENCH_VCPU_N, ran, base);
	if (ran != BENCH_VCPU_N || nop_ran != 0 || not_ready != 0)
		return "vcpu_run did not run the proxied vCPU once per round, answering OK READY";
	if (total <= base)
		return "the counter saw no cost in the runs";
	bench_report(BENCH_RUN_NAME, total - base, BENCH_VCPU_N);
	return NULL;
}

static void bench_vcpu_run_trip(void)
{
	const char *why = vcpu_missing();
	u64 vic = profile_chosen_cap("humpy,root-vic-cap");
	struct root_caps rc;
	u64 t = GH_CAP_INVALID;

	if (why == NULL &&
	    !(gh_native(GH_HVC_HYPERVISOR_IDENTIFY, NULL).x[1] & GH_API_FLAG0_VCPU_RUN))
		why = "identify flags0 bit 11 (vcpu_run) clear";
	if (why == NULL && vic == GH_CAP_INVALID)
		why = "no own VIC cap (/chosen humpy,root-vic-cap)";
	if (why == NULL) {
		root_caps_get(&rc);
		why = bench_run_measure(&rc, vic, &t);
		if (t != GH_CAP_INVALID) {
			bench_vcpu_call(GH_HVC_VCPU_UNBIND_VIRQ, t, GH_VCPU_VIRQ_TYPE_RUN_WAKEUP, 0,
			                0, NULL);
			bench_vcpu_call(GH_HVC_VCPU_KILL, t, 0, 0, 0, NULL);
			bench_vcpu_call(GH_HVC_CSPACE_DELETE_CAP_FROM, rc.cspace, t, 0, 0, NULL);
		}
	}
	if (why != NULL)
		proto_line("BENCH " BENCH_RUN_NAME " n/a %s", why);
}

/*
 * The VMMIO exit round trip (reference sections 8 and 9): the proxied vCPU loads from an IPA past
 * RAM inside a range of addrspace_configure_vmmio, forever, counting each load; one round is the
 * boot vCPU's vcpu_run with the value -> the load completes, the vCPU counts and loads again ->
 * state VMMIO_READ: two hypercall-path entries (the run and the fault), two switches. The row is
 * (rounds - the same calls through a nop) / rounds. Checked: every run answered OK, state 4 at the
 * range's IPA, and the proxied vCPU got each round's value.
 */
#define BENCH_VMMIO_NAME "vcpu.vmmio_round_trip"
#define BENCH_VMMIO_PAGE 4

static void bench_vmmio_prog(struct vcpu2 *c)
{
	for (;;) {
		c->result = *(volatile u32 *)(uintptr_t)c->arg;
		c->counter++;
	}
}

static u64 bench_vmmio_rounds(u64 t, const void *stub, struct vcpu2 *c, u64 ipa, u64 *bad)
{
	u64 in[30], t0, args[8] = {t};
	struct gh_raw_out out;
	unsigned i;

	*bad = 0;
	t0 = bench_now();
	for (i = 0; i < BENCH_VCPU_N; i++) {
		args[1] = c->counter + 1; /* what its next load must get */
		gh_fill_in(in, args);
		gh_call_raw(in, &out, stub);
		*bad += out.x[0] != 0 || out.x[1] != GH_VCPU_RUN_STATE_VMMIO_READ ||
		        out.x[2] != ipa || c->result != args[1];
	}
	return bench_now() - t0;
}

static const char *bench_vmmio_measure(const struct root_caps *rc, u64 vic, u64 ipa, u64 *t)
{
	const u64 run = GH_HVC_NATIVE_BASE + GH_HVC_VCPU_RUN;
	struct vcpu2 *c;
	u64 total, base, bad, ignored;

	if (bench_vcpu_call(GH_HVC_PARTITION_CREATE_THREAD, rc->partition, rc->cspace, 0, 0, t) !=
	    0) {
		*t = GH_CAP_INVALID;
		return "partition_create_thread failed";
	}
	if (bench_vcpu_call(GH_HVC_VCPU_CONFIGURE, *t, 0, 0, 0, NULL) != 0 ||
	    bench_vcpu_call(GH_HVC_CSPACE_ATTACH_THREAD, rc->cspace, *t, 0, 0, NULL) != 0 ||
	    bench_vcpu_call(GH_HVC_ADDRSPACE_ATTACH_THREAD, vcpu_self_as(), *t, 0, 0, NULL) != 0 ||
	    bench_vcpu_call(GH_HVC_OBJECT_ACTIVATE, *t, 0, 0, 0, NULL) != 0 ||
	    bench_vcpu_call(GH_HVC_VCPU_BIND_VIRQ, *t, vic, BENCH_RUN_VIRQ,
	                    GH_VCPU_VIRQ_TYPE_RUN_WAKEUP, NULL) != 0)
		return "cannot make a proxied thread";
	c = vcpu2_prepare(0, V2_CALL, mmu_test_va(BENCH_VMMIO_PAGE), 1);
	c->arg2 = (u64)(uintptr_t)bench_vmmio_prog;
	if (bench_vcpu_call(GH_HVC_VCPU_POWERON, *t, (u64)(uintptr_t)vcpu2_entry, (u64)(uintptr_t)c,
	                    0, NULL) != 0)
		return "vcpu_poweron failed";
	if (bench_vcpu_call(GH_HVC_VCPU_RUN, *t, 0, 0, 0, NULL) != 0 || c->faults != 0)
		return "the proxied vCPU did not reach its load";
	total = bench_vmmio_rounds(*t, gh_stub_for_imm(run), c, ipa, &bad);
	base = bench_vmmio_rounds(*t, gh_stub_nop, c, ipa, &ignored);
	console_printf("bench: %s %lu for %u rounds (%lu not as expected), baseline %lu\n",
	               BENCH_VMMIO_NAME, total, BENCH_VCPU_N, bad, base);
	if (bad != 0)
		return "a vcpu_run did not answer VMMIO_READ at the range or its value was not "
		       "loaded";
	if (total <= base)
		return "the counter saw no cost in the runs";
	bench_report(BENCH_VMMIO_NAME, total - base, BENCH_VCPU_N);
	return NULL;
}

static void bench_vcpu_vmmio_trip(void)
{
	const char *why = vcpu_missing();
	u64 vic = profile_chosen_cap("humpy,root-vic-cap"),
	    end = plat.ram_base[0] + plat.ram_size[0];
	struct root_caps rc;
	u64 t = GH_CAP_INVALID;

	if (why == NULL &&
	    !(gh_native(GH_HVC_HYPERVISOR_IDENTIFY, NULL).x[1] & GH_API_FLAG0_VCPU_RUN))
		why = "identify flags0 bit 11 (vcpu_run) clear";
	if (why == NULL && vic == GH_CAP_INVALID)
		why = "no own VIC cap (/chosen humpy,root-vic-cap)";
	if (why == NULL && (plat.n_ram == 0 || plat_addr_described(end, 0x2000)))
		why = "no IPA past RAM that the device tree leaves undescribed";
	if (why == NULL && bench_vcpu_call(GH_HVC_ADDRSPACE_CONFIGURE_VMMIO, vcpu_self_as(),
	                                   end + 0x1000, 4, GH_MEM_VMMIO_OP_ADD, NULL) != 0)
		why = "addrspace_configure_vmmio (add) failed";
	if (why == NULL) {
		root_caps_get(&rc);
		mmu_test_map_ipa(BENCH_VMMIO_PAGE, end + 0x1000, false);
		why = bench_vmmio_measure(&rc, vic, end + 0x1000, &t);
		mmu_test_reset();
		if (t != GH_CAP_INVALID) {
			bench_vcpu_call(GH_HVC_VCPU_UNBIND_VIRQ, t, GH_VCPU_VIRQ_TYPE_RUN_WAKEUP, 0,
			                0, NULL);
			bench_vcpu_call(GH_HVC_VCPU_KILL, t, 0, 0, 0, NULL);
			bench_vcpu_call(GH_HVC_CSPACE_DELETE_CAP_FROM, rc.cspace, t, 0, 0, NULL);
		}
		bench_vcpu_call(GH_HVC_ADDRSPACE_CONFIGURE_VMMIO, vcpu_self_as(), end + 0x1000, 4,
		                GH_MEM_VMMIO_OP_REMOVE, NULL);
	}
	if (why != NULL)
		proto_line("BENCH " BENCH_VMMIO_NAME " n/a %s", why);
}

void bench_vcpu_run(void)
{
	const char *why = vcpu_missing();
	struct root_caps rc;
	u64 t = GH_CAP_INVALID;

	if (why == NULL) {
		root_caps_get(&rc);
		why = bench_vcpu_measure(&rc, &t);
		if (t != GH_CAP_INVALID) {
			bench_vcpu_call(GH_HVC_VCPU_KILL, t, 0, 0, 0, NULL);
			bench_vcpu_call(GH_HVC_CSPACE_DELETE_CAP_FROM, rc.cspace, t, 0, 0, NULL);
		}
	}
	if (why != NULL)
		proto_line("BENCH " BENCH_VCPU_NAME " n/a %s", why);
	bench_vcpu_run_trip();
	bench_vcpu_vmmio_trip();
}

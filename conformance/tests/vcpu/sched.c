/*
 * scheduler_yield and the scheduler on one physical CPU as the root VM sees it with second vCPUs
 * of equal priority: a yield to a named thread runs that thread next, a vCPU that never yields
 * does not keep the CPU from the others, and the yield's errors (reference section 2
 * scheduler_yield; spec vcpu: yield_hint).
 */
#include <humpy/mmu.h>
#include <humpy/plat.h>
#include <humpy/vcpu.h>

#define WAIT_YIELDS 64

/* An activated thread of `priority` and `timeslice` (set while INIT), on in block `slot`. */
static u64 sched_prio_start(const struct root_caps *rc, unsigned slot, u64 priority, u64 timeslice,
                            enum vcpu2_mode mode)
{
	u64 t = vcpu_thread(rc, false);
	struct vcpu2 *c;

	if (t == GH_CAP_INVALID)
		return t;
	if (vc(GH_HVC_VCPU_SET_PRIORITY, t, priority, 0, 0) != 0 ||
	    vc(GH_HVC_VCPU_SET_TIMESLICE, t, timeslice, 0, 0) != 0 ||
	    vc(GH_HVC_OBJECT_ACTIVATE, t, 0, 0, 0) != 0) {
		root_fixture_failed("fixture: set_priority(%lu) and activate", priority);
		return GH_CAP_INVALID;
	}
	c = vcpu2_prepare(slot, mode, t, slot + 1);
	if (vc(GH_HVC_VCPU_POWERON, t, (u64)(uintptr_t)vcpu2_entry, (u64)(uintptr_t)c, 0) != 0) {
		root_fixture_failed("fixture: poweron");
		return GH_CAP_INVALID;
	}
	return t;
}

/* The run log from the first V2_LOG_YIELD entry after the boot vCPU's yield `control, arg1`. */
static u64 sched_first_after(u64 control, u64 arg1)
{
	vcpu2_log_n = 0;
	vcpu2_log_on = true;
	vc(GH_HVC_SCHEDULER_YIELD, control, arg1, 0, 0);
	vcpu2_log_on = false;
	return vcpu2_log_n > 0 ? vcpu2_log[0] : 0;
}

/*
 * Proves a yield to a named thread runs that thread next: with two second vCPUs ready (both
 * plain-yielding, ids 1 and 2, 100 ms timeslices so no timer expiry lands in a round),
 * yield_to(second) logs id 2 first and yield_to(first) id 1 first, three rounds each; a round may
 * take up to three attempts (a timeslice of the boot vCPU can still end between turning the log on
 * and its yield), but a plain yield runs the queue's first every time and never passes the
 * yield_to(second) rounds (section 2 scheduler_yield hint 1).
 */
VCPU_TEST(yield_to_runs_next)
{
	const u64 slice = GH_LIMIT_VCPU_TIMESLICE_MAX_NS, prio = GH_LIMIT_VCPU_PRIORITY_DEFAULT;
	u64 t1 = sched_prio_start(rc, 0, prio, slice, V2_LOG_YIELD);
	u64 t2 = sched_prio_start(rc, 1, prio, slice, V2_LOG_YIELD);
	unsigned round;

	RETURN_IF_FAILED();
	ASSERT_TRUE("the first second vCPU never ran",
	            vcpu_yield_until_changed(&vcpu2_block(0)->entries, 0, WAIT_YIELDS));
	ASSERT_TRUE("the second second vCPU never ran",
	            vcpu_yield_until_changed(&vcpu2_block(1)->entries, 0, WAIT_YIELDS));
	for (round = 0; round < 6; round++) {
		u64 want = round % 2 == 0 ? 2 : 1, got = 0;
		unsigned attempt;

		for (attempt = 0; attempt < 3 && got != want; attempt++)
			got = sched_first_after(GH_VCPU_YIELD_HINT_TO_THREAD, want == 2 ? t2 : t1);
		if (got != want) {
			test_fail(
			    "round %u: first to run after yield_to(id %lu), 3 attempts: expected "
			    "%lu got %lu (last log of %lu: %lu %lu %lu %lu)",
			    round, want, want, got, vcpu2_log_n, vcpu2_log[0], vcpu2_log[1],
			    vcpu2_log[2], vcpu2_log[3]);
			return;
		}
	}
	ASSERT_EQ("exceptions taken by the first", vcpu2_block(0)->faults, 0);
	ASSERT_EQ("exceptions taken by the second", vcpu2_block(1)->faults, 0);
	ASSERT_EQ("the first's last yield", vcpu2_block(0)->result, 0);
	ASSERT_EQ("the second's last yield", vcpu2_block(1)->result, 0);
}

/*
 * Proves two vCPUs of equal priority both make progress when one spins forever: the boot vCPU,
 * spinning without a hypercall, sees the second vCPU's counter move twice (so it was preempted and
 * came back at least twice), and the second vCPU, also spinning, is preempted in turn (issue 10
 * point 4: preemption on the EL2 timer).
 */
VCPU_TEST(equal_priority_progress)
{
	struct vcpu2 *c;
	u64 first, second;

	vcpu2_start(rc, 0, V2_SPIN, 0);
	RETURN_IF_FAILED();
	c = vcpu2_block(0);
	ASSERT_TRUE("the spinning second vCPU made no progress in 500 ms of the boot vCPU spinning",
	            vcpu_spin_until_changed(&c->counter, 0, 500));
	first = c->counter;
	ASSERT_TRUE("the boot vCPU got the CPU back only once in 500 ms",
	            vcpu_spin_until_changed(&c->counter, first, 500));
	second = c->counter;
	ASSERT_TRUE("... and not a third time", vcpu_spin_until_changed(&c->counter, second, 500));
	ASSERT_EQ("exceptions the second vCPU took", c->faults, 0);
}

/*
 * Proves scheduler_yield's errors: control bits 30:16 (16, 30) and hints 3 and 0xffff are
 * ARGUMENT_INVALID, yield to a lower priority 64 ARGUMENT_INVALID; a plain yield and yield_to
 * the caller itself are OK; every cap error of the yield_to thread (YIELD_TO right; an INIT
 * thread OBJECT_STATE) (section 2 scheduler_yield).
 */
VCPU_TEST(yield_errors)
{
	u64 init = vcpu_thread(rc, false);
	u64 args[7] = {GH_VCPU_YIELD_HINT_TO_THREAD, vcpu_self(), 0};

	RETURN_IF_FAILED();
	ASSERT_EQ("control bit 16", vc(GH_HVC_SCHEDULER_YIELD, 1ULL << 16, 0, 0, 0),
	          E(ARGUMENT_INVALID));
	ASSERT_EQ("control bit 30", vc(GH_HVC_SCHEDULER_YIELD, 1ULL << 30, 0, 0, 0),
	          E(ARGUMENT_INVALID));
	ASSERT_EQ("hint 3", vc(GH_HVC_SCHEDULER_YIELD, 3, 0, 0, 0), E(ARGUMENT_INVALID));
	ASSERT_EQ("hint 0xffff", vc(GH_HVC_SCHEDULER_YIELD, GH_VCPU_YIELD_HINT_MASK, 0, 0, 0),
	          E(ARGUMENT_INVALID));
	ASSERT_EQ("lower than priority 64",
	          vc(GH_HVC_SCHEDULER_YIELD, GH_VCPU_YIELD_HINT_LOWER,
	             GH_LIMIT_VCPU_PRIORITY_MAX + 1, 0, 0),
	          E(ARGUMENT_INVALID));
	ASSERT_EQ("plain", vc(GH_HVC_SCHEDULER_YIELD, GH_VCPU_YIELD_HINT_GENERIC, 0, 0, 0), 0);
	ASSERT_EQ("to itself",
	          vc(GH_HVC_SCHEDULER_YIELD, GH_VCPU_YIELD_HINT_TO_THREAD, vcpu_self(), 0, 0), 0);
	mem_cap_errors(rc, GH_HVC_SCHEDULER_YIELD, args, 1, rc->cspace, GH_RIGHT_THREAD_YIELD_TO,
	               init);
}

/*
 * Proves each vCPU keeps its own EL1 registers across switches: the boot vCPU and a second vCPU
 * hold different values in TPIDR_EL0, TPIDRRO_EL0, CSSELR_EL1, CONTEXTIDR_EL1, PAR_EL1, FAR_EL1,
 * SP_EL0, CNTKCTL_EL1.EVNTI (and the second in ELR_EL1, SPSR_EL1; with MTE GCR_EL1, RGSR_EL1,
 * TFSR_EL1, TFSRE0_EL1 too) and yield to each other 32 times; neither ever reads the other's value
 * (issue 10 point 3: the vCPU context).
 */
VCPU_TEST(el1_context_switched)
{
	const u64 seed = 0xa0;
	u64 t, saved[VCPU_SYSREGS_SAVED], bad = 0;
	struct vcpu2 *c;
	unsigned i;

	t = vcpu_thread(rc, true);
	RETURN_IF_FAILED();
	c = vcpu2_prepare(0, V2_SYSREGS, vcpu_self(), 1);
	vcpu_sysregs_save(saved);
	vcpu_sysregs_write(seed, false);
	if (vc(GH_HVC_VCPU_POWERON, t, (u64)(uintptr_t)vcpu2_entry, (u64)(uintptr_t)c, 0) == 0) {
		for (i = 0; i < 32; i++) {
			vc(GH_HVC_SCHEDULER_YIELD, GH_VCPU_YIELD_HINT_TO_THREAD, t, 0, 0);
			bad |= vcpu_sysregs_check(seed, false);
		}
	}
	vcpu_sysregs_restore(saved);
	ASSERT_EQ("times the second vCPU entered", c->entries, 1);
	ASSERT_EQ("exceptions the second vCPU took", c->faults, 0);
	ASSERT_TRUE("the second vCPU ran fewer than 16 rounds", c->counter >= 16);
	ASSERT_EQ("boot vCPU: registers changed across switches (bit i: register i)", bad, 0);
	ASSERT_EQ("second vCPU: registers changed across switches (bit i: register i)", c->stamp,
	          0);
	ASSERT_EQ("the second vCPU's last yield_to", c->result, 0);
}

/*
 * Proves a vCPU that faults inside its own exception vector is stopped alone: a second vCPU points
 * VBAR_EL1 at a page whose IPA is unmapped, then loads from an unmapped IPA; the injected abort's
 * vector cannot be fetched. It never gets past the load, the boot vCPU runs on and the hypervisor
 * still serves calls (root_alive), and the stopped vCPU is never powered on again: poweron
 * OBJECT_STATE like a killed one (issue 10 point 6; section 8).
 */
VCPU_TEST(fault_in_vector_stops_alone)
{
	const unsigned page = 4;
	u64 end = plat.ram_base[0] + plat.ram_size[0], t;
	struct vcpu2 *c;

	if (plat.n_ram == 0 || plat_addr_described(end, 0x2000)) {
		test_error("no IPA past RAM that the device tree leaves undescribed");
		return;
	}
	t = vcpu_thread(rc, true);
	RETURN_IF_FAILED();
	mmu_test_map_ipa(page, end + 0x1000, true);
	c = vcpu2_prepare(0, V2_BAD_VECTOR, mmu_test_va(page), 1);
	c->arg2 = end;
	ASSERT_EQ("poweron",
	          vc(GH_HVC_VCPU_POWERON, t, (u64)(uintptr_t)vcpu2_entry, (u64)(uintptr_t)c, 0), 0);
	vcpu_yield_until_changed(&c->stamp, 0, WAIT_YIELDS);
	vcpu_yield_until_changed(&c->stamp, 1, 8);
	vcpu_spin_until_changed(&c->stamp, 1, 50);
	mmu_test_reset();
	ASSERT_EQ("the second vCPU's progress (1: before the load, 2: past it)", c->stamp, 1);
	ASSERT_EQ("exceptions the second vCPU's handler ran", c->faults, 0);
	if (!root_alive(rc, "a vCPU faulted inside its own vector"))
		return;
	ASSERT_EQ("poweron of the stopped vCPU",
	          vc(GH_HVC_VCPU_POWERON, t, (u64)(uintptr_t)vcpu2_entry, (u64)(uintptr_t)c, 0),
	          E(OBJECT_STATE));
}

/*
 * Proves priorities order the CPU (the boot vCPU has the default, 32): a vCPU of priority 33
 * runs as soon as it is powered on, before poweron returns to the boot vCPU (it sees the boot
 * vCPU's step 1, not 2); a vCPU of priority 31 never runs while the boot vCPU spins for 200 ms or
 * yields (section 2 vcpu_set_priority; issue 10 point 4).
 */
VCPU_TEST(priority_orders)
{
	struct vcpu2 *hi = vcpu2_block(0), *lo = vcpu2_block(1);

	vcpu2_seq = 1;
	sched_prio_start(rc, 0, GH_LIMIT_VCPU_PRIORITY_DEFAULT + 1,
	                 GH_LIMIT_VCPU_TIMESLICE_DEFAULT_NS, V2_SEQ_OFF);
	vcpu2_seq = 2;
	RETURN_IF_FAILED();
	if (hi->entries == 0)
		vcpu_yield_until_changed(&hi->entries, 0, WAIT_YIELDS);
	ASSERT_EQ("times the priority-33 vCPU entered", hi->entries, 1);
	ASSERT_EQ("the boot vCPU's step the priority-33 vCPU saw (1: before poweron returned)",
	          hi->stamp, 1);
	ASSERT_EQ("its poweroff did not return", hi->result, ~0ULL);
	sched_prio_start(rc, 1, GH_LIMIT_VCPU_PRIORITY_DEFAULT - 1,
	                 GH_LIMIT_VCPU_TIMESLICE_DEFAULT_NS, V2_SPIN);
	RETURN_IF_FAILED();
	ASSERT_TRUE("the priority-31 vCPU ran while the boot vCPU spun",
	            !vcpu_spin_until_changed(&lo->entries, 0, 200));
	ASSERT_TRUE("the priority-31 vCPU ran when the boot vCPU yielded",
	            !vcpu_yield_until_changed(&lo->entries, 0, 8));
	ASSERT_EQ("its counter", lo->counter, 0);
}

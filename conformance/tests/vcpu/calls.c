/*
 * vcpu_configure, vcpu_poweron, vcpu_poweroff, vcpu_kill, vcpu_set_priority, vcpu_set_timeslice,
 * vcpu_set_affinity, vcpu_register_write and thread activation: every error with its exact code and
 * the effects a second vCPU of the root VM shows (reference section 2 vcpu_*, section 7 rights;
 * spec limits and vcpu: bit layouts).
 */
#include <humpy/fault.h>
#include <humpy/vcpu.h>

#define WAIT_YIELDS 64 /* plain yields a test waits for a second vCPU before it gives up */
#define MAGIC_X1    0x1111222233334444ULL
#define MAGIC_X3    0x5555666677778888ULL
#define RES1        (~0ULL) /* a res1 input: all ones (reference section 1a) */

/* Waits until the block's vCPU has entered `n` times; FAIL if it does not within WAIT_YIELDS. */
#define WAIT_ENTRIES(c, n)                                                                         \
	do {                                                                                       \
		if ((c)->entries != (n))                                                           \
			vcpu_yield_until_changed(&(c)->entries, (n)-1, WAIT_YIELDS);               \
		ASSERT_EQ("times the second vCPU entered", (c)->entries, (n));                     \
		ASSERT_EQ("exceptions the second vCPU took", (c)->faults, 0);                      \
	} while (0)

/*
 * Proves thread activation needs an address space (OBJECT_CONFIG without one, the thread stays
 * INIT and activates once attached) and a second activation is OBJECT_STATE (section 7; the
 * thread_activate deviation gone).
 */
VCPU_TEST(activate_needs_addrspace)
{
	u64 t = root_create(rc, GH_HVC_PARTITION_CREATE_THREAD, rc->partition);

	RETURN_IF_FAILED();
	ASSERT_EQ("configure", vc(GH_HVC_VCPU_CONFIGURE, t, 0, 0, 0), 0);
	ASSERT_EQ("activate without an address space", vc(GH_HVC_OBJECT_ACTIVATE, t, 0, 0, 0),
	          E(OBJECT_CONFIG));
	ASSERT_EQ("still INIT: configure again", vc(GH_HVC_VCPU_CONFIGURE, t, 0, 0, 0), 0);
	ASSERT_EQ("addrspace_attach_thread",
	          vc(GH_HVC_ADDRSPACE_ATTACH_THREAD, vcpu_self_as(), t, 0, 0), 0);
	ASSERT_EQ("activate", vc(GH_HVC_OBJECT_ACTIVATE, t, 0, 0, 0), 0);
	ASSERT_EQ("activate again", vc(GH_HVC_OBJECT_ACTIVATE, t, 0, 0, 0), E(OBJECT_STATE));
}

/*
 * Proves vcpu_configure: option bits no build defines (6, 7, 10, 31, 62) are ARGUMENT_INVALID,
 * 0 is OK while INIT, OBJECT_STATE once active; every cap error of its vcpu input (section 2).
 */
VCPU_TEST(configure_errors)
{
	static const unsigned bad[] = {6, 7, 10, 31, 62};
	u64 t = vcpu_thread(rc, false), active = vcpu_thread(rc, true);
	u64 args[7] = {t, 0};
	unsigned i;

	RETURN_IF_FAILED();
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		u64 err = vc(GH_HVC_VCPU_CONFIGURE, t, 1ULL << bad[i], 0, 0);

		if (err != E(ARGUMENT_INVALID)) {
			test_fail("option bit %u: x0 expected 0x1 got 0x%lx", bad[i], err);
			return;
		}
	}
	ASSERT_EQ("options 0", vc(GH_HVC_VCPU_CONFIGURE, t, 0, 0, 0), 0);
	ASSERT_EQ("an active thread", vc(GH_HVC_VCPU_CONFIGURE, active, 0, 0, 0), E(OBJECT_STATE));
	mem_cap_errors(rc, GH_HVC_VCPU_CONFIGURE, args, 0, rc->cspace, GH_RIGHT_OBJECT_ACTIVATE,
	               active);
}

/*
 * Proves vcpu_set_priority takes 0..63 (63 the spec's maximum) while INIT, 64 and 2^32 are
 * ARGUMENT_INVALID, an active thread is OBJECT_STATE (upstream sets priorities before activation),
 * and every cap error (section 2, limits vcpu_priority_max).
 */
VCPU_TEST(priority_bounds)
{
	u64 t = vcpu_thread(rc, false), active = vcpu_thread(rc, true);
	u64 args[7] = {t, GH_LIMIT_VCPU_PRIORITY_DEFAULT};

	RETURN_IF_FAILED();
	ASSERT_EQ("max + 1", vc(GH_HVC_VCPU_SET_PRIORITY, t, GH_LIMIT_VCPU_PRIORITY_MAX + 1, 0, 0),
	          E(ARGUMENT_INVALID));
	ASSERT_EQ("2^32", vc(GH_HVC_VCPU_SET_PRIORITY, t, 1ULL << 32, 0, 0), E(ARGUMENT_INVALID));
	ASSERT_EQ("max", vc(GH_HVC_VCPU_SET_PRIORITY, t, GH_LIMIT_VCPU_PRIORITY_MAX, 0, 0), 0);
	ASSERT_EQ("0", vc(GH_HVC_VCPU_SET_PRIORITY, t, 0, 0, 0), 0);
	ASSERT_EQ("default", vc(GH_HVC_VCPU_SET_PRIORITY, t, GH_LIMIT_VCPU_PRIORITY_DEFAULT, 0, 0),
	          0);
	ASSERT_EQ("an active thread",
	          vc(GH_HVC_VCPU_SET_PRIORITY, active, GH_LIMIT_VCPU_PRIORITY_DEFAULT, 0, 0),
	          E(OBJECT_STATE));
	mem_cap_errors(rc, GH_HVC_VCPU_SET_PRIORITY, args, 0, rc->cspace, GH_RIGHT_THREAD_PRIORITY,
	               active);
}

/*
 * Proves vcpu_set_timeslice takes 1 ms..100 ms (both ends) while INIT, 0, 1 ms - 1 and 100 ms + 1
 * are ARGUMENT_INVALID, an active thread OBJECT_STATE, every cap error (section 2, limits).
 */
VCPU_TEST(timeslice_bounds)
{
	u64 t = vcpu_thread(rc, false), active = vcpu_thread(rc, true);
	u64 args[7] = {t, GH_LIMIT_VCPU_TIMESLICE_DEFAULT_NS};

	RETURN_IF_FAILED();
	ASSERT_EQ("0", vc(GH_HVC_VCPU_SET_TIMESLICE, t, 0, 0, 0), E(ARGUMENT_INVALID));
	ASSERT_EQ("min - 1",
	          vc(GH_HVC_VCPU_SET_TIMESLICE, t, GH_LIMIT_VCPU_TIMESLICE_MIN_NS - 1, 0, 0),
	          E(ARGUMENT_INVALID));
	ASSERT_EQ("max + 1",
	          vc(GH_HVC_VCPU_SET_TIMESLICE, t, GH_LIMIT_VCPU_TIMESLICE_MAX_NS + 1, 0, 0),
	          E(ARGUMENT_INVALID));
	ASSERT_EQ("min", vc(GH_HVC_VCPU_SET_TIMESLICE, t, GH_LIMIT_VCPU_TIMESLICE_MIN_NS, 0, 0), 0);
	ASSERT_EQ("max", vc(GH_HVC_VCPU_SET_TIMESLICE, t, GH_LIMIT_VCPU_TIMESLICE_MAX_NS, 0, 0), 0);
	ASSERT_EQ("an active thread",
	          vc(GH_HVC_VCPU_SET_TIMESLICE, active, GH_LIMIT_VCPU_TIMESLICE_DEFAULT_NS, 0, 0),
	          E(OBJECT_STATE));
	mem_cap_errors(rc, GH_HVC_VCPU_SET_TIMESLICE, args, 0, rc->cspace,
	               GH_RIGHT_THREAD_TIMESLICE, active);
}

/*
 * Proves vcpu_set_affinity: CPU 0 is OK while INIT, CPU index 0xfffe (past any QEMU virt machine's
 * CPUs; 0xffff is the reference's "none" and not asserted) ARGUMENT_INVALID, an active thread
 * OBJECT_STATE (the reading priority and timeslice take), res1 0 ARGUMENT_INVALID, and every cap
 * error (section 2, AFFINITY right).
 */
VCPU_TEST(affinity_errors)
{
	u64 t = vcpu_thread(rc, false), active = vcpu_thread(rc, true);
	u64 args[7] = {t, 0, RES1};

	RETURN_IF_FAILED();
	ASSERT_EQ("CPU 0", vc(GH_HVC_VCPU_SET_AFFINITY, t, 0, RES1, 0), 0);
	ASSERT_EQ("CPU 0xfffe", vc(GH_HVC_VCPU_SET_AFFINITY, t, 0xfffe, RES1, 0),
	          E(ARGUMENT_INVALID));
	ASSERT_EQ("res1 0", vc(GH_HVC_VCPU_SET_AFFINITY, t, 0, 0, 0), E(ARGUMENT_INVALID));
	ASSERT_EQ("still INIT: CPU 0 again", vc(GH_HVC_VCPU_SET_AFFINITY, t, 0, RES1, 0), 0);
	ASSERT_EQ("an active thread", vc(GH_HVC_VCPU_SET_AFFINITY, active, 0, RES1, 0),
	          E(OBJECT_STATE));
	mem_cap_errors(rc, GH_HVC_VCPU_SET_AFFINITY, args, 0, rc->cspace, GH_RIGHT_THREAD_AFFINITY,
	               active);
}

/*
 * Proves vcpu_poweron runs the vCPU at the entry point with x0 = the context (the block's address
 * arrives), a second poweron while it is on is BUSY, a reserved flag bit ARGUMENT_INVALID, and
 * every cap error: an INIT thread OBJECT_STATE, no POWER right, another type (section 2).
 */
VCPU_TEST(poweron_twice)
{
	u64 t = vcpu2_start(rc, 0, V2_LOG_YIELD, 0), init = vcpu_thread(rc, false);
	u64 off = vcpu_thread(rc, true);
	struct vcpu2 *c;
	u64 args[7] = {t, (u64)(uintptr_t)vcpu2_entry, 0, 0};

	RETURN_IF_FAILED();
	c = vcpu2_block(0);
	WAIT_ENTRIES(c, 1);
	ASSERT_EQ("x0 at entry (the context)", c->entry_x[0], (u64)(uintptr_t)c);
	ASSERT_EQ("poweron while on", vc(GH_HVC_VCPU_POWERON, t, (u64)(uintptr_t)vcpu2_entry, 0, 0),
	          E(BUSY));
	ASSERT_EQ("reserved flag bit 2",
	          vc(GH_HVC_VCPU_POWERON, off, (u64)(uintptr_t)vcpu2_entry, 0, 1ULL << 2),
	          E(ARGUMENT_INVALID));
	mem_cap_errors(rc, GH_HVC_VCPU_POWERON, args, 0, rc->cspace, GH_RIGHT_THREAD_POWER, init);
	ASSERT_EQ("entered once", c->entries, 1);
}

/*
 * Proves vcpu_poweroff: another vCPU's cap is ARGUMENT_INVALID, a reserved flag bit
 * ARGUMENT_INVALID, the boot vCPU alone without last_vcpu DENIED; a second vCPU (the boot vCPU
 * on) gets DENIED with last_vcpu and OK without, after which it is off: register_write works and
 * a new poweron enters again (section 2 poweroff's last-vCPU rule).
 */
VCPU_TEST(poweroff_rules)
{
	u64 self = vcpu_self(), init = vcpu_thread(rc, false), t;
	u64 args[7] = {self, 0};
	struct vcpu2 *c;

	RETURN_IF_FAILED();
	ASSERT_EQ("the boot vCPU alone, flags 0", vc(GH_HVC_VCPU_POWEROFF, self, 0, 0, 0),
	          E(DENIED));
	ASSERT_EQ("reserved flag bit 1", vc(GH_HVC_VCPU_POWEROFF, self, 2, 0, 0),
	          E(ARGUMENT_INVALID));
	mem_cap_errors(rc, GH_HVC_VCPU_POWEROFF, args, 0, rc->cspace, GH_RIGHT_THREAD_POWER, init);
	RETURN_IF_FAILED();
	t = vcpu2_start(rc, 0, V2_POWEROFF, 0);
	RETURN_IF_FAILED();
	c = vcpu2_block(0);
	ASSERT_EQ("another vCPU's cap", vc(GH_HVC_VCPU_POWEROFF, t, 0, 0, 0), E(ARGUMENT_INVALID));
	WAIT_ENTRIES(c, 1);
	vcpu_yield_until_changed(&c->stamp, 0, WAIT_YIELDS);
	ASSERT_EQ("second vCPU: poweroff with last_vcpu while the boot vCPU is on", c->stamp,
	          E(DENIED));
	ASSERT_EQ("second vCPU: poweroff without last_vcpu did not return", c->result, ~0ULL);
	ASSERT_EQ("register_write of the powered-off vCPU",
	          vc(GH_HVC_VCPU_REGISTER_WRITE, t, GH_VCPU_REGISTER_SET_X, 1, MAGIC_X1), 0);
	ASSERT_EQ("poweron again",
	          vc(GH_HVC_VCPU_POWERON, t, (u64)(uintptr_t)vcpu2_entry, (u64)(uintptr_t)c, 0), 0);
	WAIT_ENTRIES(c, 2);
	ASSERT_EQ("x1 at the second entry (register_write)", c->entry_x[1], MAGIC_X1);
}

/*
 * Proves vcpu_register_write: BUSY while the vCPU is on; a set past SP_EL or an index past each
 * set's registers ARGUMENT_INVALID; while off, X, PC and SP_EL1 written arrive at poweron with both
 * preserve flags (PC = the written entry, x0 = the written context, x1, x3, SP: what register_write
 * while off is for); every cap error (section 2 register_write, poweron flags).
 */
VCPU_TEST(register_write)
{
	u64 t = vcpu_thread(rc, true), init = vcpu_thread(rc, false), sp;
	u64 args[7] = {t, GH_VCPU_REGISTER_SET_X, 1, 0};
	struct vcpu2 *c = vcpu2_prepare(0, V2_LOG_YIELD, 0, 1);
	const u64 keep =
	    GH_VCPU_POWERON_FLAGS_PRESERVE_ENTRY | GH_VCPU_POWERON_FLAGS_PRESERVE_CONTEXT;
	static const struct {
		u64 set, index;
	} bad[] = {{GH_VCPU_REGISTER_SET_X, GH_VCPU_REGISTER_COUNT_X},
	           {GH_VCPU_REGISTER_SET_PC, GH_VCPU_REGISTER_COUNT_PC},
	           {GH_VCPU_REGISTER_SET_SP_EL, GH_VCPU_REGISTER_COUNT_SP_EL},
	           {GH_VCPU_REGISTER_SET_SP_EL + 1, 0}};
	unsigned i;

	RETURN_IF_FAILED();
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		u64 err = vc(GH_HVC_VCPU_REGISTER_WRITE, t, bad[i].set, bad[i].index, 0);

		if (err != E(ARGUMENT_INVALID)) {
			test_fail("set %lu index %lu: x0 expected 0x1 got 0x%lx", bad[i].set,
			          bad[i].index, err);
			return;
		}
	}
	mem_cap_errors(rc, GH_HVC_VCPU_REGISTER_WRITE, args, 0, rc->cspace,
	               GH_RIGHT_THREAD_WRITE_CONTEXT, init);
	RETURN_IF_FAILED();
	sp = c->stack_top - 64;
	ASSERT_EQ("X0",
	          vc(GH_HVC_VCPU_REGISTER_WRITE, t, GH_VCPU_REGISTER_SET_X, 0, (u64)(uintptr_t)c),
	          0);
	ASSERT_EQ("X1", vc(GH_HVC_VCPU_REGISTER_WRITE, t, GH_VCPU_REGISTER_SET_X, 1, MAGIC_X1), 0);
	ASSERT_EQ("X3", vc(GH_HVC_VCPU_REGISTER_WRITE, t, GH_VCPU_REGISTER_SET_X, 3, MAGIC_X3), 0);
	ASSERT_EQ("PC",
	          vc(GH_HVC_VCPU_REGISTER_WRITE, t, GH_VCPU_REGISTER_SET_PC, 0,
	             (u64)(uintptr_t)vcpu2_entry),
	          0);
	ASSERT_EQ("SP_EL1", vc(GH_HVC_VCPU_REGISTER_WRITE, t, GH_VCPU_REGISTER_SET_SP_EL, 1, sp),
	          0);
	ASSERT_EQ("poweron keeping entry and context", vc(GH_HVC_VCPU_POWERON, t, 0x4, 0, keep), 0);
	WAIT_ENTRIES(c, 1);
	ASSERT_EQ("x0 at entry", c->entry_x[0], (u64)(uintptr_t)c);
	ASSERT_EQ("x1 at entry", c->entry_x[1], MAGIC_X1);
	ASSERT_EQ("x3 at entry", c->entry_x[3], MAGIC_X3);
	ASSERT_EQ("SP at entry (the SP_EL1 written)", c->entry_sp, sp);
	ASSERT_EQ("register_write while on",
	          vc(GH_HVC_VCPU_REGISTER_WRITE, t, GH_VCPU_REGISTER_SET_X, 1, 0), E(BUSY));
}

/*
 * Proves vcpu_kill stops a vCPU that never yields (its counter stands still afterwards), a second
 * kill and a poweron of the killed vCPU are OBJECT_STATE (it can never run again), and every cap
 * error of kill (section 2 vcpu_kill; LIFECYCLE right).
 */
VCPU_TEST(kill_then_poweron)
{
	u64 t = vcpu2_start(rc, 0, V2_SPIN, 0), init = vcpu_thread(rc, false), before;
	u64 args[7] = {t, 0};
	struct vcpu2 *c = vcpu2_block(0);

	RETURN_IF_FAILED();
	ASSERT_TRUE("the spinning vCPU never ran (no preemption within 500 ms)",
	            vcpu_spin_until_changed(&c->counter, 0, 500));
	mem_cap_errors(rc, GH_HVC_VCPU_KILL, args, 0, rc->cspace, GH_RIGHT_THREAD_LIFECYCLE, init);
	RETURN_IF_FAILED();
	ASSERT_EQ("kill", vc(GH_HVC_VCPU_KILL, t, 0, 0, 0), 0);
	before = c->counter;
	ASSERT_TRUE("the killed vCPU still runs",
	            !vcpu_spin_until_changed(&c->counter, before, 50) &&
	                !vcpu_yield_until_changed(&c->counter, before, 8));
	ASSERT_EQ("kill again", vc(GH_HVC_VCPU_KILL, t, 0, 0, 0), E(OBJECT_STATE));
	ASSERT_EQ("poweron after kill",
	          vc(GH_HVC_VCPU_POWERON, t, (u64)(uintptr_t)vcpu2_entry, (u64)(uintptr_t)c, 0),
	          E(OBJECT_STATE));
	ASSERT_EQ("entered once", c->entries, 1);
}

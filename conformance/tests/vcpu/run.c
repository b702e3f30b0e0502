/*
 * Proxy scheduling (reference section 9 vcpu_run, section 2 vcpu_bind_virq VCPU_RUN_WAKEUP): a
 * second vCPU of the root VM whose wakeup VIRQ is bound to the root VM's own VIC runs only when the
 * boot vCPU's vcpu_run lends it the CPU; vcpu_run returns its state with exact data words, and the
 * wakeup VIRQ arrives in the boot vCPU's IRQ handler when the proxied vCPU is ready again.
 *
 * The proxied vCPU runs a program of this file (V2_CALL): WFI on its own virtual timer, yield
 * forever, or spin. RUN_TEST SKIPs without vcpu_run (identify flags0 bit 11), the own VIC cap or a
 * working guest GIC (irq_ready).
 */
#include <humpy/arch.h>
#include <humpy/fault.h>
#include <humpy/fdt.h>
#include <humpy/ipc.h>
#include <humpy/mmu.h>
#include <humpy/plat.h>
#include <humpy/profile.h>
#include <humpy/vcpu.h>

#define RUN_VIRQ      88 /* the wakeup VIRQ's INTID on the own VIC (no other test binds it) */
#define RUN_TIMER_MS  20 /* the proxied vCPU's WFI ends at its own virtual timer this far ahead */
#define RUN_WAIT_MS   200
#define RUN_PRIO_HIGH 40
#define RUN_HI_VIRQ   40 /* the waiter's VIRQ on its own VIC */

#define RUN_STATE(name) ((u64)GH_VCPU_RUN_STATE_##name)

/* Native result of vcpu_run / vcpu_run_check: x0..x4 exact, x5..x7 zero. */
#define ASSERT_RUN(what, ret, state, d0)                                                           \
	do {                                                                                       \
		struct gh_ret rr_ = (ret);                                                         \
		unsigned j_;                                                                       \
		ASSERT_EQ(what " (x0 error)", rr_.x[0], 0);                                        \
		ASSERT_EQ(what " (x1 state)", rr_.x[1], (state));                                  \
		ASSERT_EQ(what " (x2 state_data_0)", rr_.x[2], (d0));                              \
		ASSERT_EQ(what " (x3 state_data_1)", rr_.x[3], 0);                                 \
		ASSERT_EQ(what " (x4 state_data_2)", rr_.x[4], 0);                                 \
		for (j_ = 5; j_ < 8; j_++)                                                         \
			ASSERT_EQ(what " (x5..x7)", rr_.x[j_], 0);                                 \
	} while (0)

static struct gh_ret run(u64 t)
{
	return hc(GH_HVC_VCPU_RUN, t, 0, 0, 0, 0);
}

static struct gh_ret run_check(u64 t)
{
	return hc(GH_HVC_VCPU_RUN_CHECK, t, 0, 0, 0, 0);
}

static const char *run_missing(void)
{
	const char *why = vcpu_missing();

	if (why != NULL)
		return why;
	if (!(gh_native(GH_HVC_HYPERVISOR_IDENTIFY, NULL).x[1] & GH_API_FLAG0_VCPU_RUN))
		return "identify flags0 bit 11 (vcpu_run) clear";
	if (profile_chosen_cap("humpy,root-vic-cap") == GH_CAP_INVALID)
		return IPC_NO_VIC_REASON;
	if (!irq_ready())
		return IPC_NO_IRQ_REASON;
	return NULL;
}

/* A vCPU test that also needs vcpu_run and the own VIC; interrupts reset around the body. */
#define RUN_TEST(name)                                                                             \
	static void run_body_##name(const struct root_caps *rc, u64 vic);                          \
	TEST(vcpu, name)                                                                           \
	{                                                                                          \
		struct root_caps rc_;                                                              \
		const char *why_ = run_missing();                                                  \
		if (why_)                                                                          \
			SKIP("%s", why_);                                                          \
		root_caps_get(&rc_);                                                               \
		if (!root_begin(&rc_))                                                             \
			return;                                                                    \
		vcpu_begin();                                                                      \
		irq_reset();                                                                       \
		run_body_##name(&rc_, profile_chosen_cap("humpy,root-vic-cap"));                   \
		vcpu_end();                                                                        \
		irq_reset();                                                                       \
		root_end(&rc_);                                                                    \
	}                                                                                          \
	static void run_body_##name(const struct root_caps *rc, u64 vic)

/* The proxied vCPU's own hypercall (x0 only): outside the boot vCPU's counted path. */
static u64 run_v2_yield(void)
{
	register u64 x0_ __asm__("x0") = GH_VCPU_YIELD_HINT_GENERIC;
	register u64 x1_ __asm__("x1") = 0;
	register u64 x2_ __asm__("x2") = 0;

	__asm__ volatile("hvc %3"
	                 : "+r"(x0_), "+r"(x1_), "+r"(x2_)
	                 : "i"(GH_HVC_NATIVE_BASE + GH_HVC_SCHEDULER_YIELD)
	                 : "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
	                   "x14", "x15", "x16", "x17", "memory");
	return x0_;
}

/* Forever: stamp++, its virtual timer armed RUN_TIMER_MS ahead (IRQs masked: the WFI only waits),
 * WFI, the timer off, counter++. */
static void run_prog_wfi(struct vcpu2 *c)
{
	for (;;) {
		c->stamp++;
		sysreg_write(cntv_cval_el0, timer_now() + timer_freq() / 1000 * RUN_TIMER_MS);
		sysreg_write(cntv_ctl_el0, 1);
		isb();
		__asm__ volatile("wfi" ::: "memory");
		sysreg_write(cntv_ctl_el0, 0);
		isb();
		c->counter++;
	}
}

/* stamp++, then a WFI nothing could end (no timer, no interrupt); counter++ if it did end. */
static void run_prog_wait(struct vcpu2 *c)
{
	for (;;) {
		c->stamp++;
		__asm__ volatile("wfi" ::: "memory");
		c->counter++;
	}
}

/* Forever: counter++, a plain yield (its x0 in result). */
static void run_prog_yield(struct vcpu2 *c)
{
	for (;;) {
		c->counter++;
		c->result = run_v2_yield();
	}
}

/* The proxied vCPU's doorbell_send(db, flags 1); x0. */
static u64 run_v2_send(u64 db)
{
	register u64 x0_ __asm__("x0") = db;
	register u64 x1_ __asm__("x1") = 1;
	register u64 x2_ __asm__("x2") = 0;

	__asm__ volatile("hvc %3"
	                 : "+r"(x0_), "+r"(x1_), "+r"(x2_)
	                 : "i"(GH_HVC_NATIVE_BASE + GH_HVC_DOORBELL_SEND)
	                 : "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
	                   "x14", "x15", "x16", "x17", "memory");
	return x0_;
}

/* doorbell_send(arg, flags 1) once (its x0 in result), then spins. */
static void run_prog_send_spin(struct vcpu2 *c)
{
	c->result = run_v2_send(c->arg);
	for (;;)
		c->counter++;
}

static void run_prog_spin(struct vcpu2 *c)
{
	for (;;)
		c->counter++;
}

/*
 * A thread of the root VM, activated, its wakeup VIRQ bound to RUN_VIRQ of the own VIC (enabled in
 * the guest's GIC), block 0 prepared for `prog` (V2_CALL) or `mode`. Not powered on. FAIL and
 * GH_CAP_INVALID if a step fails.
 */
static u64 run_thread(const struct root_caps *rc, u64 vic, enum vcpu2_mode mode,
                      void (*prog)(struct vcpu2 *))
{
	u64 t = vcpu_thread(rc, true), err;
	struct vcpu2 *c;

	if (t == GH_CAP_INVALID)
		return t;
	err = hc(GH_HVC_VCPU_BIND_VIRQ, t, vic, RUN_VIRQ, GH_VCPU_VIRQ_TYPE_RUN_WAKEUP, 0).x[0];
	if (err != 0) {
		root_fixture_failed("fixture: vcpu_bind_virq(t, own VIC, %u, RUN_WAKEUP): x0 0x%lx",
		                    RUN_VIRQ, err);
		return GH_CAP_INVALID;
	}
	if (!irq_enable(RUN_VIRQ)) {
		root_fixture_failed("fixture: irq_enable(%u)", RUN_VIRQ);
		return GH_CAP_INVALID;
	}
	c = vcpu2_prepare(0, prog != NULL ? V2_CALL : mode, t, 1);
	c->arg2 = (u64)(uintptr_t)prog;
	return t;
}

static bool run_poweron(u64 t)
{
	u64 err = vc(GH_HVC_VCPU_POWERON, t, (u64)(uintptr_t)vcpu2_entry,
	             (u64)(uintptr_t)vcpu2_block(0), 0);

	if (err != 0)
		test_fail("vcpu_poweron of the proxied vCPU: expected 0x0 got 0x%lx", err);
	return err == 0;
}

/* The wakeup VIRQ was taken exactly `times` times since the reset, the last one it. */
static void run_expect_wakeups(const char *what, u32 times)
{
	irq_wait(RUN_VIRQ, times, RUN_WAIT_MS);
	if (irq_count(RUN_VIRQ) != times || irq_total() != times ||
	    (times > 0 && irq_last() != RUN_VIRQ))
		test_fail("%s: wakeup VIRQ %u taken %u times (expected %u), interrupts in all %u, "
		          "last INTID %u",
		          what, RUN_VIRQ, irq_count(RUN_VIRQ), times, irq_total(), irq_last());
}

/*
 * Proves the wakeup VIRQ and EXPECTS_WAKEUP (section 9): powered on, the proxied vCPU does not run
 * on its own (no entry) and the boot vCPU's handler takes INTID 88 once; vcpu_run runs it until
 * its WFI: state 1, data 0 (a WFI), and it ran exactly to the WFI; vcpu_run_check says the same;
 * its own virtual timer (20 ms) makes it ready again: the VIRQ is taken a second time and
 * vcpu_run_check says READY (0); the next vcpu_run resumes it after the WFI and returns at the next
 * WFI.
 */
RUN_TEST(run_wfi_expects_wakeup)
{
	u64 t = run_thread(rc, vic, V2_CALL, run_prog_wfi);
	struct vcpu2 *c = vcpu2_block(0);

	RETURN_IF_FAILED();
	if (!run_poweron(t))
		return;
	run_expect_wakeups("after poweron", 1);
	RETURN_IF_FAILED();
	ASSERT_EQ("entries before any vcpu_run (proxy-scheduled: never on its own)", c->entries, 0);
	ASSERT_RUN("vcpu_run to its WFI", run(t), RUN_STATE(EXPECTS_WAKEUP), 0);
	ASSERT_EQ("entries", c->entries, 1);
	ASSERT_EQ("WFIs begun", c->stamp, 1);
	ASSERT_EQ("WFIs ended", c->counter, 0);
	ASSERT_RUN("vcpu_run_check while it waits", run_check(t), RUN_STATE(EXPECTS_WAKEUP), 0);
	ASSERT_EQ("interrupts while it waits", irq_total(), 1);
	ASSERT_TRUE("irq_enable again", irq_enable(RUN_VIRQ));
	run_expect_wakeups("its virtual timer fired", 2);
	RETURN_IF_FAILED();
	ASSERT_EQ("WFIs ended before the next vcpu_run", c->counter, 0);
	ASSERT_RUN("vcpu_run_check once woken", run_check(t), RUN_STATE(READY), 0);
	ASSERT_RUN("vcpu_run again", run(t), RUN_STATE(EXPECTS_WAKEUP), 0);
	ASSERT_EQ("WFIs ended", c->counter, 1);
	ASSERT_EQ("WFIs begun", c->stamp, 2);
	ASSERT_EQ("entries", c->entries, 1);
	ASSERT_EQ("faults of the proxied vCPU", c->faults, 0);
}

/*
 * Proves POWERED_OFF (section 9): a proxied vCPU that powers itself off ends the run with state 2,
 * data0 0 (not exited); its poweroff with last_vcpu was DENIED first (the boot vCPU, parked in its
 * vcpu_run, still counts as a powered-on vCPU of the VM); vcpu_run and vcpu_run_check then answer
 * the same without running it; a new poweron asserts the wakeup VIRQ again, READY, and the next run
 * enters it again and ends POWERED_OFF again.
 */
RUN_TEST(run_powered_off)
{
	u64 t = run_thread(rc, vic, V2_POWEROFF, NULL);
	struct vcpu2 *c = vcpu2_block(0);

	RETURN_IF_FAILED();
	if (!run_poweron(t))
		return;
	run_expect_wakeups("after poweron", 1);
	ASSERT_RUN("vcpu_run to its poweroff", run(t), RUN_STATE(POWERED_OFF), 0);
	ASSERT_EQ("entries", c->entries, 1);
	ASSERT_EQ("its poweroff with last_vcpu (the parked caller counts)", c->stamp, E(DENIED));
	ASSERT_EQ("its second poweroff did not return", c->result, ~0ULL);
	ASSERT_RUN("vcpu_run while off", run(t), RUN_STATE(POWERED_OFF), 0);
	ASSERT_RUN("vcpu_run_check while off", run_check(t), RUN_STATE(POWERED_OFF), 0);
	ASSERT_EQ("entries", c->entries, 1);
	ASSERT_TRUE("irq_enable again", irq_enable(RUN_VIRQ));
	if (!run_poweron(t))
		return;
	run_expect_wakeups("after the second poweron", 2);
	ASSERT_RUN("vcpu_run_check once on", run_check(t), RUN_STATE(READY), 0);
	ASSERT_RUN("vcpu_run after the second poweron", run(t), RUN_STATE(POWERED_OFF), 0);
	ASSERT_EQ("entries", c->entries, 2);
}

/*
 * Proves a killed proxied vCPU has exited and its proxy is told (section 9 POWERED_OFF, data0 bit 0
 * exited; section 2 VCPU_RUN_WAKEUP; humpy kills at once, spec deviation vcpu_run_states):
 * vcpu_kill of the vCPU waiting in a WFI nothing ends raises the wakeup VIRQ (INTID 88 taken a
 * second time, after the poweron's); vcpu_run_check answers state 2, data0 1 and leaves the line up
 * (enabled again, 88 is taken a third time); vcpu_run answers the same and takes the line down
 * (enabled again, nothing more in 20 ms); run and run_check keep answering so; a second kill
 * OBJECT_STATE.
 */
RUN_TEST(run_killed_exited)
{
	u64 t = run_thread(rc, vic, V2_CALL, run_prog_wait);
	struct vcpu2 *c = vcpu2_block(0);

	RETURN_IF_FAILED();
	if (!run_poweron(t))
		return;
	run_expect_wakeups("after poweron", 1);
	RETURN_IF_FAILED();
	ASSERT_RUN("vcpu_run to its WFI", run(t), RUN_STATE(EXPECTS_WAKEUP), 0);
	ASSERT_TRUE("irq_enable again", irq_enable(RUN_VIRQ));
	irq_settle(RUN_TIMER_MS);
	ASSERT_EQ("interrupts while it waits in WFI", irq_total(), 1);
	ASSERT_EQ("vcpu_kill", vc(GH_HVC_VCPU_KILL, t, 0, 0, 0), 0);
	run_expect_wakeups("after vcpu_kill", 2);
	RETURN_IF_FAILED();
	ASSERT_RUN("vcpu_run_check of the killed vCPU", run_check(t), RUN_STATE(POWERED_OFF),
	           GH_VCPU_RUN_POWEROFF_EXITED);
	ASSERT_TRUE("irq_enable again", irq_enable(RUN_VIRQ));
	run_expect_wakeups("enabled again before any vcpu_run (the line stays up)", 3);
	RETURN_IF_FAILED();
	ASSERT_RUN("vcpu_run of the killed vCPU", run(t), RUN_STATE(POWERED_OFF),
	           GH_VCPU_RUN_POWEROFF_EXITED);
	ASSERT_TRUE("irq_enable again", irq_enable(RUN_VIRQ));
	irq_settle(RUN_TIMER_MS);
	run_expect_wakeups("enabled again after the vcpu_run (the line is down)", 3);
	RETURN_IF_FAILED();
	ASSERT_RUN("vcpu_run again", run(t), RUN_STATE(POWERED_OFF), GH_VCPU_RUN_POWEROFF_EXITED);
	ASSERT_RUN("vcpu_run_check again", run_check(t), RUN_STATE(POWERED_OFF),
	           GH_VCPU_RUN_POWEROFF_EXITED);
	ASSERT_EQ("vcpu_kill again", vc(GH_HVC_VCPU_KILL, t, 0, 0, 0), E(OBJECT_STATE));
	ASSERT_EQ("WFIs begun (it never ran after the kill)", c->stamp, 1);
	ASSERT_EQ("WFIs ended", c->counter, 0);
}

/*
 * Proves FAULT (section 8 step 4, section 9 state 6): a proxied vCPU that faults inside its own
 * exception vector (VBAR_EL1 on an unmapped IPA, then a load from an unmapped IPA) is stopped; the
 * run that met it returns state 6, and so do vcpu_run and vcpu_run_check after it.
 */
RUN_TEST(run_fault)
{
	const unsigned page = 4;
	u64 end = plat.ram_base[0] + plat.ram_size[0], t;
	struct vcpu2 *c;

	if (plat.n_ram == 0 || plat_addr_described(end, 0x2000)) {
		test_error("no IPA past RAM that the device tree leaves undescribed");
		return;
	}
	t = run_thread(rc, vic, V2_BAD_VECTOR, NULL);
	RETURN_IF_FAILED();
	mmu_test_map_ipa(page, end + 0x1000, true);
	c = vcpu2_block(0);
	c->arg = mmu_test_va(page);
	c->arg2 = end;
	if (!run_poweron(t)) {
		mmu_test_reset();
		return;
	}
	{
		struct gh_ret r = run(t);

		mmu_test_reset();
		ASSERT_RUN("vcpu_run to its fault", r, RUN_STATE(FAULT), 0);
	}
	ASSERT_EQ("its progress (1: before the load)", c->stamp, 1);
	ASSERT_RUN("vcpu_run after the fault", run(t), RUN_STATE(FAULT), 0);
	ASSERT_RUN("vcpu_run_check after the fault", run_check(t), RUN_STATE(FAULT), 0);
	root_alive(rc, "a proxied vCPU faulted inside its own vector");
}

/*
 * Proves a proxied vCPU's yield ends the run READY (section 9 state 0, "call again"): each of five
 * vcpu_runs moves its counter by exactly one (it ran from one yield to the next), its yields
 * return OK, and between runs vcpu_run_check says READY.
 */
RUN_TEST(run_yield_ready)
{
	u64 t = run_thread(rc, vic, V2_CALL, run_prog_yield);
	struct vcpu2 *c = vcpu2_block(0);
	unsigned k;

	RETURN_IF_FAILED();
	if (!run_poweron(t))
		return;
	for (k = 1; k <= 5; k++) {
		ASSERT_RUN("vcpu_run to its yield", run(t), RUN_STATE(READY), 0);
		ASSERT_EQ("its counter (one step a run)", c->counter, k);
		ASSERT_RUN("vcpu_run_check between runs", run_check(t), RUN_STATE(READY), 0);
	}
	ASSERT_EQ("its yields' x0 (the first 4 returned)", c->result, 0);
	ASSERT_EQ("entries", c->entries, 1);
}

/* An activated thread of `priority` on in block 1 (mode, arg), not proxied. */
static u64 run_other(const struct root_caps *rc, u64 priority, enum vcpu2_mode mode, u64 arg)
{
	u64 t = vcpu_thread(rc, false);
	struct vcpu2 *c;

	if (t == GH_CAP_INVALID)
		return t;
	if (vc(GH_HVC_VCPU_SET_PRIORITY, t, priority, 0, 0) != 0 ||
	    vc(GH_HVC_OBJECT_ACTIVATE, t, 0, 0, 0) != 0) {
		root_fixture_failed("fixture: set_priority(%lu), activate", priority);
		return GH_CAP_INVALID;
	}
	c = vcpu2_prepare(1, mode, arg, 2);
	if (vc(GH_HVC_VCPU_POWERON, t, (u64)(uintptr_t)vcpu2_entry, (u64)(uintptr_t)c, 0) != 0) {
		root_fixture_failed("fixture: poweron");
		return GH_CAP_INVALID;
	}
	return t;
}

/*
 * Proves a proxy run spends the caller's timeslice (section 9 READY: "caller was preempted"): with
 * a second, ordinary vCPU of the boot vCPU's priority ready (plain yields), a spinning proxied vCPU
 * is run until the boot vCPU's slice ends: READY, and the other vCPU ran before the boot vCPU
 * again; within 5 such runs the proxied vCPU made progress (counter moved).
 */
RUN_TEST(run_slice_ready)
{
	u64 t = run_thread(rc, vic, V2_CALL, run_prog_spin), other;
	struct vcpu2 *c = vcpu2_block(0), *o;
	unsigned k;

	RETURN_IF_FAILED();
	other = run_other(rc, GH_LIMIT_VCPU_PRIORITY_DEFAULT, V2_LOG_YIELD, 0);
	RETURN_IF_FAILED();
	o = vcpu2_block(1);
	if (!run_poweron(t))
		return;
	vcpu_yield_until_changed(&o->entries, 0, 8);
	/* The boot vCPU's slice may end before the target's first instruction on a loaded host (the
	 * slice began at the boot vCPU's last switch-in): up to 5 runs, each READY. */
	for (k = 0; k < 5 && c->counter == 0; k++) {
		u64 before = o->counter;

		ASSERT_RUN("vcpu_run of a spinning vCPU", run(t), RUN_STATE(READY), 0);
		ASSERT_TRUE("the other vCPU did not run after the slice", o->counter != before);
	}
	ASSERT_TRUE("the proxied vCPU never ran in 5 slices", c->counter != 0);
	(void)other;
}

/*
 * Proves a higher-priority vCPU that becomes ready ends a proxy run READY: a priority-40 vCPU with
 * a VIC of its own waits in WFI for VIRQ 40; the proxied vCPU rings a doorbell bound to it, which
 * wakes it: the run returns READY (the proxied vCPU stopped on its way back from the send), and the
 * waiter took INTID 40 once before the boot vCPU ran again.
 */
RUN_TEST(run_preempted_ready)
{
	u64 t = run_thread(rc, vic, V2_CALL, run_prog_send_spin), hi, hvic, db;
	struct vcpu2 *c = vcpu2_block(0), *h = vcpu2_block(1);

	RETURN_IF_FAILED();
	hi = vcpu_thread(rc, false);
	hvic = root_create(rc, GH_HVC_PARTITION_CREATE_VIC, rc->partition);
	db = root_create(rc, GH_HVC_PARTITION_CREATE_DOORBELL, rc->partition);
	RETURN_IF_FAILED();
	if (vc(GH_HVC_VCPU_SET_PRIORITY, hi, RUN_PRIO_HIGH, 0, 0) != 0 ||
	    vc(GH_HVC_VIC_CONFIGURE, hvic, 1, 64, 0) != 0 ||
	    vc(GH_HVC_OBJECT_ACTIVATE, hvic, 0, 0, 0) != 0 ||
	    vc(GH_HVC_VIC_ATTACH_VCPU, hvic, hi, 0, 0) != 0 ||
	    vc(GH_HVC_OBJECT_ACTIVATE, hi, 0, 0, 0) != 0 ||
	    vc(GH_HVC_OBJECT_ACTIVATE, db, 0, 0, 0) != 0 ||
	    vc(GH_HVC_DOORBELL_BIND_VIRQ, db, hvic, RUN_HI_VIRQ, 0) != 0 ||
	    vc(GH_HVC_DOORBELL_MASK, db, ~0ULL, ~0ULL, 0) != 0) {
		root_fixture_failed(
		    "fixture: a priority-%u vCPU with a VIC of its own, a doorbell to "
		    "its VIRQ %u",
		    RUN_PRIO_HIGH, RUN_HI_VIRQ);
		return;
	}
	if (!run_poweron(t))
		return;
	c->arg = db;
	vcpu2_prepare(1, V2_WFI, RUN_HI_VIRQ, 2);
	ASSERT_EQ("poweron of the waiter",
	          vc(GH_HVC_VCPU_POWERON, hi, (u64)(uintptr_t)vcpu2_entry, (u64)(uintptr_t)h, 0),
	          0);
	ASSERT_EQ("the waiter entered (priority 40) and waits", h->entries, 1);
	ASSERT_EQ("the waiter's interrupts before the run", h->stamp, 0);
	ASSERT_RUN("vcpu_run of a vCPU that wakes a higher one", run(t), RUN_STATE(READY), 0);
	ASSERT_EQ("its doorbell_send's result stored (not yet)", c->result, ~0ULL);
	ASSERT_EQ("the waiter's acknowledged interrupts", h->stamp, 1);
	ASSERT_EQ("the waiter's INTID", h->result, RUN_HI_VIRQ);
	vc(GH_HVC_DOORBELL_UNBIND_VIRQ, db, 0, 0, 0);
}

/*
 * Proves an interrupt for the caller ends its proxy run READY (section 9 state 0, "got an IRQ"):
 * the proxied vCPU rings a doorbell bound to VIRQ 89 of the boot vCPU's own VIC, then would spin;
 * the run returns READY at once (no other vCPU is ready, so no timeslice runs out), the proxied
 * vCPU stopped on its way back from the send (its result not stored, no spin step), and the boot
 * vCPU's handler takes INTID 89 once.
 */
RUN_TEST(run_caller_irq_ready)
{
	u64 t = run_thread(rc, vic, V2_CALL, run_prog_send_spin), db;
	struct vcpu2 *c = vcpu2_block(0);

	RETURN_IF_FAILED();
	db = root_create(rc, GH_HVC_PARTITION_CREATE_DOORBELL, rc->partition);
	RETURN_IF_FAILED();
	if (vc(GH_HVC_OBJECT_ACTIVATE, db, 0, 0, 0) != 0 ||
	    vc(GH_HVC_DOORBELL_BIND_VIRQ, db, vic, RUN_VIRQ + 1, 0) != 0 ||
	    !irq_enable(RUN_VIRQ + 1)) {
		root_fixture_failed("fixture: a doorbell bound to VIRQ %u of the own VIC",
		                    RUN_VIRQ + 1);
		return;
	}
	c->arg = db;
	if (!run_poweron(t))
		return;
	run_expect_wakeups("after poweron", 1);
	ASSERT_RUN("vcpu_run of a vCPU that rings the caller", run(t), RUN_STATE(READY), 0);
	/* It was taken off the CPU on its way back from the send: not even its result stored. */
	ASSERT_EQ("its doorbell_send's result stored (not yet)", c->result, ~0ULL);
	ASSERT_EQ("its spin steps", c->counter, 0);
	ASSERT_TRUE("doorbell VIRQ taken", irq_wait(RUN_VIRQ + 1, 1, RUN_WAIT_MS));
	ASSERT_EQ("doorbell VIRQ taken once", irq_count(RUN_VIRQ + 1), 1);
	ASSERT_RUN("vcpu_run_check after", run_check(t), RUN_STATE(READY), 0);
	vc(GH_HVC_DOORBELL_UNBIND_VIRQ, db, 0, 0, 0);
}

/*
 * Proves vcpu_run's and vcpu_run_check's refusals (section 9 errors): a vCPU without the wakeup
 * VIRQ (powered off) BUSY for vcpu_run while vcpu_run_check reports it POWERED_OFF; the boot vCPU
 * itself (running, not proxied) BUSY for both; res0 not 0 ARGUMENT_INVALID; every cap error
 * (vcpu_run needs AFFINITY and YIELD_TO, vcpu_run_check BIND_VIRQ and STATE; an INIT thread
 * OBJECT_STATE).
 */
RUN_TEST(run_errors)
{
	u64 plain = vcpu_thread(rc, true), init = vcpu_thread(rc, false), t;
	u64 args[7] = {0};

	(void)vic;
	RETURN_IF_FAILED();
	ASSERT_EQ("vcpu_run of a vCPU without the wakeup VIRQ", run(plain).x[0], E(BUSY));
	ASSERT_RUN("vcpu_run_check of it (off)", run_check(plain), RUN_STATE(POWERED_OFF), 0);
	ASSERT_EQ("vcpu_run of the boot vCPU itself", run(vcpu_self()).x[0], E(BUSY));
	ASSERT_EQ("vcpu_run_check of the boot vCPU itself", run_check(vcpu_self()).x[0], E(BUSY));
	t = run_thread(rc, vic, V2_CALL, run_prog_spin);
	RETURN_IF_FAILED();
	ASSERT_EQ("vcpu_run res0 1", hc(GH_HVC_VCPU_RUN, t, 0, 0, 0, 1).x[0], E(ARGUMENT_INVALID));
	ASSERT_EQ("vcpu_run_check res0 1", hc(GH_HVC_VCPU_RUN_CHECK, t, 1, 0, 0, 0).x[0],
	          E(ARGUMENT_INVALID));
	ASSERT_RUN("vcpu_run_check of a proxied vCPU never powered on", run_check(t),
	           RUN_STATE(POWERED_OFF), 0);
	args[0] = t;
	mem_cap_errors(rc, GH_HVC_VCPU_RUN, args, 0, rc->cspace, GH_RIGHT_THREAD_AFFINITY, init);
	mem_cap_errors(rc, GH_HVC_VCPU_RUN, args, 0, GH_CAP_INVALID, GH_RIGHT_THREAD_YIELD_TO,
	               GH_CAP_INVALID);
	mem_cap_errors(rc, GH_HVC_VCPU_RUN_CHECK, args, 0, rc->cspace, GH_RIGHT_THREAD_BIND_VIRQ,
	               init);
	mem_cap_errors(rc, GH_HVC_VCPU_RUN_CHECK, args, 0, GH_CAP_INVALID, GH_RIGHT_THREAD_STATE,
	               GH_CAP_INVALID);
}

/*
 * Proves vcpu_bind_virq / vcpu_unbind_virq (section 2; section 9): virq_type 0, 2, 3 and all ones
 * ARGUMENT_INVALID for both; VCPU_RUN_WAKEUP to a VIRQ that is no shared VIRQ of the VIC (31, 1020,
 * one past its last) ARGUMENT_INVALID; bound OK, bound again VIRQ_BOUND, another vCPU to the same
 * VIRQ BUSY, the running boot vCPU BUSY; unbind OK twice (not bound: OK, as upstream), then the
 * VIRQ binds again; every cap error of the vCPU (BIND_VIRQ) and the VIC (BIND_SOURCE).
 */
RUN_TEST(bind_virq_errors)
{
	u64 t = vcpu_thread(rc, true), t2 = vcpu_thread(rc, true), init = vcpu_thread(rc, false);
	const u64 types[] = {0, 2, 3, ~0ULL}, bad_virqs[] = {31, 1020, ipc_virq_end()};
	const u64 wake = GH_VCPU_VIRQ_TYPE_RUN_WAKEUP;
	u64 bind[7] = {0}, unbind[7] = {0};
	unsigned i;

	RETURN_IF_FAILED();
	for (i = 0; i < ARRAY_SIZE(types); i++) {
		ASSERT_EQ("bind with an unknown virq_type",
		          hc(GH_HVC_VCPU_BIND_VIRQ, t, vic, RUN_VIRQ, types[i], 0).x[0],
		          E(ARGUMENT_INVALID));
		ASSERT_EQ("unbind with an unknown virq_type",
		          vc(GH_HVC_VCPU_UNBIND_VIRQ, t, types[i], 0, 0), E(ARGUMENT_INVALID));
	}
	for (i = 0; i < ARRAY_SIZE(bad_virqs); i++)
		ASSERT_EQ("bind to no shared VIRQ of the VIC",
		          hc(GH_HVC_VCPU_BIND_VIRQ, t, vic, bad_virqs[i], wake, 0).x[0],
		          E(ARGUMENT_INVALID));
	ASSERT_EQ("bind", hc(GH_HVC_VCPU_BIND_VIRQ, t, vic, RUN_VIRQ, wake, 0).x[0], 0);
	ASSERT_EQ("bind again", hc(GH_HVC_VCPU_BIND_VIRQ, t, vic, RUN_VIRQ + 1, wake, 0).x[0],
	          E(VIRQ_BOUND));
	ASSERT_EQ("another vCPU to the same VIRQ",
	          hc(GH_HVC_VCPU_BIND_VIRQ, t2, vic, RUN_VIRQ, wake, 0).x[0], E(BUSY));
	ASSERT_EQ("the running boot vCPU",
	          hc(GH_HVC_VCPU_BIND_VIRQ, vcpu_self(), vic, RUN_VIRQ + 1, wake, 0).x[0], E(BUSY));
	ASSERT_EQ("unbind", vc(GH_HVC_VCPU_UNBIND_VIRQ, t, wake, 0, 0), 0);
	ASSERT_EQ("unbind again (not bound)", vc(GH_HVC_VCPU_UNBIND_VIRQ, t, wake, 0, 0), 0);
	ASSERT_EQ("the other vCPU to the freed VIRQ",
	          hc(GH_HVC_VCPU_BIND_VIRQ, t2, vic, RUN_VIRQ, wake, 0).x[0], 0);
	ASSERT_EQ("unbind it", vc(GH_HVC_VCPU_UNBIND_VIRQ, t2, wake, 0, 0), 0);
	bind[0] = t;
	bind[1] = vic;
	bind[2] = RUN_VIRQ;
	bind[3] = wake;
	unbind[0] = t;
	unbind[1] = wake;
	mem_cap_errors(rc, GH_HVC_VCPU_BIND_VIRQ, bind, 0, rc->cspace, GH_RIGHT_THREAD_BIND_VIRQ,
	               init);
	mem_cap_errors(rc, GH_HVC_VCPU_BIND_VIRQ, bind, 1, rc->cspace, GH_RIGHT_VIC_BIND_SOURCE,
	               GH_CAP_INVALID);
	mem_cap_errors(rc, GH_HVC_VCPU_UNBIND_VIRQ, unbind, 0, rc->cspace,
	               GH_RIGHT_THREAD_BIND_VIRQ, init);
	/* mem_cap_errors' successes bound t: leave it unbound. */
	vc(GH_HVC_VCPU_UNBIND_VIRQ, t, wake, 0, 0);
}

/*
 * VMMIO exits (section 8 step 3, section 9 states 4 and 5): a proxied vCPU's single-register
 * access (ISV 1) to an unmapped IPA inside a range of addrspace_configure_vmmio on the root VM's
 * own address space ends the run with the IPA, the size and a write's value; the next vcpu_run's
 * resume_data_0 is a read's value. The proxied vCPU reaches the IPA through window page
 * RUN_VMMIO_PAGE (Normal memory at stage 1), the first page past RAM that the device tree leaves
 * undescribed.
 */
#define RUN_VMMIO_PAGE 4

#define ASSERT_RUN_DATA(what, ret, state, d0, d1, d2)                                              \
	do {                                                                                       \
		struct gh_ret rd_ = (ret);                                                         \
		unsigned k_;                                                                       \
		ASSERT_EQ(what " (x0 error)", rd_.x[0], 0);                                        \
		ASSERT_EQ(what " (x1 state)", rd_.x[1], (state));                                  \
		ASSERT_EQ(what " (x2 state_data_0)", rd_.x[2], (d0));                              \
		ASSERT_EQ(what " (x3 state_data_1)", rd_.x[3], (d1));                              \
		ASSERT_EQ(what " (x4 state_data_2)", rd_.x[4], (d2));                              \
		for (k_ = 5; k_ < 8; k_++)                                                         \
			ASSERT_EQ(what " (x5..x7)", rd_.x[k_], 0);                                 \
	} while (0)

static struct gh_ret run_resume(u64 t, u64 value)
{
	return hc(GH_HVC_VCPU_RUN, t, value, 0, 0, 0);
}

static u64 run_vmmio_op(u64 base, u64 size, u64 op)
{
	return vc(GH_HVC_ADDRSPACE_CONFIGURE_VMMIO, vcpu_self_as(), base, size, op);
}

/* The IPA RUN_VMMIO_PAGE is mapped to (0 and ERROR if none); the window mapping is left made. */
static u64 run_vmmio_ipa(void)
{
	u64 end = plat.ram_base[0] + plat.ram_size[0];

	if (plat.n_ram == 0 || plat_addr_described(end, 0x2000)) {
		test_error("no IPA past RAM that the device tree leaves undescribed");
		return 0;
	}
	mmu_test_map_ipa(RUN_VMMIO_PAGE, end + 0x1000, false);
	return end + 0x1000;
}

/* What run_prog_vmmio's loads got: 8 bytes, 1 signed into X, 2 signed into W. */
static volatile u64 run_vmmio_got[3];

/* Three loads and a store at c->arg (+0, +0x11, +0x22, +0x34), the values kept; then yields. */
static void run_prog_vmmio(struct vcpu2 *c)
{
	u64 va = c->arg, a, b, w;

	__asm__ volatile("ldr %0, [%3]\n"
	                 "ldrsb %1, [%3, #0x11]\n"
	                 "ldrsh %w2, [%3, #0x22]\n"
	                 "str %w4, [%3, #0x34]\n"
	                 : "=&r"(a), "=&r"(b), "=&r"(w)
	                 : "r"(va), "r"(0xaabbccddcafef00dULL)
	                 : "memory");
	run_vmmio_got[0] = a;
	run_vmmio_got[1] = b;
	run_vmmio_got[2] = w;
	c->stamp = 1;
	run_prog_yield(c);
}

/* The body of run_vmmio_read_write with range [ipa, ipa+0x40) added (removed by the caller). */
static void run_vmmio_read_write_in(const struct root_caps *rc, u64 vic, u64 ipa)
{
	u64 t = run_thread(rc, vic, V2_CALL, run_prog_vmmio);
	struct vcpu2 *c = vcpu2_block(0);

	RETURN_IF_FAILED();
	c->arg = mmu_test_va(RUN_VMMIO_PAGE);
	if (!run_poweron(t))
		return;
	run_expect_wakeups("after poweron", 1);
	ASSERT_RUN_DATA("vcpu_run to its 8-byte load", run(t), RUN_STATE(VMMIO_READ), ipa, 8, 0);
	ASSERT_RUN_DATA("vcpu_run_check at it", run_check(t), RUN_STATE(VMMIO_READ), ipa, 8, 0);
	ASSERT_TRUE("irq_enable again", irq_enable(RUN_VIRQ));
	irq_settle(RUN_TIMER_MS);
	run_expect_wakeups("stopped at a VMMIO access (no wakeup VIRQ)", 1);
	ASSERT_RUN_DATA("resumed: its signed byte load", run_resume(t, 0x1122334455667788ULL),
	                RUN_STATE(VMMIO_READ), ipa + 0x11, 1, 0);
	ASSERT_RUN_DATA("resumed: its signed halfword load", run_resume(t, 0x1f0),
	                RUN_STATE(VMMIO_READ), ipa + 0x22, 2, 0);
	ASSERT_RUN_DATA("resumed: its word store", run_resume(t, 0x8001), RUN_STATE(VMMIO_WRITE),
	                ipa + 0x34, 4, 0xcafef00dULL);
	ASSERT_RUN_DATA("vcpu_run_check at it", run_check(t), RUN_STATE(VMMIO_WRITE), ipa + 0x34, 4,
	                0xcafef00dULL);
	ASSERT_RUN_DATA("resumed: to its yield", run_resume(t, 0x5a5a), RUN_STATE(READY), 0, 0, 0);
	ASSERT_EQ("its 8-byte load", run_vmmio_got[0], 0x1122334455667788ULL);
	ASSERT_EQ("its signed byte load (X)", run_vmmio_got[1], 0xfffffffffffffff0ULL);
	ASSERT_EQ("its signed halfword load (W)", run_vmmio_got[2], 0xffff8001ULL);
	ASSERT_EQ("past its accesses", c->stamp, 1);
	ASSERT_EQ("its exceptions", c->faults, 0);
}

/*
 * Proves VMMIO_READ and VMMIO_WRITE with exact data (section 9): range [IPA, IPA+0x40) added;
 * vcpu_run returns state 4 with the IPA and size 8 (data2 0), vcpu_run_check the same; no wakeup
 * VIRQ comes for it (enabled again, nothing in 20 ms); resumed with 0x1122334455667788, the next
 * exit is the signed byte at IPA+0x11 (size 1); resumed with 0x1f0 (bits past the size dropped)
 * the signed halfword into a W register at IPA+0x22; resumed with 0x8001 the 4-byte store at
 * IPA+0x34 with value 0xcafef00d (the register's low 32 bits); resumed once more, it runs to its
 * yield (READY). Its registers got 0x1122334455667788, 0xfffffffffffffff0 (sign-extended to 64
 * bits) and 0xffff8001 (to 32, upper half zero); it took no exception.
 */
RUN_TEST(run_vmmio_read_write)
{
	u64 ipa = run_vmmio_ipa();

	if (ipa == 0)
		return;
	if (run_vmmio_op(ipa, 0x40, GH_MEM_VMMIO_OP_ADD) != 0) {
		test_fail("fixture: VMMIO range [0x%lx, +0x40)", ipa);
	} else {
		run_vmmio_read_write_in(rc, vic, ipa);
		if (run_vmmio_op(ipa, 0x40, GH_MEM_VMMIO_OP_REMOVE) != 0)
			test_fail("remove the range: not OK");
	}
	mmu_test_reset();
}

/* The last exception run_vmmio_vectors took (n counts them); it resumes after the instruction. */
static volatile struct {
	u64 n, esr, far, elr;
} run_vmmio_seen;

/* run_prog_vmmio_faults' vectors: record, step over the instruction (x9, x10 clobbered). */
__asm__(".text\n"
        ".balign 0x800\n"
        "run_vmmio_vectors:\n"
        ".rept 16\n"
        ".balign 0x80\n"
        "	adrp	x9, run_vmmio_seen\n"
        "	add	x9, x9, :lo12:run_vmmio_seen\n"
        "	ldr	x10, [x9]\n"
        "	add	x10, x10, #1\n"
        "	str	x10, [x9]\n"
        "	mrs	x10, esr_el1\n"
        "	str	x10, [x9, #8]\n"
        "	mrs	x10, far_el1\n"
        "	str	x10, [x9, #16]\n"
        "	mrs	x10, elr_el1\n"
        "	str	x10, [x9, #24]\n"
        "	add	x10, x10, #4\n"
        "	msr	elr_el1, x10\n"
        "	eret\n"
        ".endr\n");
extern const char run_vmmio_vectors[], run_vmmio_past[], run_vmmio_across[], run_vmmio_pair[],
    run_vmmio_in[], run_vmmio_removed[], run_vmmio_own[];

/*
 * With range [va+4, va+12): a load past it, an 8-byte load across its end, an LDP inside it (ISV
 * 0), a load inside it (the exit), and after the proxy removed it the same load again; a yield
 * after each (stamp 1..5).
 */
static void run_prog_vmmio_faults(struct vcpu2 *c)
{
	u64 va = c->arg, a, b;

	sysreg_write(vbar_el1, (u64)(uintptr_t)run_vmmio_vectors);
	isb();
	__asm__ volatile(".global run_vmmio_past\nrun_vmmio_past: ldr %w0, [%1, #0x10]"
	                 : "=&r"(a)
	                 : "r"(va)
	                 : "x9", "x10", "memory");
	c->stamp = 1;
	run_v2_yield();
	__asm__ volatile(".global run_vmmio_across\nrun_vmmio_across: ldr %0, [%1, #8]"
	                 : "=&r"(a)
	                 : "r"(va)
	                 : "x9", "x10", "memory");
	c->stamp = 2;
	run_v2_yield();
	__asm__ volatile(".global run_vmmio_pair\nrun_vmmio_pair: ldp %w0, %w1, [%2, #4]"
	                 : "=&r"(a), "=&r"(b)
	                 : "r"(va)
	                 : "x9", "x10", "memory");
	c->stamp = 3;
	run_v2_yield();
	__asm__ volatile(".global run_vmmio_in\nrun_vmmio_in: ldr %w0, [%1, #4]"
	                 : "=&r"(a)
	                 : "r"(va)
	                 : "x9", "x10", "memory");
	c->result = a;
	c->stamp = 4;
	run_v2_yield();
	__asm__ volatile(".global run_vmmio_removed\nrun_vmmio_removed: ldr %w0, [%1, #4]"
	                 : "=&r"(a)
	                 : "r"(va)
	                 : "x9", "x10", "memory");
	c->stamp = 5;
	run_prog_yield(c);
}

/* An ordinary (not proxied) vCPU's load at c->arg + 4, then yields forever (stamp 1 after it). */
static void run_prog_vmmio_own(struct vcpu2 *c)
{
	u64 a;

	sysreg_write(vbar_el1, (u64)(uintptr_t)run_vmmio_vectors);
	isb();
	__asm__ volatile(".global run_vmmio_own\nrun_vmmio_own: ldr %w0, [%1, #4]"
	                 : "=&r"(a)
	                 : "r"(c->arg)
	                 : "x9", "x10", "memory");
	c->stamp = 1;
	for (;;) {
		c->counter++;
		run_v2_yield();
	}
}

/* The proxied vCPU took exception `n`: the injected abort (section 8 step 4) at `insn`, FAR `far`.
 */
static void run_vmmio_abort(const char *what, u64 n, u64 far, const char *insn)
{
	if (run_vmmio_seen.n != n || run_vmmio_seen.esr != FAULT_ESR_DABT ||
	    run_vmmio_seen.far != far || run_vmmio_seen.elr != (u64)(uintptr_t)insn)
		test_fail(
		    "%s: exceptions %lu (expected %lu), ESR 0x%lx (0x%lx), FAR 0x%lx (0x%lx), "
		    "ELR 0x%lx (0x%lx)",
		    what, run_vmmio_seen.n, n, run_vmmio_seen.esr, FAULT_ESR_DABT,
		    run_vmmio_seen.far, far, run_vmmio_seen.elr, (u64)(uintptr_t)insn);
}

/* The body of run_vmmio_not_exits with range [ipa+4, ipa+12) added; the caller cleans up. */
static void run_vmmio_not_exits_in(const struct root_caps *rc, u64 vic, u64 ipa)
{
	u64 va = mmu_test_va(RUN_VMMIO_PAGE),
	    t = run_thread(rc, vic, V2_CALL, run_prog_vmmio_faults);
	u64 own, n;
	struct vcpu2 *c = vcpu2_block(0), *o;
	struct exc_record rec;

	RETURN_IF_FAILED();
	run_vmmio_seen.n = 0;
	c->arg = va;
	if (!run_poweron(t))
		return;
	ASSERT_RUN("vcpu_run: a load past the range", run(t), RUN_STATE(READY), 0);
	run_vmmio_abort("a load past the range", 1, va + 0x10, run_vmmio_past);
	ASSERT_RUN("vcpu_run: a load across its end", run(t), RUN_STATE(READY), 0);
	run_vmmio_abort("a load across its end", 2, va + 8, run_vmmio_across);
	ASSERT_RUN("vcpu_run: an LDP inside it", run(t), RUN_STATE(READY), 0);
	run_vmmio_abort("an LDP inside it (ISV 0)", 3, va + 4, run_vmmio_pair);
	ASSERT_RUN_DATA("vcpu_run: a load inside it", run(t), RUN_STATE(VMMIO_READ), ipa + 4, 4, 0);
	ASSERT_RUN("resumed: to its yield", run_resume(t, 0x5eed), RUN_STATE(READY), 0);
	ASSERT_EQ("its load's value", c->result, 0x5eed);
	ASSERT_EQ("its progress", c->stamp, 4);
	ASSERT_EQ("remove the range", run_vmmio_op(ipa + 4, 8, GH_MEM_VMMIO_OP_REMOVE), 0);
	ASSERT_RUN("vcpu_run: the load after the remove", run(t), RUN_STATE(READY), 0);
	run_vmmio_abort("the load after the remove", 4, va + 4, run_vmmio_removed);
	ASSERT_EQ("its progress", c->stamp, 5);
	RETURN_IF_FAILED();
	ASSERT_EQ("add the range again", run_vmmio_op(ipa + 4, 8, GH_MEM_VMMIO_OP_ADD), 0);
	own = vcpu_thread(rc, true);
	n = run_vmmio_seen.n;
	o = vcpu2_prepare(1, V2_CALL, va, 2);
	o->arg2 = (u64)(uintptr_t)run_prog_vmmio_own;
	RETURN_IF_FAILED();
	ASSERT_EQ("poweron of a second vCPU scheduled on its own",
	          vc(GH_HVC_VCPU_POWERON, own, (u64)(uintptr_t)vcpu2_entry, (u64)(uintptr_t)o, 0),
	          0);
	ASSERT_TRUE("the second vCPU got past its load", vcpu_yield_until_changed(&o->stamp, 0, 8));
	run_vmmio_abort("a vCPU scheduled on its own", n + 1, va + 4, run_vmmio_own);
	exc_expect_begin();
	probe_read32(va + 4);
	rec = exc_expect_end();
	ASSERT_FAULT("the boot vCPU's own load in the range", rec, FAULT_ESR_DABT, va + 4,
	             (u64)(uintptr_t)probe_read32_insn);
}

/*
 * Proves which accesses are not VMMIO exits and get the abort as before (section 8 steps 3, 4):
 * with range [IPA+4, IPA+12) a proxied vCPU's load at IPA+0x10 (outside), its 8-byte load at
 * IPA+8 (across the end) and its LDP at IPA+4 (ISV 0) each take the injected abort (ESR
 * 0x96000010, FAR the VA, ELR the instruction) and the runs end READY at its yields; its load at
 * IPA+4 is state 4 (IPA+4, size 4) and loads the resumed 0x5eed; once the range is removed the
 * same load takes the abort. With the range added again, vCPUs not run through vcpu_run take the
 * abort on a load inside it: a second vCPU of the same address space scheduled on its own, and the
 * boot vCPU.
 */
RUN_TEST(run_vmmio_not_exits)
{
	u64 ipa = run_vmmio_ipa();

	if (ipa == 0)
		return;
	if (run_vmmio_op(ipa + 4, 8, GH_MEM_VMMIO_OP_ADD) != 0)
		test_fail("fixture: VMMIO range [0x%lx, +8)", ipa + 4);
	else
		run_vmmio_not_exits_in(rc, vic, ipa);
	run_vmmio_op(ipa + 4, 8, GH_MEM_VMMIO_OP_REMOVE); /* BUSY if the body removed it last */
	mmu_test_reset();
}

/*
 * Proves a kill wins over a VMMIO access the vCPU is stopped at (section 9): stopped at its first
 * load (state 4), killed: vcpu_run_check and vcpu_run answer POWERED_OFF with data0 1 (exited), not
 * the access, and the vCPU never got past it.
 */
RUN_TEST(run_vmmio_killed)
{
	u64 ipa = run_vmmio_ipa(), t;
	struct vcpu2 *c;

	if (ipa == 0)
		return;
	t = run_thread(rc, vic, V2_CALL, run_prog_vmmio);
	if (t == GH_CAP_INVALID || run_vmmio_op(ipa, 0x40, GH_MEM_VMMIO_OP_ADD) != 0) {
		test_fail("fixture: a proxied vCPU, VMMIO range [0x%lx, +0x40)", ipa);
		mmu_test_reset();
		return;
	}
	c = vcpu2_block(0);
	c->arg = mmu_test_va(RUN_VMMIO_PAGE);
	if (run_poweron(t)) {
		struct gh_ret at = run(t), check, after;

		ASSERT_EQ("vcpu_kill", vc(GH_HVC_VCPU_KILL, t, 0, 0, 0), 0);
		check = run_check(t);
		after = run_resume(t, 0x77);
		run_vmmio_op(ipa, 0x40, GH_MEM_VMMIO_OP_REMOVE);
		mmu_test_reset();
		ASSERT_RUN_DATA("vcpu_run to its load", at, RUN_STATE(VMMIO_READ), ipa, 8, 0);
		ASSERT_RUN("vcpu_run_check after the kill", check, RUN_STATE(POWERED_OFF),
		           GH_VCPU_RUN_POWEROFF_EXITED);
		ASSERT_RUN("vcpu_run after the kill", after, RUN_STATE(POWERED_OFF),
		           GH_VCPU_RUN_POWEROFF_EXITED);
		ASSERT_EQ("past its accesses", c->stamp, 0);
		return;
	}
	run_vmmio_op(ipa, 0x40, GH_MEM_VMMIO_OP_REMOVE);
	mmu_test_reset();
}

/*
 * WFI on one physical CPU (issue 10 point 4, "idle in WFI"): a vCPU that waits in WFI with nothing
 * to take gives the CPU up whatever the priorities, and is ready again when something arrives for
 * it: a VIRQ of its VIC, or its own virtual timer's deadline. The waiter is a second vCPU of the
 * root VM at priority 40, above the boot vCPU's 32, with a VIC of its own (V2_WFI): the boot vCPU
 * runs at all only while the waiter waits.
 */
#include <humpy/plat.h>
#include <humpy/vcpu.h>

#define WFI_PRIORITY   40
#define WFI_VIRQ       40
#define WFI_VIC_VIRQS  64
#define WFI_ROUNDS     3
#define WFI_TIMER_WAIT 100 /* ms: the waiter's timer is armed 2 ms ahead */

/* A thread of WFI_PRIORITY with its own VIC (1 vCPU, 64 VIRQs) in *vic, on in block 0 as V2_WFI
 * for `intid`. Returns the thread; FAIL and GH_CAP_INVALID if a step fails. */
static u64 wfi_start(const struct root_caps *rc, u64 intid, u64 *vic)
{
	u64 t = vcpu_thread(rc, false);
	struct vcpu2 *c;

	if (t == GH_CAP_INVALID)
		return t;
	*vic = root_create(rc, GH_HVC_PARTITION_CREATE_VIC, rc->partition);
	if (*vic == GH_CAP_INVALID)
		return GH_CAP_INVALID;
	if (vc(GH_HVC_VCPU_SET_PRIORITY, t, WFI_PRIORITY, 0, 0) != 0 ||
	    vc(GH_HVC_VIC_CONFIGURE, *vic, 1, WFI_VIC_VIRQS, 0) != 0 ||
	    vc(GH_HVC_OBJECT_ACTIVATE, *vic, 0, 0, 0) != 0 ||
	    vc(GH_HVC_VIC_ATTACH_VCPU, *vic, t, 0, 0) != 0 ||
	    vc(GH_HVC_OBJECT_ACTIVATE, t, 0, 0, 0) != 0) {
		root_fixture_failed("fixture: set_priority(%u), a VIC of its own, activate",
		                    WFI_PRIORITY);
		return GH_CAP_INVALID;
	}
	c = vcpu2_prepare(0, V2_WFI, intid, 1);
	if (vc(GH_HVC_VCPU_POWERON, t, (u64)(uintptr_t)vcpu2_entry, (u64)(uintptr_t)c, 0) != 0) {
		root_fixture_failed("fixture: poweron");
		return GH_CAP_INVALID;
	}
	return t;
}

/* It outranks the boot vCPU: it ran first, set its GIC up and now waits, so this runs. Its wake-ups
 * so far must be 0 when nothing can wake it yet (`none_yet`: its timer 2 ms ahead may already
 * have fired on a loaded host). */
static bool wfi_waiting(const struct vcpu2 *c, bool none_yet)
{
	if (c->entries != 1 || c->faults != 0 || (none_yet && c->counter != 0)) {
		test_fail("waiter: entries %lu (expected 1), faults %lu (ESR 0x%lx), wake-ups %lu "
		          "before anything arrived (expected 0)",
		          c->entries, c->faults, c->fault_esr, c->counter);
		return false;
	}
	return true;
}

/*
 * Proves a higher-priority vCPU waiting in WFI lets a lower one run, and a VIRQ of its VIC wakes
 * it at once: three doorbell_sends (auto-acknowledged, bound to VIRQ 40 of its VIC) each return
 * OK, old flags 0, after the waiter woke exactly once more and acknowledged INTID 40 exactly once
 * more (section 2; issue 10 point 4).
 */
VCPU_TEST(wfi_waits_for_virq)
{
	u64 vic = GH_CAP_INVALID, db, t = wfi_start(rc, WFI_VIRQ, &vic);
	const struct vcpu2 *c = vcpu2_block(0);
	struct gh_ret r;
	unsigned k;

	RETURN_IF_FAILED();
	if (!wfi_waiting(c, true))
		return;
	db = root_create(rc, GH_HVC_PARTITION_CREATE_DOORBELL, rc->partition);
	RETURN_IF_FAILED();
	if (vc(GH_HVC_OBJECT_ACTIVATE, db, 0, 0, 0) != 0 ||
	    vc(GH_HVC_DOORBELL_BIND_VIRQ, db, vic, WFI_VIRQ, 0) != 0 ||
	    vc(GH_HVC_DOORBELL_MASK, db, ~0ULL, ~0ULL, 0) != 0) {
		root_fixture_failed("fixture: doorbell bound to VIRQ %u of its VIC, auto-ack",
		                    WFI_VIRQ);
		return;
	}
	for (k = 1; k <= WFI_ROUNDS; k++) {
		r = hc(GH_HVC_DOORBELL_SEND, db, 1, 0, 0, 0);
		ASSERT_EQ("doorbell_send (x0)", r.x[0], 0);
		ASSERT_EQ("old flags (x1)", r.x[1], 0);
		ASSERT_EQ("waiter's wake-ups", c->counter, k);
		ASSERT_EQ("waiter's acknowledged interrupts", c->stamp, k);
		ASSERT_EQ("waiter's INTID", c->result, WFI_VIRQ);
	}
	ASSERT_EQ("waiter's faults", c->faults, 0);
	(void)t;
}

/*
 * Proves a vCPU waiting in WFI is woken by its own virtual timer while it is off the CPU: armed 2
 * ms ahead before its WFI, it is taken (INTID the DT's virtual timer PPI, exactly one
 * acknowledged) within 100 ms while the boot vCPU spins without a hypercall (issue 10 point 4).
 */
VCPU_TEST(wfi_wakes_at_vtimer)
{
	u64 vic = GH_CAP_INVALID, t = wfi_start(rc, plat.vtimer_intid, &vic);
	const struct vcpu2 *c = vcpu2_block(0);

	RETURN_IF_FAILED();
	if (!wfi_waiting(c, false))
		return;
	ASSERT_TRUE("the waiter's timer never woke it",
	            c->stamp != 0 || vcpu_spin_until_changed(&c->stamp, 0, WFI_TIMER_WAIT));
	ASSERT_EQ("waiter's acknowledged interrupts", c->stamp, 1);
	ASSERT_EQ("waiter's INTID", c->result, plat.vtimer_intid);
	ASSERT_EQ("waiter's faults", c->faults, 0);
	(void)t;
	(void)vic;
}

/* child vtimer: a VM built from hypercalls has a virtual timer of its own, kept across vCPU
 * switches and delivered through its own vGIC as the timer's PPI (README.md). */
#include <humpy/plat.h>

#include "child_run.h"

#define CNTV_CTL_ENABLE  1ULL
#define CNTV_CTL_ISTATUS 4ULL

/* The timer part of the child's run ran (its GIC was set up and the PPI enable written), else the
 * reason. */
static bool child_vt_ran(const struct child_result *res)
{
	if (res->sh.vgic_fault_esr != 0) {
		test_skip(
		    "the child VM's GIC access at 0x%lx aborted (ESR 0x%lx): this build gives a VM "
		    "it creates no virtual GIC",
		    res->sh.vgic_fault_addr, res->sh.vgic_fault_esr);
		return false;
	}
	if (res->sh.vt_ran != 1) {
		test_fail("the child did not reach its timer part (vt_ran 0x%lx, virtual timer "
		          "INTID %u)",
		          res->sh.vt_ran, plat.vtimer_intid);
		return false;
	}
	return true;
}

/*
 * Proves a created vCPU's CNTV_CVAL_EL0 and CNTV_CTL_EL0 are its own context: set 10 s ahead and
 * enabled, then four scheduler_yields to the root VM (whose time limit programs the same
 * registers), read back exactly as written: CVAL the value, CTL ENABLE with ISTATUS and IMASK
 * clear.
 */
CHILD_MODE_TEST(vtimer_context_kept, CHILD_MODE_VGIC)
{
	if (!child_vt_ran(res))
		return;
	ASSERT_EQ("CNTV_CVAL_EL0 after the yields", res->sh.vt_cval_read, res->sh.vt_cval_set);
	ASSERT_EQ("CNTV_CTL_EL0 after the yields", res->sh.vt_ctl_read, CNTV_CTL_ENABLE);
}

/*
 * Proves a created VM's virtual timer interrupts it: an expiry 1 ms ahead, IRQs unmasked while it
 * yields to the root VM, is taken exactly once within 200 ms with the virtual timer's INTID (the DT
 * PPI, 27 on QEMU virt) from ICC_IAR1_EL1, and CNTV_CTL_EL0 then reads ENABLE | ISTATUS.
 */
CHILD_MODE_TEST(vtimer_ppi_taken, CHILD_MODE_VGIC)
{
	if (!child_vt_ran(res))
		return;
	ASSERT_EQ("child's interrupts taken", res->sh.vt_irq_count, 1);
	ASSERT_EQ("child's INTID", res->sh.vt_irq_intid, plat.vtimer_intid);
	ASSERT_EQ("CNTV_CTL_EL0 after it", res->sh.vt_ctl_at_irq,
	          CNTV_CTL_ENABLE | CNTV_CTL_ISTATUS);
}

/*
 * Proves a vCPU that powers off with its timer's PPI injected and not taken does not take the
 * CPU's timer PPI with it: the root VM's own virtual timer, expired with IRQs masked after the
 * child's poweroff, is pending at its CPU interface within 50 ms and acknowledged with its INTID.
 */
CHILD_MODE_TEST(vtimer_root_after_child_poweroff, CHILD_MODE_VGIC)
{
	if (!child_vt_ran(res))
		return;
	ASSERT_EQ("root VM's ICC_IAR1_EL1 INTID", res->root_vt_iar, plat.vtimer_intid);
}

/* child exchange: the child VM boots and reports, and the two VMs talk: a message each way read
 * byte-exact, a doorbell rung by the child taken as an interrupt here (README.md). */
#include <humpy/plat.h>
#include <humpy/root.h>

#include "child_run.h"

/* Proves the child VM built from hypercalls ran its image to the end: state done, no exception
 * outside a probe, and vcpu_poweroff (last vCPU) did not return (reference §2). */
CHILD_TEST(boot)
{
	ASSERT_EQ("state", res->sh.state, CHILD_STATE_DONE);
	if (res->sh.stray_count != 0)
		test_fail(
		    "%lu exception(s) outside a probe, the last ESR 0x%lx ELR 0x%lx FAR 0x%lx",
		    res->sh.stray_count, res->sh.stray_esr, res->sh.stray_elr, res->sh.stray_far);
	ASSERT_EQ("vcpu_poweroff returned (x0)", res->sh.poweroff_x0, 0);
}

/* Proves a second extent over a page another extent owns is refused: MEMDB_NOT_OWNER (§3 memdb,
 * ROOT_PROFILE.md), so the other VM's page is never the child's too. */
CHILD_TEST(other_vm_alias_refused)
{
	ASSERT_EQ("memextent over the other VM's page (x0)", res->alias_x0, E(MEMDB_NOT_OWNER));
}

/* Proves a message the root VM sent is received by the child byte-exact: OK, size 240, not_empty
 * 0, the byte after it untouched (§4). */
CHILD_TEST(msgq_root_to_child)
{
	ASSERT_EQ("child's msgqueue_receive (x0)", res->sh.recv_x0, 0);
	ASSERT_EQ("size (x1)", res->sh.recv_size, CHILD_MSG_SIZE);
	ASSERT_EQ("not_empty (x2)", res->sh.recv_not_empty, 0);
	ASSERT_EQ("first wrong byte", res->sh.recv_bad_byte, ~0ULL);
}

/* Proves a message the child sent is received here byte-exact: its send OK with not_full 1, the
 * receive OK, size 240, not_empty 0, every byte, the byte after it untouched (§4). */
CHILD_TEST(msgq_child_to_root)
{
	ASSERT_EQ("child's msgqueue_send (x0)", res->sh.send_x0, 0);
	ASSERT_EQ("child's not_full (x1)", res->sh.send_not_full, 1);
	ASSERT_EQ("msgqueue_receive (x0)", res->c2p_x0, 0);
	ASSERT_EQ("size (x1)", res->c2p_size, CHILD_MSG_SIZE);
	ASSERT_EQ("not_empty (x2)", res->c2p_not_empty, 0);
	ASSERT_EQ("first wrong byte", res->c2p_bad_byte, ~0ULL);
}

/* Proves a doorbell the child rang raises this VM's bound VIRQ exactly once, and its flags arrive:
 * send OK with old flags 0, receive gives exactly the flags sent (§5). */
CHILD_TEST(doorbell_child_to_root)
{
	ASSERT_EQ("child's doorbell_send (x0)", res->sh.db_x0, 0);
	ASSERT_EQ("old flags (x1)", res->sh.db_old_flags, 0);
	ASSERT_EQ("VIRQ taken (times)", res->db_taken, 1);
	ASSERT_EQ("doorbell_receive (x0)", res->db_recv_x0, 0);
	ASSERT_EQ("flags (x1)", res->db_recv_flags, CHILD_DB_FLAGS);
}

/*
 * Proves a doorbell the root VM rings raises the child's interrupt: a second child VM with a VIC of
 * its own, the doorbell bound to VIRQ 40 of it; the child sets up its GIC, the root VM's send is OK
 * with old flags 0, and the child takes INTID 40 exactly once (§5, §2 vic_attach_vcpu). SKIPs
 * when the child's distributor read aborts: the build gives a created VM no virtual GIC.
 */
CHILD_MODE_TEST(doorbell_root_to_child, CHILD_MODE_VGIC)
{
	if (res->sh.vgic_fault_esr != 0)
		SKIP(
		    "the child VM's GIC access at 0x%lx aborted (ESR 0x%lx): this build gives a VM "
		    "it creates no virtual GIC",
		    res->sh.vgic_fault_addr, res->sh.vgic_fault_esr);
	ASSERT_EQ("doorbell_send (x0)", res->vgic_send_x0, 0);
	ASSERT_EQ("old flags (x1)", res->vgic_send_old, 0);
	ASSERT_EQ("child's interrupts taken", res->sh.irq_count, 1);
	ASSERT_EQ("child's INTID", res->sh.irq_intid, CHILD_VGIC_VIRQ);
}

/*
 * Proves addrspace_unmap of a page from the root VM's own address space takes effect at once: a
 * load from the window the child image was copied through aborts, ESR 0x96000010, FAR the
 * address (§2 addrspace_unmap, §8): the root VM's TLB entries for it were invalidated.
 */
CHILD_TEST(load_window_unmapped)
{
	ASSERT_EQ("exception taken", res->unmapped_taken, 1);
	ASSERT_EQ("ESR_EL1", res->unmapped_esr, 0x96000010ULL);
	ASSERT_EQ("FAR_EL1", res->unmapped_far, CHILD_PARENT_LOAD_IPA);
}

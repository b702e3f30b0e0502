/* The own VIC's emulated distributor as the guest programs it: software-pending SPIs taken by
 * INTID, enable, pending, priority, list-register overflow and read-back (ROOT_PROFILE.md delivery
 * rules; issue 9 point 1). */
#include <humpy/arch.h>
#include <humpy/ipc.h>
#include <humpy/plat.h>

#define GICD_TEST(name) IPC_TEST(vic, gicd_##name, GH_API_FLAG0_VIC, "vic", true)
#define GD_VIRQ         IPC_VIRQ(0)
#define GD_IGROUPR      0x0080
#define GD_ISPENDR      0x0200
#define GD_IPRIORITYR   0x0400
#define GD_ICFGR        0x0c00
#define GD_IROUTER      0x6000
#define GD_TYPER        0x0004
#define GD_PRIO_MASKED  0xff /* not below ICC_PMR_EL1 = 0xff: never signalled */
#define GD_MANY         12   /* more pending SPIs than QEMU's 4 list registers */

static bool gd_read(u64 off, u32 *v)
{
	if (!probe_try_read32(plat.gicd + off, v)) {
		test_fail("GICD+0x%lx: read aborted", off);
		return false;
	}
	return true;
}

/* Proves an enabled SPI made pending through GICD_ISPENDR is taken once as exactly its INTID. */
GICD_TEST(pending_taken)
{
	if (!ipc_irq_on(GD_VIRQ))
		return;
	ASSERT_TRUE("ISPENDR write", irq_raise((u32)GD_VIRQ));
	ASSERT_TAKEN("pending SPI", GD_VIRQ, 1);
}

/* Proves a disabled SPI stays pending (ISPENDR reads 1) and is taken once enabled. */
GICD_TEST(disabled_stays_pending)
{
	bool pending = false;

	ASSERT_TRUE("ISPENDR write", irq_raise((u32)GD_VIRQ));
	ASSERT_TAKEN("disabled", GD_VIRQ, 0);
	ASSERT_TRUE("ISPENDR read", irq_pending((u32)GD_VIRQ, &pending));
	ASSERT_TRUE("ISPENDR reads pending", pending);
	if (!ipc_irq_on(GD_VIRQ))
		return;
	ASSERT_TAKEN("enabled", GD_VIRQ, 1);
	ASSERT_TRUE("ISPENDR read after", irq_pending((u32)GD_VIRQ, &pending));
	ASSERT_TRUE("not pending once taken", !pending);
}

/* Proves GICD_ICPENDR clears a pending SPI: enabled afterwards, it is not taken. */
GICD_TEST(icpendr_clears)
{
	ASSERT_TRUE("ISPENDR write", irq_raise((u32)GD_VIRQ));
	irq_disable((u32)GD_VIRQ); /* ICENABLER + ICPENDR */
	if (!ipc_irq_on(GD_VIRQ))
		return;
	ASSERT_TAKEN("cleared before enable", GD_VIRQ, 0);
}

/* Proves priority masking: priority 0xff (not below PMR) is never taken, lowered to 0xa0 it is. */
GICD_TEST(priority_masked)
{
	if (!ipc_irq_on(GD_VIRQ))
		return;
	ASSERT_TRUE("IPRIORITYR write", irq_set_priority((u32)GD_VIRQ, GD_PRIO_MASKED));
	ASSERT_TRUE("ISPENDR write", irq_raise((u32)GD_VIRQ));
	ASSERT_TAKEN("priority 0xff", GD_VIRQ, 0);
	ASSERT_TRUE("IPRIORITYR write", irq_set_priority((u32)GD_VIRQ, IRQ_PRIO_DEFAULT));
	ASSERT_TAKEN("priority 0xa0", GD_VIRQ, 1);
}

/* Proves priority order: two SPIs pending together are taken higher priority (lower value) first.
 */
GICD_TEST(priority_order)
{
	u32 lo = (u32)IPC_VIRQ(1), hi = (u32)IPC_VIRQ(2);

	if (!ipc_irq_on(lo) || !ipc_irq_on(hi))
		return;
	ASSERT_TRUE("priority lo", irq_set_priority(lo, 0xc0));
	ASSERT_TRUE("priority hi", irq_set_priority(hi, 0x80));
	irq_mask();
	irq_raise(lo);
	irq_raise(hi);
	irq_unmask();
	irq_wait(lo, 1, IPC_IRQ_WAIT_MS);
	irq_settle(IPC_IRQ_QUIET_MS);
	ASSERT_EQ("interrupts taken", irq_total(), 2);
	ASSERT_EQ("first INTID", irq_order(0), hi);
	ASSERT_EQ("second INTID", irq_order(1), lo);
}

/* Proves no interrupt is lost when more are pending than list registers exist: 12 edge SPIs made
 * pending with IRQs masked are each taken exactly once, the handler touching nothing but
 * ICC_IAR1/EOIR1, so only the maintenance interrupt refills the list registers (issue 9 point 1).
 */
GICD_TEST(list_register_overflow)
{
	u32 i;

	ASSERT_TRUE("range covers 12 test VIRQs", IPC_VIRQ(GD_MANY) <= ipc_virq_end());
	for (i = 0; i < GD_MANY; i++) {
		if (!ipc_irq_edge(IPC_VIRQ(i)) || !ipc_irq_on(IPC_VIRQ(i)))
			return;
		irq_keep_enabled((u32)IPC_VIRQ(i));
	}
	irq_mask();
	for (i = 0; i < GD_MANY; i++)
		irq_raise((u32)IPC_VIRQ(i));
	irq_unmask();
	for (i = 0; i < GD_MANY; i++)
		irq_wait((u32)IPC_VIRQ(i), 1, IPC_IRQ_WAIT_MS);
	irq_settle(IPC_IRQ_QUIET_MS);
	for (i = 0; i < GD_MANY; i++) {
		if (irq_count((u32)IPC_VIRQ(i)) != 1) {
			test_fail("INTID %lu taken %u times, expected once", IPC_VIRQ(i),
			          irq_count((u32)IPC_VIRQ(i)));
			return;
		}
	}
	ASSERT_EQ("interrupts taken", irq_total(), GD_MANY);
}

/* Proves GICD_TYPER.ITLinesNumber gives the root VIC's 64 shared VIRQs: INTIDs 32..95
 * (ROOT_PROFILE.md: max_virqs 64, N = 2). */
GICD_TEST(typer_range)
{
	ASSERT_EQ("one past the last shared VIRQ", ipc_virq_end(), 96);
}

/* Proves IGROUPR, IPRIORITYR, ICFGR and IROUTER read back what was written (ROOT_PROFILE.md). */
GICD_TEST(read_back)
{
	u32 intid = (u32)GD_VIRQ, v = 0;
	u64 mpidr = sysreg_read(mpidr_el1);

	if (!ipc_irq_on(intid))
		return;
	ASSERT_TRUE("IPRIORITYR write", irq_set_priority(intid, 0x90));
	ASSERT_TRUE("ICFGR write", irq_set_edge(intid, true));
	if (!gd_read(GD_IPRIORITYR + (intid & ~3U), &v))
		return;
	ASSERT_EQ("IPRIORITYR byte", (v >> (8 * (intid % 4))) & 0xff, 0x90);
	if (!gd_read(GD_ICFGR + 4 * (intid / 16), &v))
		return;
	ASSERT_EQ("ICFGR edge bit", (v >> (2 * (intid % 16) + 1)) & 1, 1);
	ASSERT_TRUE("ICFGR write", irq_set_edge(intid, false));
	if (!gd_read(GD_ICFGR + 4 * (intid / 16), &v))
		return;
	ASSERT_EQ("ICFGR edge bit cleared", (v >> (2 * (intid % 16) + 1)) & 1, 0);
	if (!gd_read(GD_IGROUPR + 4 * (intid / 32), &v))
		return;
	ASSERT_EQ("IGROUPR group 1", (v >> (intid % 32)) & 1, 1);
	if (!gd_read(GD_IROUTER + 8 * intid, &v))
		return;
	ASSERT_EQ("IROUTER low word (Aff2.Aff1.Aff0, IRM 0)", v, mpidr & 0xffffff);
}

/* The own VIC's emulated distributor at the ends of its SPI range: the first and the last shared
 * VIRQ are configured like any other (ROOT_PROFILE.md: INTIDs 32 .. 32*(N+1) - 1 from
 * GICD_TYPER, and ICFGR and IPRIORITYR read back what was written). */
#include <humpy/arch.h>
#include <humpy/ipc.h>
#include <humpy/plat.h>

#define GR_TEST(name) IPC_TEST(vic, gicd_##name, GH_API_FLAG0_VIC, "vic", true)
#define GR_IPRIORITYR 0x0400
#define GR_ICFGR      0x0c00
#define GR_FIRST_SPI  32
#define GR_TEST_PRIO  0x90

static bool gr_read(u64 off, u32 *v)
{
	if (!probe_try_read32(plat.gicd + off, v)) {
		test_fail("GICD+0x%lx: read aborted", off);
		return false;
	}
	return true;
}

/* The edge bit of @intid set, read back, cleared, read back; its priority byte likewise. */
static void gr_config_reads_back(u32 intid)
{
	u32 v = 0, prio;

	ASSERT_TRUE("ICFGR write (edge)", irq_set_edge(intid, true));
	if (!gr_read(GR_ICFGR + 4 * (intid / 16), &v))
		return;
	ASSERT_EQ("ICFGR edge bit", (v >> (2 * (intid % 16) + 1)) & 1, 1);
	ASSERT_TRUE("ICFGR write (level)", irq_set_edge(intid, false));
	if (!gr_read(GR_ICFGR + 4 * (intid / 16), &v))
		return;
	ASSERT_EQ("ICFGR edge bit cleared", (v >> (2 * (intid % 16) + 1)) & 1, 0);
	if (!gr_read(GR_IPRIORITYR + (intid & ~3U), &v))
		return;
	prio = (v >> (8 * (intid % 4))) & 0xff;
	ASSERT_TRUE("IPRIORITYR write", irq_set_priority(intid, GR_TEST_PRIO));
	if (!gr_read(GR_IPRIORITYR + (intid & ~3U), &v))
		return;
	ASSERT_EQ("IPRIORITYR byte", (v >> (8 * (intid % 4))) & 0xff, GR_TEST_PRIO);
	ASSERT_TRUE("IPRIORITYR restored", irq_set_priority(intid, (u8)prio));
}

/* Proves the first shared VIRQ, INTID 32, keeps its ICFGR edge bit and IPRIORITYR byte as written
 * (ROOT_PROFILE.md): ICFGR2 is the first register of the range, not one of the SGI/PPI words. */
GR_TEST(first_spi_config)
{
	gr_config_reads_back(GR_FIRST_SPI);
}

/* Proves the last shared VIRQ (one below GICD_TYPER's end, INTID 95 for the root VIC) keeps its
 * ICFGR edge bit and IPRIORITYR byte as written (ROOT_PROFILE.md). */
GR_TEST(last_spi_config)
{
	gr_config_reads_back((u32)ipc_virq_end() - 1);
}

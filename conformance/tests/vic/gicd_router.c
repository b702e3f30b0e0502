/* The own VIC's GICD_IROUTER<n>: each SPI's 64-bit routing register, written and read as two 32-bit
 * halves (GICv3: Aff2.Aff1.Aff0 in bits 23:0 and IRM in bit 31 of the low word, Aff3 in bits 7:0 of
 * the high word; 64-bit access allowed), at the first and the last shared VIRQ and one past them
 * (ROOT_PROFILE.md: INTIDs 32 .. 32*(N+1) - 1 from GICD_TYPER). */
#include <humpy/arch.h>
#include <humpy/exc.h>
#include <humpy/ipc.h>
#include <humpy/plat.h>

#define GRT_TEST(name) IPC_TEST(vic, gicd_##name, GH_API_FLAG0_VIC, "vic", true)
#define GRT_IROUTER    0x6000
#define GRT_FIRST_SPI  32
#define GRT_LOW        0x00c3a596U /* Aff2 0xc3, Aff1 0xa5, Aff0 0x96, IRM 0 */
#define GRT_HIGH       0x0000005aU /* Aff3 0x5a */
#define GRT_LOW2       0x00695a3cU /* a second pattern: every affinity byte differs from the first */

static u64 grt_reg(u32 intid)
{
	return plat.gicd + GRT_IROUTER + 8 * (u64)intid;
}

static bool grt_write(u64 addr, u32 v)
{
	if (!probe_try_write32(addr, v)) {
		test_fail("write 0x%x to 0x%lx aborted", v, addr);
		return false;
	}
	return true;
}

static bool grt_read(u64 addr, u32 *v)
{
	if (!probe_try_read32(addr, v)) {
		test_fail("read of 0x%lx aborted", addr);
		return false;
	}
	return true;
}

/* The low word, then the high word, each read back; the high word's write leaves the low word as it
 * was; one 64-bit read gives both; finally this CPU's affinity (what irq_enable writes) again. */
static void grt_halves(u32 intid)
{
	u64 reg = grt_reg(intid), mpidr = sysreg_read(mpidr_el1), both;
	u32 v = 0;
	struct exc_record rec;

	if (!grt_write(reg, GRT_LOW) || !grt_read(reg, &v))
		return;
	ASSERT_EQ("low word read back", v, GRT_LOW);
	if (!grt_write(reg + 4, GRT_HIGH) || !grt_read(reg + 4, &v))
		return;
	ASSERT_EQ("high word read back", v, GRT_HIGH);
	if (!grt_read(reg, &v))
		return;
	ASSERT_EQ("low word after the high word's write", v, GRT_LOW);
	exc_expect_begin();
	both = probe_read64(reg);
	rec = exc_expect_end();
	ASSERT_EQ("64-bit read aborted", rec.taken, false);
	ASSERT_EQ("64-bit read", both, ((u64)GRT_HIGH << 32) | GRT_LOW);
	if (!grt_write(reg, GRT_LOW2) || !grt_read(reg + 4, &v))
		return;
	ASSERT_EQ("high word after the low word's write", v, GRT_HIGH);
	if (!grt_read(reg, &v))
		return;
	ASSERT_EQ("low word rewritten", v, GRT_LOW2);
	if (!grt_write(reg, (u32)(mpidr & 0xffffff)) ||
	    !grt_write(reg + 4, (u32)(mpidr >> 32) & 0xff) || !grt_read(reg, &v))
		return;
	ASSERT_EQ("low word restored", v, mpidr & 0xffffff);
	if (!grt_read(reg + 4, &v))
		return;
	ASSERT_EQ("high word restored", v, (mpidr >> 32) & 0xff);
}

/* Proves the first shared VIRQ's IROUTER (INTID 32, GICD+0x6100) keeps both halves as written, each
 * half apart from the other, and reads back whole with one 64-bit access (GICv3 IROUTER<n>). */
GRT_TEST(router_first_spi)
{
	if (plat_needs_gicv3())
		SKIP("%s", plat_needs_gicv3());
	grt_halves(GRT_FIRST_SPI);
}

/* Proves the last shared VIRQ's IROUTER (INTID 95 for the root VIC) keeps both halves likewise. */
GRT_TEST(router_last_spi)
{
	if (plat_needs_gicv3())
		SKIP("%s", plat_needs_gicv3());
	grt_halves((u32)ipc_virq_end() - 1);
}

/* Proves the IROUTER of the first INTID past the VIC's range (32*(N+1)) ignores writes of either
 * half and reads 0 (ROOT_PROFILE.md: no such INTID), while the last one's is left as it was. */
GRT_TEST(router_past_the_end)
{
	if (plat_needs_gicv3())
		SKIP("%s", plat_needs_gicv3());
	u32 end = (u32)ipc_virq_end(), v = 1;
	u64 last = grt_reg(end - 1);
	u32 last_low = 0, last_high = 0;

	if (!grt_read(last, &last_low) || !grt_read(last + 4, &last_high))
		return;
	if (!grt_write(grt_reg(end), GRT_LOW) || !grt_write(grt_reg(end) + 4, GRT_HIGH))
		return;
	if (!grt_read(grt_reg(end), &v))
		return;
	ASSERT_EQ("low word past the end", v, 0);
	if (!grt_read(grt_reg(end) + 4, &v))
		return;
	ASSERT_EQ("high word past the end", v, 0);
	if (!grt_read(last, &v))
		return;
	ASSERT_EQ("last SPI's low word untouched", v, last_low);
	if (!grt_read(last + 4, &v))
		return;
	ASSERT_EQ("last SPI's high word untouched", v, last_high);
}

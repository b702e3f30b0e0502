/* The own VIC's distributor says which GIC architecture it is, as the guest's DT does (the GICv3
 * one, or on a GICv2 machine the GICv2 one: ITARGETSR instead of IROUTER, no ARE, no IDbits). */
#include <humpy/arch.h>
#include <humpy/ipc.h>
#include <humpy/plat.h>

#define GV_TEST(name)      IPC_TEST(vic, gicd_##name, GH_API_FLAG0_VIC, "vic", true)
#define GV_CTLR            0x0000
#define GV_TYPER           0x0004
#define GV_ITARGETSR       0x0800
#define GV_IROUTER         0x6000
#define GV_PIDR2           0xffe8
#define GV_CTLR_ARE        (1U << 4)
#define GV_CTLR_ENABLES    0x3U  /* EnableGrp0, EnableGrp1 */
#define GV_TYPER_LINES     0x1fU /* ITLinesNumber */
#define GV_TYPER_IDBITS(v) (((v) >> 19) & 0x1fU)
#define GV_ARCHREV(pidr2)  (((pidr2) >> 4) & 0xfU)
#define GV_CPU0            0x01010101U /* ITARGETSR: four INTIDs, each CPU interface 0 */
#define GV_SGIR            0x0f00
#define GV_SGIR_FILTER(f)  ((u32)(f) << 24) /* 0 CPUTargetList, 1 all but self, 2 self */
#define GV_SGIR_CPUS(m)    ((u32)(m) << 16)
#define GV_SGI             5U
#define GV_V3_REASON                                                                               \
	"GICv3 guest: a GICv2 distributor register (GICv3 routes by IROUTER, sends SGIs by "       \
	"ICC_SGI1R_EL1)"

static bool gv_read(u64 off, u32 *v)
{
	if (!probe_try_read32(plat.gicd + off, v)) {
		test_fail("GICD+0x%lx: read aborted", off);
		return false;
	}
	return true;
}

/* Proves the distributor's identity matches the GIC version of the DT: PIDR2.ArchRev 3 with
 * GICD_CTLR.ARE set and GICD_TYPER.IDbits 9 (10 INTID bits) on GICv3; ArchRev 2, nothing in
 * GICD_CTLR beyond the two group enables and nothing in GICD_TYPER beyond ITLinesNumber (one CPU
 * interface, no Security Extensions) on GICv2. */
GV_TEST(version_identity)
{
	u32 pidr2 = 0, ctlr = 0, typer = 0;

	if (!gv_read(GV_PIDR2, &pidr2) || !gv_read(GV_CTLR, &ctlr) || !gv_read(GV_TYPER, &typer))
		return;
	if (plat.gic_version == 2) {
		ASSERT_EQ("PIDR2.ArchRev", GV_ARCHREV(pidr2), 2);
		ASSERT_EQ("GICD_CTLR beyond the group enables", ctlr & ~GV_CTLR_ENABLES, 0);
		ASSERT_EQ("GICD_TYPER beyond ITLinesNumber", typer & ~GV_TYPER_LINES, 0);
	} else {
		ASSERT_EQ("PIDR2.ArchRev", GV_ARCHREV(pidr2), 3);
		ASSERT_EQ("GICD_CTLR.ARE", ctlr & GV_CTLR_ARE, GV_CTLR_ARE);
		ASSERT_EQ("GICD_TYPER.IDbits", GV_TYPER_IDBITS(typer), 9);
	}
}

/* Proves a GICv2 distributor's ITARGETSR on the VM's one-vCPU VIC: an SGI's byte is the reader's
 * own CPU interface (0x01), an SPI's reads 0x01 until written and then what was written of the
 * VIC's vCPUs (a write naming CPU interfaces 0 and 1 reads 0x01, one naming interface 1 alone
 * reads 0: no such vCPU), the first and the last shared VIRQs alike; the GICv3 IROUTER space
 * reads 0 there. The targets written are put back to 0x01. */
GV_TEST(v2_targets)
{
	u64 last = GV_ITARGETSR + ipc_virq_end() - 4;
	u32 v = 0;

	if (plat.gic_version != 2)
		SKIP(GV_V3_REASON);
	if (!gv_read(GV_ITARGETSR, &v))
		return;
	ASSERT_EQ("ITARGETSR0 (SGIs 0-3)", v, GV_CPU0);
	if (!gv_read(GV_ITARGETSR + 32, &v))
		return;
	ASSERT_EQ("ITARGETSR8 (INTIDs 32-35)", v, GV_CPU0);
	ASSERT_TRUE("ITARGETSR8 write",
	            probe_try_write32(plat.gicd + GV_ITARGETSR + 32, 0x02030201));
	if (!gv_read(GV_ITARGETSR + 32, &v))
		return;
	probe_try_write32(plat.gicd + GV_ITARGETSR + 32, GV_CPU0);
	ASSERT_EQ("ITARGETSR8 after a write of interfaces 0 / 1 / 0+1 / 1", v, 0x00010001);
	ASSERT_TRUE("ITARGETSR0 write (read-only)",
	            probe_try_write32(plat.gicd + GV_ITARGETSR, 0x02020202));
	if (!gv_read(GV_ITARGETSR, &v))
		return;
	ASSERT_EQ("ITARGETSR0 after a write", v, GV_CPU0);
	if (!gv_read(last, &v))
		return;
	ASSERT_EQ("ITARGETSR of the last shared VIRQs", v, GV_CPU0);
	ASSERT_TRUE("ITARGETSR write of the last shared VIRQs",
	            probe_try_write32(plat.gicd + last, 0x03000100));
	if (!gv_read(last, &v))
		return;
	probe_try_write32(plat.gicd + last, GV_CPU0);
	ASSERT_EQ("ITARGETSR of the last shared VIRQs after a write", v, 0x01000100);
	if (!gv_read(GV_IROUTER + 8 * 32, &v))
		return;
	ASSERT_EQ("IROUTER32 space", v, 0);
}

static bool gv_sgir(u32 v)
{
	if (!probe_try_write32(plat.gicd + GV_SGIR, v)) {
		test_fail("GICD_SGIR write of 0x%x aborted", v);
		return false;
	}
	return true;
}

/* Proves a GICv2 guest's SGIs: GICD_SGIR with TargetListFilter 2 (self), then filter 0 naming CPU
 * interface 0, each make SGI 5 taken once, as INTID 5 alone; filter 1 (every CPU interface but
 * the sender's: the VM has no other) and filter 0 naming CPU interface 1 (no such vCPU) send
 * nothing. */
GV_TEST(v2_sgir)
{
	if (plat.gic_version != 2)
		SKIP(GV_V3_REASON);
	if (!ipc_irq_on(GV_SGI))
		return;
	irq_keep_enabled(GV_SGI);
	if (!gv_sgir(GV_SGIR_FILTER(2) | GV_SGI))
		return;
	ASSERT_TAKEN("filter 2 (self)", GV_SGI, 1);
	if (!gv_sgir(GV_SGIR_FILTER(0) | GV_SGIR_CPUS(1) | GV_SGI))
		return;
	ASSERT_TAKEN("filter 0, CPU interface 0", GV_SGI, 2);
	if (!gv_sgir(GV_SGIR_FILTER(1) | GV_SGI))
		return;
	ASSERT_TAKEN("filter 1 (all but self)", GV_SGI, 2);
	if (!gv_sgir(GV_SGIR_FILTER(0) | GV_SGIR_CPUS(2) | GV_SGI))
		return;
	ASSERT_TAKEN("filter 0, CPU interface 1 (no such vCPU)", GV_SGI, 2);
}

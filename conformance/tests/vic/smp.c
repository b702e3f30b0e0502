/*
 * A VIC serving two vCPUs (vic_configure max_vcpus 2, vic_attach_vcpu index 0 and 1): one
 * redistributor frame per vCPU, private interrupts (SGIs, PPIs, the virtual timer) per vCPU, SPIs
 * delivered to the vCPU GICD_IROUTER names (§2 vic_configure, vic_attach_vcpu; GICv3 architecture
 * specification). The VM is vm2.h's: both vCPUs on the one physical CPU, yielding in turn.
 */
#include <humpy/arch.h>
#include <humpy/plat.h>

#include "vm2.h"

#define SMP_PPI_A    21
#define SMP_PPI_B    22
#define SMP_SGI_A    3
#define SMP_SGI_B    5
#define SMP_SGI_C    6
#define SMP_SPI      77
#define SMP_TIMER_MS 1
#define SMP_NONE     VM2_INTIDS /* no INTID enabled at the start */

/* GICR_TYPER: Last bit 4, Processor_Number 23:8, Affinity_Value 63:32 (Aff3.Aff2.Aff1.Aff0). */
#define GICR_TYPER_LAST    (1ULL << 4)
#define GICR_TYPER_PROC(n) ((u64)(n) << 8)
#define GICR_TYPER_AFF0(n) ((u64)(n) << 32)
#define MPIDR_U_AFF0(n)    ((1ULL << 31) | (n))
#define VM2_GICR(i)        (plat.gicr + VM2_GICR_STRIDE * (i))

/* SMP_TEST(name, enables...) defines vic.smp_<name> with `vm` (two vCPUs, started, each with the
 * INTIDs listed enabled) besides rc and self; SKIP without the vCPU calls or the VIC, or on GICv2
 * (SMP_ANY_GIC_TEST: on both GIC versions, vm2_missing_any_gic). */
#define SMP_TEST(name, ...)         SMP_TEST_(name, vm2_missing, __VA_ARGS__)
#define SMP_ANY_GIC_TEST(name, ...) SMP_TEST_(name, vm2_missing_any_gic, __VA_ARGS__)
#define SMP_TEST_(name, missing, ...)                                                              \
	static void smp_body_##name(const struct root_caps *rc, const struct ipc_self *self,       \
	                            struct vm2 *vm);                                               \
	IPC_TEST(vic, smp_##name, GH_API_FLAG0_VIC | GH_API_FLAG0_DOORBELL, "vic", true)           \
	{                                                                                          \
		static const u64 on_[] = {__VA_ARGS__};                                            \
		struct vm2_opts o_;                                                                \
		struct vm2 vm_;                                                                    \
		const char *why_ = missing();                                                      \
		if (why_)                                                                          \
			SKIP("%s", why_);                                                          \
		memset(&o_, 0, sizeof(o_));                                                        \
		for (unsigned k_ = 0; k_ < sizeof(on_) / sizeof(on_[0]); k_++)                     \
			if (on_[k_] < VM2_INTIDS)                                                  \
				vm2_mask_set(o_.enable, on_[k_]);                                  \
		vcpu_begin();                                                                      \
		if (vm2_start(rc, &vm_, 2, &o_))                                                   \
			smp_body_##name(rc, self, &vm_);                                           \
		vcpu_end();                                                                        \
	}                                                                                          \
	static void smp_body_##name(const struct root_caps *rc UNUSED_ARG,                         \
	                            const struct ipc_self *self UNUSED_ARG, struct vm2 *vm)

/*
 * Proves each vCPU of a two-vCPU VIC has a redistributor frame of its own at consecutive 128 KiB
 * strides: GICR_TYPER of frame 0 is 0 (affinity 0, processor 0, not last), of frame 1 exactly
 * Affinity 1, Processor_Number 1, Last; the same read from either vCPU; each vCPU's MPIDR_EL1 is
 * U | Aff0 = its index, the affinity its frame names.
 */
SMP_TEST(gicr_typer, 0)
{
	static const u64 want[2] = {0, GICR_TYPER_AFF0(1) | GICR_TYPER_PROC(1) | GICR_TYPER_LAST};
	unsigned i, f;

	for (i = 0; i < 2; i++) {
		ASSERT_EQ("MPIDR_EL1", vm2_cmd(vm, i, VM2_MPIDR, 0, 0), MPIDR_U_AFF0(i));
		for (f = 0; f < 2; f++) {
			u64 got = vm2_cmd(vm, i, VM2_READ64, VM2_GICR(f) + VM2_GICR_TYPER, 0);

			RETURN_IF_FAILED();
			if (got != want[f]) {
				test_fail(
				    "vCPU %u: GICR_TYPER of frame %u: expected 0x%lx got 0x%lx", i,
				    f, want[f], got);
				return;
			}
		}
	}
}

/*
 * Proves PPIs are per vCPU: PPI 21 made pending in frame 1 (GICR_ISPENDR0, written by vCPU 0) is
 * taken by vCPU 1 exactly once and never by vCPU 0; PPI 22 made pending in frame 0 by vCPU 1 is
 * taken by vCPU 0 alone.
 */
SMP_TEST(ppi_pending_per_vcpu, SMP_PPI_A, SMP_PPI_B)
{
	vm2_cmd(vm, 0, VM2_WRITE32, VM2_GICR(1) + VM2_GICR_ISPENDR0, 1U << SMP_PPI_A);
	RETURN_IF_FAILED();
	vm2_wait(vm, 1, SMP_PPI_A, 1);
	if (!vm2_expect("PPI 21 pending in frame 1", vm, 1, SMP_PPI_A, 1, 1) ||
	    !vm2_expect("PPI 21 pending in frame 1", vm, 0, SMP_PPI_A, 0, 0))
		return;
	vm2_cmd(vm, 1, VM2_WRITE32, VM2_GICR(0) + VM2_GICR_ISPENDR0, 1U << SMP_PPI_B);
	RETURN_IF_FAILED();
	vm2_wait(vm, 0, SMP_PPI_B, 1);
	if (!vm2_expect("PPI 22 pending in frame 0", vm, 0, SMP_PPI_B, 1, 1))
		return;
	vm2_expect("PPI 22 pending in frame 0", vm, 1, SMP_PPI_B, 0, 1);
}

/*
 * Proves SGIs reach the vCPUs ICC_SGI1R_EL1 names: SGI 3 from vCPU 0 to TargetList {1} is taken by
 * vCPU 1 once and not by vCPU 0; SGI 5 from vCPU 1 with IRM (all but self) by vCPU 0 once; SGI 6
 * from vCPU 0 to {0, 1} by each exactly once.
 */
SMP_TEST(sgi_targets, SMP_SGI_A, SMP_SGI_B, SMP_SGI_C)
{
	vm2_cmd(vm, 0, VM2_SGI1R, VM2_SGI(SMP_SGI_A, 1U << 1), 0);
	RETURN_IF_FAILED();
	vm2_wait(vm, 1, SMP_SGI_A, 1);
	if (!vm2_expect("SGI 3 to {1}", vm, 1, SMP_SGI_A, 1, 1) ||
	    !vm2_expect("SGI 3 to {1}", vm, 0, SMP_SGI_A, 0, 0))
		return;
	vm2_cmd(vm, 1, VM2_SGI1R, VM2_SGI_ALL_OTHERS(SMP_SGI_B), 0);
	RETURN_IF_FAILED();
	vm2_wait(vm, 0, SMP_SGI_B, 1);
	if (!vm2_expect("SGI 5 to all others", vm, 0, SMP_SGI_B, 1, 1) ||
	    !vm2_expect("SGI 5 to all others", vm, 1, SMP_SGI_B, 0, 1))
		return;
	vm2_cmd(vm, 0, VM2_SGI1R, VM2_SGI(SMP_SGI_C, 3U), 0);
	RETURN_IF_FAILED();
	vm2_wait(vm, 0, SMP_SGI_C, 1);
	vm2_wait(vm, 1, SMP_SGI_C, 1);
	if (!vm2_expect("SGI 6 to {0, 1}", vm, 0, SMP_SGI_C, 1, 2))
		return;
	vm2_expect("SGI 6 to {0, 1}", vm, 1, SMP_SGI_C, 1, 2);
}

/* Doorbell @db (from db_make) bound to SMP_SPI of the VM's VIC and auto-acknowledged (every flag
 * enabled and acked), its unbind recorded; false (the fixture failure recorded) if not. */
static bool smp_db_bind_spi(struct vm2 *vm, u64 db)
{
	if (test_has_failed())
		return false;
	if (vc(GH_HVC_DOORBELL_BIND_VIRQ, db, vm->vic, SMP_SPI, 0) != 0 ||
	    vc(GH_HVC_DOORBELL_MASK, db, ~0ULL, ~0ULL, 0) != 0) {
		root_fixture_failed("fixture: doorbell bound to VIRQ %u of the VM's VIC, auto-ack",
		                    SMP_SPI);
		return false;
	}
	ipc_bound(GH_HVC_DOORBELL_UNBIND_VIRQ, db);
	return true;
}

/*
 * Proves an SPI goes to the vCPU GICD_IROUTER names, never to the vCPU on the CPU: a doorbell
 * (auto-acknowledged) bound to SPI 77 of the VIC, routed to Aff0 1 (IROUTER reads back 1), rung by
 * vCPU 0 itself (its VIC is the one on the CPU then): taken by vCPU 1 exactly once, never by vCPU
 * 0; routed to Aff0 0 and rung by vCPU 1: taken by vCPU 0 once, by vCPU 1 no more.
 */
SMP_TEST(spi_routed, SMP_SPI)
{
	u64 db = db_make(rc), route = plat.gicd + VM2_GICD_IROUTER + 8 * SMP_SPI;

	if (!smp_db_bind_spi(vm, db))
		return;
	vm2_cmd(vm, 0, VM2_WRITE32, route, 1);
	ASSERT_EQ("IROUTER read back", vm2_cmd(vm, 1, VM2_READ64, route, 0), 1);
	ASSERT_EQ("vCPU 0's doorbell_send (x0)", vm2_cmd(vm, 0, VM2_DB_SEND, db, 1), 0);
	vm2_wait(vm, 1, SMP_SPI, 1);
	if (!vm2_expect("routed to vCPU 1", vm, 1, SMP_SPI, 1, 1) ||
	    !vm2_expect("routed to vCPU 1", vm, 0, SMP_SPI, 0, 0))
		return;
	vm2_cmd(vm, 1, VM2_WRITE32, route, 0);
	ASSERT_EQ("vCPU 1's doorbell_send (x0)", vm2_cmd(vm, 1, VM2_DB_SEND, db, 1), 0);
	vm2_wait(vm, 0, SMP_SPI, 1);
	if (!vm2_expect("routed to vCPU 0", vm, 0, SMP_SPI, 1, 1))
		return;
	vm2_expect("routed to vCPU 0", vm, 1, SMP_SPI, 1, 1);
}

/*
 * Proves each vCPU's virtual timer is its own, and so is its PPI's enable: with the timer INTID
 * (the DT's, 27 on QEMU virt) enabled in frame 1 only, vCPU 1's expiry 1 ms ahead is taken by vCPU
 * 1 exactly once and vCPU 0 takes nothing; vCPU 0's own expiry, its PPI still disabled in frame 0,
 * is taken by no one; enabled there, by vCPU 0 exactly once.
 */
SMP_TEST(vtimer_per_vcpu, SMP_NONE)
{
	u64 ticks = timer_freq() / 1000 * SMP_TIMER_MS, vt = plat.vtimer_intid;

	if (vt < 16 || vt > 31)
		SKIP("the DT's virtual timer INTID %u is no PPI", plat.vtimer_intid);
	vm2_cmd(vm, 1, VM2_WRITE32, VM2_GICR(1) + VM2_GICR_ISENABLER0, 1U << vt);
	vm2_cmd(vm, 1, VM2_TIMER, ticks, 0);
	RETURN_IF_FAILED();
	vm2_wait(vm, 1, vt, 1);
	if (!vm2_expect("vCPU 1's timer", vm, 1, vt, 1, 1) ||
	    !vm2_expect("vCPU 1's timer", vm, 0, vt, 0, 0))
		return;
	vm2_cmd(vm, 0, VM2_TIMER, ticks, 0);
	RETURN_IF_FAILED();
	vm2_wait(vm, 0, vt, 1);
	if (!vm2_expect("vCPU 0's timer, disabled in frame 0", vm, 0, vt, 0, 0) ||
	    !vm2_expect("vCPU 0's timer, disabled in frame 0", vm, 1, vt, 1, 1))
		return;
	vm2_cmd(vm, 0, VM2_WRITE32, VM2_GICR(0) + VM2_GICR_ISENABLER0, 1U << vt);
	RETURN_IF_FAILED();
	vm2_wait(vm, 0, vt, 1);
	if (!vm2_expect("vCPU 0's timer, enabled", vm, 0, vt, 1, 1))
		return;
	vm2_expect("vCPU 0's timer, enabled", vm, 1, vt, 1, 1);
}

/*
 * Proves an SPI listed for a vCPU that cannot take it yet is not lost when its list registers are
 * folded back while another vCPU lists: SPI 77 (a doorbell rung by vCPU 0, routed to vCPU 1) is
 * listed for vCPU 1 while its priority mask is 0; vCPU 0 then writes the distributor (its refill
 * sees 77 listed elsewhere); vCPU 1 runs again (its list registers folded and refilled) and opens
 * its mask: it takes 77 exactly once, vCPU 0 never.
 */
SMP_TEST(spi_kept_while_masked, SMP_SPI)
{
	u64 db = db_make(rc), route = plat.gicd + VM2_GICD_IROUTER + 8 * SMP_SPI;
	u64 en = plat.gicd + VM2_GICD_ISENABLER + 4 * (SMP_SPI / 32);

	if (!smp_db_bind_spi(vm, db))
		return;
	vm2_cmd(vm, 0, VM2_WRITE32, route, 1);
	vm2_cmd(vm, 1, VM2_PMR, 0, 0);
	ASSERT_EQ("vCPU 0's doorbell_send (x0)", vm2_cmd(vm, 0, VM2_DB_SEND, db, 1), 0);
	vm2_cmd(vm, 1, VM2_NOP, 0, 0); /* listed for it now, masked */
	vm2_cmd(vm, 0, VM2_WRITE32, en, 1U << (SMP_SPI % 32));
	vm2_cmd(vm, 1, VM2_NOP, 0, 0); /* folded and refilled */
	RETURN_IF_FAILED();
	if (!vm2_expect("masked", vm, 1, SMP_SPI, 0, 0))
		return;
	vm2_cmd(vm, 1, VM2_PMR, 0xff, 0);
	RETURN_IF_FAILED();
	vm2_wait(vm, 1, SMP_SPI, 1);
	if (!vm2_expect("mask opened", vm, 1, SMP_SPI, 1, 1))
		return;
	vm2_expect("mask opened", vm, 0, SMP_SPI, 0, 0);
}

/* GICD_IROUTER Interrupt_Routing_Mode (any one vCPU may take the SPI); GICD_ICFGR: two bits per
 * INTID, the upper one set for edge-triggered; GICv2's GICD_ITARGETSR: one byte per INTID, bit n
 * CPU interface n (vCPU n). */
#define SMP_IROUTER_IRM    (1U << 31)
#define SMP_GICD_ITARGETSR 0x0800
#define SMP_ITARGETS(cpus) ((u32)(cpus) << (8 * (SMP_SPI % 4)))
#define SMP_GICD_ICFGR     0x0C00
#define SMP_GICD_ISACTIVER 0x0300
#define SMP_SPI_BIT        (1U << (SMP_SPI % 32))
#define SMP_ICFGR_EDGE     (2U << (2 * (SMP_SPI % 16)))
#define SMP_DEAD_WAIT_MS   50

/*
 * SPI 77 routed so that vCPU 0 (the one on the CPU when it rings) is given it: on GICv3 to any vCPU
 * (IROUTER.IRM), so that once vCPU 0 is dead vCPU 1 may take it as it is; on GICv2 to vCPU 0 alone
 * (ITARGETSR: humpy gives an SPI to the lowest vCPU its targets name, dead or not), and
 * smp_route_to_1 moves it to vCPU 1 once vCPU 0 is dead, as a guest moves interrupts off a CPU it
 * took down.
 */
static void smp_route_first(struct vm2 *vm)
{
	if (plat.gic_version == 2)
		vm2_cmd(vm, 0, VM2_WRITE32, plat.gicd + SMP_GICD_ITARGETSR + (SMP_SPI & ~3U),
		        SMP_ITARGETS(1U << 0));
	else
		vm2_cmd(vm, 0, VM2_WRITE32, plat.gicd + VM2_GICD_IROUTER + 8 * SMP_SPI,
		        SMP_IROUTER_IRM);
}

static void smp_route_to_1(struct vm2 *vm)
{
	u64 targets = plat.gicd + SMP_GICD_ITARGETSR + (SMP_SPI & ~3U);

	if (plat.gic_version != 2 || test_has_failed())
		return;
	vm2_cmd(vm, 1, VM2_WRITE32, targets, SMP_ITARGETS(1U << 1));
	ASSERT_EQ("GICD_ITARGETSR19 read back", vm2_cmd(vm, 1, VM2_READ32, targets, 0),
	          SMP_ITARGETS(1U << 1));
}

/* vCPU 0 dies: killed from here (off the CPU: its list registers are saved) or powered off by
 * itself (on the CPU: its list registers are live); a vCPU that is off takes a register write
 * (§2 vcpu_register_write), so the poweroff is seen done. FAILs if not. */
static void smp_vcpu0_dies(struct vm2 *vm, bool kill)
{
	u64 end = timer_now() + timer_freq() / 1000 * SMP_DEAD_WAIT_MS;

	if (test_has_failed())
		return;
	if (kill) {
		ASSERT_EQ("vcpu_kill of vCPU 0", vc(GH_HVC_VCPU_KILL, vm->thread[0], 0, 0, 0), 0);
		return;
	}
	ASSERT_EQ("vCPU 0's own vcpu_poweroff", vm2_cmd(vm, 0, VM2_POWEROFF, vm->thread[0], 0), 0);
	while (vc(GH_HVC_VCPU_REGISTER_WRITE, vm->thread[0], 0, 0, 0) != 0 && timer_now() < end)
		vc(GH_HVC_SCHEDULER_YIELD, GH_VCPU_YIELD_HINT_GENERIC, 0, 0, 0);
	ASSERT_EQ("vcpu_register_write of vCPU 0 (off)",
	          vc(GH_HVC_VCPU_REGISTER_WRITE, vm->thread[0], 0, 0, 0), 0);
}

/*
 * SPI 77 (a doorbell, auto-acknowledged, level) routed by smp_route_first, rung by vCPU 0 and so
 * listed for it: vCPU 0 takes it and holds it active (never ends it; GICD_ISACTIVER2 reads bit 13),
 * vCPU 1 takes nothing; vCPU 0 dies: 77 is no longer active (ISACTIVER2 reads 0, the dead vCPU can
 * never end it) and when the root VM rings the doorbell again vCPU 1 takes it exactly once.
 */
static void smp_dead_holder(const struct root_caps *rc, struct vm2 *vm, bool kill)
{
	u64 db = db_make(rc);
	u64 isactiver = plat.gicd + SMP_GICD_ISACTIVER + 4 * (SMP_SPI / 32);

	if (!smp_db_bind_spi(vm, db))
		return;
	vm->cpu[0]->hold[SMP_SPI / 64] |= 1ULL << (SMP_SPI % 64);
	smp_route_first(vm);
	ASSERT_EQ("vCPU 0's doorbell_send (x0)", vm2_cmd(vm, 0, VM2_DB_SEND, db, 1), 0);
	vm2_wait(vm, 0, SMP_SPI, 1);
	if (!vm2_expect("rung by vCPU 0, held active", vm, 0, SMP_SPI, 1, 1) ||
	    !vm2_expect("rung by vCPU 0, held active", vm, 1, SMP_SPI, 0, 0))
		return;
	ASSERT_EQ("GICD_ISACTIVER2 read by vCPU 0, 77 held",
	          vm2_cmd(vm, 0, VM2_READ32, isactiver, 0), SMP_SPI_BIT);
	smp_vcpu0_dies(vm, kill);
	ASSERT_EQ("GICD_ISACTIVER2 read by vCPU 1, vCPU 0 dead",
	          vm2_cmd(vm, 1, VM2_READ32, isactiver, 0), 0);
	smp_route_to_1(vm);
	ASSERT_EQ("the root VM's doorbell_send (x0)", vc(GH_HVC_DOORBELL_SEND, db, 1, 0, 0), 0);
	vm2_wait(vm, 1, SMP_SPI, 1);
	if (!vm2_expect("rung again, vCPU 0 dead", vm, 1, SMP_SPI, 1, 1))
		return;
	vm2_expect("rung again, vCPU 0 dead", vm, 0, SMP_SPI, 1, 1);
}

/*
 * Proves an SPI a killed vCPU held active goes to another vCPU of its VM (§2 vcpu_kill; issue 10
 * point 6, a VM's vCPU that cannot go on is stopped alone): smp_dead_holder with vcpu_kill. While
 * the dead vCPU's list registers still held 77 (listed, active), no other vCPU would be given it.
 */
SMP_ANY_GIC_TEST(killed_holder_spi_moves, SMP_SPI)
{
	smp_dead_holder(rc, vm, true);
}

/*
 * Proves the same for a vCPU that powers itself off holding the SPI active (§2 vcpu_poweroff: it
 * leaves the CPU with 77 live in its list registers): vCPU 1 takes the next ring exactly once.
 */
SMP_ANY_GIC_TEST(poweroff_holder_spi_moves, SMP_SPI)
{
	smp_dead_holder(rc, vm, false);
}

/*
 * Proves a pending edge SPI listed for a vCPU that is killed before it takes it is not lost: SPI
 * 77 configured edge (GICD_ICFGR), routed by smp_route_first, rung by vCPU 0 whose priority mask
 * is 0 (listed for it, pending, not taken; vCPU 1 runs and takes nothing); vCPU 0 killed (and on
 * GICv2 the SPI routed to vCPU 1): vCPU 1 takes 77 exactly once with no new ring (the latch the
 * dead vCPU's list register held comes back).
 */
SMP_ANY_GIC_TEST(killed_pending_spi_moves, SMP_SPI)
{
	u64 db = db_make(rc);
	u64 icfgr = plat.gicd + SMP_GICD_ICFGR + 4 * (SMP_SPI / 16);

	if (!smp_db_bind_spi(vm, db))
		return;
	vm2_cmd(vm, 0, VM2_WRITE32, icfgr, SMP_ICFGR_EDGE);
	ASSERT_EQ("ICFGR read back", vm2_cmd(vm, 1, VM2_READ32, icfgr, 0), SMP_ICFGR_EDGE);
	smp_route_first(vm);
	vm2_cmd(vm, 0, VM2_PMR, 0, 0);
	ASSERT_EQ("vCPU 0's doorbell_send (x0)", vm2_cmd(vm, 0, VM2_DB_SEND, db, 1), 0);
	vm2_cmd(vm, 1, VM2_NOP, 0, 0);
	vm2_cmd(vm, 0, VM2_NOP, 0, 0);
	RETURN_IF_FAILED();
	if (!vm2_expect("pending for vCPU 0 (masked)", vm, 0, SMP_SPI, 0, 0) ||
	    !vm2_expect("pending for vCPU 0 (masked)", vm, 1, SMP_SPI, 0, 0))
		return;
	smp_vcpu0_dies(vm, true);
	smp_route_to_1(vm);
	vm2_wait(vm, 1, SMP_SPI, 1);
	if (!vm2_expect("vCPU 0 killed", vm, 1, SMP_SPI, 1, 1))
		return;
	vm2_expect("vCPU 0 killed", vm, 0, SMP_SPI, 0, 0);
}

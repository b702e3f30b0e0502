/* gic: distributor set-up for SPIs and the acknowledge, through ICC_* on GICv3 or the memory-mapped
 * CPU interface (GICC) on GICv2, as the boot DT's slot says (IRQs stay masked in PSTATE: the RM
 * never takes an exception for them, it only wakes from WFI and acknowledges). */
#include "gic.h"

#include "boot_info.h"

#define GICD_CTLR         0x0000U
#define GICD_CTLR_RWP     (1U << 31)
#define GICD_CTLR_ARE     (1U << 4)
#define GICD_CTLR_GRP1    (1U << 1)
#define GICD_IGROUPR      0x0080U
#define GICD_ISENABLER    0x0100U
#define GICD_ICENABLER    0x0180U
#define GICD_IPRIORITYR   0x0400U
#define GICD_IROUTER      0x6000U
#define GICD_ITARGETSR    0x0800U
#define GICD_CTLR_V2_EN   0x3U /* GICv2: EnableGrp0, EnableGrp1 */
#define GICC_CTLR         0x0000U
#define GICC_PMR          0x0004U
#define GICC_IAR          0x000CU
#define GICC_EOIR         0x0010U
#define GICC_CTLR_EN      0x7U   /* EnableGrp0, EnableGrp1, AckCtl (IAR takes group 1 too) */
#define GICC_IAR_ID       0x3FFU /* INTID 9:0 (CPUID 12:10: an SGI's sender) */
#define GIC_V2_CPU0       0x1U   /* ITARGETSR: CPU interface 0, the RM's one vCPU */
#define GICR_WAKER        0x0014U
#define GICR_WAKER_ASLEEP (1U << 2)
#define GIC_SPIN_MAX      100000U
#define GIC_PRIO          0x80U

static uint64_t gic_d;
static uint64_t gic_c; /* GICv2's CPU interface; 0 on GICv3 */

static uint32_t rd32(uint64_t a)
{
	return *(volatile uint32_t *)(uintptr_t)a;
}

static void wr32(uint64_t a, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)a = v;
}

static void gic_v3_init(uint64_t gicd, uint64_t gicr)
{
	wr32(gicd + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_GRP1);
	for (unsigned i = 0; i < GIC_SPIN_MAX && (rd32(gicd + GICD_CTLR) & GICD_CTLR_RWP); i++) {
	}
	wr32(gicr + GICR_WAKER, 0);
	for (unsigned i = 0; i < GIC_SPIN_MAX && (rd32(gicr + GICR_WAKER) & GICR_WAKER_ASLEEP);
	     i++) {
	}
	__asm__ volatile("msr icc_sre_el1, %0" ::"r"(7ULL));
	__asm__ volatile("isb");
	__asm__ volatile("msr icc_pmr_el1, %0" ::"r"(0xffULL));
	__asm__ volatile("msr icc_bpr1_el1, %0" ::"r"(0ULL));
	__asm__ volatile("msr icc_igrpen1_el1, %0" ::"r"(1ULL));
	__asm__ volatile("isb");
}

void gic_init(const struct rm_boot_info *boot)
{
	gic_d = boot->gicd;
	if (boot->gic_version != 2) {
		gic_c = 0;
		gic_v3_init(boot->gicd, boot->gicr);
		return;
	}
	gic_c = boot->gicc;
	wr32(gic_d + GICD_CTLR, GICD_CTLR_V2_EN);
	wr32(gic_c + GICC_PMR, 0xffU);
	wr32(gic_c + GICC_CTLR, GICC_CTLR_EN);
	__asm__ volatile("dsb sy" ::: "memory");
}

void gic_enable_spi(uint32_t intid)
{
	uint64_t mpidr;
	uint64_t prio = gic_d + GICD_IPRIORITYR + (intid & ~3U);
	unsigned shift = 8U * (intid % 4U);

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
	wr32(gic_d + GICD_IGROUPR + 4U * (intid / 32U),
	     rd32(gic_d + GICD_IGROUPR + 4U * (intid / 32U)) | (1U << (intid % 32U)));
	/* Word accesses: an emulated distributor need not take bytes. */
	wr32(prio, (rd32(prio) & ~(0xffU << shift)) | (GIC_PRIO << shift));
	if (gic_c != 0U) {
		uint64_t targets = gic_d + GICD_ITARGETSR + (intid & ~3U);

		wr32(targets, (rd32(targets) & ~(0xffU << shift)) | (GIC_V2_CPU0 << shift));
	} else {
		wr32(gic_d + GICD_IROUTER + 8U * intid, (uint32_t)(mpidr & 0xffffffU));
		wr32(gic_d + GICD_IROUTER + 8U * intid + 4U, (uint32_t)(mpidr >> 32) & 0xffU);
	}
	__asm__ volatile("dsb sy" ::: "memory");
	wr32(gic_d + GICD_ISENABLER + 4U * (intid / 32U), 1U << (intid % 32U));
}

void gic_disable_spi(uint32_t intid)
{
	wr32(gic_d + GICD_ICENABLER + 4U * (intid / 32U), 1U << (intid % 32U));
	__asm__ volatile("dsb sy" ::: "memory");
}

uint32_t gic_ack(void)
{
	uint64_t intid;

	if (gic_c != 0U) {
		uint32_t iar = rd32(gic_c + GICC_IAR);

		if ((iar & GICC_IAR_ID) < 1020U) {
			wr32(gic_c + GICC_EOIR, iar);
			__asm__ volatile("dsb sy" ::: "memory");
		}
		return (iar & GICC_IAR_ID) < 1020U ? iar & GICC_IAR_ID : GIC_SPURIOUS;
	}
	__asm__ volatile("mrs %0, icc_iar1_el1" : "=r"(intid));
	if ((intid & 0xffffffU) < 1020U) {
		__asm__ volatile("msr icc_eoir1_el1, %0" ::"r"(intid));
		__asm__ volatile("isb");
	}
	return (uint32_t)(intid & 0xffffffU);
}

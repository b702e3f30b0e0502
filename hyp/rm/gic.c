/* gic: distributor set-up for SPIs and the ICC_* acknowledge (IRQs stay masked in PSTATE: the RM
 * never takes an exception for them, it only wakes from WFI and acknowledges). */
#include "gic.h"

#define GICD_CTLR         0x0000U
#define GICD_CTLR_RWP     (1U << 31)
#define GICD_CTLR_ARE     (1U << 4)
#define GICD_CTLR_GRP1    (1U << 1)
#define GICD_IGROUPR      0x0080U
#define GICD_ISENABLER    0x0100U
#define GICD_ICENABLER    0x0180U
#define GICD_IPRIORITYR   0x0400U
#define GICD_IROUTER      0x6000U
#define GICR_WAKER        0x0014U
#define GICR_WAKER_ASLEEP (1U << 2)
#define GIC_SPIN_MAX      100000U
#define GIC_PRIO          0x80U

static uint64_t gic_d;

static uint32_t rd32(uint64_t a)
{
	return *(volatile uint32_t *)(uintptr_t)a;
}

static void wr32(uint64_t a, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)a = v;
}

void gic_init(uint64_t gicd, uint64_t gicr)
{
	gic_d = gicd;
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
	wr32(gic_d + GICD_IROUTER + 8U * intid, (uint32_t)(mpidr & 0xffffffU));
	wr32(gic_d + GICD_IROUTER + 8U * intid + 4U, (uint32_t)(mpidr >> 32) & 0xffU);
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

	__asm__ volatile("mrs %0, icc_iar1_el1" : "=r"(intid));
	if ((intid & 0xffffffU) < 1020U) {
		__asm__ volatile("msr icc_eoir1_el1, %0" ::"r"(intid));
		__asm__ volatile("isb");
	}
	return (uint32_t)(intid & 0xffffffU);
}

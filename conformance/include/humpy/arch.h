/* AArch64 system-register access and barriers used by the guest at EL1. */
#ifndef HUMPY_ARCH_H
#define HUMPY_ARCH_H

#include <humpy/types.h>

#define sysreg_read(reg)                                                                           \
	({                                                                                         \
		u64 v_;                                                                            \
		__asm__ volatile("mrs %0, " #reg : "=r"(v_));                                      \
		v_;                                                                                \
	})
#define sysreg_write(reg, val) __asm__ volatile("msr " #reg ", %0" ::"r"((u64)(val)) : "memory")

#define isb()      __asm__ volatile("isb" ::: "memory")
#define dsb(opt)   __asm__ volatile("dsb " #opt ::: "memory")
#define irq_mask() __asm__ volatile("msr daifset, #3" ::: "memory")
/* IRQ and FIQ both: the timer PPI may be group 0 (FIQ) on a GIC without security. */
#define irq_unmask() __asm__ volatile("msr daifclr, #3" ::: "memory")

static inline u32 mmio_read32(u64 addr)
{
	u32 v;
	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void mmio_write32(u64 addr, u32 v)
{
	__asm__ volatile("str %w0, [%1]" ::"r"(v), "r"(addr) : "memory");
}

static inline u64 mmio_read64(u64 addr)
{
	u64 v;
	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

/* Generic-timer helpers: the virtual counter is what the time limit and delays run on. */
static inline u64 timer_now(void)
{
	isb();
	return sysreg_read(cntvct_el0);
}

static inline u64 timer_freq(void)
{
	return sysreg_read(cntfrq_el0);
}

#endif

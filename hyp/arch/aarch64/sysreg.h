/* sysreg: system register access and the EL2 register bits hyp/arch/aarch64 uses. */
#ifndef SYSREG_H
#define SYSREG_H

#include "util.h"

/* Two levels, so a register given as a macro (ZCR_EL2 below) expands before it is quoted. */
#define read_sysreg(r) read_sysreg_(r)
#define read_sysreg_(r)                                                                            \
	({                                                                                         \
		uint64_t __v;                                                                      \
		__asm__ volatile("mrs %0, " #r : "=r"(__v));                                       \
		__v;                                                                               \
	})
#define write_sysreg(r, v)  write_sysreg_(r, v)
#define write_sysreg_(r, v) __asm__ volatile("msr " #r ", %0" : : "r"((uint64_t)(v)) : "memory")
#define isb()               __asm__ volatile("isb" : : : "memory")
#define dsb(opt)            __asm__ volatile("dsb " #opt : : : "memory")

/* Registers the assembler may not know by name. */
#define ZCR_EL2 S3_4_C1_C2_0

#endif

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

/* ESR_ELx */
#define ESR_EC_SHIFT     26
#define ESR_EC_UNKNOWN   0x00
#define ESR_EC_HVC64     0x16
#define ESR_EC_SMC64     0x17
#define ESR_EC_SYSREG    0x18
#define ESR_EC_IABT_LOW  0x20
#define ESR_EC_IABT_CUR  0x21
#define ESR_EC_DABT_LOW  0x24
#define ESR_EC_DABT_CUR  0x25
#define ESR_IL           BIT(25)
#define ESR_ISS_MASK     0x1FFFFFFull
#define ESR_DA_ISV       BIT(24)
#define ESR_DA_SAS_SHIFT 22
#define ESR_DA_SSE       BIT(21)
#define ESR_DA_SRT_SHIFT 16
#define ESR_DA_SF        BIT(15)
#define ESR_DA_WNR       BIT(6)
#define ESR_FSC_MASK     0x3F
#define ESR_FSC_SEA      0x10 /* synchronous external abort */

/* SPSR / PSTATE */
#define PSR_MODE_MASK 0x1F
#define PSR_MODE_EL0t 0x00
#define PSR_MODE_EL1t 0x04
#define PSR_MODE_EL1h 0x05
#define PSR_MODE_AA32 0x10
#define PSR_F         BIT(6)
#define PSR_I         BIT(7)
#define PSR_A         BIT(8)
#define PSR_D         BIT(9)
#define PSR_DAIF      (PSR_D | PSR_A | PSR_I | PSR_F)
#define PSR_BTYPE     (3ull << 10)
#define PSR_SSBS      BIT(12)
#define PSR_IL        BIT(20)
#define PSR_SS        BIT(21)
#define PSR_PAN       BIT(22)
#define PSR_UAO       BIT(23)
#define PSR_TCO       BIT(25)

#endif

/* esr: exception syndromes (ESR_ELx) and exception entry (SPSR, PSTATE, vector offset) as pure
 * encoders and decoders: no system-register access, no state; builds on the host (fuzz, tests). */
#ifndef ESR_H
#define ESR_H

#include "util.h"

/* ESR_ELx (Arm ARM D19.2: EC 31:26, IL 25, ISS 24:0) */
#define ESR_EC_SHIFT    26
#define ESR_EC_MASK     0x3Fu
#define ESR_EC_UNKNOWN  0x00
#define ESR_EC_HVC64    0x16
#define ESR_EC_SMC64    0x17
#define ESR_EC_SYSREG   0x18
#define ESR_EC_IABT_LOW 0x20
#define ESR_EC_IABT_CUR 0x21
#define ESR_EC_DABT_LOW 0x24
#define ESR_EC_DABT_CUR 0x25
#define ESR_IL          BIT(25)
#define ESR_ISS_MASK    0x1FFFFFFull
#define ESR_FSC_MASK    0x3F
#define ESR_FSC_SEA     0x10 /* synchronous external abort */

/* Data-abort ISS (EC 0x24/0x25). VNCR (13) and SET (12:11) are not decoded. */
#define ESR_DA_ISV       BIT(24)
#define ESR_DA_SAS_SHIFT 22
#define ESR_DA_SSE       BIT(21)
#define ESR_DA_SRT_SHIFT 16
#define ESR_DA_SF        BIT(15)
#define ESR_DA_AR        BIT(14)
#define ESR_DA_FNV       BIT(10)
#define ESR_DA_EA        BIT(9)
#define ESR_DA_CM        BIT(8)
#define ESR_DA_S1PTW     BIT(7)
#define ESR_DA_WNR       BIT(6)
/* Every bit esr_dabt_decode reads, EC and IL included. */
#define ESR_DA_DECODED                                                                             \
	((uint64_t)ESR_EC_MASK << ESR_EC_SHIFT | ESR_IL | ESR_DA_ISV | 3ull << ESR_DA_SAS_SHIFT |  \
	 ESR_DA_SSE | 31ull << ESR_DA_SRT_SHIFT | ESR_DA_SF | ESR_DA_AR | ESR_DA_FNV | ESR_DA_EA | \
	 ESR_DA_CM | ESR_DA_S1PTW | ESR_DA_WNR | ESR_FSC_MASK)

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
#define PSR_NZCV      0xF0000000ull

#define SCTLR_EL1_SPAN  BIT(23)
#define SCTLR_EL1_DSSBS BIT(44)

/* A trapped data abort's syndrome, field by field. */
struct esr_dabt {
	uint8_t ec;   /* ESR_EC_DABT_LOW or _CUR */
	bool il;      /* 32-bit instruction */
	bool isv;     /* the fields sas..ar are valid */
	uint8_t sas;  /* log2 of the access size, 0..3 */
	bool sse;     /* sign-extend a load */
	uint8_t srt;  /* transfer register, 0..31 (31: XZR) */
	bool sf;      /* 64-bit register */
	bool ar;      /* acquire/release */
	bool fnv;     /* FAR not valid */
	bool ea;      /* external abort type */
	bool cm;      /* cache maintenance */
	bool s1ptw;   /* on a stage-1 walk */
	bool wnr;     /* write */
	uint8_t dfsc; /* fault status code, 0..0x3F */
};

/* The CPU state exception entry depends on (read by the caller, passed by value). */
struct esr_cpu {
	uint64_t id_aa64mmfr1;
	uint64_t id_aa64pfr1;
	uint64_t sctlr_el1;
};

/* Exception class of a syndrome; inline so the hypercall path pays no call for it. */
static inline unsigned esr_ec(uint64_t esr)
{
	return (unsigned)(esr >> ESR_EC_SHIFT) & ESR_EC_MASK;
}

struct esr_dabt esr_dabt_decode(uint64_t esr);
/* The syndrome of @d; fields out of range are truncated to their width. */
uint64_t esr_dabt_encode(const struct esr_dabt *d);
/* DFSC 0b0001xx: translation fault at level 0..3 (the MMIO emulation trigger). */
bool esr_dabt_is_translation(const struct esr_dabt *d);
/* Bytes the access moves (ISV set): 1, 2, 4 or 8. */
unsigned esr_dabt_size(const struct esr_dabt *d);
/* What a store writes: @reg cut to the access size. */
uint64_t esr_dabt_store_value(const struct esr_dabt *d, uint64_t reg);
/* What a load leaves in its register: @val cut to the access size, sign-extended with SSE, cut to
 * 32 bits without SF. */
uint64_t esr_dabt_load_value(const struct esr_dabt *d, uint64_t val);

/* True when @spsr is EL1t or EL1h (exceptions are taken "from the current EL"). */
bool esr_from_el1(uint64_t spsr);
/* ESR_EL1 of the synchronous external abort injected for a stage-2 fault: EC from @is_data and
 * the guest's EL, IL from @esr_el2, FSC 0x10, the rest of the ISS 0 (as upstream Gunyah). */
uint64_t esr_inject_abort(uint64_t spsr, uint64_t esr_el2, bool is_data);
/* ESR_EL1 of an Unknown-reason exception (EC 0, IL from @esr_el2). */
uint64_t esr_inject_undef(uint64_t esr_el2);
/* Offset from VBAR_EL1 of the synchronous vector an exception from @spsr takes at EL1. */
uint64_t esr_vector_offset(uint64_t spsr);
/* PSTATE on entry to EL1h from @spsr, per the architecture's rules for taking an exception. */
uint64_t esr_entry_pstate(uint64_t spsr, const struct esr_cpu *cpu);

#endif

/* Exceptions at EL1: "expect an exception" for tests, and the record of what was taken. */
#ifndef HUMPY_EXC_H
#define HUMPY_EXC_H

#include <humpy/frame.h>
#include <humpy/types.h>

#define ESR_EC_SHIFT    26
#define ESR_EC(esr)     (((esr) >> ESR_EC_SHIFT) & 0x3f)
#define ESR_IL          (1ULL << 25)
#define ESR_ISS_MASK    0x1ffffffULL
#define ESR_EC_UNKNOWN  0x00
#define ESR_EC_BRK      0x3c
#define ESR_EC_DABT_CUR 0x25
#define ESR_EC_IABT_CUR 0x21
#define ESR_FSC_SEA     0x10 /* synchronous external abort, not on a table walk */

/* PSTATE fields as SPSR_EL1 lays them out (Arm ARM: SPSR_EL1 for an exception from AArch64). */
#define PSTATE_M_MASK 0xfULL /* M[3:0]: EL in 3:2, SP selection in 0 */
#define PSTATE_M_EL1H 0x5ULL /* EL1 with SP_EL1 */
#define PSTATE_DAIF   (0xfULL << 6)
#define PSTATE_SSBS   (1ULL << 12)
#define PSTATE_IL     (1ULL << 20)
#define PSTATE_SS     (1ULL << 21)
#define PSTATE_PAN    (1ULL << 22)
#define PSTATE_UAO    (1ULL << 23)

struct exc_record {
	bool taken;
	u64 esr;
	u64 far;
	u64 elr;
	u64 spsr;   /* SPSR_EL1: the interrupted PSTATE */
	u64 pstate; /* PSTATE in the handler, on entry (exc_pstate_now), fields of exc_pstate_mask
	             */
};

/*
 * Between begin and end, one synchronous exception at EL1 is recorded instead of reported, and
 * execution resumes at the instruction after the one that faulted. Use single-instruction
 * accesses (probe_*) so "the next instruction" is well defined.
 */
void exc_expect_begin(void);
struct exc_record exc_expect_end(void);
void exc_reset(void);

u32 probe_read32(u64 addr);
u64 probe_read64(u64 addr);
void probe_write32(u64 addr, u32 value);
extern const char probe_read32_insn[], probe_read64_insn[], probe_write32_insn[];

/* Reads/writes that tolerate an abort: false if the access faulted. */
bool probe_try_read32(u64 addr, u32 *out);
bool probe_try_write32(u64 addr, u32 value);

const char *exc_kind_name(unsigned kind);

/*
 * The current PSTATE in SPSR layout, as far as EL1 can read it: M[3:0] (CurrentEL, SPSel), DAIF,
 * and PAN, UAO, SSBS where the CPU has them (exc_pstate_mask says which fields are real).
 */
u64 exc_pstate_now(void);
u64 exc_pstate_mask(void);
/* Reads the ID registers exc_pstate_mask needs (once, at boot: they may trap to the hypervisor). */
void exc_init(void);

#endif

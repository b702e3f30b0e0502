/* fault: what the stage-2 fault tests share (tests/fault/, reference section 8). */
#ifndef HUMPY_FAULT_H
#define HUMPY_FAULT_H

#include <humpy/exc.h>
#include <humpy/test.h>
#include <humpy/profile.h>

/*
 * The syndrome the hypervisor injects for a stage-2 fault it does not handle (reference section 8):
 * a synchronous external abort, EC data or instruction abort from the current EL, IL as the
 * trapped A64 instruction (1), ISV, WnR and every other ISS bit clear, FSC 0x10.
 */
#define FAULT_ESR_DABT ((u64)(((u64)ESR_EC_DABT_CUR << ESR_EC_SHIFT) | ESR_IL | ESR_FSC_SEA))
#define FAULT_ESR_IABT ((u64)(((u64)ESR_EC_IABT_CUR << ESR_EC_SHIFT) | ESR_IL | ESR_FSC_SEA))
/* An UNDEFINED A64 instruction at EL1: EC 0 (unknown reason), IL 1, ISS 0 (Arm ARM D19.2). */
#define FAULT_ESR_UNDEF ((u64)(((u64)ESR_EC_UNKNOWN << ESR_EC_SHIFT) | ESR_IL))

/* One exception recorded: taken, ESR, FAR and ELR exactly (SPSR and PSTATE are stage2.*'s). */
#define ASSERT_FAULT(what, rec, esr_, far_, elr_)                                                  \
	do {                                                                                       \
		const struct exc_record *fr_ = &(rec);                                             \
		if (!fr_->taken) {                                                                 \
			test_fail("%s: no exception taken", (what));                               \
			return;                                                                    \
		}                                                                                  \
		if (fr_->esr != (u64)(esr_)) {                                                     \
			test_fail("%s: ESR_EL1 expected 0x%lx got 0x%lx", (what), (u64)(esr_),     \
			          fr_->esr);                                                       \
			return;                                                                    \
		}                                                                                  \
		if (fr_->far != (u64)(far_)) {                                                     \
			test_fail("%s: FAR_EL1 expected 0x%lx got 0x%lx", (what), (u64)(far_),     \
			          fr_->far);                                                       \
			return;                                                                    \
		}                                                                                  \
		if (fr_->elr != (u64)(elr_)) {                                                     \
			test_fail("%s: ELR_EL1 expected 0x%lx got 0x%lx", (what), (u64)(elr_),     \
			          fr_->elr);                                                       \
			return;                                                                    \
		}                                                                                  \
	} while (0)

/*
 * An instruction fetch at `va` (blr): an expected abort there resumes at va + 4, so `va` must be
 * the last word of a window page whose next page holds a `ret` (fault_exec_setup).
 */
void fault_exec(u64 va);
/*
 * Prepares window page `page` to be fetched from: maps it to `ipa` executable at stage 1 and page
 * + 1 to a backing page holding `ret`; returns the VA to give fault_exec (the last word of `page`).
 */
u64 fault_exec_setup(unsigned page, u64 ipa);

#define FAULT_SELF_AS_PROP "humpy,root-addrspace-cap"
#define FAULT_NO_SELF_AS                                                                           \
	"no cap to the root VM's own address space (/chosen humpy,root-addrspace-cap absent or "   \
	"all "                                                                                     \
	"ones)"

#endif

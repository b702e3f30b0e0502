/*
 * vcpu_context: the part of a vCPU's context only the AArch64 context switch (vcpu.c) touches:
 * EL1 system registers, FP/SIMD, the virtual timer and the GIC virtual CPU interface.
 */
#ifndef VCPU_CONTEXT_H
#define VCPU_CONTEXT_H

#include <stdint.h>

/*
 * Every EL1 (and EL0) system register the guest owns, once: X(field, register name). The switch
 * saves and loads exactly this list (SP_EL0/SP_EL1 are here too; the pointer-authentication keys
 * because HCR_EL2.APK/API give the guest its keys).
 */
#define VCPU_EL1_REGS(X)                                                                           \
	X(sctlr, sctlr_el1)                                                                        \
	X(actlr, actlr_el1)                                                                        \
	X(cpacr, cpacr_el1)                                                                        \
	X(ttbr0, ttbr0_el1)                                                                        \
	X(ttbr1, ttbr1_el1)                                                                        \
	X(tcr, tcr_el1)                                                                            \
	X(mair, mair_el1)                                                                          \
	X(amair, amair_el1)                                                                        \
	X(esr, esr_el1)                                                                            \
	X(far, far_el1)                                                                            \
	X(afsr0, afsr0_el1)                                                                        \
	X(afsr1, afsr1_el1)                                                                        \
	X(par, par_el1)                                                                            \
	X(vbar, vbar_el1)                                                                          \
	X(contextidr, contextidr_el1)                                                              \
	X(tpidr_el1, tpidr_el1)                                                                    \
	X(tpidr_el0, tpidr_el0)                                                                    \
	X(tpidrro_el0, tpidrro_el0)                                                                \
	X(sp_el0, sp_el0)                                                                          \
	X(sp_el1, sp_el1)                                                                          \
	X(elr, elr_el1)                                                                            \
	X(spsr, spsr_el1)                                                                          \
	X(csselr, csselr_el1)                                                                      \
	X(cntkctl, cntkctl_el1)                                                                    \
	X(mdscr, mdscr_el1)

/* The pointer-authentication keys (when the CPU has them: HCR_EL2.APK/API give them to the guest).
 */
#define VCPU_PAUTH_REGS(X)                                                                         \
	X(apiakeylo, APIAKEYLO_EL1)                                                                \
	X(apiakeyhi, APIAKEYHI_EL1)                                                                \
	X(apibkeylo, APIBKEYLO_EL1)                                                                \
	X(apibkeyhi, APIBKEYHI_EL1)                                                                \
	X(apdakeylo, APDAKEYLO_EL1)                                                                \
	X(apdakeyhi, APDAKEYHI_EL1)                                                                \
	X(apdbkeylo, APDBKEYLO_EL1)                                                                \
	X(apdbkeyhi, APDBKEYHI_EL1)                                                                \
	X(apgakeylo, APGAKEYLO_EL1)                                                                \
	X(apgakeyhi, APGAKEYHI_EL1)

/*
 * The allocation-tag state of FEAT_MTE2 (when the CPU has it: HCR_EL2.ATA gives the guest its
 * tags): the tag-exclusion and random-seed registers IRG uses, and the two asynchronous Tag Check
 * Fault status registers, which the CPU sets while the vCPU runs. SCTLR_EL1 (ATA, ATA0, TCF, TCF0,
 * ITFSB) and TCR_EL1 (TBI, TCMA) are switched with the list above.
 */
#define VCPU_MTE_REGS(X)                                                                           \
	X(gcr, GCR_EL1)                                                                            \
	X(rgsr, RGSR_EL1)                                                                          \
	X(tfsr, TFSR_EL1)                                                                          \
	X(tfsre0, TFSRE0_EL1)

#define VCPU_CTX_FIELD_(field, reg) uint64_t field;

struct vcpu_el1 {
	VCPU_EL1_REGS(VCPU_CTX_FIELD_)
	VCPU_PAUTH_REGS(VCPU_CTX_FIELD_)
	VCPU_MTE_REGS(VCPU_CTX_FIELD_)
};

#define VCPU_GIC_MAX_LRS  16
#define VCPU_GIC_MAX_APRS 4

struct vcpu_context {
	struct vcpu_el1 el1;
	/* FP/SIMD: V0..V31 (two words each), FPSR, FPCR; saved eagerly on a switch (README). */
	uint64_t fp_v[64];
	uint64_t fpsr;
	uint64_t fpcr;
	/* The EL1 virtual timer. */
	uint64_t cntv_ctl;
	uint64_t cntv_cval;
	/* The GIC virtual CPU interface: list registers, VMCR, active priorities, HCR. */
	uint64_t ich_lr[VCPU_GIC_MAX_LRS];
	uint64_t ich_ap0r[VCPU_GIC_MAX_APRS];
	uint64_t ich_ap1r[VCPU_GIC_MAX_APRS];
	uint64_t ich_vmcr;
	uint64_t ich_hcr;
	/* EL2 controls that differ between vCPUs: HCR_EL2 (its VSE is a pending virtual SError),
	 * the PMU/debug traps, the EL1 physical timer's, its Stage 2 and its MPIDR. */
	uint64_t hcr;
	uint64_t mdcr;
	uint64_t cnthctl;
	uint64_t vttbr;
	uint64_t vmpidr;
	/* While it waits in WFI (sched_wait): CNTPCT at which its virtual timer fires, or ~0. */
	uint64_t wake_at;
};

#endif

/*
 * EL2-only system registers from the VM's EL1: every read and write is UNDEFINED (the hypervisor
 * gives EL1 no nested virtualisation), taken at EL1 as EC 0 with IL 1 and ISS 0, ELR = the
 * instruction; the register keeps its value and the guest runs on.
 */
#include <humpy/fault.h>

/* One probe per access: x0 = what a read returned (or the value a write gave), 0x5a preset. */
#define SYSREG_PROBE(name, insn)                                                                   \
	".global " #name ", " #name "_insn\n" #name ":\n"                                          \
	"	mov	x0, #0x5a\n" #name "_insn:\n"                                              \
	"	" insn "\n"                                                                        \
	"	ret\n"

/* Registers by encoding: the assembler's -march=armv8-a does not know every EL2 name. */
__asm__(".text\n" SYSREG_PROBE(sr_hcr_r, "mrs x0, S3_4_C1_C1_0") SYSREG_PROBE(
    sr_hcr_w, "msr S3_4_C1_C1_0, x0") SYSREG_PROBE(sr_vttbr_r, "mrs x0, S3_4_C2_C1_0")
            SYSREG_PROBE(sr_vttbr_w, "msr S3_4_C2_C1_0, x0") SYSREG_PROBE(
                sr_vtcr_r, "mrs x0, S3_4_C2_C1_2") SYSREG_PROBE(sr_sctlr2_r, "mrs x0, S3_4_C1_C0_0")
                SYSREG_PROBE(sr_esr2_r, "mrs x0, S3_4_C5_C2_0") SYSREG_PROBE(sr_elr2_r,
                                                                             "mrs x0, S3_4_C4_C0_1")
                    SYSREG_PROBE(sr_vbar2_w, "msr S3_4_C12_C0_0, x0")
                        SYSREG_PROBE(sr_tpidr2_r, "mrs x0, S3_4_C13_C0_2")
                            SYSREG_PROBE(sr_cptr2_w, "msr S3_4_C1_C1_2, x0")
                                SYSREG_PROBE(sr_mdcr2_r, "mrs x0, S3_4_C1_C1_1")
                                    SYSREG_PROBE(sr_cnthctl_w, "msr S3_4_C14_C1_0, x0")
                                        SYSREG_PROBE(sr_cntvoff_r, "mrs x0, S3_4_C14_C0_3")
                                            SYSREG_PROBE(sr_ich_hcr_r, "mrs x0, S3_4_C12_C11_0")
                                                SYSREG_PROBE(sr_hpfar_r, "mrs x0, S3_4_C6_C0_4"));

#define SR_LIST(X)                                                                                 \
	X(sr_hcr_r, "mrs HCR_EL2")                                                                 \
	X(sr_hcr_w, "msr HCR_EL2")                                                                 \
	X(sr_vttbr_r, "mrs VTTBR_EL2")                                                             \
	X(sr_vttbr_w, "msr VTTBR_EL2")                                                             \
	X(sr_vtcr_r, "mrs VTCR_EL2")                                                               \
	X(sr_sctlr2_r, "mrs SCTLR_EL2")                                                            \
	X(sr_esr2_r, "mrs ESR_EL2")                                                                \
	X(sr_elr2_r, "mrs ELR_EL2")                                                                \
	X(sr_vbar2_w, "msr VBAR_EL2")                                                              \
	X(sr_tpidr2_r, "mrs TPIDR_EL2")                                                            \
	X(sr_cptr2_w, "msr CPTR_EL2")                                                              \
	X(sr_mdcr2_r, "mrs MDCR_EL2")                                                              \
	X(sr_cnthctl_w, "msr CNTHCTL_EL2")                                                         \
	X(sr_cntvoff_r, "mrs CNTVOFF_EL2")                                                         \
	X(sr_ich_hcr_r, "mrs ICH_HCR_EL2")                                                         \
	X(sr_hpfar_r, "mrs HPFAR_EL2")

#define SR_DECLARE(fn, what)                                                                       \
	extern u64 fn(void);                                                                       \
	extern const char fn##_insn[];
SR_LIST(SR_DECLARE)

struct sr_probe {
	u64 (*fn)(void);
	const char *insn;
	const char *what;
};

#define SR_ENTRY(fn, what) {fn, fn##_insn, what},
static const struct sr_probe sr_probes[] = {SR_LIST(SR_ENTRY)};

/*
 * Proves each of 16 EL2-only registers (HCR, VTTBR, VTCR, SCTLR, ESR, ELR, VBAR, TPIDR, CPTR,
 * MDCR, CNTHCTL, CNTVOFF, ICH_HCR, HPFAR of EL2; reads and writes) is UNDEFINED at EL1: ESR
 * 0x02000000, ELR = the instruction, FAR not compared (UNKNOWN for EC 0), x0 unchanged.
 */
TEST(fault, el2_sysreg_undef)
{
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(sr_probes); i++) {
		const struct sr_probe *p = &sr_probes[i];
		struct exc_record rec;
		u64 x0;

		exc_expect_begin();
		x0 = p->fn();
		rec = exc_expect_end();
		if (!rec.taken) {
			test_fail("%s: no exception (x0 0x%lx)", p->what, x0);
			return;
		}
		if (rec.esr != FAULT_ESR_UNDEF || rec.elr != (u64)(uintptr_t)p->insn) {
			test_fail(
			    "%s: ESR_EL1 expected 0x%lx got 0x%lx, ELR_EL1 expected 0x%lx got "
			    "0x%lx",
			    p->what, FAULT_ESR_UNDEF, rec.esr, (u64)(uintptr_t)p->insn, rec.elr);
			return;
		}
		if (x0 != 0x5a) {
			test_fail("%s: x0 expected 0x5a got 0x%lx", p->what, x0);
			return;
		}
	}
}

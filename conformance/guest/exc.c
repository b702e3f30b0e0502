/* Exception dispatch: expected faults are recorded, IRQs go to the time limit, the rest abandon. */
#include <humpy/arch.h>
#include <humpy/console.h>
#include <humpy/exc.h>
#include <humpy/runner.h>
#include <humpy/tlimit.h>

void exc_dispatch(unsigned kind, struct exc_frame *f);

static struct {
	volatile bool armed;
	struct exc_record rec;
} exc_expect;

static const char *const exc_kind_names[EXC_VECTOR_COUNT] = {
    "sync (EL1t)",      "irq (EL1t)",      "fiq (EL1t)",      "serror (EL1t)",
    "sync (EL1h)",      "irq (EL1h)",      "fiq (EL1h)",      "serror (EL1h)",
    "sync (lower a64)", "irq (lower a64)", "fiq (lower a64)", "serror (lower a64)",
    "sync (lower a32)", "irq (lower a32)", "fiq (lower a32)", "serror (lower a32)",
};

const char *exc_kind_name(unsigned kind)
{
	return kind < EXC_VECTOR_COUNT ? exc_kind_names[kind] : "?";
}

void exc_expect_begin(void)
{
	exc_expect.rec = (struct exc_record){0};
	__asm__ volatile("" ::: "memory");
	exc_expect.armed = true;
	__asm__ volatile("" ::: "memory");
}

struct exc_record exc_expect_end(void)
{
	__asm__ volatile("" ::: "memory");
	exc_expect.armed = false;
	return exc_expect.rec;
}

void exc_reset(void)
{
	exc_expect.armed = false;
}

#define ID_MMFR1_PAN(v)  (((v) >> 20) & 0xf)
#define ID_MMFR2_UAO(v)  (((v) >> 4) & 0xf)
#define ID_PFR1_SSBS(v)  (((v) >> 4) & 0xf)
#define ID_PFR1_SSBS_MSR 2 /* FEAT_SSBS2: PSTATE.SSBS readable with MRS */

/*
 * Which PSTATE fields the CPU has, from its ID registers: read once (exc_init at boot), since a
 * hypervisor may trap ID register reads (HCR_EL2.TID3) and exc_pstate_now runs in every expected
 * exception's handler, where three traps each time would show up in every fault's cost.
 */
static u64 exc_pstate_fields;

void exc_init(void)
{
	u64 mask = PSTATE_M_MASK | PSTATE_DAIF;

	if (ID_MMFR1_PAN(sysreg_read(id_aa64mmfr1_el1)))
		mask |= PSTATE_PAN;
	if (ID_MMFR2_UAO(sysreg_read(id_aa64mmfr2_el1)))
		mask |= PSTATE_UAO;
	if (ID_PFR1_SSBS(sysreg_read(id_aa64pfr1_el1)) >= ID_PFR1_SSBS_MSR)
		mask |= PSTATE_SSBS;
	exc_pstate_fields = mask;
}

u64 exc_pstate_mask(void)
{
	if (exc_pstate_fields == 0) /* M and DAIF are always in it: 0 means not read yet */
		exc_init();
	return exc_pstate_fields;
}

u64 exc_pstate_now(void)
{
	u64 mask = exc_pstate_mask();
	u64 p = (sysreg_read(CurrentEL) & 0xc) | (sysreg_read(SPSel) & 1) |
	        (sysreg_read(daif) & PSTATE_DAIF);

	/* Named by encoding: the assembler's -march=armv8-a does not know PAN, UAO, SSBS. */
	if (mask & PSTATE_PAN)
		p |= sysreg_read(S3_0_C4_C2_3) & PSTATE_PAN;
	if (mask & PSTATE_UAO)
		p |= sysreg_read(S3_0_C4_C2_4) & PSTATE_UAO;
	if (mask & PSTATE_SSBS)
		p |= sysreg_read(S3_3_C4_C2_6) & PSTATE_SSBS;
	return p;
}

bool probe_try_read32(u64 addr, u32 *out)
{
	u32 v;

	exc_expect_begin();
	v = probe_read32(addr);
	if (exc_expect_end().taken)
		return false;
	*out = v;
	return true;
}

bool probe_try_write32(u64 addr, u32 value)
{
	exc_expect_begin();
	probe_write32(addr, value);
	return !exc_expect_end().taken;
}

void exc_dispatch(unsigned kind, struct exc_frame *f)
{
	if (kind == EXC_CUR_SPX_IRQ || kind == EXC_CUR_SPX_FIQ) {
		tlimit_irq(kind == EXC_CUR_SPX_FIQ);
		return;
	}
	if (kind == EXC_CUR_SPX_SYNC && exc_expect.armed) {
		exc_expect.armed = false;
		exc_expect.rec.taken = true;
		exc_expect.rec.esr = f->esr;
		exc_expect.rec.far = f->far;
		exc_expect.rec.elr = f->elr;
		exc_expect.rec.spsr = f->spsr;
		/* Nothing between the vector and here changes PSTATE: this is PSTATE on entry. */
		exc_expect.rec.pstate = exc_pstate_now();
		f->elr += 4; /* resume after the instruction that faulted */
		return;
	}
	runner_abandon("unexpected %s exception: ESR 0x%lx ELR 0x%lx FAR 0x%lx",
	               exc_kind_name(kind), f->esr, f->elr, f->far);
}

/* vcpu lib: second vCPUs of the root VM (humpy/vcpu.h): their entry, what they run, fixtures. */
#include <humpy/arch.h>
#include <humpy/fdt.h>
#include <humpy/irq.h>
#include <humpy/plat.h>
#include <humpy/spec.h>
#include <humpy/vcpu.h>
#include <humpy/profile.h>

_Static_assert(offsetof(struct vcpu2, mair) == 0 && offsetof(struct vcpu2, tcr) == 8 &&
                   offsetof(struct vcpu2, ttbr0) == 16 && offsetof(struct vcpu2, vbar) == 24 &&
                   offsetof(struct vcpu2, cpacr) == 32 && offsetof(struct vcpu2, sctlr) == 40 &&
                   offsetof(struct vcpu2, stack_top) == 48,
               "vcpu2_entry reads these offsets");

static struct vcpu2 vcpu2_blocks[VCPU2_SLOTS];
volatile u64 vcpu2_log[VCPU2_LOG];
volatile u64 vcpu2_log_n;
volatile bool vcpu2_log_on;
volatile u64 vcpu2_seq;

#define VCPU_MAX_THREADS 4
static u64 vcpu_threads[VCPU_MAX_THREADS];
static unsigned vcpu_n_threads;

void vcpu2_main(struct vcpu2 *c, u64 x1, u64 x2, u64 x3, u64 sp);
/* GICv3 (architecture specification): GICD_CTLR ARE | EnableGrp1, the set-enable registers. */
#define V2_GICD_CTLR_ARE_G1 0x12U
#define V2_GICD_ISENABLER   0x100
#define V2_GICR_ISENABLER0  (0x10000 + 0x100)
#define V2_TIMER_AHEAD_MS   2

static void v2_w32(u64 addr, u32 v)
{
	*(volatile u32 *)(uintptr_t)addr = v;
	dsb(sy);
}

/* V2_WFI: the GIC of its own VIC (the distributor and redistributor it reaches are emulated for
 * its VM), then waits; never takes an IRQ (they stay masked: WFI wakes for a pending one). */
static _Noreturn void vcpu2_wfi(struct vcpu2 *c)
{
	u32 intid = (u32)c->arg;

	v2_w32(plat.gicd, V2_GICD_CTLR_ARE_G1);
	if (intid >= 32)
		v2_w32(plat.gicd + V2_GICD_ISENABLER + 4 * (intid / 32), 1U << (intid % 32));
	else if (plat.gic_version == 2) /* the distributor's banked ISENABLER0 */
		v2_w32(plat.gicd + V2_GICD_ISENABLER, 1U << intid);
	else
		v2_w32(plat.gicr + V2_GICR_ISENABLER0, 1U << intid);
	irq_cpu_enable();
	if (intid < 32) {
		sysreg_write(cntv_cval_el0, timer_now() + timer_freq() / 1000 * V2_TIMER_AHEAD_MS);
		sysreg_write(cntv_ctl_el0, 1);
	}
	isb();
	for (;;) {
		u64 iar;

		__asm__ volatile("wfi" ::: "memory");
		c->counter++;
		iar = irq_ack();
		if (iar >= 1020)
			continue;
		if (iar < 32)
			sysreg_write(cntv_ctl_el0, 0);
		c->result = iar;
		c->stamp++;
		irq_eoi((u32)iar);
	}
}

void vcpu2_fault(struct vcpu2 *c, u64 esr, u64 elr);

/*
 * Entered by vcpu_poweron at EL1h, MMU off, x0 = its block: loads the boot vCPU's stage 1 and its
 * own vectors from the block, turns the MMU on, takes its stack and calls vcpu2_main with what it
 * found in x0..x3 and SP. Its vectors record any exception in the block and stop there.
 */
__asm__(".text\n"
        ".global vcpu2_entry\n"
        ".balign 4\n"
        "vcpu2_entry:\n"
        "	mov	x19, x0\n"
        "	mov	x20, x1\n"
        "	mov	x21, x2\n"
        "	mov	x22, x3\n"
        "	mov	x23, sp\n"
        "	ldr	x4, [x19, #0]\n"
        "	msr	mair_el1, x4\n"
        "	ldr	x4, [x19, #8]\n"
        "	msr	tcr_el1, x4\n"
        "	ldr	x4, [x19, #16]\n"
        "	msr	ttbr0_el1, x4\n"
        "	ldr	x4, [x19, #24]\n"
        "	msr	vbar_el1, x4\n"
        "	ldr	x4, [x19, #32]\n"
        "	msr	cpacr_el1, x4\n"
        "	msr	tpidr_el1, x19\n"
        "	isb\n"
        "	tlbi	vmalle1\n"
        "	dsb	nsh\n"
        "	isb\n"
        "	ldr	x4, [x19, #40]\n"
        "	msr	sctlr_el1, x4\n"
        "	isb\n"
        "	ic	iallu\n"
        "	dsb	nsh\n"
        "	isb\n"
        "	ldr	x4, [x19, #48]\n"
        "	mov	sp, x4\n"
        "	mov	x0, x19\n"
        "	mov	x1, x20\n"
        "	mov	x2, x21\n"
        "	mov	x3, x22\n"
        "	mov	x4, x23\n"
        "	bl	vcpu2_main\n"
        "1:	b	1b\n"
        ".balign 0x800\n"
        "vcpu2_vectors:\n"
        ".rept 16\n"
        ".balign 0x80\n"
        "	mrs	x0, tpidr_el1\n"
        "	mrs	x1, esr_el1\n"
        "	mrs	x2, elr_el1\n"
        "	b	vcpu2_fault\n"
        ".endr\n");
extern const char vcpu2_vectors[];

/*
 * Hypercalls of the second vCPU: its own hvc, outside the boot vCPU's counted path; x2 is 0 (res0
 * for scheduler_yield). One function per call: the immediate is part of the instruction.
 */
#define V2_HVC_FN(fn, call)                                                                        \
	static u64 fn(u64 a0, u64 a1)                                                              \
	{                                                                                          \
		register u64 x0_ __asm__("x0") = a0;                                               \
		register u64 x1_ __asm__("x1") = a1;                                               \
		register u64 x2_ __asm__("x2") = 0;                                                \
		__asm__ volatile("hvc %3"                                                          \
		                 : "+r"(x0_), "+r"(x1_), "+r"(x2_)                                 \
		                 : "i"(GH_HVC_NATIVE_BASE + (call))                                \
		                 : "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",  \
		                   "x13", "x14", "x15", "x16", "x17", "memory");                   \
		return x0_;                                                                        \
	}
V2_HVC_FN(v2_yield, GH_HVC_SCHEDULER_YIELD)
V2_HVC_FN(v2_poweroff, GH_HVC_VCPU_POWEROFF)

void vcpu2_fault(struct vcpu2 *c, u64 esr, u64 elr)
{
	c->fault_esr = esr;
	c->fault_elr = elr;
	c->faults++;
	for (;;)
		c->counter++; /* the test sees faults != 0; vcpu_end kills it */
}

void vcpu2_main(struct vcpu2 *c, u64 x1, u64 x2, u64 x3, u64 sp)
{
	c->entry_x[0] = (u64)(uintptr_t)c;
	c->entry_x[1] = x1;
	c->entry_x[2] = x2;
	c->entry_x[3] = x3;
	c->entry_sp = sp;
	c->entries++;
	switch (c->mode) {
	case V2_LOG_YIELD:
		for (;;) {
			c->counter++;
			if (vcpu2_log_on && vcpu2_log_n < VCPU2_LOG)
				vcpu2_log[vcpu2_log_n++] = c->id;
			c->result = v2_yield(GH_VCPU_YIELD_HINT_GENERIC, 0);
		}
	case V2_POWEROFF:
		c->stamp = v2_poweroff(c->arg, GH_VCPU_POWEROFF_FLAGS_LAST_VCPU);
		c->result = v2_poweroff(c->arg, 0);
		for (;;)
			c->counter++;
	case V2_YIELD_TO:
		for (;;) {
			c->counter++;
			c->result = v2_yield(GH_VCPU_YIELD_HINT_TO_THREAD, c->arg);
		}
	case V2_SYSREGS:
		vcpu_sysregs_write(c->id, true);
		for (;;) {
			u64 bad = vcpu_sysregs_check(c->id, true);

			if (bad != 0 && c->stamp == 0)
				c->stamp = bad;
			c->counter++;
			c->result = v2_yield(GH_VCPU_YIELD_HINT_TO_THREAD, c->arg);
		}
	case V2_BAD_VECTOR:
		sysreg_write(vbar_el1, c->arg);
		isb();
		c->stamp = 1;
		dsb(sy);
		c->result = *(volatile u32 *)(uintptr_t)c->arg2;
		c->stamp = 2; /* only if the hypervisor let it go on */
		for (;;)
			c->counter++;
	case V2_SEQ_OFF:
		c->stamp = vcpu2_seq;
		c->result = v2_poweroff(c->arg, 0);
		for (;;)
			c->counter++;
	case V2_WFI:
		vcpu2_wfi(c);
	case V2_CALL:
		((void (*)(struct vcpu2 *))(uintptr_t)c->arg2)(c);
		for (;;)
			c->counter++;
	case V2_SPIN:
	default:
		for (;;)
			c->counter++;
	}
}

#define SR_PAR_MASK   0x0000fffffffff000ULL /* PAR_EL1.PA: the bits a write keeps as written */
#define SR_CTXID_MASK 0xffffffffULL
#define SR_EVNTI_MASK 0xf0ULL /* CNTKCTL_EL1.EVNTI: no event stream while EVNTEN is 0 */
#define SR_SPSR_NZCV  (0xfULL << 28)
#define SR_SPSR_EL1H  0x3c5ULL /* EL1h, DAIF masked: what an eret would find harmless */

/* Value i of `seed`'s pattern, in the register's writable bits. */
static u64 sr_val(u64 seed, unsigned i)
{
	return (seed * 0x9e3779b97f4a7c15ULL) ^ ((u64)(i + 1) * 0x0101010101010101ULL);
}

/*
 * FEAT_MTE2's EL1 registers, when the VM has them (ID_AA64PFR1_EL1.MTE >= 2), as registers 10-13:
 * GCR_EL1.Exclude (15:0), RGSR_EL1 TAG (3:0) and SEED (23:8), TFSR_EL1 and TFSRE0_EL1 TF0/TF1
 * (1:0). Encodings, not names: the guest is assembled for v8.0. The pattern is shifted right 4 so
 * that the two TF bits differ between seeds 0 and 0xa0 (el1_context_switched's two vCPUs).
 */
#define SR_GCR_EL1    S3_0_C1_C0_6
#define SR_RGSR_EL1   S3_0_C1_C0_5
#define SR_TFSR_EL1   S3_0_C5_C6_0
#define SR_TFSRE0_EL1 S3_0_C5_C6_1
#define SR_MTE_FIRST  10
/* sysreg_read/write stringify their argument: these expand the name to its encoding first. */
#define sr_sysreg_read(reg)       sysreg_read(reg)
#define sr_sysreg_write(reg, val) sysreg_write(reg, val)

static const u64 sr_mte_mask[4] = {0xffffULL, 0xffff0fULL, 0x3ULL, 0x3ULL};

static bool sr_has_mte(void)
{
	return ((sysreg_read(id_aa64pfr1_el1) >> 8) & 0xf) >= 2;
}

static u64 sr_mte_val(u64 seed, unsigned i)
{
	return (sr_val(seed, SR_MTE_FIRST + i) >> 4) & sr_mte_mask[i];
}

static void sr_mte_write(const u64 v[4])
{
	sr_sysreg_write(SR_GCR_EL1, v[0]);
	sr_sysreg_write(SR_RGSR_EL1, v[1]);
	sr_sysreg_write(SR_TFSR_EL1, v[2]);
	sr_sysreg_write(SR_TFSRE0_EL1, v[3]);
}

static void sr_mte_read(u64 v[4])
{
	v[0] = sr_sysreg_read(SR_GCR_EL1);
	v[1] = sr_sysreg_read(SR_RGSR_EL1);
	v[2] = sr_sysreg_read(SR_TFSR_EL1);
	v[3] = sr_sysreg_read(SR_TFSRE0_EL1);
}

void vcpu_sysregs_write(u64 seed, bool all)
{
	sysreg_write(tpidr_el0, sr_val(seed, 0));
	sysreg_write(tpidrro_el0, sr_val(seed, 1));
	sysreg_write(csselr_el1, seed & 1); /* L1 data (0) or instruction (1) cache */
	sysreg_write(contextidr_el1, sr_val(seed, 3) & SR_CTXID_MASK);
	sysreg_write(par_el1, sr_val(seed, 4) & SR_PAR_MASK);
	sysreg_write(far_el1, sr_val(seed, 5));
	sysreg_write(sp_el0, sr_val(seed, 6) & ~0xfULL);
	sysreg_write(cntkctl_el1, (sysreg_read(cntkctl_el1) & ~SR_EVNTI_MASK) |
	                              (sr_val(seed, 7) & SR_EVNTI_MASK));
	if (all) {
		sysreg_write(elr_el1, sr_val(seed, 8) & ~3ULL);
		sysreg_write(spsr_el1, (sr_val(seed, 9) & SR_SPSR_NZCV) | SR_SPSR_EL1H);
	}
	if (sr_has_mte()) {
		u64 v[4];

		for (unsigned i = 0; i < 4; i++)
			v[i] = sr_mte_val(seed, i);
		sr_mte_write(v);
	}
	isb();
}

u64 vcpu_sysregs_check(u64 seed, bool all)
{
	u64 bad = 0;

	bad |= (u64)(sysreg_read(tpidr_el0) != sr_val(seed, 0)) << 0;
	bad |= (u64)(sysreg_read(tpidrro_el0) != sr_val(seed, 1)) << 1;
	bad |= (u64)(sysreg_read(csselr_el1) != (seed & 1)) << 2;
	bad |= (u64)(sysreg_read(contextidr_el1) != (sr_val(seed, 3) & SR_CTXID_MASK)) << 3;
	bad |= (u64)((sysreg_read(par_el1) & SR_PAR_MASK) != (sr_val(seed, 4) & SR_PAR_MASK)) << 4;
	bad |= (u64)(sysreg_read(far_el1) != sr_val(seed, 5)) << 5;
	bad |= (u64)(sysreg_read(sp_el0) != (sr_val(seed, 6) & ~0xfULL)) << 6;
	bad |=
	    (u64)((sysreg_read(cntkctl_el1) & SR_EVNTI_MASK) != (sr_val(seed, 7) & SR_EVNTI_MASK))
	    << 7;
	if (all) {
		bad |= (u64)(sysreg_read(elr_el1) != (sr_val(seed, 8) & ~3ULL)) << 8;
		bad |= (u64)((sysreg_read(spsr_el1) & (SR_SPSR_NZCV | 0x3cfULL)) !=
		             ((sr_val(seed, 9) & SR_SPSR_NZCV) | SR_SPSR_EL1H))
		       << 9;
	}
	if (sr_has_mte()) {
		u64 v[4];

		sr_mte_read(v);
		for (unsigned i = 0; i < 4; i++)
			bad |= (u64)((v[i] & sr_mte_mask[i]) != sr_mte_val(seed, i))
			       << (SR_MTE_FIRST + i);
	}
	return bad;
}

void vcpu_sysregs_save(u64 saved[VCPU_SYSREGS_SAVED])
{
	saved[0] = sysreg_read(tpidr_el0);
	saved[1] = sysreg_read(tpidrro_el0);
	saved[2] = sysreg_read(csselr_el1);
	saved[3] = sysreg_read(contextidr_el1);
	saved[4] = sysreg_read(par_el1);
	saved[5] = sysreg_read(far_el1);
	saved[6] = sysreg_read(sp_el0);
	saved[7] = sysreg_read(cntkctl_el1);
	if (sr_has_mte())
		sr_mte_read(&saved[8]);
}

void vcpu_sysregs_restore(const u64 saved[VCPU_SYSREGS_SAVED])
{
	sysreg_write(tpidr_el0, saved[0]);
	sysreg_write(tpidrro_el0, saved[1]);
	sysreg_write(csselr_el1, saved[2]);
	sysreg_write(contextidr_el1, saved[3]);
	sysreg_write(par_el1, saved[4]);
	sysreg_write(far_el1, saved[5]);
	sysreg_write(sp_el0, saved[6]);
	sysreg_write(cntkctl_el1, saved[7]);
	if (sr_has_mte())
		sr_mte_write(&saved[8]);
	isb();
}

u64 vcpu_self_as(void)
{
	return profile_chosen_cap("humpy,root-addrspace-cap");
}

u64 vcpu_self(void)
{
	return profile_chosen_cap("humpy,root-vcpu-cap");
}

const char *vcpu_missing(void)
{
	struct root_caps rc;

	if (!root_caps_get(&rc))
		return ROOT_SKIP_REASON;
	if (!(gh_native(GH_HVC_HYPERVISOR_IDENTIFY, NULL).x[1] & GH_API_FLAG0_VCPU))
		return "identify flags0 bit 5 (vcpu) clear";
	if (vcpu_self_as() == GH_CAP_INVALID)
		return "no cap to the root VM's own address space (/chosen "
		       "humpy,root-addrspace-cap "
		       "absent or all ones)";
	if (vcpu_self() == GH_CAP_INVALID)
		return "no cap to the boot vCPU (/chosen humpy,root-vcpu-cap absent or all ones)";
	return NULL;
}

static bool vcpu_step(const char *what, u64 got)
{
	if (got == 0)
		return true;
	root_fixture_failed("fixture: %s: x0 expected 0x0 got 0x%lx", what, got);
	return false;
}

u64 vcpu_thread(const struct root_caps *rc, bool activate)
{
	u64 t = root_create(rc, GH_HVC_PARTITION_CREATE_THREAD, rc->partition);

	if (t == GH_CAP_INVALID)
		return t;
	if (vcpu_n_threads < VCPU_MAX_THREADS)
		vcpu_threads[vcpu_n_threads++] = t;
	if (!vcpu_step("vcpu_configure(t, 0)", vc(GH_HVC_VCPU_CONFIGURE, t, 0, 0, 0)) ||
	    !vcpu_step("cspace_attach_thread(root cspace, t)",
	               vc(GH_HVC_CSPACE_ATTACH_THREAD, rc->cspace, t, 0, 0)) ||
	    !vcpu_step("addrspace_attach_thread(root addrspace, t)",
	               vc(GH_HVC_ADDRSPACE_ATTACH_THREAD, vcpu_self_as(), t, 0, 0)))
		return GH_CAP_INVALID;
	if (activate && !vcpu_step("object_activate(t)", vc(GH_HVC_OBJECT_ACTIVATE, t, 0, 0, 0)))
		return GH_CAP_INVALID;
	return t;
}

struct vcpu2 *vcpu2_prepare(unsigned slot, enum vcpu2_mode mode, u64 arg, u64 id)
{
	struct vcpu2 *c = &vcpu2_blocks[slot % VCPU2_SLOTS];
	u64 line = 4ULL << ((sysreg_read(ctr_el0) >> 16) & 0xf), a;

	memset((void *)c, 0, offsetof(struct vcpu2, stack));
	c->mair = sysreg_read(mair_el1);
	c->tcr = sysreg_read(tcr_el1);
	c->ttbr0 = sysreg_read(ttbr0_el1);
	c->vbar = (u64)(uintptr_t)vcpu2_vectors;
	c->cpacr = sysreg_read(cpacr_el1);
	c->sctlr = sysreg_read(sctlr_el1);
	c->stack_top = (u64)(uintptr_t)(c->stack + sizeof(c->stack));
	c->mode = mode;
	c->arg = arg;
	c->id = id;
	c->result = ~0ULL; /* no hypercall made yet */
	/* The entry code reads the header with the MMU (and caches) off. */
	for (a = (u64)(uintptr_t)c & ~(line - 1); a < (u64)(uintptr_t)c->stack; a += line)
		__asm__ volatile("dc civac, %0" ::"r"(a) : "memory");
	dsb(sy);
	return c;
}

struct vcpu2 *vcpu2_block(unsigned slot)
{
	return &vcpu2_blocks[slot % VCPU2_SLOTS];
}

u64 vcpu2_start(const struct root_caps *rc, unsigned slot, enum vcpu2_mode mode, u64 arg)
{
	u64 t = vcpu_thread(rc, true), err;
	struct vcpu2 *c;

	if (t == GH_CAP_INVALID)
		return t;
	c = vcpu2_prepare(slot, mode, mode == V2_POWEROFF || mode == V2_SEQ_OFF ? t : arg,
	                  slot + 1);
	err = vc(GH_HVC_VCPU_POWERON, t, (u64)(uintptr_t)vcpu2_entry, (u64)(uintptr_t)c, 0);
	if (!vcpu_step("vcpu_poweron(t, vcpu2_entry, block, 0)", err))
		return GH_CAP_INVALID;
	return t;
}

bool vcpu_yield_until_changed(const volatile u64 *word, u64 old, unsigned budget)
{
	while (budget-- > 0) {
		if (*word != old)
			return true;
		vc(GH_HVC_SCHEDULER_YIELD, GH_VCPU_YIELD_HINT_GENERIC, 0, 0, 0);
	}
	return *word != old;
}

bool vcpu_spin_until_changed(const volatile u64 *word, u64 old, unsigned ms)
{
	u64 end = timer_now() + timer_freq() * ms / 1000;

	while (timer_now() < end) {
		if (*word != old)
			return true;
	}
	return *word != old;
}

void vcpu_begin(void)
{
	vcpu_n_threads = 0;
	vcpu2_log_on = false;
	vcpu2_log_n = 0;
}

void vcpu_end(void)
{
	while (vcpu_n_threads > 0)
		vc(GH_HVC_VCPU_KILL, vcpu_threads[--vcpu_n_threads], 0, 0, 0);
}

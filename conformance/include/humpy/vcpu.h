/* vcpu: second vCPUs of the root VM for the vCPU and scheduler tests (tests/vcpu/README.md). */
#ifndef HUMPY_VCPU_H
#define HUMPY_VCPU_H

#include <humpy/mem.h>

/*
 * What a second vCPU does once it runs (vcpu2.mode), in the root VM's own address space, on its
 * own stack, with the boot vCPU's stage 1 and its own exception vectors.
 */
enum vcpu2_mode {
	V2_SPIN,       /* counter++ forever, never a hypercall */
	V2_LOG_YIELD,  /* forever: counter++, its id into the run log (while on), a plain yield */
	V2_POWEROFF,   /* poweroff(arg, flags 1) into stamp, then poweroff(arg, 0) into result */
	V2_YIELD_TO,   /* forever: counter++, yield to the thread cap arg */
	V2_SYSREGS,    /* vcpu_sysregs_write(id, true), then V2_YIELD_TO checking them each time */
	V2_BAD_VECTOR, /* VBAR_EL1 = arg, stamp 1, a load from arg2 (unmapped), stamp 2, spin */
	V2_SEQ_OFF,    /* stamp = vcpu2_seq at entry, then poweroff(arg, 0) */
	/* Its VIC's GIC set up for INTID arg (an SPI at the distributor, a PPI at the
	 * redistributor; the virtual timer armed 2 ms ahead when arg is its PPI), IRQs masked, then
	 * forever: WFI, counter++, each INTID acknowledged: stamp++, result = it (timer then off).
	 */
	V2_WFI,
	V2_CALL, /* arg2 is a test's own program, void (*)(struct vcpu2 *): it never returns */
	V2_MODE_COUNT
};

/*
 * One second vCPU's block, shared with it. The first fields are read by its entry code with the
 * MMU off: vcpu2_prepare cleans them to the point of coherency before the vCPU is powered on.
 */
struct vcpu2 {
	u64 mair, tcr, ttbr0, vbar, cpacr, sctlr, stack_top; /* entry code: offsets 0..48 */
	u64 mode, arg, id, arg2;
	volatile u64 entries;    /* times it entered (vcpu2_entry) */
	volatile u64 entry_x[4]; /* x0..x3 at its last entry */
	volatile u64 entry_sp;   /* SP at its last entry */
	volatile u64 counter;
	volatile u64 stamp;  /* mode-specific: V2_POWEROFF the first poweroff's x0 */
	volatile u64 result; /* x0 of its last hypercall */
	volatile u64 faults, fault_esr, fault_elr;
	u8 stack[8192] __attribute__((aligned(16)));
} __attribute__((aligned(64)));

#define VCPU2_SLOTS 2
#define VCPU2_LOG   8

/* The run log V2_LOG_YIELD vCPUs append their id to while vcpu2_log_on. */
extern volatile u64 vcpu2_log[VCPU2_LOG];
extern volatile u64 vcpu2_log_n;
extern volatile bool vcpu2_log_on;
/* What the boot vCPU is doing, as V2_SEQ_OFF vCPUs see it on entry. */
extern volatile u64 vcpu2_seq;

/* The entry point (an IPA in the guest image) every second vCPU is powered on at. */
void vcpu2_entry(void);

/* The reason to SKIP, or NULL: root caps, identify flags0 bit 5 (vcpu), the own addrspace cap. */
const char *vcpu_missing(void);
/* The root VM's own address space and the boot vCPU (ROOT_PROFILE.md). */
u64 vcpu_self_as(void);
u64 vcpu_self(void);

/*
 * A thread from the root partition: configured (options 0), attached to the root cspace and the
 * root VM's address space, activated if asked. Tracked (root_end deletes it); FAIL and
 * GH_CAP_INVALID if a step fails.
 */
u64 vcpu_thread(const struct root_caps *rc, bool activate);
/* Block `slot` reset for `mode` with arg and id, its header cleaned for the MMU-off entry. */
struct vcpu2 *vcpu2_prepare(unsigned slot, enum vcpu2_mode mode, u64 arg, u64 id);
/* Block `slot` as it is (what its vCPU wrote). */
struct vcpu2 *vcpu2_block(unsigned slot);
/* An activated thread powered on at vcpu2_entry with its block; GH_CAP_INVALID and FAIL if not. */
u64 vcpu2_start(const struct root_caps *rc, unsigned slot, enum vcpu2_mode mode, u64 arg);
/* Plain yields (at most `budget`) until *word != old; false if it never changed. */
bool vcpu_yield_until_changed(const volatile u64 *word, u64 old, unsigned budget);
/* Spins without any hypercall for up to `ms` until *word != old; false if it never changed. */
bool vcpu_spin_until_changed(const volatile u64 *word, u64 old, unsigned ms);

/*
 * EL1 registers a vCPU owns and nothing in the guest uses (TPIDR_EL0, TPIDRRO_EL0, CSSELR_EL1,
 * CONTEXTIDR_EL1, PAR_EL1, FAR_EL1, SP_EL0, CNTKCTL_EL1.EVNTI and, `all`, ELR_EL1 and SPSR_EL1,
 * which the boot vCPU's interrupts change), and with MTE (ID_AA64PFR1_EL1.MTE >= 2) GCR_EL1,
 * RGSR_EL1, TFSR_EL1, TFSRE0_EL1 as registers 10-13: set to values made from `seed`; check returns
 * a mask of those that differ (bit i: register i in that order). save/restore keep the boot vCPU's
 * own.
 */
#define VCPU_SYSREGS_SAVED 12
void vcpu_sysregs_write(u64 seed, bool all);
u64 vcpu_sysregs_check(u64 seed, bool all);
void vcpu_sysregs_save(u64 saved[VCPU_SYSREGS_SAVED]);
void vcpu_sysregs_restore(const u64 saved[VCPU_SYSREGS_SAVED]);

/* Every thread vcpu_thread made is killed at the end of the test (before its cap is deleted). */
void vcpu_begin(void);
void vcpu_end(void);

/* Native call x0 (register rules checked). */
static inline u64 vc(u32 call, u64 a0, u64 a1, u64 a2, u64 a3)
{
	return hc(call, a0, a1, a2, a3, 0).x[0];
}

#define VCPU_TEST(name)                                                                            \
	static void vcpu_body_##name(const struct root_caps *rc);                                  \
	TEST(vcpu, name)                                                                           \
	{                                                                                          \
		struct root_caps rc_;                                                              \
		const char *why_ = vcpu_missing();                                                 \
		if (why_)                                                                          \
			SKIP("%s", why_);                                                          \
		root_caps_get(&rc_);                                                               \
		if (!root_begin(&rc_))                                                             \
			return;                                                                    \
		vcpu_begin();                                                                      \
		vcpu_body_##name(&rc_);                                                            \
		vcpu_end();                                                                        \
		root_end(&rc_);                                                                    \
	}                                                                                          \
	static void vcpu_body_##name(const struct root_caps *rc)

#endif

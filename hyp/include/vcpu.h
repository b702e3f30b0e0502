/*
 * vcpu: a virtual CPU as the core sees it: who it is (its thread, VM, cspace, address space), its
 * scheduling state and its general registers. The rest of its context (EL1 system registers,
 * FP/SIMD, timer, GIC) is the arch's struct vcpu_context (vcpu_context.h of hyp/arch/<arch>), saved
 * and loaded only by the arch's context switch.
 */
#ifndef VCPU_H
#define VCPU_H

#include "sched.h"
#include "util.h"
#include "vcpu_context.h"
#include "virq.h"

struct vm;
struct cspace;
struct thread;
struct cpu_local;

enum vcpu_power {
	VCPU_POWER_OFF, /* not yet powered on, or vcpu_poweroff */
	VCPU_POWER_ON,
	VCPU_POWER_KILLED, /* vcpu_kill: never runs again */
};

/* The general registers, PC and PSTATE: the layout the arch's trap frame has (checked there). */
struct vcpu_regs {
	uint64_t x[31];
	uint64_t pc;
	uint64_t pstate;
	uint64_t pad;
};

/* A VMMIO access that ended its proxy run (vcpu_run state 4 or 5): the next vcpu_run completes it.
 */
struct vcpu_vmmio {
	uint64_t state; /* 0: none, else vcpu_run's VMMIO_READ or VMMIO_WRITE */
	uint64_t ipa;
	uint64_t size;
	uint64_t value;    /* a write's, as the access stores it */
	uint64_t syndrome; /* the arch's record of the access (arch_vcpu_vmmio_load) */
};

struct vcpu {
	/* The boot VM's bookkeeping (RAM, entry, vGIC) for its boot vCPU; NULL for a vCPU built
	 * from hypercalls, which runs in the address space attached to its thread. */
	struct vm *vm;
	struct thread *thread;
	struct cpu_local *cpu; /* the physical CPU it runs on (set on power-on: the caller's) */
	struct cspace *cspace; /* where its hypercalls name caps; NULL: it holds none */
	unsigned index;        /* VMPIDR_EL2 Aff0 */
	uint16_t vmid;         /* of its Stage 2 */
	uint64_t *stage2_root; /* its Stage 2 tables (NULL: the boot VM's, loaded at boot) */
	enum vcpu_power power;
	bool is_faulted;     /* stopped by the hypervisor for a fault it cannot go on from (vm.h) */
	bool is_exit_unseen; /* proxied and killed: its wakeup VIRQ is up until a vcpu_run of it */
	struct sched_node sched;
	/* vcpu_bind_virq VCPU_RUN_WAKEUP: asserted while it is held, ready for a vcpu_run, and from
	 * its kill until a vcpu_run reports the exit. */
	struct virq_source run_wakeup;
	struct vcpu_vmmio vmmio;
	struct vcpu_regs regs; /* valid while it does not run (the trap frame holds them then) */
	struct vcpu_context ctx;
};

/* vcpu_register_write's register sets (reference section 2). */
#define VCPU_REGSET_X     0U /* index 0..30 */
#define VCPU_REGSET_PC    1U /* index 0 */
#define VCPU_REGSET_SP_EL 2U /* index 0: SP_EL0, 1: SP_EL1 */

/*
 * vcpu_run's core half (vcpu_calls.c), called by the scheduler. @v became ready while proxied:
 * its wakeup VIRQ is asserted (if bound). A proxy run of @target for @caller ended: the caller's
 * vcpu_run returns @target's state now (its saved x0..x4).
 */
void vcpu_run_wakeup(struct vcpu *v);
void vcpu_run_finish(struct vcpu *caller, const struct vcpu *target);
/*
 * @v (on the CPU) accessed [ipa, ipa+size) where nothing is mapped, in one access the arch can
 * complete later (@syndrome), storing @value if @is_write. True if @v is in a proxy run and a VMMIO
 * range of its address space holds the access: the run ends with it and the arch steps over the
 * instruction; else false (the arch injects the abort).
 */
bool vcpu_vmmio_exit(struct vcpu *v, uint64_t ipa, uint64_t size, bool is_write, uint64_t value,
                     uint64_t syndrome);

/* The arch's half of a vCPU (hyp/arch/<arch>/vcpu.c). */
/* EL1 state of a vCPU out of reset: MMU and caches off, timers off, GIC state empty. */
void arch_vcpu_context_reset(struct vcpu *vcpu);
/* SP_EL0 (@el 0) or SP_EL1 (@el 1) of a vCPU that does not run. */
void arch_vcpu_set_sp(struct vcpu *vcpu, unsigned el, uint64_t value);
/* PSTATE a vCPU starts in: EL1h with D, A, I, F masked. */
uint64_t arch_vcpu_reset_pstate(void);
/*
 * @vcpu stops for good (killed, or its thread destroyed): a physical interrupt its saved list
 * registers forward (and hold active) is deactivated, so it can arrive again. Called before it
 * leaves its CPU's scheduler; a vCPU on the CPU is left to the arch's switch, which ends the same
 * for a vCPU that leaves the CPU dead.
 */
void arch_vcpu_stopped(struct vcpu *vcpu);
/* A VMMIO read of @vcpu (not on the CPU; @syndrome from vcpu_vmmio_exit) completes with @value:
 * extended as the load asks, into the register it names. */
void arch_vcpu_vmmio_load(struct vcpu *vcpu, uint64_t syndrome, uint64_t value);

#endif

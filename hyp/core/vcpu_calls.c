/*
 * vcpu_calls: the vcpu_* and scheduler_yield hypercalls as core calls (reference section 2; rights
 * section 7). Every input is checked before anything changes; scheduling decisions go to the
 * vCPU's CPU (sched.h), and the arch switches on its way back to a guest.
 */
#include "addrspace.h"
#include "core_call.h"
#include "cpu_local.h"
#include "thread.h"
#include "vic.h"

#define VCPU_POWERON_PRESERVE_ENTRY   BIT(0)
#define VCPU_POWERON_PRESERVE_CONTEXT BIT(1)
#define VCPU_POWEROFF_LAST_VCPU       BIT(0)
#define SCHED_YIELD_HINT_MASK         0xFFFFULL
#define SCHED_YIELD_IMPL_DEF          BIT(31)
#define SCHED_YIELD_HINT_GENERIC      0U
#define SCHED_YIELD_HINT_TO_THREAD    1U
#define SCHED_YIELD_HINT_LOWER        2U
#define VCPU_PC_ALIGN                 4U

static struct cap_lookup_result vcpu_lookup(const struct core_ctx *ctx, cap_id_t cap,
                                            rights_t rights)
{
	return cap_lookup(ctx->cspace, cap, OBJ_THREAD, rights, CAP_WANT_ACTIVE);
}

static struct vcpu *vcpu_of(struct cap_lookup_result r)
{
	return &((struct thread *)r.obj)->vcpu;
}

/*
 * The CPU a vCPU is scheduled on: its own once it was powered on, else the caller's (which it then
 * joins). NULL where no CPU runs the caller (the host's unit tests and fuzzers call the core
 * directly).
 */
static struct sched *vcpu_sched(const struct core_ctx *ctx, struct vcpu *v)
{
	if (v->cpu == NULL && ctx->vcpu != NULL) {
		v->cpu = ctx->vcpu->cpu;
	}
	return v->cpu != NULL ? &v->cpu->sched : NULL;
}

error_t core_vcpu_configure(const struct core_ctx *ctx, cap_id_t cap, uint64_t options)
{
	struct cap_lookup_result t =
	    cap_lookup(ctx->cspace, cap, OBJ_THREAD, RIGHT_OBJECT_ACTIVATE, CAP_WANT_INIT);

	if (t.error != OK) {
		return t.error;
	}
	if ((options & ~THREAD_OPTIONS_VALID) != 0U) {
		return ERROR_ARGUMENT_INVALID;
	}
	((struct thread *)t.obj)->options = options;
	return OK;
}

error_t core_vcpu_poweron(const struct core_ctx *ctx, cap_id_t cap, uint64_t entry,
                          uint64_t context, uint64_t flags)
{
	struct cap_lookup_result t = vcpu_lookup(ctx, cap, RIGHT_THREAD_POWER);
	struct vcpu *v;
	struct sched *s;

	if (t.error != OK) {
		return t.error;
	}
	v = vcpu_of(t);
	if ((flags & ~(VCPU_POWERON_PRESERVE_ENTRY | VCPU_POWERON_PRESERVE_CONTEXT)) != 0U ||
	    ((flags & VCPU_POWERON_PRESERVE_ENTRY) == 0U && !IS_ALIGNED(entry, VCPU_PC_ALIGN))) {
		return ERROR_ARGUMENT_INVALID;
	}
	if (v->power == VCPU_POWER_KILLED) {
		return ERROR_OBJECT_STATE;
	}
	s = vcpu_sched(ctx, v);
	if (v->power == VCPU_POWER_ON || s == NULL) {
		return ERROR_BUSY;
	}
	/* EL1 state out of reset; the general registers keep what vcpu_register_write put there. */
	arch_vcpu_context_reset(v);
	v->regs.pstate = arch_vcpu_reset_pstate();
	if ((flags & VCPU_POWERON_PRESERVE_ENTRY) == 0U) {
		v->regs.pc = entry;
	}
	if ((flags & VCPU_POWERON_PRESERVE_CONTEXT) == 0U) {
		v->regs.x[0] = context;
	}
	v->power = VCPU_POWER_ON;
	sched_wake(s, v);
	if (v->sched.is_proxied) {
		vcpu_run_wakeup(v); /* held: its proxy scheduler is told to run it */
	}
	return OK;
}

/* Two vCPUs belong to the same VM when they run in the same address space: the same VMID. */
static bool vcpu_same_vm(const struct vcpu *v, const void *arg)
{
	const struct vcpu *other = arg;

	return v->vmid == other->vmid;
}

error_t core_vcpu_poweroff(const struct core_ctx *ctx, cap_id_t cap, uint64_t flags)
{
	struct cap_lookup_result t = vcpu_lookup(ctx, cap, RIGHT_THREAD_POWER);
	struct vcpu *v;
	struct sched *s;
	bool is_last;

	if (t.error != OK) {
		return t.error;
	}
	v = vcpu_of(t);
	s = vcpu_sched(ctx, v);
	if (v != ctx->vcpu || s == NULL || (flags & ~VCPU_POWEROFF_LAST_VCPU) != 0U) {
		return ERROR_ARGUMENT_INVALID;
	}
	/* The last powered-on vCPU of its VM must say so, and only it may. */
	is_last = sched_count(s, vcpu_same_vm, v) == 1U;
	if (is_last != ((flags & VCPU_POWEROFF_LAST_VCPU) != 0U)) {
		return ERROR_DENIED;
	}
	v->power = VCPU_POWER_OFF;
	sched_block(s, v);
	return OK;
}

error_t core_vcpu_kill(const struct core_ctx *ctx, cap_id_t cap)
{
	struct cap_lookup_result t = vcpu_lookup(ctx, cap, RIGHT_THREAD_LIFECYCLE);
	struct vcpu *v;

	if (t.error != OK) {
		return t.error;
	}
	v = vcpu_of(t);
	if (v->power == VCPU_POWER_KILLED) {
		return ERROR_OBJECT_STATE;
	}
	arch_vcpu_stopped(v);
	v->power = VCPU_POWER_KILLED;
	if (v->cpu != NULL) {
		sched_block(&v->cpu->sched, v);
	}
	/* A proxy learns it through the wakeup VIRQ, as it learns a poweron (section 9: the
	 * proxy waits for the VIRQ); its next vcpu_run reports the exit. */
	if (v->sched.is_proxied) {
		v->is_exit_unseen = true;
		vcpu_run_wakeup(v);
	}
	return OK;
}

/* A thread's scheduling parameters are set while INIT, as upstream's (OBJECT_STATE after). */
static struct cap_lookup_result vcpu_init_lookup(const struct core_ctx *ctx, cap_id_t cap,
                                                 rights_t rights)
{
	return cap_lookup(ctx->cspace, cap, OBJ_THREAD, rights, CAP_WANT_INIT);
}

error_t core_vcpu_set_priority(const struct core_ctx *ctx, cap_id_t cap, uint64_t priority)
{
	struct cap_lookup_result t = vcpu_init_lookup(ctx, cap, RIGHT_THREAD_PRIORITY);
	struct thread *thread;

	if (t.error != OK) {
		return t.error;
	}
	if (priority >= SCHED_PRIORITIES) {
		return ERROR_ARGUMENT_INVALID;
	}
	thread = (struct thread *)t.obj;
	thread->priority = (uint8_t)priority;
	thread->is_priority_set = true;
	return OK;
}

error_t core_vcpu_set_timeslice(const struct core_ctx *ctx, cap_id_t cap, uint64_t timeslice_ns)
{
	struct cap_lookup_result t = vcpu_init_lookup(ctx, cap, RIGHT_THREAD_TIMESLICE);

	if (t.error != OK) {
		return t.error;
	}
	if (timeslice_ns < SCHED_TIMESLICE_MIN_NS || timeslice_ns > SCHED_TIMESLICE_MAX_NS) {
		return ERROR_ARGUMENT_INVALID;
	}
	((struct thread *)t.obj)->timeslice_ns = timeslice_ns;
	return OK;
}

error_t core_vcpu_register_write(const struct core_ctx *ctx, cap_id_t cap, uint64_t regset,
                                 uint64_t index, uint64_t value)
{
	struct cap_lookup_result t = vcpu_lookup(ctx, cap, RIGHT_THREAD_WRITE_CONTEXT);
	struct vcpu *v;

	if (t.error != OK) {
		return t.error;
	}
	v = vcpu_of(t);
	if (!((regset == VCPU_REGSET_X && index <= 30U) ||
	      (regset == VCPU_REGSET_PC && index == 0U) ||
	      (regset == VCPU_REGSET_SP_EL && index <= 1U))) {
		return ERROR_ARGUMENT_INVALID;
	}
	/* Only a vCPU that does not run has its registers in memory. */
	if (v->power == VCPU_POWER_ON) {
		return ERROR_BUSY;
	}
	if (v->power == VCPU_POWER_KILLED) {
		return ERROR_OBJECT_STATE;
	}
	if (regset == VCPU_REGSET_X) {
		v->regs.x[index] = value;
	} else if (regset == VCPU_REGSET_PC) {
		v->regs.pc = value;
	} else {
		arch_vcpu_set_sp(v, (unsigned)index, value);
	}
	return OK;
}

/* One physical CPU runs every vCPU (index 0); any other index names no CPU. */
error_t core_vcpu_set_affinity(const struct core_ctx *ctx, cap_id_t cap, uint64_t cpu_index)
{
	struct cap_lookup_result t = vcpu_init_lookup(ctx, cap, RIGHT_THREAD_AFFINITY);

	if (t.error != OK) {
		return t.error;
	}
	return cpu_index == 0U ? OK : ERROR_ARGUMENT_INVALID;
}

/* vcpu_bind_virq's one virq_type (reference section 2) and vcpu_run's states (section 9). */
#define VCPU_VIRQ_RUN_WAKEUP          1U
#define VCPU_RUN_STATE_READY          0U
#define VCPU_RUN_STATE_EXPECTS_WAKEUP 1U
#define VCPU_RUN_STATE_POWERED_OFF    2U
#define VCPU_RUN_STATE_VMMIO_READ     4U
#define VCPU_RUN_STATE_VMMIO_WRITE    5U
#define VCPU_RUN_STATE_FAULT          6U
#define VCPU_RUN_POWEROFF_EXITED      BIT(0)

/* A vCPU some CPU runs now: itself (the caller) or a proxied vCPU in a proxy run. */
static bool vcpu_is_running(const struct core_ctx *ctx, const struct vcpu *v)
{
	return v == ctx->vcpu || v->sched.runs_for != NULL;
}

/* The wakeup VIRQ's level condition: the vCPU is held, ready for a vcpu_run (not stopped at a VMMIO
 * access: its proxy was told that by the run that met it, as upstream), or it was killed and no
 * vcpu_run has reported that yet. */
static bool vcpu_run_wants_cpu(const struct virq_source *src)
{
	const struct vcpu *v =
	    (const struct vcpu *)(const void *)((const char *)src -
	                                        __builtin_offsetof(struct vcpu, run_wakeup));

	return (v->sched.is_held && v->vmmio.state == 0U) || v->is_exit_unseen;
}

/*
 * What a vcpu_run of @v returns when it does not run it (or once the run ended): its state and
 * state_data_0..2 (section 9). humpy never blocks a vCPU for itself (no BLOCKED); a vCPU stopped at
 * a VMMIO access (held, but run only to complete it) says which; a killed vCPU has exited at once
 * (POWERED_OFF, exited).
 */
static struct core_run_result vcpu_run_state(const struct vcpu *v)
{
	uint64_t state = VCPU_RUN_STATE_READY, data0 = 0;

	if (v->is_faulted) {
		state = VCPU_RUN_STATE_FAULT;
	} else if (v->power == VCPU_POWER_KILLED) {
		state = VCPU_RUN_STATE_POWERED_OFF;
		data0 = VCPU_RUN_POWEROFF_EXITED;
	} else if (v->power == VCPU_POWER_OFF) {
		state = VCPU_RUN_STATE_POWERED_OFF;
	} else if (v->vmmio.state != 0U) {
		return (struct core_run_result){
		    .error = OK,
		    .state = v->vmmio.state,
		    .data = {v->vmmio.ipa, v->vmmio.size, v->vmmio.value},
		};
	} else if (v->sched.is_waiting) {
		state = VCPU_RUN_STATE_EXPECTS_WAKEUP; /* data0 0: a WFI (no PSCI suspend) */
	}
	return (struct core_run_result){.error = OK, .state = state, .data = {data0, 0, 0}};
}

void vcpu_run_wakeup(struct vcpu *v)
{
	virq_assert(&v->run_wakeup, false);
}

bool vcpu_vmmio_exit(struct vcpu *v, uint64_t ipa, uint64_t size, bool is_write, uint64_t value,
                     uint64_t syndrome)
{
	const struct addrspace *as = v->thread != NULL ? v->thread->addrspace : NULL;

	/* Only a proxy can emulate it: a vCPU scheduled on its own gets the abort, as upstream. */
	if (v->sched.runs_for == NULL || as == NULL || !addrspace_vmmio_covers(as, ipa, size)) {
		return false;
	}
	v->vmmio = (struct vcpu_vmmio){
	    .state = is_write ? VCPU_RUN_STATE_VMMIO_WRITE : VCPU_RUN_STATE_VMMIO_READ,
	    .ipa = ipa,
	    .size = size,
	    .value = is_write ? value : 0U,
	    .syndrome = syndrome,
	};
	/* The run ends (its caller's vcpu_run returns the state); the vCPU is held again. */
	sched_proxy_interrupt(&v->cpu->sched);
	return true;
}

void vcpu_run_finish(struct vcpu *caller, const struct vcpu *target)
{
	struct core_run_result r = vcpu_run_state(target);

	caller->regs.x[0] = (uint64_t)(int64_t)r.error;
	caller->regs.x[1] = r.state;
	caller->regs.x[2] = r.data[0];
	caller->regs.x[3] = r.data[1];
	caller->regs.x[4] = r.data[2];
}

/*
 * Binding VCPU_RUN_WAKEUP makes the vCPU proxy-scheduled for good (as upstream: unbinding drops
 * only the VIRQ): it runs only through vcpu_run. A running vCPU cannot change that (BUSY).
 */
error_t core_vcpu_bind_virq(const struct core_ctx *ctx, cap_id_t cap, cap_id_t vic_cap,
                            uint64_t virq, uint64_t virq_type)
{
	struct cap_lookup_result t = vcpu_lookup(ctx, cap, RIGHT_THREAD_BIND_VIRQ);
	struct cap_lookup_result vic;
	struct vcpu *v;
	struct sched *s;
	error_t err;

	if (t.error != OK) {
		return t.error;
	}
	vic = cap_lookup(ctx->cspace, vic_cap, OBJ_VIC, RIGHT_VIC_BIND_SOURCE, CAP_WANT_ACTIVE);
	if (vic.error != OK) {
		return vic.error;
	}
	if (virq_type != VCPU_VIRQ_RUN_WAKEUP) {
		return ERROR_ARGUMENT_INVALID;
	}
	v = vcpu_of(t);
	if (vcpu_is_running(ctx, v)) {
		return ERROR_BUSY;
	}
	err = virq_bind(&v->run_wakeup, (struct vic *)vic.obj, virq);
	if (err != OK) {
		return err;
	}
	v->run_wakeup.condition = vcpu_run_wants_cpu;
	s = vcpu_sched(ctx, v);
	if (s != NULL) {
		sched_set_proxied(s, v);
	} else {
		v->sched.is_proxied = true; /* on no CPU yet: never queued */
	}
	return OK;
}

error_t core_vcpu_unbind_virq(const struct core_ctx *ctx, cap_id_t cap, uint64_t virq_type)
{
	struct cap_lookup_result t = vcpu_lookup(ctx, cap, RIGHT_THREAD_BIND_VIRQ);

	if (t.error != OK) {
		return t.error;
	}
	if (virq_type != VCPU_VIRQ_RUN_WAKEUP) {
		return ERROR_ARGUMENT_INVALID;
	}
	virq_unbind(&vcpu_of(t)->run_wakeup);
	return OK;
}

/*
 * vcpu_run (section 9): a proxied vCPU ready to run runs in the caller's place on the caller's CPU;
 * the caller's x0..x4 are set when the run ends (vcpu_run_finish). Not ready, its state at once.
 * BUSY: not proxied, running (itself, or in another run), on another CPU, or a caller that is a
 * proxy run itself (humpy does not nest them). A vCPU stopped at a VMMIO access completes it first:
 * a read loads @resume_data_0 (resume_data_1 and _2 are unused, as upstream).
 */
struct core_run_result core_vcpu_run(const struct core_ctx *ctx, cap_id_t cap,
                                     uint64_t resume_data_0)
{
	struct cap_lookup_result t =
	    vcpu_lookup(ctx, cap, RIGHT_THREAD_AFFINITY | RIGHT_THREAD_YIELD_TO);
	struct vcpu *v;
	struct sched *s;

	if (t.error != OK) {
		return (struct core_run_result){.error = t.error};
	}
	v = vcpu_of(t);
	s = ctx->vcpu != NULL ? vcpu_sched(ctx, v) : NULL;
	if (s == NULL || !v->sched.is_proxied || vcpu_is_running(ctx, v) ||
	    v->cpu != ctx->vcpu->cpu || ctx->vcpu->sched.runs_for != NULL) {
		return (struct core_run_result){.error = ERROR_BUSY};
	}
	if (v->vmmio.state == VCPU_RUN_STATE_VMMIO_READ) {
		arch_vcpu_vmmio_load(v, v->vmmio.syndrome, resume_data_0);
	}
	v->vmmio.state = 0U;
	if (v->sched.is_held) {
		sched_run_proxied(s, v);
	}
	v->is_exit_unseen = false; /* a killed vCPU's exit is reported now: its VIRQ drops */
	return vcpu_run_state(v);
}

/* vcpu_run_check: the state a vcpu_run would find, without running; BUSY while it runs or is
 * scheduled on its own (not halted). */
struct core_run_result core_vcpu_run_check(const struct core_ctx *ctx, cap_id_t cap)
{
	struct cap_lookup_result t =
	    vcpu_lookup(ctx, cap, RIGHT_THREAD_BIND_VIRQ | RIGHT_THREAD_STATE);
	struct vcpu *v;

	if (t.error != OK) {
		return (struct core_run_result){.error = t.error};
	}
	v = vcpu_of(t);
	if (vcpu_is_running(ctx, v) ||
	    (!v->sched.is_proxied && v->sched.is_runnable && !v->sched.is_waiting)) {
		return (struct core_run_result){.error = ERROR_BUSY};
	}
	return vcpu_run_state(v);
}

error_t core_scheduler_yield(const struct core_ctx *ctx, uint64_t control, uint64_t arg1)
{
	uint64_t hint = control & SCHED_YIELD_HINT_MASK;
	struct sched *s =
	    ctx->vcpu != NULL && ctx->vcpu->cpu != NULL ? &ctx->vcpu->cpu->sched : NULL;

	/* Bit 31 (implementation defined) is refused as upstream does; bits 30:16 are reserved. */
	if ((control & ~SCHED_YIELD_HINT_MASK) != 0U) {
		return ERROR_ARGUMENT_INVALID;
	}
	switch (hint) {
	case SCHED_YIELD_HINT_GENERIC:
		if (s != NULL) {
			sched_yield_generic(s);
		}
		return OK;
	case SCHED_YIELD_HINT_TO_THREAD: {
		struct cap_lookup_result t;

		/* arg1 is a cap only with this hint, so the dispatcher's no-cspace check (cap_mask)
		 * cannot cover it: answer as it does for a caller without a cspace. */
		if (ctx->cspace == NULL) {
			return ERROR_ARGUMENT_INVALID;
		}
		t = vcpu_lookup(ctx, arg1, RIGHT_THREAD_YIELD_TO);
		if (t.error != OK) {
			return t.error;
		}
		/* A target on another CPU (none yet) or not runnable: a plain yield. */
		if (s != NULL && vcpu_of(t)->cpu == ctx->vcpu->cpu) {
			sched_yield_to(s, vcpu_of(t));
		} else if (s != NULL) {
			sched_yield_generic(s);
		}
		return OK;
	}
	case SCHED_YIELD_HINT_LOWER:
		if (arg1 >= SCHED_PRIORITIES) {
			return ERROR_ARGUMENT_INVALID;
		}
		if (s != NULL) {
			sched_yield_lower(s, (unsigned)arg1);
		}
		return OK;
	default:
		return ERROR_ARGUMENT_INVALID;
	}
}

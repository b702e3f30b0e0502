/*
 * vcpu_calls: the vcpu_* and scheduler_yield hypercalls as core calls (reference section 2; rights
 * section 7). Every input is checked before anything changes; scheduling decisions go to the
 * vCPU's CPU (sched.h), and the arch switches on its way back to a guest.
 */
#include "core_call.h"
#include "cpu_local.h"
#include "thread.h"

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
	v->power = VCPU_POWER_KILLED;
	if (v->cpu != NULL) {
		sched_block(&v->cpu->sched, v);
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

/*
 * vcpu_bind_virq's one documented type, VCPU_RUN_WAKEUP (1), belongs to vcpu_run, which humpy does
 * not offer: after the cap checks every type is ARGUMENT_INVALID (spec deviation vcpu_virq_types).
 */
error_t core_vcpu_bind_virq(const struct core_ctx *ctx, cap_id_t cap, cap_id_t vic_cap,
                            uint64_t virq, uint64_t virq_type)
{
	struct cap_lookup_result t = vcpu_lookup(ctx, cap, RIGHT_THREAD_BIND_VIRQ);
	struct cap_lookup_result v;

	(void)virq;
	(void)virq_type;
	if (t.error != OK) {
		return t.error;
	}
	v = cap_lookup(ctx->cspace, vic_cap, OBJ_VIC, RIGHT_VIC_BIND_SOURCE, CAP_WANT_ACTIVE);
	if (v.error != OK) {
		return v.error;
	}
	return ERROR_ARGUMENT_INVALID;
}

error_t core_vcpu_unbind_virq(const struct core_ctx *ctx, cap_id_t cap, uint64_t virq_type)
{
	struct cap_lookup_result t = vcpu_lookup(ctx, cap, RIGHT_THREAD_BIND_VIRQ);

	(void)virq_type;
	return t.error != OK ? t.error : ERROR_ARGUMENT_INVALID;
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

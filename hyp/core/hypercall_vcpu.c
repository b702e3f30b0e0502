/* hypercall_vcpu: native-table handlers of the vCPU and scheduler calls. */
#include "hypercall_handlers.h"

HYPERCALL_HANDLER(vcpu_configure)
{
	return hypercall_error(core_vcpu_configure(ctx, in->x[0], in->x[1]));
}

HYPERCALL_HANDLER(vcpu_poweron)
{
	return hypercall_error(core_vcpu_poweron(ctx, in->x[0], in->x[1], in->x[2], in->x[3]));
}

HYPERCALL_HANDLER(vcpu_poweroff)
{
	return hypercall_error(core_vcpu_poweroff(ctx, in->x[0], in->x[1]));
}

HYPERCALL_HANDLER(vcpu_kill)
{
	return hypercall_error(core_vcpu_kill(ctx, in->x[0]));
}

HYPERCALL_HANDLER(scheduler_yield)
{
	return hypercall_error(core_scheduler_yield(ctx, in->x[0], in->x[1]));
}

HYPERCALL_HANDLER(vcpu_set_priority)
{
	return hypercall_error(core_vcpu_set_priority(ctx, in->x[0], in->x[1]));
}

HYPERCALL_HANDLER(vcpu_set_timeslice)
{
	return hypercall_error(core_vcpu_set_timeslice(ctx, in->x[0], in->x[1]));
}

HYPERCALL_HANDLER(vcpu_bind_virq)
{
	return hypercall_error(core_vcpu_bind_virq(ctx, in->x[0], in->x[1], in->x[2], in->x[3]));
}

HYPERCALL_HANDLER(vcpu_unbind_virq)
{
	return hypercall_error(core_vcpu_unbind_virq(ctx, in->x[0], in->x[1]));
}

HYPERCALL_HANDLER(vcpu_register_write)
{
	return hypercall_error(
	    core_vcpu_register_write(ctx, in->x[0], in->x[1], in->x[2], in->x[3]));
}

HYPERCALL_HANDLER(vcpu_set_affinity)
{
	return hypercall_error(core_vcpu_set_affinity(ctx, in->x[0], in->x[1]));
}

static struct hypercall_result hypercall_run_result(struct core_run_result r)
{
	return (struct hypercall_result){
	    .x = {(uint64_t)(int64_t)r.error, r.state, r.data[0], r.data[1], r.data[2]},
	    .count = 5};
}

HYPERCALL_HANDLER(vcpu_run)
{
	return hypercall_run_result(core_vcpu_run(ctx, in->x[0], in->x[1]));
}

HYPERCALL_HANDLER(vcpu_run_check)
{
	return hypercall_run_result(core_vcpu_run_check(ctx, in->x[0]));
}

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

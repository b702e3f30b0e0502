/* host_vcpu: the host stand-in's half of a vCPU (vcpu.h): no EL1 state, only what tests read. */
#include "vcpu.h"

void arch_vcpu_context_reset(struct vcpu *vcpu)
{
	struct vcpu_context c = {.resets = vcpu->ctx.resets + 1U};

	/* The stack pointers are registers vcpu_register_write sets: kept, as the others are. */
	c.sp_el[0] = vcpu->ctx.sp_el[0];
	c.sp_el[1] = vcpu->ctx.sp_el[1];
	vcpu->ctx = c;
}

void arch_vcpu_set_sp(struct vcpu *vcpu, unsigned el, uint64_t value)
{
	vcpu->ctx.sp_el[el != 0U] = value;
}

uint64_t arch_vcpu_reset_pstate(void)
{
	return 0x3C5U; /* EL1h, D, A, I, F masked: the value AArch64 uses */
}

void arch_vcpu_stopped(struct vcpu *vcpu)
{
	vcpu->ctx.stops++;
}

/* The host's stand-in syndrome names the register (0..30) the value goes to, unextended. */
void arch_vcpu_vmmio_load(struct vcpu *vcpu, uint64_t syndrome, uint64_t value)
{
	vcpu->regs.x[syndrome % 31U] = value;
}

/* hypercall_vic: native-table handlers of the VIC calls. */
#include "hypercall_handlers.h"

HYPERCALL_HANDLER(partition_create_vic)
{
	return hypercall_value(core_partition_create(ctx, OBJ_VIC, in->x[0], in->x[1]));
}

HYPERCALL_HANDLER(vic_configure)
{
	return hypercall_error(
	    core_vic_configure(ctx, in->x[0], in->x[1], in->x[2], in->x[3], in->x[4]));
}

HYPERCALL_HANDLER(vic_attach_vcpu)
{
	return hypercall_error(core_vic_attach_vcpu(ctx, in->x[0], in->x[1], in->x[2]));
}

HYPERCALL_HANDLER(hwirq_bind_virq)
{
	return hypercall_error(core_hwirq_bind_virq(ctx, in->x[0], in->x[1], in->x[2]));
}

HYPERCALL_HANDLER(hwirq_unbind_virq)
{
	return hypercall_error(core_hwirq_unbind_virq(ctx, in->x[0]));
}

HYPERCALL_HANDLER(vic_bind_msi_source)
{
	return hypercall_error(core_vic_bind_msi_source(ctx, in->x[0], in->x[1]));
}

HYPERCALL_HANDLER(vgic_set_mpidr_mapping)
{
	return hypercall_error(
	    core_vgic_set_mpidr_mapping(ctx, in->x[0], in->x[1], &in->x[2], in->x[6]));
}

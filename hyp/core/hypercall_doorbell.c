/* hypercall_doorbell: native-table handlers of the doorbell calls. */
#include "hypercall_handlers.h"

HYPERCALL_HANDLER(partition_create_doorbell)
{
	return hypercall_value(core_partition_create(ctx, OBJ_DOORBELL, in->x[0], in->x[1]));
}

HYPERCALL_HANDLER(doorbell_bind_virq)
{
	return hypercall_error(core_doorbell_bind_virq(ctx, in->x[0], in->x[1], in->x[2]));
}

HYPERCALL_HANDLER(doorbell_unbind_virq)
{
	return hypercall_error(core_doorbell_unbind_virq(ctx, in->x[0]));
}

HYPERCALL_HANDLER(doorbell_send)
{
	return hypercall_value(core_doorbell_send(ctx, in->x[0], in->x[1]));
}

HYPERCALL_HANDLER(doorbell_receive)
{
	return hypercall_value(core_doorbell_receive(ctx, in->x[0], in->x[1]));
}

HYPERCALL_HANDLER(doorbell_reset)
{
	return hypercall_error(core_doorbell_reset(ctx, in->x[0]));
}

HYPERCALL_HANDLER(doorbell_mask)
{
	return hypercall_error(core_doorbell_mask(ctx, in->x[0], in->x[1], in->x[2]));
}

/* hypercall_msgqueue: native-table handlers of the message queue calls. */
#include "hypercall_handlers.h"

HYPERCALL_HANDLER(partition_create_msgqueue)
{
	return hypercall_value(core_partition_create(ctx, OBJ_MSGQUEUE, in->x[0], in->x[1]));
}

HYPERCALL_HANDLER(msgqueue_configure)
{
	return hypercall_error(core_msgqueue_configure(ctx, in->x[0], in->x[1]));
}

HYPERCALL_HANDLER(msgqueue_bind_send_virq)
{
	return hypercall_error(core_msgqueue_bind(ctx, in->x[0], true, in->x[1], in->x[2]));
}

HYPERCALL_HANDLER(msgqueue_bind_receive_virq)
{
	return hypercall_error(core_msgqueue_bind(ctx, in->x[0], false, in->x[1], in->x[2]));
}

HYPERCALL_HANDLER(msgqueue_unbind_send_virq)
{
	return hypercall_error(core_msgqueue_unbind(ctx, in->x[0], true));
}

HYPERCALL_HANDLER(msgqueue_unbind_receive_virq)
{
	return hypercall_error(core_msgqueue_unbind(ctx, in->x[0], false));
}

HYPERCALL_HANDLER(msgqueue_send)
{
	return hypercall_value(core_msgqueue_send(ctx, in->x[0], in->x[1], in->x[2], in->x[3]));
}

HYPERCALL_HANDLER(msgqueue_receive)
{
	return hypercall_values2(core_msgqueue_receive(ctx, in->x[0], in->x[1], in->x[2]));
}

HYPERCALL_HANDLER(msgqueue_flush)
{
	return hypercall_error(core_msgqueue_flush(ctx, in->x[0]));
}

HYPERCALL_HANDLER(msgqueue_configure_send)
{
	return hypercall_error(core_msgqueue_configure_send(ctx, in->x[0], in->x[1], in->x[2]));
}

HYPERCALL_HANDLER(msgqueue_configure_receive)
{
	return hypercall_error(core_msgqueue_configure_receive(ctx, in->x[0], in->x[1], in->x[2]));
}

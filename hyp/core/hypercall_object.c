/* hypercall_object: native-table handlers of the partition creates and the object lifecycle. */
#include "hypercall_handlers.h"

HYPERCALL_HANDLER(partition_create_partition)
{
	return hypercall_value(core_partition_create(ctx, OBJ_PARTITION, in->x[0], in->x[1]));
}

HYPERCALL_HANDLER(partition_create_cspace)
{
	return hypercall_value(core_partition_create(ctx, OBJ_CSPACE, in->x[0], in->x[1]));
}

HYPERCALL_HANDLER(partition_create_thread)
{
	return hypercall_value(core_partition_create(ctx, OBJ_THREAD, in->x[0], in->x[1]));
}

HYPERCALL_HANDLER(object_activate)
{
	return hypercall_error(core_object_activate(ctx, in->x[0]));
}

HYPERCALL_HANDLER(object_activate_from)
{
	return hypercall_error(core_object_activate_from(ctx, in->x[0], in->x[1]));
}

HYPERCALL_HANDLER(object_reset)
{
	return hypercall_error(core_object_reset(ctx, 0, in->x[0]));
}

HYPERCALL_HANDLER(object_reset_from)
{
	return hypercall_error(core_object_reset(ctx, in->x[0], in->x[1]));
}

/* hypercall_memextent: native-table handlers of the memory extent calls. */
#include "hypercall_handlers.h"
#include "mem_calls.h"

HYPERCALL_HANDLER(partition_create_memextent)
{
	return hypercall_value(core_partition_create(ctx, OBJ_MEMEXTENT, in->x[0], in->x[1]));
}

HYPERCALL_HANDLER(memextent_configure)
{
	return hypercall_error(
	    core_memextent_configure(ctx, in->x[0], in->x[1], in->x[2], in->x[3]));
}

HYPERCALL_HANDLER(memextent_configure_derive)
{
	return hypercall_error(
	    core_memextent_configure_derive(ctx, in->x[0], in->x[1], in->x[2], in->x[3], in->x[4]));
}

HYPERCALL_HANDLER(memextent_modify)
{
	return hypercall_error(core_memextent_modify(ctx, in->x[0], in->x[1], in->x[2], in->x[3]));
}

HYPERCALL_HANDLER(memextent_donate)
{
	return hypercall_error(
	    core_memextent_donate(ctx, in->x[0], in->x[1], in->x[2], in->x[3], in->x[4]));
}

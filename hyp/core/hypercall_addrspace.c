/* hypercall_addrspace: native-table handlers of the address space calls. */
#include "hypercall_handlers.h"
#include "mem_calls.h"

HYPERCALL_HANDLER(partition_create_addrspace)
{
	return hypercall_value(core_partition_create(ctx, OBJ_ADDRSPACE, in->x[0], in->x[1]));
}

HYPERCALL_HANDLER(addrspace_configure)
{
	return hypercall_error(core_addrspace_configure(ctx, in->x[0], in->x[1]));
}

HYPERCALL_HANDLER(addrspace_attach_thread)
{
	return hypercall_error(core_addrspace_attach_thread(ctx, in->x[0], in->x[1]));
}

HYPERCALL_HANDLER(addrspace_map)
{
	return hypercall_error(core_addrspace_map(ctx, in->x[0], in->x[1], in->x[2], in->x[3],
	                                          in->x[4], in->x[5], in->x[6]));
}

HYPERCALL_HANDLER(addrspace_unmap)
{
	return hypercall_error(
	    core_addrspace_unmap(ctx, in->x[0], in->x[1], in->x[2], in->x[3], in->x[4], in->x[5]));
}

HYPERCALL_HANDLER(addrspace_update_access)
{
	return hypercall_error(core_addrspace_update_access(
	    ctx, in->x[0], in->x[1], in->x[2], in->x[3], in->x[4], in->x[5], in->x[6]));
}

HYPERCALL_HANDLER(addrspace_lookup)
{
	struct addrspace_lookup_result r =
	    core_addrspace_lookup(ctx, in->x[0], in->x[1], in->x[2], in->x[3]);

	return (struct hypercall_result){
	    .x = {(uint64_t)(int64_t)r.error, r.offset, r.size, r.map_attrs},
	    .count = 4,
	};
}

HYPERCALL_HANDLER(addrspace_attach_vdma)
{
	return hypercall_error(
	    core_addrspace_unbuilt(ctx, in->x[0], RIGHT_ADDRSPACE_ATTACH, false));
}

HYPERCALL_HANDLER(addrspace_configure_info_area)
{
	return hypercall_error(core_addrspace_unbuilt(ctx, in->x[0], RIGHT_OBJECT_ACTIVATE, true));
}

HYPERCALL_HANDLER(addrspace_configure_vmmio)
{
	return hypercall_error(
	    core_addrspace_configure_vmmio(ctx, in->x[0], in->x[1], in->x[2], in->x[3]));
}

HYPERCALL_HANDLER(addrspace_attach_vdevice)
{
	return hypercall_error(
	    core_addrspace_unbuilt(ctx, in->x[0], RIGHT_ADDRSPACE_ATTACH, false));
}

/* hypercall_cspace: native-table handlers of the cspace calls. */
#include "hypercall_handlers.h"

HYPERCALL_HANDLER(cspace_delete_cap_from)
{
	return hypercall_error(core_cspace_delete_cap_from(ctx, in->x[0], in->x[1]));
}

HYPERCALL_HANDLER(cspace_copy_cap_from)
{
	return hypercall_value(
	    core_cspace_copy_cap_from(ctx, in->x[0], in->x[1], in->x[2], in->x[3]));
}

HYPERCALL_HANDLER(cspace_revoke_cap_from)
{
	return hypercall_error(core_cspace_revoke_cap_from(ctx, in->x[0], in->x[1]));
}

HYPERCALL_HANDLER(cspace_configure)
{
	return hypercall_error(core_cspace_configure(ctx, in->x[0], in->x[1]));
}

HYPERCALL_HANDLER(cspace_attach_thread)
{
	return hypercall_error(core_cspace_attach_thread(ctx, in->x[0], in->x[1]));
}

HYPERCALL_HANDLER(cspace_revoke_caps_from)
{
	return hypercall_error(core_cspace_revoke_caps_from(ctx, in->x[0], in->x[1]));
}

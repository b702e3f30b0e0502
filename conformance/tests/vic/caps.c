/* Every cap-lookup error of the vic calls' cap inputs (§2 cap lookup, §7), and the creation errors
 * of partition_create_vic (0x0a). */
#include <humpy/ipc.h>

#define VIC_TEST(name) IPC_TEST(vic, name, GH_API_FLAG0_VIC, "vic", false)

/* Proves every cap-lookup error of vic_configure's VIC input; an active VIC is the wrong state
 * (§2, §7: configure while INIT). */
VIC_TEST(configure_cap_errors)
{
	u64 v = root_create(rc, GH_HVC_PARTITION_CREATE_VIC, rc->partition);
	u64 active = vic_make(rc, 1, 8, true);
	const u64 args[5] = {v, 1, 8, 0, 0};

	RETURN_IF_FAILED();
	ipc_cap_errors(rc, GH_HVC_VIC_CONFIGURE, args, 0, rc->cspace, GH_RIGHT_VIC_OBJECT_ACTIVATE,
	               active);
}

/* Proves every cap-lookup error of vic_attach_vcpu's VIC input (§2, §7). */
VIC_TEST(attach_vic_cap_errors)
{
	u64 v = vic_make(rc, 1, 8, true);
	u64 idle = vic_make(rc, 1, 8, false);
	u64 t = root_create(rc, GH_HVC_PARTITION_CREATE_THREAD, rc->partition);
	const u64 args[5] = {v, t, 0, 0, 0};

	RETURN_IF_FAILED();
	ipc_cap_errors(rc, GH_HVC_VIC_ATTACH_VCPU, args, 0, rc->cspace, GH_RIGHT_VIC_ATTACH_VCPU,
	               idle);
}

/* Proves every cap-lookup error of vic_attach_vcpu's thread input; the running vCPU (active) is
 * the wrong state when the build names it (§2, §7). */
IPC_TEST(vic, attach_vcpu_cap_errors, GH_API_FLAG0_VIC, "vic", false)
{
	u64 v = vic_make(rc, 1, 8, true);
	u64 t = root_create(rc, GH_HVC_PARTITION_CREATE_THREAD, rc->partition);
	const u64 args[5] = {v, t, 0, 0, 0};

	RETURN_IF_FAILED();
	ipc_cap_errors(rc, GH_HVC_VIC_ATTACH_VCPU, args, 1, rc->cspace,
	               GH_RIGHT_THREAD_OBJECT_ACTIVATE, self->vcpu);
}

/* Proves every cap-lookup error of partition_create_vic's partition and cspace inputs (§2). */
VIC_TEST(create_cap_errors)
{
	u64 idle_part = root_partition(rc, 0, false);
	u64 idle_cs = root_cspace(rc, 4, false);
	const u64 args[5] = {rc->partition, rc->cspace, 0, 0, 0};

	RETURN_IF_FAILED();
	ipc_cap_errors(rc, GH_HVC_PARTITION_CREATE_VIC, args, 0, rc->cspace,
	               GH_RIGHT_PARTITION_OBJECT_CREATE, idle_part);
	RETURN_IF_FAILED();
	ipc_cap_errors(rc, GH_HVC_PARTITION_CREATE_VIC, args, 1, rc->partition,
	               GH_RIGHT_CSPACE_CAP_CREATE, idle_cs);
}

/* Proves partition_create_vic into a full cspace is CSPACE_FULL, and from an exhausted child
 * partition NOMEM (§2 creates). */
VIC_TEST(create_full_nomem)
{
	ipc_create_full_nomem(rc, GH_HVC_PARTITION_CREATE_VIC);
}

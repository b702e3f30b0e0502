/* addrspace_configure (0x2e), activation, addrspace_attach_thread (0x2a) (reference section 2
 * addrspace_configure, section 7 states). */
#include <humpy/arch.h>
#include <humpy/ipc.h>
#include <humpy/mem.h>

#define AS_TEST(name) MEM_TEST(addrspace, name, false)

/* Proves configure with a VMID then activate give exact results (§2: 16-bit VMID). */
AS_TEST(configure_ok)
{
	u64 as = root_create(rc, GH_HVC_PARTITION_CREATE_ADDRSPACE, rc->partition);

	RETURN_IF_FAILED();
	ASSERT_RESULT("addrspace_configure",
	              hc(GH_HVC_ADDRSPACE_CONFIGURE, as, MEM_VMID_A, 0, 0, 0), 0, 0);
	ASSERT_RESULT("object_activate", hc(GH_HVC_OBJECT_ACTIVATE, as, 0, 0, 0, 0), 0, 0);
}

/* Proves a VMID past 16 bits is ARGUMENT_INVALID (§2 addrspace_configure: 16-bit VMID), and past
 * 8 bits on a CPU with 8-bit VMIDs (ID_AA64MMFR1_EL1.VMIDBits != 2: a Cortex-A53), where the
 * hardware's VTTBR cannot hold more; the largest VMID below the bound is taken. */
AS_TEST(configure_vmid_bounds)
{
	u64 limit = ((sysreg_read(id_aa64mmfr1_el1) >> 4) & 0xF) == 2 ? 0x10000 : 0x100;
	const u64 bad[] = {limit, limit | MEM_VMID_A, 0x10000, 1ULL << 32, ~0ULL};
	u64 as = root_create(rc, GH_HVC_PARTITION_CREATE_ADDRSPACE, rc->partition);
	unsigned i;

	RETURN_IF_FAILED();
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		u64 err = hc_err(GH_HVC_ADDRSPACE_CONFIGURE, as, bad[i], 0);

		if (err != E(ARGUMENT_INVALID)) {
			test_fail("vmid 0x%lx: x0 expected 0x1 got 0x%lx", bad[i], err);
			return;
		}
	}
	ASSERT_EQ("vmid limit - 1 then", hc_err(GH_HVC_ADDRSPACE_CONFIGURE, as, limit - 1, 0), 0);
}

/* Proves the root VM's VMID (255) cannot be given to a second address space: configure takes it,
 * activation is BUSY (§2: ROOT_VM_VMID = 255; spec object_activate BUSY: a VMID held by another).
 */
AS_TEST(configure_vmid_root)
{
	u64 as = root_create(rc, GH_HVC_PARTITION_CREATE_ADDRSPACE, rc->partition);

	RETURN_IF_FAILED();
	ASSERT_EQ("configure vmid 255",
	          hc_err(GH_HVC_ADDRSPACE_CONFIGURE, as, GH_LIMIT_ROOT_VM_VMID, 0), 0);
	ASSERT_EQ("activate", hc_err(GH_HVC_OBJECT_ACTIVATE, as, 0, 0), E(BUSY));
	ASSERT_EQ("activate again (still INIT)", hc_err(GH_HVC_OBJECT_ACTIVATE, as, 0, 0), E(BUSY));
}

/* Proves two address spaces never share a VMID: the second activation with the same one is BUSY,
 * and succeeds once the first is deleted (§2, issue 10: each address space its own VMID; spec
 * object_activate BUSY). */
AS_TEST(configure_vmid_unique)
{
	u64 first = as_make(rc, MEM_VMID_A, true), second;

	RETURN_IF_FAILED();
	second = root_create(rc, GH_HVC_PARTITION_CREATE_ADDRSPACE, rc->partition);
	RETURN_IF_FAILED();
	ASSERT_EQ("configure the second with the same VMID",
	          hc_err(GH_HVC_ADDRSPACE_CONFIGURE, second, MEM_VMID_A, 0), 0);
	ASSERT_EQ("activate the second", hc_err(GH_HVC_OBJECT_ACTIVATE, second, 0, 0), E(BUSY));
	ASSERT_EQ("delete the first", root_del(rc, first), 0);
	ASSERT_EQ("activate the second once the VMID is free",
	          hc_err(GH_HVC_OBJECT_ACTIVATE, second, 0, 0), 0);
}

/* Proves a non-zero res0 is ARGUMENT_INVALID natively and ignored through SMCCC (§1b, §2 res0). */
AS_TEST(configure_res0)
{
	u64 as = root_create(rc, GH_HVC_PARTITION_CREATE_ADDRSPACE, rc->partition);

	RETURN_IF_FAILED();
	ASSERT_RESULT("native res0 = 1", hc(GH_HVC_ADDRSPACE_CONFIGURE, as, MEM_VMID_A, 1, 0, 0),
	              E(ARGUMENT_INVALID), 0);
	ASSERT_EQ("SMCCC res0 = 1", hs(GH_HVC_ADDRSPACE_CONFIGURE, as, MEM_VMID_A, 1, 0, 0).x[0],
	          0);
	ASSERT_EQ("activate", hc_err(GH_HVC_OBJECT_ACTIVATE, as, 0, 0), 0);
}

/* Proves configure after activation is OBJECT_STATE, and a second activation too (§7). */
AS_TEST(configure_after_activate)
{
	u64 as = as_make(rc, MEM_VMID_A, true);

	RETURN_IF_FAILED();
	ASSERT_RESULT("configure an active address space",
	              hc(GH_HVC_ADDRSPACE_CONFIGURE, as, MEM_VMID_B, 0, 0, 0), E(OBJECT_STATE), 0);
	ASSERT_EQ("activate again", hc_err(GH_HVC_OBJECT_ACTIVATE, as, 0, 0), E(OBJECT_STATE));
}

/* Proves a second configure in INIT replaces the first VMID: the first is free for another (§7). */
AS_TEST(configure_twice)
{
	u64 as = root_create(rc, GH_HVC_PARTITION_CREATE_ADDRSPACE, rc->partition);

	RETURN_IF_FAILED();
	ASSERT_EQ("configure vmid A", hc_err(GH_HVC_ADDRSPACE_CONFIGURE, as, MEM_VMID_A, 0), 0);
	ASSERT_EQ("configure vmid B", hc_err(GH_HVC_ADDRSPACE_CONFIGURE, as, MEM_VMID_B, 0), 0);
	ASSERT_EQ("activate", hc_err(GH_HVC_OBJECT_ACTIVATE, as, 0, 0), 0);
	as_make(rc, MEM_VMID_A, true);
}

/* Proves every cap-lookup error of addrspace_configure's input; an active one is OBJECT_STATE (§2,
 * §7). */
AS_TEST(configure_cap_errors)
{
	u64 as = root_create(rc, GH_HVC_PARTITION_CREATE_ADDRSPACE, rc->partition);
	u64 active = as_make(rc, MEM_VMID_B, true);
	const u64 args[7] = {as, MEM_VMID_A, 0, 0, 0, 0, 0};

	RETURN_IF_FAILED();
	mem_cap_errors(rc, GH_HVC_ADDRSPACE_CONFIGURE, args, 0, rc->cspace,
	               GH_RIGHT_ADDRSPACE_OBJECT_ACTIVATE, active);
}

/* Proves every cap-lookup error of partition_create_addrspace and _memextent's inputs (§2 creates).
 */
AS_TEST(create_cap_errors)
{
	u64 idle_part = root_partition(rc, 0, false);
	u64 idle_cs = root_cspace(rc, 4, false);
	const u64 args[7] = {rc->partition, rc->cspace, 0, 0, 0, 0, 0};

	RETURN_IF_FAILED();
	mem_cap_errors(rc, GH_HVC_PARTITION_CREATE_ADDRSPACE, args, 0, rc->cspace,
	               GH_RIGHT_PARTITION_OBJECT_CREATE, idle_part);
	mem_cap_errors(rc, GH_HVC_PARTITION_CREATE_ADDRSPACE, args, 1, rc->partition,
	               GH_RIGHT_CSPACE_CAP_CREATE, idle_cs);
	mem_cap_errors(rc, GH_HVC_PARTITION_CREATE_MEMEXTENT, args, 0, rc->cspace,
	               GH_RIGHT_PARTITION_OBJECT_CREATE, idle_part);
	mem_cap_errors(rc, GH_HVC_PARTITION_CREATE_MEMEXTENT, args, 1, rc->partition,
	               GH_RIGHT_CSPACE_CAP_CREATE, idle_cs);
}

/* Proves partition_create_addrspace into a full 1-slot cspace is CSPACE_FULL, from an exhausted
 * child partition NOMEM, and a res0 ARGUMENT_INVALID (§2 creates). */
AS_TEST(create_full_nomem)
{
	ipc_create_full_nomem(rc, GH_HVC_PARTITION_CREATE_ADDRSPACE);
	RETURN_IF_FAILED();
	ASSERT_RESULT("create with res0 = 1",
	              hc(GH_HVC_PARTITION_CREATE_ADDRSPACE, rc->partition, rc->cspace, 1, 0, 0),
	              E(ARGUMENT_INVALID), 0);
}

/* Proves partition_create_memextent into a full 1-slot cspace is CSPACE_FULL, from an exhausted
 * child partition NOMEM, and a res0 ARGUMENT_INVALID (§2 creates). */
AS_TEST(create_memextent_full_nomem)
{
	ipc_create_full_nomem(rc, GH_HVC_PARTITION_CREATE_MEMEXTENT);
	RETURN_IF_FAILED();
	ASSERT_RESULT("create with res0 = 1",
	              hc(GH_HVC_PARTITION_CREATE_MEMEXTENT, rc->partition, rc->cspace, 1, 0, 0),
	              E(ARGUMENT_INVALID), 0);
}

/* Proves attach_thread of a new INIT thread to an active address space is OK (§2, §7). */
AS_TEST(attach_thread_ok)
{
	u64 as = as_make(rc, MEM_VMID_A, true);
	u64 t = root_create(rc, GH_HVC_PARTITION_CREATE_THREAD, rc->partition);

	RETURN_IF_FAILED();
	ASSERT_RESULT("addrspace_attach_thread", hc(GH_HVC_ADDRSPACE_ATTACH_THREAD, as, t, 0, 0, 0),
	              0, 0);
}

/* Proves attach_thread's res0 is ARGUMENT_INVALID natively (§2 res0). */
AS_TEST(attach_thread_res0)
{
	u64 as = as_make(rc, MEM_VMID_A, true);
	u64 t = root_create(rc, GH_HVC_PARTITION_CREATE_THREAD, rc->partition);

	RETURN_IF_FAILED();
	ASSERT_RESULT("res0 = 1", hc(GH_HVC_ADDRSPACE_ATTACH_THREAD, as, t, 1, 0, 0),
	              E(ARGUMENT_INVALID), 0);
}

/* Proves every cap-lookup error of both inputs: the address space active with attach, the thread
 * INIT with object_activate (an activated thread is OBJECT_STATE) (§2, §7). */
AS_TEST(attach_thread_cap_errors)
{
	u64 as = as_make(rc, MEM_VMID_A, true);
	u64 idle = as_make(rc, MEM_VMID_B, false);
	u64 t = root_create(rc, GH_HVC_PARTITION_CREATE_THREAD, rc->partition);
	u64 ran = root_create(rc, GH_HVC_PARTITION_CREATE_THREAD, rc->partition);
	const u64 args[7] = {as, t, 0, 0, 0, 0, 0};
	u64 inactive = GH_CAP_INVALID;

	RETURN_IF_FAILED();
	/* A thread attached to an address space activates (§7); without that, no active thread. */
	if (hc_err(GH_HVC_ADDRSPACE_ATTACH_THREAD, as, ran, 0) == 0 &&
	    hc_err(GH_HVC_OBJECT_ACTIVATE, ran, 0, 0) == 0)
		inactive = ran;
	mem_cap_errors(rc, GH_HVC_ADDRSPACE_ATTACH_THREAD, args, 0, rc->cspace,
	               GH_RIGHT_ADDRSPACE_ATTACH, idle);
	mem_cap_errors(rc, GH_HVC_ADDRSPACE_ATTACH_THREAD, args, 1, rc->cspace,
	               GH_RIGHT_THREAD_OBJECT_ACTIVATE, inactive);
}

/* The cap-lookup errors of the address space input of addrspace_attach_vdma (0x2f),
 * addrspace_configure_info_area (0x5b) and addrspace_attach_vdevice (0x62) (reference section 2
 * table, section 7 rights); addrspace_configure_vmmio's are in vmmio.c. */
#include <humpy/mem.h>

#define AS_TEST(name) MEM_TEST(addrspace, name, true)

/* Proves attach_vdma's address space input: attach right, active (§2, §7). */
AS_TEST(attach_vdma_cap_errors)
{
	u64 as = as_make(rc, MEM_VMID_A, true), idle = as_make(rc, MEM_VMID_B, false);
	const u64 args[7] = {as, rc->partition, 0, 0, 0, 0, 0};

	RETURN_IF_FAILED();
	mem_cap_errors(rc, GH_HVC_ADDRSPACE_ATTACH_VDMA, args, 0, rc->cspace,
	               GH_RIGHT_ADDRSPACE_ATTACH, idle);
}

/* Proves configure_info_area's address space input: object_activate right, INIT (§2, §7). */
AS_TEST(info_area_cap_errors)
{
	u64 as = as_make(rc, MEM_VMID_A, false), active = as_make(rc, MEM_VMID_B, true);
	u64 me = me_make(rc, ram->base, PAGE, ME_RWX_ANY, true);
	const u64 args[7] = {as, me, MEM_IPA, 0, 0, 0, 0};

	RETURN_IF_FAILED();
	mem_cap_errors(rc, GH_HVC_ADDRSPACE_CONFIGURE_INFO_AREA, args, 0, rc->cspace,
	               GH_RIGHT_ADDRSPACE_OBJECT_ACTIVATE, active);
}

/* Proves attach_vdevice's address space input: attach right, active (§2, §7). */
AS_TEST(attach_vdevice_cap_errors)
{
	u64 as = as_make(rc, MEM_VMID_A, true), idle = as_make(rc, MEM_VMID_B, false);
	const u64 args[7] = {as, rc->cspace, 0, MEM_IPA, PAGE, 0, 0};

	RETURN_IF_FAILED();
	mem_cap_errors(rc, GH_HVC_ADDRSPACE_ATTACH_VDEVICE, args, 0, rc->partition,
	               GH_RIGHT_ADDRSPACE_ATTACH, idle);
}

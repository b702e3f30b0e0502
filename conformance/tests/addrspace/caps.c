/* Every cap-lookup error of the cap inputs of addrspace_map, _unmap, _update_access and _lookup,
 * each needed right missing in turn, and res0 of lookup (reference section 2, section 7). */
#include <humpy/mem.h>

#define AS_TEST(name) MEM_TEST(addrspace, name, true)

struct caps_fix {
	u64 as, idle_as, me, idle_me;
};

static struct caps_fix caps_make(const struct root_caps *rc, const struct mem_ram *ram)
{
	struct caps_fix f;

	f.as = as_make(rc, MEM_VMID_A, true);
	f.idle_as = as_make(rc, MEM_VMID_B, false);
	f.me = me_make(rc, ram->base, PAGE, ME_RWX_ANY, true);
	f.idle_me = me_make(rc, ram->base + PAGE, PAGE, ME_RWX_ANY, false);
	return f;
}

/* Proves map's cap errors: map right on the address space and on the extent, both active (§2, §7).
 */
AS_TEST(map_cap_errors)
{
	struct caps_fix f = caps_make(rc, ram);
	const u64 args[7] = {f.as, f.me, MEM_IPA, MAP_RW_WB, 0, 0, 0};

	RETURN_IF_FAILED();
	mem_cap_errors(rc, GH_HVC_ADDRSPACE_MAP, args, 0, rc->cspace, GH_RIGHT_ADDRSPACE_MAP,
	               f.idle_as);
	mem_cap_errors(rc, GH_HVC_ADDRSPACE_MAP, args, 1, rc->cspace, GH_RIGHT_MEMEXTENT_MAP,
	               f.idle_me);
	ASSERT_RESULT3("nothing was mapped", as_lookup(f.as, f.me, MEM_IPA, PAGE), E(ADDR_INVALID),
	               0, 0, 0);
}

/* Proves unmap's cap errors, with the extent mapped (§2, §7). */
AS_TEST(unmap_cap_errors)
{
	struct caps_fix f = caps_make(rc, ram);
	const u64 args[7] = {f.as, f.me, MEM_IPA, 0, 0, 0, 0};

	RETURN_IF_FAILED();
	ASSERT_EQ("map", mem_map(f.as, f.me, MEM_IPA, MAP_RW_WB, 0, 0, 0), 0);
	mem_cap_errors(rc, GH_HVC_ADDRSPACE_UNMAP, args, 0, rc->cspace, GH_RIGHT_ADDRSPACE_MAP,
	               f.idle_as);
	mem_cap_errors(rc, GH_HVC_ADDRSPACE_UNMAP, args, 1, rc->cspace, GH_RIGHT_MEMEXTENT_MAP,
	               f.idle_me);
	ASSERT_RESULT3("still mapped", as_lookup(f.as, f.me, MEM_IPA, PAGE), 0, 0, PAGE, MAP_RW_WB);
}

/* Proves update_access's cap errors, with the extent mapped and its access unchanged (§2, §7). */
AS_TEST(update_access_cap_errors)
{
	struct caps_fix f = caps_make(rc, ram);
	const u64 args[7] = {f.as, f.me, MEM_IPA, access_attrs(GH_MEM_ACCESS_R, GH_MEM_ACCESS_R),
	                     0,    0,    0};

	RETURN_IF_FAILED();
	ASSERT_EQ("map", mem_map(f.as, f.me, MEM_IPA, MAP_RW_WB, 0, 0, 0), 0);
	mem_cap_errors(rc, GH_HVC_ADDRSPACE_UPDATE_ACCESS, args, 0, rc->cspace,
	               GH_RIGHT_ADDRSPACE_MAP, f.idle_as);
	mem_cap_errors(rc, GH_HVC_ADDRSPACE_UPDATE_ACCESS, args, 1, rc->cspace,
	               GH_RIGHT_MEMEXTENT_MAP, f.idle_me);
	ASSERT_RESULT3("access unchanged", as_lookup(f.as, f.me, MEM_IPA, PAGE), 0, 0, PAGE,
	               MAP_RW_WB);
}

/* Proves lookup's cap errors: lookup right on the address space and on the extent (§2, §7). */
AS_TEST(lookup_cap_errors)
{
	struct caps_fix f = caps_make(rc, ram);
	const u64 args[7] = {f.as, f.me, MEM_IPA, PAGE, 0, 0, 0};

	RETURN_IF_FAILED();
	ASSERT_EQ("map", mem_map(f.as, f.me, MEM_IPA, MAP_RW_WB, 0, 0, 0), 0);
	mem_cap_errors(rc, GH_HVC_ADDRSPACE_LOOKUP, args, 0, rc->cspace, GH_RIGHT_ADDRSPACE_LOOKUP,
	               f.idle_as);
	mem_cap_errors(rc, GH_HVC_ADDRSPACE_LOOKUP, args, 1, rc->cspace, GH_RIGHT_MEMEXTENT_LOOKUP,
	               f.idle_me);
}

/* Proves lookup's res0 is ARGUMENT_INVALID natively with x1..x3 zero (§2 res0). */
AS_TEST(lookup_res0)
{
	struct caps_fix f = caps_make(rc, ram);
	const u64 a[7] = {f.as, f.me, MEM_IPA, PAGE, 1, 0, 0};

	RETURN_IF_FAILED();
	ASSERT_EQ("map", mem_map(f.as, f.me, MEM_IPA, MAP_RW_WB, 0, 0, 0), 0);
	ASSERT_RESULT3("res0 = 1", hc7(GH_HVC_ADDRSPACE_LOOKUP, a), E(ARGUMENT_INVALID), 0, 0, 0);
}

/* Proves memextent_configure's cap errors: an active extent is OBJECT_STATE (§2, §7). */
AS_TEST(me_configure_cap_errors)
{
	u64 me = root_create(rc, GH_HVC_PARTITION_CREATE_MEMEXTENT, rc->partition);
	u64 active = me_make(rc, ram->base, PAGE, ME_RWX_ANY, true);
	const u64 args[7] = {me, ram->base + PAGE, PAGE, ME_RWX_ANY, 0, 0, 0};

	RETURN_IF_FAILED();
	mem_cap_errors(rc, GH_HVC_MEMEXTENT_CONFIGURE, args, 0, rc->cspace,
	               GH_RIGHT_MEMEXTENT_OBJECT_ACTIVATE, active);
}

/* addrspace_map (0x2b), addrspace_unmap (0x2c), addrspace_update_access (0x2d), addrspace_lookup
 * (0x5a): attributes, flags, alignment, overflow, the mapping limit, lookup's exact answers
 * (reference section 2 addrspace_map, section 3; ROOT_PROFILE.md root memory). */
#include <humpy/mem.h>

#define AS_TEST(name) MEM_TEST(addrspace, name, true)
#define WB            ((u64)GH_MEM_VM_MEMTYPE_NORMAL_WB)

/* An active address space and an active 2-page basic RWX extent over the root memory. */
struct fix {
	u64 as, me;
};
static struct fix fix_make(const struct root_caps *rc, const struct mem_ram *ram)
{
	struct fix f;

	f.as = as_make(rc, MEM_VMID_A, true);
	f.me = me_make(rc, ram->base, 2 * PAGE, ME_RWX_ANY, true);
	return f;
}

/* addrspace_update_access(as, me, vbase, access, flags, offset, size). */
static u64 update(u64 as, u64 me, u64 vbase, u64 access, u64 flags, u64 offset, u64 size)
{
	return hc7_err(GH_HVC_ADDRSPACE_UPDATE_ACCESS, as, me, vbase, access, flags, offset, size);
}

/* Proves map, lookup and unmap of a whole extent with exact results: lookup gives offset 0, the
 * extent's size and the attributes mapped; after unmap lookup is ADDR_INVALID (§2). */
AS_TEST(map_lookup_unmap)
{
	struct fix f = fix_make(rc, ram);

	RETURN_IF_FAILED();
	ASSERT_RESULT("addrspace_map", mem_map_r(f.as, f.me, MEM_IPA, MAP_RW_WB, 0, 0, 0), 0, 0);
	ASSERT_RESULT3("lookup of the whole extent", as_lookup(f.as, f.me, MEM_IPA, 2 * PAGE), 0, 0,
	               2 * PAGE, MAP_RW_WB);
	ASSERT_EQ("unmap", mem_unmap(f.as, f.me, MEM_IPA, 0, 0, 0), 0);
	ASSERT_RESULT3("lookup after unmap", as_lookup(f.as, f.me, MEM_IPA, 2 * PAGE),
	               E(ADDR_INVALID), 0, 0, 0);
}

/* Proves lookup at the second page gives offset 4 KiB and size 4 KiB; a size past the mapping is
 * cut to it (§2 lookup outputs offset, size, map_attrs). */
AS_TEST(lookup_offset)
{
	struct fix f = fix_make(rc, ram);

	RETURN_IF_FAILED();
	ASSERT_EQ("map", mem_map(f.as, f.me, MEM_IPA, MAP_RW_WB, 0, 0, 0), 0);
	ASSERT_RESULT3("lookup of the second page", as_lookup(f.as, f.me, MEM_IPA + PAGE, PAGE), 0,
	               PAGE, PAGE, MAP_RW_WB);
	ASSERT_RESULT3("lookup of the first page", as_lookup(f.as, f.me, MEM_IPA, PAGE), 0, 0, PAGE,
	               MAP_RW_WB);
}

/* Proves lookup of an address nothing maps, and of one another extent maps, is ADDR_INVALID (§2).
 */
AS_TEST(lookup_unmapped)
{
	struct fix f = fix_make(rc, ram);
	u64 other = me_make(rc, ram->base + 4 * PAGE, PAGE, ME_RWX_ANY, true);

	RETURN_IF_FAILED();
	ASSERT_RESULT3("never mapped", as_lookup(f.as, f.me, MEM_IPA, PAGE), E(ADDR_INVALID), 0, 0,
	               0);
	ASSERT_EQ("map the other extent", mem_map(f.as, other, MEM_IPA, MAP_RW_WB, 0, 0, 0), 0);
	ASSERT_RESULT3("an address the other extent maps", as_lookup(f.as, f.me, MEM_IPA, PAGE),
	               E(ADDR_INVALID), 0, 0, 0);
	ASSERT_RESULT3("past the other extent's page", as_lookup(f.as, other, MEM_IPA + PAGE, PAGE),
	               E(ADDR_INVALID), 0, 0, 0);
}

/* Proves every user and kernel access value maps and lookup returns it exactly; 3 (W+X) is
 * ARGUMENT_INVALID (§2 map_attrs 2:0 and 6:4, access enum). */
AS_TEST(map_access_each)
{
	struct fix f = fix_make(rc, ram);
	u64 user, kernel;

	RETURN_IF_FAILED();
	for (user = 0; user <= GH_MEM_MAP_ATTRS_ACCESS_MASK; user++) {
		for (kernel = 0; kernel <= GH_MEM_MAP_ATTRS_ACCESS_MASK; kernel++) {
			u64 attrs = map_attrs(user, kernel, WB);
			bool ok =
			    user != 3 && kernel != 3 && ((user ^ kernel) & GH_MEM_ACCESS_X) == 0;
			u64 err;
			struct gh_ret r;

			if (!ok && user != 3 && kernel != 3)
				continue; /* execute differing per EL: hardware-dependent (FEAT_XNX)
				           */
			err = mem_map(f.as, f.me, MEM_IPA, attrs, 0, 0, 0);
			if (!ok) {
				if (err != E(ARGUMENT_INVALID)) {
					test_fail("user %lu kernel %lu: x0 expected 0x1 got 0x%lx",
					          user, kernel, err);
					return;
				}
				continue;
			}
			if (err != 0) {
				test_fail("user %lu kernel %lu: map x0 expected 0x0 got 0x%lx",
				          user, kernel, err);
				return;
			}
			r = as_lookup(f.as, f.me, MEM_IPA, 2 * PAGE);
			if (r.x[0] != 0 || r.x[1] != 0 || r.x[2] != 2 * PAGE || r.x[3] != attrs) {
				test_fail(
				    "user %lu kernel %lu: lookup expected 0/0/0x2000/0x%lx got "
				    "0x%lx/0x%lx/0x%lx/0x%lx",
				    user, kernel, attrs, r.x[0], r.x[1], r.x[2], r.x[3]);
				return;
			}
			ASSERT_EQ("unmap", mem_unmap(f.as, f.me, MEM_IPA, 0, 0, 0), 0);
		}
	}
}

/* Proves every memory type of the enumeration maps and lookup returns it; 4, 8, 12 and 16..255 are
 * ARGUMENT_INVALID (§2 map_attrs 23:16, pgtable_vm_memtype). */
AS_TEST(map_memtype_each)
{
	struct fix f = fix_make(rc, ram);
	u64 t;

	RETURN_IF_FAILED();
	for (t = 0; t <= GH_MEM_MAP_ATTRS_MEMTYPE_MASK; t++) {
		u64 attrs = map_attrs(GH_MEM_ACCESS_RW, GH_MEM_ACCESS_RW, t);
		bool ok = t < 16 && t != 4 && t != 8 && t != 12;
		u64 err = mem_map(f.as, f.me, MEM_IPA, attrs, 0, 0, 0);
		struct gh_ret r;

		if (err != (ok ? 0 : E(ARGUMENT_INVALID))) {
			test_fail("memtype 0x%lx: x0 expected 0x%lx got 0x%lx", t,
			          ok ? 0 : E(ARGUMENT_INVALID), err);
			return;
		}
		if (!ok)
			continue;
		r = as_lookup(f.as, f.me, MEM_IPA, 2 * PAGE);
		if (r.x[0] != 0 || r.x[3] != attrs) {
			test_fail(
			    "memtype 0x%lx: lookup x0 0x%lx attrs 0x%lx, expected 0 and 0x%lx", t,
			    r.x[0], r.x[3], attrs);
			return;
		}
		ASSERT_EQ("unmap", mem_unmap(f.as, f.me, MEM_IPA, 0, 0, 0), 0);
	}
}

/* Proves every reserved map_attrs bit (all but 2:0, 6:4, 23:16) is ARGUMENT_INVALID (§2). */
AS_TEST(map_attrs_reserved)
{
	struct fix f = fix_make(rc, ram);
	unsigned bit;

	RETURN_IF_FAILED();
	for (bit = 0; bit < 64; bit++) {
		u64 err;

		if ((1ULL << bit) & GH_MEM_MAP_ATTRS_VALID)
			continue;
		err = mem_map(f.as, f.me, MEM_IPA, MAP_RW_WB | (1ULL << bit), 0, 0, 0);
		if (err != E(ARGUMENT_INVALID)) {
			test_fail("map_attrs bit %u: x0 expected 0x1 got 0x%lx", bit, err);
			return;
		}
	}
}

/* Proves every reserved map_flags bit (30:1, 63:32) is ARGUMENT_INVALID for map, unmap and
 * update_access; NO_SYNC alone is accepted by each (§2 map_flags). */
AS_TEST(map_flags_reserved)
{
	struct fix f = fix_make(rc, ram);
	unsigned bit;

	RETURN_IF_FAILED();
	for (bit = 1; bit < 64; bit++) {
		u64 fl = 1ULL << bit, m, u, a;

		if (fl & GH_MEM_MAP_FLAGS_VALID)
			continue;
		m = mem_map(f.as, f.me, MEM_IPA, MAP_RW_WB, fl, 0, 0);
		u = mem_unmap(f.as, f.me, MEM_IPA, fl, 0, 0);
		a = update(f.as, f.me, MEM_IPA, access_attrs(GH_MEM_ACCESS_R, GH_MEM_ACCESS_R), fl,
		           0, 0);
		if (m != E(ARGUMENT_INVALID) || u != E(ARGUMENT_INVALID) ||
		    a != E(ARGUMENT_INVALID)) {
			test_fail("map_flags bit %u: map, unmap, update_access x0 expected 0x1 got "
			          "0x%lx, 0x%lx, 0x%lx",
			          bit, m, u, a);
			return;
		}
	}
	ASSERT_EQ("map NO_SYNC",
	          mem_map(f.as, f.me, MEM_IPA, MAP_RW_WB, GH_MEM_MAP_FLAGS_NO_SYNC, 0, 0), 0);
	ASSERT_EQ("update_access NO_SYNC",
	          update(f.as, f.me, MEM_IPA, access_attrs(GH_MEM_ACCESS_R, GH_MEM_ACCESS_R),
	                 GH_MEM_MAP_FLAGS_NO_SYNC, 0, 0),
	          0);
	ASSERT_EQ("unmap NO_SYNC", mem_unmap(f.as, f.me, MEM_IPA, GH_MEM_MAP_FLAGS_NO_SYNC, 0, 0),
	          0);
}

/* Proves a vbase not 4 KiB aligned is ARGUMENT_ALIGNMENT for map, unmap and update_access (§2). */
AS_TEST(map_base_misaligned)
{
	struct fix f = fix_make(rc, ram);

	RETURN_IF_FAILED();
	ASSERT_EQ("map at +0x800", mem_map(f.as, f.me, MEM_IPA + 0x800, MAP_RW_WB, 0, 0, 0),
	          E(ARGUMENT_ALIGNMENT));
	ASSERT_EQ("map at +1", mem_map(f.as, f.me, MEM_IPA + 1, MAP_RW_WB, 0, 0, 0),
	          E(ARGUMENT_ALIGNMENT));
	ASSERT_EQ("map", mem_map(f.as, f.me, MEM_IPA, MAP_RW_WB, 0, 0, 0), 0);
	ASSERT_EQ("unmap at +0x800", mem_unmap(f.as, f.me, MEM_IPA + 0x800, 0, 0, 0),
	          E(ARGUMENT_ALIGNMENT));
	ASSERT_EQ("update_access at +0x800",
	          update(f.as, f.me, MEM_IPA + 0x800,
	                 access_attrs(GH_MEM_ACCESS_R, GH_MEM_ACCESS_R), 0, 0, 0),
	          E(ARGUMENT_ALIGNMENT));
}

/* Proves PARTIAL with an offset or size not 4 KiB aligned is ARGUMENT_ALIGNMENT (§2 map_flags bit
 * 0). */
AS_TEST(map_partial_misaligned)
{
	u64 as = as_make(rc, MEM_VMID_A, true);
	u64 s = me_make(rc, ram->base, 4 * PAGE, ME_RWX_ANY_SPARSE, true);
	const u64 partial = GH_MEM_MAP_FLAGS_PARTIAL;

	RETURN_IF_FAILED();
	ASSERT_EQ("offset 0x800", mem_map(as, s, MEM_IPA, MAP_RW_WB, partial, 0x800, PAGE),
	          E(ARGUMENT_ALIGNMENT));
	ASSERT_EQ("size 0x1800", mem_map(as, s, MEM_IPA, MAP_RW_WB, partial, 0, 0x1800),
	          E(ARGUMENT_ALIGNMENT));
	ASSERT_EQ("unmap offset 0x800", mem_unmap(as, s, MEM_IPA, partial, 0x800, PAGE),
	          E(ARGUMENT_ALIGNMENT));
}

/* Proves a range that would wrap past 2^64 is ADDR_OVERFLOW for map (whole or partial), unmap and
 * update_access (§2 map, unmap, update_access errors). */
AS_TEST(map_wraps)
{
	struct fix f = fix_make(rc, ram);
	u64 s = me_make(rc, ram->base + 4 * PAGE, 4 * PAGE, ME_RWX_ANY_SPARSE, true);

	RETURN_IF_FAILED();
	ASSERT_EQ("2-page extent at 2^64 - 4 KiB",
	          mem_map(f.as, f.me, 0ULL - PAGE, MAP_RW_WB, 0, 0, 0), E(ADDR_OVERFLOW));
	ASSERT_EQ("partial: offset 4 KiB, size 2^64 - 4 KiB",
	          mem_map(f.as, s, MEM_IPA, MAP_RW_WB, GH_MEM_MAP_FLAGS_PARTIAL, PAGE, 0ULL - PAGE),
	          E(ADDR_OVERFLOW));
	ASSERT_EQ("unmap at 2^64 - 4 KiB", mem_unmap(f.as, f.me, 0ULL - PAGE, 0, 0, 0),
	          E(ADDR_OVERFLOW));
	ASSERT_EQ("update_access at 2^64 - 4 KiB",
	          update(f.as, f.me, 0ULL - PAGE, access_attrs(GH_MEM_ACCESS_R, GH_MEM_ACCESS_R), 0,
	                 0, 0),
	          E(ADDR_OVERFLOW));
}

/* Proves a mapping past any IPA size (at 2^52, at 2^63) is ADDR_OVERFLOW (§2 map errors, issue 10).
 */
AS_TEST(map_past_ipa)
{
	struct fix f = fix_make(rc, ram);

	RETURN_IF_FAILED();
	ASSERT_EQ("at 2^52", mem_map(f.as, f.me, 1ULL << 52, MAP_RW_WB, 0, 0, 0), E(ADDR_OVERFLOW));
	ASSERT_EQ("at 2^63", mem_map(f.as, f.me, 1ULL << 63, MAP_RW_WB, 0, 0, 0), E(ADDR_OVERFLOW));
}

/* Proves an extent maps at most 4 times: the fifth is MEMEXTENT_MAPPINGS_FULL, and after one unmap
 * a mapping fits again (§2: max 4 mappings per extent). */
AS_TEST(map_fifth)
{
	struct fix f = fix_make(rc, ram);
	u64 i;

	RETURN_IF_FAILED();
	for (i = 0; i < GH_LIMIT_MEMEXTENT_MAX_MAPS; i++) {
		u64 err = mem_map(f.as, f.me, MEM_IPA + i * 16 * PAGE, MAP_RW_WB, 0, 0, 0);

		if (err != 0) {
			test_fail("mapping %lu: x0 expected 0x0 got 0x%lx", i + 1, err);
			return;
		}
	}
	ASSERT_EQ("the fifth mapping",
	          mem_map(f.as, f.me, MEM_IPA + i * 16 * PAGE, MAP_RW_WB, 0, 0, 0),
	          E(MEMEXTENT_MAPPINGS_FULL));
	ASSERT_EQ("unmap the first", mem_unmap(f.as, f.me, MEM_IPA, 0, 0, 0), 0);
	ASSERT_EQ("the fifth after one unmap",
	          mem_map(f.as, f.me, MEM_IPA + i * 16 * PAGE, MAP_RW_WB, 0, 0, 0), 0);
}

/* Proves mapping with more access than the extent allows is DENIED (§2 map errors: DENIED). */
AS_TEST(map_denied)
{
	u64 as = as_make(rc, MEM_VMID_A, true);
	u64 me = me_make(
	    rc, ram->base, PAGE,
	    me_attrs(GH_MEM_ACCESS_R, GH_MEM_EXTENT_MEMTYPE_ANY, GH_MEM_EXTENT_TYPE_BASIC), true);

	RETURN_IF_FAILED();
	ASSERT_EQ("RW of an R extent", mem_map(as, me, MEM_IPA, MAP_RW_WB, 0, 0, 0), E(DENIED));
	ASSERT_EQ(
	    "user RX of an R extent",
	    mem_map(as, me, MEM_IPA, map_attrs(GH_MEM_ACCESS_RX, GH_MEM_ACCESS_R, WB), 0, 0, 0),
	    E(DENIED));
	ASSERT_EQ(
	    "R of an R extent",
	    mem_map(as, me, MEM_IPA, map_attrs(GH_MEM_ACCESS_R, GH_MEM_ACCESS_R, WB), 0, 0, 0), 0);
	ASSERT_EQ(
	    "update_access to RW",
	    update(as, me, MEM_IPA, access_attrs(GH_MEM_ACCESS_RW, GH_MEM_ACCESS_RW), 0, 0, 0),
	    E(DENIED));
}

/* Proves PARTIAL on a basic extent is ARGUMENT_INVALID (§2: PARTIAL for sparse extents only). */
AS_TEST(map_partial_basic)
{
	struct fix f = fix_make(rc, ram);

	RETURN_IF_FAILED();
	ASSERT_EQ("PARTIAL, first page",
	          mem_map(f.as, f.me, MEM_IPA, MAP_RW_WB, GH_MEM_MAP_FLAGS_PARTIAL, 0, PAGE),
	          E(ARGUMENT_INVALID));
}

/* Proves unmap of a range the extent does not map there is ARGUMENT_INVALID and leaves the real
 * mapping in place (§2 unmap errors). */
AS_TEST(unmap_unmapped)
{
	struct fix f = fix_make(rc, ram);

	RETURN_IF_FAILED();
	ASSERT_EQ("unmap, nothing mapped", mem_unmap(f.as, f.me, MEM_IPA, 0, 0, 0),
	          E(ARGUMENT_INVALID));
	ASSERT_EQ("map", mem_map(f.as, f.me, MEM_IPA, MAP_RW_WB, 0, 0, 0), 0);
	ASSERT_EQ("unmap at another IPA", mem_unmap(f.as, f.me, MEM_IPA + 16 * PAGE, 0, 0, 0),
	          E(ARGUMENT_INVALID));
	ASSERT_RESULT3("the mapping is still there", as_lookup(f.as, f.me, MEM_IPA, 2 * PAGE), 0, 0,
	               2 * PAGE, MAP_RW_WB);
}

/* Proves update_access RW -> R: lookup then shows R for user and kernel, the memory type kept (§2).
 */
AS_TEST(update_access_rw_to_r)
{
	struct fix f = fix_make(rc, ram);
	const u64 r_attrs = map_attrs(GH_MEM_ACCESS_R, GH_MEM_ACCESS_R, WB);

	RETURN_IF_FAILED();
	ASSERT_EQ("map RW", mem_map(f.as, f.me, MEM_IPA, MAP_RW_WB, 0, 0, 0), 0);
	ASSERT_EQ(
	    "update_access to R",
	    update(f.as, f.me, MEM_IPA, access_attrs(GH_MEM_ACCESS_R, GH_MEM_ACCESS_R), 0, 0, 0),
	    0);
	ASSERT_RESULT3("lookup", as_lookup(f.as, f.me, MEM_IPA, 2 * PAGE), 0, 0, 2 * PAGE, r_attrs);
	ASSERT_EQ(
	    "update_access back to RW",
	    update(f.as, f.me, MEM_IPA, access_attrs(GH_MEM_ACCESS_RW, GH_MEM_ACCESS_RW), 0, 0, 0),
	    0);
	ASSERT_RESULT3("lookup", as_lookup(f.as, f.me, MEM_IPA, 2 * PAGE), 0, 0, 2 * PAGE,
	               MAP_RW_WB);
}

/* Proves update_access with a memory type or other reserved bit, or access 3, is ARGUMENT_INVALID,
 * and of an unmapped range ARGUMENT_INVALID (§2 update_access errors). */
AS_TEST(update_access_invalid)
{
	struct fix f = fix_make(rc, ram);
	const u64 r = access_attrs(GH_MEM_ACCESS_R, GH_MEM_ACCESS_R);

	RETURN_IF_FAILED();
	ASSERT_EQ("nothing mapped", update(f.as, f.me, MEM_IPA, r, 0, 0, 0), E(ARGUMENT_INVALID));
	ASSERT_EQ("map", mem_map(f.as, f.me, MEM_IPA, MAP_RW_WB, 0, 0, 0), 0);
	ASSERT_EQ("memory type bits", update(f.as, f.me, MEM_IPA, r | (WB << 16), 0, 0, 0),
	          E(ARGUMENT_INVALID));
	ASSERT_EQ("bit 3", update(f.as, f.me, MEM_IPA, r | 8, 0, 0, 0), E(ARGUMENT_INVALID));
	ASSERT_EQ("access 3", update(f.as, f.me, MEM_IPA, access_attrs(3, 3), 0, 0, 0),
	          E(ARGUMENT_INVALID));
	ASSERT_RESULT3("unchanged", as_lookup(f.as, f.me, MEM_IPA, 2 * PAGE), 0, 0, 2 * PAGE,
	               MAP_RW_WB);
}

/* Proves one page range cannot be mapped twice in one address space: a second extent over the
 * same IPA is refused and the first mapping stays (§2; issue 10 break-before-make). */
AS_TEST(map_overlap)
{
	struct fix f = fix_make(rc, ram);
	u64 other = me_make(rc, ram->base + 4 * PAGE, PAGE, ME_RWX_ANY, true);

	RETURN_IF_FAILED();
	ASSERT_EQ("map", mem_map(f.as, f.me, MEM_IPA, MAP_RW_WB, 0, 0, 0), 0);
	ASSERT_NE("map another extent over its second page",
	          mem_map(f.as, other, MEM_IPA + PAGE, MAP_RW_WB, 0, 0, 0), 0);
	ASSERT_RESULT3("the first mapping", as_lookup(f.as, f.me, MEM_IPA, 2 * PAGE), 0, 0,
	               2 * PAGE, MAP_RW_WB);
}

/* Proves one extent maps into two address spaces, each looked up on its own (§2; issue 10). */
AS_TEST(map_two_spaces)
{
	struct fix f = fix_make(rc, ram);
	u64 as2 = as_make(rc, MEM_VMID_B, true);
	const u64 ro = map_attrs(GH_MEM_ACCESS_R, GH_MEM_ACCESS_R, WB);

	RETURN_IF_FAILED();
	ASSERT_EQ("map RW into A", mem_map(f.as, f.me, MEM_IPA, MAP_RW_WB, 0, 0, 0), 0);
	ASSERT_EQ("map R into B", mem_map(as2, f.me, MEM_IPA + PAGE * 32, ro, 0, 0, 0), 0);
	ASSERT_RESULT3("lookup in A", as_lookup(f.as, f.me, MEM_IPA, 2 * PAGE), 0, 0, 2 * PAGE,
	               MAP_RW_WB);
	ASSERT_RESULT3("lookup in B", as_lookup(as2, f.me, MEM_IPA + PAGE * 32, 2 * PAGE), 0, 0,
	               2 * PAGE, ro);
	ASSERT_RESULT3("B's IPA in A", as_lookup(f.as, f.me, MEM_IPA + PAGE * 32, PAGE),
	               E(ADDR_INVALID), 0, 0, 0);
}

/* Proves a sparse extent maps only what it owns, by PARTIAL: the donated page maps, lookup gives
 * its offset, and it unmaps by PARTIAL (§2 PARTIAL, donate). */
AS_TEST(map_sparse_partial)
{
	u64 as = as_make(rc, MEM_VMID_A, true);
	u64 parent = me_make(rc, ram->base, 4 * PAGE, ME_RWX_ANY, true);
	u64 s = me_derive(rc, parent, 0, 4 * PAGE, ME_RWX_ANY_SPARSE, true), err;

	RETURN_IF_FAILED();
	err = me_donate(GH_MEM_DONATE_TYPE_TO_CHILD, parent, s, 2 * PAGE, PAGE);
	ASSERT_TRUE("donate page 2 to the sparse child (OK, or it held it already)",
	            err == 0 || err == E(MEMDB_NOT_OWNER));
	if (err == 0)
		mem_donated(s, parent, 2 * PAGE, PAGE);
	ASSERT_EQ("PARTIAL map of page 2",
	          mem_map(as, s, MEM_IPA, MAP_RW_WB, GH_MEM_MAP_FLAGS_PARTIAL, 2 * PAGE, PAGE), 0);
	ASSERT_RESULT3("lookup", as_lookup(as, s, MEM_IPA, PAGE), 0, 2 * PAGE, PAGE, MAP_RW_WB);
	ASSERT_EQ("PARTIAL unmap",
	          mem_unmap(as, s, MEM_IPA, GH_MEM_MAP_FLAGS_PARTIAL, 2 * PAGE, PAGE), 0);
	ASSERT_RESULT3("lookup after unmap", as_lookup(as, s, MEM_IPA, PAGE), E(ADDR_INVALID), 0, 0,
	               0);
}

/* memextent_configure_derive (0x32): a child extent over part of an active parent (reference
 * section 2 memextent_configure_derive, section 3; ROOT_PROFILE.md per-page ownership). */
#include <humpy/mem.h>

#define ME_TEST(name) MEM_TEST(memextent, name, true)
#define ME_RW_ANY     me_attrs(GH_MEM_ACCESS_RW, GH_MEM_EXTENT_MEMTYPE_ANY, GH_MEM_EXTENT_TYPE_BASIC)
#define ME_R_ANY      me_attrs(GH_MEM_ACCESS_R, GH_MEM_EXTENT_MEMTYPE_ANY, GH_MEM_EXTENT_TYPE_BASIC)

/* x0 of configure_derive on a new INIT extent. */
static u64 derive_new(const struct root_caps *rc, u64 parent, u64 offset, u64 size, u64 attrs,
                      u64 *child)
{
	u64 me = root_create(rc, GH_HVC_PARTITION_CREATE_MEMEXTENT, rc->partition);

	if (child)
		*child = me;
	if (me == GH_CAP_INVALID)
		return ~0ULL;
	return hc7_err(GH_HVC_MEMEXTENT_CONFIGURE_DERIVE, me, parent, offset, size, attrs, 0, 0);
}

/* Configured and then activated: the first error (0 when both succeed). */
static u64 derive_claim(const struct root_caps *rc, u64 parent, u64 offset, u64 size, u64 attrs)
{
	u64 child, err = derive_new(rc, parent, offset, size, attrs, &child);

	if (err != 0)
		return err;
	return hc_err(GH_HVC_OBJECT_ACTIVATE, child, 0, 0);
}

/* Proves a child inside its parent configures and activates with exact results (§2). */
ME_TEST(derive_ok)
{
	u64 parent = me_make(rc, ram->base, 4 * PAGE, ME_RWX_ANY, true), child;
	struct gh_ret r;

	RETURN_IF_FAILED();
	child = root_create(rc, GH_HVC_PARTITION_CREATE_MEMEXTENT, rc->partition);
	RETURN_IF_FAILED();
	{
		const u64 a[7] = {child, parent, PAGE, 2 * PAGE, ME_RW_ANY, 0, 0};

		r = hc7(GH_HVC_MEMEXTENT_CONFIGURE_DERIVE, a);
	}
	ASSERT_RESULT("memextent_configure_derive", r, 0, 0);
	ASSERT_RESULT("object_activate", hc(GH_HVC_OBJECT_ACTIVATE, child, 0, 0, 0, 0), 0, 0);
}

/* Proves the child takes its pages from the parent alone: an overlapping sibling child and a
 * partition extent over them are MEMDB_NOT_OWNER, a disjoint sibling activates (§3, ROOT_PROFILE).
 */
ME_TEST(derive_overlap)
{
	u64 parent = me_make(rc, ram->base, 4 * PAGE, ME_RWX_ANY, true);

	RETURN_IF_FAILED();
	ASSERT_EQ("child [0, 2) pages", derive_claim(rc, parent, 0, 2 * PAGE, ME_RW_ANY), 0);
	ASSERT_EQ("child [1, 3) pages (page 1 taken)",
	          derive_claim(rc, parent, PAGE, 2 * PAGE, ME_RW_ANY), E(MEMDB_NOT_OWNER));
	ASSERT_EQ("child [2, 4) pages", derive_claim(rc, parent, 2 * PAGE, 2 * PAGE, ME_RW_ANY), 0);
}

/* Proves a range past the parent's end is ARGUMENT_SIZE (§2 derive's size errors). */
ME_TEST(derive_past_end)
{
	u64 parent = me_make(rc, ram->base, 4 * PAGE, ME_RWX_ANY, true);

	RETURN_IF_FAILED();
	ASSERT_EQ("offset 3 pages, size 2 pages",
	          derive_new(rc, parent, 3 * PAGE, 2 * PAGE, ME_RW_ANY, NULL), E(ARGUMENT_SIZE));
	ASSERT_EQ("offset 4 pages (the end), size 1 page",
	          derive_new(rc, parent, 4 * PAGE, PAGE, ME_RW_ANY, NULL), E(ARGUMENT_SIZE));
	ASSERT_EQ("offset 0, size 5 pages", derive_new(rc, parent, 0, 5 * PAGE, ME_RW_ANY, NULL),
	          E(ARGUMENT_SIZE));
	ASSERT_EQ("the whole parent", derive_claim(rc, parent, 0, 4 * PAGE, ME_RW_ANY), 0);
}

/* Proves offset + size wrapping past 2^64 is ARGUMENT_SIZE, size 0 too (§2). */
ME_TEST(derive_overflow_zero)
{
	u64 parent = me_make(rc, ram->base, 4 * PAGE, ME_RWX_ANY, true);

	RETURN_IF_FAILED();
	ASSERT_EQ("offset 2^64 - 4 KiB, size 8 KiB",
	          derive_new(rc, parent, 0ULL - PAGE, 2 * PAGE, ME_RW_ANY, NULL), E(ARGUMENT_SIZE));
	ASSERT_EQ("offset 4 KiB, size 2^64 - 4 KiB",
	          derive_new(rc, parent, PAGE, 0ULL - PAGE, ME_RW_ANY, NULL), E(ARGUMENT_SIZE));
	ASSERT_EQ("size 0", derive_new(rc, parent, 0, 0, ME_RW_ANY, NULL), E(ARGUMENT_SIZE));
}

/* Proves an offset or size not 4 KiB aligned is ARGUMENT_ALIGNMENT (§2, §3). */
ME_TEST(derive_misaligned)
{
	u64 parent = me_make(rc, ram->base, 4 * PAGE, ME_RWX_ANY, true);

	RETURN_IF_FAILED();
	ASSERT_EQ("offset 0x800", derive_new(rc, parent, 0x800, PAGE, ME_RW_ANY, NULL),
	          E(ARGUMENT_ALIGNMENT));
	ASSERT_EQ("size 0x1800", derive_new(rc, parent, 0, 0x1800, ME_RW_ANY, NULL),
	          E(ARGUMENT_ALIGNMENT));
}

/* Proves a child with narrower access than its parent (R of RW) is accepted (§2 derive attrs). */
ME_TEST(derive_narrower)
{
	u64 parent = me_make(rc, ram->base, 2 * PAGE, ME_RW_ANY, true);

	RETURN_IF_FAILED();
	ASSERT_EQ("R child of an RW parent", derive_claim(rc, parent, 0, PAGE, ME_R_ANY), 0);
	ASSERT_EQ("RW child of an RW parent", derive_claim(rc, parent, PAGE, PAGE, ME_RW_ANY), 0);
}

/*
 * Proves a child wider than its parent (RW or X of R) is refused with ARGUMENT_INVALID, at
 * configure_derive or at activation, and never activates (§2: a derived extent within its parent).
 */
ME_TEST(derive_wider)
{
	u64 parent = me_make(rc, ram->base, 2 * PAGE, ME_R_ANY, true);

	RETURN_IF_FAILED();
	ASSERT_EQ("RW child of an R parent", derive_claim(rc, parent, 0, PAGE, ME_RW_ANY),
	          E(ARGUMENT_INVALID));
	ASSERT_EQ("RX child of an R parent",
	          derive_claim(rc, parent, 0, PAGE,
	                       me_attrs(GH_MEM_ACCESS_RX, GH_MEM_EXTENT_MEMTYPE_ANY,
	                                GH_MEM_EXTENT_TYPE_BASIC)),
	          E(ARGUMENT_INVALID));
	ASSERT_EQ("R child of an R parent (the pages are still free)",
	          derive_claim(rc, parent, 0, PAGE, ME_R_ANY), 0);
}

/* Proves reserved attrs bits, type 2 and access 3 are ARGUMENT_INVALID for a derived child (§2). */
ME_TEST(derive_attrs_invalid)
{
	u64 parent = me_make(rc, ram->base, 2 * PAGE, ME_RWX_ANY, true);
	unsigned bit;

	RETURN_IF_FAILED();
	for (bit = 0; bit < 64; bit++) {
		u64 got;

		if ((1ULL << bit) & GH_MEM_EXTENT_ATTRS_VALID)
			continue;
		got = derive_new(rc, parent, 0, PAGE, ME_R_ANY | (1ULL << bit), NULL);
		RETURN_IF_FAILED();
		if (got != E(ARGUMENT_INVALID)) {
			test_fail("attrs bit %u: x0 expected 0x1 got 0x%lx", bit, got);
			return;
		}
	}
	ASSERT_EQ("type 2", derive_new(rc, parent, 0, PAGE, me_attrs(GH_MEM_ACCESS_R, 0, 2), NULL),
	          E(ARGUMENT_INVALID));
	ASSERT_EQ("access 3", derive_new(rc, parent, 0, PAGE, me_attrs(3, 0, 0), NULL),
	          E(ARGUMENT_INVALID));
}

/* Proves a non-zero res0 on the native path is ARGUMENT_INVALID (§2 res0). */
ME_TEST(derive_res0)
{
	u64 parent = me_make(rc, ram->base, 2 * PAGE, ME_RWX_ANY, true), child;

	RETURN_IF_FAILED();
	child = root_create(rc, GH_HVC_PARTITION_CREATE_MEMEXTENT, rc->partition);
	RETURN_IF_FAILED();
	ASSERT_EQ(
	    "res0 = 1",
	    hc7_err(GH_HVC_MEMEXTENT_CONFIGURE_DERIVE, child, parent, 0, PAGE, ME_R_ANY, 1, 0),
	    E(ARGUMENT_INVALID));
}

/* Proves deleting a child gives its pages back to the parent: a new child over them activates (§7).
 */
ME_TEST(derive_returned)
{
	u64 parent = me_make(rc, ram->base, 2 * PAGE, ME_RWX_ANY, true);
	u64 child = me_derive(rc, parent, 0, 2 * PAGE, ME_RW_ANY, true);

	RETURN_IF_FAILED();
	ASSERT_EQ("delete the child", root_del(rc, child), 0);
	ASSERT_EQ("a new child over the same pages",
	          derive_claim(rc, parent, 0, 2 * PAGE, ME_RW_ANY), 0);
}

/* Proves every cap-lookup error of both inputs: the child must be INIT, the parent active with the
 * derive right (§2 cap lookup, §7). */
ME_TEST(derive_cap_errors)
{
	u64 parent = me_make(rc, ram->base, 2 * PAGE, ME_RWX_ANY, true);
	u64 idle_parent = me_make(rc, ram->base + 2 * PAGE, PAGE, ME_RWX_ANY, false);
	u64 child = root_create(rc, GH_HVC_PARTITION_CREATE_MEMEXTENT, rc->partition);
	u64 active = me_make(rc, ram->base + 3 * PAGE, PAGE, ME_RWX_ANY, true);
	const u64 args[7] = {child, parent, 0, PAGE, ME_R_ANY, 0, 0};

	RETURN_IF_FAILED();
	mem_cap_errors(rc, GH_HVC_MEMEXTENT_CONFIGURE_DERIVE, args, 0, rc->cspace,
	               GH_RIGHT_MEMEXTENT_OBJECT_ACTIVATE, active);
	mem_cap_errors(rc, GH_HVC_MEMEXTENT_CONFIGURE_DERIVE, args, 1, rc->cspace,
	               GH_RIGHT_MEMEXTENT_DERIVE, idle_parent);
}

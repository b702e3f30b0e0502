/* memextent_donate (0x61): pages moved between a sparse extent and its parent or sibling, and each
 * documented error (reference section 2 memextent_donate, section 3; ROOT_PROFILE.md ownership). */
#include <humpy/mem.h>

#define ME_TEST(name) MEM_TEST(memextent, name, true)
#define TO_CHILD      ((u64)GH_MEM_DONATE_TYPE_TO_CHILD)
#define TO_PARENT     ((u64)GH_MEM_DONATE_TYPE_TO_PARENT)
#define TO_SIBLING    ((u64)GH_MEM_DONATE_TYPE_TO_SIBLING)
#define ME_SPARSE_CHILD                                                                            \
	me_attrs(GH_MEM_ACCESS_RW, GH_MEM_EXTENT_MEMTYPE_ANY, GH_MEM_EXTENT_TYPE_SPARSE)

/*
 * Proves donation between the partition and a sparse extent over its memory moves the page each
 * way exactly once: a second donation of a page the giver no longer owns is MEMDB_NOT_OWNER. The
 * reference does not say whether a new sparse extent starts empty or full, so the first donation
 * that succeeds decides the direction; every later answer is exact (§2 donate, §3).
 */
ME_TEST(donate_partition_child)
{
	u64 s = me_make(rc, ram->base, 4 * PAGE, ME_RWX_ANY_SPARSE, true), err;

	RETURN_IF_FAILED();
	err = me_donate(TO_CHILD, rc->partition, s, 0, PAGE);
	if (err == 0) {
		mem_donated(s, rc->partition, 0, PAGE);
		ASSERT_EQ("to child again", me_donate(TO_CHILD, rc->partition, s, 0, PAGE),
		          E(MEMDB_NOT_OWNER));
	} else {
		ASSERT_EQ("to child of a page the extent holds already", err, E(MEMDB_NOT_OWNER));
	}
	ASSERT_EQ("to parent", me_donate(TO_PARENT, s, rc->partition, 0, PAGE), 0);
	mem_returned(s, 0);
	ASSERT_EQ("to parent again", me_donate(TO_PARENT, s, rc->partition, 0, PAGE),
	          E(MEMDB_NOT_OWNER));
	ASSERT_EQ("to child after the return", me_donate(TO_CHILD, rc->partition, s, 0, PAGE), 0);
	mem_donated(s, rc->partition, 0, PAGE);
}

/* Proves donation from a basic parent extent to its sparse child and back, exactly once each way,
 * and that the donated page is the child's: an overlapping basic child then cannot take it (§2,
 * §3). */
ME_TEST(donate_extent_child)
{
	u64 parent = me_make(rc, ram->base, 4 * PAGE, ME_RWX_ANY, true);
	u64 s = me_derive(rc, parent, 0, 4 * PAGE, ME_SPARSE_CHILD, true), err, basic;

	RETURN_IF_FAILED();
	err = me_donate(TO_CHILD, parent, s, PAGE, PAGE);
	if (err != 0) {
		ASSERT_EQ("to child of a page the child holds already", err, E(MEMDB_NOT_OWNER));
		ASSERT_EQ("to parent", me_donate(TO_PARENT, s, parent, PAGE, PAGE), 0);
		ASSERT_EQ("to child", me_donate(TO_CHILD, parent, s, PAGE, PAGE), 0);
	}
	mem_donated(s, parent, PAGE, PAGE);
	ASSERT_EQ("to child again", me_donate(TO_CHILD, parent, s, PAGE, PAGE), E(MEMDB_NOT_OWNER));
	basic = root_create(rc, GH_HVC_PARTITION_CREATE_MEMEXTENT, rc->partition);
	RETURN_IF_FAILED();
	err = hc7_err(GH_HVC_MEMEXTENT_CONFIGURE_DERIVE, basic, parent, PAGE, PAGE,
	              me_attrs(GH_MEM_ACCESS_RW, 0, 0), 0, 0);
	if (err == 0)
		err = hc_err(GH_HVC_OBJECT_ACTIVATE, basic, 0, 0);
	ASSERT_EQ("a basic child over the donated page", err, E(MEMDB_NOT_OWNER));
	ASSERT_EQ("to parent", me_donate(TO_PARENT, s, parent, PAGE, PAGE), 0);
	mem_returned(s, PAGE);
	ASSERT_EQ("to parent again", me_donate(TO_PARENT, s, parent, PAGE, PAGE),
	          E(MEMDB_NOT_OWNER));
}

/* Proves donation between two sparse siblings of one parent moves a page once (§2 TO_SIBLING). */
ME_TEST(donate_sibling)
{
	u64 parent = me_make(rc, ram->base, 4 * PAGE, ME_RWX_ANY, true);
	u64 a = me_derive(rc, parent, 0, 4 * PAGE, ME_SPARSE_CHILD, true);
	u64 b = me_derive(rc, parent, 0, 4 * PAGE, ME_SPARSE_CHILD, true);

	RETURN_IF_FAILED();
	ASSERT_EQ("parent to a", me_donate(TO_CHILD, parent, a, 0, PAGE), 0);
	mem_donated(a, parent, 0, PAGE);
	ASSERT_EQ("a to b", me_donate(TO_SIBLING, a, b, 0, PAGE), 0);
	mem_returned(a, 0);
	mem_donated(b, parent, 0, PAGE);
	ASSERT_EQ("a to b again", me_donate(TO_SIBLING, a, b, 0, PAGE), E(MEMDB_NOT_OWNER));
	ASSERT_EQ("a to parent (a holds nothing)", me_donate(TO_PARENT, a, parent, 0, PAGE),
	          E(MEMDB_NOT_OWNER));
	ASSERT_EQ("b to a", me_donate(TO_SIBLING, b, a, 0, PAGE), 0);
	mem_returned(b, 0);
	mem_donated(a, parent, 0, PAGE);
}

/* Proves donation between extents that are not parent/child or siblings as named is
 * ARGUMENT_INVALID (§2). */
ME_TEST(donate_wrong_relation)
{
	u64 p1 = me_make(rc, ram->base, 2 * PAGE, ME_RWX_ANY, true);
	u64 p2 = me_make(rc, ram->base + 2 * PAGE, 2 * PAGE, ME_RWX_ANY, true);
	u64 s1 = me_derive(rc, p1, 0, 2 * PAGE, ME_SPARSE_CHILD, true);
	u64 s2 = me_derive(rc, p2, 0, 2 * PAGE, ME_SPARSE_CHILD, true);

	RETURN_IF_FAILED();
	ASSERT_EQ("to child, not the child's parent", me_donate(TO_CHILD, p2, s1, 0, PAGE),
	          E(ARGUMENT_INVALID));
	ASSERT_EQ("to parent, not the parent", me_donate(TO_PARENT, s1, p2, 0, PAGE),
	          E(ARGUMENT_INVALID));
	ASSERT_EQ("to sibling, different parents", me_donate(TO_SIBLING, s1, s2, 0, PAGE),
	          E(ARGUMENT_INVALID));
	ASSERT_EQ("to child of itself", me_donate(TO_CHILD, s1, s1, 0, PAGE), E(ARGUMENT_INVALID));
}

/* Proves donation to or from a basic extent is ARGUMENT_INVALID: sparse extents only (§2 donate).
 */
ME_TEST(donate_basic)
{
	u64 parent = me_make(rc, ram->base, 4 * PAGE, ME_RWX_ANY, true);
	u64 basic = me_derive(rc, parent, 0, 2 * PAGE, ME_RWX_ANY, true);

	RETURN_IF_FAILED();
	ASSERT_EQ("basic child to parent", me_donate(TO_PARENT, basic, parent, 0, PAGE),
	          E(ARGUMENT_INVALID));
	ASSERT_EQ("parent to basic child", me_donate(TO_CHILD, parent, basic, 2 * PAGE, PAGE),
	          E(ARGUMENT_INVALID));
}

/* Proves type values 3..255 and reserved option bits 30:8 are ARGUMENT_INVALID (§2 donate options).
 */
ME_TEST(donate_options_invalid)
{
	u64 s = me_make(rc, ram->base, 2 * PAGE, ME_RWX_ANY_SPARSE, true), t;
	unsigned bit;

	RETURN_IF_FAILED();
	for (t = GH_MEM_DONATE_TYPE_TO_SIBLING + 1; t <= GH_MEM_DONATE_OPTIONS_TYPE_MASK; t++) {
		u64 err = me_donate(t, rc->partition, s, 0, PAGE);

		if (err != E(ARGUMENT_INVALID)) {
			test_fail("type %lu: x0 expected 0x1 got 0x%lx", t, err);
			return;
		}
	}
	for (bit = 8; bit < 64; bit++) {
		u64 err;

		if ((1ULL << bit) == GH_MEM_DONATE_OPTIONS_NO_SYNC)
			continue;
		err = me_donate(TO_CHILD | (1ULL << bit), rc->partition, s, 0, PAGE);
		if (err != E(ARGUMENT_INVALID)) {
			test_fail("options bit %u: x0 expected 0x1 got 0x%lx", bit, err);
			return;
		}
	}
}

/* Proves a range outside the extent (past its end, wrapping) or of size 0 is ARGUMENT_SIZE (§2). */
ME_TEST(donate_size)
{
	u64 s = me_make(rc, ram->base, 2 * PAGE, ME_RWX_ANY_SPARSE, true);

	RETURN_IF_FAILED();
	ASSERT_EQ("size 0", me_donate(TO_CHILD, rc->partition, s, 0, 0), E(ARGUMENT_SIZE));
	ASSERT_EQ("offset 1 page, size 2 pages",
	          me_donate(TO_CHILD, rc->partition, s, PAGE, 2 * PAGE), E(ARGUMENT_SIZE));
	ASSERT_EQ("offset 2^64 - 4 KiB, size 8 KiB",
	          me_donate(TO_CHILD, rc->partition, s, 0ULL - PAGE, 2 * PAGE), E(ARGUMENT_SIZE));
}

/* Proves NO_SYNC is accepted on a donation (§2 donate options bit 31). */
ME_TEST(donate_no_sync)
{
	u64 parent = me_make(rc, ram->base, 2 * PAGE, ME_RWX_ANY, true);
	u64 s = me_derive(rc, parent, 0, 2 * PAGE, ME_SPARSE_CHILD, true), err;

	RETURN_IF_FAILED();
	err = me_donate(TO_CHILD | GH_MEM_DONATE_OPTIONS_NO_SYNC, parent, s, 0, PAGE);
	if (err == 0) {
		mem_donated(s, parent, 0, PAGE);
		ASSERT_EQ("back, NO_SYNC",
		          me_donate(TO_PARENT | GH_MEM_DONATE_OPTIONS_NO_SYNC, s, parent, 0, PAGE),
		          0);
		mem_returned(s, 0);
	} else {
		ASSERT_EQ("to child of a page the child holds already", err, E(MEMDB_NOT_OWNER));
		ASSERT_EQ("to parent, NO_SYNC",
		          me_donate(TO_PARENT | GH_MEM_DONATE_OPTIONS_NO_SYNC, s, parent, 0, PAGE),
		          0);
	}
}

/* Proves every cap-lookup error of both cap inputs in both directions: a cspace cap is
 * CSPACE_WRONG_OBJECT_TYPE, an extent not yet active OBJECT_STATE, a partition cap without donate
 * (0x2) or an extent cap without donate (0x10) CSPACE_INSUFFICIENT_RIGHTS (§2, §7 rights). */
ME_TEST(donate_cap_errors)
{
	u64 s = me_make(rc, ram->base, 2 * PAGE, ME_RWX_ANY_SPARSE, true);
	u64 idle = me_make(rc, ram->base + 2 * PAGE, 2 * PAGE, ME_RWX_ANY_SPARSE, false);
	const u64 args[7] = {TO_CHILD, rc->partition, s, 0, PAGE, 0, 0};
	const u64 back[7] = {TO_PARENT, s, rc->partition, 0, PAGE, 0, 0};

	RETURN_IF_FAILED();
	mem_cap_errors(rc, GH_HVC_MEMEXTENT_DONATE, args, 1, rc->cspace, GH_RIGHT_PARTITION_DONATE,
	               GH_CAP_INVALID);
	mem_cap_errors(rc, GH_HVC_MEMEXTENT_DONATE, args, 2, rc->cspace, GH_RIGHT_MEMEXTENT_DONATE,
	               idle);
	mem_cap_errors(rc, GH_HVC_MEMEXTENT_DONATE, back, 1, rc->cspace, GH_RIGHT_MEMEXTENT_DONATE,
	               idle);
	mem_cap_errors(rc, GH_HVC_MEMEXTENT_DONATE, back, 2, rc->cspace, GH_RIGHT_PARTITION_DONATE,
	               GH_CAP_INVALID);
}

/* Proves a non-zero res0 on the native path is ARGUMENT_INVALID (§2 res0). */
ME_TEST(donate_res0)
{
	u64 s = me_make(rc, ram->base, 2 * PAGE, ME_RWX_ANY_SPARSE, true);

	RETURN_IF_FAILED();
	ASSERT_EQ("res0 = 1",
	          hc7_err(GH_HVC_MEMEXTENT_DONATE, TO_CHILD, rc->partition, s, 0, PAGE, 1, 0),
	          E(ARGUMENT_INVALID));
}

/* object_activate (0x0c) and object_activate_from (0x0d): results and every error. */
#include <humpy/root.h>

static void activate_expect(u64 cap, u64 err)
{
	ASSERT_RESULT("object_activate", hc(GH_HVC_OBJECT_ACTIVATE, cap, 0, 0, 0, 0), err, 0);
}

static void activate_from_expect(u64 cspace, u64 cap, u64 err)
{
	ASSERT_RESULT("object_activate_from", hc(GH_HVC_OBJECT_ACTIVATE_FROM, cspace, cap, 0, 0, 0),
	              err, 0);
}

/*
 * A partition whose activation cannot get its heap: a grandchild needs as much memory as its parent
 * child partition has in all, and the grandchild object itself already took some.
 */
static u64 activate_starved_partition(const struct root_caps *rc)
{
	u64 child = root_partition(rc, 0, true);

	if (child == GH_CAP_INVALID)
		return child;
	return root_partition(rc, child, false);
}

/* Proves object_activate of a configured cspace returns OK, x1..x7 zero, and the cspace works (§2).
 */
ROOT_TEST(activate_ok_cspace)
{
	u64 cs = root_cspace(rc, 2, false);

	RETURN_IF_FAILED();
	activate_expect(cs, 0);
	RETURN_IF_FAILED();
	ASSERT_EQ("copy into the active cspace",
	          hc(GH_HVC_CSPACE_COPY_CAP_FROM, rc->cspace, rc->partition, cs, ~0ULL, 0).x[0], 0);
}

/* Proves object_activate of a child partition returns OK and it can then create (§2, deviation). */
ROOT_TEST(activate_ok_partition)
{
	u64 p = root_partition(rc, 0, false);

	RETURN_IF_FAILED();
	ASSERT_EQ("create from INIT partition",
	          hc(GH_HVC_PARTITION_CREATE_CSPACE, p, rc->cspace, 0, 0, 0).x[0], E(OBJECT_STATE));
	activate_expect(p, 0);
	RETURN_IF_FAILED();
	root_create(rc, GH_HVC_PARTITION_CREATE_CSPACE, p);
}

/* Proves object_activate with an undecodable cap gives ARGUMENT_INVALID (§7 cap IDs). */
ROOT_TEST(activate_undecodable)
{
	activate_expect(root_undecodable(rc->cspace), E(ARGUMENT_INVALID));
	activate_expect(GH_CAP_INVALID, E(ARGUMENT_INVALID));
}

/* Proves object_activate with an empty slot gives CSPACE_CAP_NULL (§7). */
ROOT_TEST(activate_null)
{
	u64 n = root_null(rc);

	RETURN_IF_FAILED();
	activate_expect(n, E(CSPACE_CAP_NULL));
}

/* Proves object_activate with a revoked cap gives CSPACE_CAP_REVOKED, object stays INIT (§7). */
ROOT_TEST(activate_revoked)
{
	u64 cs = root_cspace(rc, 2, false);
	u64 v = root_revoked(rc, cs);

	RETURN_IF_FAILED();
	activate_expect(v, E(CSPACE_CAP_REVOKED));
	RETURN_IF_FAILED();
	activate_expect(cs, 0);
}

/* Proves object_activate needs OBJECT_ACTIVATE: INSUFFICIENT_RIGHTS without, stays INIT (§2). */
ROOT_TEST(activate_no_object_activate)
{
	u64 cs = root_cspace(rc, 2, false);
	u64 v = root_copy(rc, cs, ~(u64)GH_RIGHT_OBJECT_ACTIVATE);

	RETURN_IF_FAILED();
	activate_expect(v, E(CSPACE_INSUFFICIENT_RIGHTS));
	RETURN_IF_FAILED();
	activate_expect(cs, 0);
}

/* Proves a second object_activate gives OBJECT_STATE (§2 details: object must be INIT). */
ROOT_TEST(activate_twice)
{
	u64 cs = root_cspace(rc, 2, true);
	u64 p = root_partition(rc, 0, true);

	RETURN_IF_FAILED();
	activate_expect(cs, E(OBJECT_STATE));
	activate_expect(p, E(OBJECT_STATE));
}

/* Proves activating a cspace without max_caps gives OBJECT_CONFIG and leaves it INIT (§2 0x25). */
ROOT_TEST(activate_unconfigured)
{
	u64 cs = root_cspace(rc, 0, false);

	RETURN_IF_FAILED();
	activate_expect(cs, E(OBJECT_CONFIG));
	ASSERT_EQ("configure 0", hc_err(GH_HVC_CSPACE_CONFIGURE, cs, 0, 0), 0);
	activate_expect(cs, E(OBJECT_CONFIG));
	ASSERT_EQ("configure 1 (still INIT)", hc_err(GH_HVC_CSPACE_CONFIGURE, cs, 1, 0), 0);
	activate_expect(cs, 0);
}

/* Proves activation that cannot get memory gives NOMEM and leaves the object INIT (§2 0x0c). */
ROOT_TEST(activate_nomem)
{
	u64 g = activate_starved_partition(rc);

	RETURN_IF_FAILED();
	activate_expect(g, E(NOMEM));
	activate_expect(g, E(NOMEM)); /* still INIT: not OBJECT_STATE */
}

/* Proves object_activate with res0 (x1) non-zero gives ARGUMENT_INVALID, stays INIT (§1a). */
ROOT_TEST(activate_res0_native)
{
	u64 cs = root_cspace(rc, 2, false);

	RETURN_IF_FAILED();
	ASSERT_RESULT("res0 = 1", hc(GH_HVC_OBJECT_ACTIVATE, cs, 1, 0, 0, 0), E(ARGUMENT_INVALID),
	              0);
	ASSERT_RESULT("res0 = ~0", hc(GH_HVC_OBJECT_ACTIVATE, cs, ~0ULL, 0, 0, 0),
	              E(ARGUMENT_INVALID), 0);
	ASSERT_EQ("configure (still INIT)", hc_err(GH_HVC_CSPACE_CONFIGURE, cs, 3, 0), 0);
	activate_expect(cs, 0);
}

/* Proves the SMCCC path does not check res0: object_activate with x2 non-zero activates (§1b). */
ROOT_TEST(activate_res0_smccc)
{
	u64 cs = root_cspace(rc, 2, false);

	RETURN_IF_FAILED();
	ASSERT_EQ("x0", hs(GH_HVC_OBJECT_ACTIVATE, cs, 1, 0, 0, 0).x[0], 0);
	activate_expect(cs, E(OBJECT_STATE));
}

/* --- object_activate_from: cspace (CAP_CREATE, active), cap in it (OBJECT_ACTIVATE), res0 --- */

struct from_fixture {
	u64 other;  /* an active cspace (root cspace copy of its master) */
	u64 target; /* an INIT, configured cspace, master in the root cspace */
	u64 there;  /* a copy of target in other, all rights */
};

static struct from_fixture from_setup(const struct root_caps *rc)
{
	struct from_fixture f;

	f.other = root_cspace(rc, 4, true);
	f.target = root_cspace(rc, 2, false);
	f.there = f.other != GH_CAP_INVALID && f.target != GH_CAP_INVALID
	              ? root_copy_into(rc, f.target, f.other, ~0ULL)
	              : GH_CAP_INVALID;
	return f;
}

/* Proves object_activate_from activates the cap named in the given cspace: OK, x1..x7 zero (§2). */
ROOT_TEST(activate_from_ok)
{
	struct from_fixture f = from_setup(rc);

	RETURN_IF_FAILED();
	activate_from_expect(f.other, f.there, 0);
	RETURN_IF_FAILED();
	activate_expect(f.target, E(OBJECT_STATE));
}

/* Proves object_activate_from with an undecodable cspace cap gives ARGUMENT_INVALID (§7). */
ROOT_TEST(activate_from_cspace_undecodable)
{
	struct from_fixture f = from_setup(rc);

	RETURN_IF_FAILED();
	activate_from_expect(root_undecodable(f.other), f.there, E(ARGUMENT_INVALID));
}

/* Proves object_activate_from with an empty slot as cspace gives CSPACE_CAP_NULL (§7). */
ROOT_TEST(activate_from_cspace_null)
{
	struct from_fixture f = from_setup(rc);
	u64 n = root_null(rc);

	RETURN_IF_FAILED();
	activate_from_expect(n, f.there, E(CSPACE_CAP_NULL));
}

/* Proves object_activate_from with a revoked cspace cap gives CSPACE_CAP_REVOKED (§7). */
ROOT_TEST(activate_from_cspace_revoked)
{
	struct from_fixture f = from_setup(rc);
	u64 v = root_revoked(rc, f.other);

	RETURN_IF_FAILED();
	activate_from_expect(v, f.there, E(CSPACE_CAP_REVOKED));
}

/* Proves object_activate_from with a partition as cspace gives CSPACE_WRONG_OBJECT_TYPE (§7). */
ROOT_TEST(activate_from_cspace_wrong_type)
{
	struct from_fixture f = from_setup(rc);

	RETURN_IF_FAILED();
	activate_from_expect(rc->partition, f.there, E(CSPACE_WRONG_OBJECT_TYPE));
}

/* Proves object_activate_from needs CAP_CREATE on the cspace: INSUFFICIENT_RIGHTS (§2 details). */
ROOT_TEST(activate_from_cspace_no_cap_create)
{
	struct from_fixture f = from_setup(rc);
	u64 v = root_copy(rc, f.other, ~(u64)GH_RIGHT_CSPACE_CAP_CREATE);

	RETURN_IF_FAILED();
	activate_from_expect(v, f.there, E(CSPACE_INSUFFICIENT_RIGHTS));
	RETURN_IF_FAILED();
	activate_expect(f.target, 0); /* still INIT */
}

/* Proves object_activate_from through a cspace still in INIT gives OBJECT_STATE (§7 lifecycle). */
ROOT_TEST(activate_from_cspace_inactive)
{
	u64 cs = root_cspace(rc, 2, false);

	RETURN_IF_FAILED();
	activate_from_expect(cs, GH_CAP_INVALID, E(OBJECT_STATE));
}

/* Proves a cap that does not decode in the named cspace gives ARGUMENT_INVALID (§7). */
ROOT_TEST(activate_from_cap_undecodable)
{
	struct from_fixture f = from_setup(rc);

	RETURN_IF_FAILED();
	activate_from_expect(f.other, root_undecodable(f.there), E(ARGUMENT_INVALID));
	activate_from_expect(f.other, GH_CAP_INVALID, E(ARGUMENT_INVALID));
}

/* Proves an empty slot of the named cspace gives CSPACE_CAP_NULL (§7). */
ROOT_TEST(activate_from_cap_null)
{
	struct from_fixture f = from_setup(rc);

	RETURN_IF_FAILED();
	ASSERT_EQ("delete there", hc_err(GH_HVC_CSPACE_DELETE_CAP_FROM, f.other, f.there, 0), 0);
	activate_from_expect(f.other, f.there, E(CSPACE_CAP_NULL));
}

/* Proves a revoked cap in the named cspace gives CSPACE_CAP_REVOKED (§7). */
ROOT_TEST(activate_from_cap_revoked)
{
	struct from_fixture f = from_setup(rc);

	RETURN_IF_FAILED();
	ASSERT_EQ("revoke there", hc_err(GH_HVC_CSPACE_REVOKE_CAP_FROM, f.other, f.there, 0), 0);
	activate_from_expect(f.other, f.there, E(CSPACE_CAP_REVOKED));
}

/* Proves object_activate_from needs OBJECT_ACTIVATE on the cap: INSUFFICIENT_RIGHTS (§2). */
ROOT_TEST(activate_from_cap_no_object_activate)
{
	struct from_fixture f = from_setup(rc);
	u64 v;

	RETURN_IF_FAILED();
	v = root_copy_into(rc, f.target, f.other, ~(u64)GH_RIGHT_OBJECT_ACTIVATE);
	RETURN_IF_FAILED();
	activate_from_expect(f.other, v, E(CSPACE_INSUFFICIENT_RIGHTS));
	RETURN_IF_FAILED();
	activate_expect(f.target, 0);
}

/* Proves object_activate_from of an active object gives OBJECT_STATE (§2 details). */
ROOT_TEST(activate_from_twice)
{
	struct from_fixture f = from_setup(rc);

	RETURN_IF_FAILED();
	activate_from_expect(f.other, f.there, 0);
	activate_from_expect(f.other, f.there, E(OBJECT_STATE));
}

/* Proves object_activate_from of an unconfigured cspace gives OBJECT_CONFIG (§2 0x25). */
ROOT_TEST(activate_from_unconfigured)
{
	u64 other = root_cspace(rc, 2, true);
	u64 bare = root_cspace(rc, 0, false);
	u64 there;

	RETURN_IF_FAILED();
	there = root_copy_into(rc, bare, other, ~0ULL);
	RETURN_IF_FAILED();
	activate_from_expect(other, there, E(OBJECT_CONFIG));
}

/* Proves object_activate_from that cannot get memory gives NOMEM, object stays INIT (§2 0x0d). */
ROOT_TEST(activate_from_nomem)
{
	u64 other = root_cspace(rc, 2, true);
	u64 g = activate_starved_partition(rc);
	u64 there;

	RETURN_IF_FAILED();
	there = root_copy_into(rc, g, other, ~0ULL);
	RETURN_IF_FAILED();
	activate_from_expect(other, there, E(NOMEM));
	activate_from_expect(other, there, E(NOMEM));
}

/* Proves object_activate_from with res0 (x2) non-zero gives ARGUMENT_INVALID, no effect (§1a). */
ROOT_TEST(activate_from_res0_native)
{
	struct from_fixture f = from_setup(rc);

	RETURN_IF_FAILED();
	ASSERT_RESULT("res0 = 1", hc(GH_HVC_OBJECT_ACTIVATE_FROM, f.other, f.there, 1, 0, 0),
	              E(ARGUMENT_INVALID), 0);
	activate_expect(f.target, 0); /* was still INIT */
}

/* Proves the SMCCC path does not check res0: object_activate_from with x3 non-zero works (§1b). */
ROOT_TEST(activate_from_res0_smccc)
{
	struct from_fixture f = from_setup(rc);

	RETURN_IF_FAILED();
	ASSERT_EQ("x0", hs(GH_HVC_OBJECT_ACTIVATE_FROM, f.other, f.there, 1, 0, 0).x[0], 0);
	activate_expect(f.target, E(OBJECT_STATE));
}

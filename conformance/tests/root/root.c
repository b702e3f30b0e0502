/* Root profile: partitions, cspaces and object lifecycles through caps (reference §2 details, §7).
 */
#include "root.h"

#define E(name) ((u64)GH_ERROR_##name)

/* Creates a cspace of max_caps slots from the root partition into the root cspace; 0 on failure. */
static u64 new_cspace(const struct root_caps *rc, u64 max_caps, bool activate)
{
	struct gh_ret r = hc(GH_HVC_PARTITION_CREATE_CSPACE, rc->partition, rc->cspace, 0, 0, 0);

	if (r.x[0] != 0) {
		test_fail("partition_create_cspace: x0 expected 0x0 got 0x%lx", r.x[0]);
		return 0;
	}
	if (max_caps && hc_err(GH_HVC_CSPACE_CONFIGURE, r.x[1], max_caps, 0) != 0) {
		test_fail("cspace_configure(%lu) failed", max_caps);
		return 0;
	}
	if (activate && hc_err(GH_HVC_OBJECT_ACTIVATE, r.x[1], 0, 0) != 0) {
		test_fail("object_activate of a configured cspace failed");
		return 0;
	}
	return r.x[1];
}

static u64 del(const struct root_caps *rc, u64 cap)
{
	return hc_err(GH_HVC_CSPACE_DELETE_CAP_FROM, rc->cspace, cap, 0);
}

/* Copy cap (in the root cspace) into dest with rights mask; returns the new cap or 0. */
static u64 copy(const struct root_caps *rc, u64 cap, u64 dest, u64 mask)
{
	struct gh_ret r = hc(GH_HVC_CSPACE_COPY_CAP_FROM, rc->cspace, cap, dest, mask, 0);

	if (r.x[0] != 0) {
		test_fail("cspace_copy_cap_from: x0 expected 0x0 got 0x%lx", r.x[0]);
		return 0;
	}
	return r.x[1];
}

/* Proves the root profile hands over two distinct caps that are not the invalid ID (§7). */
TEST(root, caps_present)
{
	ROOT_CAPS(rc);
	ASSERT_NE("partition cap", rc.partition, rc.cspace);
	ASSERT_TRUE("partition cap high 32 bits below 0xffffff00",
	            (rc.partition >> 32) < GH_CAP_NEVER_VALID_HIGH32_MIN);
	ASSERT_TRUE("cspace cap high 32 bits below 0xffffff00",
	            (rc.cspace >> 32) < GH_CAP_NEVER_VALID_HIGH32_MIN);
}

/* Proves partition_create_cspace returns OK and a new cap in x1, x2..x7 zero (§2 0x02). */
TEST(root, create_cspace)
{
	struct gh_ret r;
	unsigned i;

	ROOT_CAPS(rc);
	r = hc(GH_HVC_PARTITION_CREATE_CSPACE, rc.partition, rc.cspace, 0, 0, 0);
	ASSERT_EQ("x0", r.x[0], 0);
	ASSERT_NE("x1 (new cap)", r.x[1], GH_CAP_INVALID);
	ASSERT_NE("x1 (new cap)", r.x[1], rc.cspace);
	for (i = 2; i < 8; i++)
		ASSERT_EQ("x2..x7", r.x[i], 0);
	ASSERT_EQ("delete", del(&rc, r.x[1]), 0);
}

/* Proves partition_create_partition makes a child partition that activates (humpy deviation). */
TEST(root, create_partition)
{
	struct gh_ret r;

	ROOT_CAPS(rc);
	r = hc(GH_HVC_PARTITION_CREATE_PARTITION, rc.partition, rc.cspace, 0, 0, 0);
	ASSERT_EQ("x0", r.x[0], 0);
	ASSERT_EQ("activate child", hc_err(GH_HVC_OBJECT_ACTIVATE, r.x[1], 0, 0), 0);
	ASSERT_EQ("delete", del(&rc, r.x[1]), 0);
}

/* Proves cap IDs are not consecutive slot numbers (§7: IDs are obfuscated per cspace). */
TEST(root, cap_ids_unpredictable)
{
	u64 c[3];
	unsigned i;

	ROOT_CAPS(rc);
	for (i = 0; i < 3; i++) {
		c[i] = new_cspace(&rc, 0, false);
		RETURN_IF_FAILED();
	}
	ASSERT_TRUE("three new caps are consecutive", !(c[1] == c[0] + 1 && c[2] == c[1] + 1));
	ASSERT_TRUE("cap ID is a small slot number", c[0] > 0xffff);
	for (i = 0; i < 3; i++)
		ASSERT_EQ("delete", del(&rc, c[i]), 0);
}

/* Proves activating an unconfigured cspace gives OBJECT_CONFIG and leaves it INIT (§2 0x0c, 0x25).
 */
TEST(root, activate_unconfigured_object_config)
{
	u64 c;

	ROOT_CAPS(rc);
	c = new_cspace(&rc, 0, false);
	RETURN_IF_FAILED();
	ASSERT_EQ("activate", hc_err(GH_HVC_OBJECT_ACTIVATE, c, 0, 0), E(OBJECT_CONFIG));
	ASSERT_EQ("configure 0", hc_err(GH_HVC_CSPACE_CONFIGURE, c, 0, 0), 0);
	ASSERT_EQ("activate with max_caps 0", hc_err(GH_HVC_OBJECT_ACTIVATE, c, 0, 0),
	          E(OBJECT_CONFIG));
	ASSERT_EQ("configure 4", hc_err(GH_HVC_CSPACE_CONFIGURE, c, 4, 0), 0);
	ASSERT_EQ("activate", hc_err(GH_HVC_OBJECT_ACTIVATE, c, 0, 0), 0);
	ASSERT_EQ("delete", del(&rc, c), 0);
}

/* Proves a second activation and a configure after activation give OBJECT_STATE (§7 lifecycle). */
TEST(root, activate_twice_configure_after_object_state)
{
	u64 c;

	ROOT_CAPS(rc);
	c = new_cspace(&rc, 4, true);
	RETURN_IF_FAILED();
	ASSERT_EQ("activate again", hc_err(GH_HVC_OBJECT_ACTIVATE, c, 0, 0), E(OBJECT_STATE));
	ASSERT_EQ("configure after", hc_err(GH_HVC_CSPACE_CONFIGURE, c, 8, 0), E(OBJECT_STATE));
	ASSERT_EQ("delete", del(&rc, c), 0);
}

/* Proves cspace_configure accepts the limit and refuses one more (spec limit cspace_max_caps). */
TEST(root, configure_max_caps_limit)
{
	u64 c;

	ROOT_CAPS(rc);
	c = new_cspace(&rc, 0, false);
	RETURN_IF_FAILED();
	ASSERT_EQ("limit + 1", hc_err(GH_HVC_CSPACE_CONFIGURE, c, GH_LIMIT_CSPACE_MAX_CAPS + 1, 0),
	          E(ARGUMENT_INVALID));
	ASSERT_EQ("2^32 + 1", hc_err(GH_HVC_CSPACE_CONFIGURE, c, (1ULL << 32) + 1, 0),
	          E(ARGUMENT_INVALID));
	ASSERT_EQ("limit", hc_err(GH_HVC_CSPACE_CONFIGURE, c, GH_LIMIT_CSPACE_MAX_CAPS, 0), 0);
	ASSERT_EQ("delete", del(&rc, c), 0);
}

/* Proves a cap ID that does not decode gives ARGUMENT_INVALID (§7). */
TEST(root, undecodable_cap_argument_invalid)
{
	ROOT_CAPS(rc);
	ASSERT_EQ("activate(-1)", hc_err(GH_HVC_OBJECT_ACTIVATE, GH_CAP_INVALID, 0, 0),
	          E(ARGUMENT_INVALID));
	ASSERT_EQ("activate(cspace ^ 1<<40)",
	          hc_err(GH_HVC_OBJECT_ACTIVATE, rc.cspace ^ (1ULL << 40), 0, 0),
	          E(ARGUMENT_INVALID));
	ASSERT_EQ("create into cspace -1",
	          hc(GH_HVC_PARTITION_CREATE_CSPACE, rc.partition, GH_CAP_INVALID, 0, 0, 0).x[0],
	          E(ARGUMENT_INVALID));
}

/* Proves a deleted cap's ID gives CSPACE_CAP_NULL, for lookup and for a second delete (§7). */
TEST(root, deleted_cap_null)
{
	u64 c;

	ROOT_CAPS(rc);
	c = new_cspace(&rc, 0, false);
	RETURN_IF_FAILED();
	ASSERT_EQ("delete", del(&rc, c), 0);
	ASSERT_EQ("activate", hc_err(GH_HVC_OBJECT_ACTIVATE, c, 0, 0), E(CSPACE_CAP_NULL));
	ASSERT_EQ("delete again", del(&rc, c), E(CSPACE_CAP_NULL));
}

/* Proves a revoked copy gives CSPACE_CAP_REVOKED until deleted; the master cannot be revoked alone.
 */
TEST(root, revoked_cap)
{
	u64 c, cp;

	ROOT_CAPS(rc);
	c = new_cspace(&rc, 0, false);
	RETURN_IF_FAILED();
	cp = copy(&rc, c, rc.cspace, ~0ULL);
	RETURN_IF_FAILED();
	ASSERT_EQ("revoke master", hc_err(GH_HVC_CSPACE_REVOKE_CAP_FROM, rc.cspace, c, 0),
	          E(CSPACE_INSUFFICIENT_RIGHTS));
	ASSERT_EQ("revoke copy", hc_err(GH_HVC_CSPACE_REVOKE_CAP_FROM, rc.cspace, cp, 0), 0);
	ASSERT_EQ("configure via revoked", hc_err(GH_HVC_CSPACE_CONFIGURE, cp, 4, 0),
	          E(CSPACE_CAP_REVOKED));
	ASSERT_EQ("configure via master", hc_err(GH_HVC_CSPACE_CONFIGURE, c, 4, 0), 0);
	ASSERT_EQ("delete revoked", del(&rc, cp), 0);
	ASSERT_EQ("delete revoked again", del(&rc, cp), E(CSPACE_CAP_NULL));
	ASSERT_EQ("delete", del(&rc, c), 0);
}

/* Proves cspace_revoke_caps_from revokes every copy but keeps the master (§2 0x59). */
TEST(root, revoke_caps_from)
{
	u64 c, c1, c2;

	ROOT_CAPS(rc);
	c = new_cspace(&rc, 4, true);
	RETURN_IF_FAILED();
	c1 = copy(&rc, c, rc.cspace, ~0ULL);
	c2 = copy(&rc, c1, rc.cspace, GH_RIGHT_CSPACE_CAP_CREATE);
	RETURN_IF_FAILED();
	ASSERT_EQ("revoke_caps from a copy",
	          hc_err(GH_HVC_CSPACE_REVOKE_CAPS_FROM, rc.cspace, c1, 0),
	          E(CSPACE_INSUFFICIENT_RIGHTS));
	ASSERT_EQ("revoke_caps", hc_err(GH_HVC_CSPACE_REVOKE_CAPS_FROM, rc.cspace, c, 0), 0);
	ASSERT_EQ("copy 1",
	          hc(GH_HVC_CSPACE_COPY_CAP_FROM, rc.cspace, c1, rc.cspace, ~0ULL, 0).x[0],
	          E(CSPACE_CAP_REVOKED));
	ASSERT_EQ("copy 2", hc_err(GH_HVC_OBJECT_ACTIVATE, c2, 0, 0), E(CSPACE_CAP_REVOKED));
	ASSERT_EQ("master still works", hc_err(GH_HVC_OBJECT_ACTIVATE, c, 0, 0), E(OBJECT_STATE));
	ASSERT_EQ("del c1", del(&rc, c1), 0);
	ASSERT_EQ("del c2", del(&rc, c2), 0);
	ASSERT_EQ("del c", del(&rc, c), 0);
}

/* Proves caps of the wrong object type give CSPACE_WRONG_OBJECT_TYPE (§7). */
TEST(root, wrong_object_type)
{
	ROOT_CAPS(rc);
	ASSERT_EQ("create with cspace as partition",
	          hc(GH_HVC_PARTITION_CREATE_CSPACE, rc.cspace, rc.cspace, 0, 0, 0).x[0],
	          E(CSPACE_WRONG_OBJECT_TYPE));
	ASSERT_EQ("create with partition as cspace",
	          hc(GH_HVC_PARTITION_CREATE_CSPACE, rc.partition, rc.partition, 0, 0, 0).x[0],
	          E(CSPACE_WRONG_OBJECT_TYPE));
	ASSERT_EQ("configure a partition", hc_err(GH_HVC_CSPACE_CONFIGURE, rc.partition, 4, 0),
	          E(CSPACE_WRONG_OBJECT_TYPE));
	ASSERT_EQ("delete_cap_from a partition",
	          hc_err(GH_HVC_CSPACE_DELETE_CAP_FROM, rc.partition, rc.cspace, 0),
	          E(CSPACE_WRONG_OBJECT_TYPE));
	ASSERT_EQ("attach a cspace as thread",
	          hc_err(GH_HVC_CSPACE_ATTACH_THREAD, rc.cspace, rc.cspace, 0),
	          E(CSPACE_WRONG_OBJECT_TYPE));
}

/* Proves each right a call needs is checked: a copy without it gives INSUFFICIENT_RIGHTS (§7). */
TEST(root, missing_rights)
{
	u64 no_create, no_delete, no_copy, no_revoke, p_no_create, target, no_activate;

	ROOT_CAPS(rc);
	no_create = copy(&rc, rc.cspace, rc.cspace, ~(u64)GH_RIGHT_CSPACE_CAP_CREATE);
	no_delete = copy(&rc, rc.cspace, rc.cspace, ~(u64)GH_RIGHT_CSPACE_CAP_DELETE);
	no_copy = copy(&rc, rc.cspace, rc.cspace, ~(u64)GH_RIGHT_CSPACE_CAP_COPY);
	no_revoke = copy(&rc, rc.cspace, rc.cspace, ~(u64)GH_RIGHT_CSPACE_CAP_REVOKE);
	p_no_create = copy(&rc, rc.partition, rc.cspace, ~(u64)GH_RIGHT_PARTITION_OBJECT_CREATE);
	target = new_cspace(&rc, 0, false);
	no_activate = copy(&rc, target, rc.cspace, ~(u64)GH_RIGHT_OBJECT_ACTIVATE);
	RETURN_IF_FAILED();
	ASSERT_EQ("create without CAP_CREATE",
	          hc(GH_HVC_PARTITION_CREATE_CSPACE, rc.partition, no_create, 0, 0, 0).x[0],
	          E(CSPACE_INSUFFICIENT_RIGHTS));
	ASSERT_EQ("create without OBJECT_CREATE",
	          hc(GH_HVC_PARTITION_CREATE_CSPACE, p_no_create, rc.cspace, 0, 0, 0).x[0],
	          E(CSPACE_INSUFFICIENT_RIGHTS));
	ASSERT_EQ("delete without CAP_DELETE",
	          hc_err(GH_HVC_CSPACE_DELETE_CAP_FROM, no_delete, target, 0),
	          E(CSPACE_INSUFFICIENT_RIGHTS));
	ASSERT_EQ("copy without CAP_COPY",
	          hc(GH_HVC_CSPACE_COPY_CAP_FROM, no_copy, target, rc.cspace, ~0ULL, 0).x[0],
	          E(CSPACE_INSUFFICIENT_RIGHTS));
	ASSERT_EQ("copy into dest without CAP_CREATE",
	          hc(GH_HVC_CSPACE_COPY_CAP_FROM, rc.cspace, target, no_create, ~0ULL, 0).x[0],
	          E(CSPACE_INSUFFICIENT_RIGHTS));
	ASSERT_EQ("revoke without CAP_REVOKE",
	          hc_err(GH_HVC_CSPACE_REVOKE_CAPS_FROM, no_revoke, target, 0),
	          E(CSPACE_INSUFFICIENT_RIGHTS));
	ASSERT_EQ("configure without OBJECT_ACTIVATE",
	          hc_err(GH_HVC_CSPACE_CONFIGURE, no_activate, 4, 0),
	          E(CSPACE_INSUFFICIENT_RIGHTS));
	ASSERT_EQ("activate without OBJECT_ACTIVATE",
	          hc_err(GH_HVC_OBJECT_ACTIVATE, no_activate, 0, 0), E(CSPACE_INSUFFICIENT_RIGHTS));
	ASSERT_EQ("copy with an empty mask",
	          hc(GH_HVC_CSPACE_COPY_CAP_FROM, rc.cspace, target, rc.cspace, 0, 0).x[0],
	          E(CSPACE_INSUFFICIENT_RIGHTS));
	ASSERT_EQ("del", del(&rc, no_activate), 0);
	ASSERT_EQ("del", del(&rc, target), 0);
	ASSERT_EQ("del", del(&rc, p_no_create), 0);
	ASSERT_EQ("del", del(&rc, no_revoke), 0);
	ASSERT_EQ("del", del(&rc, no_copy), 0);
	ASSERT_EQ("del", del(&rc, no_delete), 0);
	ASSERT_EQ("del", del(&rc, no_create), 0);
}

/* Proves a copy keeps only rights in the mask: a copy masked to CAP_COPY cannot create (§2 0x23).
 */
TEST(root, copy_ands_rights)
{
	u64 only_copy, again;

	ROOT_CAPS(rc);
	only_copy =
	    copy(&rc, rc.cspace, rc.cspace, GH_RIGHT_CSPACE_CAP_COPY | GH_RIGHT_CSPACE_CAP_CREATE);
	RETURN_IF_FAILED();
	again =
	    copy(&rc, only_copy, rc.cspace, GH_RIGHT_CSPACE_CAP_COPY | GH_RIGHT_CSPACE_CAP_DELETE);
	RETURN_IF_FAILED();
	ASSERT_EQ("copy of copy lacks CAP_CREATE",
	          hc(GH_HVC_PARTITION_CREATE_CSPACE, rc.partition, again, 0, 0, 0).x[0],
	          E(CSPACE_INSUFFICIENT_RIGHTS));
	ASSERT_EQ("copy of copy lacks CAP_DELETE",
	          hc_err(GH_HVC_CSPACE_DELETE_CAP_FROM, again, only_copy, 0),
	          E(CSPACE_INSUFFICIENT_RIGHTS));
	ASSERT_EQ("del", del(&rc, again), 0);
	ASSERT_EQ("del", del(&rc, only_copy), 0);
}

/* Proves a cspace at max_caps refuses a copy and a create with CSPACE_FULL (§7). */
TEST(root, cspace_full)
{
	u64 small;

	ROOT_CAPS(rc);
	small = new_cspace(&rc, 1, true);
	RETURN_IF_FAILED();
	ASSERT_EQ("first copy",
	          hc(GH_HVC_CSPACE_COPY_CAP_FROM, rc.cspace, rc.partition, small, ~0ULL, 0).x[0],
	          0);
	ASSERT_EQ("second copy",
	          hc(GH_HVC_CSPACE_COPY_CAP_FROM, rc.cspace, rc.partition, small, ~0ULL, 0).x[0],
	          E(CSPACE_FULL));
	ASSERT_EQ("create into full",
	          hc(GH_HVC_PARTITION_CREATE_CSPACE, rc.partition, small, 0, 0, 0).x[0],
	          E(CSPACE_FULL));
	ASSERT_EQ("delete", del(&rc, small), 0);
}

/* Proves a child partition runs out with NOMEM while the root partition still serves (§2 details).
 */
TEST(root, child_partition_nomem)
{
	struct gh_ret r;
	u64 child, made[32];
	unsigned n = 0, i;
	u64 err = 0;

	ROOT_CAPS(rc);
	r = hc(GH_HVC_PARTITION_CREATE_PARTITION, rc.partition, rc.cspace, 0, 0, 0);
	ASSERT_EQ("create child", r.x[0], 0);
	child = r.x[1];
	ASSERT_EQ("activate child", hc_err(GH_HVC_OBJECT_ACTIVATE, child, 0, 0), 0);
	/* Cspaces of the largest size from the child: a few fit, then NOMEM. */
	while (n < 32) {
		r = hc(GH_HVC_PARTITION_CREATE_CSPACE, child, rc.cspace, 0, 0, 0);
		if (r.x[0] != 0) {
			err = r.x[0];
			break;
		}
		made[n++] = r.x[1];
		hc_err(GH_HVC_CSPACE_CONFIGURE, r.x[1], GH_LIMIT_CSPACE_MAX_CAPS, 0);
		err = hc_err(GH_HVC_OBJECT_ACTIVATE, r.x[1], 0, 0);
		if (err != 0)
			break;
	}
	for (i = 0; i < n; i++)
		del(&rc, made[i]);
	ASSERT_EQ("child exhausted", err, E(NOMEM));
	ASSERT_TRUE("ran out within 32 cspaces", n < 32);
	r = hc(GH_HVC_PARTITION_CREATE_CSPACE, rc.partition, rc.cspace, 0, 0, 0);
	ASSERT_EQ("root partition unaffected", r.x[0], 0);
	del(&rc, r.x[1]);
	ASSERT_EQ("delete child", del(&rc, child), 0);
}

/* Proves object_reset and object_reset_from return UNIMPLEMENTED, as upstream (§2 0x0e, 0x0f). */
TEST(root, object_reset_unimplemented)
{
	ROOT_CAPS(rc);
	ASSERT_EQ("object_reset", hc_err(GH_HVC_OBJECT_RESET, rc.cspace, 0, 0), E(UNIMPLEMENTED));
	ASSERT_EQ("object_reset_from", hc_err(GH_HVC_OBJECT_RESET_FROM, rc.cspace, rc.cspace, 0),
	          E(UNIMPLEMENTED));
}

/* Proves object_activate_from finds the cap in the named cspace (§2 0x0d). */
TEST(root, activate_from)
{
	u64 other, target, there;

	ROOT_CAPS(rc);
	other = new_cspace(&rc, 2, true);
	target = new_cspace(&rc, 2, false);
	RETURN_IF_FAILED();
	there = copy(&rc, target, other, ~0ULL);
	RETURN_IF_FAILED();
	ASSERT_EQ("activate_from", hc_err(GH_HVC_OBJECT_ACTIVATE_FROM, other, there, 0), 0);
	ASSERT_EQ("activate_from again", hc_err(GH_HVC_OBJECT_ACTIVATE_FROM, other, there, 0),
	          E(OBJECT_STATE));
	ASSERT_EQ("del", del(&rc, target), 0);
	ASSERT_EQ("del", del(&rc, other), 0);
}

/* Proves a non-zero res0 input gives ARGUMENT_INVALID and changes nothing (§1a reserved inputs). */
TEST(root, reserved_input_rejected)
{
	u64 small;

	ROOT_CAPS(rc);
	small = new_cspace(&rc, 1, true);
	RETURN_IF_FAILED();
	ASSERT_EQ("create res0=1",
	          hc(GH_HVC_PARTITION_CREATE_CSPACE, rc.partition, small, 1, 0, 0).x[0],
	          E(ARGUMENT_INVALID));
	ASSERT_EQ("copy res0=1",
	          hc(GH_HVC_CSPACE_COPY_CAP_FROM, rc.cspace, rc.partition, small, ~0ULL, 1).x[0],
	          E(ARGUMENT_INVALID));
	ASSERT_EQ("activate res0=1", hc_err(GH_HVC_OBJECT_ACTIVATE, small, 1, 0),
	          E(ARGUMENT_INVALID));
	/* The one slot is still free. */
	ASSERT_EQ("copy",
	          hc(GH_HVC_CSPACE_COPY_CAP_FROM, rc.cspace, rc.partition, small, ~0ULL, 0).x[0],
	          0);
	ASSERT_EQ("delete", del(&rc, small), 0);
}

/* Proves the SMCCC path reaches the same calls, inputs in x1.. (§1b). */
TEST(root, smccc_create_and_delete)
{
	u64 args[7] = {0};
	struct gh_ret r;

	ROOT_CAPS(rc);
	args[0] = rc.partition;
	args[1] = rc.cspace;
	r = gh_smccc_hvc(GH_SMCCC_HVC_BASE + GH_HVC_PARTITION_CREATE_CSPACE, args);
	ASSERT_EQ("x0", r.x[0], 0);
	ASSERT_NE("x1", r.x[1], GH_CAP_INVALID);
	args[0] = rc.cspace;
	args[1] = r.x[1];
	r = gh_smccc_hvc(GH_SMCCC_HVC_BASE + GH_HVC_CSPACE_DELETE_CAP_FROM, args);
	ASSERT_EQ("delete x0", r.x[0], 0);
}

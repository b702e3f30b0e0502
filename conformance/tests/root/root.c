/* Root profile as a whole: the caps it hands over, cap ID obfuscation, cap lifecycle across calls
 * (reference §2 details, §7). */
#include <humpy/root.h>

/* Proves the root profile hands over two distinct caps that are not the invalid ID (§7). */
ROOT_TEST(caps_present)
{
	ASSERT_NE("partition cap", rc->partition, rc->cspace);
	ASSERT_TRUE("partition cap bits 63:32 below 0xffffff00",
	            (rc->partition >> 32) < GH_CAP_NEVER_VALID_HIGH32_MIN);
	ASSERT_TRUE("cspace cap bits 63:32 below 0xffffff00",
	            (rc->cspace >> 32) < GH_CAP_NEVER_VALID_HIGH32_MIN);
}

/* Proves cap IDs are not consecutive slot numbers (§7: IDs are obfuscated per cspace). */
ROOT_TEST(cap_ids_unpredictable)
{
	u64 c[3];
	unsigned i;

	for (i = 0; i < 3; i++) {
		c[i] = root_cspace(rc, 0, false);
		RETURN_IF_FAILED();
	}
	ASSERT_TRUE("three new caps are consecutive", !(c[1] == c[0] + 1 && c[2] == c[1] + 1));
	ASSERT_TRUE("cap ID is a small slot number", c[0] > 0xffff && c[1] > 0xffff);
}

/* Proves a revoked copy stays revoked until deleted, then its slot is empty (§7 cap states). */
ROOT_TEST(revoked_until_deleted)
{
	u64 c = root_cspace(rc, 0, false);
	u64 cp = root_revoked(rc, c);

	RETURN_IF_FAILED();
	ASSERT_EQ("configure via revoked", hc_err(GH_HVC_CSPACE_CONFIGURE, cp, 4, 0),
	          E(CSPACE_CAP_REVOKED));
	ASSERT_EQ("copy of revoked",
	          hc(GH_HVC_CSPACE_COPY_CAP_FROM, rc->cspace, cp, rc->cspace, ~0ULL, 0).x[0],
	          E(CSPACE_CAP_REVOKED));
	ASSERT_EQ("configure via master", hc_err(GH_HVC_CSPACE_CONFIGURE, c, 4, 0), 0);
	ASSERT_EQ("delete revoked", root_del(rc, cp), 0);
	ASSERT_EQ("configure via deleted", hc_err(GH_HVC_CSPACE_CONFIGURE, cp, 4, 0),
	          E(CSPACE_CAP_NULL));
}

/* Proves an exhausted child partition leaves its parent serving: NOMEM is per partition (§2). */
ROOT_TEST(child_partition_nomem)
{
	u64 child = root_partition(rc, 0, true);
	unsigned n = 0;
	u64 err = 0;

	RETURN_IF_FAILED();
	/* Cspaces of the largest size from the child: a few fit, then NOMEM. */
	while (n < 32) {
		struct gh_ret r = hc(GH_HVC_PARTITION_CREATE_CSPACE, child, rc->cspace, 0, 0, 0);

		if (r.x[0] != 0) {
			err = r.x[0];
			break;
		}
		root_track(r.x[1]);
		n++;
		hc_err(GH_HVC_CSPACE_CONFIGURE, r.x[1], GH_LIMIT_CSPACE_MAX_CAPS, 0);
		err = hc_err(GH_HVC_OBJECT_ACTIVATE, r.x[1], 0, 0);
		if (err != 0)
			break;
	}
	ASSERT_EQ("child exhausted", err, E(NOMEM));
	ASSERT_TRUE("ran out within 32 cspaces", n < 32);
	root_cspace(rc, GH_LIMIT_CSPACE_MAX_CAPS, true); /* the root partition still serves */
}

/* Proves the SMCCC path reaches the same objects: create there, use and delete natively (§1b). */
ROOT_TEST(smccc_create_then_native)
{
	struct gh_ret r = hs(GH_HVC_PARTITION_CREATE_CSPACE, rc->partition, rc->cspace, 0, 0, 0);

	ASSERT_EQ("x0", r.x[0], 0);
	root_track(r.x[1]);
	ASSERT_EQ("configure natively", hc_err(GH_HVC_CSPACE_CONFIGURE, r.x[1], 2, 0), 0);
	ASSERT_EQ("activate via SMCCC", hs(GH_HVC_OBJECT_ACTIVATE, r.x[1], 0, 0, 0, 0).x[0], 0);
	ASSERT_EQ("delete via SMCCC",
	          hs(GH_HVC_CSPACE_DELETE_CAP_FROM, rc->cspace, r.x[1], 0, 0, 0).x[0], 0);
	root_untrack(r.x[1]);
	ASSERT_EQ("gone natively", hc_err(GH_HVC_OBJECT_ACTIVATE, r.x[1], 0, 0),
	          E(CSPACE_CAP_NULL));
}

/* Proves a partition outlives its cap while its objects live, and all memory returns after (§7). */
ROOT_TEST(partition_deleted_before_its_objects)
{
	u64 child = root_partition(rc, 0, true);
	u64 cs;
	unsigned i;

	RETURN_IF_FAILED();
	cs = root_create(rc, GH_HVC_PARTITION_CREATE_CSPACE, child);
	RETURN_IF_FAILED();
	ASSERT_EQ("configure", hc_err(GH_HVC_CSPACE_CONFIGURE, cs, 4, 0), 0);
	ASSERT_EQ("delete the partition's cap first", root_del(rc, child), 0);
	ASSERT_EQ("its object still activates", hc_err(GH_HVC_OBJECT_ACTIVATE, cs, 0, 0), 0);
	ASSERT_EQ("delete the object", root_del(rc, cs), 0);
	/* Everything came back: far more children than the root could hold at once still fit. */
	for (i = 0; i < 64; i++) {
		u64 p = root_partition(rc, 0, true);

		RETURN_IF_FAILED();
		ASSERT_EQ("delete child", root_del(rc, p), 0);
	}
}

/* Proves inputs past a call's count are ignored on the native path, whatever they hold (§1a). */
ROOT_TEST(extra_inputs_ignored)
{
	u64 args[8];
	struct gh_ret r;
	u64 cs;

	gh_patterned_args(args);
	args[0] = rc->partition;
	args[1] = rc->cspace;
	args[2] = 0; /* res0; x3..x7 keep their patterns */
	r = gh_native(GH_HVC_PARTITION_CREATE_CSPACE, args);
	ASSERT_EQ("create x0", r.x[0], 0);
	cs = r.x[1];
	root_track(cs);
	gh_patterned_args(args);
	args[0] = cs;
	args[1] = 2;
	args[2] = 0;
	ASSERT_RESULT("configure", gh_native(GH_HVC_CSPACE_CONFIGURE, args), 0, 0);
	gh_patterned_args(args);
	args[0] = cs;
	args[1] = 0;
	ASSERT_RESULT("activate", gh_native(GH_HVC_OBJECT_ACTIVATE, args), 0, 0);
	gh_patterned_args(args);
	args[0] = rc->cspace;
	args[1] = cs;
	args[2] = 0;
	ASSERT_RESULT("delete", gh_native(GH_HVC_CSPACE_DELETE_CAP_FROM, args), 0, 0);
	root_untrack(cs);
}

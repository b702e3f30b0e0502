/* partition_create_partition (0x01), _cspace (0x02) and _thread (0x05): results and every error. */
#include <humpy/root.h>

/* Inputs: partition (OBJECT_CREATE, active), cspace (CAP_CREATE, active), res0 (reference §2). */
static void create_expect(u32 call, u64 partition, u64 cspace, u64 err)
{
	ASSERT_RESULT("create", hc(call, partition, cspace, 0, 0, 0), err, 0);
}

/* The new cap is usable, in INIT (configure/activate accept it) and not a cap we already hold. */
static void create_ok(const struct root_caps *rc, u32 call)
{
	struct gh_ret r = hc(call, rc->partition, rc->cspace, 0, 0, 0);
	unsigned i;

	ASSERT_EQ("x0", r.x[0], 0);
	root_track(r.x[1]);
	ASSERT_NE("x1 (new cap)", r.x[1], GH_CAP_INVALID);
	ASSERT_NE("x1 (new cap)", r.x[1], rc->partition);
	ASSERT_NE("x1 (new cap)", r.x[1], rc->cspace);
	ASSERT_TRUE("new cap bits 63:32 below 0xffffff00",
	            (r.x[1] >> 32) < GH_CAP_NEVER_VALID_HIGH32_MIN);
	for (i = 2; i < 8; i++)
		ASSERT_EQ("x2..x7", r.x[i], 0);
	if (call == GH_HVC_PARTITION_CREATE_THREAD) {
		/* No address space attached: activation is OBJECT_CONFIG (as upstream: a vCPU runs
		 * in an address space), and the thread stays INIT. */
		ASSERT_EQ("activate new thread", hc_err(GH_HVC_OBJECT_ACTIVATE, r.x[1], 0, 0),
		          E(OBJECT_CONFIG));
		ASSERT_EQ("attach new thread (INIT)",
		          hc_err(GH_HVC_CSPACE_ATTACH_THREAD, rc->cspace, r.x[1], 0), 0);
		return;
	}
	if (call == GH_HVC_PARTITION_CREATE_CSPACE)
		ASSERT_EQ("configure new cspace (INIT)",
		          hc_err(GH_HVC_CSPACE_CONFIGURE, r.x[1], 2, 0), 0);
	ASSERT_EQ("activate new object", hc_err(GH_HVC_OBJECT_ACTIVATE, r.x[1], 0, 0), 0);
	ASSERT_EQ("activate again", hc_err(GH_HVC_OBJECT_ACTIVATE, r.x[1], 0, 0), E(OBJECT_STATE));
}

/* The master cap holds every right of its type: a copy masked to each single right succeeds. */
static void create_master_rights(const struct root_caps *rc, u32 call, u32 all)
{
	u64 c = root_create(rc, call, rc->partition);
	u32 bit;

	RETURN_IF_FAILED();
	for (bit = 1; bit != 0; bit <<= 1) {
		struct gh_ret r;

		if (!(all & bit))
			continue;
		r = hc(GH_HVC_CSPACE_COPY_CAP_FROM, rc->cspace, c, rc->cspace, bit, 0);
		if (r.x[0] != 0) {
			test_fail(
			    "copy of the master masked to right 0x%x: x0 expected 0x0 got 0x%lx",
			    bit, r.x[0]);
			return;
		}
		ASSERT_EQ("delete copy",
		          hc_err(GH_HVC_CSPACE_DELETE_CAP_FROM, rc->cspace, r.x[1], 0), 0);
	}
}

#define CREATE_TESTS(p, CALL, ALL)                                                                  \
	/* Proves p returns OK, a fresh cap in x1, x2..x7 zero; the object is INIT (§2 0x01-0x0b). \
	 */                                                                                         \
	ROOT_TEST(p##_ok)                                                                           \
	{                                                                                           \
		create_ok(rc, CALL);                                                                \
	}                                                                                           \
	/* Proves p's master cap has every right of its type (§2 details: master, all rights). */  \
	ROOT_TEST(p##_master_all_rights)                                                            \
	{                                                                                           \
		create_master_rights(rc, CALL, ALL);                                                \
	}                                                                                           \
	/* Proves p with an undecodable partition cap gives ARGUMENT_INVALID (§7 cap IDs). */      \
	ROOT_TEST(p##_partition_undecodable)                                                        \
	{                                                                                           \
		create_expect(CALL, root_undecodable(rc->partition), rc->cspace,                    \
		              E(ARGUMENT_INVALID));                                                 \
		create_expect(CALL, GH_CAP_INVALID, rc->cspace, E(ARGUMENT_INVALID));               \
	}                                                                                           \
	/* Proves p with an undecodable cspace cap gives ARGUMENT_INVALID (§7 cap IDs). */         \
	ROOT_TEST(p##_cspace_undecodable)                                                           \
	{                                                                                           \
		create_expect(CALL, rc->partition, root_undecodable(rc->cspace),                    \
		              E(ARGUMENT_INVALID));                                                 \
		create_expect(CALL, rc->partition, GH_CAP_INVALID, E(ARGUMENT_INVALID));            \
	}                                                                                           \
	/* Proves p with an empty slot as partition gives CSPACE_CAP_NULL (§7). */                 \
	ROOT_TEST(p##_partition_null)                                                               \
	{                                                                                           \
		u64 n = root_null(rc);                                                              \
		RETURN_IF_FAILED();                                                                 \
		create_expect(CALL, n, rc->cspace, E(CSPACE_CAP_NULL));                             \
	}                                                                                           \
	/* Proves p with an empty slot as cspace gives CSPACE_CAP_NULL (§7). */                    \
	ROOT_TEST(p##_cspace_null)                                                                  \
	{                                                                                           \
		u64 n = root_null(rc);                                                              \
		RETURN_IF_FAILED();                                                                 \
		create_expect(CALL, rc->partition, n, E(CSPACE_CAP_NULL));                          \
	}                                                                                           \
	/* Proves p with a revoked partition cap gives CSPACE_CAP_REVOKED (§7). */                 \
	ROOT_TEST(p##_partition_revoked)                                                            \
	{                                                                                           \
		u64 v = root_revoked(rc, rc->partition);                                            \
		RETURN_IF_FAILED();                                                                 \
		create_expect(CALL, v, rc->cspace, E(CSPACE_CAP_REVOKED));                          \
	}                                                                                           \
	/* Proves p with a revoked cspace cap gives CSPACE_CAP_REVOKED (§7). */                    \
	ROOT_TEST(p##_cspace_revoked)                                                               \
	{                                                                                           \
		u64 v = root_revoked(rc, rc->cspace);                                               \
		RETURN_IF_FAILED();                                                                 \
		create_expect(CALL, rc->partition, v, E(CSPACE_CAP_REVOKED));                       \
	}                                                                                           \
	/* Proves p with a cspace cap as partition gives CSPACE_WRONG_OBJECT_TYPE (§7). */         \
	ROOT_TEST(p##_partition_wrong_type)                                                         \
	{                                                                                           \
		create_expect(CALL, rc->cspace, rc->cspace, E(CSPACE_WRONG_OBJECT_TYPE));           \
	}                                                                                           \
	/* Proves p with a partition cap as cspace gives CSPACE_WRONG_OBJECT_TYPE (§7). */         \
	ROOT_TEST(p##_cspace_wrong_type)                                                            \
	{                                                                                           \
		create_expect(CALL, rc->partition, rc->partition, E(CSPACE_WRONG_OBJECT_TYPE));     \
	}                                                                                           \
	/* Proves p needs OBJECT_CREATE on the partition: INSUFFICIENT_RIGHTS without (§2          \
	 * details).                                                                                \
	 */                                                                                         \
	ROOT_TEST(p##_partition_no_object_create)                                                   \
	{                                                                                           \
		u64 v = root_copy(rc, rc->partition, ~(u64)GH_RIGHT_PARTITION_OBJECT_CREATE);       \
		RETURN_IF_FAILED();                                                                 \
		create_expect(CALL, v, rc->cspace, E(CSPACE_INSUFFICIENT_RIGHTS));                  \
	}                                                                                           \
	/* Proves p needs CAP_CREATE on the cspace: INSUFFICIENT_RIGHTS without (§2 details). */   \
	ROOT_TEST(p##_cspace_no_cap_create)                                                         \
	{                                                                                           \
		u64 v = root_copy(rc, rc->cspace, ~(u64)GH_RIGHT_CSPACE_CAP_CREATE);                \
		RETURN_IF_FAILED();                                                                 \
		create_expect(CALL, rc->partition, v, E(CSPACE_INSUFFICIENT_RIGHTS));               \
	}                                                                                           \
	/* Proves p from a partition still in INIT gives OBJECT_STATE (§7 lifecycle). */           \
	ROOT_TEST(p##_partition_inactive)                                                           \
	{                                                                                           \
		u64 child = root_partition(rc, 0, false);                                           \
		RETURN_IF_FAILED();                                                                 \
		create_expect(CALL, child, rc->cspace, E(OBJECT_STATE));                            \
	}                                                                                           \
	/* Proves p into a cspace still in INIT gives OBJECT_STATE (§7 lifecycle). */              \
	ROOT_TEST(p##_cspace_inactive)                                                              \
	{                                                                                           \
		u64 cs = root_cspace(rc, 4, false);                                                 \
		RETURN_IF_FAILED();                                                                 \
		create_expect(CALL, rc->partition, cs, E(OBJECT_STATE));                            \
	}                                                                                           \
	/* Proves p into a full cspace gives CSPACE_FULL and creates nothing (§7). */              \
	ROOT_TEST(p##_cspace_full)                                                                  \
	{                                                                                           \
		u64 small = root_cspace(rc, 1, true);                                               \
		u64 in;                                                                             \
		RETURN_IF_FAILED();                                                                 \
		in = root_copy_into(rc, rc->partition, small, ~0ULL);                               \
		RETURN_IF_FAILED();                                                                 \
		create_expect(CALL, rc->partition, small, E(CSPACE_FULL));                          \
		ASSERT_EQ("delete the one cap",                                                     \
		          hc_err(GH_HVC_CSPACE_DELETE_CAP_FROM, small, in, 0), 0);                  \
		ASSERT_EQ("create into the freed slot",                                             \
		          hc(CALL, rc->partition, small, 0, 0, 0).x[0], 0);                         \
	}                                                                                           \
	/* Proves p from an exhausted child partition gives NOMEM (§2 details; deviation           \
	 * partition_create_partition). */                                                          \
	ROOT_TEST(p##_nomem)                                                                        \
	{                                                                                           \
		u64 child = root_exhausted_child(rc, CALL);                                         \
		RETURN_IF_FAILED();                                                                 \
		create_expect(CALL, child, rc->cspace, E(NOMEM));                                   \
		create_ok(rc, CALL); /* the root partition still serves */                          \
	}                                                                                           \
	/* Proves p with res0 (x2) non-zero gives ARGUMENT_INVALID and creates nothing (§1a). */   \
	ROOT_TEST(p##_res0_native)                                                                  \
	{                                                                                           \
		u64 small = root_cspace(rc, 1, true);                                               \
		RETURN_IF_FAILED();                                                                 \
		ASSERT_RESULT("res0 = 1", hc(CALL, rc->partition, small, 1, 0, 0),                  \
		              E(ARGUMENT_INVALID), 0);                                              \
		ASSERT_RESULT("res0 = 1 << 63", hc(CALL, rc->partition, small, 1ULL << 63, 0, 0),   \
		              E(ARGUMENT_INVALID), 0);                                              \
		/* Nothing was made: the one slot is still free. */                                 \
		ASSERT_EQ("create into the free slot",                                              \
		          hc(CALL, rc->partition, small, 0, 0, 0).x[0], 0);                         \
		ASSERT_EQ("now full", hc(CALL, rc->partition, small, 0, 0, 0).x[0],                 \
		          E(CSPACE_FULL));                                                          \
	}                                                                                           \
	/* Proves the SMCCC path does not check res0: p with x3 non-zero creates (§1b). */         \
	ROOT_TEST(p##_res0_smccc)                                                                   \
	{                                                                                           \
		struct gh_ret r = hs(CALL, rc->partition, rc->cspace, 1, 0, 0);                     \
		ASSERT_EQ("x0", r.x[0], 0);                                                         \
		root_track(r.x[1]);                                                                 \
		ASSERT_EQ("activate the new object", hc_err(GH_HVC_OBJECT_ACTIVATE, r.x[1], 0, 0),  \
		          CALL == GH_HVC_PARTITION_CREATE_PARTITION ? 0 : E(OBJECT_CONFIG));        \
	}

CREATE_TESTS(create_partition, GH_HVC_PARTITION_CREATE_PARTITION, GH_RIGHTS_PARTITION_ALL)
CREATE_TESTS(create_cspace, GH_HVC_PARTITION_CREATE_CSPACE, GH_RIGHTS_CSPACE_ALL)
CREATE_TESTS(create_thread, GH_HVC_PARTITION_CREATE_THREAD, GH_RIGHTS_THREAD_ALL)

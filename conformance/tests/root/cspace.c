/* cspace_delete_cap_from (0x22), cspace_revoke_cap_from (0x24), cspace_revoke_caps_from (0x59):
 * results and every error. */
#include <humpy/root.h>

/*
 * The three calls share their first input: a cspace cap (active) needing one right, then a cap in
 * that cspace. One family of tests per call checks that first input.
 */
static void cs_expect(u32 call, u64 cspace, u64 cap, u64 err)
{
	ASSERT_RESULT("call", hc(call, cspace, cap, 0, 0, 0), err, 0);
}

/* A fresh INIT cspace object with a copy next to its master: what the calls act on. */
struct cs_fixture {
	u64 master;
	u64 copy;
};

static struct cs_fixture cs_setup(const struct root_caps *rc)
{
	struct cs_fixture f;

	f.master = root_cspace(rc, 2, false);
	f.copy = f.master != GH_CAP_INVALID ? root_copy(rc, f.master, ~0ULL) : GH_CAP_INVALID;
	return f;
}

/* The copy is still a valid cap with every right: the call that failed changed nothing. */
static void cs_copy_intact(const struct cs_fixture *f)
{
	ASSERT_EQ("copy still valid (configure through it)",
	          hc_err(GH_HVC_CSPACE_CONFIGURE, f->copy, 2, 0), 0);
}

/* The cap for the revoke_caps family is the master; for delete and revoke it is the copy. */
static u64 cs_target(u32 call, const struct cs_fixture *f)
{
	return call == GH_HVC_CSPACE_REVOKE_CAPS_FROM ? f->master : f->copy;
}

#define CS_CSPACE_TESTS(p, CALL, RIGHT)                                                             \
	/* Proves p with an undecodable cspace cap gives ARGUMENT_INVALID, no effect (§7). */      \
	ROOT_TEST(p##_cspace_undecodable)                                                           \
	{                                                                                           \
		struct cs_fixture f = cs_setup(rc);                                                 \
		RETURN_IF_FAILED();                                                                 \
		cs_expect(CALL, root_undecodable(rc->cspace), cs_target(CALL, &f),                  \
		          E(ARGUMENT_INVALID));                                                     \
		cs_expect(CALL, GH_CAP_INVALID, cs_target(CALL, &f), E(ARGUMENT_INVALID));          \
		cs_copy_intact(&f);                                                                 \
	}                                                                                           \
	/* Proves p with an empty slot as cspace gives CSPACE_CAP_NULL, no effect (§7). */         \
	ROOT_TEST(p##_cspace_null)                                                                  \
	{                                                                                           \
		struct cs_fixture f = cs_setup(rc);                                                 \
		u64 n = root_null(rc);                                                              \
		RETURN_IF_FAILED();                                                                 \
		cs_expect(CALL, n, cs_target(CALL, &f), E(CSPACE_CAP_NULL));                        \
		cs_copy_intact(&f);                                                                 \
	}                                                                                           \
	/* Proves p with a revoked cspace cap gives CSPACE_CAP_REVOKED, no effect (§7). */         \
	ROOT_TEST(p##_cspace_revoked)                                                               \
	{                                                                                           \
		struct cs_fixture f = cs_setup(rc);                                                 \
		u64 v = root_revoked(rc, rc->cspace);                                               \
		RETURN_IF_FAILED();                                                                 \
		cs_expect(CALL, v, cs_target(CALL, &f), E(CSPACE_CAP_REVOKED));                     \
		cs_copy_intact(&f);                                                                 \
	}                                                                                           \
	/* Proves p with a partition as cspace gives CSPACE_WRONG_OBJECT_TYPE, no effect (§7). */  \
	ROOT_TEST(p##_cspace_wrong_type)                                                            \
	{                                                                                           \
		struct cs_fixture f = cs_setup(rc);                                                 \
		RETURN_IF_FAILED();                                                                 \
		cs_expect(CALL, rc->partition, cs_target(CALL, &f), E(CSPACE_WRONG_OBJECT_TYPE));   \
		cs_copy_intact(&f);                                                                 \
	}                                                                                           \
	/* Proves p needs its right on the cspace: INSUFFICIENT_RIGHTS without, no effect (§2). */ \
	ROOT_TEST(p##_cspace_no_right)                                                              \
	{                                                                                           \
		struct cs_fixture f = cs_setup(rc);                                                 \
		u64 v = root_copy(rc, rc->cspace, ~(u64)(RIGHT));                                   \
		RETURN_IF_FAILED();                                                                 \
		cs_expect(CALL, v, cs_target(CALL, &f), E(CSPACE_INSUFFICIENT_RIGHTS));             \
		cs_copy_intact(&f);                                                                 \
	}                                                                                           \
	/* Proves p through a cspace still in INIT gives OBJECT_STATE (§7 lifecycle). */           \
	ROOT_TEST(p##_cspace_inactive)                                                              \
	{                                                                                           \
		u64 cs = root_cspace(rc, 2, false);                                                 \
		RETURN_IF_FAILED();                                                                 \
		cs_expect(CALL, cs, GH_CAP_INVALID, E(OBJECT_STATE));                               \
	}                                                                                           \
	/* Proves p with a cap that does not decode in the cspace gives ARGUMENT_INVALID (§7). */  \
	ROOT_TEST(p##_cap_undecodable)                                                              \
	{                                                                                           \
		struct cs_fixture f = cs_setup(rc);                                                 \
		RETURN_IF_FAILED();                                                                 \
		cs_expect(CALL, rc->cspace, root_undecodable(cs_target(CALL, &f)),                  \
		          E(ARGUMENT_INVALID));                                                     \
		cs_expect(CALL, rc->cspace, GH_CAP_INVALID, E(ARGUMENT_INVALID));                   \
	}                                                                                           \
	/* Proves p with an empty slot as the cap gives CSPACE_CAP_NULL (§7). */                   \
	ROOT_TEST(p##_cap_null)                                                                     \
	{                                                                                           \
		u64 n = root_null(rc);                                                              \
		RETURN_IF_FAILED();                                                                 \
		cs_expect(CALL, rc->cspace, n, E(CSPACE_CAP_NULL));                                 \
	}                                                                                           \
	/* Proves p with res0 (x2) non-zero gives ARGUMENT_INVALID and changes nothing (§1a). */   \
	ROOT_TEST(p##_res0_native)                                                                  \
	{                                                                                           \
		struct cs_fixture f = cs_setup(rc);                                                 \
		RETURN_IF_FAILED();                                                                 \
		ASSERT_RESULT("res0 = 1", hc(CALL, rc->cspace, cs_target(CALL, &f), 1, 0, 0),       \
		              E(ARGUMENT_INVALID), 0);                                              \
		ASSERT_RESULT("res0 = 1 << 63",                                                     \
		              hc(CALL, rc->cspace, cs_target(CALL, &f), 1ULL << 63, 0, 0),          \
		              E(ARGUMENT_INVALID), 0);                                              \
		cs_copy_intact(&f);                                                                 \
	}

CS_CSPACE_TESTS(delete, GH_HVC_CSPACE_DELETE_CAP_FROM, GH_RIGHT_CSPACE_CAP_DELETE)
CS_CSPACE_TESTS(revoke, GH_HVC_CSPACE_REVOKE_CAP_FROM, GH_RIGHT_CSPACE_CAP_REVOKE)
CS_CSPACE_TESTS(revoke_caps, GH_HVC_CSPACE_REVOKE_CAPS_FROM, GH_RIGHT_CSPACE_CAP_REVOKE)

/* --- cspace_delete_cap_from --- */

/* Proves cspace_delete_cap_from returns OK, x1..x7 zero; the slot is then empty (§2 0x22). */
ROOT_TEST(delete_ok)
{
	struct cs_fixture f = cs_setup(rc);

	RETURN_IF_FAILED();
	ASSERT_RESULT("delete", hc(GH_HVC_CSPACE_DELETE_CAP_FROM, rc->cspace, f.copy, 0, 0, 0), 0,
	              0);
	root_untrack(f.copy);
	ASSERT_EQ("use after delete", hc_err(GH_HVC_CSPACE_CONFIGURE, f.copy, 2, 0),
	          E(CSPACE_CAP_NULL));
	ASSERT_EQ("master unaffected", hc_err(GH_HVC_CSPACE_CONFIGURE, f.master, 2, 0), 0);
}

/* Proves deleting an object's last cap destroys it and returns its memory to the partition (§7). */
ROOT_TEST(delete_last_cap_frees_memory)
{
	unsigned i;

	/* Each activated child takes GH_LIMIT_CHILD_PARTITION_HEAP: a leak exhausts the root fast.
	 */
	for (i = 0; i < 64; i++) {
		u64 p = root_partition(rc, 0, true);

		RETURN_IF_FAILED();
		ASSERT_EQ("delete child", root_del(rc, p), 0);
	}
}

/* Proves a deleted cap's slot is empty for a second delete: CSPACE_CAP_NULL (§7). */
ROOT_TEST(delete_twice)
{
	struct cs_fixture f = cs_setup(rc);

	RETURN_IF_FAILED();
	ASSERT_EQ("delete", root_del(rc, f.copy), 0);
	cs_expect(GH_HVC_CSPACE_DELETE_CAP_FROM, rc->cspace, f.copy, E(CSPACE_CAP_NULL));
}

/* Proves a revoked cap can be deleted (OK), after which its slot is empty (§7; upstream). */
ROOT_TEST(delete_revoked_cap)
{
	u64 v = root_revoked(rc, rc->partition);

	RETURN_IF_FAILED();
	ASSERT_EQ("delete revoked", root_del(rc, v), 0);
	cs_expect(GH_HVC_CSPACE_DELETE_CAP_FROM, rc->cspace, v, E(CSPACE_CAP_NULL));
}

/* Proves cspace_delete_cap_from deletes from the named cspace, not the caller's (§2 0x22). */
ROOT_TEST(delete_from_other_cspace)
{
	u64 other = root_cspace(rc, 2, true);
	u64 there;

	RETURN_IF_FAILED();
	there = root_copy_into(rc, rc->partition, other, ~0ULL);
	RETURN_IF_FAILED();
	cs_expect(GH_HVC_CSPACE_DELETE_CAP_FROM, other, there, 0);
	RETURN_IF_FAILED();
	cs_expect(GH_HVC_CSPACE_DELETE_CAP_FROM, other, there, E(CSPACE_CAP_NULL));
	RETURN_IF_FAILED();
	ASSERT_EQ("slot reusable",
	          root_copy_into(rc, rc->partition, other, ~0ULL) != GH_CAP_INVALID, 1);
}

/* Proves the SMCCC path does not check res0: cspace_delete_cap_from with x3 non-zero deletes (§1b).
 */
ROOT_TEST(delete_res0_smccc)
{
	struct cs_fixture f = cs_setup(rc);

	RETURN_IF_FAILED();
	ASSERT_EQ("x0", hs(GH_HVC_CSPACE_DELETE_CAP_FROM, rc->cspace, f.copy, 1, 0, 0).x[0], 0);
	root_untrack(f.copy);
	ASSERT_EQ("deleted", hc_err(GH_HVC_CSPACE_CONFIGURE, f.copy, 2, 0), E(CSPACE_CAP_NULL));
}

/* --- cspace_revoke_cap_from (humpy deviation cspace_revoke_cap_from) --- */

/* Proves cspace_revoke_cap_from revokes the one copy: OK, then CSPACE_CAP_REVOKED (deviation). */
ROOT_TEST(revoke_ok)
{
	struct cs_fixture f = cs_setup(rc);
	u64 other;

	RETURN_IF_FAILED();
	other = root_copy(rc, f.master, ~0ULL);
	RETURN_IF_FAILED();
	ASSERT_RESULT("revoke", hc(GH_HVC_CSPACE_REVOKE_CAP_FROM, rc->cspace, f.copy, 0, 0, 0), 0,
	              0);
	ASSERT_EQ("revoked copy", hc_err(GH_HVC_CSPACE_CONFIGURE, f.copy, 2, 0),
	          E(CSPACE_CAP_REVOKED));
	ASSERT_EQ("other copy intact", hc_err(GH_HVC_CSPACE_CONFIGURE, other, 2, 0), 0);
	ASSERT_EQ("master intact", hc_err(GH_HVC_CSPACE_CONFIGURE, f.master, 2, 0), 0);
}

/* Proves revoking an already revoked cap gives CSPACE_CAP_REVOKED (§7, deviation). */
ROOT_TEST(revoke_cap_revoked)
{
	u64 v = root_revoked(rc, rc->partition);

	RETURN_IF_FAILED();
	cs_expect(GH_HVC_CSPACE_REVOKE_CAP_FROM, rc->cspace, v, E(CSPACE_CAP_REVOKED));
}

/* Proves the master cap cannot be revoked alone: CSPACE_INSUFFICIENT_RIGHTS (deviation). */
ROOT_TEST(revoke_master_refused)
{
	struct cs_fixture f = cs_setup(rc);

	RETURN_IF_FAILED();
	cs_expect(GH_HVC_CSPACE_REVOKE_CAP_FROM, rc->cspace, f.master,
	          E(CSPACE_INSUFFICIENT_RIGHTS));
	RETURN_IF_FAILED();
	ASSERT_EQ("master intact", hc_err(GH_HVC_CSPACE_CONFIGURE, f.master, 2, 0), 0);
}

/* Proves the SMCCC path does not check res0: cspace_revoke_cap_from with x3 non-zero revokes (§1b).
 */
ROOT_TEST(revoke_res0_smccc)
{
	struct cs_fixture f = cs_setup(rc);

	RETURN_IF_FAILED();
	ASSERT_EQ("x0", hs(GH_HVC_CSPACE_REVOKE_CAP_FROM, rc->cspace, f.copy, 1, 0, 0).x[0], 0);
	ASSERT_EQ("revoked", hc_err(GH_HVC_CSPACE_CONFIGURE, f.copy, 2, 0), E(CSPACE_CAP_REVOKED));
}

/* --- cspace_revoke_caps_from --- */

/* Proves cspace_revoke_caps_from revokes every copy, in any cspace, and keeps the master (§2 0x59).
 */
ROOT_TEST(revoke_caps_ok)
{
	struct cs_fixture f = cs_setup(rc);
	u64 other = root_cspace(rc, 2, true);
	u64 there, copy2;

	RETURN_IF_FAILED();
	there = root_copy_into(rc, f.master, other, ~0ULL);
	copy2 = root_copy(rc, f.copy, GH_RIGHT_OBJECT_ACTIVATE);
	RETURN_IF_FAILED();
	ASSERT_RESULT("revoke_caps",
	              hc(GH_HVC_CSPACE_REVOKE_CAPS_FROM, rc->cspace, f.master, 0, 0, 0), 0, 0);
	ASSERT_EQ("copy", hc_err(GH_HVC_CSPACE_CONFIGURE, f.copy, 2, 0), E(CSPACE_CAP_REVOKED));
	ASSERT_EQ("copy of copy", hc_err(GH_HVC_CSPACE_CONFIGURE, copy2, 2, 0),
	          E(CSPACE_CAP_REVOKED));
	ASSERT_EQ("copy in another cspace", hc_err(GH_HVC_OBJECT_ACTIVATE_FROM, other, there, 0),
	          E(CSPACE_CAP_REVOKED));
	ASSERT_EQ("master", hc_err(GH_HVC_CSPACE_CONFIGURE, f.master, 2, 0), 0);
	ASSERT_EQ("delete revoked in other", hc_err(GH_HVC_CSPACE_DELETE_CAP_FROM, other, there, 0),
	          0);
}

/* Proves cspace_revoke_caps_from on a master without copies is OK and keeps it (§2 0x59). */
ROOT_TEST(revoke_caps_no_copies)
{
	u64 cs = root_cspace(rc, 2, false);

	RETURN_IF_FAILED();
	cs_expect(GH_HVC_CSPACE_REVOKE_CAPS_FROM, rc->cspace, cs, 0);
	RETURN_IF_FAILED();
	cs_expect(GH_HVC_CSPACE_REVOKE_CAPS_FROM, rc->cspace, cs, 0);
	RETURN_IF_FAILED();
	ASSERT_EQ("master", hc_err(GH_HVC_CSPACE_CONFIGURE, cs, 2, 0), 0);
}

/* Proves cspace_revoke_caps_from on a copy gives CSPACE_INSUFFICIENT_RIGHTS, nothing revoked (§2).
 */
ROOT_TEST(revoke_caps_not_master)
{
	struct cs_fixture f = cs_setup(rc);
	u64 copy2;

	RETURN_IF_FAILED();
	copy2 = root_copy(rc, f.master, ~0ULL);
	RETURN_IF_FAILED();
	cs_expect(GH_HVC_CSPACE_REVOKE_CAPS_FROM, rc->cspace, f.copy,
	          E(CSPACE_INSUFFICIENT_RIGHTS));
	RETURN_IF_FAILED();
	ASSERT_EQ("other copy intact", hc_err(GH_HVC_CSPACE_CONFIGURE, copy2, 2, 0), 0);
	cs_copy_intact(&f);
}

/* Proves cspace_revoke_caps_from with a revoked cap gives CSPACE_CAP_REVOKED (§7). */
ROOT_TEST(revoke_caps_cap_revoked)
{
	u64 v = root_revoked(rc, rc->partition);

	RETURN_IF_FAILED();
	cs_expect(GH_HVC_CSPACE_REVOKE_CAPS_FROM, rc->cspace, v, E(CSPACE_CAP_REVOKED));
}

/* Proves the SMCCC path does not check res0: cspace_revoke_caps_from with x3 non-zero revokes
 * (§1b). */
ROOT_TEST(revoke_caps_res0_smccc)
{
	struct cs_fixture f = cs_setup(rc);

	RETURN_IF_FAILED();
	ASSERT_EQ("x0", hs(GH_HVC_CSPACE_REVOKE_CAPS_FROM, rc->cspace, f.master, 1, 0, 0).x[0], 0);
	ASSERT_EQ("revoked", hc_err(GH_HVC_CSPACE_CONFIGURE, f.copy, 2, 0), E(CSPACE_CAP_REVOKED));
}

/* cspace_copy_cap_from (0x23): src_cspace (CAP_COPY), src_cap in it, dest_cspace (CAP_CREATE),
 * rights_mask, res0 — results and every error. */
#include <humpy/root.h>

static void copy_expect(u64 src_cs, u64 src, u64 dest, u64 mask, u64 err)
{
	ASSERT_RESULT("cspace_copy_cap_from",
	              hc(GH_HVC_CSPACE_COPY_CAP_FROM, src_cs, src, dest, mask, 0), err, 0);
}

static u64 copy_small_dest(const struct root_caps *rc)
{
	return root_cspace(rc, 1, true);
}

/* A failed copy must not take a slot: dest (1 slot) takes exactly one copy afterwards. */
static void copy_fits_once(const struct root_caps *rc, u64 dest)
{
	ASSERT_EQ("copy into dest",
	          hc(GH_HVC_CSPACE_COPY_CAP_FROM, rc->cspace, rc->partition, dest, ~0ULL, 0).x[0],
	          0);
	ASSERT_EQ("dest now full",
	          hc(GH_HVC_CSPACE_COPY_CAP_FROM, rc->cspace, rc->partition, dest, ~0ULL, 0).x[0],
	          E(CSPACE_FULL));
}

/* Proves cspace_copy_cap_from returns OK and a new cap in x1 (x2..x7 zero) with the rights ANDed
 * (§2 details). */
ROOT_TEST(copy_ok)
{
	struct gh_ret r;
	unsigned i;

	r = hc(GH_HVC_CSPACE_COPY_CAP_FROM, rc->cspace, rc->partition, rc->cspace,
	       GH_RIGHT_PARTITION_OBJECT_CREATE, 0);
	ASSERT_EQ("x0", r.x[0], 0);
	root_track(r.x[1]);
	ASSERT_NE("x1 (new cap)", r.x[1], rc->partition);
	ASSERT_NE("x1 (new cap)", r.x[1], GH_CAP_INVALID);
	for (i = 2; i < 8; i++)
		ASSERT_EQ("x2..x7", r.x[i], 0);
	/* The copy creates (OBJECT_CREATE kept) but cannot be copied on with DONATE (dropped). */
	root_create(rc, GH_HVC_PARTITION_CREATE_CSPACE, r.x[1]);
	RETURN_IF_FAILED();
	copy_expect(rc->cspace, r.x[1], rc->cspace, GH_RIGHT_PARTITION_DONATE,
	            E(CSPACE_INSUFFICIENT_RIGHTS));
}

/* Proves a copy keeps exactly the masked rights: each dropped right is refused, each kept works
 * (§2 details). */
ROOT_TEST(copy_ands_rights)
{
	u64 only_copy, again;
	struct gh_ret r;

	only_copy =
	    root_copy(rc, rc->cspace, GH_RIGHT_CSPACE_CAP_COPY | GH_RIGHT_CSPACE_CAP_CREATE);
	RETURN_IF_FAILED();
	again = root_copy(rc, only_copy, GH_RIGHT_CSPACE_CAP_CREATE | GH_RIGHT_CSPACE_CAP_DELETE);
	RETURN_IF_FAILED();
	/* again = CAP_CREATE only (CAP_DELETE was not in only_copy) */
	r = hc(GH_HVC_PARTITION_CREATE_CSPACE, rc->partition, again, 0, 0, 0);
	ASSERT_EQ("create through again", r.x[0], 0);
	root_track(r.x[1]);
	ASSERT_EQ("delete through again",
	          hc_err(GH_HVC_CSPACE_DELETE_CAP_FROM, again, only_copy, 0),
	          E(CSPACE_INSUFFICIENT_RIGHTS));
	ASSERT_EQ("copy through again",
	          hc(GH_HVC_CSPACE_COPY_CAP_FROM, again, only_copy, rc->cspace, ~0ULL, 0).x[0],
	          E(CSPACE_INSUFFICIENT_RIGHTS));
}

/* Proves rights_mask is 32 bits: bits 63:32 neither add nor count as rights (§2 0x23). */
ROOT_TEST(copy_mask_upper_half_ignored)
{
	u64 c;

	copy_expect(rc->cspace, rc->partition, rc->cspace, 0xffffffff00000000ULL,
	            E(CSPACE_INSUFFICIENT_RIGHTS));
	c = root_copy(rc, rc->partition, 0xffffffff00000000ULL | GH_RIGHT_PARTITION_DONATE);
	RETURN_IF_FAILED();
	copy_expect(rc->cspace, c, rc->cspace, GH_RIGHT_PARTITION_OBJECT_CREATE,
	            E(CSPACE_INSUFFICIENT_RIGHTS));
}

/* Proves a copy with an empty mask gives CSPACE_INSUFFICIENT_RIGHTS and takes no slot (§2). */
ROOT_TEST(copy_empty_mask)
{
	u64 dest = copy_small_dest(rc);

	RETURN_IF_FAILED();
	copy_expect(rc->cspace, rc->partition, dest, 0, E(CSPACE_INSUFFICIENT_RIGHTS));
	copy_fits_once(rc, dest);
}

/* Proves a copy lands in the named destination cspace and works there (§2 0x23). */
ROOT_TEST(copy_into_other_cspace)
{
	u64 other = root_cspace(rc, 2, true);
	u64 target = root_cspace(rc, 2, false);
	struct gh_ret r;

	RETURN_IF_FAILED();
	r = hc(GH_HVC_CSPACE_COPY_CAP_FROM, rc->cspace, target, other, ~0ULL, 0);
	ASSERT_EQ("x0", r.x[0], 0);
	ASSERT_EQ("activate it there", hc_err(GH_HVC_OBJECT_ACTIVATE_FROM, other, r.x[1], 0), 0);
	ASSERT_EQ("target now active", hc_err(GH_HVC_OBJECT_ACTIVATE, target, 0, 0),
	          E(OBJECT_STATE));
}

/* Proves a copy into a full cspace gives CSPACE_FULL (§7). */
ROOT_TEST(copy_cspace_full)
{
	u64 dest = copy_small_dest(rc);

	RETURN_IF_FAILED();
	copy_fits_once(rc, dest);
	RETURN_IF_FAILED();
	copy_expect(rc->cspace, rc->cspace, dest, ~0ULL, E(CSPACE_FULL));
}

/* Proves a full destination is reported before a bad source cap, as upstream orders it (§7). */
ROOT_TEST(copy_full_before_bad_source)
{
	u64 dest = copy_small_dest(rc);

	RETURN_IF_FAILED();
	copy_fits_once(rc, dest);
	RETURN_IF_FAILED();
	copy_expect(rc->cspace, GH_CAP_INVALID, dest, ~0ULL, E(CSPACE_FULL));
}

#define COPY_CSPACE_TESTS(p, WHICH, RIGHT)                                                         \
	/* Proves an undecodable p cspace cap gives ARGUMENT_INVALID, no slot taken (§7). */      \
	ROOT_TEST(copy_##p##_undecodable)                                                          \
	{                                                                                          \
		u64 dest = copy_small_dest(rc);                                                    \
		u64 cs[2];                                                                         \
		RETURN_IF_FAILED();                                                                \
		cs[0] = rc->cspace;                                                                \
		cs[1] = dest;                                                                      \
		cs[WHICH] = root_undecodable(cs[WHICH]);                                           \
		copy_expect(cs[0], rc->partition, cs[1], ~0ULL, E(ARGUMENT_INVALID));              \
		copy_fits_once(rc, dest);                                                          \
	}                                                                                          \
	/* Proves an empty slot as p cspace gives CSPACE_CAP_NULL, no slot taken (§7). */         \
	ROOT_TEST(copy_##p##_null)                                                                 \
	{                                                                                          \
		u64 dest = copy_small_dest(rc);                                                    \
		u64 cs[2];                                                                         \
		cs[0] = rc->cspace;                                                                \
		cs[1] = dest;                                                                      \
		cs[WHICH] = root_null(rc);                                                         \
		RETURN_IF_FAILED();                                                                \
		copy_expect(cs[0], rc->partition, cs[1], ~0ULL, E(CSPACE_CAP_NULL));               \
		copy_fits_once(rc, dest);                                                          \
	}                                                                                          \
	/* Proves a revoked p cspace cap gives CSPACE_CAP_REVOKED, no slot taken (§7). */         \
	ROOT_TEST(copy_##p##_revoked)                                                              \
	{                                                                                          \
		u64 dest = copy_small_dest(rc);                                                    \
		u64 cs[2];                                                                         \
		RETURN_IF_FAILED();                                                                \
		cs[0] = rc->cspace;                                                                \
		cs[1] = dest;                                                                      \
		cs[WHICH] = root_revoked(rc, cs[WHICH]);                                           \
		RETURN_IF_FAILED();                                                                \
		copy_expect(cs[0], rc->partition, cs[1], ~0ULL, E(CSPACE_CAP_REVOKED));            \
		copy_fits_once(rc, dest);                                                          \
	}                                                                                          \
	/* Proves a partition as p cspace gives CSPACE_WRONG_OBJECT_TYPE, no slot taken (§7). */  \
	ROOT_TEST(copy_##p##_wrong_type)                                                           \
	{                                                                                          \
		u64 dest = copy_small_dest(rc);                                                    \
		u64 cs[2];                                                                         \
		RETURN_IF_FAILED();                                                                \
		cs[0] = rc->cspace;                                                                \
		cs[1] = dest;                                                                      \
		cs[WHICH] = rc->partition;                                                         \
		copy_expect(cs[0], rc->partition, cs[1], ~0ULL, E(CSPACE_WRONG_OBJECT_TYPE));      \
		copy_fits_once(rc, dest);                                                          \
	}                                                                                          \
	/* Proves the p cspace needs its right: INSUFFICIENT_RIGHTS without, no slot taken (§2).  \
	 */                                                                                        \
	ROOT_TEST(copy_##p##_no_right)                                                             \
	{                                                                                          \
		u64 dest = copy_small_dest(rc);                                                    \
		u64 cs[2];                                                                         \
		RETURN_IF_FAILED();                                                                \
		cs[0] = rc->cspace;                                                                \
		cs[1] = dest;                                                                      \
		cs[WHICH] = root_copy(rc, cs[WHICH], ~(u64)(RIGHT));                               \
		RETURN_IF_FAILED();                                                                \
		copy_expect(cs[0], rc->partition, cs[1], ~0ULL, E(CSPACE_INSUFFICIENT_RIGHTS));    \
		copy_fits_once(rc, dest);                                                          \
	}                                                                                          \
	/* Proves a p cspace still in INIT gives OBJECT_STATE (§7 lifecycle). */                  \
	ROOT_TEST(copy_##p##_inactive)                                                             \
	{                                                                                          \
		u64 init = root_cspace(rc, 1, false);                                              \
		u64 cs[2];                                                                         \
		RETURN_IF_FAILED();                                                                \
		cs[0] = rc->cspace;                                                                \
		cs[1] = rc->cspace;                                                                \
		cs[WHICH] = init;                                                                  \
		copy_expect(cs[0], rc->partition, cs[1], ~0ULL, E(OBJECT_STATE));                  \
	}

COPY_CSPACE_TESTS(src_cspace, 0, GH_RIGHT_CSPACE_CAP_COPY)
COPY_CSPACE_TESTS(dest_cspace, 1, GH_RIGHT_CSPACE_CAP_CREATE)

/* Proves a source cap that does not decode in the source cspace gives ARGUMENT_INVALID (§7). */
ROOT_TEST(copy_src_cap_undecodable)
{
	u64 dest = copy_small_dest(rc);

	RETURN_IF_FAILED();
	copy_expect(rc->cspace, root_undecodable(rc->partition), dest, ~0ULL, E(ARGUMENT_INVALID));
	copy_expect(rc->cspace, GH_CAP_INVALID, dest, ~0ULL, E(ARGUMENT_INVALID));
	copy_fits_once(rc, dest);
}

/* Proves an empty source slot gives CSPACE_CAP_NULL, no slot taken (§7). */
ROOT_TEST(copy_src_cap_null)
{
	u64 dest = copy_small_dest(rc);
	u64 n = root_null(rc);

	RETURN_IF_FAILED();
	copy_expect(rc->cspace, n, dest, ~0ULL, E(CSPACE_CAP_NULL));
	copy_fits_once(rc, dest);
}

/* Proves a revoked source cap gives CSPACE_CAP_REVOKED, no slot taken (§7). */
ROOT_TEST(copy_src_cap_revoked)
{
	u64 dest = copy_small_dest(rc);
	u64 v = root_revoked(rc, rc->partition);

	RETURN_IF_FAILED();
	copy_expect(rc->cspace, v, dest, ~0ULL, E(CSPACE_CAP_REVOKED));
	copy_fits_once(rc, dest);
}

/* Proves the source cap is looked up in the source cspace, not the caller's (§2 0x23). */
ROOT_TEST(copy_src_cap_in_src_cspace)
{
	u64 other = root_cspace(rc, 2, true);
	u64 there;
	struct gh_ret r;

	RETURN_IF_FAILED();
	there = root_copy_into(rc, rc->partition, other, GH_RIGHT_PARTITION_OBJECT_CREATE);
	RETURN_IF_FAILED();
	r = hc(GH_HVC_CSPACE_COPY_CAP_FROM, other, there, rc->cspace, ~0ULL, 0);
	ASSERT_EQ("x0", r.x[0], 0);
	root_track(r.x[1]);
	root_create(rc, GH_HVC_PARTITION_CREATE_CSPACE, r.x[1]);
}

/* Proves cspace_copy_cap_from with res0 (x4) non-zero gives ARGUMENT_INVALID, no slot taken (§1a).
 */
ROOT_TEST(copy_res0_native)
{
	u64 dest = copy_small_dest(rc);

	RETURN_IF_FAILED();
	ASSERT_RESULT("res0 = 1",
	              hc(GH_HVC_CSPACE_COPY_CAP_FROM, rc->cspace, rc->partition, dest, ~0ULL, 1),
	              E(ARGUMENT_INVALID), 0);
	ASSERT_RESULT(
	    "res0 = 1 << 63",
	    hc(GH_HVC_CSPACE_COPY_CAP_FROM, rc->cspace, rc->partition, dest, ~0ULL, 1ULL << 63),
	    E(ARGUMENT_INVALID), 0);
	copy_fits_once(rc, dest);
}

/* Proves the SMCCC path does not check res0: cspace_copy_cap_from with x5 non-zero copies (§1b). */
ROOT_TEST(copy_res0_smccc)
{
	u64 dest = copy_small_dest(rc);
	struct gh_ret r;

	RETURN_IF_FAILED();
	r = hs(GH_HVC_CSPACE_COPY_CAP_FROM, rc->cspace, rc->partition, dest, ~0ULL, 1);
	ASSERT_EQ("x0", r.x[0], 0);
	ASSERT_NE("x1 (new cap)", r.x[1], GH_CAP_INVALID);
	ASSERT_EQ("dest now full",
	          hc(GH_HVC_CSPACE_COPY_CAP_FROM, rc->cspace, rc->partition, dest, ~0ULL, 0).x[0],
	          E(CSPACE_FULL));
}

/* cspace_configure (0x25), cspace_attach_thread (0x3e), object_reset(_from) (0x0e, 0x0f): results
 * and every error. */
#include <humpy/root.h>

static void configure_expect(u64 cs, u64 max_caps, u64 err)
{
	ASSERT_RESULT("cspace_configure", hc(GH_HVC_CSPACE_CONFIGURE, cs, max_caps, 0, 0, 0), err,
	              0);
}

/* Slots of an activated cspace: copies until CSPACE_FULL (at most limit + 1 tries). */
static u64 configure_count_slots(const struct root_caps *rc, u64 cs)
{
	u64 n;

	for (n = 0; n <= GH_LIMIT_CSPACE_MAX_CAPS; n++) {
		if (hc(GH_HVC_CSPACE_COPY_CAP_FROM, rc->cspace, rc->partition, cs, ~0ULL, 0).x[0] !=
		    0)
			break;
	}
	return n;
}

/* Proves cspace_configure returns OK, x1..x7 zero, and the cspace gets exactly max_caps slots (§2
 * 0x25). */
ROOT_TEST(configure_ok)
{
	u64 cs = root_cspace(rc, 0, false);

	RETURN_IF_FAILED();
	configure_expect(cs, 3, 0);
	RETURN_IF_FAILED();
	ASSERT_EQ("activate", hc_err(GH_HVC_OBJECT_ACTIVATE, cs, 0, 0), 0);
	ASSERT_EQ("slots", configure_count_slots(rc, cs), 3);
}

/* Proves the last cspace_configure before activation wins (§7 lifecycle: configure while INIT). */
ROOT_TEST(configure_last_wins)
{
	u64 cs = root_cspace(rc, 0, false);

	RETURN_IF_FAILED();
	configure_expect(cs, 7, 0);
	configure_expect(cs, 2, 0);
	RETURN_IF_FAILED();
	ASSERT_EQ("activate", hc_err(GH_HVC_OBJECT_ACTIVATE, cs, 0, 0), 0);
	ASSERT_EQ("slots", configure_count_slots(rc, cs), 2);
}

/* Proves max_caps above the limit gives ARGUMENT_INVALID and the limit itself is accepted
 * (deviation cspace_max_caps). */
ROOT_TEST(configure_over_limit)
{
	u64 cs = root_cspace(rc, 0, false);

	RETURN_IF_FAILED();
	configure_expect(cs, GH_LIMIT_CSPACE_MAX_CAPS + 1, E(ARGUMENT_INVALID));
	configure_expect(cs, (1ULL << 32) + 1, E(ARGUMENT_INVALID));
	configure_expect(cs, ~0ULL, E(ARGUMENT_INVALID));
	configure_expect(cs, GH_LIMIT_CSPACE_MAX_CAPS, 0);
}

/* Proves max_caps 0 is accepted and activation then gives OBJECT_CONFIG (deviation
 * cspace_configure_zero). */
ROOT_TEST(configure_zero)
{
	u64 cs = root_cspace(rc, 4, false);

	RETURN_IF_FAILED();
	configure_expect(cs, 0, 0);
	RETURN_IF_FAILED();
	ASSERT_EQ("activate", hc_err(GH_HVC_OBJECT_ACTIVATE, cs, 0, 0), E(OBJECT_CONFIG));
}

/* Proves cspace_configure with an undecodable cap gives ARGUMENT_INVALID (§7). */
ROOT_TEST(configure_undecodable)
{
	configure_expect(root_undecodable(rc->cspace), 4, E(ARGUMENT_INVALID));
	configure_expect(GH_CAP_INVALID, 4, E(ARGUMENT_INVALID));
}

/* Proves cspace_configure with an empty slot gives CSPACE_CAP_NULL (§7). */
ROOT_TEST(configure_null)
{
	u64 n = root_null(rc);

	RETURN_IF_FAILED();
	configure_expect(n, 4, E(CSPACE_CAP_NULL));
}

/* Proves cspace_configure with a revoked cap gives CSPACE_CAP_REVOKED, no effect (§7). */
ROOT_TEST(configure_revoked)
{
	u64 cs = root_cspace(rc, 0, false);
	u64 v = root_revoked(rc, cs);

	RETURN_IF_FAILED();
	configure_expect(v, 4, E(CSPACE_CAP_REVOKED));
	ASSERT_EQ("still unconfigured", hc_err(GH_HVC_OBJECT_ACTIVATE, cs, 0, 0), E(OBJECT_CONFIG));
}

/* Proves cspace_configure of a partition gives CSPACE_WRONG_OBJECT_TYPE (§7). */
ROOT_TEST(configure_wrong_type)
{
	u64 p = root_partition(rc, 0, false);

	RETURN_IF_FAILED();
	configure_expect(p, 4, E(CSPACE_WRONG_OBJECT_TYPE));
	configure_expect(rc->partition, 4, E(CSPACE_WRONG_OBJECT_TYPE));
}

/* Proves cspace_configure needs OBJECT_ACTIVATE: INSUFFICIENT_RIGHTS without, no effect (§2). */
ROOT_TEST(configure_no_object_activate)
{
	u64 cs = root_cspace(rc, 0, false);
	u64 v = root_copy(rc, cs, ~(u64)GH_RIGHT_OBJECT_ACTIVATE);

	RETURN_IF_FAILED();
	configure_expect(v, 4, E(CSPACE_INSUFFICIENT_RIGHTS));
	ASSERT_EQ("still unconfigured", hc_err(GH_HVC_OBJECT_ACTIVATE, cs, 0, 0), E(OBJECT_CONFIG));
}

/* Proves cspace_configure after activation gives OBJECT_STATE and keeps the size (§7 lifecycle). */
ROOT_TEST(configure_after_activation)
{
	u64 cs = root_cspace(rc, 2, true);

	RETURN_IF_FAILED();
	configure_expect(cs, 8, E(OBJECT_STATE));
	ASSERT_EQ("slots", configure_count_slots(rc, cs), 2);
}

/* Proves cspace_configure with res0 (x2) non-zero gives ARGUMENT_INVALID, no effect (§1a). */
ROOT_TEST(configure_res0_native)
{
	u64 cs = root_cspace(rc, 0, false);

	RETURN_IF_FAILED();
	ASSERT_RESULT("res0 = 1", hc(GH_HVC_CSPACE_CONFIGURE, cs, 4, 1, 0, 0), E(ARGUMENT_INVALID),
	              0);
	ASSERT_EQ("still unconfigured", hc_err(GH_HVC_OBJECT_ACTIVATE, cs, 0, 0), E(OBJECT_CONFIG));
}

/* Proves the SMCCC path does not check res0: cspace_configure with x3 non-zero configures (§1b). */
ROOT_TEST(configure_res0_smccc)
{
	u64 cs = root_cspace(rc, 0, false);

	RETURN_IF_FAILED();
	ASSERT_EQ("x0", hs(GH_HVC_CSPACE_CONFIGURE, cs, 2, 1, 0, 0).x[0], 0);
	ASSERT_EQ("activate", hc_err(GH_HVC_OBJECT_ACTIVATE, cs, 0, 0), 0);
	ASSERT_EQ("slots", configure_count_slots(rc, cs), 2);
}

/* --- cspace_attach_thread: cspace (ATTACH, active), thread (OBJECT_ACTIVATE, INIT), res0 --- */

static void attach_expect(u64 cs, u64 thread, u64 err)
{
	ASSERT_RESULT("cspace_attach_thread", hc(GH_HVC_CSPACE_ATTACH_THREAD, cs, thread, 0, 0, 0),
	              err, 0);
}

/* A thread in INIT (tracked); GH_CAP_INVALID and a FAIL when it cannot be made. */
static u64 attach_thread(const struct root_caps *rc)
{
	return root_create(rc, GH_HVC_PARTITION_CREATE_THREAD, rc->partition);
}

/* Proves cspace_attach_thread with an undecodable thread cap gives ARGUMENT_INVALID (§7). */
ROOT_TEST(attach_thread_undecodable)
{
	attach_expect(rc->cspace, root_undecodable(rc->cspace), E(ARGUMENT_INVALID));
	attach_expect(rc->cspace, GH_CAP_INVALID, E(ARGUMENT_INVALID));
}

/* Proves cspace_attach_thread with an empty slot as thread gives CSPACE_CAP_NULL (§7). */
ROOT_TEST(attach_thread_null)
{
	u64 n = root_null(rc);

	RETURN_IF_FAILED();
	attach_expect(rc->cspace, n, E(CSPACE_CAP_NULL));
}

/* Proves cspace_attach_thread with a revoked thread cap gives CSPACE_CAP_REVOKED (§7). */
ROOT_TEST(attach_thread_revoked)
{
	u64 v = root_revoked(rc, rc->partition);

	RETURN_IF_FAILED();
	attach_expect(rc->cspace, v, E(CSPACE_CAP_REVOKED));
}

/* Proves cspace_attach_thread with a cspace or partition as thread gives WRONG_OBJECT_TYPE (§7). */
ROOT_TEST(attach_thread_wrong_type)
{
	attach_expect(rc->cspace, rc->cspace, E(CSPACE_WRONG_OBJECT_TYPE));
	attach_expect(rc->cspace, rc->partition, E(CSPACE_WRONG_OBJECT_TYPE));
}

/* Proves the thread cap needs OBJECT_ACTIVATE, checked before its type as upstream (§2 0x3e). */
ROOT_TEST(attach_thread_no_object_activate)
{
	u64 v = root_copy(rc, rc->partition, ~(u64)GH_RIGHT_OBJECT_ACTIVATE);

	RETURN_IF_FAILED();
	attach_expect(rc->cspace, v, E(CSPACE_INSUFFICIENT_RIGHTS));
}

/*
 * Proves cspace_attach_thread accepts an INIT thread and an active cspace: OK (§2 0x3e). Only x0:
 * the effect (the thread's calls use this cspace) shows once threads run, a gap the spec names
 * (`unobserved` on cspace_attach_thread, listed by the coverage report).
 */
ROOT_TEST(attach_thread_ok)
{
	u64 t = attach_thread(rc);

	RETURN_IF_FAILED();
	attach_expect(rc->cspace, t, 0);
}

/* Proves cspace_attach_thread needs ATTACH on the cspace: INSUFFICIENT_RIGHTS without (§2 0x3e). */
ROOT_TEST(attach_thread_cspace_no_attach)
{
	u64 t = attach_thread(rc);
	u64 v;

	RETURN_IF_FAILED();
	v = root_copy(rc, rc->cspace, ~(u64)GH_RIGHT_CSPACE_ATTACH);
	RETURN_IF_FAILED();
	attach_expect(v, t, E(CSPACE_INSUFFICIENT_RIGHTS));
}

/* Proves cspace_attach_thread into an INIT cspace gives OBJECT_STATE (§7: other object active). */
ROOT_TEST(attach_thread_cspace_inactive)
{
	u64 t = attach_thread(rc);
	u64 cs;

	RETURN_IF_FAILED();
	cs = root_cspace(rc, 2, false);
	RETURN_IF_FAILED();
	attach_expect(cs, t, E(OBJECT_STATE));
}

/* Proves cspace_attach_thread with a partition as cspace gives WRONG_OBJECT_TYPE (§7). */
ROOT_TEST(attach_thread_cspace_wrong_type)
{
	u64 t = attach_thread(rc);

	RETURN_IF_FAILED();
	attach_expect(rc->partition, t, E(CSPACE_WRONG_OBJECT_TYPE));
}

/* Proves cspace_attach_thread with res0 (x2) non-zero gives ARGUMENT_INVALID before any lookup
 * (§1a). */
ROOT_TEST(attach_thread_res0_native)
{
	/* Without res0 these inputs give WRONG_OBJECT_TYPE: the reserved check comes first. */
	ASSERT_RESULT("res0 = 1", hc(GH_HVC_CSPACE_ATTACH_THREAD, rc->cspace, rc->cspace, 1, 0, 0),
	              E(ARGUMENT_INVALID), 0);
}

/* Proves the SMCCC path does not check res0: the same call gives WRONG_OBJECT_TYPE there, and
 * with a thread it attaches (§1b). */
ROOT_TEST(attach_thread_res0_smccc)
{
	u64 t = attach_thread(rc);

	RETURN_IF_FAILED();
	ASSERT_EQ("x0", hs(GH_HVC_CSPACE_ATTACH_THREAD, rc->cspace, rc->cspace, 1, 0, 0).x[0],
	          E(CSPACE_WRONG_OBJECT_TYPE));
	ASSERT_EQ("x0 (thread)", hs(GH_HVC_CSPACE_ATTACH_THREAD, rc->cspace, t, 1, 0, 0).x[0], 0);
}

/* --- object_reset / object_reset_from: UNIMPLEMENTED, as upstream --- */

/*
 * Proves object_reset returns UNIMPLEMENTED (native widths: unimplemented_x0) for any cap, x1..x7
 * zero, object unchanged (§2 0x0e).
 */
ROOT_TEST(reset_unimplemented)
{
	u64 cs = root_cspace(rc, 2, true);

	RETURN_IF_FAILED();
	ASSERT_UNIMPLEMENTED("active cspace", GH_PATH_NATIVE,
	                     hc(GH_HVC_OBJECT_RESET, cs, 0, 0, 0, 0));
	ASSERT_UNIMPLEMENTED("invalid cap", GH_PATH_NATIVE,
	                     hc(GH_HVC_OBJECT_RESET, GH_CAP_INVALID, 0, 0, 0, 0));
	ASSERT_EQ("still active", hc_err(GH_HVC_OBJECT_ACTIVATE, cs, 0, 0), E(OBJECT_STATE));
}

/* Proves object_reset_from returns UNIMPLEMENTED, x1..x7 zero (§2 0x0f). */
ROOT_TEST(reset_from_unimplemented)
{
	ASSERT_UNIMPLEMENTED("root caps", GH_PATH_NATIVE,
	                     hc(GH_HVC_OBJECT_RESET_FROM, rc->cspace, rc->partition, 0, 0, 0));
	ASSERT_UNIMPLEMENTED("invalid caps", GH_PATH_NATIVE,
	                     hc(GH_HVC_OBJECT_RESET_FROM, GH_CAP_INVALID, GH_CAP_INVALID, 0, 0, 0));
}

/* Proves object_reset with res0 (x1) non-zero gives ARGUMENT_INVALID, not UNIMPLEMENTED (§1a). */
ROOT_TEST(reset_res0_native)
{
	ASSERT_RESULT("res0 = 1", hc(GH_HVC_OBJECT_RESET, rc->cspace, 1, 0, 0, 0),
	              E(ARGUMENT_INVALID), 0);
}

/* Proves object_reset_from with res0 (x2) non-zero gives ARGUMENT_INVALID (§1a). */
ROOT_TEST(reset_from_res0_native)
{
	ASSERT_RESULT("res0 = 1", hc(GH_HVC_OBJECT_RESET_FROM, rc->cspace, rc->partition, 1, 0, 0),
	              E(ARGUMENT_INVALID), 0);
}

/* Proves object_reset and _from through SMCCC give UNIMPLEMENTED even with res0 set (§1b). */
ROOT_TEST(reset_smccc)
{
	ASSERT_UNIMPLEMENTED("reset", GH_PATH_SMCCC,
	                     hs(GH_HVC_OBJECT_RESET, rc->cspace, 1, 0, 0, 0));
	ASSERT_UNIMPLEMENTED("reset_from", GH_PATH_SMCCC,
	                     hs(GH_HVC_OBJECT_RESET_FROM, rc->cspace, rc->partition, 1, 0, 0));
}

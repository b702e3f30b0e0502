/* root: what root-profile tests share: the root caps, call wrappers, caps cleaned up per test. */
#ifndef HUMPY_ROOT_H
#define HUMPY_ROOT_H

#include <humpy/regrules.h>
#include <humpy/test.h>

struct root_caps {
	u64 partition;
	u64 cspace;
};

#define ROOT_SKIP_REASON "no root caps (/chosen humpy,root-*-cap absent or all ones)"

/* /chosen humpy,root-partition-cap and humpy,root-cspace-cap (ROOT_PROFILE.md); all ones = none. */
bool root_caps_get(struct root_caps *rc);

/*
 * Per-test bookkeeping: root_begin deletes what an abandoned earlier test left and counts the free
 * slots of the root cspace; root_end deletes every tracked cap (newest first) and FAILs the test if
 * the count differs, so every test leaves the root cspace as it found it, pass or fail.
 */
bool root_begin(const struct root_caps *rc);
void root_end(const struct root_caps *rc);

/*
 * ROOT_TEST(name) { ... } defines test root.name with `rc` (const struct root_caps *): SKIP without
 * root caps, cleanup after the body however it returns (an ASSERT returns from the body only).
 */
#define ROOT_TEST(name)                                                                            \
	static void root_body_##name(const struct root_caps *rc);                                  \
	TEST(root, name)                                                                           \
	{                                                                                          \
		struct root_caps rc_;                                                              \
		if (!root_caps_get(&rc_))                                                          \
			SKIP(ROOT_SKIP_REASON);                                                    \
		if (!root_begin(&rc_))                                                             \
			return;                                                                    \
		root_body_##name(&rc_);                                                            \
		root_end(&rc_);                                                                    \
	}                                                                                          \
	static void root_body_##name(const struct root_caps *rc)

#define E(name) ((u64)GH_ERROR_##name)

/* Native hypercall with up to 5 inputs, the rest zero. */
struct gh_ret hc(u32 call, u64 a0, u64 a1, u64 a2, u64 a3, u64 a4);
/* The same call through SMCCC (hvc #0, x0 = GH_SMCCC_HVC_BASE + call, inputs in x1..x5). */
struct gh_ret hs(u32 call, u64 a0, u64 a1, u64 a2, u64 a3, u64 a4);

/* x0 of a native call that returns only an error. */
static inline u64 hc_err(u32 call, u64 a0, u64 a1, u64 a2)
{
	return hc(call, a0, a1, a2, 0, 0).x[0];
}

/* Native result check: x0 and x1 exact, x2..x7 zero (unused results are zeroed, reference §1a). */
#define ASSERT_RESULT(what, ret, e0, e1)                                                           \
	do {                                                                                       \
		struct gh_ret r_ = (ret);                                                          \
		unsigned i_;                                                                       \
		ASSERT_EQ(what " (x0)", r_.x[0], (e0));                                            \
		ASSERT_EQ(what " (x1)", r_.x[1], (e1));                                            \
		for (i_ = 2; i_ < 8; i_++)                                                         \
			ASSERT_EQ(what " (x2..x7)", r_.x[i_], 0);                                  \
	} while (0)

/*
 * A defined call answering UNIMPLEMENTED: x0 exactly one of the spec's widths for the path
 * (native: upstream's 0x00000000FFFFFFFF or -1; SMCCC: -1), and on the native path x1..x7 zero.
 */
#define ASSERT_UNIMPLEMENTED(what, path, ret)                                                      \
	do {                                                                                       \
		struct gh_ret ru_ = (ret);                                                         \
		unsigned iu_;                                                                      \
		if (!gh_is_unimplemented((path), false, ru_.x[0])) {                               \
			test_fail("%s (x0): expected %s got 0x%lx", (what),                        \
			          gh_unimplemented_text((path), false), ru_.x[0]);                 \
			return;                                                                    \
		}                                                                                  \
		for (iu_ = 1; (path) == GH_PATH_NATIVE && iu_ < 8; iu_++)                          \
			ASSERT_EQ(what " (x1..x7)", ru_.x[iu_], 0);                                \
	} while (0)

/* Caps in the root cspace the current test owns: deleted by root_end unless untracked. */
void root_track(u64 cap);

/* A fixture call failed: FAIL, or ERROR after an abandoned test (its leftovers are likelier). */
void root_fixture_failed(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void root_untrack(u64 cap);
/* cspace_delete_cap_from(root cspace, cap), untracking it on success; returns x0. */
u64 root_del(const struct root_caps *rc, u64 cap);

/*
 * Fixtures. Each records FAIL (use RETURN_IF_FAILED) and returns GH_CAP_INVALID when the
 * hypervisor does not do what the fixture needs; every cap made in the root cspace is tracked.
 */
/* partition_create_<call> from partition into the root cspace. */
u64 root_create(const struct root_caps *rc, u32 call, u64 partition);
/* A cspace from the root partition: configured when max_caps != 0, activated when asked. */
u64 root_cspace(const struct root_caps *rc, u64 max_caps, bool activate);
/* A child partition of partition (rc->partition when 0), activated when asked. */
u64 root_partition(const struct root_caps *rc, u64 parent, bool activate);
/* cspace_copy_cap_from(root, cap, root, mask), tracked; root_copy_into: into dest, untracked. */
u64 root_copy(const struct root_caps *rc, u64 cap, u64 mask);
u64 root_copy_into(const struct root_caps *rc, u64 cap, u64 dest, u64 mask);
/* A tracked copy of cap in the root cspace, revoked: lookups give CSPACE_CAP_REVOKED. */
u64 root_revoked(const struct root_caps *rc, u64 cap);
/*
 * An ID naming an empty slot of the root cspace (a cap made and deleted). The next cap made there
 * may take that slot again, so take it after every other fixture of the test.
 */
u64 root_null(const struct root_caps *rc);
/*
 * Liveness through C: proves the hypervisor still serves calls through its dispatcher, object core
 * and heap after what the test did (a survival claim never rests on identify, which is answered in
 * assembly). From the root partition: a cspace created, configured for 1 cap and activated (its
 * slot table allocated), the partition cap copied in, a second copy CSPACE_FULL, the copy deleted
 * and a second delete CSPACE_CAP_NULL (the slot came back), the cspace deleted likewise; x0..x7
 * exact and every other register by the spec's rules. Records FAIL naming `after`, false if not.
 */
bool root_alive(const struct root_caps *rc, const char *after);

/*
 * An activated child partition (tracked) filled with cspaces, then with objects of create `call`,
 * until the next create of `call` from it gives NOMEM.
 */
u64 root_exhausted_child(const struct root_caps *rc, u32 call);
/* A cap ID that cannot decode in any cspace: bits 63:32 of (slot * m) ^ base are never set. */
static inline u64 root_undecodable(u64 cap)
{
	return cap ^ (1ULL << 40);
}

#endif

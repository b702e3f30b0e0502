/* isolation teardown: how deep a guest nests objects never reaches into the hypervisor's stack. */
#include <humpy/root.h>

/*
 * Cspaces from partition, each holding the only cap of the next, built until the partition is out
 * of memory. Only the head's cap stays in the root cspace (tracked); returns the depth, or 0 with
 * a FAIL recorded.
 */
static unsigned isolation_cspace_chain(const struct root_caps *rc, u64 partition, u64 *head)
{
	u64 inner = GH_CAP_INVALID;
	unsigned n = 0;

	for (;;) {
		struct gh_ret r =
		    hc(GH_HVC_PARTITION_CREATE_CSPACE, partition, rc->cspace, 0, 0, 0);
		u64 err;

		if (r.x[0] == E(NOMEM))
			break;
		if (r.x[0] != 0)
			goto fail;
		root_track(r.x[1]);
		err = hc_err(GH_HVC_CSPACE_CONFIGURE, r.x[1], 1, 0);
		if (err != 0)
			goto fail;
		err = hc_err(GH_HVC_OBJECT_ACTIVATE, r.x[1], 0, 0);
		if (err == E(NOMEM)) {
			root_del(rc, r.x[1]);
			break;
		}
		if (err != 0)
			goto fail;
		if (inner != GH_CAP_INVALID) {
			if (root_copy_into(rc, inner, r.x[1], ~0ULL) == GH_CAP_INVALID)
				return 0;
			if (root_del(rc, inner) != 0)
				goto fail;
		}
		inner = r.x[1];
		n++;
	}
	*head = inner;
	return n;
fail:
	test_fail("cspace chain level %u: a create, configure, activate or delete failed", n);
	return 0;
}

/*
 * Proves deleting the last cap of a chain of cspaces as deep as a child partition's memory allows
 * (~500, each holding the only cap of the next) succeeds, the hypervisor keeps serving calls
 * through its dispatcher, object core and heap (root_alive), and every byte comes back: a second
 * chain is exactly as deep (a guest can never reach panic, DESIGN §4).
 */
TEST(isolation, cspace_chain_teardown)
{
	struct root_caps rc;
	u64 part, head = GH_CAP_INVALID;
	unsigned depth[2], round;

	if (!root_caps_get(&rc))
		SKIP(ROOT_SKIP_REASON);
	if (!root_begin(&rc))
		return;
	part = root_partition(&rc, 0, true);
	for (round = 0; round < 2 && part != GH_CAP_INVALID; round++) {
		depth[round] = isolation_cspace_chain(&rc, part, &head);
		if (test_has_failed())
			break;
		if (depth[round] < 200) {
			test_fail("chain of %u cspaces: too shallow to test the stack",
			          depth[round]);
			break;
		}
		if (root_del(&rc, head) != 0) {
			test_fail("deleting the head of a %u-deep chain failed", depth[round]);
			break;
		}
		/* Through the dispatcher, object core and heap: identify is answered in assembly.
		 */
		if (!root_alive(&rc, "a chain teardown"))
			break;
	}
	if (!test_has_failed() && part != GH_CAP_INVALID && depth[1] != depth[0])
		test_fail("second chain %u deep, first %u: the teardown kept memory", depth[1],
		          depth[0]);
	root_end(&rc);
}

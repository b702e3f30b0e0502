/* root lib: the root caps, call wrappers, per-test cap tracking and fixtures (humpy/root.h). */
#include <humpy/arch.h>
#include <humpy/libc.h>
#include <humpy/profile.h>
#include <humpy/regrules.h>
#include <humpy/root.h>
#include <humpy/spec.h>
#include <humpy/trace.h>

#define ROOT_MAX_TRACKED 256
/* Bound on the free-slot count; a cspace larger than this is not leak-checked. */
#define ROOT_MAX_FREE_SLOTS 4096U

static u64 root_tracked[ROOT_MAX_TRACKED];
static unsigned root_n_tracked;
static long root_free_before;
static u64 root_fill[ROOT_MAX_FREE_SLOTS];
static unsigned root_n_fill; /* copies made by root_free_slots not deleted yet */

/*
 * A test abandoned (time limit) between a hypercall that made a cap and the bookkeeping of that
 * cap would leak it for good, and the root cspace fills test by test: the two run with IRQ and FIQ
 * masked (the time limit's interrupt waits), DAIF restored after.
 */
static u64 root_hold(void)
{
	u64 daif = sysreg_read(daif);

	irq_mask();
	return daif;
}

static void root_release(u64 daif)
{
	sysreg_write(daif, daif);
}

/*
 * A fixture's call failed. After an abandoned test that is most likely what it left behind (a full
 * cspace, a heap used up), not the call under test: ERROR, not FAIL.
 */
void root_fixture_failed(const char *fmt, ...)
{
	char why[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (runner_abandoned())
		test_error("%s (set-up after %u abandoned test(s))", why, runner_abandoned());
	else
		test_fail("%s", why);
}

/* The profile (guest/profile.c) read /chosen once; the PROFILE line printed what it found. */
bool root_caps_get(struct root_caps *rc)
{
	const struct profile *p = profile_get();

	rc->partition = p->partition;
	rc->cspace = p->cspace;
	return p->root;
}

/* Every register past the call's results, by the spec's rules; the first break FAILs the test. */
static void root_check_regs(enum gh_path path, u32 call, const struct gh_capture *cap)
{
	const struct spec_call *c = spec_call_find(call);
	char why[160];

	if (c && !gh_regs_ok(path, cap->in, &cap->out, cap->stub, c->n_outputs, why, sizeof(why)))
		test_fail("%s %s (0x%x): %s", path == GH_PATH_NATIVE ? "native" : "SMCCC", c->name,
		          call, why);
}

struct gh_ret hc(u32 call, u64 a0, u64 a1, u64 a2, u64 a3, u64 a4)
{
	u64 args[8] = {a0, a1, a2, a3, a4, 0, 0, 0};
	struct gh_capture cap;
	struct gh_ret r = gh_native_capture(call, args, &cap);

	root_check_regs(GH_PATH_NATIVE, call, &cap);
	return r;
}

struct gh_ret hs(u32 call, u64 a0, u64 a1, u64 a2, u64 a3, u64 a4)
{
	u64 args[7] = {a0, a1, a2, a3, a4, 0, 0};
	struct gh_capture cap;
	struct gh_ret r = gh_smccc_capture(GH_SMCCC_HVC_BASE + call, args, &cap);

	root_check_regs(GH_PATH_SMCCC, call, &cap);
	return r;
}

void root_track(u64 cap)
{
	if (root_n_tracked == ROOT_MAX_TRACKED) {
		test_error("root: more than %u tracked caps", ROOT_MAX_TRACKED);
		return;
	}
	root_tracked[root_n_tracked++] = cap;
}

void root_untrack(u64 cap)
{
	unsigned i;

	for (i = root_n_tracked; i > 0; i--) {
		if (root_tracked[i - 1] == cap) {
			root_tracked[i - 1] = root_tracked[--root_n_tracked];
			return;
		}
	}
}

u64 root_del(const struct root_caps *rc, u64 cap)
{
	u64 err = hc_err(GH_HVC_CSPACE_DELETE_CAP_FROM, rc->cspace, cap, 0);

	if (err == 0)
		root_untrack(cap);
	return err;
}

/*
 * Newest first, so copies go before what they copy (not required, but the natural order). Each
 * count drops after its delete: a test abandoned in here leaves the rest for the next root_begin
 * (deleting an already empty slot again is harmless: nothing new was made in between).
 */
static void root_cleanup(const struct root_caps *rc)
{
	while (root_n_tracked > 0) {
		hc_err(GH_HVC_CSPACE_DELETE_CAP_FROM, rc->cspace, root_tracked[root_n_tracked - 1],
		       0);
		root_n_tracked--;
	}
	while (root_n_fill > 0) {
		hc_err(GH_HVC_CSPACE_DELETE_CAP_FROM, rc->cspace, root_fill[root_n_fill - 1], 0);
		root_n_fill--;
	}
}

/*
 * Free slots of the root cspace: copies of the partition cap until CSPACE_FULL, then deleted again.
 * -1 when that cannot be measured (no CSPACE_FULL within the bound, or another error).
 */
static long root_free_slots(const struct root_caps *rc)
{
	long ret = -1;

	while (root_n_fill < ROOT_MAX_FREE_SLOTS) {
		u64 daif = root_hold();
		struct gh_ret r = hc(GH_HVC_CSPACE_COPY_CAP_FROM, rc->cspace, rc->partition,
		                     rc->cspace, GH_RIGHT_PARTITION_OBJECT_CREATE, 0);

		if (r.x[0] == 0)
			root_fill[root_n_fill++] = r.x[1];
		root_release(daif);
		if (r.x[0] != 0) {
			if (r.x[0] == E(CSPACE_FULL))
				ret = root_n_fill;
			break;
		}
	}
	while (root_n_fill > 0) {
		hc_err(GH_HVC_CSPACE_DELETE_CAP_FROM, rc->cspace, root_fill[root_n_fill - 1], 0);
		root_n_fill--;
	}
	return ret;
}

bool root_begin(const struct root_caps *rc)
{
	root_cleanup(rc); /* what an abandoned test left */
	trace_hold();     /* bookkeeping, not what the test does */
	root_free_before = root_free_slots(rc);
	trace_release();
	/* No silent limit: a leak check that cannot run says so. */
	if (root_free_before < 0)
		test_error(
		    "root cspace: free slots not countable (no CSPACE_FULL within %u copies)",
		    ROOT_MAX_FREE_SLOTS);
	return true;
}

void root_end(const struct root_caps *rc)
{
	long after;

	root_cleanup(rc);
	trace_hold();
	after = root_free_slots(rc);
	trace_release();
	if (root_free_before >= 0 && after != root_free_before)
		test_fail("root cspace: %ld free slots before the test, %ld after cleanup",
		          root_free_before, after);
}

u64 root_create(const struct root_caps *rc, u32 call, u64 partition)
{
	u64 daif = root_hold();
	struct gh_ret r = hc(call, partition, rc->cspace, 0, 0, 0);

	if (r.x[0] == 0)
		root_track(r.x[1]);
	root_release(daif);
	if (r.x[0] != 0) {
		root_fixture_failed("fixture: create (call 0x%x): x0 expected 0x0 got 0x%lx", call,
		                    r.x[0]);
		return GH_CAP_INVALID;
	}
	return r.x[1];
}

u64 root_cspace(const struct root_caps *rc, u64 max_caps, bool activate)
{
	u64 c = root_create(rc, GH_HVC_PARTITION_CREATE_CSPACE, rc->partition);
	u64 err;

	if (c == GH_CAP_INVALID)
		return c;
	if (max_caps && (err = hc_err(GH_HVC_CSPACE_CONFIGURE, c, max_caps, 0)) != 0) {
		root_fixture_failed("fixture: cspace_configure(%lu): x0 expected 0x0 got 0x%lx",
		                    max_caps, err);
		return GH_CAP_INVALID;
	}
	if (activate && (err = hc_err(GH_HVC_OBJECT_ACTIVATE, c, 0, 0)) != 0) {
		root_fixture_failed("fixture: object_activate(cspace): x0 expected 0x0 got 0x%lx",
		                    err);
		return GH_CAP_INVALID;
	}
	return c;
}

u64 root_partition(const struct root_caps *rc, u64 parent, bool activate)
{
	u64 p = root_create(rc, GH_HVC_PARTITION_CREATE_PARTITION, parent ? parent : rc->partition);
	u64 err;

	if (p == GH_CAP_INVALID)
		return p;
	if (activate && (err = hc_err(GH_HVC_OBJECT_ACTIVATE, p, 0, 0)) != 0) {
		root_fixture_failed(
		    "fixture: object_activate(partition): x0 expected 0x0 got 0x%lx", err);
		return GH_CAP_INVALID;
	}
	return p;
}

u64 root_copy_into(const struct root_caps *rc, u64 cap, u64 dest, u64 mask)
{
	struct gh_ret r = hc(GH_HVC_CSPACE_COPY_CAP_FROM, rc->cspace, cap, dest, mask, 0);

	if (r.x[0] != 0) {
		root_fixture_failed("fixture: cspace_copy_cap_from: x0 expected 0x0 got 0x%lx",
		                    r.x[0]);
		return GH_CAP_INVALID;
	}
	return r.x[1];
}

u64 root_copy(const struct root_caps *rc, u64 cap, u64 mask)
{
	u64 daif = root_hold();
	u64 c = root_copy_into(rc, cap, rc->cspace, mask);

	if (c != GH_CAP_INVALID)
		root_track(c);
	root_release(daif);
	return c;
}

u64 root_revoked(const struct root_caps *rc, u64 cap)
{
	u64 c = root_copy(rc, cap, ~0ULL);
	u64 err;

	if (c == GH_CAP_INVALID)
		return c;
	err = hc_err(GH_HVC_CSPACE_REVOKE_CAP_FROM, rc->cspace, c, 0);
	if (err != 0) {
		root_fixture_failed("fixture: cspace_revoke_cap_from: x0 expected 0x0 got 0x%lx",
		                    err);
		return GH_CAP_INVALID;
	}
	return c;
}

u64 root_null(const struct root_caps *rc)
{
	u64 c = root_create(rc, GH_HVC_PARTITION_CREATE_CSPACE, rc->partition);
	u64 err;

	if (c == GH_CAP_INVALID)
		return c;
	err = root_del(rc, c);
	if (err != 0) {
		root_fixture_failed("fixture: cspace_delete_cap_from: x0 expected 0x0 got 0x%lx",
		                    err);
		return GH_CAP_INVALID;
	}
	return c;
}

/* One native call's x0 and x1 exact and x2..x7 zero; false after recording the FAIL. */
static bool root_alive_result(const char *after, const char *what, struct gh_ret r, u64 x0, u64 x1)
{
	unsigned i;

	if (r.x[0] != x0 || r.x[1] != x1) {
		test_fail("after %s: %s: x0, x1 expected 0x%lx, 0x%lx got 0x%lx, 0x%lx", after,
		          what, x0, x1, r.x[0], r.x[1]);
		return false;
	}
	for (i = 2; i < 8; i++) {
		if (r.x[i] != 0) {
			test_fail("after %s: %s: x%u expected 0x0 got 0x%lx", after, what, i,
			          r.x[i]);
			return false;
		}
	}
	return !test_has_failed(); /* hc() checked x8..x30 and SP */
}

bool root_alive(const struct root_caps *rc, const char *after)
{
	struct gh_ret r = hc(GH_HVC_PARTITION_CREATE_CSPACE, rc->partition, rc->cspace, 0, 0, 0);
	u64 cs = r.x[1], copy;

	if (r.x[0] != 0 || cs == GH_CAP_INVALID) {
		test_fail("after %s: partition_create_cspace from the root partition: x0 expected "
		          "0x0 got 0x%lx (x1 0x%lx)",
		          after, r.x[0], r.x[1]);
		return false;
	}
	root_track(cs);
	if (!root_alive_result(after, "partition_create_cspace", r, 0, cs) ||
	    !root_alive_result(after, "cspace_configure(1)",
	                       hc(GH_HVC_CSPACE_CONFIGURE, cs, 1, 0, 0, 0), 0, 0) ||
	    !root_alive_result(after, "object_activate (allocates its slot table)",
	                       hc(GH_HVC_OBJECT_ACTIVATE, cs, 0, 0, 0, 0), 0, 0))
		return false;
	r = hc(GH_HVC_CSPACE_COPY_CAP_FROM, rc->cspace, rc->partition, cs,
	       GH_RIGHT_PARTITION_OBJECT_CREATE, 0);
	copy = r.x[1];
	if (r.x[0] != 0 || copy == GH_CAP_INVALID) {
		test_fail("after %s: copying into the new 1-slot cspace: x0 expected 0x0 got 0x%lx",
		          after, r.x[0]);
		return false;
	}
	if (!root_alive_result(after, "a second copy into the full cspace",
	                       hc(GH_HVC_CSPACE_COPY_CAP_FROM, rc->cspace, rc->partition, cs,
	                          GH_RIGHT_PARTITION_OBJECT_CREATE, 0),
	                       E(CSPACE_FULL), 0) ||
	    !root_alive_result(after, "deleting the copy",
	                       hc(GH_HVC_CSPACE_DELETE_CAP_FROM, cs, copy, 0, 0, 0), 0, 0) ||
	    !root_alive_result(after, "deleting the copy again",
	                       hc(GH_HVC_CSPACE_DELETE_CAP_FROM, cs, copy, 0, 0, 0),
	                       E(CSPACE_CAP_NULL), 0))
		return false;
	if (!root_alive_result(after, "deleting the cspace",
	                       hc(GH_HVC_CSPACE_DELETE_CAP_FROM, rc->cspace, cs, 0, 0, 0), 0, 0))
		return false;
	root_untrack(cs);
	return root_alive_result(after, "deleting the cspace again",
	                         hc(GH_HVC_CSPACE_DELETE_CAP_FROM, rc->cspace, cs, 0, 0, 0),
	                         E(CSPACE_CAP_NULL), 0);
}

/*
 * Fills a child partition with objects until NOMEM, then with objects of @call (smaller ones may
 * still fit); returns the child (activated, tracked).
 */
u64 root_exhausted_child(const struct root_caps *rc, u32 call)
{
	u64 child = root_partition(rc, 0, true);
	unsigned n;

	if (child == GH_CAP_INVALID)
		return child;
	/* Child partitions are the largest objects a child can hold: a few, then the smaller ones.
	 */
	for (n = 0; n < 200; n++) {
		struct gh_ret r = hc(GH_HVC_PARTITION_CREATE_CSPACE, child, rc->cspace, 0, 0, 0);

		if (r.x[0] == E(NOMEM))
			break;
		if (r.x[0] != 0) {
			test_fail("filling the child: x0 expected 0x0 or NOMEM got 0x%lx", r.x[0]);
			return GH_CAP_INVALID;
		}
		root_track(r.x[1]);
		/* A big cap table eats the memory faster; NOMEM from activation is fine here. */
		hc_err(GH_HVC_CSPACE_CONFIGURE, r.x[1], n < 8 ? GH_LIMIT_CSPACE_MAX_CAPS >> n : 1,
		       0);
		hc_err(GH_HVC_OBJECT_ACTIVATE, r.x[1], 0, 0);
	}
	for (; n < 200; n++) {
		struct gh_ret r = hc(call, child, rc->cspace, 0, 0, 0);

		if (r.x[0] == E(NOMEM))
			return child;
		if (r.x[0] != 0) {
			test_fail("filling the child: x0 expected 0x0 or NOMEM got 0x%lx", r.x[0]);
			return GH_CAP_INVALID;
		}
		root_track(r.x[1]);
	}
	test_fail("child partition not exhausted by 200 objects");
	return GH_CAP_INVALID;
}

/* ipc lib: the own VIC and vCPU caps, per-test interrupt and binding cleanup, fixtures
 * (humpy/ipc.h). */
#include <humpy/fdt.h>
#include <humpy/ipc.h>
#include <humpy/plat.h>
#include <humpy/profile.h>

#define GICD_TYPER         0x0004
#define GICD_TYPER_ITLINES 0x1f

#define IPC_MAX_BOUND 16

static struct {
	u32 call;
	u64 cap;
} ipc_binds[IPC_MAX_BOUND];
static unsigned ipc_n_binds;

bool ipc_self_get(struct ipc_self *self)
{
	self->vic = profile_chosen_cap("humpy,root-vic-cap");
	self->vcpu = profile_chosen_cap("humpy,root-vcpu-cap");
	return self->vic != GH_CAP_INVALID;
}

/* ipc_missing names flags0 bits 0..3 by position. */
_Static_assert(GH_API_FLAG0_PARTITION_CSPACE == 1 && GH_API_FLAG0_DOORBELL == 2 &&
                   GH_API_FLAG0_MSGQUEUE == 4 && GH_API_FLAG0_VIC == 8,
               "flags0 bit order");

const char *ipc_missing(u64 flags0_bits, const char *feature, bool need_vic)
{
	static const char *const names[] = {"partition_cspace", "doorbell", "msgqueue", "vic"};
	static char why[96];
	u64 flags0 = gh_native(GH_HVC_HYPERVISOR_IDENTIFY, NULL).x[1];
	struct root_caps rc;
	struct ipc_self self;
	unsigned bit;

	(void)feature;
	for (bit = 0; bit < 4; bit++) {
		if ((flags0_bits & (1ULL << bit)) && !(flags0 & (1ULL << bit))) {
			snprintf(why, sizeof(why), "identify flags0 bit %u (%s) clear", bit,
			         names[bit]);
			return why;
		}
	}
	if (!root_caps_get(&rc))
		return ROOT_SKIP_REASON;
	if (need_vic && !ipc_self_get(&self))
		return IPC_NO_VIC_REASON;
	if (need_vic && !irq_ready())
		return IPC_NO_IRQ_REASON;
	return NULL;
}

u64 ipc_virq_end(void)
{
	u32 typer = 0;

	if (!probe_try_read32(plat.gicd + GICD_TYPER, &typer))
		return IRQ_SPI_BASE;
	return 32 * ((u64)(typer & GICD_TYPER_ITLINES) + 1);
}

/* Unbinds every source the running test bound, newest first. */
static void ipc_unbind_all(void)
{
	while (ipc_n_binds > 0) {
		ipc_n_binds--;
		hc_err(ipc_binds[ipc_n_binds].call, ipc_binds[ipc_n_binds].cap, 0, 0);
	}
}

void ipc_begin(void)
{
	/* A test abandoned at its time limit never reached ipc_end: its binds are still recorded.
	 * Undo them now, or a source that outlives the test (the boot hwirq cap) stays bound and
	 * the next test meets VIRQ_BOUND. This must run before root_begin deletes the abandoned
	 * test's caps: an unbind through a deleted cap fails, and a source another cspace still
	 * holds (a doorbell copied into the child VM's) stays bound to the own VIC and raises its
	 * VIRQ in a later test. */
	ipc_unbind_all();
	irq_reset();
	mmu_test_reset();
}

void ipc_end(const struct root_caps *rc)
{
	(void)rc;
	/* Unbind first, so no source stays bound to the own VIC if deleting the cap does not. */
	ipc_unbind_all();
	irq_reset();
	mmu_test_reset();
}

void ipc_bound(u32 unbind_call, u64 cap)
{
	if (ipc_n_binds == IPC_MAX_BOUND) {
		test_error("ipc: more than %u binds", IPC_MAX_BOUND);
		return;
	}
	ipc_binds[ipc_n_binds].call = unbind_call;
	ipc_binds[ipc_n_binds].cap = cap;
	ipc_n_binds++;
}

bool ipc_irq_on(u64 virq)
{
	if (!irq_enable((u32)virq)) {
		test_error("cannot enable INTID %lu in the guest's GIC", virq);
		return false;
	}
	return true;
}

bool ipc_irq_edge(u64 virq)
{
	if (!irq_set_edge((u32)virq, true)) {
		test_error("cannot make INTID %lu edge-triggered", virq);
		return false;
	}
	return true;
}

void ipc_expect_taken(const char *what, u64 virq, u32 times)
{
	if (times > 0)
		irq_wait((u32)virq, times, IPC_IRQ_WAIT_MS);
	irq_settle(IPC_IRQ_QUIET_MS);
	if (irq_count((u32)virq) != times) {
		test_fail("%s: INTID %lu taken: expected %u times got %u", what, virq, times,
		          irq_count((u32)virq));
		return;
	}
	if (irq_total() != irq_count((u32)virq))
		test_fail("%s: %u interrupt(s) taken, the last INTID %u; expected only INTID %lu",
		          what, irq_total(), irq_last(), virq);
}

static u64 ipc_activate(u64 cap, const char *what)
{
	u64 err = hc_err(GH_HVC_OBJECT_ACTIVATE, cap, 0, 0);

	if (err != 0) {
		root_fixture_failed("fixture: object_activate(%s): x0 expected 0x0 got 0x%lx", what,
		                    err);
		return GH_CAP_INVALID;
	}
	return cap;
}

u64 mq_make(const struct root_caps *rc, u64 depth, u64 size)
{
	u64 q = root_create(rc, GH_HVC_PARTITION_CREATE_MSGQUEUE, rc->partition);
	u64 err;

	if (q == GH_CAP_INVALID)
		return q;
	err = hc_err(GH_HVC_MSGQUEUE_CONFIGURE, q, mq_info(depth, size), 0);
	if (err != 0) {
		test_fail(
		    "fixture: msgqueue_configure(depth %lu, size %lu): x0 expected 0x0 got 0x%lx",
		    depth, size, err);
		return GH_CAP_INVALID;
	}
	return ipc_activate(q, "msgqueue");
}

u64 db_make(const struct root_caps *rc)
{
	u64 d = root_create(rc, GH_HVC_PARTITION_CREATE_DOORBELL, rc->partition);

	if (d == GH_CAP_INVALID)
		return d;
	return ipc_activate(d, "doorbell");
}

u64 vic_make(const struct root_caps *rc, u64 max_vcpus, u64 max_virqs, bool activate)
{
	u64 v = root_create(rc, GH_HVC_PARTITION_CREATE_VIC, rc->partition);
	u64 err;

	if (v == GH_CAP_INVALID)
		return v;
	err = hc(GH_HVC_VIC_CONFIGURE, v, max_vcpus, max_virqs, 0, 0).x[0];
	if (err != 0) {
		root_fixture_failed("fixture: vic_configure(%lu, %lu): x0 expected 0x0 got 0x%lx",
		                    max_vcpus, max_virqs, err);
		return GH_CAP_INVALID;
	}
	return activate ? ipc_activate(v, "vic") : v;
}

void ipc_bind(const struct ipc_self *self, u32 bind_call, u32 unbind_call, u64 cap, u64 virq)
{
	u64 err;

	if (!ipc_irq_on(virq))
		return;
	err = hc(bind_call, cap, self->vic, virq, 0, 0).x[0];
	if (err != 0) {
		root_fixture_failed(
		    "fixture: bind (call 0x%x) to VIRQ %lu: x0 expected 0x0 got 0x%lx", bind_call,
		    virq, err);
		return;
	}
	ipc_bound(unbind_call, cap);
}

void ipc_pattern(u8 *buf, u64 size, u32 seed)
{
	u64 i;

	for (i = 0; i < size; i++)
		buf[i] = (u8)(seed * 31 + i * 7 + (i >> 8));
}

bool ipc_pattern_ok(const char *what, const u8 *buf, u64 size, u32 seed)
{
	u64 i;

	for (i = 0; i < size; i++) {
		u8 want = (u8)(seed * 31 + i * 7 + (i >> 8));

		if (buf[i] != want) {
			test_fail("%s: byte %lu: expected 0x%x got 0x%x", what, i, want, buf[i]);
			return false;
		}
	}
	return true;
}

bool ipc_bytes_are(const char *what, const u8 *buf, u64 size, u8 fill)
{
	u64 i;

	for (i = 0; i < size; i++) {
		if (buf[i] != fill) {
			test_fail("%s: byte %lu: expected 0x%x got 0x%x", what, i, fill, buf[i]);
			return false;
		}
	}
	return true;
}

static u8 mq_rx_buf[GH_LIMIT_MSGQUEUE_MAX_MSG_SIZE + 1] __attribute__((aligned(64)));

bool mq_expect_msg(const char *what, u64 q, u64 size, u32 seed, u64 not_empty)
{
	struct gh_ret r;
	unsigned i;

	memset(mq_rx_buf, IPC_POISON, sizeof(mq_rx_buf));
	r = mq_recv(q, mq_rx_buf, GH_LIMIT_MSGQUEUE_MAX_MSG_SIZE);
	if (r.x[0] != 0 || r.x[1] != size || r.x[2] != not_empty) {
		test_fail(
		    "%s: receive: expected x0 0x0 size %lu not_empty %lu got x0 0x%lx size %lu "
		    "not_empty %lu",
		    what, size, not_empty, r.x[0], r.x[1], r.x[2]);
		return false;
	}
	for (i = 3; i < 8; i++) {
		if (r.x[i] != 0) {
			test_fail("%s: receive: x%u expected 0x0 got 0x%lx", what, i, r.x[i]);
			return false;
		}
	}
	if (!ipc_pattern_ok(what, mq_rx_buf, size, seed))
		return false;
	if (size < sizeof(mq_rx_buf) && mq_rx_buf[size] != IPC_POISON) {
		test_fail("%s: the byte after the message was written (0x%x)", what,
		          mq_rx_buf[size]);
		return false;
	}
	return true;
}

static void ipc_cap_expect(const char *what, u32 call, const u64 args[5], unsigned idx, u64 cap,
                           u64 err)
{
	u64 a[5];
	struct gh_ret r;

	memcpy(a, args, sizeof(a));
	a[idx] = cap;
	r = hc(call, a[0], a[1], a[2], a[3], a[4]);
	if (r.x[0] != err)
		test_fail("%s (x0): expected 0x%lx got 0x%lx", what, err, r.x[0]);
}

void ipc_cap_errors(const struct root_caps *rc, u32 call, const u64 args[5], unsigned idx,
                    u64 wrong, u64 right, u64 inactive)
{
	u64 cap = args[idx], c;

	ipc_cap_expect("undecodable cap", call, args, idx, root_undecodable(cap),
	               E(ARGUMENT_INVALID));
	ipc_cap_expect("cap all ones", call, args, idx, GH_CAP_INVALID, E(ARGUMENT_INVALID));
	RETURN_IF_FAILED();
	c = root_revoked(rc, cap);
	RETURN_IF_FAILED();
	ipc_cap_expect("revoked cap", call, args, idx, c, E(CSPACE_CAP_REVOKED));
	ipc_cap_expect("cap of another type", call, args, idx, wrong, E(CSPACE_WRONG_OBJECT_TYPE));
	if (right) {
		c = root_copy(rc, cap, ~right);
		RETURN_IF_FAILED();
		ipc_cap_expect("cap without the right", call, args, idx, c,
		               E(CSPACE_INSUFFICIENT_RIGHTS));
	}
	if (inactive != GH_CAP_INVALID)
		ipc_cap_expect("object in the wrong state", call, args, idx, inactive,
		               E(OBJECT_STATE));
	RETURN_IF_FAILED();
	c = root_null(rc);
	RETURN_IF_FAILED();
	ipc_cap_expect("empty slot", call, args, idx, c, E(CSPACE_CAP_NULL));
}

void ipc_create_full_nomem(const struct root_caps *rc, u32 call)
{
	u64 small = root_cspace(rc, 1, true), in, child;

	RETURN_IF_FAILED();
	in = root_copy_into(rc, rc->partition, small, ~0ULL);
	RETURN_IF_FAILED();
	ASSERT_RESULT("create into a full cspace", hc(call, rc->partition, small, 0, 0, 0),
	              E(CSPACE_FULL), 0);
	ASSERT_EQ("delete the one cap", hc_err(GH_HVC_CSPACE_DELETE_CAP_FROM, small, in, 0), 0);
	ASSERT_EQ("create into the freed slot", hc(call, rc->partition, small, 0, 0, 0).x[0], 0);
	child = root_exhausted_child(rc, call);
	RETURN_IF_FAILED();
	ASSERT_RESULT("create from an exhausted child", hc(call, child, rc->cspace, 0, 0, 0),
	              E(NOMEM), 0);
}

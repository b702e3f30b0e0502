/* VIRQ lending from the primary VM (reference §6 IRQ message IDs and layouts: VM_IRQ_LEND {u16
 * borrower, u16 pad, u32 virq, u32 label} -> u32 handle; VM_IRQ_ACCEPT {u32 handle, u32 virq} ->
 * u32 virq; VM_IRQ_RELEASE / VM_IRQ_RECLAIM {u32 handle}): the refusals, and the lend of a hardware
 * IRQ the primary owns: the PL061 GPIO controller its device tree describes (as upstream's primary
 * VM owns the interrupts of the devices in its tree), whose line the guest drives itself; and the
 * borrower's side with a peer VM (conformance/peer/ PEER_MODE_IRQ): ACCEPT, taking the interrupt,
 * RELEASE, the notifications both ways, and a borrower reset while it holds the IRQ. */
#include <humpy/arch.h>
#include <humpy/exc.h>
#include <humpy/fdt.h>
#include <humpy/irq.h>
#include <humpy/libc.h>
#include <humpy/plat.h>
#include <humpy/rm_rpc.h>

#include "peer_owner.h"

/* A handle no lend returned. */
#define NO_HANDLE 0xffffffffU
/* An INTID no VM's VIC binds here: past every SPI the guest's GIC has. */
#define UNBOUND_VIRQ 1000U

static u16 peer_allocate(void)
{
	u8 req[4] = {0};
	struct rm_msg m;

	if (!rm_expect_call("VM_ALLOCATE(0)", GH_RM_IDS_VM_ALLOCATE, req, sizeof(req),
	                    GH_RM_ERRORS_OK, 8, &m))
		return 0;
	return rm_get16(m.payload + 4);
}

static void peer_deallocate(u16 vmid)
{
	u8 req[4] = {0};
	struct rm_msg m;

	rm_put16(req, vmid);
	rm_expect_call("VM_DEALLOCATE", GH_RM_IDS_VM_DEALLOCATE, req, sizeof(req), GH_RM_ERRORS_OK,
	               4, &m);
}

static bool lend(const char *what, u16 borrower, u32 virq, u32 label, u32 err, u32 *handle)
{
	u8 req[12];
	struct rm_msg m;

	rm_put16(req, borrower);
	rm_put16(req + 2, 0);
	rm_put32(req + 4, virq);
	rm_put32(req + 8, label);
	if (!rm_expect_call(what, GH_RM_IDS_VM_IRQ_LEND, req, sizeof(req), err,
	                    err == GH_RM_ERRORS_OK ? 8 : 4, &m))
		return false;
	if (handle)
		*handle = err == GH_RM_ERRORS_OK ? rm_get32(m.payload + 4) : NO_HANDLE;
	return true;
}

/* A call taking {u32 handle} (RELEASE, RECLAIM) or {u32 handle, u32 virq} (ACCEPT). */
static bool handle_call(const char *what, u32 id, u32 handle, u32 err)
{
	u8 req[8];
	struct rm_msg m;
	u32 len = id == GH_RM_IDS_VM_IRQ_ACCEPT ? 8 : 4;

	rm_put32(req, handle);
	rm_put32(req + 4, 0xffffffffU); /* ACCEPT: the same VIRQ number */
	return rm_expect_call(what, id, req, len, err, 4, &m);
}

/* Proves VM_IRQ_LEND of 11 or 13 bytes is MSG_INVALID (§6: 12 bytes). */
RM_TEST(irq_lend_bad_length)
{
	static const u8 req[13];
	struct rm_msg m;

	if (!rm_expect_call("VM_IRQ_LEND, 11 bytes", GH_RM_IDS_VM_IRQ_LEND, req, 11,
	                    GH_RM_ERRORS_MSG_INVALID, 4, &m))
		return;
	rm_expect_call("VM_IRQ_LEND, 13 bytes", GH_RM_IDS_VM_IRQ_LEND, req, 13,
	               GH_RM_ERRORS_MSG_INVALID, 4, &m);
}

/* Proves VM_IRQ_LEND of a VIRQ the lender has not bound is IRQ_NOT_MAPPED (§6 errors). */
RM_TEST(irq_lend_unbound_virq)
{
	u16 peer = peer_allocate();

	RETURN_IF_FAILED();
	lend("VM_IRQ_LEND of an unbound VIRQ", peer, UNBOUND_VIRQ, 0, GH_RM_ERRORS_IRQ_NOT_MAPPED,
	     NULL);
	peer_deallocate(peer);
}

/* Proves ACCEPT, RELEASE and RECLAIM of a handle no lend gave are HANDLE_INVALID, and each of the
 * wrong length MSG_INVALID (§6). */
RM_TEST(irq_unknown_handle)
{
	static const u8 req[9];
	struct rm_msg m;

	if (!handle_call("VM_IRQ_ACCEPT(no handle)", GH_RM_IDS_VM_IRQ_ACCEPT, NO_HANDLE,
	                 GH_RM_ERRORS_HANDLE_INVALID) ||
	    !handle_call("VM_IRQ_RELEASE(no handle)", GH_RM_IDS_VM_IRQ_RELEASE, NO_HANDLE,
	                 GH_RM_ERRORS_HANDLE_INVALID) ||
	    !handle_call("VM_IRQ_RECLAIM(no handle)", GH_RM_IDS_VM_IRQ_RECLAIM, NO_HANDLE,
	                 GH_RM_ERRORS_HANDLE_INVALID) ||
	    !rm_expect_call("VM_IRQ_ACCEPT, 4 bytes", GH_RM_IDS_VM_IRQ_ACCEPT, req, 4,
	                    GH_RM_ERRORS_MSG_INVALID, 4, &m) ||
	    !rm_expect_call("VM_IRQ_RELEASE, 8 bytes", GH_RM_IDS_VM_IRQ_RELEASE, req, 8,
	                    GH_RM_ERRORS_MSG_INVALID, 4, &m))
		return;
	rm_expect_call("VM_IRQ_RECLAIM, 0 bytes", GH_RM_IDS_VM_IRQ_RECLAIM, NULL, 0,
	               GH_RM_ERRORS_MSG_INVALID, 4, &m);
}

/* Proves the RX VIRQ, which the RM bound for its message queue and the VM does not own as an
 * interrupt source, cannot be lent: IRQ_NOT_MAPPED, and the channel keeps working (§6; VIRQ
 * lending moves interrupts a VM owns). */
RM_TEST(irq_lend_channel_virq)
{
	u16 peer = peer_allocate();

	RETURN_IF_FAILED();
	if (lend("VM_IRQ_LEND(peer, RX VIRQ)", peer, rm->rx_intid, 0x1234,
	         GH_RM_ERRORS_IRQ_NOT_MAPPED, NULL))
		rm_expect_alive("after the refused lend");
	peer_deallocate(peer);
}

/* PL061 registers (ARM PrimeCell GPIO TRM): data is addressed through bits 9:2 as a mask. */
#define PL061_DATA_PIN0 (1U << 2)
#define PL061_DIR       0x400
#define PL061_IS        0x404
#define PL061_IEV       0x40c
#define PL061_IE        0x410
#define PL061_IC        0x41c
#define PL061_PIN0      1U
/* How long an interrupt that should come may take, and how long to watch for one that should not.
 */
#define HW_WAIT_MS  50
#define HW_QUIET_MS 5
#define HW_LABEL    0x1ab31U

/* The PL061 of the tree (base, INTID of its SPI); the reason to SKIP when there is none. */
static const char *hw_find(u64 *gpio, u32 *intid)
{
	int node = fdt_find_compatible(-1, "arm,pl061");
	const u8 *irqs;
	u32 len = 0;
	u64 size;

	if (node < 0 || !fdt_reg(node, 0, gpio, &size))
		return "no arm,pl061 node with a reg in the device tree";
	irqs = fdt_prop(node, "interrupts", &len);
	if (!irqs || len < 12 || fdt_be32(irqs) != 0)
		return "the arm,pl061 node's interrupts is no 3-cell SPI";
	*intid = IRQ_SPI_BASE + fdt_be32(irqs + 4);
	return NULL;
}

/* Pin 0 as a level-high interrupt source, the line low; false when a write aborts. */
static bool hw_setup(u64 gpio)
{
	return probe_try_write32(gpio + PL061_DATA_PIN0, 0) &&
	       probe_try_write32(gpio + PL061_DIR, PL061_PIN0) &&
	       probe_try_write32(gpio + PL061_IS, PL061_PIN0) &&
	       probe_try_write32(gpio + PL061_IEV, PL061_PIN0) &&
	       probe_try_write32(gpio + PL061_IC, PL061_PIN0) &&
	       probe_try_write32(gpio + PL061_IE, PL061_PIN0);
}

static void hw_line(u64 gpio, bool high)
{
	probe_try_write32(gpio + PL061_DATA_PIN0, high ? PL061_PIN0 : 0);
	if (!high)
		probe_try_write32(gpio + PL061_IC, PL061_PIN0);
	dsb(sy);
}

static void hw_off(u64 gpio)
{
	hw_line(gpio, false);
	probe_try_write32(gpio + PL061_IE, 0);
	irq_reset();
}

/* Exactly `times` of intid taken (waiting for them, then a quiet spell for any extra). */
static bool hw_taken(const char *what, u32 intid, u32 times)
{
	if (times > 0)
		irq_wait(intid, times, HW_WAIT_MS);
	irq_settle(HW_QUIET_MS);
	if (irq_count(intid) != times || irq_total() != times) {
		test_fail("%s: INTID %u taken: expected %u times got %u (%u interrupts in all)",
		          what, intid, times, irq_count(intid), irq_total());
		return false;
	}
	return true;
}

/*
 * HW_RM_TEST(name) defines rm.name with `gpio` and `intid` besides rm: SKIP without a PL061 in the
 * tree, FAIL when its registers abort (the RM did not map them); the line is set up low and
 * interrupts counted from zero before, switched off after.
 */
#define HW_RM_TEST(name)                                                                           \
	static void hw_body_##name(const struct rm_chan *rm, u64 gpio, u32 intid);                 \
	RM_TEST(name)                                                                              \
	{                                                                                          \
		u64 gpio_ = 0;                                                                     \
		u32 intid_ = 0;                                                                    \
		const char *why_ = hw_find(&gpio_, &intid_);                                       \
		if (why_)                                                                          \
			SKIP("%s", why_);                                                          \
		irq_reset();                                                                       \
		if (!hw_setup(gpio_)) {                                                            \
			test_fail("PL061 at 0x%lx: a register write aborted", gpio_);              \
			return;                                                                    \
		}                                                                                  \
		hw_body_##name(rm, gpio_, intid_);                                                 \
		hw_off(gpio_);                                                                     \
	}                                                                                          \
	static void hw_body_##name(const struct rm_chan *rm UNUSED, u64 gpio, u32 intid)

/* Proves the primary VM owns the PL061's SPI its tree describes: raising the line is taken as
 * exactly that INTID, once, and not while the line stays low (§13: the primary VM's devices). */
HW_RM_TEST(irq_hwirq_owned)
{
	ASSERT_TRUE("irq_enable(PL061 SPI)", irq_enable(intid));
	if (!hw_taken("enabled, line low", intid, 0))
		return;
	hw_line(gpio, true);
	if (!hw_taken("line raised", intid, 1))
		return;
	hw_line(gpio, false);
	ASSERT_TRUE("irq_enable again", irq_enable(intid));
	hw_taken("re-enabled, line low", intid, 1);
}

/* Proves a lend of the owned hardware IRQ (§6 VM_IRQ_LEND): an 8-byte reply OK and a handle; while
 * lent the IRQ is no longer the lender's (its line raised is not taken) and a second lend of it is
 * IRQ_INUSE; RECLAIM (nobody accepted) is OK with a 4-byte reply and the IRQ is the lender's again
 * (the line still high is taken once); a second RECLAIM of the handle is HANDLE_INVALID. */
HW_RM_TEST(irq_lend_reclaim)
{
	u32 handle = NO_HANDLE;
	u16 peer;

	ASSERT_TRUE("irq_enable(PL061 SPI)", irq_enable(intid));
	peer = peer_allocate();
	RETURN_IF_FAILED();
	if (!lend("VM_IRQ_LEND(peer, PL061 SPI)", peer, intid, HW_LABEL, GH_RM_ERRORS_OK, &handle))
		goto out;
	if (handle == NO_HANDLE || handle == 0) {
		test_fail("VM_IRQ_LEND: handle 0x%x", handle);
		goto out;
	}
	hw_line(gpio, true);
	if (!hw_taken("lent, line raised", intid, 0) ||
	    !lend("VM_IRQ_LEND again", peer, intid, HW_LABEL, GH_RM_ERRORS_IRQ_INUSE, NULL) ||
	    !handle_call("VM_IRQ_RECLAIM", GH_RM_IDS_VM_IRQ_RECLAIM, handle, GH_RM_ERRORS_OK))
		goto out;
	handle = NO_HANDLE;
	if (!hw_taken("reclaimed, line still high", intid, 1))
		goto out;
	handle_call("VM_IRQ_RECLAIM again", GH_RM_IDS_VM_IRQ_RECLAIM, handle,
	            GH_RM_ERRORS_HANDLE_INVALID);
out:
	if (handle != NO_HANDLE)
		handle_call("VM_IRQ_RECLAIM (cleanup)", GH_RM_IDS_VM_IRQ_RECLAIM, handle,
		            GH_RM_ERRORS_OK);
	peer_deallocate(peer);
}

/*
 * The borrower's side: a peer VM (conformance/peer/, PEER_MODE_IRQ) built by the primary through
 * the RM, to which the primary lends the PL061's SPI. One run (irq_peer_session) serves the tests
 * below, each checking its part with exact values. The peer's RAM is 12 MiB below the top of the
 * first RAM range and the mailbox page 10 MiB below it: other 2 MiB pieces than the other rm
 * tests'.
 */
struct irq_peer_session {
	bool ran, done;
	bool hold; /* the peer keeps the IRQ and exits; the owner resets it
	              (irq_peer_reset_releases) */
	char problem[96];
	const char *skip; /* no PL061: every test SKIPs with this */
	u64 gpio, ram, shared;
	u32 intid;
	u16 vmid;
	u32 handle; /* the loan's, NO_HANDLE once reclaimed */
	u32 lend_handle;
	u32 ram_handle, share_handle;
	u32 notify_lent_err, notify_lent_len;
	bool marked;
	u32 reclaim_held_err, reclaim_held_len;
	u32 accepted_len, released_len; /* the notifications' payload bytes (0: none came) */
	u8 accepted[8], released[8];
	u32 owner_taken_lent; /* the owner's count with the line high while the peer held it */
	u32 reclaim_err, reclaim_len; /* VM_IRQ_RECLAIM after the release */
	u32 owner_taken_reclaimed;    /* its INTID with the line still high after it */
	u32 owner_total_reclaimed;    /* every interrupt the owner took by then */
	u32 reclaim2_err;
	u32 reclaim_exited_err; /* hold: VM_IRQ_RECLAIM after the peer exited, before VM_RESET */
	u32 exited_len;
	u8 exited[16];
	struct peer_report rep;
};

static struct irq_peer_session ips, ips_hold = {.hold = true};

/* A request whose reply must be err with reply_len bytes: false (recorded) otherwise. */
static bool ips_call(struct irq_peer_session *s, const char *what, u32 id, const void *req, u32 len,
                     u32 *err, u32 *rlen, struct rm_msg *m)
{
	if (rm_call(id, rm_next_seq(), req, len, m) != RM_IO_OK || m->len < 4) {
		if (s->problem[0] == '\0')
			snprintf(s->problem, sizeof(s->problem), "%s: no reply", what);
		return false;
	}
	*err = rm_get32(m->payload);
	if (rlen)
		*rlen = m->len;
	return true;
}

static bool ips_fail(struct irq_peer_session *s, const char *what, u32 got)
{
	if (s->problem[0] == '\0')
		snprintf(s->problem, sizeof(s->problem), "%s (0x%x)", what, got);
	return false;
}

/* A notification of id for this run's handle: its payload (at most 8 bytes) into out. */
static u32 ips_note(u32 id, u8 *out)
{
	const struct rm_notif *n = rm_notif_wait(id, 300);

	if (n == NULL)
		return 0;
	memcpy(out, n->payload, n->len < 8 ? n->len : 8);
	return n->len;
}

/* After VM_RESET the RAM back (the report read). */
static bool irq_peer_reset(struct irq_peer_session *s, u8 *req)
{
	struct rm_msg m;
	u32 err;

	rm_put16(req, s->vmid);
	rm_put16(req + 2, 0);
	if (!ips_call(s, "VM_RESET", GH_RM_IDS_VM_RESET, req, 4, &err, NULL, &m) ||
	    err != GH_RM_ERRORS_OK)
		return ips_fail(s, "VM_RESET", err);
	err = peer_mem_handle_call(GH_RM_IDS_MEM_RECLAIM, s->ram_handle, &m);
	if (err != GH_RM_ERRORS_OK)
		return ips_fail(s, "MEM_RECLAIM of the peer's RAM after VM_RESET", err);
	s->ram_handle = 0;
	peer_read_report(s->ram, &s->rep);
	return true;
}

/* The peer holds the IRQ and, never given the go, exits holding it: VM_IRQ_RECLAIM is refused
 * until the owner's VM_RESET of the peer, which releases it. */
static bool irq_peer_hold_run(struct irq_peer_session *s, u8 *req)
{
	struct rm_msg m;

	rm_put32(req, s->handle);
	if (!ips_call(s, "VM_IRQ_RECLAIM while accepted", GH_RM_IDS_VM_IRQ_RECLAIM, req, 4,
	              &s->reclaim_held_err, &s->reclaim_held_len, &m) ||
	    !peer_wait_exited(s->vmid, s->exited, &s->exited_len) ||
	    !ips_call(s, "VM_IRQ_RECLAIM after the exit", GH_RM_IDS_VM_IRQ_RECLAIM, req, 4,
	              &s->reclaim_exited_err, NULL, &m) ||
	    !irq_peer_reset(s, req))
		return false;
	hw_line(s->gpio, true);
	rm_put32(req, s->handle);
	if (!ips_call(s, "VM_IRQ_RECLAIM after VM_RESET", GH_RM_IDS_VM_IRQ_RECLAIM, req, 4,
	              &s->reclaim_err, &s->reclaim_len, &m))
		return false;
	if (s->reclaim_err == GH_RM_ERRORS_OK)
		s->handle = NO_HANDLE;
	irq_wait(s->intid, 1, HW_WAIT_MS);
	irq_settle(HW_QUIET_MS);
	s->owner_taken_reclaimed = irq_count(s->intid);
	s->owner_total_reclaimed = irq_total();
	return true;
}

static bool irq_peer_run(struct irq_peer_session *s)
{
	volatile u64 *sh = (volatile u64 *)(uintptr_t)s->shared;
	struct rm_msg m;
	u8 req[16];
	u32 err;

	s->vmid = peer_allocate();
	if (s->vmid == 0)
		return ips_fail(s, "VM_ALLOCATE", 0);
	memset((void *)(uintptr_t)s->shared, 0, 4096);
	peer_cache_clean(s->shared, 4096);
	s->share_handle =
	    peer_create_parcel("MEM_SHARE of the mailbox page", GH_RM_IDS_MEM_SHARE, s->vmid,
	                       GH_RM_MEM_RIGHT_R | GH_RM_MEM_RIGHT_W, s->shared, 4096);
	if (s->problem[0] != '\0')
		return false;
	rm_put16(req, s->vmid);
	rm_put16(req + 2, 0);
	rm_put32(req + 4, s->intid);
	rm_put32(req + 8, HW_LABEL);
	if (!ips_call(s, "VM_IRQ_LEND", GH_RM_IDS_VM_IRQ_LEND, req, 12, &err, NULL, &m))
		return false;
	if (err != GH_RM_ERRORS_OK || m.len != 8)
		return ips_fail(s, "VM_IRQ_LEND", err);
	s->handle = rm_get32(m.payload + 4);
	s->lend_handle = s->handle;
	s->ram_handle =
	    peer_launch(s->vmid, s->ram, PEER_MODE_IRQ, s->share_handle, s->shared, s->handle);
	if (s->problem[0] != '\0')
		return false;
	/* VM_IRQ_NOTIFY {handle, LENT, 1 VM: the peer}: IRQ_LENT reaches it. */
	rm_put32(req, s->handle);
	rm_put32(req + 4, GH_RM_IRQ_NOTIFY_LENT);
	rm_put16(req + 8, 1);
	rm_put16(req + 10, 0);
	rm_put16(req + 12, s->vmid);
	rm_put16(req + 14, 0);
	if (!ips_call(s, "VM_IRQ_NOTIFY(LENT)", GH_RM_IDS_VM_IRQ_NOTIFY, req, 16,
	              &s->notify_lent_err, &s->notify_lent_len, &m))
		return false;
	s->marked = peer_wait_mark(sh);
	if (!s->marked)
		return ips_fail(s, "no ACCEPTED mark from the peer in the mailbox page", 0);
	if (s->hold)
		return irq_peer_hold_run(s, req);
	/* The peer holds the IRQ: the owner cannot take it back, nor is it the owner's. */
	rm_put32(req, s->handle);
	if (!ips_call(s, "VM_IRQ_RECLAIM while accepted", GH_RM_IDS_VM_IRQ_RECLAIM, req, 4,
	              &s->reclaim_held_err, &s->reclaim_held_len, &m))
		return false;
	hw_line(s->gpio, true);
	irq_settle(HW_QUIET_MS);
	s->owner_taken_lent = irq_total();
	sh[PEER_SH_GO] = PEER_MB_GO;
	peer_cache_clean(s->shared, 4096);
	/* Sent before the mark (the peer's VM_IRQ_NOTIFY came first): waited for after the go. */
	s->accepted_len = ips_note(GH_RM_NOTIFICATIONS_IRQ_ACCEPTED, s->accepted);
	s->released_len = ips_note(GH_RM_NOTIFICATIONS_IRQ_RELEASED, s->released);
	if (!peer_wait_exited(s->vmid, s->exited, &s->exited_len))
		return false;
	/* Released: back to the owner, the line still high. */
	if (!ips_call(s, "VM_IRQ_RECLAIM", GH_RM_IDS_VM_IRQ_RECLAIM, req, 4, &s->reclaim_err,
	              &s->reclaim_len, &m))
		return false;
	if (s->reclaim_err == GH_RM_ERRORS_OK)
		s->handle = NO_HANDLE;
	irq_wait(s->intid, 1, HW_WAIT_MS);
	irq_settle(HW_QUIET_MS);
	s->owner_taken_reclaimed = irq_count(s->intid);
	s->owner_total_reclaimed = irq_total();
	if (!ips_call(s, "VM_IRQ_RECLAIM again", GH_RM_IDS_VM_IRQ_RECLAIM, req, 4, &s->reclaim2_err,
	              NULL, &m))
		return false;
	return irq_peer_reset(s, req);
}

/* Whatever state the run stopped in: the peer stopped, reset and freed, every parcel and the IRQ
 * reclaimed, the line low. Errors are expected and ignored. */
static void irq_peer_cleanup(struct irq_peer_session *s)
{
	struct rm_msg m;
	u8 req[8] = {0};

	hw_off(s->gpio);
	if (s->vmid != 0) {
		rm_put16(req, s->vmid);
		req[2] = 1; /* FORCE */
		(void)rm_call(GH_RM_IDS_VM_STOP, rm_next_seq(), req, 8, &m);
		(void)rm_call(GH_RM_IDS_VM_RESET, rm_next_seq(), req, 4, &m);
	}
	if (s->ram_handle != 0 &&
	    peer_mem_handle_call(GH_RM_IDS_MEM_RECLAIM, s->ram_handle, &m) == GH_RM_ERRORS_OK &&
	    s->rep.magic == 0)
		peer_read_report(s->ram, &s->rep); /* how far the peer got, for the FAIL line */
	if (s->share_handle != 0)
		(void)peer_mem_handle_call(GH_RM_IDS_MEM_RECLAIM, s->share_handle, &m);
	if (s->handle != NO_HANDLE) {
		rm_put32(req, s->handle);
		(void)rm_call(GH_RM_IDS_VM_IRQ_RECLAIM, rm_next_seq(), req, 4, &m);
	}
	if (s->vmid != 0)
		peer_deallocate(s->vmid);
}

static const struct irq_peer_session *irq_peer_session(struct irq_peer_session *s)
{
	if (s->ran)
		return s;
	s->ran = true;
	s->handle = NO_HANDLE;
	s->skip = hw_find(&s->gpio, &s->intid);
	if (s->skip == NULL) {
		u64 below = s->hold ? 16 * 1024 * 1024 : 12 * 1024 * 1024;

		s->ram = plat.ram_base[0] + plat.ram_size[0] - below;
		s->shared = plat.ram_base[0] + plat.ram_size[0] - below + 2 * 1024 * 1024;
		peer_problem_to(s->problem);
		irq_reset();
		if (!hw_setup(s->gpio))
			ips_fail(s, "PL061: a register write aborted", 0);
		else if (!irq_enable(s->intid))
			ips_fail(s, "irq_enable(PL061 SPI)", s->intid);
		else
			(void)irq_peer_run(s);
		irq_peer_cleanup(s);
		hw_off(s->gpio);
	}
	s->done = true;
	return s;
}

#define IRQ_PEER_SESSION(s, store, peer_problem)                                                   \
	const struct irq_peer_session *s = irq_peer_session(store);                                \
	do {                                                                                       \
		if (s->skip)                                                                       \
			SKIP("%s", s->skip);                                                       \
		if (!s->done) {                                                                    \
			test_fail(                                                                 \
			    "IRQ peer run abandoned at its time limit (in an earlier test)");      \
			return;                                                                    \
		}                                                                                  \
		if (s->problem[0] != '\0') {                                                       \
			test_fail("IRQ peer run: %s; peer report step %lu problem %lu",            \
			          s->problem, s->rep.step, s->rep.problem);                        \
			return;                                                                    \
		}                                                                                  \
		ASSERT_EQ("peer report magic", s->rep.magic, PEER_REPORT_MAGIC);                   \
		ASSERT_EQ("peer problem", s->rep.problem, (peer_problem));                         \
	} while (0)

/* Proves the lend reaches the borrower and its accept the owner (§6 VM_IRQ_NOTIFY, VM_IRQ_ACCEPT):
 * VM_IRQ_NOTIFY(LENT, the peer) is OK (4 bytes) and the peer got IRQ_LENT {owner 3, the handle,
 * the label}; its VM_IRQ_ACCEPT {handle, 0xffffffff} is OK with 8 bytes naming the owner's INTID;
 * its VM_IRQ_NOTIFY(ACCEPTED) is OK and the owner got IRQ_ACCEPTED {handle}, 4 bytes. */
RM_TEST(irq_peer_accept)
{
	IRQ_PEER_SESSION(s, &ips, PEER_PROBLEM_NONE);

	ASSERT_EQ("VM_IRQ_NOTIFY(LENT) error", s->notify_lent_err, GH_RM_ERRORS_OK);
	ASSERT_EQ("VM_IRQ_NOTIFY(LENT) reply length", s->notify_lent_len, 4);
	ASSERT_EQ("IRQ_LENT notifications the peer saw", s->rep.lent_seen, 1);
	ASSERT_EQ("IRQ_LENT owner", s->rep.lent_owner, rm->vmid);
	ASSERT_EQ("IRQ_LENT handle", s->rep.lent_handle, s->lend_handle);
	ASSERT_EQ("IRQ_LENT label", s->rep.lent_label, HW_LABEL);
	ASSERT_EQ("VM_IRQ_ACCEPT error (peer)", s->rep.irq_accept_err, GH_RM_ERRORS_OK);
	ASSERT_EQ("VM_IRQ_ACCEPT reply length (peer)", s->rep.irq_accept_len, 8);
	ASSERT_EQ("VM_IRQ_ACCEPT VIRQ (peer)", s->rep.irq_virq, s->intid);
	ASSERT_EQ("VM_IRQ_NOTIFY(ACCEPTED) error (peer)", s->rep.irq_notify_accepted_err,
	          GH_RM_ERRORS_OK);
	ASSERT_EQ("IRQ_ACCEPTED payload length", s->accepted_len, 4);
	ASSERT_EQ("IRQ_ACCEPTED handle", rm_get32(s->accepted), s->lend_handle);
}

/* Proves the borrower takes the lent hardware IRQ and the owner no longer does (§6 VM_IRQ_ACCEPT):
 * with the line raised while the peer held it, the owner took no interrupt at all, and the peer's
 * GIC gave exactly one interrupt, the INTID it accepted. */
RM_TEST(irq_peer_takes)
{
	IRQ_PEER_SESSION(s, &ips, PEER_PROBLEM_NONE);

	ASSERT_EQ("interrupts the owner took while lent", s->owner_taken_lent, 0);
	ASSERT_EQ("interrupts the peer took", s->rep.irq_taken_count, 1);
	ASSERT_EQ("INTID the peer took", s->rep.irq_taken_intid, s->intid);
}

/* Proves the way back (§6 VM_IRQ_RECLAIM, VM_IRQ_RELEASE): VM_IRQ_RECLAIM while the peer holds the
 * IRQ is IRQ_INUSE (4 bytes); the peer's VM_IRQ_RELEASE is OK, its VM_IRQ_NOTIFY(RELEASED) OK and
 * the owner got IRQ_RELEASED {handle}, 4 bytes; a second VM_IRQ_RELEASE is IRQ_RELEASED; then
 * VM_IRQ_RECLAIM is OK (4 bytes), the line still high is taken by the owner exactly once, and a
 * second VM_IRQ_RECLAIM is HANDLE_INVALID. The peer released the mailbox page and exited:
 * VM_EXITED, 12 bytes. */
RM_TEST(irq_peer_release_reclaim)
{
	IRQ_PEER_SESSION(s, &ips, PEER_PROBLEM_NONE);

	ASSERT_EQ("VM_IRQ_RECLAIM while accepted", s->reclaim_held_err, GH_RM_ERRORS_IRQ_INUSE);
	ASSERT_EQ("VM_IRQ_RECLAIM while accepted, reply length", s->reclaim_held_len, 4);
	ASSERT_EQ("VM_IRQ_RELEASE (peer)", s->rep.irq_release_err, GH_RM_ERRORS_OK);
	ASSERT_EQ("VM_IRQ_NOTIFY(RELEASED) (peer)", s->rep.irq_notify_released_err,
	          GH_RM_ERRORS_OK);
	ASSERT_EQ("IRQ_RELEASED payload length", s->released_len, 4);
	ASSERT_EQ("IRQ_RELEASED handle", rm_get32(s->released), s->lend_handle);
	ASSERT_EQ("second VM_IRQ_RELEASE (peer)", s->rep.irq_release2_err,
	          GH_RM_ERRORS_IRQ_RELEASED);
	ASSERT_EQ("VM_IRQ_RECLAIM", s->reclaim_err, GH_RM_ERRORS_OK);
	ASSERT_EQ("VM_IRQ_RECLAIM reply length", s->reclaim_len, 4);
	ASSERT_EQ("owner took its INTID after the reclaim", s->owner_taken_reclaimed, 1);
	ASSERT_EQ("interrupts the owner took in all", s->owner_total_reclaimed, 1);
	ASSERT_EQ("second VM_IRQ_RECLAIM", s->reclaim2_err, GH_RM_ERRORS_HANDLE_INVALID);
	ASSERT_EQ("MEM_RELEASE of the mailbox (peer)", s->rep.release_err, GH_RM_ERRORS_OK);
	ASSERT_EQ("VM_EXITED length", s->exited_len, 12);
	ASSERT_EQ("peer step", s->rep.step, PEER_STEP_EXIT);
}

/* Proves a borrower that exits holding the IRQ keeps it until its owner resets it (§6 VM_RESET,
 * VM_IRQ_RECLAIM): the peer accepted and, given no go, exited (its report: the go never came);
 * VM_IRQ_RECLAIM while it held the IRQ and after its exit is IRQ_INUSE (4 bytes); after VM_RESET
 * VM_IRQ_RECLAIM is OK (4 bytes) and the line raised is the owner's again: taken exactly once. */
RM_TEST(irq_peer_reset_releases)
{
	IRQ_PEER_SESSION(s, &ips_hold, PEER_PROBLEM_NO_GO);

	ASSERT_EQ("peer step when it gave up", s->rep.step, PEER_STEP_EXIT);
	ASSERT_EQ("VM_IRQ_ACCEPT (peer)", s->rep.irq_accept_err, GH_RM_ERRORS_OK);
	ASSERT_EQ("VM_IRQ_RECLAIM while accepted", s->reclaim_held_err, GH_RM_ERRORS_IRQ_INUSE);
	ASSERT_EQ("VM_IRQ_RECLAIM while accepted, reply length", s->reclaim_held_len, 4);
	ASSERT_EQ("VM_IRQ_RECLAIM after the peer's exit", s->reclaim_exited_err,
	          GH_RM_ERRORS_IRQ_INUSE);
	ASSERT_EQ("VM_IRQ_RECLAIM after VM_RESET", s->reclaim_err, GH_RM_ERRORS_OK);
	ASSERT_EQ("VM_IRQ_RECLAIM after VM_RESET, reply length", s->reclaim_len, 4);
	ASSERT_EQ("owner took its INTID after the reclaim", s->owner_taken_reclaimed, 1);
	ASSERT_EQ("interrupts the owner took in all", s->owner_total_reclaimed, 1);
}

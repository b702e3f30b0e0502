/* VIRQ lending from the primary VM (reference §6 IRQ message IDs and layouts: VM_IRQ_LEND {u16
 * borrower, u16 pad, u32 virq, u32 label} -> u32 handle; VM_IRQ_ACCEPT {u32 handle, u32 virq} ->
 * u32 virq; VM_IRQ_RELEASE / VM_IRQ_RECLAIM {u32 handle}): what the primary VM alone can check.
 * No VM of this build owns an interrupt it could lend (hyp/rm gives none yet), so a lend that
 * succeeds, and the borrower's side, are not tested here (tests/rm/README.md). */
#include <humpy/rm_rpc.h>

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

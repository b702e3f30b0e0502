/* VM_GET_VMID, VM_GET_HYP_RESOURCES and unknown message IDs, every reply byte checked (reference §6
 * Message IDs, Payload layouts, Replies). */
#include <humpy/rm_rpc.h>

#define ENTRY(p, i) ((p) + 8 + (i)*GH_RM_RESOURCE_ENTRY_SIZE)

/* Proves VM_GET_VMID: an empty request, an 8-byte reply OK then u32 VMID = the tree's qcom,vmid =
 * 3, the upper 16 bits 0 (§6 Payload layouts). */
RM_TEST(vm_get_vmid)
{
	struct rm_msg m;

	if (!rm_expect_call("VM_GET_VMID", GH_RM_IDS_VM_GET_VMID, NULL, 0, GH_RM_ERRORS_OK, 8, &m))
		return;
	ASSERT_EQ("VMID word", rm_get32(m.payload + 4), GH_RM_VMID_PRIMARY);
	ASSERT_EQ("VMID = the tree's qcom,vmid", rm_get32(m.payload + 4), rm->vmid);
}

/* Proves VM_GET_VMID with a payload is MSG_INVALID, a 4-byte standard reply (§6; upstream). */
RM_TEST(vm_get_vmid_with_payload)
{
	static const u8 req[4] = {3, 0, 0, 0};
	struct rm_msg m;

	rm_expect_call("VM_GET_VMID with 4 bytes", GH_RM_IDS_VM_GET_VMID, req, sizeof(req),
	               GH_RM_ERRORS_MSG_INVALID, 4, &m);
}

/* The VM_GET_HYP_RESOURCES request for vmid (§6: u16 vmid, u16 reserved). */
static bool hyp_resources(const char *what, u16 vmid, u32 err, struct rm_msg *m)
{
	u8 req[4];

	rm_put16(req, vmid);
	rm_put16(req + 2, 0);
	if (!rm_expect_io(what, rm_call(GH_RM_IDS_VM_GET_HYP_RESOURCES, rm_next_seq(), req, 4, m)))
		return false;
	if (m->len < 4 || rm_get32(m->payload) != err) {
		test_fail("%s: expected RM error 0x%x got 0x%x", what, err,
		          m->len < 4 ? ~0U : rm_get32(m->payload));
		return false;
	}
	return true;
}

/* The one entry of `type`; FAILs unless there is exactly one. */
static const u8 *one_entry(const struct rm_msg *m, u8 type)
{
	u32 n = rm_get32(m->payload + 4);
	const u8 *found = NULL;

	for (u32 i = 0; i < n; i++) {
		if (ENTRY(m->payload, i)[GH_RM_RESOURCE_ENTRY_TYPE] != type)
			continue;
		if (found) {
			test_fail("two entries of type %u", type);
			return NULL;
		}
		found = ENTRY(m->payload, i);
	}
	if (!found)
		test_fail("no entry of type %u", type);
	return found;
}

/* FAILs unless e is a message-queue entry for cap with VIRQ intid, partner the RM, no base/size. */
static bool msgq_entry_ok(const char *what, const u8 *e, u64 cap, u32 intid)
{
	if (e[1] != 0 || rm_get16(e + GH_RM_RESOURCE_ENTRY_PARTNER_VMID) != GH_RM_VMID_RM ||
	    rm_get64(e + GH_RM_RESOURCE_ENTRY_CAP_ID) != cap ||
	    rm_get32(e + GH_RM_RESOURCE_ENTRY_VIRQ) != intid ||
	    rm_get64(e + GH_RM_RESOURCE_ENTRY_BASE) != 0 ||
	    rm_get64(e + GH_RM_RESOURCE_ENTRY_SIZE_FIELD) != 0) {
		test_fail(
		    "%s: res 0x%x partner 0x%x cap 0x%lx virq %u base 0x%lx size 0x%lx; expected "
		    "res 0 partner 0x%x cap 0x%lx virq %u base 0 size 0",
		    what, e[1], rm_get16(e + GH_RM_RESOURCE_ENTRY_PARTNER_VMID),
		    rm_get64(e + GH_RM_RESOURCE_ENTRY_CAP_ID),
		    rm_get32(e + GH_RM_RESOURCE_ENTRY_VIRQ),
		    rm_get64(e + GH_RM_RESOURCE_ENTRY_BASE),
		    rm_get64(e + GH_RM_RESOURCE_ENTRY_SIZE_FIELD), GH_RM_VMID_RM, cap, intid);
		return false;
	}
	return true;
}

/* Proves VM_GET_HYP_RESOURCES for this VM: OK, u32 n, n 44-byte entries and nothing more; the RM
 * channel appears as one msgq-TX entry (type 2) and one msgq-RX entry (type 3) with the tree's cap
 * IDs and VIRQs, partner the RM (§6 Payload layouts; 44 bytes: spec rm.resource_entry). */
RM_TEST(hyp_resources_self)
{
	struct rm_msg m;
	const u8 *tx, *rx;
	u32 n;

	if (!hyp_resources("VM_GET_HYP_RESOURCES(own VMID)", (u16)rm->vmid, GH_RM_ERRORS_OK, &m))
		return;
	ASSERT_TRUE("reply shorter than error + count", m.len >= 8);
	n = rm_get32(m.payload + 4);
	ASSERT_EQ("reply length (8 + n x 44)", m.len, 8 + n * GH_RM_RESOURCE_ENTRY_SIZE);
	tx = one_entry(&m, GH_RM_RESOURCE_TYPE_MSGQ_TX);
	RETURN_IF_FAILED();
	rx = one_entry(&m, GH_RM_RESOURCE_TYPE_MSGQ_RX);
	RETURN_IF_FAILED();
	if (!msgq_entry_ok("msgq-TX entry", tx, rm->tx_cap, rm->tx_intid))
		return;
	msgq_entry_ok("msgq-RX entry", rx, rm->rx_cap, rm->rx_intid);
}

/* Proves every entry's type is one §6 defines and its reserved byte is 0 (§6 Payload layouts). */
RM_TEST(hyp_resources_entry_types)
{
	struct rm_msg m;
	u32 n;

	if (!hyp_resources("VM_GET_HYP_RESOURCES(own VMID)", (u16)rm->vmid, GH_RM_ERRORS_OK, &m))
		return;
	n = rm_get32(m.payload + 4);
	ASSERT_EQ("reply length (8 + n x 44)", m.len, 8 + n * GH_RM_RESOURCE_ENTRY_SIZE);
	for (u32 i = 0; i < n; i++) {
		const u8 *e = ENTRY(m.payload, i);

		ASSERT_TRUE("an entry's type is none §6 defines",
		            e[GH_RM_RESOURCE_ENTRY_TYPE] <= GH_RM_RESOURCE_TYPE_WATCHDOG);
		ASSERT_EQ("an entry's reserved byte", e[1], 0);
	}
}

/* Proves VMID 0 in VM_GET_HYP_RESOURCES means the caller: byte for byte the reply for its own VMID
 * (§6; the RM's "vmid 0 = self"). */
RM_TEST(hyp_resources_vmid_0_is_self)
{
	static u8 own[GH_RM_MESSAGE_MAX_PAYLOAD];
	struct rm_msg m;
	u32 own_len;

	if (!hyp_resources("VM_GET_HYP_RESOURCES(own VMID)", (u16)rm->vmid, GH_RM_ERRORS_OK, &m))
		return;
	own_len = m.len;
	memcpy(own, m.payload, m.len);
	if (!hyp_resources("VM_GET_HYP_RESOURCES(0)", 0, GH_RM_ERRORS_OK, &m))
		return;
	ASSERT_EQ("reply length for VMID 0", m.len, own_len);
	rm_expect_bytes("reply for VMID 0", m.payload, own, own_len);
}

/* Proves VM_GET_HYP_RESOURCES with a VMID no VM has is VMID_INVALID, a standard reply (§6; upstream
 * vm_get_hyp_resources). */
RM_TEST(hyp_resources_unknown_vmid)
{
	struct rm_msg m;

	if (!hyp_resources("VM_GET_HYP_RESOURCES(0xbf)", GH_RM_VMID_DYNAMIC_LAST,
	                   GH_RM_ERRORS_VMID_INVALID, &m))
		return;
	ASSERT_EQ("reply length", m.len, 4);
}

/* The length-4 rule of VM_GET_HYP_RESOURCES: any other length is MSG_INVALID (§6). */
static void hyp_resources_len(const char *what, u32 len)
{
	static u8 req[GH_RM_MESSAGE_PAYLOAD * 2];
	struct rm_msg m;

	memset(req, 0, sizeof(req));
	rm_put16(req, (u16)rm_chan_get()->vmid);
	rm_expect_call(what, GH_RM_IDS_VM_GET_HYP_RESOURCES, req, len, GH_RM_ERRORS_MSG_INVALID, 4,
	               &m);
}

/* Proves an empty VM_GET_HYP_RESOURCES request is MSG_INVALID (§6: length must be 4). */
RM_TEST(hyp_resources_len_0)
{
	hyp_resources_len("VM_GET_HYP_RESOURCES, 0 bytes", 0);
}

/* Proves a truncated VM_GET_HYP_RESOURCES payload (2 bytes: the VMID alone) is MSG_INVALID (§6). */
RM_TEST(hyp_resources_len_2)
{
	hyp_resources_len("VM_GET_HYP_RESOURCES, 2 bytes", 2);
}

/* Proves a 3-byte VM_GET_HYP_RESOURCES payload is MSG_INVALID (§6: length must be 4). */
RM_TEST(hyp_resources_len_3)
{
	hyp_resources_len("VM_GET_HYP_RESOURCES, 3 bytes", 3);
}

/* Proves a 5-byte VM_GET_HYP_RESOURCES payload is MSG_INVALID (§6: length must be 4). */
RM_TEST(hyp_resources_len_5)
{
	hyp_resources_len("VM_GET_HYP_RESOURCES, 5 bytes", 5);
}

/* Proves a 2-message (233-byte) VM_GET_HYP_RESOURCES is MSG_INVALID: the length is the reassembled
 * one (§6). */
RM_TEST(hyp_resources_len_233)
{
	hyp_resources_len("VM_GET_HYP_RESOURCES, 233 bytes", GH_RM_MESSAGE_PAYLOAD + 1);
}

/* An ID the RM does not handle: a 4-byte reply UNIMPLEMENTED, ID and seq echoed (§6 Replies). */
static void unimplemented(const char *what, u32 id, u32 len)
{
	static u8 req[GH_RM_MESSAGE_PAYLOAD];
	struct rm_msg m;

	for (u32 i = 0; i < len; i++)
		req[i] = (u8)(i * 7 + 1);
	rm_expect_call(what, id, req, len, GH_RM_ERRORS_UNIMPLEMENTED, 4, &m);
}

/* Proves an unassigned ID in the VM range (0x56000003) is UNIMPLEMENTED (§6 Replies). */
RM_TEST(unknown_id)
{
	unimplemented("ID 0x56000003", GH_RM_UNHANDLED_IDS_UNASSIGNED, 0);
}

/* Proves message ID 0 is UNIMPLEMENTED, not taken for any call (§6: 0 is reserved). */
RM_TEST(id_zero)
{
	unimplemented("ID 0", 0, 0);
}

/* Proves message ID 0xffffffff is UNIMPLEMENTED (§6 Replies). */
RM_TEST(id_all_ones)
{
	unimplemented("ID 0xffffffff", 0xffffffffU, 4);
}

/* Proves a notification ID sent as a request (VM_STATUS) is UNIMPLEMENTED: requests and
 * notifications are separate name spaces (§6 Message IDs). */
RM_TEST(id_notification_as_request)
{
	unimplemented("ID VM_STATUS as a request", GH_RM_NOTIFICATIONS_VM_STATUS, 8);
}

/* Proves an unknown ID with a 100-byte payload is still a 4-byte UNIMPLEMENTED reply (§6). */
RM_TEST(unknown_id_with_payload)
{
	unimplemented("ID 0x56000003 with 100 bytes", GH_RM_UNHANDLED_IDS_UNASSIGNED, 100);
}

/* Proves VM_GET_HYP_CAPIDS (0x56000021, unimplemented upstream too) is UNIMPLEMENTED (§6). */
RM_TEST(unknown_id_get_hyp_capids)
{
	unimplemented("VM_GET_HYP_CAPIDS", GH_RM_UNHANDLED_IDS_GET_HYP_CAPIDS, 4);
}

/* Sequence numbers: the requester picks them (0 allowed) and every reply echoes the request's,
 * whatever the answer (reference §6 Header, Sequence). */
#include <humpy/rm_rpc.h>

/* VM_GET_VMID with this seq: the reply echoes it, exact bytes. */
static void echo(u16 seq)
{
	struct rm_msg m;
	char what[48];

	snprintf(what, sizeof(what), "VM_GET_VMID seq 0x%x", seq);
	if (!rm_expect_io(what, rm_call(GH_RM_IDS_VM_GET_VMID, seq, NULL, 0, &m)))
		return;
	if (!rm_expect_reply(what, &m, GH_RM_IDS_VM_GET_VMID, seq, GH_RM_ERRORS_OK, 8))
		return;
	ASSERT_EQ("VMID", rm_get32(m.payload + 4), rm_chan_get()->vmid);
}

/* Proves seq 0 is echoed (§6: 0 is allowed). */
RM_TEST(seq_echo_0)
{
	echo(0);
}

/* Proves seq 0xffff, the largest, is echoed whole (§6: u16). */
RM_TEST(seq_echo_ffff)
{
	echo(0xffff);
}

/* Proves seq 0x8000 and 0x00ff/0x0100 (byte boundaries) are echoed little-endian (§6 Header). */
RM_TEST(seq_echo_byte_order)
{
	echo(0x8000);
	RETURN_IF_FAILED();
	echo(0x00ff);
	RETURN_IF_FAILED();
	echo(0x0100);
	RETURN_IF_FAILED();
	echo(0x1234);
}

/* Proves the same seq twice gets two replies, each echoing it: the RM keeps no seq history (§6). */
RM_TEST(seq_repeated)
{
	echo(0x4242);
	RETURN_IF_FAILED();
	echo(0x4242);
}

/* Proves seqs counting down across 0 (3, 2, 1, 0, 0xffff, 0xfffe) each come back (§6). */
RM_TEST(seq_wrap)
{
	static const u16 seqs[] = {3, 2, 1, 0, 0xffff, 0xfffe};

	for (u32 i = 0; i < ARRAY_SIZE(seqs); i++) {
		echo(seqs[i]);
		RETURN_IF_FAILED();
	}
}

/* Proves the seq is echoed on an error reply too: UNIMPLEMENTED for ID 0 with seq 0xbeef (§6). */
RM_TEST(seq_echo_on_error)
{
	struct rm_msg m;

	if (!rm_expect_io("ID 0 seq 0xbeef", rm_call(0, 0xbeef, NULL, 0, &m)))
		return;
	rm_expect_reply("ID 0 seq 0xbeef", &m, 0, 0xbeef, GH_RM_ERRORS_UNIMPLEMENTED, 4);
}

/* Proves the seq of a fragmented request (3 messages) is echoed: the reply answers the whole
 * message, not a fragment (§6). */
RM_TEST(seq_echo_fragmented)
{
	static u8 req[2 * GH_RM_MESSAGE_PAYLOAD + 10];
	struct rm_msg m;

	memset(req, 0x5a, sizeof(req));
	if (!rm_expect_io("3-message request seq 0xa55a",
	                  rm_call(GH_RM_UNHANDLED_IDS_UNASSIGNED, 0xa55a, req, sizeof(req), &m)))
		return;
	rm_expect_reply("3-message request", &m, GH_RM_UNHANDLED_IDS_UNASSIGNED, 0xa55a,
	                GH_RM_ERRORS_UNIMPLEMENTED, 4);
}

/* Proves two requests in flight are answered in order, each with its own seq (§6). */
RM_TEST(seq_two_in_flight)
{
	struct rm_msg m;

	if (!rm_expect_io("send seq 0x11",
	                  rm_send(GH_RM_MSG_TYPE_REQUEST, GH_RM_IDS_VM_GET_VMID, 0x11, NULL, 0)))
		return;
	if (!rm_expect_io("send seq 0x22", rm_send(GH_RM_MSG_TYPE_REQUEST, 0, 0x22, NULL, 0)))
		return;
	if (!rm_expect_io("first reply", rm_recv(&m, RM_REPLY_MS)))
		return;
	if (!rm_expect_reply("first reply", &m, GH_RM_IDS_VM_GET_VMID, 0x11, GH_RM_ERRORS_OK, 8))
		return;
	if (!rm_expect_io("second reply", rm_recv(&m, RM_REPLY_MS)))
		return;
	rm_expect_reply("second reply", &m, 0, 0x22, GH_RM_ERRORS_UNIMPLEMENTED, 4);
}

/* Fragmentation: requests of every size class up to the RM's limit are reassembled and answered;
 * one byte over the limit needs a 63rd continuation and is dropped (reference §6 Header: 232
 * payload bytes a message, at most 62 continuations, 14 616 bytes). */
#include <humpy/rm_rpc.h>

#define PROBE_ID GH_RM_UNHANDLED_IDS_UNASSIGNED

static u8 big[GH_RM_MESSAGE_MAX_PAYLOAD + GH_RM_MESSAGE_PAYLOAD];

/* A request of len bytes for an ID the RM does not handle: one UNIMPLEMENTED reply, seq echoed. */
static void round_trip(const char *what, u32 len)
{
	struct rm_msg m;
	u16 seq = rm_next_seq();

	for (u32 i = 0; i < len; i++)
		big[i] = (u8)(i ^ (i >> 8));
	if (!rm_expect_io(what, rm_call(PROBE_ID, seq, big, len, &m)))
		return;
	if (!rm_expect_reply(what, &m, PROBE_ID, seq, GH_RM_ERRORS_UNIMPLEMENTED, 4))
		return;
	ASSERT_TRUE("a second reply to one request", rm_quiet(RM_QUIET_MS));
}

/* Proves a header-only request (0 payload bytes) is one message and answered (§6: L = 0). */
RM_TEST(payload_0)
{
	round_trip("0-byte request", 0);
}

/* Proves 232 bytes, exactly one full message, are answered (§6: 240 - 8). */
RM_TEST(payload_232)
{
	ASSERT_EQ("messages for 232 bytes", rm_messages_for(GH_RM_MESSAGE_PAYLOAD), 1);
	round_trip("232-byte request", GH_RM_MESSAGE_PAYLOAD);
}

/* Proves 233 bytes, one continuation of 1 byte, are answered (§6). */
RM_TEST(payload_233)
{
	ASSERT_EQ("messages for 233 bytes", rm_messages_for(GH_RM_MESSAGE_PAYLOAD + 1), 2);
	round_trip("233-byte request", GH_RM_MESSAGE_PAYLOAD + 1);
}

/* Proves a 14 KiB request (62 continuations, the last of 183 bytes) makes the round trip (§6). */
RM_TEST(payload_14k)
{
	round_trip("14 KiB request", 14 * 1024);
}

/* Proves Linux's largest request, 62 x 232 = 14 384 bytes, is answered (§6). */
RM_TEST(payload_linux_max)
{
	round_trip("14 384-byte request", GH_RM_MESSAGE_LINUX_MAX_PAYLOAD);
}

/* Proves exactly 14 616 bytes (63 full messages, count 62) are answered (§6 RM_RPC_MAX_MSG_SIZE).
 */
RM_TEST(payload_14616)
{
	ASSERT_EQ("messages for 14 616 bytes", rm_messages_for(GH_RM_MESSAGE_MAX_PAYLOAD),
	          GH_RM_MESSAGE_MAX_FRAGMENTS + 1);
	round_trip("14 616-byte request", GH_RM_MESSAGE_MAX_PAYLOAD);
}

/* Proves 14 617 bytes (64 messages, count 63) are dropped whole: no reply to any of them, and the
 * RM answers the next request (§6: fragment count > 62 is dropped). */
RM_TEST(payload_14617)
{
	u16 seq = rm_next_seq();

	ASSERT_EQ("messages for 14 617 bytes", rm_messages_for(GH_RM_MESSAGE_MAX_PAYLOAD + 1),
	          GH_RM_MESSAGE_MAX_FRAGMENTS + 2);
	memset(big, 0x6b, GH_RM_MESSAGE_MAX_PAYLOAD + 1);
	if (!rm_expect_io("14 617-byte request", rm_send(GH_RM_MSG_TYPE_REQUEST, PROBE_ID, seq, big,
	                                                 GH_RM_MESSAGE_MAX_PAYLOAD + 1)))
		return;
	ASSERT_TRUE("the RM answered a 64-message request", rm_quiet(RM_QUIET_MS));
	rm_expect_alive("after 14 617 bytes");
}

/* Proves the length of a 14 KiB VM_GET_HYP_RESOURCES is the reassembled one: MSG_INVALID (§6:
 * length must be 4), a 4-byte reply. */
RM_TEST(payload_14k_length_checked)
{
	struct rm_msg m;

	memset(big, 0, 14 * 1024);
	rm_expect_call("14 KiB VM_GET_HYP_RESOURCES", GH_RM_IDS_VM_GET_HYP_RESOURCES, big,
	               14 * 1024, GH_RM_ERRORS_MSG_INVALID, 4, &m);
}

/* Proves two maximal requests back to back are each answered once, in order (§6). */
RM_TEST(payload_max_twice)
{
	round_trip("first 14 616-byte request", GH_RM_MESSAGE_MAX_PAYLOAD);
	RETURN_IF_FAILED();
	round_trip("second 14 616-byte request", GH_RM_MESSAGE_MAX_PAYLOAD);
}

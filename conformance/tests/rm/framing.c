/* Malformed traffic: each message §6 says the RM drops is dropped (no reply, ever), and the RM then
 * answers a normal request with its exact reply as the very next message (reference §6 Header). */
#include <humpy/rm_rpc.h>

/* An ID the RM does not handle: if it wrongly took a malformed message, its UNIMPLEMENTED reply
 * would come before the liveness check's. */
#define PROBE_ID  GH_RM_UNHANDLED_IDS_UNASSIGNED
#define PROBE_SEQ 0x0dd5U

static u8 msg[GH_RM_MESSAGE_SIZE];

/* Sends len bytes of msg as one message: nothing comes back, then the RM answers VM_GET_VMID. */
static void expect_dropped(const char *what, u32 len)
{
	if (!rm_expect_io(what, rm_send_raw(msg, len)))
		return;
	if (!rm_quiet(RM_QUIET_MS)) {
		struct rm_msg m;

		rm_recv(&m, RM_REPLY_MS);
		test_fail("%s: the RM answered (type %u id 0x%x seq 0x%x, %u bytes)", what, m.type,
		          m.id, m.seq, m.len);
		return;
	}
	rm_expect_alive(what);
}

/* A header-only request for PROBE_ID with byte 0 replaced. */
static void bad_byte0(const char *what, u8 byte0)
{
	rm_header(msg, GH_RM_MSG_TYPE_REQUEST, 0, PROBE_SEQ, PROBE_ID);
	msg[0] = byte0;
	expect_dropped(what, GH_RM_HEADER_SIZE);
}

/* Proves a message with API version 0 is dropped (§6: version must be 1). */
RM_TEST(drop_version_0)
{
	bad_byte0("version 0 (byte 0 0x20)", 0x20);
}

/* Proves a message with API version 2 is dropped (§6: version must be 1). */
RM_TEST(drop_version_2)
{
	bad_byte0("version 2 (byte 0 0x22)", 0x22);
}

/* Proves a message with API version 15 is dropped (§6: version must be 1). */
RM_TEST(drop_version_15)
{
	bad_byte0("version 15 (byte 0 0x2f)", 0x2f);
}

/* Proves a message whose header is 1 word is dropped (§6: header words must be 2). */
RM_TEST(drop_words_1)
{
	bad_byte0("1 header word (byte 0 0x11)", 0x11);
}

/* Proves a message whose header is 3 words is dropped, even with 12 bytes present (§6). */
RM_TEST(drop_words_3)
{
	rm_header(msg, GH_RM_MSG_TYPE_REQUEST, 0, PROBE_SEQ, PROBE_ID);
	msg[0] = 0x31;
	memset(msg + GH_RM_HEADER_SIZE, 0, 4);
	expect_dropped("3 header words (byte 0 0x31)", GH_RM_HEADER_SIZE + 4);
}

/* Proves a message whose header claims 0 words is dropped (§6: header words must be 2). */
RM_TEST(drop_words_0)
{
	bad_byte0("0 header words (byte 0 0x01)", 0x01);
}

/* Proves a 7-byte message (a header short by one) is dropped (§6: fewer than 8 bytes). */
RM_TEST(drop_short_7)
{
	rm_header(msg, GH_RM_MSG_TYPE_REQUEST, 0, PROBE_SEQ, GH_RM_IDS_VM_GET_VMID);
	expect_dropped("7-byte VM_GET_VMID", GH_RM_HEADER_SIZE - 1);
}

/* Proves a 1-byte message (0x21) is dropped (§6: fewer than 8 bytes). */
RM_TEST(drop_short_1)
{
	rm_header(msg, GH_RM_MSG_TYPE_REQUEST, 0, PROBE_SEQ, GH_RM_IDS_VM_GET_VMID);
	expect_dropped("1-byte message", 1);
}

/* Proves a 4-byte message (version, type and seq only) is dropped (§6: fewer than 8 bytes). */
RM_TEST(drop_short_4)
{
	rm_header(msg, GH_RM_MSG_TYPE_REQUEST, 0, PROBE_SEQ, GH_RM_IDS_VM_GET_VMID);
	expect_dropped("4-byte message", 4);
}

/* Proves a header-only request claiming 63 continuations is dropped (§6: at most 62). */
RM_TEST(drop_fragments_63_header)
{
	rm_header(msg, GH_RM_MSG_TYPE_REQUEST, GH_RM_MESSAGE_MAX_FRAGMENTS + 1, PROBE_SEQ,
	          PROBE_ID);
	expect_dropped("fragment count 63", GH_RM_HEADER_SIZE);
}

/* Proves a request of 64 short messages, each claiming 63 continuations, is dropped whole: the
 * count alone is refused, not the size (4 bytes a message, 256 in all, far below 14 616) (§6: at
 * most 62 continuations). */
RM_TEST(drop_fragments_63_short)
{
	for (u32 i = 0; i <= GH_RM_MESSAGE_MAX_FRAGMENTS + 1; i++) {
		rm_header(msg, i == 0 ? GH_RM_MSG_TYPE_REQUEST : GH_RM_MSG_TYPE_CONTINUATION,
		          GH_RM_MESSAGE_MAX_FRAGMENTS + 1, PROBE_SEQ, PROBE_ID);
		rm_put32(msg + GH_RM_HEADER_SIZE, i);
		if (!rm_expect_io("a 4-byte message of 64",
		                  rm_send_raw(msg, GH_RM_HEADER_SIZE + 4)))
			return;
	}
	ASSERT_TRUE("the RM answered a request of 63 continuations", rm_quiet(RM_QUIET_MS));
	rm_expect_alive("after 64 messages counting 63 continuations");
}

/* Proves a request of 63 short messages (count 62, 4 bytes each) is answered: the limit is the
 * count, and 62 continuations are allowed whatever their size (§6). */
RM_TEST(fragments_62_short)
{
	struct rm_msg m;

	for (u32 i = 0; i <= GH_RM_MESSAGE_MAX_FRAGMENTS; i++) {
		rm_header(msg, i == 0 ? GH_RM_MSG_TYPE_REQUEST : GH_RM_MSG_TYPE_CONTINUATION,
		          GH_RM_MESSAGE_MAX_FRAGMENTS, PROBE_SEQ, PROBE_ID);
		rm_put32(msg + GH_RM_HEADER_SIZE, i);
		if (!rm_expect_io("a 4-byte message of 63",
		                  rm_send_raw(msg, GH_RM_HEADER_SIZE + 4)))
			return;
	}
	if (!rm_expect_io("reply to 63 messages", rm_recv(&m, RM_REPLY_MS)))
		return;
	if (!rm_expect_reply("63 messages of 4 bytes", &m, PROBE_ID, PROBE_SEQ,
	                     GH_RM_ERRORS_UNIMPLEMENTED, 4))
		return;
	ASSERT_TRUE("a second reply to one request", rm_quiet(RM_QUIET_MS));
}

/* Proves a continuation with no message in progress is dropped, even one whose count is 0 (§6). */
RM_TEST(drop_stray_continuation)
{
	rm_header(msg, GH_RM_MSG_TYPE_CONTINUATION, 0, PROBE_SEQ, GH_RM_IDS_VM_GET_VMID);
	expect_dropped("a continuation out of nowhere", GH_RM_HEADER_SIZE);
}

/* Proves a continuation after a complete one-message request is dropped: the request is answered
 * once, the continuation not at all (§6). */
RM_TEST(drop_continuation_after_complete)
{
	struct rm_msg m;
	u16 seq = rm_next_seq();

	if (!rm_expect_io("VM_GET_VMID", rm_call(GH_RM_IDS_VM_GET_VMID, seq, NULL, 0, &m)) ||
	    !rm_expect_reply("VM_GET_VMID", &m, GH_RM_IDS_VM_GET_VMID, seq, GH_RM_ERRORS_OK, 8))
		return;
	rm_header(msg, GH_RM_MSG_TYPE_CONTINUATION, 0, seq, GH_RM_IDS_VM_GET_VMID);
	expect_dropped("a continuation of the answered request", GH_RM_HEADER_SIZE);
}

static u8 two[2 * GH_RM_MESSAGE_PAYLOAD];

/* Opens a 2-message request for PROBE_ID (its first message only). */
static bool open_partial(u16 seq)
{
	memset(two, 0x3c, sizeof(two));
	return rm_expect_io("first of 2 messages", rm_send_part(GH_RM_MSG_TYPE_REQUEST, PROBE_ID,
	                                                        seq, two, sizeof(two), 0, 1));
}

/*
 * A continuation of the open 2-message request with one header field wrong: dropped, and the
 * request stays open, so its right continuation then completes it (one UNIMPLEMENTED reply) (§6).
 */
static void mismatched(const char *what, u8 type, u8 count, u16 seq, u32 id)
{
	struct rm_msg m;

	if (!open_partial(PROBE_SEQ))
		return;
	rm_header(msg, type, count, seq, id);
	memset(msg + GH_RM_HEADER_SIZE, 0x3c, GH_RM_MESSAGE_PAYLOAD);
	if (!rm_expect_io(what, rm_send_raw(msg, GH_RM_MESSAGE_SIZE)))
		return;
	ASSERT_TRUE("the RM answered after a mismatched continuation", rm_quiet(RM_QUIET_MS));
	if (!rm_expect_io(
	        "the right continuation",
	        rm_send_part(GH_RM_MSG_TYPE_REQUEST, PROBE_ID, PROBE_SEQ, two, sizeof(two), 1, 1)))
		return;
	if (!rm_expect_io("reply to the completed request", rm_recv(&m, RM_REPLY_MS)))
		return;
	if (!rm_expect_reply("the completed request", &m, PROBE_ID, PROBE_SEQ,
	                     GH_RM_ERRORS_UNIMPLEMENTED, 4))
		return;
	rm_expect_alive(what);
}

/* Proves a continuation with another seq is dropped and leaves the partial message open (§6). */
RM_TEST(drop_continuation_wrong_seq)
{
	mismatched("continuation with seq + 1", GH_RM_MSG_TYPE_CONTINUATION, 1, PROBE_SEQ + 1,
	           PROBE_ID);
}

/* Proves a continuation with another message ID is dropped and leaves the partial open (§6). */
RM_TEST(drop_continuation_wrong_id)
{
	mismatched("continuation with another ID", GH_RM_MSG_TYPE_CONTINUATION, 1, PROBE_SEQ,
	           GH_RM_IDS_VM_GET_VMID);
}

/* Proves a continuation with another fragment count is dropped and leaves the partial open (§6). */
RM_TEST(drop_continuation_wrong_count)
{
	mismatched("continuation with count 2", GH_RM_MSG_TYPE_CONTINUATION, 2, PROBE_SEQ,
	           PROBE_ID);
}

/* Proves a new request discards a partial one: it is answered, and the old message's continuation
 * then finds nothing to continue and is dropped (§6). */
RM_TEST(new_request_discards_partial)
{
	struct rm_msg m;

	if (!open_partial(PROBE_SEQ))
		return;
	if (!rm_expect_io("VM_GET_VMID seq 0x77",
	                  rm_call(GH_RM_IDS_VM_GET_VMID, 0x77, NULL, 0, &m)) ||
	    !rm_expect_reply("VM_GET_VMID seq 0x77", &m, GH_RM_IDS_VM_GET_VMID, 0x77,
	                     GH_RM_ERRORS_OK, 8))
		return;
	if (!rm_expect_io("the old continuation", rm_send_part(GH_RM_MSG_TYPE_REQUEST, PROBE_ID,
	                                                       PROBE_SEQ, two, sizeof(two), 1, 1)))
		return;
	ASSERT_TRUE("the RM answered the discarded request", rm_quiet(RM_QUIET_MS));
	rm_expect_alive("after the discarded request");
}

/* Proves a truncated message (the first of 3 messages, then nothing) is never answered, and the
 * next request is (§6: a partial message waits; a new one discards it). */
RM_TEST(truncated_message)
{
	static u8 three[3 * GH_RM_MESSAGE_PAYLOAD];

	memset(three, 0x11, sizeof(three));
	if (!rm_expect_io("first of 3 messages",
	                  rm_send_part(GH_RM_MSG_TYPE_REQUEST, PROBE_ID, PROBE_SEQ, three,
	                               sizeof(three), 0, 2)))
		return;
	ASSERT_TRUE("the RM answered 2 of 3 messages", rm_quiet(RM_QUIET_MS));
	rm_expect_alive("after a truncated message");
}

/* A complete message of `type` from the VM: only requests are served (§6: the RM answers
 * requests; a VM has nothing to reply to and sends no notifications). */
static void not_a_request(const char *what, u8 type, u32 len)
{
	static u8 body[2 * GH_RM_MESSAGE_PAYLOAD];

	memset(body, 0, sizeof(body));
	if (!rm_expect_io(what, rm_send(type, GH_RM_IDS_VM_GET_VMID, PROBE_SEQ, body, len)))
		return;
	ASSERT_TRUE("the RM answered a message that is no request", rm_quiet(RM_QUIET_MS));
	rm_expect_alive(what);
}

/* Proves a REPLY sent to the RM (VM_GET_VMID, header only) is not answered (§6 message types). */
RM_TEST(drop_type_reply)
{
	not_a_request("a REPLY from the VM", GH_RM_MSG_TYPE_REPLY, 0);
}

/* Proves a NOTIFICATION sent to the RM is not answered (§6 message types). */
RM_TEST(drop_type_notification)
{
	not_a_request("a NOTIFICATION from the VM", GH_RM_MSG_TYPE_NOTIFICATION, 4);
}

/* Proves a 2-message REPLY sent to the RM is reassembled and still not answered (§6). */
RM_TEST(drop_type_reply_fragmented)
{
	not_a_request("a 2-message REPLY from the VM", GH_RM_MSG_TYPE_REPLY,
	              GH_RM_MESSAGE_PAYLOAD + 8);
}

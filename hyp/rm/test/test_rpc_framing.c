/* hyp/rm/test/test_rpc_framing.c: §6 framing with exact bytes: headers, echoed sequence numbers,
 * reassembly, the fragment limit, every drop rule, reply and notification fragmentation. */
#include "rpc_test.h"

/* The request VM_GET_VMID, seq 0x1234, as bytes on the wire. */
static const uint8_t get_vmid_req[8] = {0x21, 0x01, 0x34, 0x12, 0x24, 0x00, 0x00, 0x56};

/* The server still answers VM_GET_VMID with the caller's VMID, and sent nothing else. */
static void check_still_serves(struct rt_world *w)
{
	uint8_t data[4];
	size_t len = 0;

	CHECK_EQ(RM_OK, rt_call(w, 0, RM_VM_GET_VMID, NULL, 0, data, sizeof(data), &len));
	CHECK_EQ(4, len);
	CHECK_EQ(RT_PRIMARY, rm_rpc_get32(data));
}

/* VM_GET_VMID: the whole exchange, byte for byte (§6: reply echoes ID and seq, error word first).
 */
RPC_TEST(rpc_get_vmid_exact_bytes)
{
	struct rt_world *w = rt_world_new(&rm_rpc_pure_table);
	static const uint8_t want[16] = {0x21, 0x02, 0x34, 0x12, 0x24, 0x00, 0x00, 0x56,
	                                 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00};

	rt_raw(&w->rpc[0], get_vmid_req, sizeof(get_vmid_req));
	CHECK_EQ(1, w->chan[0].n);
	CHECK_EQ(16, w->chan[0].msgs[0].len);
	CHECK_BYTES(want, w->chan[0].msgs[0].bytes, 16);
	/* The peer's channel answers with its own VMID. */
	rt_raw(&w->rpc[1], get_vmid_req, sizeof(get_vmid_req));
	CHECK_EQ(1, w->chan[1].n);
	CHECK_EQ(RT_PEER, w->chan[1].msgs[0].bytes[12]);
	CHECK_EQ(0, w->chan[1].msgs[0].bytes[13]);
	CHECK_EQ(1, w->rpc[0].stats.requests);
	rt_world_free(w);
}

/* The reply carries the request's sequence number, for the extremes and in between. */
RPC_TEST(rpc_seq_echoed)
{
	struct rt_world *w = rt_world_new(&rm_rpc_pure_table);
	static const uint16_t seqs[] = {0x0000, 0x0001, 0x00FF, 0x0100, 0x8000, 0xFFFE, 0xFFFF};
	uint8_t msg[8];

	for (size_t i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++) {
		rt_hdr(msg, RM_RPC_TYPE_REQUEST, 0, seqs[i], RM_VM_GET_VMID);
		rt_raw(&w->rpc[0], msg, sizeof(msg));
		CHECK_EQ(i + 1, w->chan[0].n);
		CHECK_EQ(seqs[i], rm_rpc_get16(w->chan[0].msgs[i].bytes + 2));
		CHECK_EQ(RM_VM_GET_VMID, rm_rpc_get32(w->chan[0].msgs[i].bytes + 4));
	}
	rt_world_free(w);
}

/* Unknown IDs, ID 0 included, get the standard reply UNIMPLEMENTED: exactly 12 bytes. */
RPC_TEST(rpc_unknown_id_unimplemented)
{
	struct rt_world *w = rt_world_new(&rm_rpc_pure_table);
	static const uint32_t ids[] = {0, 0x56000099, 0xFFFFFFFF, 0x51000016, RM_VM_START};
	uint8_t msg[20] = {0};

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		uint8_t want[12];

		rt_hdr(msg, RM_RPC_TYPE_REQUEST, 0, (uint16_t)(0x4000 + i), ids[i]);
		rt_raw(&w->rpc[0], msg, i % 2 == 0 ? 8 : 20);
		rt_hdr(want, RM_RPC_TYPE_REPLY, 0, (uint16_t)(0x4000 + i), ids[i]);
		rm_rpc_put32(want + 8, RM_ERROR_UNIMPLEMENTED);
		CHECK_EQ(i + 1, w->chan[0].n);
		CHECK_EQ(12, w->chan[0].msgs[i].len);
		CHECK_BYTES(want, w->chan[0].msgs[i].bytes, 12);
	}
	CHECK_EQ(5, w->rpc[0].stats.unimplemented);
	check_still_serves(w);
	rt_world_free(w);
}

/* Fewer than 8 bytes: dropped without a reply (0..7 bytes of a valid header). */
RPC_TEST(rpc_drop_short)
{
	struct rt_world *w = rt_world_new(&rm_rpc_pure_table);

	for (size_t len = 0; len < 8; len++) {
		rt_raw(&w->rpc[0], get_vmid_req, len);
	}
	CHECK_EQ(0, w->chan[0].n);
	CHECK_EQ(8, w->rpc[0].stats.drop_short);
	check_still_serves(w);
	rt_world_free(w);
}

/* More than 240 bytes cannot come from the queue; the server does not trust the length either. */
RPC_TEST(rpc_drop_long)
{
	struct rt_world *w = rt_world_new(&rm_rpc_pure_table);
	uint8_t msg[241] = {0};

	rt_hdr(msg, RM_RPC_TYPE_REQUEST, 0, 1, RM_VM_GET_VMID);
	rt_raw(&w->rpc[0], msg, sizeof(msg));
	CHECK_EQ(0, w->chan[0].n);
	CHECK_EQ(1, w->rpc[0].stats.drop_long);
	check_still_serves(w);
	rt_world_free(w);
}

/* Byte 0: version != 1 or header words != 2 is dropped, whatever the rest says. */
RPC_TEST(rpc_drop_bad_byte0)
{
	struct rt_world *w = rt_world_new(&rm_rpc_pure_table);
	static const uint8_t bad_version[] = {0x20, 0x22, 0x23, 0x2F};
	static const uint8_t bad_words[] = {0x01, 0x11, 0x31, 0xF1, 0x12};
	uint8_t msg[8];

	for (size_t i = 0; i < sizeof(bad_version); i++) {
		memcpy(msg, get_vmid_req, 8);
		msg[0] = bad_version[i];
		rt_raw(&w->rpc[0], msg, 8);
	}
	for (size_t i = 0; i < sizeof(bad_words); i++) {
		memcpy(msg, get_vmid_req, 8);
		msg[0] = bad_words[i];
		rt_raw(&w->rpc[0], msg, 8);
	}
	CHECK_EQ(0, w->chan[0].n);
	/* 0x12 has version 2: counted there. */
	CHECK_EQ(5, w->rpc[0].stats.drop_version);
	CHECK_EQ(4, w->rpc[0].stats.drop_hdr_words);
	check_still_serves(w);
	rt_world_free(w);
}

/* A fragment count of 63 is dropped at once: as a lone request, as a start and as continuations;
 * 64 messages of it (a 14 617..14 848-byte payload) get no reply and leave nothing in progress. */
RPC_TEST(rpc_drop_fragments_63)
{
	struct rt_world *w = rt_world_new(&rm_rpc_pure_table);
	uint8_t msg[RM_RPC_MSG_SIZE] = {0};

	rt_hdr(msg, RM_RPC_TYPE_REQUEST, 63, 7, RM_VM_GET_VMID);
	CHECK_EQ(0xFD, msg[1]);
	rt_raw(&w->rpc[0], msg, 8);
	CHECK_EQ(0, w->chan[0].n);
	CHECK_EQ(1, w->rpc[0].stats.drop_fragments);
	for (int i = 0; i < 64; i++) {
		rt_hdr(msg, i == 0 ? RM_RPC_TYPE_REQUEST : RM_RPC_TYPE_CONTINUATION, 63, 8,
		       RM_VM_CONSOLE_WRITE);
		rt_raw(&w->rpc[0], msg, i == 63 ? 9 : sizeof(msg));
	}
	CHECK_EQ(0, w->chan[0].n);
	CHECK_EQ(65, w->rpc[0].stats.drop_fragments);
	CHECK(!w->rpc[0].is_partial);
	check_still_serves(w);
	rt_world_free(w);
}

/* Console write payload of n bytes: {target 0, n} then the bytes 'a' + i % 26. */
static size_t make_write(uint8_t *buf, size_t n)
{
	rm_rpc_put16(buf, 0);
	rm_rpc_put16(buf + 2, (uint16_t)n);
	for (size_t i = 0; i < n; i++) {
		buf[4 + i] = (uint8_t)('a' + i % 26);
	}
	return 4 + n;
}

static void open_own_console(struct rt_world *w, int chan)
{
	uint8_t req[4] = {0};

	CHECK_EQ(RM_OK, rt_call(w, chan, RM_VM_CONSOLE_OPEN, req, 4, NULL, 0, NULL));
}

/* The largest request, 14 616 bytes in 63 messages (fragment count 62), is reassembled byte for
 * byte and answered; the RM's copy of its bytes reaches the UART whole. */
RPC_TEST(rpc_max_request_62_fragments)
{
	struct rt_world *w = rt_world_new(&rm_rpc_pure_table);
	static uint8_t req[RM_RPC_MAX_PAYLOAD];
	size_t len = make_write(req, RM_RPC_MAX_PAYLOAD - 4);
	size_t at;

	CHECK_EQ(14616, len);
	open_own_console(w, 0);
	at = w->chan[0].n;
	w->uart_len = 0;
	rt_request(&w->rpc[0], RM_VM_CONSOLE_WRITE, 0x6262, req, len);
	/* Exactly one reply: OK. */
	CHECK_EQ(at + 1, w->chan[0].n);
	CHECK_EQ(12, w->chan[0].msgs[at].len);
	CHECK_EQ(0x6262, rm_rpc_get16(w->chan[0].msgs[at].bytes + 2));
	CHECK_EQ(RM_OK, rm_rpc_get32(w->chan[0].msgs[at].bytes + 8));
	CHECK_EQ(0, w->rpc[0].stats.drop_fragments);
	/* "[vm 3] " then the 14 612 bytes, no newline among them. */
	CHECK_EQ(7 + 14612, w->uart_len);
	CHECK_BYTES("[vm 3] ", w->uart, 7);
	CHECK_BYTES(req + 4, w->uart + 7, 14612);
	check_still_serves(w);
	rt_world_free(w);
}

/* Continuations that do not match the message in progress (ID, seq or count) are dropped and the
 * message still completes with its own; the payload is the concatenation of the matching ones. */
RPC_TEST(rpc_continuation_mismatch_dropped)
{
	struct rt_world *w = rt_world_new(&rm_rpc_pure_table);
	uint8_t req[4 + 300];
	uint8_t msg[RM_RPC_MSG_SIZE];
	size_t len = make_write(req, 300);

	open_own_console(w, 0);
	w->uart_len = 0;
	size_t at = w->chan[0].n;
	/* First: 232 bytes, one continuation to come. */
	rt_hdr(msg, RM_RPC_TYPE_REQUEST, 1, 0x55, RM_VM_CONSOLE_WRITE);
	memcpy(msg + 8, req, 232);
	rt_raw(&w->rpc[0], msg, 240);
	/* Wrong seq, wrong ID, wrong count: each with bytes that must not be used. */
	memset(msg + 8, 'X', 232);
	rt_hdr(msg, RM_RPC_TYPE_CONTINUATION, 1, 0x56, RM_VM_CONSOLE_WRITE);
	rt_raw(&w->rpc[0], msg, 8 + len - 232);
	rt_hdr(msg, RM_RPC_TYPE_CONTINUATION, 1, 0x55, RM_VM_CONSOLE_FLUSH);
	rt_raw(&w->rpc[0], msg, 8 + len - 232);
	rt_hdr(msg, RM_RPC_TYPE_CONTINUATION, 2, 0x55, RM_VM_CONSOLE_WRITE);
	rt_raw(&w->rpc[0], msg, 8 + len - 232);
	CHECK_EQ(at, w->chan[0].n);
	CHECK_EQ(3, w->rpc[0].stats.drop_mismatch);
	CHECK(w->rpc[0].is_partial);
	/* The right one completes it. */
	rt_hdr(msg, RM_RPC_TYPE_CONTINUATION, 1, 0x55, RM_VM_CONSOLE_WRITE);
	memcpy(msg + 8, req + 232, len - 232);
	rt_raw(&w->rpc[0], msg, 8 + len - 232);
	CHECK_EQ(at + 1, w->chan[0].n);
	CHECK_EQ(0x55, rm_rpc_get16(w->chan[0].msgs[at].bytes + 2));
	CHECK_EQ(RM_OK, rm_rpc_get32(w->chan[0].msgs[at].bytes + 8));
	CHECK_EQ(7 + 300, w->uart_len);
	CHECK_BYTES(req + 4, w->uart + 7, 300);
	/* One more continuation now has nothing in progress. */
	rt_raw(&w->rpc[0], msg, 8 + len - 232);
	CHECK_EQ(1, w->rpc[0].stats.drop_orphan);
	CHECK_EQ(at + 1, w->chan[0].n);
	rt_world_free(w);
}

/* A continuation with nothing in progress is dropped, also one whose header would complete a
 * single-message request. */
RPC_TEST(rpc_orphan_continuation_dropped)
{
	struct rt_world *w = rt_world_new(&rm_rpc_pure_table);
	uint8_t msg[8];

	rt_hdr(msg, RM_RPC_TYPE_CONTINUATION, 0, 1, RM_VM_GET_VMID);
	rt_raw(&w->rpc[0], msg, 8);
	rt_hdr(msg, RM_RPC_TYPE_CONTINUATION, 5, 1, RM_VM_GET_VMID);
	rt_raw(&w->rpc[0], msg, 8);
	CHECK_EQ(0, w->chan[0].n);
	CHECK_EQ(2, w->rpc[0].stats.drop_orphan);
	check_still_serves(w);
	rt_world_free(w);
}

/* A new first message discards the partial one: the new request is answered, the old one's
 * continuation then has nothing to join. */
RPC_TEST(rpc_new_message_discards_partial)
{
	struct rt_world *w = rt_world_new(&rm_rpc_pure_table);
	uint8_t msg[RM_RPC_MSG_SIZE] = {0};

	rt_hdr(msg, RM_RPC_TYPE_REQUEST, 1, 0x77, RM_VM_CONSOLE_WRITE);
	rt_raw(&w->rpc[0], msg, 240);
	rt_raw(&w->rpc[0], get_vmid_req, 8);
	CHECK_EQ(1, w->chan[0].n);
	CHECK_EQ(0x1234, rm_rpc_get16(w->chan[0].msgs[0].bytes + 2));
	CHECK_EQ(1, w->rpc[0].stats.drop_partial);
	rt_hdr(msg, RM_RPC_TYPE_CONTINUATION, 1, 0x77, RM_VM_CONSOLE_WRITE);
	rt_raw(&w->rpc[0], msg, 20);
	CHECK_EQ(1, w->chan[0].n);
	CHECK_EQ(1, w->rpc[0].stats.drop_orphan);
	/* A partial message interrupted by a notification-type first message is discarded too. */
	rt_hdr(msg, RM_RPC_TYPE_REQUEST, 2, 0x78, RM_VM_GET_VMID);
	rt_raw(&w->rpc[0], msg, 8);
	rt_hdr(msg, RM_RPC_TYPE_NOTIFICATION, 0, 0x79, RM_VM_GET_VMID);
	rt_raw(&w->rpc[0], msg, 8);
	CHECK_EQ(2, w->rpc[0].stats.drop_partial);
	CHECK_EQ(1, w->rpc[0].stats.drop_not_request);
	CHECK_EQ(1, w->chan[0].n);
	check_still_serves(w);
	rt_world_free(w);
}

/* Header-only fragments: a request of 0 bytes in three messages is still a request. */
RPC_TEST(rpc_empty_fragments_reassemble)
{
	struct rt_world *w = rt_world_new(&rm_rpc_pure_table);
	uint8_t msg[8];

	rt_hdr(msg, RM_RPC_TYPE_REQUEST, 2, 0x9, RM_VM_GET_VMID);
	rt_raw(&w->rpc[0], msg, 8);
	rt_hdr(msg, RM_RPC_TYPE_CONTINUATION, 2, 0x9, RM_VM_GET_VMID);
	rt_raw(&w->rpc[0], msg, 8);
	CHECK_EQ(0, w->chan[0].n);
	rt_raw(&w->rpc[0], msg, 8);
	CHECK_EQ(1, w->chan[0].n);
	CHECK_EQ(16, w->chan[0].msgs[0].len);
	CHECK_EQ(RT_PRIMARY, rm_rpc_get32(w->chan[0].msgs[0].bytes + 12));
	rt_world_free(w);
}

/* REPLY and NOTIFICATION messages from a VM are not requests: no answer. */
RPC_TEST(rpc_non_requests_dropped)
{
	struct rt_world *w = rt_world_new(&rm_rpc_pure_table);
	uint8_t msg[8];

	rt_hdr(msg, RM_RPC_TYPE_REPLY, 0, 1, RM_VM_GET_VMID);
	rt_raw(&w->rpc[0], msg, 8);
	rt_hdr(msg, RM_RPC_TYPE_NOTIFICATION, 0, 2, RM_VM_GET_VMID);
	rt_raw(&w->rpc[0], msg, 8);
	rt_hdr(msg, RM_RPC_TYPE_REPLY, 1, 3, RM_VM_GET_VMID);
	rt_raw(&w->rpc[0], msg, 8);
	rt_hdr(msg, RM_RPC_TYPE_CONTINUATION, 1, 3, RM_VM_GET_VMID);
	rt_raw(&w->rpc[0], msg, 8);
	CHECK_EQ(0, w->chan[0].n);
	CHECK_EQ(3, w->rpc[0].stats.drop_not_request);
	check_still_serves(w);
	rt_world_free(w);
}

/* A test table whose handler answers with as much data as the request's first byte says, in
 * units of 8 bytes (0xFF: one byte past the limit). */
static uint32_t big_reply(struct rm_rpc_call *call)
{
	size_t n;

	if (call->req_len != 4) {
		return RM_ERROR_MSG_INVALID;
	}
	n = rm_rpc_get32(call->req);
	for (size_t i = 0; i < n && i < call->reply_cap; i++) {
		call->reply[i] = (uint8_t)(i * 7);
	}
	call->reply_len = n;
	return RM_OK;
}

static const struct rm_rpc_handler big_rows[] = {{0x12345678, big_reply}};
static const struct rm_rpc_table big_table = {big_rows, 1};

static void check_reply_size(size_t data_len, size_t want_msgs)
{
	struct rt_world *w = rt_world_new(&big_table);
	static uint8_t out[RM_RPC_MAX_PAYLOAD];
	uint8_t req[4];
	size_t got = 0;

	rm_rpc_put32(req, (uint32_t)data_len);
	CHECK_EQ(RM_OK, rt_call(w, 0, 0x12345678, req, 4, out, sizeof(out), &got));
	CHECK_EQ(want_msgs, w->chan[0].n);
	CHECK_EQ(data_len, got);
	for (size_t i = 0; i < got; i++) {
		if (out[i] != (uint8_t)(i * 7)) {
			CHECK_EQ((uint8_t)(i * 7), out[i]);
			break;
		}
	}
	rt_world_free(w);
}

/* Replies split into 240-byte messages: 4 + 228 bytes fit one, 4 + 229 need two, the largest
 * (14 616 bytes) needs 63 with fragment count 62; rt_take checks every header. */
RPC_TEST(rpc_reply_fragmentation)
{
	check_reply_size(0, 1);
	check_reply_size(228, 1);
	check_reply_size(229, 2);
	check_reply_size(460, 2);
	check_reply_size(461, 3);
	check_reply_size(RM_RPC_MAX_REPLY_DATA, 63);
}

/* A handler claiming more than the reply buffer gets NOMEM, never a read past it. */
RPC_TEST(rpc_reply_overrun_refused)
{
	struct rt_world *w = rt_world_new(&big_table);
	uint8_t req[4];

	rm_rpc_put32(req, RM_RPC_MAX_REPLY_DATA + 1);
	CHECK_EQ(RM_ERROR_NOMEM, rt_call(w, 0, 0x12345678, req, 4, NULL, 0, NULL));
	CHECK_EQ(1, w->chan[0].n);
	rt_world_free(w);
}

/* Notifications: type 3, the RM's own seq counting up from 0, fragmented like replies; a payload
 * over 14 616 bytes is refused without sending anything. */
RPC_TEST(rpc_notify_framing)
{
	struct rt_world *w = rt_world_new(&rm_rpc_pure_table);
	static uint8_t big[RM_RPC_MAX_PAYLOAD + 1];
	static uint8_t out[RM_RPC_MAX_PAYLOAD];
	static const uint8_t want0[8] = {0x21, 0x03, 0x00, 0x00, 0x08, 0x00, 0x10, 0x56};
	size_t at = 0;

	for (size_t i = 0; i < sizeof(big); i++) {
		big[i] = (uint8_t)(i ^ (i >> 8));
	}
	CHECK_EQ(0, rm_rpc_notify(&w->rpc[0], RM_NOTIFY_VM_STATUS, NULL, 0));
	CHECK_EQ(1, w->chan[0].n);
	CHECK_EQ(8, w->chan[0].msgs[0].len);
	CHECK_BYTES(want0, w->chan[0].msgs[0].bytes, 8);
	at = 1;
	CHECK_EQ(0, rm_rpc_notify(&w->rpc[0], 0x51100011, big, 233));
	CHECK_EQ(233, rt_take(&w->chan[0], &at, RM_RPC_TYPE_NOTIFICATION, 1, 0x51100011, out,
	                      sizeof(out)));
	CHECK_BYTES(big, out, 233);
	CHECK_EQ(0, rm_rpc_notify(&w->rpc[0], 0x51100012, big, RM_RPC_MAX_PAYLOAD));
	CHECK_EQ(RM_RPC_MAX_PAYLOAD, rt_take(&w->chan[0], &at, RM_RPC_TYPE_NOTIFICATION, 2,
	                                     0x51100012, out, sizeof(out)));
	CHECK_BYTES(big, out, RM_RPC_MAX_PAYLOAD);
	CHECK_EQ(1 + 2 + 63, w->chan[0].n);
	CHECK_EQ(-1, rm_rpc_notify(&w->rpc[0], 0x51100013, big, RM_RPC_MAX_PAYLOAD + 1));
	CHECK_EQ(66, w->chan[0].n);
	rt_world_free(w);
}

/* A send the transport refuses abandons the rest of that message; the next request is served. */
RPC_TEST(rpc_send_failure_abandons_message)
{
	struct rt_world *w = rt_world_new(&big_table);
	uint8_t req[4];

	rm_rpc_put32(req, 1000); /* 1004 bytes: 5 messages */
	w->chan[0].fail_at = 2;
	rt_request(&w->rpc[0], 0x12345678, 1, req, 4);
	CHECK_EQ(2, w->chan[0].n);
	CHECK_EQ(1, w->rpc[0].stats.send_failed);
	w->chan[0].n = 0;
	check_reply_size(1000, 5);
	rt_world_free(w);
}

/* Every fragment count 0..62 with full fragments reassembles to the exact payload length. */
RPC_TEST(rpc_every_fragment_count)
{
	struct rt_world *w = rt_world_new(&rm_rpc_pure_table);
	static uint8_t req[RM_RPC_MAX_PAYLOAD];

	open_own_console(w, 0);
	for (size_t f = 0; f <= 62; f++) { /* not the header's constant: a wrong one must fail */
		size_t len = make_write(req, (f + 1) * RM_RPC_FRAG_PAYLOAD - 4);
		size_t at = w->chan[0].n;

		w->uart_len = 0;
		rt_request(&w->rpc[0], RM_VM_CONSOLE_WRITE, (uint16_t)f, req, len);
		CHECK_EQ(at + 1, w->chan[0].n);
		CHECK_EQ(RM_OK, rm_rpc_get32(w->chan[0].msgs[at].bytes + 8));
		/* The prefix comes once: no write ends its line. */
		CHECK_EQ((f == 0 ? 7 : 0) + len - 4, w->uart_len);
	}
	rt_world_free(w);
}

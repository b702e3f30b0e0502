/* Robustness: thousands of seeded random and mutated messages, then a normal request still gets its
 * exact reply (issue 11 point 6; reference §6: the RM never trusts a length, count or ID). Every
 * message the RM sends back meanwhile must have a valid header. The seed is in every FAIL reason:
 * the same seed sends the same messages. */
#include <humpy/arch.h>
#include <humpy/rm_rpc.h>
#include <humpy/tlimit.h>

#define ROBUST_MESSAGES 1500U
/* 1500 messages took up to 2.5 s under QEMU TCG on a loaded host, past the default per-test limit:
 * each storm test re-arms the guest's limit for itself (still well inside the harness's 20 s idle
 * limit). */
#define ROBUST_LIMIT_MS 12000U
#define PROBE_ID        GH_RM_UNHANDLED_IDS_UNASSIGNED

static u8 out[GH_RM_MESSAGE_SIZE];
static u8 in[GH_RM_MESSAGE_SIZE];
static u32 replies, bad_headers;
static bool sentinel_seen;

/* The seq of the request that ends a storm: no storm message carries it (sanitize), so its reply
 * marks the point after which the RM has answered everything the storm sent. */
#define SENTINEL_SEQ 0xc0deU

/* Keeps the storm to questions: an ID in the RM's request ranges other than the three read-only
 * calls becomes an ID it does not handle, so no message can stop, reset or share anything; and no
 * message takes the sentinel's seq. */
static void sanitize(u8 *msg, u32 len)
{
	u32 id, top;

	if (len >= GH_RM_HEADER_SEQ_OFFSET + 2 &&
	    rm_get16(msg + GH_RM_HEADER_SEQ_OFFSET) == SENTINEL_SEQ)
		msg[GH_RM_HEADER_SEQ_OFFSET] ^= 1;
	if (len < GH_RM_HEADER_SIZE)
		return;
	id = rm_get32(msg + GH_RM_HEADER_ID_OFFSET);
	top = id >> 24;
	if ((top == (GH_RM_IDS_VM_GET_VMID >> 24) || top == (GH_RM_IDS_MEM_SHARE >> 24)) &&
	    id != GH_RM_IDS_VM_GET_VMID && id != GH_RM_IDS_VM_GET_HYP_RESOURCES &&
	    id != GH_RM_IDS_VM_GET_STATE)
		rm_put32(msg + GH_RM_HEADER_ID_OFFSET, PROBE_ID);
}

/* Takes whatever the RM has sent, counting it; a message shorter than a header or whose byte 0 is
 * not 0x21 is a bad header (the storm does not reassemble, so only that much is judged). True when
 * the sentinel's reply was among them (sentinel_seen). */
static void drain(void)
{
	u64 args[8] = {0};

	args[0] = rm_chan_get()->rx_cap;
	args[1] = (u64)(uintptr_t)in;
	args[2] = sizeof(in);
	for (;;) {
		struct gh_ret r = gh_native(GH_HVC_MSGQUEUE_RECEIVE, args);

		if (r.x[0] != 0)
			return;
		replies++;
		if (r.x[1] < GH_RM_HEADER_SIZE || in[0] != GH_RM_HEADER_BYTE0)
			bad_headers++;
		else if ((in[1] & GH_RM_HEADER_TYPE_MASK) == GH_RM_MSG_TYPE_REPLY &&
		         rm_get16(in + GH_RM_HEADER_SEQ_OFFSET) == SENTINEL_SEQ &&
		         rm_get32(in + GH_RM_HEADER_ID_OFFSET) == GH_RM_IDS_VM_GET_VMID)
			sentinel_seen = true;
	}
}

/* One message; while the RM's queue is full, take its replies (it may be waiting for room in ours)
 * and let it run. False if it stays full for RM_REPLY_MS. */
static bool storm_send(u32 len)
{
	u64 deadline = timer_now() + timer_freq() * RM_REPLY_MS / 1000;
	u64 args[8] = {0};

	if (len == 0)
		len = 1; /* a 0-byte send is refused by the queue, not the RM */
	args[0] = rm_chan_get()->tx_cap;
	args[1] = len;
	args[2] = (u64)(uintptr_t)out;
	args[3] = 1;
	for (;;) {
		struct gh_ret r = gh_native(GH_HVC_MSGQUEUE_SEND, args);

		drain();
		if (r.x[0] == 0)
			return true;
		if (r.x[0] != (u64)GH_ERROR_MSGQUEUE_FULL || timer_now() >= deadline)
			return false;
		gh_native(GH_HVC_SCHEDULER_YIELD, NULL);
	}
}

static bool storm_send(u32 len);

/* After the storm: a VM_GET_VMID with the sentinel seq, and the RM's messages taken until its reply
 * (the RM answers in order, so everything before it belongs to the storm); none of them malformed;
 * then a normal request gets its exact reply as the very next message. */
static void after_storm(const char *what, u32 seed)
{
	u64 deadline = timer_now() + timer_freq() * 4 * RM_REPLY_MS / 1000;

	rm_header(out, GH_RM_MSG_TYPE_REQUEST, 0, SENTINEL_SEQ, GH_RM_IDS_VM_GET_VMID);
	sentinel_seen = false;
	if (!storm_send(GH_RM_HEADER_SIZE)) {
		test_fail("%s (seed 0x%x): the TX queue stayed full", what, seed);
		return;
	}
	for (;;) {
		drain();
		if (sentinel_seen)
			break;
		if (timer_now() >= deadline) {
			test_fail("%s (seed 0x%x): no reply to VM_GET_VMID seq 0x%x within %u ms",
			          what, seed, SENTINEL_SEQ, 4 * RM_REPLY_MS);
			return;
		}
		gh_native(GH_HVC_SCHEDULER_YIELD, NULL);
	}
	if (bad_headers) {
		test_fail("%s (seed 0x%x): %u of %u messages from the RM had a bad header", what,
		          seed, bad_headers, replies);
		return;
	}
	rm_expect_alive(what);
}

/* Proves the RM survives ROBUST_MESSAGES messages of random length (1..240) and random bytes, a
 * quarter of them with a valid byte 0 so the type, count, seq and ID checks are reached too, and
 * then answers VM_GET_VMID exactly (§6). */
RM_TEST(robust_random)
{
	u32 seed = 0x5eed0001U, state = seed;

	tlimit_arm(ROBUST_LIMIT_MS);
	replies = bad_headers = 0;
	for (u32 n = 0; n < ROBUST_MESSAGES; n++) {
		u32 len = 1 + rm_rand(&state) % GH_RM_MESSAGE_SIZE;

		for (u32 i = 0; i < len; i++)
			out[i] = (u8)rm_rand(&state);
		if (rm_rand(&state) % 4 == 0)
			out[0] = GH_RM_HEADER_BYTE0;
		sanitize(out, len);
		if (!storm_send(len)) {
			test_fail("random message %u (seed 0x%x): the TX queue stayed full", n,
			          seed);
			return;
		}
	}
	after_storm("after random messages", seed);
}

/* A valid request to mutate: one of the three read-only calls or an unhandled ID, with a payload of
 * the call's size (or random for the unhandled ID), any fragment position. */
static u32 valid_seed(u32 *state)
{
	static const u32 ids[] = {GH_RM_IDS_VM_GET_VMID, GH_RM_IDS_VM_GET_HYP_RESOURCES,
	                          GH_RM_IDS_VM_GET_STATE, PROBE_ID};
	u32 pick = rm_rand(state) % ARRAY_SIZE(ids);
	u32 len = pick == 0 ? 0 : pick < 3 ? 4 : rm_rand(state) % (GH_RM_MESSAGE_PAYLOAD + 1);
	u8 type = rm_rand(state) % 3 == 0 ? GH_RM_MSG_TYPE_CONTINUATION : GH_RM_MSG_TYPE_REQUEST;

	rm_header(out, type, (u8)(rm_rand(state) % 3), (u16)rm_rand(state), ids[pick]);
	memset(out + GH_RM_HEADER_SIZE, 0, len);
	if (pick == 3)
		for (u32 i = 0; i < len; i++)
			out[GH_RM_HEADER_SIZE + i] = (u8)rm_rand(state);
	return GH_RM_HEADER_SIZE + len;
}

/* Proves the RM survives ROBUST_MESSAGES mutations of valid requests (a flipped bit in the header,
 * a byte of the header replaced, the message cut short or lengthened, the fragment count at or past
 * the limit) and then answers VM_GET_VMID exactly (§6). */
RM_TEST(robust_mutated)
{
	u32 seed = 0x5eed0002U, state = seed;

	tlimit_arm(ROBUST_LIMIT_MS);
	replies = bad_headers = 0;
	for (u32 n = 0; n < ROBUST_MESSAGES; n++) {
		u32 len = valid_seed(&state);

		switch (rm_rand(&state) % 5) {
		case 0:
			out[rm_rand(&state) % GH_RM_HEADER_SIZE] ^=
			    (u8)(1U << (rm_rand(&state) % 8));
			break;
		case 1:
			out[rm_rand(&state) % GH_RM_HEADER_SIZE] = (u8)rm_rand(&state);
			break;
		case 2:
			len = rm_rand(&state) % (len + 1);
			break;
		case 3:
			while (len < GH_RM_MESSAGE_SIZE && rm_rand(&state) % 8)
				out[len++] = (u8)rm_rand(&state);
			break;
		default:
			out[1] = (u8)((out[1] & GH_RM_HEADER_TYPE_MASK) |
			              ((GH_RM_MESSAGE_MAX_FRAGMENTS + rm_rand(&state) % 2)
			               << GH_RM_HEADER_FRAGMENTS_SHIFT));
			break;
		}
		sanitize(out, len);
		if (!storm_send(len)) {
			test_fail("mutated message %u (seed 0x%x): the TX queue stayed full", n,
			          seed);
			return;
		}
	}
	after_storm("after mutated messages", seed);
}

/* What the model expects next from the RM: a reply to (id, seq) with err and, for VM_GET_VMID, the
 * VMID after it. */
struct expected {
	u32 id;
	u16 seq;
	u32 err;
	u32 len;
};

#define MODEL_STEPS       600U
#define MODEL_OUTSTANDING 4U

static struct expected model_q[MODEL_OUTSTANDING + 1];
static u32 model_n;

/* Receives the oldest outstanding reply and checks it exactly; false (FAIL) if it differs. */
static bool model_take(u32 step, u32 seed)
{
	struct rm_msg m;
	struct expected e = model_q[0];
	char what[80];

	snprintf(what, sizeof(what), "step %u (seed 0x%x), reply to id 0x%x seq 0x%x", step, seed,
	         e.id, e.seq);
	if (!rm_expect_io(what, rm_recv(&m, RM_REPLY_MS)) ||
	    !rm_expect_reply(what, &m, e.id, e.seq, e.err, e.len))
		return false;
	if (e.id == GH_RM_IDS_VM_GET_VMID && rm_get32(m.payload + 4) != rm_chan_get()->vmid) {
		test_fail("%s: VMID 0x%x", what, rm_get32(m.payload + 4));
		return false;
	}
	memmove(model_q, model_q + 1, (model_n - 1) * sizeof(model_q[0]));
	model_n--;
	return true;
}

/* A request the model knows the answer to: VM_GET_VMID, or an unhandled ID with 0..3 continuations
 * of random bytes. */
static bool model_request(u32 *state, u32 step, u32 seed)
{
	static u8 payload[4 * GH_RM_MESSAGE_PAYLOAD];
	struct expected e;
	u32 len = 0;

	e.seq = (u16)rm_rand(state);
	if (rm_rand(state) % 2) {
		e.id = GH_RM_IDS_VM_GET_VMID;
		e.err = GH_RM_ERRORS_OK;
		e.len = 8;
	} else {
		e.id = PROBE_ID;
		e.err = GH_RM_ERRORS_UNIMPLEMENTED;
		e.len = 4;
		len = rm_rand(state) % sizeof(payload);
		for (u32 i = 0; i < len; i++)
			payload[i] = (u8)rm_rand(state);
	}
	if (model_n == MODEL_OUTSTANDING && !model_take(step, seed))
		return false;
	model_q[model_n++] = e;
	return rm_expect_io("model request",
	                    rm_send(GH_RM_MSG_TYPE_REQUEST, e.id, e.seq, payload, len));
}

/* One message §6 says the RM drops, built on a VM_GET_VMID header so an RM that took it would
 * answer. */
static u32 model_malformed(u32 *state)
{
	u32 len = GH_RM_HEADER_SIZE + rm_rand(state) % 16;

	rm_header(out, GH_RM_MSG_TYPE_REQUEST, 0, (u16)rm_rand(state), GH_RM_IDS_VM_GET_VMID);
	for (u32 i = GH_RM_HEADER_SIZE; i < len; i++)
		out[i] = 0;
	switch (rm_rand(state) % 7) {
	case 0: /* version not 1 */
		out[0] = (u8)((out[0] & 0xf0) | (2 + rm_rand(state) % 14));
		break;
	case 1: /* header words not 2 */
		out[0] = (u8)((out[0] & 0x0f) | ((3 + rm_rand(state) % 13) << 4));
		break;
	case 2: /* shorter than a header */
		return 1 + rm_rand(state) % (GH_RM_HEADER_SIZE - 1);
	case 3: /* 63 or more continuations announced */
		out[1] = (u8)(GH_RM_MSG_TYPE_REQUEST |
		              ((GH_RM_MESSAGE_MAX_FRAGMENTS + 1) << GH_RM_HEADER_FRAGMENTS_SHIFT));
		break;
	case 4: /* a continuation with nothing in progress */
		out[1] = GH_RM_MSG_TYPE_CONTINUATION;
		break;
	case 5: /* a reply, which the RM does not answer */
		out[1] = GH_RM_MSG_TYPE_REPLY;
		break;
	default: /* a notification, likewise */
		out[1] = GH_RM_MSG_TYPE_NOTIFICATION;
		break;
	}
	return len;
}

/* Proves MODEL_STEPS steps of valid requests (answered), malformed messages (dropped) and
 * abandoned partial messages (discarded by the next request), seeded, with up to 4 requests in
 * flight: every reply arrives in order, exact (error, length, seq, ID, VMID), and no other message
 * arrives (§6: drops, discards, seq echo, in-order answers). */
RM_TEST(robust_model)
{
	u32 seed = 0x5eed0003U, state = seed;

	tlimit_arm(ROBUST_LIMIT_MS);
	model_n = 0;
	for (u32 step = 0; step < MODEL_STEPS; step++) {
		u32 action = rm_rand(&state) % 4;

		if (action == 0) {
			u32 len = model_malformed(&state);

			if (!rm_expect_io("malformed message", rm_send_raw(out, len)))
				return;
		} else if (action == 1) {
			/* The first of 2..4 messages, then a request that discards it. */
			static u8 part[GH_RM_MESSAGE_PAYLOAD];

			if (!rm_expect_io(
			        "partial message",
			        rm_send_part(GH_RM_MSG_TYPE_REQUEST, GH_RM_IDS_VM_GET_VMID,
			                     (u16)rm_rand(&state), part,
			                     GH_RM_MESSAGE_PAYLOAD * (1 + rm_rand(&state) % 3) + 1,
			                     0, 1)))
				return;
			if (!model_request(&state, step, seed))
				return;
		} else if (!model_request(&state, step, seed)) {
			return;
		}
	}
	while (model_n)
		if (!model_take(MODEL_STEPS, seed))
			return;
	ASSERT_TRUE("a message after the last expected reply", rm_quiet(RM_QUIET_MS));
}

/* Robustness: thousands of seeded random and mutated messages, then a normal request still gets its
 * exact reply (issue 11 point 6; reference §6: the RM never trusts a length, count or ID). Every
 * message the RM sends back meanwhile must have a valid header. The seed is in every FAIL reason:
 * the same seed sends the same messages. */
#include <humpy/arch.h>
#include <humpy/rm_rpc.h>
#include <humpy/tlimit.h>

#define ROBUST_MESSAGES 1500U
/* 1500 messages take about 2.5 s under QEMU TCG, past the default per-test limit: each storm test
 * re-arms the guest's limit for itself (still well inside the harness's 20 s idle limit). */
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

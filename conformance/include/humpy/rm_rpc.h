/*
 * The guest's Resource Manager RPC client (reference §6): the channel as the device tree describes
 * it, requests fragmented into messages, replies and notifications reassembled, and a raw mode for
 * malformed traffic. Every wait is bounded; nothing here is a constant of one build: caps, VIRQs,
 * the message size and the VMID come from the tree, the rest from the spec (GH_RM_*).
 */
#ifndef HUMPY_RM_RPC_H
#define HUMPY_RM_RPC_H

#include <humpy/test.h>

/* The SKIP reason of every rm.* test when the tree has no /hypervisor node (root profile). */
#define RM_NO_NODE_REASON "no /hypervisor node"

/* What the device tree says about the RM channel. */
struct rm_chan {
	bool found;          /* /hypervisor exists */
	const char *problem; /* NULL when the RPC node is usable, else what is wrong with it */
	int hyp;             /* the /hypervisor node */
	int node;            /* the RPC node (compatible GH_RM_DT_COMPATIBLE) */
	int vmid_node;       /* the qcom,gunyah-vm-id node, -1 if none */
	u64 tx_cap;          /* reg[0]: the queue the VM sends on */
	u64 rx_cap;          /* reg[1]: the queue the VM receives from */
	u32 irq_cells[2][3]; /* interrupts, TX then RX, as written */
	u32 tx_intid;        /* the VIRQs as GIC INTIDs */
	u32 rx_intid;
	u32 tx_msg_size; /* qcom,tx-message-size, 0 if absent */
	u32 rx_msg_size;
	u32 vmid; /* qcom,vmid of the vm-id node, ~0 if absent */
};

/* Read from the tree on first use. */
const struct rm_chan *rm_chan_get(void);

/* Outcomes of the transport calls; rm_io_what() says more about the last one that failed. */
enum rm_io {
	RM_IO_OK = 0,
	RM_IO_TIMEOUT,    /* nothing (or not all) within the time given */
	RM_IO_HYP,        /* a msgqueue call answered an error other than FULL / EMPTY */
	RM_IO_FRAMING,    /* a received message broke the header or fragment rules */
	RM_IO_UNEXPECTED, /* a reply that answers another request (rm_call) */
	RM_IO_TOO_BIG,    /* the payload needs more fragments than the header can count */
};
const char *rm_io_what(void);

/* A reassembled message; payload points into the client's buffer until the next receive. */
struct rm_msg {
	u8 type;
	u8 fragments; /* the header's additional-fragment count */
	u16 seq;
	u32 id;
	u32 len; /* payload bytes, the RM error word of a reply included */
	const u8 *payload;
};

/* How long a reply may take, and how long the client watches for one that should not come. */
#define RM_REPLY_MS 500
#define RM_QUIET_MS 20

/* Little-endian field access (any alignment). */
static inline u16 rm_get16(const u8 *p)
{
	return (u16)(p[0] | (p[1] << 8));
}
static inline u32 rm_get32(const u8 *p)
{
	return (u32)p[0] | ((u32)p[1] << 8) | ((u32)p[2] << 16) | ((u32)p[3] << 24);
}
static inline u64 rm_get64(const u8 *p)
{
	return (u64)rm_get32(p) | ((u64)rm_get32(p + 4) << 32);
}
static inline void rm_put16(u8 *p, u16 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
}
static inline void rm_put32(u8 *p, u32 v)
{
	rm_put16(p, (u16)v);
	rm_put16(p + 2, (u16)(v >> 16));
}
static inline void rm_put64(u8 *p, u64 v)
{
	rm_put32(p, (u32)v);
	rm_put32(p + 4, (u32)(v >> 32));
}

/* The 8-byte header: version 1, 2 words, then type, fragment count, seq and message ID (§6). */
void rm_header(u8 *out, u8 type, u8 fragments, u16 seq, u32 id);

/* One message queue send of exactly these bytes (PUSH set), waiting while the queue is full. */
enum rm_io rm_send_raw(const void *bytes, u32 len);
/*
 * The payload split into messages of the channel's size: the first of `type`, the rest
 * continuations with the same ID, seq and fragment count. rm_send_part sends only messages
 * first..first+count-1 of that sequence: how tests truncate or interleave a message.
 */
enum rm_io rm_send(u8 type, u32 id, u16 seq, const void *payload, u32 len);
enum rm_io rm_send_part(u8 type, u32 id, u16 seq, const void *payload, u32 len, u32 first,
                        u32 count);
/* Messages rm_send needs for len payload bytes (1 + continuations). */
u32 rm_messages_for(u32 len);

/* The next single message off the RX queue, as it came (buf of the channel's message size). */
enum rm_io rm_recv_raw(u8 *buf, u32 *len, u32 ms);
/* The next complete message (fragments reassembled and checked: type 0, same ID, seq and count,
 * every fragment but the last full). */
enum rm_io rm_recv(struct rm_msg *m, u32 ms);
/* True when nothing arrives within ms (a message that did arrive is kept for rm_recv). */
bool rm_quiet(u32 ms);

/* The next sequence number this client uses (cyclic, 0 included). */
u16 rm_next_seq(void);
/* Sends a request and receives until its reply: notifications on the way are kept (rm_notif_*),
 * a reply to anything else is RM_IO_UNEXPECTED (in *m). */
enum rm_io rm_call(u32 id, u16 seq, const void *req, u32 len, struct rm_msg *m);

/* Notifications kept by rm_call and rm_recv_notif since the test began (oldest first). */
#define RM_NOTIF_MAX     16
#define RM_NOTIF_PAYLOAD 256
struct rm_notif {
	u32 id;
	u16 seq;
	u32 len; /* the whole payload; at most RM_NOTIF_PAYLOAD of it kept */
	u8 payload[RM_NOTIF_PAYLOAD];
};
u32 rm_notif_count(void);
const struct rm_notif *rm_notif_at(u32 i);
/* Waits (bounded) for a notification of `id` not yet consumed and consumes it; NULL if none. */
const struct rm_notif *rm_notif_wait(u32 id, u32 ms);

/*
 * Test checks; each records FAIL (what, expected, got) and returns false. rm_expect_reply: m is a
 * REPLY to (id, seq) of exactly len payload bytes led by err. rm_expect_call: rm_call then that.
 */
bool rm_expect_io(const char *what, enum rm_io io);
bool rm_expect_reply(const char *what, const struct rm_msg *m, u32 id, u16 seq, u32 err, u32 len);
bool rm_expect_call(const char *what, u32 id, const void *req, u32 len, u32 err, u32 reply_len,
                    struct rm_msg *m);
/* The RM still answers: VM_GET_VMID with a fresh seq is the very next reply, exact (§6). */
bool rm_expect_alive(const char *what);

/* Per-test state: SKIP without /hypervisor, FAIL on a broken node, drain leftovers. */
const struct rm_chan *rm_test_begin(void);
void rm_test_end(void);

/*
 * RM_TEST(name) { ... } defines test rm.name with `rm` (const struct rm_chan *): SKIP with
 * RM_NO_NODE_REASON when the tree has no /hypervisor node; cleanup however it returns.
 */
#define RM_TEST(name)                                                                              \
	static void rm_body_##name(const struct rm_chan *rm);                                      \
	TEST(rm, name)                                                                             \
	{                                                                                          \
		const struct rm_chan *rm_ = rm_test_begin();                                       \
		if (!rm_)                                                                          \
			return;                                                                    \
		rm_body_##name(rm_);                                                               \
		rm_test_end();                                                                     \
	}                                                                                          \
	static void rm_body_##name(const struct rm_chan *rm UNUSED)

/* Checks the first n bytes of a payload against expected ones; FAILs naming the first difference.
 */
bool rm_expect_bytes(const char *what, const u8 *got, const u8 *expected, u32 n);

/* A 32-bit pseudo-random stream for the robustness tests (xorshift, seeded). */
u32 rm_rand(u32 *state);

#endif

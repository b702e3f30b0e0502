/*
 * The guest's Resource Manager RPC client (reference §6): the channel from the device tree, the
 * message framing both ways, and the per-test state of conformance/tests/rm/. The client only
 * polls its RX queue (yielding between polls, every wait bounded by the generic counter); tests
 * that check the VIRQs enable them themselves.
 */
#include <humpy/arch.h>
#include <humpy/fdt.h>
#include <humpy/irq.h>
#include <humpy/plat.h>
#include <humpy/rm_rpc.h>

#define RM_HDR     GH_RM_HEADER_SIZE
#define RM_CHUNK   GH_RM_MESSAGE_PAYLOAD
#define RM_MAX_MSG 1024U /* the largest max_msg_size a queue can have (§4) */
/* The header counts up to 63 continuations: room for everything the field can say. */
#define RM_FRAG_FIELD_MAX (GH_RM_HEADER_FRAGMENTS_MASK)
#define RM_RX_BUF         ((RM_FRAG_FIELD_MAX + 1) * RM_CHUNK)

static struct rm_chan chan;
static bool chan_read;

static char io_what[160];

/* A message rm_quiet saw arrive, handed to the next receive. */
static u8 held[RM_MAX_MSG];
static u32 held_len;
static bool held_valid;

static u8 rx_payload[RM_RX_BUF];
static u8 tx_msg[RM_MAX_MSG];
static u16 seq_next;

static struct rm_notif notifs[RM_NOTIF_MAX];
static bool notif_used[RM_NOTIF_MAX];
static u32 notif_n;

const char *rm_io_what(void)
{
	return io_what;
}

static enum rm_io io_fail(enum rm_io io, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static enum rm_io io_fail(enum rm_io io, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(io_what, sizeof(io_what), fmt, ap);
	va_end(ap);
	return io;
}

/* ---- the channel, from the device tree ---- */

static u32 be32_at(const u8 *p, u32 i)
{
	return fdt_be32(p + 4 * i);
}

/* A GIC interrupt specifier (3 cells) as an INTID: SPI n is 32 + n, PPI n is 16 + n. */
static bool cells_to_intid(const u32 cells[3], u32 *intid)
{
	if (cells[0] == GH_RM_DT_CELLS_SPI_TYPE &&
	    cells[1] < IRQ_INTID_LIMIT - GH_RM_DT_CELLS_SPI_BASE) {
		*intid = cells[1] + GH_RM_DT_CELLS_SPI_BASE;
		return true;
	}
	if (cells[0] == 1 && cells[1] < 16) {
		*intid = cells[1] + 16;
		return true;
	}
	return false;
}

static const char *chan_discover(struct rm_chan *c)
{
	const u8 *irqs;
	u32 len, icells = 0;
	u64 size;
	int gic;

	c->hyp = fdt_path_offset(GH_RM_DT_HYPERVISOR_PATH);
	c->node = c->vmid_node = -1;
	c->vmid = ~0U;
	if (c->hyp < 0)
		return NULL;
	c->found = true;
	c->node = fdt_find_compatible(-1, GH_RM_DT_COMPATIBLE);
	if (c->node < 0)
		return "no node compatible with " GH_RM_DT_COMPATIBLE;
	if (fdt_parent(c->node) != c->hyp)
		return "the " GH_RM_DT_COMPATIBLE
		       " node is not a child of " GH_RM_DT_HYPERVISOR_PATH;
	if (!fdt_reg(c->node, 0, &c->tx_cap, &size) || !fdt_reg(c->node, 1, &c->rx_cap, &size))
		return "its reg does not hold two cap IDs";
	gic = fdt_find_compatible(-1, plat.gic_version == 2 ? "arm,cortex-a15-gic" : "arm,gic-v3");
	if (gic < 0 && plat.gic_version == 2)
		gic = fdt_find_compatible(-1, "arm,gic-400");
	if (gic < 0 || !fdt_prop_u32(gic, "#interrupt-cells", &icells) || icells != 3)
		return "no arm,gic-v3 (GICv2: arm,cortex-a15-gic or arm,gic-400) node with "
		       "#interrupt-cells 3";
	irqs = fdt_prop(c->node, "interrupts", &len);
	if (!irqs || len != 2 * 3 * 4)
		return "its interrupts is not two 3-cell specifiers";
	for (u32 i = 0; i < 2; i++)
		for (u32 j = 0; j < 3; j++)
			c->irq_cells[i][j] = be32_at(irqs, 3 * i + j);
	if (!cells_to_intid(c->irq_cells[0], &c->tx_intid) ||
	    !cells_to_intid(c->irq_cells[1], &c->rx_intid))
		return "its interrupts name no SPI or PPI";
	fdt_prop_u32(c->node, GH_RM_DT_TX_MESSAGE_SIZE, &c->tx_msg_size);
	fdt_prop_u32(c->node, GH_RM_DT_RX_MESSAGE_SIZE, &c->rx_msg_size);
	c->vmid_node = fdt_find_compatible(-1, GH_RM_DT_VM_ID_COMPATIBLE);
	if (c->vmid_node >= 0)
		fdt_prop_u32(c->vmid_node, GH_RM_DT_VMID_PROP, &c->vmid);
	return NULL;
}

const struct rm_chan *rm_chan_get(void)
{
	if (!chan_read) {
		chan.problem = chan_discover(&chan);
		chan_read = true;
	}
	return &chan;
}

/* Bytes a message may have each way: the tree's sizes, the spec's when it does not say. */
static u32 tx_size(void)
{
	u32 s = chan.tx_msg_size ? chan.tx_msg_size : GH_RM_MESSAGE_SIZE;

	return s > RM_MAX_MSG ? RM_MAX_MSG : s;
}

static u32 rx_size(void)
{
	u32 s = chan.rx_msg_size ? chan.rx_msg_size : GH_RM_MESSAGE_SIZE;

	return s > RM_MAX_MSG ? RM_MAX_MSG : s;
}

/* ---- bounded waiting ---- */

static u64 deadline_after(u32 ms)
{
	return timer_now() + (timer_freq() * ms) / 1000;
}

static bool past(u64 deadline)
{
	return timer_now() >= deadline;
}

/* Lets the RM run: a plain yield (control 0), which returns to the caller (§2 scheduler_yield). */
static void let_rm_run(void)
{
	gh_native(GH_HVC_SCHEDULER_YIELD, NULL);
}

/* ---- sending ---- */

void rm_header(u8 *out, u8 type, u8 fragments, u16 seq, u32 id)
{
	out[0] = (u8)(GH_RM_HEADER_VERSION | (GH_RM_HEADER_WORDS << GH_RM_HEADER_WORDS_SHIFT));
	out[1] = (u8)((type & GH_RM_HEADER_TYPE_MASK) |
	              ((fragments & GH_RM_HEADER_FRAGMENTS_MASK) << GH_RM_HEADER_FRAGMENTS_SHIFT));
	rm_put16(out + GH_RM_HEADER_SEQ_OFFSET, seq);
	rm_put32(out + GH_RM_HEADER_ID_OFFSET, id);
}

enum rm_io rm_send_raw(const void *bytes, u32 len)
{
	u64 deadline = deadline_after(RM_REPLY_MS);
	u64 args[8] = {0};

	args[0] = chan.tx_cap;
	args[1] = len;
	args[2] = (u64)(uintptr_t)bytes;
	args[3] = 1; /* PUSH: the RM's receive VIRQ for every message (§4) */
	for (;;) {
		struct gh_ret r = gh_native(GH_HVC_MSGQUEUE_SEND, args);

		if (r.x[0] == 0)
			return RM_IO_OK;
		if (r.x[0] != (u64)GH_ERROR_MSGQUEUE_FULL)
			return io_fail(RM_IO_HYP, "msgqueue_send(tx cap, %u bytes) x0 0x%lx", len,
			               r.x[0]);
		if (past(deadline))
			return io_fail(RM_IO_TIMEOUT, "TX queue still full after %u ms",
			               RM_REPLY_MS);
		let_rm_run();
	}
}

u32 rm_messages_for(u32 len)
{
	return len == 0 ? 1 : (len + RM_CHUNK - 1) / RM_CHUNK;
}

enum rm_io rm_send_part(u8 type, u32 id, u16 seq, const void *payload, u32 len, u32 first,
                        u32 count)
{
	const u8 *p = payload;
	u32 n = rm_messages_for(len);

	if (n - 1 > RM_FRAG_FIELD_MAX)
		return io_fail(RM_IO_TOO_BIG, "%u payload bytes need %u continuations", len, n - 1);
	if (RM_HDR + RM_CHUNK > tx_size())
		return io_fail(RM_IO_TOO_BIG, "the TX queue's messages hold %u bytes", tx_size());
	for (u32 i = first; i < n && i < first + count; i++) {
		u32 off = i * RM_CHUNK;
		u32 chunk = len - off < RM_CHUNK ? len - off : RM_CHUNK;
		enum rm_io io;

		if (len == 0)
			chunk = 0;
		rm_header(tx_msg, i == 0 ? type : GH_RM_MSG_TYPE_CONTINUATION, (u8)(n - 1), seq,
		          id);
		memcpy(tx_msg + RM_HDR, p + off, chunk);
		io = rm_send_raw(tx_msg, RM_HDR + chunk);
		if (io != RM_IO_OK)
			return io;
	}
	return RM_IO_OK;
}

enum rm_io rm_send(u8 type, u32 id, u16 seq, const void *payload, u32 len)
{
	return rm_send_part(type, id, seq, payload, len, 0, ~0U);
}

/* ---- receiving ---- */

enum rm_io rm_recv_raw(u8 *buf, u32 *len, u32 ms)
{
	u64 deadline = deadline_after(ms);
	u64 args[8] = {0};

	if (held_valid) {
		memcpy(buf, held, held_len);
		*len = held_len;
		held_valid = false;
		return RM_IO_OK;
	}
	args[0] = chan.rx_cap;
	args[1] = (u64)(uintptr_t)buf;
	args[2] = rx_size();
	for (;;) {
		struct gh_ret r = gh_native(GH_HVC_MSGQUEUE_RECEIVE, args);

		if (r.x[0] == 0) {
			*len = (u32)r.x[1];
			if (r.x[1] > rx_size())
				return io_fail(RM_IO_HYP, "msgqueue_receive size %lu > %u", r.x[1],
				               rx_size());
			return RM_IO_OK;
		}
		if (r.x[0] != (u64)GH_ERROR_MSGQUEUE_EMPTY)
			return io_fail(RM_IO_HYP, "msgqueue_receive(rx cap) x0 0x%lx", r.x[0]);
		if (past(deadline))
			return io_fail(RM_IO_TIMEOUT, "nothing from the RM within %u ms", ms);
		let_rm_run();
	}
}

bool rm_quiet(u32 ms)
{
	u32 len;

	if (held_valid)
		return false;
	if (rm_recv_raw(held, &len, ms) != RM_IO_OK)
		return true;
	held_len = len;
	held_valid = true;
	return false;
}

/* The header of one received message, checked for version and words. */
static enum rm_io parse_header(const u8 *b, u32 len, struct rm_msg *h)
{
	if (len < RM_HDR)
		return io_fail(RM_IO_FRAMING, "a %u-byte message from the RM", len);
	if (b[0] != GH_RM_HEADER_BYTE0)
		return io_fail(RM_IO_FRAMING, "byte 0 of an RM message is 0x%x, not 0x%x", b[0],
		               GH_RM_HEADER_BYTE0);
	h->type = b[1] & GH_RM_HEADER_TYPE_MASK;
	h->fragments = (u8)(b[1] >> GH_RM_HEADER_FRAGMENTS_SHIFT);
	h->seq = rm_get16(b + GH_RM_HEADER_SEQ_OFFSET);
	h->id = rm_get32(b + GH_RM_HEADER_ID_OFFSET);
	return RM_IO_OK;
}

enum rm_io rm_recv(struct rm_msg *m, u32 ms)
{
	static u8 raw[RM_MAX_MSG];
	u32 len;
	enum rm_io io = rm_recv_raw(raw, &len, ms);

	if (io != RM_IO_OK)
		return io;
	io = parse_header(raw, len, m);
	if (io != RM_IO_OK)
		return io;
	if (m->type == GH_RM_MSG_TYPE_CONTINUATION)
		return io_fail(RM_IO_FRAMING, "a continuation (id 0x%x seq 0x%x) opens a message",
		               m->id, m->seq);
	if (m->fragments > GH_RM_MESSAGE_MAX_FRAGMENTS)
		return io_fail(RM_IO_FRAMING, "the RM sent %u continuations (at most %u)",
		               m->fragments, GH_RM_MESSAGE_MAX_FRAGMENTS);
	if (m->fragments && len != RM_HDR + RM_CHUNK)
		return io_fail(RM_IO_FRAMING, "first of %u fragments has %u payload bytes, not %u",
		               m->fragments + 1, len - RM_HDR, RM_CHUNK);
	m->len = len - RM_HDR;
	memcpy(rx_payload, raw + RM_HDR, m->len);
	for (u32 i = 1; i <= m->fragments; i++) {
		struct rm_msg c;

		io = rm_recv_raw(raw, &len, ms);
		if (io != RM_IO_OK)
			return io_fail(io, "fragment %u of %u (id 0x%x): %s", i + 1,
			               m->fragments + 1, m->id, io_what);
		io = parse_header(raw, len, &c);
		if (io != RM_IO_OK)
			return io;
		if (c.type != GH_RM_MSG_TYPE_CONTINUATION || c.id != m->id || c.seq != m->seq ||
		    c.fragments != m->fragments)
			return io_fail(
			    RM_IO_FRAMING,
			    "fragment %u: type %u id 0x%x seq 0x%x count %u after type %u id "
			    "0x%x seq 0x%x count %u",
			    i + 1, c.type, c.id, c.seq, c.fragments, m->type, m->id, m->seq,
			    m->fragments);
		if (len == RM_HDR || (i < m->fragments && len != RM_HDR + RM_CHUNK))
			return io_fail(RM_IO_FRAMING, "fragment %u of %u has %u payload bytes",
			               i + 1, m->fragments + 1, len - RM_HDR);
		memcpy(rx_payload + m->len, raw + RM_HDR, len - RM_HDR);
		m->len += len - RM_HDR;
	}
	m->payload = rx_payload;
	return RM_IO_OK;
}

u16 rm_next_seq(void)
{
	return seq_next++;
}

static void notif_keep(const struct rm_msg *m)
{
	struct rm_notif *n;

	if (notif_n >= RM_NOTIF_MAX)
		return;
	n = &notifs[notif_n];
	notif_used[notif_n++] = false;
	n->id = m->id;
	n->seq = m->seq;
	n->len = m->len;
	memcpy(n->payload, m->payload, m->len < RM_NOTIF_PAYLOAD ? m->len : RM_NOTIF_PAYLOAD);
}

u32 rm_notif_count(void)
{
	return notif_n;
}

const struct rm_notif *rm_notif_at(u32 i)
{
	return i < notif_n ? &notifs[i] : NULL;
}

const struct rm_notif *rm_notif_wait(u32 id, u32 ms)
{
	u64 deadline = deadline_after(ms);

	for (;;) {
		struct rm_msg m;
		u64 now = timer_now();
		u32 left;

		for (u32 i = 0; i < notif_n; i++) {
			if (!notif_used[i] && notifs[i].id == id) {
				notif_used[i] = true;
				return &notifs[i];
			}
		}
		if (now >= deadline)
			return NULL;
		left = (u32)((deadline - now) * 1000 / timer_freq()) + 1;
		if (rm_recv(&m, left) != RM_IO_OK)
			return NULL;
		if (m.type != GH_RM_MSG_TYPE_NOTIFICATION) {
			io_fail(RM_IO_UNEXPECTED,
			        "type %u id 0x%x seq 0x%x while waiting for a notification", m.type,
			        m.id, m.seq);
			return NULL;
		}
		notif_keep(&m);
	}
}

enum rm_io rm_call(u32 id, u16 seq, const void *req, u32 len, struct rm_msg *m)
{
	enum rm_io io = rm_send(GH_RM_MSG_TYPE_REQUEST, id, seq, req, len);

	if (io != RM_IO_OK)
		return io;
	for (;;) {
		io = rm_recv(m, RM_REPLY_MS);
		if (io != RM_IO_OK)
			return io;
		if (m->type == GH_RM_MSG_TYPE_NOTIFICATION) {
			notif_keep(m);
			continue;
		}
		if (m->type != GH_RM_MSG_TYPE_REPLY || m->id != id || m->seq != seq)
			return io_fail(
			    RM_IO_UNEXPECTED,
			    "type %u id 0x%x seq 0x%x (%u bytes) before the reply to id 0x%x "
			    "seq 0x%x",
			    m->type, m->id, m->seq, m->len, id, seq);
		return RM_IO_OK;
	}
}

/* ---- checks ---- */

bool rm_expect_io(const char *what, enum rm_io io)
{
	if (io == RM_IO_OK)
		return true;
	test_fail("%s: %s", what, io_what);
	return false;
}

bool rm_expect_reply(const char *what, const struct rm_msg *m, u32 id, u16 seq, u32 err, u32 len)
{
	if (m->type != GH_RM_MSG_TYPE_REPLY || m->id != id || m->seq != seq) {
		test_fail("%s: expected a reply to id 0x%x seq 0x%x got type %u id 0x%x seq 0x%x",
		          what, id, seq, m->type, m->id, m->seq);
		return false;
	}
	if (m->len < 4 || rm_get32(m->payload) != err) {
		test_fail("%s: expected RM error 0x%x got 0x%x (%u bytes)", what, err,
		          m->len < 4 ? 0xdeadU : rm_get32(m->payload), m->len);
		return false;
	}
	if (m->len != len) {
		test_fail("%s: expected a %u-byte reply payload got %u", what, len, m->len);
		return false;
	}
	return true;
}

bool rm_expect_call(const char *what, u32 id, const void *req, u32 len, u32 err, u32 reply_len,
                    struct rm_msg *m)
{
	u16 seq = rm_next_seq();

	return rm_expect_io(what, rm_call(id, seq, req, len, m)) &&
	       rm_expect_reply(what, m, id, seq, err, reply_len);
}

bool rm_expect_alive(const char *what)
{
	struct rm_msg m;
	char w[96];

	snprintf(w, sizeof(w), "%s, then VM_GET_VMID", what);
	if (!rm_expect_call(w, GH_RM_IDS_VM_GET_VMID, NULL, 0, GH_RM_ERRORS_OK, 8, &m))
		return false;
	if (rm_get32(m.payload + 4) != chan.vmid) {
		test_fail("%s: VMID 0x%x, the tree says 0x%x", w, rm_get32(m.payload + 4),
		          chan.vmid);
		return false;
	}
	return true;
}

bool rm_expect_bytes(const char *what, const u8 *got, const u8 *expected, u32 n)
{
	for (u32 i = 0; i < n; i++) {
		if (got[i] != expected[i]) {
			test_fail("%s: byte %u expected 0x%02x got 0x%02x", what, i, expected[i],
			          got[i]);
			return false;
		}
	}
	return true;
}

u32 rm_rand(u32 *state)
{
	u32 x = *state ? *state : 0x9e3779b9U;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

/* ---- per test ---- */

const struct rm_chan *rm_test_begin(void)
{
	const struct rm_chan *c = rm_chan_get();
	u8 *junk = held;
	u32 len;

	if (!c->found) {
		test_skip(RM_NO_NODE_REASON);
		return NULL;
	}
	if (c->problem) {
		test_fail("RM node: %s", c->problem);
		return NULL;
	}
	/* Whatever an earlier test left (a late notification, an unread reply) is not this test's.
	 */
	held_valid = false;
	for (u32 i = 0; i < 4 * GH_RM_MESSAGE_MAX_FRAGMENTS; i++)
		if (rm_recv_raw(junk, &len, 0) != RM_IO_OK)
			break;
	notif_n = 0;
	io_what[0] = '\0';
	return c;
}

void rm_test_end(void)
{
	held_valid = false;
	irq_reset();
}

/* rm_rpc: the RM's RPC server (hyp/rm/rpc.c and the pure handlers) on arbitrary message streams
 * from two VMs: the primary (VMID 3, owned by the RM) and a peer it owns (0x80), each with its own
 * channel.
 *
 * Input: records until the input ends, each {u8 ctl, u8 len, len bytes} (short records read as
 * zero). ctl bit 0: the channel (0 primary, 1 peer); bits 1-2: what the record is:
 *   0  one message of exactly those bytes (len 0..255, so lengths under 8 and over 240 too);
 *   1  the same with byte 0 set to 0x21 (version 1, 2 words), to get past the header check;
 *   2  a message and its continuations: the record (byte 0 set to 0x21) is the first message,
 *      then one continuation per fragment its header announces, with the same ID, seq and
 *      count, 232 bytes each but the last, which has len % 233 (large requests in few bytes);
 *   3  an RM notification on the channel: ID = bytes 0..3, length = u16 at 4 % 14 618 (so
 *      14 617, one too many, occurs), payload the record's bytes repeated.
 *
 * Oracle (a second, independent reading of gunyah-abi.md §6 on the harness side):
 *   rm-rpc-message      every message the RM sends is 8..240 bytes, byte 0 0x21, type REPLY or
 *                       NOTIFICATION then CONTINUATIONs with the same ID, seq and count <= 62,
 *                       every one but the last 240 bytes, the last at least 8;
 *   rm-rpc-reply        a REPLY exactly when the harness's own reassembly completed a REQUEST on
 *                       that channel, echoing its ID and seq, at least the 4-byte error word, only
 *                       the word when it is not OK; an ID outside the table gets UNIMPLEMENTED;
 *   rm-rpc-notify-seq   each channel's notifications count 0, 1, 2 ...;
 *   rm-rpc-notify-size  a notification over 14 616 bytes is refused, one within it is sent;
 *   rm-rpc-uart         every UART line is "[vm N] " then printable bytes or tabs;
 *   rm-rpc-still-serves after the input, VM_GET_VMID on each channel gets exactly
 *                       21 02 <seq> 24 00 00 56 00 00 00 00 <vmid> 00 00.
 * ASan and UBSan catch the rest (reads past a message, the reassembly buffer, the reply). */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../hyp/rm/rm_abi.h"
#include "../../hyp/rm/rpc.h"
#include "../../hyp/rm/rpc_handlers.h"
#include "../../hyp/rm/vm_state.h"
#include "oracle.h"

#define RR_CHANS     2
#define RR_MAX_SENT  512 /* per record: a 63-message reply, CHARS both ways, status */
#define RR_WIRE_MSG  240
#define RR_WIRE_PAY  232
#define RR_WIRE_FRAG 62
#define RR_WIRE_MAX  14616

static const uint16_t rr_vmid[RR_CHANS] = {3, 0x80};

struct rr_sent {
	uint16_t len;
	uint8_t bytes[RR_WIRE_MSG];
};

/* The harness's own reassembly state of one channel. */
struct rr_shadow {
	bool is_active;
	uint8_t type, count, missing;
	uint16_t seq;
	uint32_t id;
};

struct rr_chan {
	size_t n_sent;
	struct rr_sent sent[RR_MAX_SENT];
	struct rr_shadow shadow;
	uint16_t next_notify_seq;
};

struct rr_world {
	struct rm_vms vms;
	struct rm_rpc rpc[RR_CHANS];
	struct rr_chan chan[RR_CHANS];
	int uart_state; /* where in "[vm N] " the next UART byte is; 7: in the line's text */
};

static struct rr_world *rr;

static int rr_send(void *ctx, const void *msg, size_t len)
{
	struct rr_chan *c = ctx;

	if (len < 8 || len > RR_WIRE_MSG) {
		oracle_fail("rm-rpc-message", "a message of %zu bytes", len);
	}
	if (c->n_sent == RR_MAX_SENT) {
		oracle_fail("rm-rpc-message", "more than %d messages for one record", RR_MAX_SENT);
	}
	c->sent[c->n_sent].len = (uint16_t)len;
	memcpy(c->sent[c->n_sent].bytes, msg, len);
	c->n_sent++;
	return 0;
}

/* "[vm " digits "] " at the start of every line, then printable ASCII or tabs up to '\n'. */
static void rr_console_write(void *ctx, const char *bytes, size_t len)
{
	static const char head[] = "[vm ";

	(void)ctx;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)bytes[i];
		int s = rr->uart_state;
		bool ok;

		if (s < 4) {
			ok = c == (unsigned char)head[s];
			rr->uart_state = s + 1;
		} else if (s == 4 || s == 5) { /* a digit, then digits or ']' */
			ok = (c >= '0' && c <= '9') || (s == 5 && c == ']');
			rr->uart_state = c == ']' ? 6 : 5;
		} else if (s == 6) {
			ok = c == ' ';
			rr->uart_state = 7;
		} else {
			ok = c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7F);
			rr->uart_state = c == '\n' ? 0 : 7;
		}
		if (!ok) {
			oracle_fail("rm-rpc-uart", "byte 0x%02x in UART state %d", c, s);
		}
	}
}

static uint32_t rr_vm_exit(void *ctx, uint16_t vmid)
{
	(void)ctx;
	(void)vmid;
	return RM_OK;
}

static const struct rm_rpc_ops rr_ops = {rr_send, rr_console_write, rr_vm_exit};

static void rr_world_init(void)
{
	struct rm_resource tx = {RM_RES_MSGQ_TX, RM_VMID_RM, 0, 0, 0x1234, 0, 45, 0, 0};
	struct rm_resource rx = {RM_RES_MSGQ_RX, RM_VMID_RM, 0, 0, 0x5678, 0, 46, 0, 0};
	struct rm_vm *primary, *peer;

	if (rr == NULL) {
		rr = calloc(1, sizeof(*rr));
		if (rr == NULL) {
			abort();
		}
	}
	rm_vms_init(&rr->vms);
	primary = rm_vm_add(&rr->vms, rr_vmid[0], RM_VMID_RM);
	peer = rm_vm_add(&rr->vms, rr_vmid[1], rr_vmid[0]);
	if (primary == NULL || peer == NULL || !rm_vm_add_resource(primary, &tx) ||
	    !rm_vm_add_resource(primary, &rx)) {
		abort();
	}
	primary->vm_status = RM_VM_STATUS_RUNNING;
	peer->vm_status = RM_VM_STATUS_RUNNING;
	for (int i = 0; i < RR_CHANS; i++) {
		memset(&rr->chan[i].shadow, 0, sizeof(rr->chan[i].shadow));
		rr->chan[i].n_sent = 0;
		rr->chan[i].next_notify_seq = 0;
		rm_rpc_init(&rr->rpc[i], rr_vmid[i], &rr->vms, &rm_rpc_pure_table, &rr_ops,
		            &rr->chan[i]);
	}
	rr->uart_state = 0;
}

static bool rr_in_table(uint32_t id)
{
	for (size_t i = 0; i < rm_rpc_pure_table.count; i++) {
		if (rm_rpc_pure_table.rows[i].msg_id == id) {
			return true;
		}
	}
	return false;
}

/* The harness's §6 reading of one message from the VM: returns true when it completes a
 * REQUEST, with its ID and seq. */
static bool rr_shadow_feed(struct rr_shadow *s, const uint8_t *m, size_t len, uint32_t *id,
                           uint16_t *seq)
{
	uint8_t type, count;
	uint16_t mseq;
	uint32_t mid;

	if (len < 8 || len > RR_WIRE_MSG || m[0] != 0x21) {
		return false;
	}
	type = m[1] & 3;
	count = m[1] >> 2;
	if (count > RR_WIRE_FRAG) {
		return false;
	}
	mseq = (uint16_t)(m[2] | m[3] << 8);
	mid = (uint32_t)m[4] | (uint32_t)m[5] << 8 | (uint32_t)m[6] << 16 | (uint32_t)m[7] << 24;
	if (type != 0) {
		s->is_active = true;
		s->type = type;
		s->count = count;
		s->missing = count;
		s->seq = mseq;
		s->id = mid;
	} else if (!s->is_active || s->id != mid || s->seq != mseq || s->count != count) {
		return false;
	} else {
		s->missing--;
	}
	if (s->missing != 0) {
		return false;
	}
	s->is_active = false;
	*id = s->id;
	*seq = s->seq;
	return s->type == 1;
}

/* Checks what the RM sent on channel c for one record: well-formed messages; exactly one reply
 * (to id/seq) when want_reply; notifications in sequence. */
static void rr_check_sent(int c, bool want_reply, uint32_t id, uint16_t seq)
{
	struct rr_chan *ch = &rr->chan[c];
	size_t i = 0, replies = 0;

	while (i < ch->n_sent) {
		const uint8_t *h = ch->sent[i].bytes;
		uint8_t type = h[1] & 3, count = h[1] >> 2;
		size_t payload = 0;
		uint32_t err;

		/* The first message's type, its count, and all its fragments sent. */
		if (h[0] != 0x21 || (type != 2 && type != 3) || count > RR_WIRE_FRAG ||
		    i + count >= ch->n_sent) {
			oracle_fail(
			    "rm-rpc-message",
			    "chan %d message %zu: byte0 0x%02x type %u count %u of %zu sent", c, i,
			    h[0], type, count, ch->n_sent);
		}
		for (size_t k = 0; k <= count; k++) {
			const struct rr_sent *m = &ch->sent[i + k];

			if ((k != 0 && (m->bytes[0] != 0x21 || m->bytes[1] != (count << 2))) ||
			    memcmp(m->bytes + 2, h + 2, 6) != 0 || (k < count && m->len != 240)) {
				oracle_fail(
				    "rm-rpc-message",
				    "chan %d fragment %zu of message %zu: header or size %u", c, k,
				    i, m->len);
			}
			payload += m->len - 8u;
		}
		if (type == 3) {
			uint16_t nseq = (uint16_t)(h[2] | h[3] << 8);

			if (nseq != ch->next_notify_seq) {
				oracle_fail("rm-rpc-notify-seq", "chan %d: seq %u, expected %u", c,
				            nseq, ch->next_notify_seq);
			}
			ch->next_notify_seq++;
		} else {
			uint32_t rid = rm_rpc_get32(h + 4);
			uint16_t rseq = rm_rpc_get16(h + 2);

			replies++;
			if (!want_reply || rid != id || rseq != seq || payload < 4) {
				oracle_fail(
				    "rm-rpc-reply",
				    "chan %d: reply id 0x%x seq %u (%zu bytes); expected %s "
				    "id 0x%x seq %u",
				    c, rid, rseq, payload, want_reply ? "" : "none,", id, seq);
			}
			err = rm_rpc_get32(h + 8);
			if ((err != RM_OK && payload != 4) ||
			    (!rr_in_table(id) && err != RM_ERROR_UNIMPLEMENTED)) {
				oracle_fail("rm-rpc-reply", "id 0x%x: error 0x%x with %zu bytes",
				            id, err, payload);
			}
		}
		i += count + 1u;
	}
	if (replies != (want_reply ? 1u : 0u)) {
		oracle_fail("rm-rpc-reply", "chan %d: %zu replies, expected %d", c, replies,
		            want_reply);
	}
	ch->n_sent = 0;
}

static void rr_feed(int c, const uint8_t *msg, size_t len)
{
	/* An exact-size copy: ASan sees a read past the message's end. */
	uint8_t *copy = malloc(len != 0 ? len : 1);
	uint32_t id = 0;
	uint16_t seq = 0;
	bool want;

	if (copy == NULL) {
		abort();
	}
	memcpy(copy, msg, len);
	want = rr_shadow_feed(&rr->chan[c].shadow, copy, len, &id, &seq);
	rm_rpc_receive(&rr->rpc[c], copy, len);
	free(copy);
	rr_check_sent(c, want, id, seq);
	rr_check_sent(1 - c, false, 0, 0);
}

static void rr_train(int c, const uint8_t *first, size_t len)
{
	uint8_t msg[RR_WIRE_MSG];
	uint8_t count;

	if (len < 8) {
		rr_feed(c, first, len);
		return;
	}
	memcpy(msg, first, len > RR_WIRE_MSG ? RR_WIRE_MSG : len);
	msg[0] = 0x21;
	count = msg[1] >> 2;
	rr_feed(c, msg, len > RR_WIRE_MSG ? RR_WIRE_MSG : len);
	for (unsigned k = 1; k <= count; k++) { /* 63 too: a 64-message train */
		size_t n = k < count ? RR_WIRE_PAY : len % (RR_WIRE_PAY + 1);

		msg[1] = (uint8_t)(count << 2);
		for (size_t j = 0; j < n; j++) {
			msg[8 + j] = len > 8 ? first[8 + (k * 7 + j) % (len - 8)] : (uint8_t)j;
		}
		rr_feed(c, msg, 8 + n);
	}
}

static void rr_notify(int c, const uint8_t *rec, size_t len)
{
	static uint8_t payload[RR_WIRE_MAX + 1];
	uint8_t b[6] = {0};
	size_t n;
	int rc;

	memcpy(b, rec, len < 6 ? len : 6);
	n = (size_t)(b[4] | b[5] << 8) % (RR_WIRE_MAX + 2);
	for (size_t i = 0; i < n; i++) {
		payload[i] = len != 0 ? rec[i % len] : 0;
	}
	rc = rm_rpc_notify(&rr->rpc[c], rm_rpc_get32(b), payload, n);
	if ((rc == 0) != (n <= RR_WIRE_MAX)) {
		oracle_fail("rm-rpc-notify-size", "notify of %zu bytes returned %d", n, rc);
	}
	rr_check_sent(c, false, 0, 0);
	rr_check_sent(1 - c, false, 0, 0);
}

static void rr_check_still_serves(void)
{
	for (int c = 0; c < RR_CHANS; c++) {
		static const uint8_t req[8] = {0x21, 0x01, 0xEF, 0xBE, 0x24, 0x00, 0x00, 0x56};
		uint8_t want[16] = {0x21, 0x02, 0xEF, 0xBE, 0x24, 0x00, 0x00, 0x56, 0, 0, 0, 0};
		const struct rr_sent *got = &rr->chan[c].sent[0];

		rm_rpc_put32(want + 12, rr_vmid[c]);
		rm_rpc_receive(&rr->rpc[c], req, sizeof(req));
		if (rr->chan[c].n_sent != 1 || got->len != 16 ||
		    memcmp(got->bytes, want, 16) != 0) {
			oracle_fail("rm-rpc-still-serves",
			            "chan %d: %zu messages, the first %u bytes, byte 1 0x%02x", c,
			            rr->chan[c].n_sent, got->len, got->bytes[1]);
		}
		rr->chan[c].n_sent = 0;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t pos = 0;

	rr_world_init();
	while (pos < size) {
		uint8_t rec[255] = {0};
		uint8_t ctl = data[pos++];
		size_t len = pos < size ? data[pos++] : 0;
		size_t have = size - pos < len ? size - pos : len;
		int c = ctl & 1;

		memcpy(rec, data + pos, have);
		pos += have;
		switch ((ctl >> 1) & 3) {
		case 0:
			rr_feed(c, rec, len);
			break;
		case 1:
			rec[0] = 0x21;
			rr_feed(c, rec, len);
			break;
		case 2:
			rr_train(c, rec, len);
			break;
		default:
			rr_notify(c, rec, len);
			break;
		}
	}
	rr_check_still_serves();
	return 0;
}

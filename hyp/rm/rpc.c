/* hyp/rm/rpc.c: the RM RPC framing (gunyah-abi.md §6): decode and check each message's header,
 * reassemble fragmented requests, dispatch complete ones, fragment replies and notifications. */
#include "rpc.h"

#include "rm_abi.h"
#include "vm_state.h"

/* The decoded header of one message. */
struct rpc_hdr {
	uint8_t version;
	uint8_t words;
	uint8_t type;
	uint8_t fragments;
	uint16_t seq;
	uint32_t msg_id;
};

static void rpc_copy(uint8_t *dst, const uint8_t *src, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		dst[i] = src[i];
	}
}

static struct rpc_hdr rpc_hdr_decode(const uint8_t *msg)
{
	struct rpc_hdr h;

	h.version = msg[0] & 0xFU;
	h.words = (uint8_t)(msg[0] >> 4);
	h.type = msg[1] & 0x3U;
	h.fragments = (uint8_t)(msg[1] >> 2);
	h.seq = rm_rpc_get16(msg + 2);
	h.msg_id = rm_rpc_get32(msg + 4);
	return h;
}

static void rpc_hdr_encode(uint8_t *msg, uint8_t type, uint8_t fragments, uint16_t seq,
                           uint32_t msg_id)
{
	msg[0] = (uint8_t)((RM_RPC_HDR_WORDS << 4) | RM_RPC_API_VERSION);
	msg[1] = (uint8_t)((fragments << 2) | type);
	rm_rpc_put16(msg + 2, seq);
	rm_rpc_put32(msg + 4, msg_id);
}

/* A payload in two pieces (a notification's header and the bytes it carries), so nothing is
 * copied twice. */
struct rpc_payload {
	const uint8_t *head;
	size_t head_len;
	const uint8_t *body;
	size_t body_len;
};

static uint8_t rpc_payload_at(const struct rpc_payload *p, size_t i)
{
	return i < p->head_len ? p->head[i] : p->body[i - p->head_len];
}

/* Sends the payload as 1 + fragments messages: the first with `type`, the rest CONTINUATION with
 * the same ID, seq and count. */
static int rpc_send(struct rm_rpc *rpc, uint8_t type, uint16_t seq, uint32_t msg_id,
                    const struct rpc_payload *p)
{
	uint8_t msg[RM_RPC_MSG_SIZE];
	size_t len = p->head_len + p->body_len;
	size_t fragments = len == 0 ? 0 : (len - 1) / RM_RPC_FRAG_PAYLOAD;
	size_t pos = 0;

	if (len > RM_RPC_MAX_PAYLOAD || fragments > RM_RPC_MAX_FRAGMENTS) {
		return -1;
	}
	for (size_t i = 0; i <= fragments; i++) {
		size_t chunk = len - pos < RM_RPC_FRAG_PAYLOAD ? len - pos : RM_RPC_FRAG_PAYLOAD;

		rpc_hdr_encode(msg, i == 0 ? type : (uint8_t)RM_RPC_TYPE_CONTINUATION,
		               (uint8_t)fragments, seq, msg_id);
		for (size_t j = 0; j < chunk; j++) {
			msg[RM_RPC_HDR_SIZE + j] = rpc_payload_at(p, pos + j);
		}
		if (rpc->ops->send(rpc->ctx, msg, RM_RPC_HDR_SIZE + chunk) != 0) {
			rpc->stats.send_failed++;
			return -1;
		}
		pos += chunk;
	}
	return 0;
}

static const struct rm_rpc_handler *rpc_lookup(const struct rm_rpc_table *table, uint32_t msg_id)
{
	for (size_t i = 0; i < table->count; i++) {
		if (table->rows[i].msg_id == msg_id) {
			return &table->rows[i];
		}
	}
	return NULL;
}

/* A complete request: run its handler (or answer UNIMPLEMENTED) and reply with the request's ID
 * and sequence number. */
static void rpc_dispatch_request(struct rm_rpc *rpc, uint32_t msg_id, uint16_t seq,
                                 const uint8_t *req, size_t req_len)
{
	const struct rm_rpc_handler *row = rpc_lookup(rpc->table, msg_id);
	struct rm_rpc_call call = {
	    .rpc = rpc,
	    .caller_vmid = rpc->client_vmid,
	    .msg_id = msg_id,
	    .req = req,
	    .req_len = req_len,
	    .reply = rpc->tx_buf + RM_RPC_ERR_SIZE,
	    .reply_cap = RM_RPC_MAX_REPLY_DATA,
	    .reply_len = 0,
	};
	struct rpc_payload reply = {NULL, 0, NULL, 0};
	uint32_t err;

	rpc->stats.requests++;
	if (row == NULL) {
		rpc->stats.unimplemented++;
		err = RM_ERROR_UNIMPLEMENTED;
	} else {
		err = row->fn(&call);
	}
	/* A handler that overran its buffer is the RM's bug; never send past it. */
	if (err == RM_OK && call.reply_len > call.reply_cap) {
		err = RM_ERROR_NOMEM;
	}
	if (err != RM_OK) {
		call.reply_len = 0;
	}
	rm_rpc_put32(rpc->tx_buf, err);
	reply.head = rpc->tx_buf;
	reply.head_len = RM_RPC_ERR_SIZE + call.reply_len;
	(void)rpc_send(rpc, RM_RPC_TYPE_REPLY, seq, msg_id, &reply);
}

/* The reassembled message is complete: only requests are served (a VM has nothing to reply to,
 * and the RM takes no notifications from VMs). */
static void rpc_complete(struct rm_rpc *rpc)
{
	rpc->is_partial = false;
	if (rpc->rx_type != RM_RPC_TYPE_REQUEST) {
		rpc->stats.drop_not_request++;
		return;
	}
	rpc_dispatch_request(rpc, rpc->rx_id, rpc->rx_seq, rpc->rx_buf, rpc->rx_len);
}

void rm_rpc_receive(struct rm_rpc *rpc, const uint8_t *msg, size_t len)
{
	struct rpc_hdr h;
	size_t payload_len;

	if (len < RM_RPC_HDR_SIZE) {
		rpc->stats.drop_short++;
		return;
	}
	if (len > RM_RPC_MSG_SIZE) {
		rpc->stats.drop_long++;
		return;
	}
	h = rpc_hdr_decode(msg);
	if (h.version != RM_RPC_API_VERSION) {
		rpc->stats.drop_version++;
		return;
	}
	if (h.words != RM_RPC_HDR_WORDS) {
		rpc->stats.drop_hdr_words++;
		return;
	}
	if (h.fragments > RM_RPC_MAX_FRAGMENTS) {
		rpc->stats.drop_fragments++;
		return;
	}
	payload_len = len - RM_RPC_HDR_SIZE;

	if (h.type != RM_RPC_TYPE_CONTINUATION) {
		/* A new message: whatever was in progress is abandoned. */
		if (rpc->is_partial) {
			rpc->stats.drop_partial++;
		}
		rpc->is_partial = true;
		rpc->rx_type = h.type;
		rpc->rx_fragments = h.fragments;
		rpc->rx_missing = h.fragments;
		rpc->rx_seq = h.seq;
		rpc->rx_id = h.msg_id;
		rpc->rx_len = 0;
	} else if (!rpc->is_partial) {
		rpc->stats.drop_orphan++;
		return;
	} else if (h.msg_id != rpc->rx_id || h.seq != rpc->rx_seq ||
	           h.fragments != rpc->rx_fragments) {
		/* Dropped; the message in progress waits for its own continuation. */
		rpc->stats.drop_mismatch++;
		return;
	} else {
		rpc->rx_missing--;
	}
	/* Each message carries at most 232 bytes and a message has at most 63 of them, so this
	 * holds by the checks above; it is the one bound rx_buf relies on. */
	if (rpc->rx_len + payload_len > RM_RPC_MAX_PAYLOAD) {
		rpc->is_partial = false;
		rpc->stats.drop_mismatch++;
		return;
	}
	rpc_copy(rpc->rx_buf + rpc->rx_len, msg + RM_RPC_HDR_SIZE, payload_len);
	rpc->rx_len += payload_len;
	if (rpc->rx_missing == 0) {
		rpc_complete(rpc);
	}
}

int rm_rpc_notify2(struct rm_rpc *rpc, uint32_t msg_id, const void *head, size_t head_len,
                   const void *body, size_t body_len)
{
	struct rpc_payload p = {head, head_len, body, body_len};

	if (head_len > RM_RPC_MAX_PAYLOAD || body_len > RM_RPC_MAX_PAYLOAD - head_len) {
		return -1;
	}
	return rpc_send(rpc, RM_RPC_TYPE_NOTIFICATION, rpc->notify_seq++, msg_id, &p);
}

int rm_rpc_notify(struct rm_rpc *rpc, uint32_t msg_id, const void *payload, size_t len)
{
	return rm_rpc_notify2(rpc, msg_id, payload, len, NULL, 0);
}

void rm_rpc_init(struct rm_rpc *rpc, uint16_t client_vmid, struct rm_vms *vms,
                 const struct rm_rpc_table *table, const struct rm_rpc_ops *ops, void *ctx)
{
	struct rm_vm *vm = vms != NULL ? rm_vm_lookup(vms, client_vmid) : NULL;
	struct rm_rpc_stats zero = {0};

	rpc->client_vmid = client_vmid;
	rpc->vms = vms;
	rpc->table = table;
	rpc->ops = ops;
	rpc->ctx = ctx;
	rpc->notify_seq = 0;
	rpc->is_partial = false;
	rpc->rx_len = 0;
	rpc->stats = zero;
	if (vm != NULL) {
		vm->rpc = rpc;
	}
}

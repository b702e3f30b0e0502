/* hyp/rm/rpc.h: the RM's RPC server for one client VM over its message-queue pair (gunyah-abi.md
 * §6): header checks, reassembly of fragmented requests, dispatch to a handler table, fragmented
 * replies and notifications. Pure freestanding C: no hypercalls, nothing from hyp/; the RM image
 * and the host tests and fuzzers build the same file. Everything a VM sends is untrusted. */
#ifndef RM_RPC_H
#define RM_RPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* §6 framing. */
#define RM_RPC_MSG_SIZE          240U /* one message of the queue pair, header included */
#define RM_RPC_HDR_SIZE          8U
#define RM_RPC_FRAG_PAYLOAD      232U   /* RM_RPC_MSG_SIZE - RM_RPC_HDR_SIZE */
#define RM_RPC_MAX_FRAGMENTS     62U    /* the most additional fragments after the first */
#define RM_RPC_MAX_PAYLOAD       14616U /* 63 x 232: the largest request or reply payload */
#define RM_RPC_API_VERSION       1U
#define RM_RPC_HDR_WORDS         2U
#define RM_RPC_TYPE_CONTINUATION 0U
#define RM_RPC_TYPE_REQUEST      1U
#define RM_RPC_TYPE_REPLY        2U
#define RM_RPC_TYPE_NOTIFICATION 3U
#define RM_RPC_ERR_SIZE          4U /* the RM error word leading every reply */
#define RM_RPC_MAX_REPLY_DATA    (RM_RPC_MAX_PAYLOAD - RM_RPC_ERR_SIZE)

struct rm_rpc;
struct rm_vms;

/* What the RM image provides (rmboot: hypercalls and the UART). ctx is the ctx given to
 * rm_rpc_init for the channel the call is made on. */
struct rm_rpc_ops {
	/* Sends one message of len <= RM_RPC_MSG_SIZE bytes to this channel's VM; 0 on success.
	 * A full queue is not a failure: wait until the VM makes room (a 14 KiB reply is 63
	 * messages, the primary VM's queue holds 8). Nonzero abandons the rest of the message. */
	int (*send)(void *ctx, const void *msg, size_t len);
	/* Bytes for the physical UART, already prefixed per line ("[vm 3] ") and filtered. NULL:
	 * console output is dropped. */
	void (*console_write)(void *ctx, const char *bytes, size_t len);
	/* VM_EXIT's hypercall part: stop every vCPU of vmid. Returns an RM error code; NULL is
	 * RM_OK (the host tests). */
	uint32_t (*vm_exit)(void *ctx, uint16_t vmid);
};

/* One reassembled request, as a handler sees it. */
struct rm_rpc_call {
	struct rm_rpc *rpc;   /* the channel: rpc->vms is the RM's VM table */
	uint16_t caller_vmid; /* the VM the channel belongs to: the only identity to trust */
	uint32_t msg_id;
	const uint8_t *req; /* the request payload: req_len bytes, untrusted */
	size_t req_len;
	uint8_t *reply;   /* reply data after the error word: at most reply_cap bytes */
	size_t reply_cap; /* RM_RPC_MAX_REPLY_DATA */
	size_t reply_len; /* set by the handler; sent only when it returns RM_OK */
};

/* A handler validates the request, acts, writes its reply data and returns the RM error code.
 * On an error the reply is the standard one: the error word alone (reply_len is ignored). */
typedef uint32_t (*rm_rpc_handler_fn)(struct rm_rpc_call *call);

struct rm_rpc_handler {
	uint32_t msg_id;
	rm_rpc_handler_fn fn;
};

struct rm_rpc_table {
	const struct rm_rpc_handler *rows;
	size_t count;
};

/* The RM image's table (rpc_dispatch.c): one row per message ID. */
extern const struct rm_rpc_table rm_rpc_dispatch;

/* What the server dropped or answered, by reason: the tests' window into "dropped exactly as §6
 * says", and a debugging aid in the image. */
struct rm_rpc_stats {
	uint32_t requests;         /* complete requests dispatched (incl. unknown IDs) */
	uint32_t unimplemented;    /* of which answered RM_ERROR_UNIMPLEMENTED for an unknown ID */
	uint32_t drop_short;       /* length < 8 */
	uint32_t drop_long;        /* length > 240 */
	uint32_t drop_version;     /* API version != 1 */
	uint32_t drop_hdr_words;   /* header words != 2 */
	uint32_t drop_fragments;   /* fragment count > 62 */
	uint32_t drop_orphan;      /* a continuation with nothing in progress */
	uint32_t drop_mismatch;    /* a continuation whose ID, seq or count differs */
	uint32_t drop_partial;     /* a partial message discarded by a new first message */
	uint32_t drop_not_request; /* a complete REPLY or NOTIFICATION from the VM */
	uint32_t send_failed;      /* messages ops->send refused */
};

struct rm_rpc {
	uint16_t client_vmid;
	struct rm_vms *vms;
	const struct rm_rpc_table *table;
	const struct rm_rpc_ops *ops;
	void *ctx;
	uint16_t notify_seq; /* the RM's own sequence numbers for notifications */
	/* The request being reassembled. */
	bool is_partial;
	uint8_t rx_type;
	uint8_t rx_fragments; /* the header's count of additional fragments */
	uint8_t rx_missing;   /* continuations still to come */
	uint16_t rx_seq;
	uint32_t rx_id;
	size_t rx_len;
	uint8_t rx_buf[RM_RPC_MAX_PAYLOAD];
	uint8_t tx_buf[RM_RPC_MAX_PAYLOAD]; /* the reply: error word, then data */
	struct rm_rpc_stats stats;
};

/* Sets up the channel to client_vmid and attaches it to that VM's entry in vms (when there is
 * one), so notifications for the VM reach it. table: usually &rm_rpc_dispatch. */
void rm_rpc_init(struct rm_rpc *rpc, uint16_t client_vmid, struct rm_vms *vms,
                 const struct rm_rpc_table *table, const struct rm_rpc_ops *ops, void *ctx);

/* One message received from the VM (any bytes, any length). A request completed by it is
 * dispatched and answered before this returns. */
void rm_rpc_receive(struct rm_rpc *rpc, const uint8_t *msg, size_t len);

/* Sends a notification (payload of at most RM_RPC_MAX_PAYLOAD bytes, fragmented as needed) with
 * the channel's next notification sequence number. 0 on success, -1 for an oversized payload or
 * a refused send. */
int rm_rpc_notify(struct rm_rpc *rpc, uint32_t msg_id, const void *payload, size_t len);
/* The same with the payload in two pieces: head_len bytes at head, then body_len at body. */
int rm_rpc_notify2(struct rm_rpc *rpc, uint32_t msg_id, const void *head, size_t head_len,
                   const void *body, size_t body_len);

/* Little-endian field access for handlers (requests are byte arrays with no alignment). */
static inline uint16_t rm_rpc_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t rm_rpc_get32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

static inline uint64_t rm_rpc_get64(const uint8_t *p)
{
	return (uint64_t)rm_rpc_get32(p) | ((uint64_t)rm_rpc_get32(p + 4) << 32);
}

static inline void rm_rpc_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void rm_rpc_put32(uint8_t *p, uint32_t v)
{
	rm_rpc_put16(p, (uint16_t)v);
	rm_rpc_put16(p + 2, (uint16_t)(v >> 16));
}

static inline void rm_rpc_put64(uint8_t *p, uint64_t v)
{
	rm_rpc_put32(p, (uint32_t)v);
	rm_rpc_put32(p + 4, (uint32_t)(v >> 32));
}

#endif

/* hyp/rm/test/rpc_test.h: the RM RPC host tests' framework (registration, exact-value checks) and
 * their world: a VM table with the primary VM (3) and a peer it owns (0x80), one RPC channel to
 * each whose sends are recorded, and the UART's bytes. */
#ifndef RPC_TEST_H
#define RPC_TEST_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../rm_abi.h"
#include "../rpc.h"
#include "../rpc_handlers.h"
#include "../vm_state.h"

struct rpc_test_case {
	const char *name;
	void (*fn)(void);
	struct rpc_test_case *next;
};

void rpc_test_register(struct rpc_test_case *tc);
void rpc_test_fail(const char *file, int line, const char *expr, uint64_t want, uint64_t got);
void rpc_test_fail_bytes(const char *file, int line, const char *expr, const uint8_t *want,
                         const uint8_t *got, size_t len);

#define RPC_TEST(name)                                                                             \
	static void rpc_test_fn_##name(void);                                                      \
	static struct rpc_test_case rpc_test_case_##name = {#name, rpc_test_fn_##name, NULL};      \
	__attribute__((constructor)) static void rpc_test_reg_##name(void)                         \
	{                                                                                          \
		rpc_test_register(&rpc_test_case_##name);                                          \
	}                                                                                          \
	static void rpc_test_fn_##name(void)

#define CHECK_EQ(want, got)                                                                        \
	do {                                                                                       \
		uint64_t want_ = (uint64_t)(want);                                                 \
		uint64_t got_ = (uint64_t)(got);                                                   \
		if (want_ != got_) {                                                               \
			rpc_test_fail(__FILE__, __LINE__, #got, want_, got_);                      \
		}                                                                                  \
	} while (0)

#define CHECK(cond) CHECK_EQ(1, !!(cond))

/* want and got must both hold len bytes. */
#define CHECK_BYTES(want, got, len)                                                                \
	do {                                                                                       \
		if (memcmp((want), (got), (len)) != 0) {                                           \
			rpc_test_fail_bytes(__FILE__, __LINE__, #got, (const uint8_t *)(want),     \
			                    (const uint8_t *)(got), (len));                        \
		}                                                                                  \
	} while (0)

/* The world. */
#define RT_PRIMARY   3U
#define RT_PEER      0x80U
#define RT_MAX_MSGS  160U
#define RT_UART_SIZE 32768U

struct rt_msg {
	size_t len;
	uint8_t bytes[RM_RPC_MSG_SIZE];
};

/* What the RM sent on one channel. */
struct rt_chan {
	struct rt_world *world;
	uint16_t vmid;
	size_t n;
	struct rt_msg msgs[RT_MAX_MSGS];
	int fail_at; /* the send with this index (0-based) fails; -1: none */
};

struct rt_world {
	struct rm_vms vms;
	struct rm_rpc rpc[2]; /* [0] primary, [1] peer */
	struct rt_chan chan[2];
	size_t uart_len;
	char uart[RT_UART_SIZE];
	unsigned exits;
	uint16_t exit_vmid;
	uint32_t exit_err; /* what ops->vm_exit answers */
};

/* A fresh world (calloc'd): the primary running, owned by the RM, with one resource of each msgq
 * direction and a vCPU; the peer running, owned by the primary, with its own channel. table:
 * &rm_rpc_pure_table or a test's own. */
struct rt_world *rt_world_new(const struct rm_rpc_table *table);
void rt_world_free(struct rt_world *w);

/* Writes a header. */
void rt_hdr(uint8_t *msg, uint8_t type, uint8_t fragments, uint16_t seq, uint32_t msg_id);
/* Feeds a request of len payload bytes to rpc as the VM would: fragmented into 240-byte messages.
 */
void rt_request(struct rm_rpc *rpc, uint32_t msg_id, uint16_t seq, const void *payload, size_t len);
/* Feeds one raw message. */
void rt_raw(struct rm_rpc *rpc, const void *msg, size_t len);

/* Decodes a complete message (first + continuations) starting at chan->msgs[*at], checking each
 * header (version 1, 2 words, the first of `type`, the rest continuations with the same ID, seq
 * and count); returns its payload length (into out, at most cap) and advances *at; -1 when the
 * framing is wrong (the test has failed by then). */
long rt_take(struct rt_chan *chan, size_t *at, uint8_t type, uint16_t seq, uint32_t msg_id,
             uint8_t *out, size_t cap);
/* A request and its whole reply: returns the RM error word; data (after the error word) in out,
 * its length in *out_len (when not NULL). Checks that exactly one reply came. */
uint32_t rt_call(struct rt_world *w, int chan, uint32_t msg_id, const void *req, size_t req_len,
                 uint8_t *out, size_t cap, size_t *out_len);

#endif

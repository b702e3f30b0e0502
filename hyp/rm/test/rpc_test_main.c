/* hyp/rm/test/rpc_test_main.c: runs the registered RM RPC host tests and builds their world. Exit
 * status 1 on any failed check or when no test ran. */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "rpc_test.h"

static struct rpc_test_case *rpc_test_list;
static int rpc_test_failed_checks;

void rpc_test_register(struct rpc_test_case *tc)
{
	struct rpc_test_case **link = &rpc_test_list;

	while (*link != NULL) {
		link = &(*link)->next;
	}
	*link = tc;
}

void rpc_test_fail(const char *file, int line, const char *expr, uint64_t want, uint64_t got)
{
	printf("  %s:%d: %s: expected 0x%llx got 0x%llx\n", file, line, expr,
	       (unsigned long long)want, (unsigned long long)got);
	rpc_test_failed_checks++;
}

void rpc_test_fail_bytes(const char *file, int line, const char *expr, const uint8_t *want,
                         const uint8_t *got, size_t len)
{
	size_t i = 0;

	while (i < len && want[i] == got[i]) {
		i++;
	}
	printf("  %s:%d: %s: %zu bytes differ from byte %zu: expected 0x%02x got 0x%02x\n", file,
	       line, expr, len, i, want[i], got[i]);
	rpc_test_failed_checks++;
}

static int rt_send(void *ctx, const void *msg, size_t len)
{
	struct rt_chan *chan = ctx;

	if (chan->fail_at >= 0 && (size_t)chan->fail_at == chan->n) {
		chan->fail_at = -1;
		return -1;
	}
	if (chan->n >= RT_MAX_MSGS || len > RM_RPC_MSG_SIZE || len < RM_RPC_HDR_SIZE) {
		printf("  rt_send: message %zu of %zu bytes on VM %u's channel: out of bounds\n",
		       chan->n, len, chan->vmid);
		rpc_test_failed_checks++;
		return -1;
	}
	chan->msgs[chan->n].len = len;
	memcpy(chan->msgs[chan->n].bytes, msg, len);
	chan->n++;
	return 0;
}

static void rt_console_write(void *ctx, const char *bytes, size_t len)
{
	struct rt_world *w = ((struct rt_chan *)ctx)->world;

	if (w->uart_len + len > RT_UART_SIZE) {
		printf("  rt_console_write: UART buffer full\n");
		rpc_test_failed_checks++;
		return;
	}
	memcpy(w->uart + w->uart_len, bytes, len);
	w->uart_len += len;
}

static uint32_t rt_vm_exit(void *ctx, uint16_t vmid)
{
	struct rt_world *w = ((struct rt_chan *)ctx)->world;

	w->exits++;
	w->exit_vmid = vmid;
	return w->exit_err;
}

static const struct rm_rpc_ops rt_ops = {rt_send, rt_console_write, rt_vm_exit};

struct rt_world *rt_world_new(const struct rm_rpc_table *table)
{
	struct rt_world *w = calloc(1, sizeof(*w));
	struct rm_vm *primary, *peer;
	struct rm_resource tx = {RM_RES_MSGQ_TX, RM_VMID_RM, 0, 0, 0x1111222233334444ull, 0,
	                         32 + 13,        0,          0};
	struct rm_resource rx = {RM_RES_MSGQ_RX, RM_VMID_RM, 0, 0, 0x5555666677778888ull, 0,
	                         32 + 14,        0,          0};
	struct rm_resource vcpu = {RM_RES_VCPU, RT_PRIMARY, 0, 0, 0x99, 0, 0, 0, 0};
	struct rm_resource peer_db = {RM_RES_DOORBELL_TX, RT_PEER, 7, 0xABCD, 0xAA, 0, 0, 0, 0};

	if (w == NULL) {
		abort();
	}
	rm_vms_init(&w->vms);
	primary = rm_vm_add(&w->vms, RT_PRIMARY, RM_VMID_RM);
	peer = rm_vm_add(&w->vms, RT_PEER, RT_PRIMARY);
	if (primary == NULL || peer == NULL || !rm_vm_add_resource(primary, &tx) ||
	    !rm_vm_add_resource(primary, &rx) || !rm_vm_add_resource(primary, &vcpu) ||
	    !rm_vm_add_resource(primary, &peer_db)) {
		abort();
	}
	primary->vm_status = RM_VM_STATUS_RUNNING;
	peer->vm_status = RM_VM_STATUS_RUNNING;
	for (int i = 0; i < 2; i++) {
		w->chan[i].world = w;
		w->chan[i].vmid = i == 0 ? RT_PRIMARY : RT_PEER;
		w->chan[i].fail_at = -1;
		rm_rpc_init(&w->rpc[i], w->chan[i].vmid, &w->vms, table, &rt_ops, &w->chan[i]);
	}
	return w;
}

void rt_world_free(struct rt_world *w)
{
	free(w);
}

void rt_hdr(uint8_t *msg, uint8_t type, uint8_t fragments, uint16_t seq, uint32_t msg_id)
{
	msg[0] = 0x21;
	msg[1] = (uint8_t)(fragments << 2 | type);
	msg[2] = (uint8_t)seq;
	msg[3] = (uint8_t)(seq >> 8);
	msg[4] = (uint8_t)msg_id;
	msg[5] = (uint8_t)(msg_id >> 8);
	msg[6] = (uint8_t)(msg_id >> 16);
	msg[7] = (uint8_t)(msg_id >> 24);
}

void rt_raw(struct rm_rpc *rpc, const void *msg, size_t len)
{
	/* An exact-size heap copy: ASan sees any read past the message. */
	uint8_t *copy = malloc(len != 0 ? len : 1);

	memcpy(copy, msg, len);
	rm_rpc_receive(rpc, copy, len);
	free(copy);
}

void rt_request(struct rm_rpc *rpc, uint32_t msg_id, uint16_t seq, const void *payload, size_t len)
{
	const uint8_t *p = payload;
	size_t fragments = len == 0 ? 0 : (len - 1) / RM_RPC_FRAG_PAYLOAD;
	uint8_t msg[RM_RPC_MSG_SIZE];

	for (size_t i = 0, pos = 0; i <= fragments; i++) {
		size_t chunk = len - pos < RM_RPC_FRAG_PAYLOAD ? len - pos : RM_RPC_FRAG_PAYLOAD;

		rt_hdr(msg, i == 0 ? RM_RPC_TYPE_REQUEST : RM_RPC_TYPE_CONTINUATION,
		       (uint8_t)fragments, seq, msg_id);
		if (chunk != 0) {
			memcpy(msg + 8, p + pos, chunk);
		}
		rt_raw(rpc, msg, 8 + chunk);
		pos += chunk;
	}
}

long rt_take(struct rt_chan *chan, size_t *at, uint8_t type, uint16_t seq, uint32_t msg_id,
             uint8_t *out, size_t cap)
{
	size_t len = 0, fragments;
	int before = rpc_test_failed_checks;

	if (*at >= chan->n) {
		printf("  rt_take: no message %zu on VM %u's channel (%zu sent)\n", *at, chan->vmid,
		       chan->n);
		rpc_test_failed_checks++;
		return -1;
	}
	fragments = chan->msgs[*at].bytes[1] >> 2;
	for (size_t i = 0; i <= fragments; i++) {
		const struct rt_msg *m;

		if (*at >= chan->n) {
			printf("  rt_take: message ends after %zu of %zu fragments\n", i,
			       fragments + 1);
			rpc_test_failed_checks++;
			return -1;
		}
		m = &chan->msgs[*at];
		CHECK_EQ(0x21, m->bytes[0]);
		CHECK_EQ(i == 0 ? type : RM_RPC_TYPE_CONTINUATION, m->bytes[1] & 3);
		CHECK_EQ(fragments, m->bytes[1] >> 2);
		CHECK_EQ(seq, rm_rpc_get16(m->bytes + 2));
		CHECK_EQ(msg_id, rm_rpc_get32(m->bytes + 4));
		/* Every fragment but the last is full. */
		CHECK_EQ(i < fragments ? RM_RPC_MSG_SIZE : m->len, m->len);
		if (len + m->len - 8 > cap) {
			printf("  rt_take: payload over %zu bytes\n", cap);
			rpc_test_failed_checks++;
			return -1;
		}
		memcpy(out + len, m->bytes + 8, m->len - 8);
		len += m->len - 8;
		(*at)++;
	}
	return rpc_test_failed_checks == before ? (long)len : -1;
}

uint32_t rt_call(struct rt_world *w, int chan, uint32_t msg_id, const void *req, size_t req_len,
                 uint8_t *out, size_t cap, size_t *out_len)
{
	static uint16_t seq = 0x100;
	static uint8_t reply[RM_RPC_MAX_PAYLOAD];
	struct rt_chan *c = &w->chan[chan];
	size_t at = c->n;
	long len;

	seq++;
	rt_request(&w->rpc[chan], msg_id, seq, req, req_len);
	len = rt_take(c, &at, RM_RPC_TYPE_REPLY, seq, msg_id, reply, sizeof(reply));
	if (len < 4) {
		printf("  rt_call: no well-formed reply to 0x%x (%ld)\n", msg_id, len);
		rpc_test_failed_checks++;
		return 0xDEADBEEF;
	}
	/* Only the reply was sent on this channel. */
	CHECK_EQ(c->n, at);
	if ((size_t)len - 4 > cap) {
		printf("  rt_call: reply data of %ld bytes over %zu\n", len - 4, cap);
		rpc_test_failed_checks++;
	} else if (out != NULL) {
		memcpy(out, reply + 4, (size_t)len - 4);
	}
	if (out_len != NULL) {
		*out_len = (size_t)len - 4;
	}
	return rm_rpc_get32(reply);
}

/* argv[1], when given, is a glob over test names. */
int main(int argc, char **argv)
{
	int run = 0, failed = 0;

	for (struct rpc_test_case *tc = rpc_test_list; tc != NULL; tc = tc->next) {
		int before = rpc_test_failed_checks;

		if (argc > 1 && fnmatch(argv[1], tc->name, 0) != 0) {
			continue;
		}
		tc->fn();
		run++;
		if (rpc_test_failed_checks != before) {
			failed++;
			printf("FAIL %s\n", tc->name);
		} else {
			printf("PASS %s\n", tc->name);
		}
	}
	printf("%s: %d tests, %d failed\n", argv[0], run, failed);
	return failed != 0 || run == 0;
}

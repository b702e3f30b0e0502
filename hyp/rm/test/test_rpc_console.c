/* hyp/rm/test/test_rpc_console.c: VM_CONSOLE_OPEN/CLOSE/WRITE/FLUSH and VM_CONSOLE_CHARS: who may
 * use which side, exact UART bytes with per-line VM prefixes, exact notification bytes. */
#include "rpc_test.h"

static uint32_t console(struct rt_world *w, int chan, uint32_t id, uint16_t target)
{
	uint8_t req[4];

	rm_rpc_put16(req, target);
	rm_rpc_put16(req + 2, 0);
	return rt_call(w, chan, id, req, 4, NULL, 0, NULL);
}

static uint32_t write_str(struct rt_world *w, int chan, uint16_t target, const char *s)
{
	uint8_t req[4 + 256];
	size_t n = strlen(s);

	rm_rpc_put16(req, target);
	rm_rpc_put16(req + 2, (uint16_t)n);
	memcpy(req + 4, s, n);
	return rt_call(w, chan, RM_VM_CONSOLE_WRITE, req, 4 + n, NULL, 0, NULL);
}

static void check_uart(struct rt_world *w, const char *want)
{
	CHECK_EQ(strlen(want), w->uart_len);
	if (w->uart_len == strlen(want)) {
		CHECK_BYTES(want, w->uart, w->uart_len);
	}
}

/* Own console: closed -> DENIED; open -> writes reach the UART with "[vm 3] " at the start of
 * each line, a line split across writes prefixed once; close -> DENIED again. */
RPC_TEST(console_own_write_prefixed)
{
	struct rt_world *w = rt_world_new(&rm_rpc_pure_table);

	CHECK_EQ(RM_ERROR_DENIED, write_str(w, 0, 0, "early"));
	CHECK_EQ(RM_ERROR_DENIED, console(w, 0, RM_VM_CONSOLE_FLUSH, 0));
	CHECK_EQ(RM_OK, console(w, 0, RM_VM_CONSOLE_OPEN, 0));
	CHECK_EQ(RM_OK, write_str(w, 0, 0, "hello\nwor"));
	CHECK_EQ(RM_OK, write_str(w, 0, 0, "ld\n"));
	CHECK_EQ(RM_OK, write_str(w, 0, 0, ""));
	CHECK_EQ(RM_OK, write_str(w, 0, 0, "\n\nx"));
	check_uart(w, "[vm 3] hello\n[vm 3] world\n[vm 3] \n[vm 3] \n[vm 3] x");
	CHECK_EQ(RM_OK, console(w, 0, RM_VM_CONSOLE_FLUSH, 0));
	/* Opening twice is fine, as upstream. */
	CHECK_EQ(RM_OK, console(w, 0, RM_VM_CONSOLE_OPEN, 0));
	CHECK_EQ(RM_OK, console(w, 0, RM_VM_CONSOLE_CLOSE, 0));
	CHECK_EQ(RM_ERROR_DENIED, write_str(w, 0, 0, "late"));
	CHECK_EQ(RM_ERROR_DENIED, console(w, 0, RM_VM_CONSOLE_FLUSH, 0));
	/* Twelve replies and no CHARS: nobody opened the owner side. */
	CHECK_EQ(12, w->chan[0].n);
	CHECK_EQ(0, w->chan[1].n);
	rt_world_free(w);
}

/* Two VMs' lines never share a UART line: a VM cut in mid-line gets its line ended. */
RPC_TEST(console_interleaved_vms)
{
	struct rt_world *w = rt_world_new(&rm_rpc_pure_table);

	CHECK_EQ(RM_OK, console(w, 0, RM_VM_CONSOLE_OPEN, 0));
	CHECK_EQ(RM_OK, console(w, 1, RM_VM_CONSOLE_OPEN, 0));
	CHECK_EQ(RM_OK, write_str(w, 0, 0, "abc"));
	CHECK_EQ(RM_OK, write_str(w, 1, 0, "peer\n"));
	CHECK_EQ(RM_OK, write_str(w, 0, 0, "def\n"));
	check_uart(w, "[vm 3] abc\n[vm 128] peer\n[vm 3] def\n");
	rt_world_free(w);
}

/* Control bytes cannot reach the terminal: CR dropped, others shown as '.'. */
RPC_TEST(console_filters_control_bytes)
{
	struct rt_world *w = rt_world_new(&rm_rpc_pure_table);

	CHECK_EQ(RM_OK, console(w, 0, RM_VM_CONSOLE_OPEN, 0));
	CHECK_EQ(RM_OK, write_str(w, 0, 0, "a\r\n\x1b[2J\tb\x7f\x80\xff\n"));
	check_uart(w, "[vm 3] a\n[vm 3] .[2J\tb...\n");
	rt_world_free(w);
}

/* Malformed requests: lengths other than 4 (OPEN/CLOSE/FLUSH) or 4 + num_bytes (WRITE) are
 * MSG_INVALID; an unknown target is ARGUMENT_INVALID; nothing reaches the UART. */
RPC_TEST(console_malformed)
{
	struct rt_world *w = rt_world_new(&rm_rpc_pure_table);
	uint8_t req[16] = {0};

	CHECK_EQ(RM_OK, console(w, 0, RM_VM_CONSOLE_OPEN, 0));
	CHECK_EQ(RM_ERROR_MSG_INVALID, rt_call(w, 0, RM_VM_CONSOLE_OPEN, req, 2, NULL, 0, NULL));
	CHECK_EQ(RM_ERROR_MSG_INVALID, rt_call(w, 0, RM_VM_CONSOLE_CLOSE, req, 5, NULL, 0, NULL));
	CHECK_EQ(RM_ERROR_MSG_INVALID, rt_call(w, 0, RM_VM_CONSOLE_FLUSH, req, 0, NULL, 0, NULL));
	CHECK_EQ(RM_ERROR_MSG_INVALID, rt_call(w, 0, RM_VM_CONSOLE_WRITE, req, 3, NULL, 0, NULL));
	/* num_bytes 5 with 4 bytes, and with 6. */
	rm_rpc_put16(req + 2, 5);
	CHECK_EQ(RM_ERROR_MSG_INVALID, rt_call(w, 0, RM_VM_CONSOLE_WRITE, req, 8, NULL, 0, NULL));
	CHECK_EQ(RM_ERROR_MSG_INVALID, rt_call(w, 0, RM_VM_CONSOLE_WRITE, req, 10, NULL, 0, NULL));
	/* num_bytes 0xFFFF in a short request. */
	rm_rpc_put16(req + 2, 0xFFFF);
	CHECK_EQ(RM_ERROR_MSG_INVALID, rt_call(w, 0, RM_VM_CONSOLE_WRITE, req, 16, NULL, 0, NULL));
	CHECK_EQ(RM_ERROR_ARGUMENT_INVALID, console(w, 0, RM_VM_CONSOLE_OPEN, 0x42));
	CHECK_EQ(RM_ERROR_ARGUMENT_INVALID, write_str(w, 0, 0x42, "x"));
	CHECK_EQ(RM_ERROR_ARGUMENT_INVALID, console(w, 0, RM_VM_CONSOLE_FLUSH, 0x42));
	CHECK_EQ(0, w->uart_len);
	rt_world_free(w);
}

/* The owner side: only the owner may open a VM's console by VMID (the peer may not open the
 * primary's, nor the primary its own by VMID: its owner is the RM). */
RPC_TEST(console_owner_side_permissions)
{
	struct rt_world *w = rt_world_new(&rm_rpc_pure_table);

	CHECK_EQ(RM_ERROR_DENIED, console(w, 1, RM_VM_CONSOLE_OPEN, RT_PRIMARY));
	CHECK_EQ(RM_ERROR_DENIED, console(w, 0, RM_VM_CONSOLE_OPEN, RT_PRIMARY));
	CHECK_EQ(RM_ERROR_DENIED, write_str(w, 1, RT_PRIMARY, "x"));
	CHECK_EQ(RM_ERROR_DENIED, console(w, 1, RM_VM_CONSOLE_CLOSE, RT_PRIMARY));
	/* The owner's write before its open. */
	CHECK_EQ(RM_ERROR_DENIED, write_str(w, 0, RT_PEER, "x"));
	CHECK_EQ(RM_ERROR_DENIED, console(w, 0, RM_VM_CONSOLE_FLUSH, RT_PEER));
	CHECK_EQ(RM_OK, console(w, 0, RM_VM_CONSOLE_OPEN, RT_PEER));
	CHECK_EQ(RM_OK, console(w, 0, RM_VM_CONSOLE_FLUSH, RT_PEER));
	/* The peer has not opened its side: the owner's bytes are dropped, still OK. */
	CHECK_EQ(RM_OK, write_str(w, 0, RT_PEER, "x"));
	CHECK_EQ(3, w->chan[1].n); /* the peer's three replies, no CHARS */
	CHECK_EQ(0, w->uart_len);
	rt_world_free(w);
}

/* Both directions as CHARS: the peer's own writes reach the UART and its owner as
 * {from 0x80, n, bytes}; the owner's writes reach the peer as {from 3, n, bytes}. */
RPC_TEST(console_chars_both_ways)
{
	struct rt_world *w = rt_world_new(&rm_rpc_pure_table);
	static const uint8_t want_up[9] = {0x80, 0x00, 0x05, 0x00, 'p', 'o', 'n', 'g', '\n'};
	static const uint8_t want_down[8] = {0x03, 0x00, 0x04, 0x00, 'p', 'i', 'n', 'g'};
	uint8_t out[64];
	size_t at0, at1 = 0;

	CHECK_EQ(RM_OK, console(w, 0, RM_VM_CONSOLE_OPEN, RT_PEER));
	CHECK_EQ(RM_OK, console(w, 1, RM_VM_CONSOLE_OPEN, 0));
	CHECK_EQ(RM_OK, write_str(w, 0, RT_PEER, "ping"));
	CHECK_EQ(1, w->chan[1].n - 1); /* the OPEN reply, then the CHARS */
	at1 = 1;
	CHECK_EQ(8, rt_take(&w->chan[1], &at1, RM_RPC_TYPE_NOTIFICATION, 0,
	                    RM_NOTIFY_VM_CONSOLE_CHARS, out, sizeof(out)));
	CHECK_BYTES(want_down, out, 8);
	at0 = w->chan[0].n;
	/* The peer's write: CHARS to the owner goes out before the peer's reply. */
	CHECK_EQ(RM_OK, write_str(w, 1, 0, "pong\n"));
	CHECK_EQ(at0 + 1, w->chan[0].n);
	CHECK_EQ(9, rt_take(&w->chan[0], &at0, RM_RPC_TYPE_NOTIFICATION, 0,
	                    RM_NOTIFY_VM_CONSOLE_CHARS, out, sizeof(out)));
	CHECK_BYTES(want_up, out, 9);
	check_uart(w, "[vm 128] pong\n");
	/* The owner closes its side: the peer's bytes go to the UART only. */
	CHECK_EQ(RM_OK, console(w, 0, RM_VM_CONSOLE_CLOSE, RT_PEER));
	at0 = w->chan[0].n;
	CHECK_EQ(RM_OK, write_str(w, 1, 0, "x\n"));
	CHECK_EQ(at0, w->chan[0].n);
	check_uart(w, "[vm 128] pong\n[vm 128] x\n");
	rt_world_free(w);
}

/* A CHARS notification larger than one message is fragmented: 4 + 600 bytes in 3 messages. */
RPC_TEST(console_chars_fragmented)
{
	struct rt_world *w = rt_world_new(&rm_rpc_pure_table);
	static uint8_t req[4 + 600], out[700];
	size_t at;

	CHECK_EQ(RM_OK, console(w, 0, RM_VM_CONSOLE_OPEN, RT_PEER));
	CHECK_EQ(RM_OK, console(w, 1, RM_VM_CONSOLE_OPEN, 0));
	rm_rpc_put16(req, 0);
	rm_rpc_put16(req + 2, 600);
	for (int i = 0; i < 600; i++) {
		req[4 + i] = (uint8_t)('A' + i % 26);
	}
	at = w->chan[0].n;
	CHECK_EQ(RM_OK, rt_call(w, 1, RM_VM_CONSOLE_WRITE, req, sizeof(req), NULL, 0, NULL));
	CHECK_EQ(at + 3, w->chan[0].n);
	CHECK_EQ(604, rt_take(&w->chan[0], &at, RM_RPC_TYPE_NOTIFICATION, 0,
	                      RM_NOTIFY_VM_CONSOLE_CHARS, out, sizeof(out)));
	CHECK_EQ(RT_PEER, rm_rpc_get16(out));
	CHECK_EQ(600, rm_rpc_get16(out + 2));
	CHECK_BYTES(req + 4, out + 4, 600);
	rt_world_free(w);
}

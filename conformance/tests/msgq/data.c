/* msgqueue_send (0x1b), msgqueue_receive (0x1c): sizes, full, empty, FIFO order and contents (§4).
 */
#include <humpy/ipc.h>

#define MQ_TEST(name) IPC_TEST(msgq, name, GH_API_FLAG0_MSGQUEUE, "msgqueue", false)
#define DATA_SIZE     GH_LIMIT_MSGQUEUE_RM_MSG_SIZE

static u8 data_tx[GH_LIMIT_MSGQUEUE_MAX_MSG_SIZE + 1];
static u8 data_rx[GH_LIMIT_MSGQUEUE_MAX_MSG_SIZE + 1];

/* Proves a 0-byte send is ARGUMENT_SIZE and queues nothing (§4; deviation msgqueue_copy_errors). */
MQ_TEST(send_0_bytes)
{
	u64 q = mq_make(rc, 4, DATA_SIZE);

	RETURN_IF_FAILED();
	ipc_pattern(data_tx, 1, 1);
	ASSERT_EQ("send 0 bytes", mq_send(q, 0, data_tx, 0).x[0], E(ARGUMENT_SIZE));
	ASSERT_RESULT2("receive after", mq_recv(q, data_rx, DATA_SIZE), E(MSGQUEUE_EMPTY), 0, 0);
}

/* Proves a 1-byte message arrives as exactly 1 byte: send not_full 1, receive size 1 (§4). */
MQ_TEST(send_1_byte)
{
	u64 q = mq_make(rc, 4, DATA_SIZE);

	RETURN_IF_FAILED();
	ipc_pattern(data_tx, 1, 2);
	ASSERT_RESULT("send 1 byte", mq_send(q, 1, data_tx, 0), 0, 1);
	if (!mq_expect_msg("receive", q, 1, 2, 0))
		return;
}

/* Proves a message of exactly max_msg_size (240) arrives byte-exact (§4). */
MQ_TEST(send_max)
{
	u64 q = mq_make(rc, 4, DATA_SIZE);

	RETURN_IF_FAILED();
	ipc_pattern(data_tx, DATA_SIZE, 3);
	ASSERT_RESULT("send 240 bytes", mq_send(q, DATA_SIZE, data_tx, 0), 0, 1);
	if (!mq_expect_msg("receive", q, DATA_SIZE, 3, 0))
		return;
}

/* Proves max_msg_size + 1 bytes is ARGUMENT_SIZE and queues nothing (§4). */
MQ_TEST(send_max_plus_1)
{
	u64 q = mq_make(rc, 4, DATA_SIZE);

	RETURN_IF_FAILED();
	ipc_pattern(data_tx, DATA_SIZE + 1, 4);
	ASSERT_EQ("send 241 bytes", mq_send(q, DATA_SIZE + 1, data_tx, 0).x[0], E(ARGUMENT_SIZE));
	ASSERT_EQ("send ~0 bytes", mq_send(q, ~0ULL, data_tx, 0).x[0], E(ARGUMENT_SIZE));
	ASSERT_RESULT2("receive after", mq_recv(q, data_rx, DATA_SIZE), E(MSGQUEUE_EMPTY), 0, 0);
}

/* Proves filling a depth-4 queue: not_full 1, 1, 1 then 0 on the 4th; the 5th is MSGQUEUE_FULL and
 * changes nothing (the 4 messages come out in order, then EMPTY) (§4). */
MQ_TEST(fill_to_full)
{
	u64 q = mq_make(rc, 4, 16);
	u32 i;

	RETURN_IF_FAILED();
	for (i = 0; i < 4; i++) {
		ipc_pattern(data_tx, 16, 10 + i);
		ASSERT_RESULT("send to fill", mq_send(q, 16, data_tx, 0), 0, i < 3);
	}
	ipc_pattern(data_tx, 16, 99);
	ASSERT_EQ("send to a full queue", mq_send(q, 16, data_tx, 0).x[0], E(MSGQUEUE_FULL));
	ASSERT_EQ("send to a full queue, with push", mq_send(q, 16, data_tx, MQ_PUSH).x[0],
	          E(MSGQUEUE_FULL));
	for (i = 0; i < 4; i++) {
		if (!mq_expect_msg("receive", q, 16, 10 + i, i < 3))
			return;
	}
	ASSERT_RESULT2("receive after", mq_recv(q, data_rx, 16), E(MSGQUEUE_EMPTY), 0, 0);
}

/* Proves receive on an empty queue is MSGQUEUE_EMPTY with size 0, not_empty 0, buffer untouched
 * (§4). */
MQ_TEST(receive_empty)
{
	u64 q = mq_make(rc, 2, 16);

	RETURN_IF_FAILED();
	memset(data_rx, IPC_POISON, 16);
	ASSERT_RESULT2("receive", mq_recv(q, data_rx, 16), E(MSGQUEUE_EMPTY), 0, 0);
	if (!ipc_bytes_are("buffer after", data_rx, 16, IPC_POISON))
		return;
	ASSERT_RESULT2("receive again", mq_recv(q, data_rx, 16), E(MSGQUEUE_EMPTY), 0, 0);
}

/* Proves not_empty says whether messages remain after each receive (§4). */
MQ_TEST(receive_not_empty)
{
	u64 q = mq_make(rc, 4, 16);
	u32 i;

	RETURN_IF_FAILED();
	for (i = 0; i < 3; i++) {
		ipc_pattern(data_tx, 8 + i, 20 + i);
		ASSERT_RESULT("send", mq_send(q, 8 + i, data_tx, 0), 0, 1);
	}
	for (i = 0; i < 3; i++) {
		if (!mq_expect_msg("receive", q, 8 + i, 20 + i, i < 2))
			return;
	}
}

/* Proves FIFO order and byte-exact contents over 13 laps of a depth-3 queue (ring wraps > 3 times),
 * sizes varying 1..max, with the queue kept 1-2 deep (§4). */
MQ_TEST(fifo_wraparound)
{
	u64 q = mq_make(rc, 3, DATA_SIZE);
	u32 sent = 0, got = 0;

	RETURN_IF_FAILED();
	while (got < 40) {
		while (sent < 40 && sent - got < 2) {
			u64 size = 1 + (sent * 37) % DATA_SIZE;

			ipc_pattern(data_tx, size, 100 + sent);
			ASSERT_RESULT("send", mq_send(q, size, data_tx, 0), 0, 1);
			sent++;
		}
		if (!mq_expect_msg("receive in order", q, 1 + (got * 37) % DATA_SIZE, 100 + got,
		                   sent - got > 1))
			return;
		got++;
	}
	ASSERT_RESULT2("receive after", mq_recv(q, data_rx, DATA_SIZE), E(MSGQUEUE_EMPTY), 0, 0);
}

/* Proves full/empty cycles keep the ring consistent: 5 times fill 3, drain 3 (§4). */
MQ_TEST(fifo_fill_drain_cycles)
{
	u64 q = mq_make(rc, 3, 32);
	u32 lap, i;

	RETURN_IF_FAILED();
	for (lap = 0; lap < 5; lap++) {
		for (i = 0; i < 3; i++) {
			ipc_pattern(data_tx, 32 - i, lap * 3 + i);
			ASSERT_RESULT("send", mq_send(q, 32 - i, data_tx, 0), 0, i < 2);
		}
		ASSERT_EQ("send when full", mq_send(q, 1, data_tx, 0).x[0], E(MSGQUEUE_FULL));
		for (i = 0; i < 3; i++) {
			if (!mq_expect_msg("receive", q, 32 - i, lap * 3 + i, i < 2))
				return;
		}
	}
}

/* Proves a receive buffer smaller than the head message is ADDR_OVERFLOW, nothing written, and the
 * message stays queued whole (§4 receive). */
MQ_TEST(receive_buffer_small)
{
	u64 q = mq_make(rc, 4, DATA_SIZE);

	RETURN_IF_FAILED();
	ipc_pattern(data_tx, 100, 7);
	ASSERT_RESULT("send", mq_send(q, 100, data_tx, 0), 0, 1);
	memset(data_rx, IPC_POISON, DATA_SIZE);
	ASSERT_EQ("receive into 99 bytes", mq_recv(q, data_rx, 99).x[0], E(ADDR_OVERFLOW));
	ASSERT_EQ("receive into 1 byte", mq_recv(q, data_rx, 1).x[0], E(ADDR_OVERFLOW));
	ASSERT_EQ("receive into 0 bytes", mq_recv(q, data_rx, 0).x[0], E(ADDR_OVERFLOW));
	if (!ipc_bytes_are("buffer after", data_rx, DATA_SIZE, IPC_POISON))
		return;
	if (!mq_expect_msg("receive the kept message", q, 100, 7, 0))
		return;
}

/* Proves a receive buffer of exactly the message size is enough (§4 receive). */
MQ_TEST(receive_buffer_exact)
{
	u64 q = mq_make(rc, 4, DATA_SIZE);

	RETURN_IF_FAILED();
	ipc_pattern(data_tx, 100, 8);
	ASSERT_RESULT("send", mq_send(q, 100, data_tx, 0), 0, 1);
	memset(data_rx, IPC_POISON, DATA_SIZE);
	ASSERT_RESULT2("receive into 100 bytes", mq_recv(q, data_rx, 100), 0, 100, 0);
	if (!ipc_pattern_ok("received", data_rx, 100, 8))
		return;
	ASSERT_EQ("byte after", data_rx[100], IPC_POISON);
}

/* Proves the sender's buffer is read at send time: changing it afterwards does not change the
 * queued message (§4: send copies into the slot). */
MQ_TEST(send_copies)
{
	u64 q = mq_make(rc, 4, 64);

	RETURN_IF_FAILED();
	ipc_pattern(data_tx, 64, 11);
	ASSERT_RESULT("send", mq_send(q, 64, data_tx, 0), 0, 1);
	memset(data_tx, 0, 64);
	if (!mq_expect_msg("receive", q, 64, 11, 0))
		return;
}

/* Proves msgqueue_flush drops every message: the next receive is EMPTY and a full queue takes
 * depth messages again (§4 flush). */
MQ_TEST(flush_drops_all)
{
	u64 q = mq_make(rc, 2, 16);

	RETURN_IF_FAILED();
	ipc_pattern(data_tx, 16, 1);
	ASSERT_RESULT("send 1", mq_send(q, 16, data_tx, 0), 0, 1);
	ASSERT_RESULT("send 2", mq_send(q, 16, data_tx, 0), 0, 0);
	ASSERT_RESULT("flush", hc(GH_HVC_MSGQUEUE_FLUSH, q, 0, 0, 0, 0), 0, 0);
	ASSERT_RESULT2("receive after flush", mq_recv(q, data_rx, 16), E(MSGQUEUE_EMPTY), 0, 0);
	ipc_pattern(data_tx, 5, 2);
	ASSERT_RESULT("send after flush 1", mq_send(q, 5, data_tx, 0), 0, 1);
	ASSERT_RESULT("send after flush 2", mq_send(q, 5, data_tx, 0), 0, 0);
	if (!mq_expect_msg("receive", q, 5, 2, 1))
		return;
}

/* Proves flush of an empty queue is OK (§4 flush). */
MQ_TEST(flush_empty)
{
	u64 q = mq_make(rc, 2, 16);

	RETURN_IF_FAILED();
	ASSERT_RESULT("flush", hc(GH_HVC_MSGQUEUE_FLUSH, q, 0, 0, 0, 0), 0, 0);
	ASSERT_RESULT2("receive", mq_recv(q, data_rx, 16), E(MSGQUEUE_EMPTY), 0, 0);
}

/* Proves non-zero res0 inputs of send, receive and flush give ARGUMENT_INVALID with no effect
 * (§1a reserved inputs). */
MQ_TEST(data_res0)
{
	u64 q = mq_make(rc, 2, 16);

	RETURN_IF_FAILED();
	ipc_pattern(data_tx, 16, 1);
	ASSERT_EQ("send res0=1",
	          hc(GH_HVC_MSGQUEUE_SEND, q, 16, (u64)(uintptr_t)data_tx, 0, 1).x[0],
	          E(ARGUMENT_INVALID));
	ASSERT_RESULT2("receive (nothing sent)", mq_recv(q, data_rx, 16), E(MSGQUEUE_EMPTY), 0, 0);
	ASSERT_RESULT("send", mq_send(q, 16, data_tx, 0), 0, 1);
	ASSERT_EQ("receive res0=1",
	          hc(GH_HVC_MSGQUEUE_RECEIVE, q, (u64)(uintptr_t)data_rx, 16, 1, 0).x[0],
	          E(ARGUMENT_INVALID));
	ASSERT_EQ("flush res0=1", hc(GH_HVC_MSGQUEUE_FLUSH, q, 1, 0, 0, 0).x[0],
	          E(ARGUMENT_INVALID));
	if (!mq_expect_msg("receive (still queued)", q, 16, 1, 0))
		return;
}

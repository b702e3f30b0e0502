/* msgqueue_configure (0x21) limits and lifecycle: depth 1..255, max_msg_size 1..1023 (§4). */
#include <humpy/ipc.h>

#define MQ_TEST(name) IPC_TEST(msgq, name, GH_API_FLAG0_MSGQUEUE, "msgqueue", false)

static u8 cfg_tx[GH_LIMIT_MSGQUEUE_MAX_MSG_SIZE + 1];

/* A created, unconfigured queue (INIT), tracked. */
static u64 cfg_new(const struct root_caps *rc)
{
	return root_create(rc, GH_HVC_PARTITION_CREATE_MSGQUEUE, rc->partition);
}

static void cfg_expect(u64 q, u64 depth, u64 size, u64 err)
{
	ASSERT_RESULT("msgqueue_configure",
	              hc(GH_HVC_MSGQUEUE_CONFIGURE, q, mq_info(depth, size), 0, 0, 0), err, 0);
}

/* Proves depth 0 is refused with ARGUMENT_INVALID and the queue cannot then activate (§4). */
MQ_TEST(configure_depth_0)
{
	u64 q = cfg_new(rc);

	RETURN_IF_FAILED();
	cfg_expect(q, 0, 16, E(ARGUMENT_INVALID));
	RETURN_IF_FAILED();
	ASSERT_EQ("activate after the refused configure", hc_err(GH_HVC_OBJECT_ACTIVATE, q, 0, 0),
	          E(OBJECT_CONFIG));
}

/* Proves depth 1 is accepted: one message fills the queue (not_full 0), the next is FULL (§4). */
MQ_TEST(configure_depth_1)
{
	u64 q = cfg_new(rc);

	RETURN_IF_FAILED();
	cfg_expect(q, 1, 8, 0);
	RETURN_IF_FAILED();
	ASSERT_EQ("activate", hc_err(GH_HVC_OBJECT_ACTIVATE, q, 0, 0), 0);
	ipc_pattern(cfg_tx, 8, 1);
	ASSERT_RESULT("send 1 of 1", mq_send(q, 8, cfg_tx, 0), 0, 0);
	ASSERT_EQ("send 2 of 1", mq_send(q, 8, cfg_tx, 0).x[0], E(MSGQUEUE_FULL));
	if (!mq_expect_msg("receive", q, 8, 1, 0))
		return;
}

/* Proves depth 255 (the largest) holds exactly 255 messages: not_full 0 on the 255th, then FULL
 * (§4, limits.msgqueue_max_depth). */
MQ_TEST(configure_depth_255)
{
	u64 q = cfg_new(rc), i;

	RETURN_IF_FAILED();
	cfg_expect(q, GH_LIMIT_MSGQUEUE_MAX_DEPTH, 4, 0);
	RETURN_IF_FAILED();
	ASSERT_EQ("activate", hc_err(GH_HVC_OBJECT_ACTIVATE, q, 0, 0), 0);
	for (i = 1; i <= GH_LIMIT_MSGQUEUE_MAX_DEPTH; i++) {
		struct gh_ret r;

		ipc_pattern(cfg_tx, 4, (u32)i);
		r = mq_send(q, 4, cfg_tx, 0);
		if (r.x[0] != 0 || r.x[1] != (i < GH_LIMIT_MSGQUEUE_MAX_DEPTH)) {
			test_fail(
			    "send %lu of 255: expected x0 0x0 not_full %u got x0 0x%lx x1 0x%lx", i,
			    i < GH_LIMIT_MSGQUEUE_MAX_DEPTH, r.x[0], r.x[1]);
			return;
		}
	}
	ASSERT_EQ("send 256 of 255", mq_send(q, 4, cfg_tx, 0).x[0], E(MSGQUEUE_FULL));
	for (i = 1; i <= GH_LIMIT_MSGQUEUE_MAX_DEPTH; i++) {
		if (!mq_expect_msg("receive", q, 4, (u32)i, i < GH_LIMIT_MSGQUEUE_MAX_DEPTH))
			return;
	}
}

/* Proves depth 256 is refused with ARGUMENT_INVALID (§4: depth < 256). */
MQ_TEST(configure_depth_256)
{
	u64 q = cfg_new(rc);

	RETURN_IF_FAILED();
	cfg_expect(q, GH_LIMIT_MSGQUEUE_MAX_DEPTH + 1, 16, E(ARGUMENT_INVALID));
	RETURN_IF_FAILED();
	ASSERT_EQ("activate after the refused configure", hc_err(GH_HVC_OBJECT_ACTIVATE, q, 0, 0),
	          E(OBJECT_CONFIG));
}

/* Proves max_msg_size 0 is refused with ARGUMENT_INVALID (§4). */
MQ_TEST(configure_size_0)
{
	u64 q = cfg_new(rc);

	RETURN_IF_FAILED();
	cfg_expect(q, 4, 0, E(ARGUMENT_INVALID));
	RETURN_IF_FAILED();
	ASSERT_EQ("activate after the refused configure", hc_err(GH_HVC_OBJECT_ACTIVATE, q, 0, 0),
	          E(OBJECT_CONFIG));
}

/* Proves max_msg_size 1 is accepted: 1 byte goes through, 2 bytes are ARGUMENT_SIZE (§4). */
MQ_TEST(configure_size_1)
{
	u64 q = cfg_new(rc);

	RETURN_IF_FAILED();
	cfg_expect(q, 4, 1, 0);
	RETURN_IF_FAILED();
	ASSERT_EQ("activate", hc_err(GH_HVC_OBJECT_ACTIVATE, q, 0, 0), 0);
	ipc_pattern(cfg_tx, 2, 9);
	ASSERT_EQ("send 2 bytes", mq_send(q, 2, cfg_tx, 0).x[0], E(ARGUMENT_SIZE));
	ASSERT_RESULT("send 1 byte", mq_send(q, 1, cfg_tx, 0), 0, 1);
	if (!mq_expect_msg("receive", q, 1, 9, 0))
		return;
}

/* Proves max_msg_size 1023 (the largest) is accepted and carries 1023 bytes exactly (§4). */
MQ_TEST(configure_size_1023)
{
	u64 q = cfg_new(rc);

	RETURN_IF_FAILED();
	cfg_expect(q, 2, GH_LIMIT_MSGQUEUE_MAX_MSG_SIZE, 0);
	RETURN_IF_FAILED();
	ASSERT_EQ("activate", hc_err(GH_HVC_OBJECT_ACTIVATE, q, 0, 0), 0);
	ipc_pattern(cfg_tx, GH_LIMIT_MSGQUEUE_MAX_MSG_SIZE + 1, 3);
	ASSERT_EQ("send 1024 bytes", mq_send(q, GH_LIMIT_MSGQUEUE_MAX_MSG_SIZE + 1, cfg_tx, 0).x[0],
	          E(ARGUMENT_SIZE));
	ASSERT_RESULT("send 1023 bytes", mq_send(q, GH_LIMIT_MSGQUEUE_MAX_MSG_SIZE, cfg_tx, 0), 0,
	              1);
	if (!mq_expect_msg("receive", q, GH_LIMIT_MSGQUEUE_MAX_MSG_SIZE, 3, 0))
		return;
}

/* Proves max_msg_size 1024 is refused with ARGUMENT_INVALID (§4: size < 1024). */
MQ_TEST(configure_size_1024)
{
	u64 q = cfg_new(rc);

	RETURN_IF_FAILED();
	cfg_expect(q, 4, GH_LIMIT_MSGQUEUE_MAX_MSG_SIZE + 1, E(ARGUMENT_INVALID));
	RETURN_IF_FAILED();
	ASSERT_EQ("activate after the refused configure", hc_err(GH_HVC_OBJECT_ACTIVATE, q, 0, 0),
	          E(OBJECT_CONFIG));
}

/* Proves activation of an unconfigured queue gives OBJECT_CONFIG and leaves it INIT (§4, §2). */
MQ_TEST(activate_unconfigured)
{
	u64 q = cfg_new(rc);

	RETURN_IF_FAILED();
	ASSERT_EQ("activate", hc_err(GH_HVC_OBJECT_ACTIVATE, q, 0, 0), E(OBJECT_CONFIG));
	cfg_expect(q, 2, 2, 0); /* still INIT: configure is accepted */
	RETURN_IF_FAILED();
	ASSERT_EQ("activate after configure", hc_err(GH_HVC_OBJECT_ACTIVATE, q, 0, 0), 0);
}

/* Proves msgqueue_configure on an active queue gives OBJECT_STATE and changes nothing (§4). */
MQ_TEST(configure_active)
{
	u64 q = mq_make(rc, 1, 4);

	RETURN_IF_FAILED();
	cfg_expect(q, 8, 4, E(OBJECT_STATE));
	RETURN_IF_FAILED();
	ipc_pattern(cfg_tx, 4, 5);
	ASSERT_RESULT("send (depth still 1)", mq_send(q, 4, cfg_tx, 0), 0, 0);
}

/* Proves the last msgqueue_configure before activation wins (§4: configure while INIT). */
MQ_TEST(configure_last_wins)
{
	u64 q = cfg_new(rc);

	RETURN_IF_FAILED();
	cfg_expect(q, 8, 4, 0);
	cfg_expect(q, 2, 4, 0);
	RETURN_IF_FAILED();
	ASSERT_EQ("activate", hc_err(GH_HVC_OBJECT_ACTIVATE, q, 0, 0), 0);
	ipc_pattern(cfg_tx, 4, 5);
	ASSERT_RESULT("send 1 of 2", mq_send(q, 4, cfg_tx, 0), 0, 1);
	ASSERT_RESULT("send 2 of 2", mq_send(q, 4, cfg_tx, 0), 0, 0);
}

/* Proves a non-zero res0 (x2) gives ARGUMENT_INVALID on the native path and configures nothing
 * (§1a reserved inputs). */
MQ_TEST(configure_res0)
{
	u64 q = cfg_new(rc);

	RETURN_IF_FAILED();
	ASSERT_RESULT("msgqueue_configure res0=1",
	              hc(GH_HVC_MSGQUEUE_CONFIGURE, q, mq_info(2, 2), 1, 0, 0), E(ARGUMENT_INVALID),
	              0);
	ASSERT_EQ("activate (not configured)", hc_err(GH_HVC_OBJECT_ACTIVATE, q, 0, 0),
	          E(OBJECT_CONFIG));
}

/* Proves data calls on a queue that is not active give OBJECT_STATE (§2: caps of active objects).
 */
MQ_TEST(send_inactive)
{
	u64 q = cfg_new(rc);

	RETURN_IF_FAILED();
	cfg_expect(q, 2, 4, 0);
	RETURN_IF_FAILED();
	ASSERT_EQ("send", mq_send(q, 4, cfg_tx, 0).x[0], E(OBJECT_STATE));
	ASSERT_EQ("receive", mq_recv(q, cfg_tx, 4).x[0], E(OBJECT_STATE));
}

/* Message queue rights: each call refused without its right, send-only and receive-only caps,
 * wrong object types (§4 rights, §2 cap lookup). */
#include <humpy/ipc.h>

#define MQ_TEST(name)     IPC_TEST(msgq, name, GH_API_FLAG0_MSGQUEUE, "msgqueue", false)
#define MQ_IRQ_TEST(name) IPC_TEST(msgq, name, GH_API_FLAG0_MSGQUEUE, "msgqueue", true)

static u8 rt_tx[16];
static u8 rt_rx[16];

/* The call `call` on q with its usual arguments (a 16-byte message, IPC_VIRQ(3) for binds). */
static struct gh_ret rt_call(u32 call, u64 q, u64 vic)
{
	switch (call) {
	case GH_HVC_MSGQUEUE_SEND:
		return mq_send(q, 16, rt_tx, 0);
	case GH_HVC_MSGQUEUE_RECEIVE:
		return mq_recv(q, rt_rx, 16);
	case GH_HVC_MSGQUEUE_CONFIGURE_SEND:
	case GH_HVC_MSGQUEUE_CONFIGURE_RECEIVE:
		return hc(call, q, 1, ~0ULL, ~0ULL, 0);
	case GH_HVC_MSGQUEUE_BIND_SEND_VIRQ:
	case GH_HVC_MSGQUEUE_BIND_RECEIVE_VIRQ:
		return hc(call, q, vic, IPC_VIRQ(3), 0, 0);
	default:
		return hc(call, q, 0, 0, 0, 0);
	}
}

/* A copy of an active queue (holding one message) with every right but `right`: `call` must be
 * CSPACE_INSUFFICIENT_RIGHTS, and the queue still holds its message. */
static void rt_missing(const struct root_caps *rc, const struct ipc_self *self, u32 call, u64 right)
{
	u64 q = mq_make(rc, 2, 16);
	u64 weak;

	RETURN_IF_FAILED();
	ipc_pattern(rt_tx, 16, 60);
	ASSERT_RESULT("send (fixture)", mq_send(q, 16, rt_tx, 0), 0, 1);
	weak = root_copy(rc, q, ~right);
	RETURN_IF_FAILED();
	ASSERT_EQ("x0 without the right", rt_call(call, weak, self->vic).x[0],
	          E(CSPACE_INSUFFICIENT_RIGHTS));
	if (!mq_expect_msg("the queued message, unchanged", q, 16, 60, 0))
		return;
}

#define RT_MISSING_TEST(name, call, right, vic)                                                    \
	/* Proves the call is CSPACE_INSUFFICIENT_RIGHTS on a cap without its right (§4 rights).  \
	 */                                                                                        \
	IPC_TEST(msgq, name, GH_API_FLAG0_MSGQUEUE, "msgqueue", vic)                               \
	{                                                                                          \
		rt_missing(rc, self, (call), (right));                                             \
	}

RT_MISSING_TEST(send_needs_send, GH_HVC_MSGQUEUE_SEND, GH_RIGHT_MSGQUEUE_SEND, false)
RT_MISSING_TEST(receive_needs_receive, GH_HVC_MSGQUEUE_RECEIVE, GH_RIGHT_MSGQUEUE_RECEIVE, false)
RT_MISSING_TEST(flush_needs_receive, GH_HVC_MSGQUEUE_FLUSH, GH_RIGHT_MSGQUEUE_RECEIVE, false)
RT_MISSING_TEST(configure_send_needs_send, GH_HVC_MSGQUEUE_CONFIGURE_SEND, GH_RIGHT_MSGQUEUE_SEND,
                false)
RT_MISSING_TEST(configure_receive_needs_receive, GH_HVC_MSGQUEUE_CONFIGURE_RECEIVE,
                GH_RIGHT_MSGQUEUE_RECEIVE, false)
RT_MISSING_TEST(bind_send_needs_bind_send, GH_HVC_MSGQUEUE_BIND_SEND_VIRQ,
                GH_RIGHT_MSGQUEUE_BIND_SEND, true)
RT_MISSING_TEST(bind_receive_needs_bind_receive, GH_HVC_MSGQUEUE_BIND_RECEIVE_VIRQ,
                GH_RIGHT_MSGQUEUE_BIND_RECEIVE, true)
RT_MISSING_TEST(unbind_send_needs_bind_send, GH_HVC_MSGQUEUE_UNBIND_SEND_VIRQ,
                GH_RIGHT_MSGQUEUE_BIND_SEND, false)
RT_MISSING_TEST(unbind_receive_needs_bind_receive, GH_HVC_MSGQUEUE_UNBIND_RECEIVE_VIRQ,
                GH_RIGHT_MSGQUEUE_BIND_RECEIVE, false)

/* Proves a send-only cap (rights mask SEND) sends but cannot receive, flush or configure_receive
 * (§4 rights; §2 cspace_copy_cap_from rights mask). */
MQ_TEST(send_only_cap)
{
	u64 q = mq_make(rc, 2, 16);
	u64 tx = root_copy(rc, q, GH_RIGHT_MSGQUEUE_SEND);

	RETURN_IF_FAILED();
	ipc_pattern(rt_tx, 16, 61);
	ASSERT_RESULT("send through the send-only cap", mq_send(tx, 16, rt_tx, 0), 0, 1);
	ASSERT_EQ("receive through it", mq_recv(tx, rt_rx, 16).x[0], E(CSPACE_INSUFFICIENT_RIGHTS));
	ASSERT_EQ("flush through it", hc_err(GH_HVC_MSGQUEUE_FLUSH, tx, 0, 0),
	          E(CSPACE_INSUFFICIENT_RIGHTS));
	ASSERT_EQ("configure_receive through it",
	          hc(GH_HVC_MSGQUEUE_CONFIGURE_RECEIVE, tx, 1, ~0ULL, ~0ULL, 0).x[0],
	          E(CSPACE_INSUFFICIENT_RIGHTS));
	ASSERT_RESULT("configure_send through it",
	              hc(GH_HVC_MSGQUEUE_CONFIGURE_SEND, tx, 1, ~0ULL, ~0ULL, 0), 0, 0);
	if (!mq_expect_msg("receive through the master cap", q, 16, 61, 0))
		return;
}

/* Proves a receive-only cap (rights mask RECEIVE) receives but cannot send or configure_send (§4).
 */
MQ_TEST(receive_only_cap)
{
	u64 q = mq_make(rc, 2, 16);
	u64 rx = root_copy(rc, q, GH_RIGHT_MSGQUEUE_RECEIVE);

	RETURN_IF_FAILED();
	ipc_pattern(rt_tx, 16, 62);
	ASSERT_EQ("send through the receive-only cap", mq_send(rx, 16, rt_tx, 0).x[0],
	          E(CSPACE_INSUFFICIENT_RIGHTS));
	ASSERT_EQ("configure_send through it",
	          hc(GH_HVC_MSGQUEUE_CONFIGURE_SEND, rx, 1, ~0ULL, ~0ULL, 0).x[0],
	          E(CSPACE_INSUFFICIENT_RIGHTS));
	ASSERT_RESULT2("receive through it (empty)", mq_recv(rx, rt_rx, 16), E(MSGQUEUE_EMPTY), 0,
	               0);
	ASSERT_RESULT("send through the master cap", mq_send(q, 16, rt_tx, 0), 0, 1);
	if (!mq_expect_msg("receive through the receive-only cap", rx, 16, 62, 0))
		return;
}

/* Proves every msgqueue data call on a doorbell cap is CSPACE_WRONG_OBJECT_TYPE (§2 cap lookup). */
IPC_TEST(msgq, wrong_object_type, GH_API_FLAG0_MSGQUEUE | GH_API_FLAG0_DOORBELL,
         "msgqueue and doorbell", false)
{
	u64 db = db_make(rc);

	RETURN_IF_FAILED();
	ASSERT_EQ("send", mq_send(db, 16, rt_tx, 0).x[0], E(CSPACE_WRONG_OBJECT_TYPE));
	ASSERT_EQ("receive", mq_recv(db, rt_rx, 16).x[0], E(CSPACE_WRONG_OBJECT_TYPE));
	ASSERT_EQ("flush", hc_err(GH_HVC_MSGQUEUE_FLUSH, db, 0, 0), E(CSPACE_WRONG_OBJECT_TYPE));
	ASSERT_EQ("configure_send", hc(GH_HVC_MSGQUEUE_CONFIGURE_SEND, db, 1, ~0ULL, ~0ULL, 0).x[0],
	          E(CSPACE_WRONG_OBJECT_TYPE));
	ASSERT_EQ("unbind_send", hc_err(GH_HVC_MSGQUEUE_UNBIND_SEND_VIRQ, db, 0, 0),
	          E(CSPACE_WRONG_OBJECT_TYPE));
}

/* Proves a bind whose VIC input names a message queue is CSPACE_WRONG_OBJECT_TYPE (§2). */
MQ_TEST(bind_vic_wrong_type)
{
	u64 q = mq_make(rc, 2, 16);

	RETURN_IF_FAILED();
	ASSERT_RESULT("bind receive to a queue as the VIC",
	              hc(GH_HVC_MSGQUEUE_BIND_RECEIVE_VIRQ, q, q, IPC_VIRQ(3), 0, 0),
	              E(CSPACE_WRONG_OBJECT_TYPE), 0);
}

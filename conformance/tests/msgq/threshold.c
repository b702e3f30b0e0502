/* msgqueue_configure_send (0x1f), msgqueue_configure_receive (0x20): thresholds and delays (§4). */
#include <humpy/ipc.h>

#define MQ_TEST(name) IPC_TEST(msgq, name, GH_API_FLAG0_MSGQUEUE, "msgqueue", false)
#define TH_DEPTH      4
#define TH_UNCHANGED  (~0ULL)     /* -1: keep the threshold */
#define TH_DEPTH_RX   (~0ULL - 1) /* -2: receive threshold = depth */
#define TH_DELAY_NONE (~0ULL)     /* -1: the only delay accepted */

static void th_send_expect(u64 q, u64 threshold, u64 delay, u64 err)
{
	ASSERT_RESULT("msgqueue_configure_send",
	              hc(GH_HVC_MSGQUEUE_CONFIGURE_SEND, q, threshold, delay, ~0ULL, 0), err, 0);
}

static void th_recv_expect(u64 q, u64 threshold, u64 delay, u64 err)
{
	ASSERT_RESULT("msgqueue_configure_receive",
	              hc(GH_HVC_MSGQUEUE_CONFIGURE_RECEIVE, q, threshold, delay, ~0ULL, 0), err, 0);
}

#define TH_SEND_TEST(name, threshold, err, why)                                                    \
	/* Proves configure_send with not-full threshold why (§4 configure_send). */              \
	MQ_TEST(configure_send_##name)                                                             \
	{                                                                                          \
		u64 q = mq_make(rc, TH_DEPTH, 8);                                                  \
		RETURN_IF_FAILED();                                                                \
		th_send_expect(q, (threshold), TH_DELAY_NONE, (err));                              \
	}

#define TH_RECV_TEST(name, threshold, err, why)                                                    \
	/* Proves configure_receive with not-empty threshold why (§4 configure_receive). */       \
	MQ_TEST(configure_receive_##name)                                                          \
	{                                                                                          \
		u64 q = mq_make(rc, TH_DEPTH, 8);                                                  \
		RETURN_IF_FAILED();                                                                \
		th_recv_expect(q, (threshold), TH_DELAY_NONE, (err));                              \
	}

TH_SEND_TEST(threshold_0, 0, 0, "0 is OK")
TH_SEND_TEST(threshold_1, 1, 0, "1 is OK")
TH_SEND_TEST(threshold_depth_minus_1, TH_DEPTH - 1, 0, "depth - 1 (the largest) is OK")
TH_SEND_TEST(threshold_depth, TH_DEPTH, E(ARGUMENT_INVALID), "depth is ARGUMENT_INVALID")
TH_SEND_TEST(threshold_depth_plus_1, TH_DEPTH + 1, E(ARGUMENT_INVALID),
             "depth + 1 is ARGUMENT_INVALID")
TH_SEND_TEST(threshold_unchanged, TH_UNCHANGED, 0, "-1 (unchanged) is OK")
TH_SEND_TEST(threshold_minus_2, TH_DEPTH_RX, E(ARGUMENT_INVALID),
             "-2 (only a receive value) is ARGUMENT_INVALID")

TH_RECV_TEST(threshold_0, 0, E(ARGUMENT_INVALID), "0 is ARGUMENT_INVALID")
TH_RECV_TEST(threshold_1, 1, 0, "1 is OK")
TH_RECV_TEST(threshold_depth, TH_DEPTH, 0, "depth (the largest) is OK")
TH_RECV_TEST(threshold_depth_plus_1, TH_DEPTH + 1, E(ARGUMENT_INVALID),
             "depth + 1 is ARGUMENT_INVALID")
TH_RECV_TEST(threshold_unchanged, TH_UNCHANGED, 0, "-1 (unchanged) is OK")
TH_RECV_TEST(threshold_set_depth, TH_DEPTH_RX, 0, "-2 (set to depth) is OK")

/* Proves configure_send with a delay other than -1 is UNIMPLEMENTED (§4 configure_send). */
MQ_TEST(configure_send_delay)
{
	u64 q = mq_make(rc, TH_DEPTH, 8);

	RETURN_IF_FAILED();
	th_send_expect(q, 1, 0, E(UNIMPLEMENTED));
	th_send_expect(q, 1, 1000, E(UNIMPLEMENTED));
	th_send_expect(q, TH_UNCHANGED, 0, E(UNIMPLEMENTED));
}

/* Proves configure_receive with a delay other than -1 is UNIMPLEMENTED (§4 configure_receive). */
MQ_TEST(configure_receive_delay)
{
	u64 q = mq_make(rc, TH_DEPTH, 8);

	RETURN_IF_FAILED();
	th_recv_expect(q, 1, 0, E(UNIMPLEMENTED));
	th_recv_expect(q, 1, 1000, E(UNIMPLEMENTED));
	th_recv_expect(q, TH_UNCHANGED, 0, E(UNIMPLEMENTED));
}

/* Proves x3 of both configure calls must be -1 (res1): anything else is ARGUMENT_INVALID (§1a, §4).
 */
MQ_TEST(configure_threshold_res1)
{
	u64 q = mq_make(rc, TH_DEPTH, 8);

	RETURN_IF_FAILED();
	ASSERT_RESULT("configure_send x3=0",
	              hc(GH_HVC_MSGQUEUE_CONFIGURE_SEND, q, 1, TH_DELAY_NONE, 0, 0),
	              E(ARGUMENT_INVALID), 0);
	ASSERT_RESULT("configure_receive x3=0",
	              hc(GH_HVC_MSGQUEUE_CONFIGURE_RECEIVE, q, 1, TH_DELAY_NONE, 0, 0),
	              E(ARGUMENT_INVALID), 0);
}

/* Every cap-lookup error of every message queue call's cap inputs (§2 cap lookup, §7), and the
 * creation errors of partition_create_msgqueue (0x07). */
#include <humpy/ipc.h>

#define MQ_TEST(name)     IPC_TEST(msgq, name, GH_API_FLAG0_MSGQUEUE, "msgqueue", false)
#define MQ_VIC_TEST(name) IPC_TEST(msgq, name, GH_API_FLAG0_MSGQUEUE, "msgqueue", true)

static u8 mc_buf[16];

/* A configured queue left in INIT: the wrong state for every call but msgqueue_configure. */
static u64 mc_inactive(const struct root_caps *rc)
{
	u64 q = root_create(rc, GH_HVC_PARTITION_CREATE_MSGQUEUE, rc->partition);

	if (q != GH_CAP_INVALID)
		hc_err(GH_HVC_MSGQUEUE_CONFIGURE, q, mq_info(2, 16), 0);
	return q;
}

#define MC_QUEUE_TEST(name, CALL, RIGHT, A1, A2, A3)                                               \
	/* Proves every cap-lookup error of the queue input of this call (§2, §7). */            \
	MQ_TEST(name##_cap_errors)                                                                 \
	{                                                                                          \
		u64 q = mq_make(rc, 2, 16);                                                        \
		u64 idle = mc_inactive(rc);                                                        \
		RETURN_IF_FAILED();                                                                \
		{                                                                                  \
			const u64 args[5] = {q, (A1), (A2), (A3), 0};                              \
			ipc_cap_errors(rc, (CALL), args, 0, rc->cspace, (RIGHT), idle);            \
		}                                                                                  \
	}

MC_QUEUE_TEST(send, GH_HVC_MSGQUEUE_SEND, GH_RIGHT_MSGQUEUE_SEND, 16, (u64)(uintptr_t)mc_buf, 0)
MC_QUEUE_TEST(receive, GH_HVC_MSGQUEUE_RECEIVE, GH_RIGHT_MSGQUEUE_RECEIVE, (u64)(uintptr_t)mc_buf,
              16, 0)
MC_QUEUE_TEST(flush, GH_HVC_MSGQUEUE_FLUSH, GH_RIGHT_MSGQUEUE_RECEIVE, 0, 0, 0)
MC_QUEUE_TEST(configure_send, GH_HVC_MSGQUEUE_CONFIGURE_SEND, GH_RIGHT_MSGQUEUE_SEND, 1, ~0ULL,
              ~0ULL)
MC_QUEUE_TEST(configure_receive, GH_HVC_MSGQUEUE_CONFIGURE_RECEIVE, GH_RIGHT_MSGQUEUE_RECEIVE, 1,
              ~0ULL, ~0ULL)
MC_QUEUE_TEST(unbind_send, GH_HVC_MSGQUEUE_UNBIND_SEND_VIRQ, GH_RIGHT_MSGQUEUE_BIND_SEND, 0, 0, 0)
MC_QUEUE_TEST(unbind_receive, GH_HVC_MSGQUEUE_UNBIND_RECEIVE_VIRQ, GH_RIGHT_MSGQUEUE_BIND_RECEIVE,
              0, 0, 0)

/* Proves every cap-lookup error of msgqueue_configure's queue input; an active queue is the wrong
 * state (§2, §7: configure while INIT). */
MQ_TEST(configure_cap_errors)
{
	u64 q = root_create(rc, GH_HVC_PARTITION_CREATE_MSGQUEUE, rc->partition);
	u64 active = mq_make(rc, 2, 16);
	const u64 args[5] = {q, mq_info(2, 16), 0, 0, 0};

	RETURN_IF_FAILED();
	ipc_cap_errors(rc, GH_HVC_MSGQUEUE_CONFIGURE, args, 0, rc->cspace,
	               GH_RIGHT_MSGQUEUE_OBJECT_ACTIVATE, active);
}

#define MC_BIND_TEST(name, CALL, RIGHT)                                                              \
	/* Proves every cap-lookup error of this bind's queue input and of its VIC input (§2, §7). \
	 */                                                                                          \
	MQ_VIC_TEST(name##_cap_errors)                                                               \
	{                                                                                            \
		u64 q = mq_make(rc, 2, 16);                                                          \
		u64 idle = mc_inactive(rc);                                                          \
		u64 idle_vic = vic_make(rc, 1, 8, false);                                            \
		RETURN_IF_FAILED();                                                                  \
		{                                                                                    \
			const u64 args[5] = {q, self->vic, IPC_VIRQ(3), 0, 0};                       \
			ipc_cap_errors(rc, (CALL), args, 0, rc->cspace, (RIGHT), idle);              \
			RETURN_IF_FAILED();                                                          \
			ipc_cap_errors(rc, (CALL), args, 1, rc->cspace, GH_RIGHT_VIC_BIND_SOURCE,    \
			               idle_vic);                                                    \
		}                                                                                    \
	}

MC_BIND_TEST(bind_send, GH_HVC_MSGQUEUE_BIND_SEND_VIRQ, GH_RIGHT_MSGQUEUE_BIND_SEND)
MC_BIND_TEST(bind_receive, GH_HVC_MSGQUEUE_BIND_RECEIVE_VIRQ, GH_RIGHT_MSGQUEUE_BIND_RECEIVE)

/* Proves every cap-lookup error of partition_create_msgqueue's partition and cspace inputs (§2). */
MQ_TEST(create_cap_errors)
{
	u64 idle_part = root_partition(rc, 0, false);
	u64 idle_cs = root_cspace(rc, 4, false);
	const u64 args[5] = {rc->partition, rc->cspace, 0, 0, 0};

	RETURN_IF_FAILED();
	ipc_cap_errors(rc, GH_HVC_PARTITION_CREATE_MSGQUEUE, args, 0, rc->cspace,
	               GH_RIGHT_PARTITION_OBJECT_CREATE, idle_part);
	RETURN_IF_FAILED();
	ipc_cap_errors(rc, GH_HVC_PARTITION_CREATE_MSGQUEUE, args, 1, rc->partition,
	               GH_RIGHT_CSPACE_CAP_CREATE, idle_cs);
}

/* Proves partition_create_msgqueue into a full cspace is CSPACE_FULL, and from an exhausted child
 * partition NOMEM (§2 creates). */
MQ_TEST(create_full_nomem)
{
	ipc_create_full_nomem(rc, GH_HVC_PARTITION_CREATE_MSGQUEUE);
}

/* Proves activation of a queue whose buffer (depth x (size + 8)) the partition cannot give is
 * NOMEM and leaves it INIT (§4 configuration: the buffer comes from the partition). */
MQ_TEST(activate_nomem)
{
	u64 child = root_partition(rc, 0, true);
	u64 q;

	RETURN_IF_FAILED();
	q = root_create(rc, GH_HVC_PARTITION_CREATE_MSGQUEUE, child);
	RETURN_IF_FAILED();
	ASSERT_EQ("configure 255 x 1023",
	          hc_err(GH_HVC_MSGQUEUE_CONFIGURE, q,
	                 mq_info(GH_LIMIT_MSGQUEUE_MAX_DEPTH, GH_LIMIT_MSGQUEUE_MAX_MSG_SIZE), 0),
	          0);
	ASSERT_EQ("activate", hc_err(GH_HVC_OBJECT_ACTIVATE, q, 0, 0), E(NOMEM));
	ASSERT_EQ("configure 1 x 8 (still INIT)",
	          hc_err(GH_HVC_MSGQUEUE_CONFIGURE, q, mq_info(1, 8), 0), 0);
	ASSERT_EQ("activate small", hc_err(GH_HVC_OBJECT_ACTIVATE, q, 0, 0), 0);
}

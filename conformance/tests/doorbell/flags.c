/* doorbell_send (0x12), doorbell_receive (0x13), doorbell_reset (0x14): the 64-bit flags (§5). */
#include <humpy/ipc.h>

#define DB_TEST(name) IPC_TEST(doorbell, name, GH_API_FLAG0_DOORBELL, "doorbell", false)

/* SMCCC results: x0 and x1 exact; registers past the results keep the caller's values (§1b). */
#define ASSERT_SMCCC1(what, ret, e0, e1)                                                           \
	do {                                                                                       \
		struct gh_ret s_ = (ret);                                                          \
		ASSERT_EQ(what " (x0)", s_.x[0], (e0));                                            \
		ASSERT_EQ(what " (x1)", s_.x[1], (e1));                                            \
	} while (0)

static struct gh_ret db_send(u64 db, u64 flags)
{
	return hc(GH_HVC_DOORBELL_SEND, db, flags, 0, 0, 0);
}

static struct gh_ret db_recv(u64 db, u64 clear)
{
	return hc(GH_HVC_DOORBELL_RECEIVE, db, clear, 0, 0, 0);
}

/* Proves send returns the flags before the OR: 0, then 0x1, then 0x3 (§5 send). */
DB_TEST(send_returns_old_flags)
{
	u64 db = db_make(rc);

	RETURN_IF_FAILED();
	ASSERT_RESULT("send 0x1", db_send(db, 0x1), 0, 0);
	ASSERT_RESULT("send 0x2", db_send(db, 0x2), 0, 0x1);
	ASSERT_RESULT("send 0x8000000000000000", db_send(db, 1ULL << 63), 0, 0x3);
	ASSERT_RESULT("receive all", db_recv(db, ~0ULL), 0, 0x8000000000000003ULL);
}

/* Proves flags accumulate by OR: overlapping sends keep every bit once, all 64 bits usable (§5). */
DB_TEST(send_or)
{
	u64 db = db_make(rc);

	RETURN_IF_FAILED();
	ASSERT_RESULT("send 0x0f0f", db_send(db, 0x0f0f), 0, 0);
	ASSERT_RESULT("send 0x00ff", db_send(db, 0x00ff), 0, 0x0f0f);
	ASSERT_RESULT("send 0x0f0f again", db_send(db, 0x0f0f), 0, 0x0fff);
	ASSERT_RESULT("send all ones", db_send(db, ~0ULL), 0, 0x0fff);
	ASSERT_RESULT("receive all", db_recv(db, ~0ULL), 0, ~0ULL);
	ASSERT_RESULT("send 0 after", db_send(db, 0), 0, 0);
}

/* Proves send of 0 flags is allowed and changes nothing (§5 send: new_flags 0 allowed). */
DB_TEST(send_zero)
{
	u64 db = db_make(rc);

	RETURN_IF_FAILED();
	ASSERT_RESULT("send 0 on clear flags", db_send(db, 0), 0, 0);
	ASSERT_RESULT("send 0x40", db_send(db, 0x40), 0, 0);
	ASSERT_RESULT("send 0", db_send(db, 0), 0, 0x40);
	ASSERT_RESULT("send 0 again", db_send(db, 0), 0, 0x40);
}

/* Proves receive with a zero clear mask is ARGUMENT_INVALID and clears nothing (§5 receive). */
DB_TEST(receive_zero_mask)
{
	u64 db = db_make(rc);

	RETURN_IF_FAILED();
	ASSERT_RESULT("send 0x5", db_send(db, 0x5), 0, 0);
	ASSERT_EQ("receive mask 0", db_recv(db, 0).x[0], E(ARGUMENT_INVALID));
	ASSERT_RESULT("receive all", db_recv(db, ~0ULL), 0, 0x5);
}

/* Proves receive returns the old flags and clears only the mask's bits (§5 receive). */
DB_TEST(receive_clears_mask_only)
{
	u64 db = db_make(rc);

	RETURN_IF_FAILED();
	ASSERT_RESULT("send 0xf0f", db_send(db, 0xf0f), 0, 0);
	ASSERT_RESULT("receive 0x003", db_recv(db, 0x003), 0, 0xf0f);
	ASSERT_RESULT("receive 0xf00", db_recv(db, 0xf00), 0, 0xf0c);
	ASSERT_RESULT("receive 0x100 (already clear)", db_recv(db, 0x100), 0, 0x00c);
	ASSERT_RESULT("receive all", db_recv(db, ~0ULL), 0, 0x00c);
	ASSERT_RESULT("receive all on clear flags", db_recv(db, ~0ULL), 0, 0);
}

/* Proves reset clears the flags and restores the default masks (enable all, ack none): after a
 * mask that acks bit 0, reset, then send 0x1 keeps bit 0 (§5 reset). */
DB_TEST(reset_flags_and_masks)
{
	u64 db = db_make(rc);

	RETURN_IF_FAILED();
	ASSERT_RESULT("mask enable 0x1 ack 0x1", hc(GH_HVC_DOORBELL_MASK, db, 0x1, 0x1, 0, 0), 0,
	              0);
	ASSERT_RESULT("send 0x6", db_send(db, 0x6), 0, 0);
	ASSERT_RESULT("reset", hc(GH_HVC_DOORBELL_RESET, db, 0, 0, 0, 0), 0, 0);
	ASSERT_RESULT("receive after reset", db_recv(db, ~0ULL), 0, 0);
	ASSERT_RESULT("send 0x1 (ack mask back to 0)", db_send(db, 0x1), 0, 0);
	ASSERT_RESULT("receive", db_recv(db, ~0ULL), 0, 0x1);
}

/* Proves the ack mask auto-clears acknowledged flags when an enabled flag is set (§5 send). */
DB_TEST(ack_mask_clears)
{
	u64 db = db_make(rc);

	RETURN_IF_FAILED();
	ASSERT_RESULT("mask enable all ack 0x1", hc(GH_HVC_DOORBELL_MASK, db, ~0ULL, 0x1, 0, 0), 0,
	              0);
	ASSERT_RESULT("send 0x3", db_send(db, 0x3), 0, 0);
	ASSERT_RESULT("send 0 (bit 0 acked, bit 1 kept)", db_send(db, 0), 0, 0x2);
	ASSERT_RESULT("receive", db_recv(db, ~0ULL), 0, 0x2);
}

/* Proves the ack mask applies only when an enabled flag is set: with nothing enabled, acked flags
 * stay (§5 send: ack after the level assertion only). */
DB_TEST(ack_mask_needs_enabled)
{
	u64 db = db_make(rc);

	RETURN_IF_FAILED();
	ASSERT_RESULT("mask enable 0x2 ack 0x1", hc(GH_HVC_DOORBELL_MASK, db, 0x2, 0x1, 0, 0), 0,
	              0);
	ASSERT_RESULT("send 0x1 (not enabled)", db_send(db, 0x1), 0, 0);
	ASSERT_RESULT("send 0 (bit 0 still set)", db_send(db, 0), 0, 0x1);
	ASSERT_RESULT("send 0x2 (enabled: acks bit 0)", db_send(db, 0x2), 0, 0x1);
	ASSERT_RESULT("receive", db_recv(db, ~0ULL), 0, 0x2);
}

/* Proves mask false->true acknowledges: enabling a set flag with an ack mask clears the acked
 * flags (§5 mask). */
DB_TEST(mask_enable_acks)
{
	u64 db = db_make(rc);

	RETURN_IF_FAILED();
	ASSERT_RESULT("mask enable 0", hc(GH_HVC_DOORBELL_MASK, db, 0, 0, 0, 0), 0, 0);
	ASSERT_RESULT("send 0x5", db_send(db, 0x5), 0, 0);
	ASSERT_RESULT("mask enable 0x1 ack 0x4", hc(GH_HVC_DOORBELL_MASK, db, 0x1, 0x4, 0, 0), 0,
	              0);
	ASSERT_RESULT("receive", db_recv(db, ~0ULL), 0, 0x1);
}

/* Proves mask true->true acknowledges too (§5 mask). */
DB_TEST(mask_still_enabled_acks)
{
	u64 db = db_make(rc);

	RETURN_IF_FAILED();
	ASSERT_RESULT("send 0x3", db_send(db, 0x3), 0, 0);
	ASSERT_RESULT("mask enable all ack 0x1", hc(GH_HVC_DOORBELL_MASK, db, ~0ULL, 0x1, 0, 0), 0,
	              0);
	ASSERT_RESULT("receive", db_recv(db, ~0ULL), 0, 0x2);
}

/* Proves mask true->false does not touch the flags (§5 mask: only the VIRQ is cleared). */
DB_TEST(mask_disable_keeps_flags)
{
	u64 db = db_make(rc);

	RETURN_IF_FAILED();
	ASSERT_RESULT("send 0x3", db_send(db, 0x3), 0, 0);
	ASSERT_RESULT("mask enable 0 ack all", hc(GH_HVC_DOORBELL_MASK, db, 0, ~0ULL, 0, 0), 0, 0);
	ASSERT_RESULT("receive", db_recv(db, ~0ULL), 0, 0x3);
}

/* Proves non-zero res0 on every doorbell call is ARGUMENT_INVALID with no effect (§1a). */
DB_TEST(res0)
{
	u64 db = db_make(rc);

	RETURN_IF_FAILED();
	ASSERT_EQ("send res0=1", hc(GH_HVC_DOORBELL_SEND, db, 0x1, 1, 0, 0).x[0],
	          E(ARGUMENT_INVALID));
	ASSERT_RESULT("send 0x2", db_send(db, 0x2), 0, 0);
	ASSERT_EQ("receive res0=1", hc(GH_HVC_DOORBELL_RECEIVE, db, ~0ULL, 1, 0, 0).x[0],
	          E(ARGUMENT_INVALID));
	ASSERT_EQ("reset res0=1", hc(GH_HVC_DOORBELL_RESET, db, 1, 0, 0, 0).x[0],
	          E(ARGUMENT_INVALID));
	ASSERT_EQ("mask res0=1", hc(GH_HVC_DOORBELL_MASK, db, 0, ~0ULL, 1, 0).x[0],
	          E(ARGUMENT_INVALID));
	ASSERT_EQ("unbind res0=1", hc(GH_HVC_DOORBELL_UNBIND_VIRQ, db, 1, 0, 0, 0).x[0],
	          E(ARGUMENT_INVALID));
	ASSERT_RESULT("receive (flags kept)", db_recv(db, ~0ULL), 0, 0x2);
}

/* Proves a send-only cap sends but cannot receive, mask or reset; a receive-only cap the reverse
 * (§5 rights: send 0x1, receive 0x2). */
DB_TEST(send_receive_only_caps)
{
	u64 db = db_make(rc);
	u64 tx = root_copy(rc, db, GH_RIGHT_DOORBELL_SEND);
	u64 rx = root_copy(rc, db, GH_RIGHT_DOORBELL_RECEIVE);

	RETURN_IF_FAILED();
	ASSERT_RESULT("send through the send-only cap", db_send(tx, 0x1), 0, 0);
	ASSERT_EQ("receive through it", db_recv(tx, ~0ULL).x[0], E(CSPACE_INSUFFICIENT_RIGHTS));
	ASSERT_EQ("mask through it", hc(GH_HVC_DOORBELL_MASK, tx, 0, 0, 0, 0).x[0],
	          E(CSPACE_INSUFFICIENT_RIGHTS));
	ASSERT_EQ("reset through it", hc(GH_HVC_DOORBELL_RESET, tx, 0, 0, 0, 0).x[0],
	          E(CSPACE_INSUFFICIENT_RIGHTS));
	ASSERT_EQ("send through the receive-only cap", db_send(rx, 0x2).x[0],
	          E(CSPACE_INSUFFICIENT_RIGHTS));
	ASSERT_RESULT("receive through it", db_recv(rx, ~0ULL), 0, 0x1);
}

/* Proves bind and unbind need the BIND right: CSPACE_INSUFFICIENT_RIGHTS without it (§5 rights). */
IPC_TEST(doorbell, bind_needs_bind, GH_API_FLAG0_DOORBELL, "doorbell", true)
{
	u64 db = db_make(rc);
	u64 weak = root_copy(rc, db, ~(u64)GH_RIGHT_DOORBELL_BIND);

	RETURN_IF_FAILED();
	ASSERT_EQ("bind", hc(GH_HVC_DOORBELL_BIND_VIRQ, weak, self->vic, IPC_VIRQ(4), 0, 0).x[0],
	          E(CSPACE_INSUFFICIENT_RIGHTS));
	ASSERT_EQ("unbind", hc(GH_HVC_DOORBELL_UNBIND_VIRQ, weak, 0, 0, 0, 0).x[0],
	          E(CSPACE_INSUFFICIENT_RIGHTS));
	ASSERT_EQ("bind, VIC without BIND_SOURCE",
	          hc(GH_HVC_DOORBELL_BIND_VIRQ, db,
	             root_copy(rc, self->vic, ~(u64)GH_RIGHT_VIC_BIND_SOURCE), IPC_VIRQ(4), 0, 0)
	              .x[0],
	          E(CSPACE_INSUFFICIENT_RIGHTS));
}

/* Proves doorbell calls on a message queue cap are CSPACE_WRONG_OBJECT_TYPE (§2 cap lookup). */
IPC_TEST(doorbell, wrong_object_type, GH_API_FLAG0_DOORBELL | GH_API_FLAG0_MSGQUEUE,
         "doorbell and msgqueue", false)
{
	u64 q = mq_make(rc, 2, 8);

	RETURN_IF_FAILED();
	ASSERT_EQ("send", db_send(q, 1).x[0], E(CSPACE_WRONG_OBJECT_TYPE));
	ASSERT_EQ("receive", db_recv(q, 1).x[0], E(CSPACE_WRONG_OBJECT_TYPE));
	ASSERT_EQ("reset", hc(GH_HVC_DOORBELL_RESET, q, 0, 0, 0, 0).x[0],
	          E(CSPACE_WRONG_OBJECT_TYPE));
	ASSERT_EQ("mask", hc(GH_HVC_DOORBELL_MASK, q, 0, 0, 0, 0).x[0],
	          E(CSPACE_WRONG_OBJECT_TYPE));
}

/* Proves doorbell calls on a doorbell that is not active are OBJECT_STATE (§2). */
DB_TEST(inactive)
{
	u64 db = root_create(rc, GH_HVC_PARTITION_CREATE_DOORBELL, rc->partition);

	RETURN_IF_FAILED();
	ASSERT_EQ("send", db_send(db, 1).x[0], E(OBJECT_STATE));
	ASSERT_EQ("receive", db_recv(db, 1).x[0], E(OBJECT_STATE));
}

/* Proves the SMCCC path (hvc #0, inputs in x1..) sends, receives and masks like the native one
 * (§1b, §5); SMCCC writes only the results, so x2.. are not checked. */
DB_TEST(smccc_path)
{
	u64 db = db_make(rc);

	RETURN_IF_FAILED();
	ASSERT_SMCCC1("send 0x3 (SMCCC)", hs(GH_HVC_DOORBELL_SEND, db, 0x3, 0, 0, 0), 0, 0);
	ASSERT_EQ("mask (SMCCC) (x0)", hs(GH_HVC_DOORBELL_MASK, db, ~0ULL, 0x1, 0, 0).x[0], 0);
	ASSERT_SMCCC1("receive 0x2 (SMCCC)", hs(GH_HVC_DOORBELL_RECEIVE, db, 0x2, 0, 0, 0), 0, 0x2);
	ASSERT_EQ("reset (SMCCC) (x0)", hs(GH_HVC_DOORBELL_RESET, db, 0, 0, 0, 0).x[0], 0);
	ASSERT_RESULT("receive all", db_recv(db, ~0ULL), 0, 0);
}

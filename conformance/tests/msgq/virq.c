/* Message queue VIRQs taken by the guest: not-empty and not-full thresholds, push, flush, level
 * re-delivery, binding and its errors (§4, §2 VIRQ binding; ROOT_PROFILE.md delivery). */
#include <humpy/arch.h>
#include <humpy/ipc.h>

#define MQ_IRQ_TEST(name) IPC_TEST(msgq, name, GH_API_FLAG0_MSGQUEUE, "msgqueue", true)
#define TX_VIRQ           IPC_VIRQ(0)
#define RX_VIRQ           IPC_VIRQ(1)
#define OTHER_VIRQ        IPC_VIRQ(2)

static u8 vq_tx[64];
static u8 vq_rx[64];

static void vq_bind_rx(const struct ipc_self *self, u64 q, u64 virq)
{
	ipc_bind(self, GH_HVC_MSGQUEUE_BIND_RECEIVE_VIRQ, GH_HVC_MSGQUEUE_UNBIND_RECEIVE_VIRQ, q,
	         virq);
}

static void vq_bind_tx(const struct ipc_self *self, u64 q, u64 virq)
{
	ipc_bind(self, GH_HVC_MSGQUEUE_BIND_SEND_VIRQ, GH_HVC_MSGQUEUE_UNBIND_SEND_VIRQ, q, virq);
}

static u64 vq_send(u64 q, u64 flags)
{
	return mq_send(q, 8, vq_tx, flags).x[0];
}

/* Proves one send with the default not-empty threshold (1) raises the receive VIRQ: its exact
 * INTID is taken once, nothing else (§4 send). */
MQ_IRQ_TEST(receive_virq_on_send)
{
	u64 q = mq_make(rc, 4, 8);

	RETURN_IF_FAILED();
	vq_bind_rx(self, q, RX_VIRQ);
	RETURN_IF_FAILED();
	ASSERT_TAKEN("after bind, before any send", RX_VIRQ, 0);
	ASSERT_EQ("send", vq_send(q, 0), 0);
	ASSERT_TAKEN("after one send", RX_VIRQ, 1);
}

/* Proves the receive VIRQ waits for the not-empty threshold: with threshold 3 the first two sends
 * raise nothing, the third raises it once (§4). */
MQ_IRQ_TEST(receive_virq_threshold)
{
	u64 q = mq_make(rc, 4, 8);

	RETURN_IF_FAILED();
	ASSERT_EQ("configure_receive 3",
	          hc(GH_HVC_MSGQUEUE_CONFIGURE_RECEIVE, q, 3, ~0ULL, ~0ULL, 0).x[0], 0);
	vq_bind_rx(self, q, RX_VIRQ);
	RETURN_IF_FAILED();
	ASSERT_EQ("send 1", vq_send(q, 0), 0);
	ASSERT_EQ("send 2", vq_send(q, 0), 0);
	ASSERT_TAKEN("below the threshold", RX_VIRQ, 0);
	ASSERT_EQ("send 3", vq_send(q, 0), 0);
	ASSERT_TAKEN("at the threshold", RX_VIRQ, 1);
}

/* Proves the push flag raises the receive VIRQ below the threshold (§4: PUSH or count equals the
 * threshold). */
MQ_IRQ_TEST(push_below_threshold)
{
	u64 q = mq_make(rc, 4, 8);

	RETURN_IF_FAILED();
	ASSERT_EQ("configure_receive 3",
	          hc(GH_HVC_MSGQUEUE_CONFIGURE_RECEIVE, q, 3, ~0ULL, ~0ULL, 0).x[0], 0);
	vq_bind_rx(self, q, RX_VIRQ);
	RETURN_IF_FAILED();
	ASSERT_EQ("send without push", vq_send(q, 0), 0);
	ASSERT_TAKEN("without push", RX_VIRQ, 0);
	ASSERT_EQ("send with push", vq_send(q, MQ_PUSH), 0);
	ASSERT_TAKEN("with push, count 2 of threshold 3", RX_VIRQ, 1);
}

/* Proves the receive VIRQ is level: taken again while the queue holds messages, not after the
 * last receive empties it (§4 VIRQ level semantics; ROOT_PROFILE.md). */
MQ_IRQ_TEST(receive_virq_level)
{
	u64 q = mq_make(rc, 4, 8);

	RETURN_IF_FAILED();
	vq_bind_rx(self, q, RX_VIRQ);
	RETURN_IF_FAILED();
	ASSERT_EQ("send", vq_send(q, 0), 0);
	ASSERT_TAKEN("after send", RX_VIRQ, 1);
	if (!ipc_irq_on(RX_VIRQ))
		return;
	ASSERT_TAKEN("re-enabled while not empty", RX_VIRQ, 2);
	ASSERT_RESULT2("receive", mq_recv(q, vq_rx, 8), 0, 8, 0);
	if (!ipc_irq_on(RX_VIRQ))
		return;
	ASSERT_TAKEN("re-enabled once empty", RX_VIRQ, 2);
}

/*
 * Proves the receive VIRQ follows the queue, not its history, while the guest has it disabled: a
 * send raises it unseen, the receive that empties the queue lowers it, and enabled then it is not
 * taken; sent again while disabled and enabled without a receive, it is taken once (§4: level,
 * pending only while the count is at or above the threshold).
 */
MQ_IRQ_TEST(receive_virq_drained_while_disabled)
{
	u64 q = mq_make(rc, 4, 8);

	RETURN_IF_FAILED();
	vq_bind_rx(self, q, RX_VIRQ);
	RETURN_IF_FAILED();
	irq_disable((u32)RX_VIRQ);
	ASSERT_EQ("send while disabled", vq_send(q, 0), 0);
	ASSERT_TAKEN("sent while disabled", RX_VIRQ, 0);
	ASSERT_RESULT2("receive", mq_recv(q, vq_rx, 8), 0, 8, 0);
	if (!ipc_irq_on(RX_VIRQ))
		return;
	ASSERT_TAKEN("enabled after the queue was drained", RX_VIRQ, 0);
	irq_disable((u32)RX_VIRQ);
	ASSERT_EQ("send again while disabled", vq_send(q, 0), 0);
	if (!ipc_irq_on(RX_VIRQ))
		return;
	ASSERT_TAKEN("enabled with the message still queued", RX_VIRQ, 1);
}

/* Proves a receive that brings the count down to the not-full threshold (default depth - 1)
 * raises the send VIRQ once (§4 receive). */
MQ_IRQ_TEST(send_virq_on_receive)
{
	u64 q = mq_make(rc, 2, 8);

	RETURN_IF_FAILED();
	ASSERT_EQ("send 1", vq_send(q, 0), 0);
	ASSERT_EQ("send 2 (full)", vq_send(q, 0), 0);
	vq_bind_tx(self, q, TX_VIRQ);
	RETURN_IF_FAILED();
	ASSERT_TAKEN("full, before receive", TX_VIRQ, 0);
	ASSERT_RESULT2("receive 1", mq_recv(q, vq_rx, 8), 0, 8, 1);
	ASSERT_TAKEN("count 1 = threshold 1", TX_VIRQ, 1);
}

/*
 * Proves the send VIRQ follows the queue while the guest has it disabled: a receive that brings a
 * full depth-2 queue to the not-full threshold (1) raises it unseen, the send that fills the queue
 * again lowers it, and enabled then it is not taken; a receive while disabled, then enabled, is
 * taken once (§4: pending only while the count is at or below the threshold).
 */
MQ_IRQ_TEST(send_virq_filled_while_disabled)
{
	u64 q = mq_make(rc, 2, 8);

	RETURN_IF_FAILED();
	ASSERT_EQ("send 1", vq_send(q, 0), 0);
	ASSERT_EQ("send 2 (full)", vq_send(q, 0), 0);
	vq_bind_tx(self, q, TX_VIRQ);
	RETURN_IF_FAILED();
	irq_disable((u32)TX_VIRQ);
	ASSERT_RESULT2("receive while disabled", mq_recv(q, vq_rx, 8), 0, 8, 1);
	ASSERT_TAKEN("not full, disabled", TX_VIRQ, 0);
	ASSERT_EQ("send (full again)", vq_send(q, 0), 0);
	if (!ipc_irq_on(TX_VIRQ))
		return;
	ASSERT_TAKEN("enabled after the queue was filled again", TX_VIRQ, 0);
	irq_disable((u32)TX_VIRQ);
	ASSERT_RESULT2("receive again while disabled", mq_recv(q, vq_rx, 8), 0, 8, 1);
	if (!ipc_irq_on(TX_VIRQ))
		return;
	ASSERT_TAKEN("enabled with the queue not full", TX_VIRQ, 1);
}

/* Proves a lower not-full threshold delays the send VIRQ: threshold 0 on a depth-3 queue fires
 * only when the last message is received (§4). */
MQ_IRQ_TEST(send_virq_threshold)
{
	u64 q = mq_make(rc, 3, 8);

	RETURN_IF_FAILED();
	ASSERT_EQ("send 1", vq_send(q, 0), 0);
	ASSERT_EQ("send 2", vq_send(q, 0), 0);
	ASSERT_EQ("send 3", vq_send(q, 0), 0);
	ASSERT_EQ("configure_send 0",
	          hc(GH_HVC_MSGQUEUE_CONFIGURE_SEND, q, 0, ~0ULL, ~0ULL, 0).x[0], 0);
	vq_bind_tx(self, q, TX_VIRQ);
	RETURN_IF_FAILED();
	ASSERT_RESULT2("receive 1", mq_recv(q, vq_rx, 8), 0, 8, 1);
	ASSERT_RESULT2("receive 2", mq_recv(q, vq_rx, 8), 0, 8, 1);
	ASSERT_TAKEN("count 1 above threshold 0", TX_VIRQ, 0);
	ASSERT_RESULT2("receive 3", mq_recv(q, vq_rx, 8), 0, 8, 0);
	ASSERT_TAKEN("count 0 = threshold 0", TX_VIRQ, 1);
}

/* Proves configure_send re-evaluates at once: count 2 with a new threshold 3 raises the send VIRQ,
 * a threshold 1 does not (§4 configure_send). */
MQ_IRQ_TEST(configure_send_reevaluates)
{
	u64 q = mq_make(rc, 4, 8);

	RETURN_IF_FAILED();
	ASSERT_EQ("configure_send 1",
	          hc(GH_HVC_MSGQUEUE_CONFIGURE_SEND, q, 1, ~0ULL, ~0ULL, 0).x[0], 0);
	ASSERT_EQ("send 1", vq_send(q, 0), 0);
	ASSERT_EQ("send 2", vq_send(q, 0), 0);
	vq_bind_tx(self, q, TX_VIRQ);
	RETURN_IF_FAILED();
	ASSERT_EQ("configure_send 1 again",
	          hc(GH_HVC_MSGQUEUE_CONFIGURE_SEND, q, 1, ~0ULL, ~0ULL, 0).x[0], 0);
	ASSERT_TAKEN("count 2 above threshold 1", TX_VIRQ, 0);
	ASSERT_EQ("configure_send 3",
	          hc(GH_HVC_MSGQUEUE_CONFIGURE_SEND, q, 3, ~0ULL, ~0ULL, 0).x[0], 0);
	ASSERT_TAKEN("count 2 below threshold 3", TX_VIRQ, 1);
}

/* Proves configure_receive re-evaluates at once: count 2 with a new threshold 2 raises the receive
 * VIRQ (§4 configure_receive). */
MQ_IRQ_TEST(configure_receive_reevaluates)
{
	u64 q = mq_make(rc, 4, 8);

	RETURN_IF_FAILED();
	ASSERT_EQ("configure_receive 4",
	          hc(GH_HVC_MSGQUEUE_CONFIGURE_RECEIVE, q, 4, ~0ULL, ~0ULL, 0).x[0], 0);
	vq_bind_rx(self, q, RX_VIRQ);
	RETURN_IF_FAILED();
	ASSERT_EQ("send 1", vq_send(q, 0), 0);
	ASSERT_EQ("send 2", vq_send(q, 0), 0);
	ASSERT_TAKEN("count 2 below threshold 4", RX_VIRQ, 0);
	ASSERT_EQ("configure_receive 3 (count 2 still below)",
	          hc(GH_HVC_MSGQUEUE_CONFIGURE_RECEIVE, q, 3, ~0ULL, ~0ULL, 0).x[0], 0);
	ASSERT_TAKEN("count 2 below threshold 3", RX_VIRQ, 0);
	ASSERT_EQ("configure_receive 2",
	          hc(GH_HVC_MSGQUEUE_CONFIGURE_RECEIVE, q, 2, ~0ULL, ~0ULL, 0).x[0], 0);
	ASSERT_TAKEN("count 2 = threshold 2", RX_VIRQ, 1);
}

/* Proves a refused threshold changes nothing: after depth + 1 is refused, the old threshold 2 still
 * holds back the receive VIRQ until the second message (§4). */
MQ_IRQ_TEST(configure_receive_refused_keeps)
{
	u64 q = mq_make(rc, 4, 8);

	RETURN_IF_FAILED();
	ASSERT_EQ("configure_receive 2",
	          hc(GH_HVC_MSGQUEUE_CONFIGURE_RECEIVE, q, 2, ~0ULL, ~0ULL, 0).x[0], 0);
	ASSERT_EQ("configure_receive 5",
	          hc(GH_HVC_MSGQUEUE_CONFIGURE_RECEIVE, q, 5, ~0ULL, ~0ULL, 0).x[0],
	          E(ARGUMENT_INVALID));
	ASSERT_EQ("configure_receive 1, delay 0",
	          hc(GH_HVC_MSGQUEUE_CONFIGURE_RECEIVE, q, 1, 0, ~0ULL, 0).x[0], E(UNIMPLEMENTED));
	vq_bind_rx(self, q, RX_VIRQ);
	RETURN_IF_FAILED();
	ASSERT_EQ("send 1", vq_send(q, 0), 0);
	ASSERT_TAKEN("count 1 below threshold 2", RX_VIRQ, 0);
	ASSERT_EQ("send 2", vq_send(q, 0), 0);
	ASSERT_TAKEN("count 2 = threshold 2", RX_VIRQ, 1);
}

/* Proves the receive threshold -2 means depth: a depth-3 queue raises the receive VIRQ on its third
 * message only (§4 configure_receive). */
MQ_IRQ_TEST(configure_receive_minus_2)
{
	u64 q = mq_make(rc, 3, 8);

	RETURN_IF_FAILED();
	ASSERT_EQ("configure_receive -2",
	          hc(GH_HVC_MSGQUEUE_CONFIGURE_RECEIVE, q, ~0ULL - 1, ~0ULL, ~0ULL, 0).x[0], 0);
	vq_bind_rx(self, q, RX_VIRQ);
	RETURN_IF_FAILED();
	ASSERT_EQ("send 1", vq_send(q, 0), 0);
	ASSERT_EQ("send 2", vq_send(q, 0), 0);
	ASSERT_TAKEN("count 2 of depth 3", RX_VIRQ, 0);
	ASSERT_EQ("send 3", vq_send(q, 0), 0);
	ASSERT_TAKEN("count 3 = depth", RX_VIRQ, 1);
}

/* Proves flush of a non-empty queue raises the send VIRQ and clears the receive VIRQ: re-enabled,
 * the receive INTID is not taken again (§4 flush). */
MQ_IRQ_TEST(flush_virqs)
{
	u64 q = mq_make(rc, 4, 8);

	RETURN_IF_FAILED();
	ASSERT_EQ("configure_send 0",
	          hc(GH_HVC_MSGQUEUE_CONFIGURE_SEND, q, 0, ~0ULL, ~0ULL, 0).x[0], 0);
	vq_bind_rx(self, q, RX_VIRQ);
	vq_bind_tx(self, q, TX_VIRQ);
	RETURN_IF_FAILED();
	ASSERT_EQ("send 1", vq_send(q, 0), 0);
	ASSERT_EQ("send 2", vq_send(q, 0), 0);
	ASSERT_TAKEN("receive VIRQ after the sends", RX_VIRQ, 1);
	ASSERT_EQ("flush", hc_err(GH_HVC_MSGQUEUE_FLUSH, q, 0, 0), 0);
	ASSERT_TRUE("send VIRQ taken after flush", irq_wait((u32)TX_VIRQ, 1, IPC_IRQ_WAIT_MS));
	irq_settle(IPC_IRQ_QUIET_MS);
	ASSERT_EQ("send VIRQ count", irq_count((u32)TX_VIRQ), 1);
	if (!ipc_irq_on(RX_VIRQ))
		return;
	irq_settle(IPC_IRQ_QUIET_MS);
	ASSERT_EQ("receive VIRQ re-enabled after flush (cleared)", irq_count((u32)RX_VIRQ), 1);
	ASSERT_EQ("interrupts in all", irq_total(), 2);
	ASSERT_RESULT2("receive after flush", mq_recv(q, vq_rx, 8), E(MSGQUEUE_EMPTY), 0, 0);
}

/* Proves flush of an empty queue raises no VIRQ (§4 flush: only if it was non-empty). */
MQ_IRQ_TEST(flush_empty_no_virq)
{
	u64 q = mq_make(rc, 4, 8);

	RETURN_IF_FAILED();
	ASSERT_EQ("configure_send 0",
	          hc(GH_HVC_MSGQUEUE_CONFIGURE_SEND, q, 0, ~0ULL, ~0ULL, 0).x[0], 0);
	ASSERT_EQ("send", vq_send(q, 0), 0);
	ASSERT_RESULT2("receive", mq_recv(q, vq_rx, 8), 0, 8, 0);
	vq_bind_tx(self, q, TX_VIRQ);
	vq_bind_rx(self, q, RX_VIRQ);
	RETURN_IF_FAILED();
	ASSERT_EQ("flush", hc_err(GH_HVC_MSGQUEUE_FLUSH, q, 0, 0), 0);
	irq_settle(IPC_IRQ_QUIET_MS);
	ASSERT_EQ("interrupts after flushing an empty queue", irq_total(), 0);
}

/* Proves binding a bound source again is VIRQ_BOUND, for both sides (§2 VIRQ binding errors). */
MQ_IRQ_TEST(bind_already_bound)
{
	u64 q = mq_make(rc, 4, 8);

	RETURN_IF_FAILED();
	vq_bind_rx(self, q, RX_VIRQ);
	vq_bind_tx(self, q, TX_VIRQ);
	RETURN_IF_FAILED();
	ASSERT_RESULT("bind receive again, other VIRQ",
	              hc(GH_HVC_MSGQUEUE_BIND_RECEIVE_VIRQ, q, self->vic, OTHER_VIRQ, 0, 0),
	              E(VIRQ_BOUND), 0);
	ASSERT_RESULT("bind send again, other VIRQ",
	              hc(GH_HVC_MSGQUEUE_BIND_SEND_VIRQ, q, self->vic, OTHER_VIRQ, 0, 0),
	              E(VIRQ_BOUND), 0);
	ASSERT_RESULT("bind receive again, same VIRQ",
	              hc(GH_HVC_MSGQUEUE_BIND_RECEIVE_VIRQ, q, self->vic, RX_VIRQ, 0, 0),
	              E(VIRQ_BOUND), 0);
	/* The first binding still delivers. */
	ASSERT_EQ("send", vq_send(q, 0), 0);
	ASSERT_TAKEN("after send", RX_VIRQ, 1);
}

/* Proves binding to a VIRQ another source holds is BUSY, and the holder keeps it (§2). */
MQ_IRQ_TEST(bind_virq_busy)
{
	u64 a = mq_make(rc, 4, 8), b = mq_make(rc, 4, 8);

	RETURN_IF_FAILED();
	vq_bind_rx(self, a, RX_VIRQ);
	RETURN_IF_FAILED();
	ASSERT_RESULT("bind another queue's receive",
	              hc(GH_HVC_MSGQUEUE_BIND_RECEIVE_VIRQ, b, self->vic, RX_VIRQ, 0, 0), E(BUSY),
	              0);
	ASSERT_RESULT("bind another queue's send",
	              hc(GH_HVC_MSGQUEUE_BIND_SEND_VIRQ, b, self->vic, RX_VIRQ, 0, 0), E(BUSY), 0);
	ASSERT_RESULT("bind the same queue's send",
	              hc(GH_HVC_MSGQUEUE_BIND_SEND_VIRQ, a, self->vic, RX_VIRQ, 0, 0), E(BUSY), 0);
	ASSERT_EQ("send to b", mq_send(b, 8, vq_tx, 0).x[0], 0);
	ASSERT_TAKEN("b's send (b unbound)", RX_VIRQ, 0);
	ASSERT_EQ("send to a", vq_send(a, 0), 0);
	ASSERT_TAKEN("a's send", RX_VIRQ, 1);
}

/* Proves VIRQ numbers outside the VIC's shared range are ARGUMENT_INVALID: an SGI, a PPI, the first
 * past GICD_TYPER's range, 1020, 2^32 + a valid one, all ones (§2; ROOT_PROFILE.md). */
MQ_IRQ_TEST(bind_virq_out_of_range)
{
	static const u64 bad[] = {0, 15, 1020, 1023, 0x100000000ULL + IPC_VIRQ_BASE, ~0ULL};
	u64 q = mq_make(rc, 4, 8);
	unsigned i;

	RETURN_IF_FAILED();
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ASSERT_RESULT("bind receive",
		              hc(GH_HVC_MSGQUEUE_BIND_RECEIVE_VIRQ, q, self->vic, bad[i], 0, 0),
		              E(ARGUMENT_INVALID), 0);
		ASSERT_RESULT("bind send",
		              hc(GH_HVC_MSGQUEUE_BIND_SEND_VIRQ, q, self->vic, bad[i], 0, 0),
		              E(ARGUMENT_INVALID), 0);
	}
	ASSERT_RESULT("bind receive, first VIRQ past the range",
	              hc(GH_HVC_MSGQUEUE_BIND_RECEIVE_VIRQ, q, self->vic, ipc_virq_end(), 0, 0),
	              E(ARGUMENT_INVALID), 0);
	/* Still unbound: a valid bind works. */
	vq_bind_rx(self, q, ipc_virq_end() - 1);
	RETURN_IF_FAILED();
	ASSERT_EQ("send", vq_send(q, 0), 0);
	ASSERT_TAKEN("last VIRQ of the range", ipc_virq_end() - 1, 1);
}

/* Proves unbind of a source that is not bound is OK, both sides (§2 VIRQ binding). */
MQ_IRQ_TEST(unbind_unbound)
{
	u64 q = mq_make(rc, 4, 8);

	RETURN_IF_FAILED();
	ASSERT_RESULT("unbind receive", hc(GH_HVC_MSGQUEUE_UNBIND_RECEIVE_VIRQ, q, 0, 0, 0, 0), 0,
	              0);
	ASSERT_RESULT("unbind send", hc(GH_HVC_MSGQUEUE_UNBIND_SEND_VIRQ, q, 0, 0, 0, 0), 0, 0);
}

/* Proves unbind stops delivery and frees the VIRQ: no interrupt after it, and another source binds
 * the same VIRQ and delivers it (§2 VIRQ binding). */
MQ_IRQ_TEST(unbind_frees_virq)
{
	u64 a = mq_make(rc, 4, 8), b = mq_make(rc, 4, 8);

	RETURN_IF_FAILED();
	vq_bind_rx(self, a, RX_VIRQ);
	RETURN_IF_FAILED();
	ASSERT_RESULT("unbind a", hc(GH_HVC_MSGQUEUE_UNBIND_RECEIVE_VIRQ, a, 0, 0, 0, 0), 0, 0);
	ASSERT_EQ("send to a", vq_send(a, 0), 0);
	ASSERT_TAKEN("a unbound", RX_VIRQ, 0);
	vq_bind_rx(self, b, RX_VIRQ);
	RETURN_IF_FAILED();
	ASSERT_EQ("send to b", mq_send(b, 8, vq_tx, 0).x[0], 0);
	ASSERT_TAKEN("b bound to the freed VIRQ", RX_VIRQ, 1);
}

/* Proves bind needs the VIC's BIND_SOURCE right: a VIC cap without it gives
 * CSPACE_INSUFFICIENT_RIGHTS and binds nothing (§2 VIRQ binding rights). */
MQ_IRQ_TEST(bind_vic_right)
{
	u64 q = mq_make(rc, 4, 8);
	u64 vic = root_copy(rc, self->vic, ~(u64)GH_RIGHT_VIC_BIND_SOURCE);

	RETURN_IF_FAILED();
	if (!ipc_irq_on(RX_VIRQ))
		return;
	ASSERT_RESULT("bind receive", hc(GH_HVC_MSGQUEUE_BIND_RECEIVE_VIRQ, q, vic, RX_VIRQ, 0, 0),
	              E(CSPACE_INSUFFICIENT_RIGHTS), 0);
	ASSERT_RESULT("bind send", hc(GH_HVC_MSGQUEUE_BIND_SEND_VIRQ, q, vic, TX_VIRQ, 0, 0),
	              E(CSPACE_INSUFFICIENT_RIGHTS), 0);
	ASSERT_EQ("send", vq_send(q, 0), 0);
	ASSERT_TAKEN("nothing bound", RX_VIRQ, 0);
}

/* Proves a non-zero res0 of bind and unbind is ARGUMENT_INVALID and binds/unbinds nothing (§1a). */
MQ_IRQ_TEST(bind_res0)
{
	u64 q = mq_make(rc, 4, 8);

	RETURN_IF_FAILED();
	if (!ipc_irq_on(RX_VIRQ))
		return;
	ASSERT_RESULT("bind receive res0=1",
	              hc(GH_HVC_MSGQUEUE_BIND_RECEIVE_VIRQ, q, self->vic, RX_VIRQ, 1, 0),
	              E(ARGUMENT_INVALID), 0);
	ASSERT_EQ("send", vq_send(q, 0), 0);
	ASSERT_TAKEN("not bound", RX_VIRQ, 0);
	vq_bind_rx(self, q, RX_VIRQ);
	RETURN_IF_FAILED();
	ASSERT_RESULT("unbind receive res0=1",
	              hc(GH_HVC_MSGQUEUE_UNBIND_RECEIVE_VIRQ, q, 1, 0, 0, 0), E(ARGUMENT_INVALID),
	              0);
	ASSERT_EQ("send 2", vq_send(q, 0), 0);
	ASSERT_TAKEN("still bound", RX_VIRQ, 1);
}

/* Proves the send VIRQ is level: taken again while count <= the not-full threshold, not once a send
 * takes the count above it (§4 VIRQ level semantics; ROOT_PROFILE.md). */
MQ_IRQ_TEST(send_virq_level)
{
	u64 q = mq_make(rc, 2, 8);

	RETURN_IF_FAILED();
	ASSERT_EQ("send 1", vq_send(q, 0), 0);
	ASSERT_EQ("send 2 (full)", vq_send(q, 0), 0);
	vq_bind_tx(self, q, TX_VIRQ);
	RETURN_IF_FAILED();
	ASSERT_RESULT2("receive 1", mq_recv(q, vq_rx, 8), 0, 8, 1);
	ASSERT_TAKEN("count 1 = threshold 1", TX_VIRQ, 1);
	if (!ipc_irq_on(TX_VIRQ))
		return;
	ASSERT_TAKEN("re-enabled, count still 1", TX_VIRQ, 2);
	ASSERT_EQ("send (full again)", vq_send(q, 0), 0);
	if (!ipc_irq_on(TX_VIRQ))
		return;
	ASSERT_TAKEN("re-enabled, count 2 above threshold 1", TX_VIRQ, 2);
}

/* Proves the SMCCC path (hvc #0, inputs in x1..) sends and receives like the native one (§1b, §4).
 */
IPC_TEST(msgq, smccc_path, GH_API_FLAG0_MSGQUEUE, "msgqueue", false)
{
	u64 q = mq_make(rc, 2, 16);
	u8 rx[16];
	struct gh_ret r;

	RETURN_IF_FAILED();
	ipc_pattern(vq_tx, 16, 70);
	r = hs(GH_HVC_MSGQUEUE_SEND, q, 16, (u64)(uintptr_t)vq_tx, 0, 0);
	ASSERT_EQ("send (SMCCC) x0", r.x[0], 0);
	ASSERT_EQ("send (SMCCC) x1 (not_full)", r.x[1], 1);
	memset(rx, IPC_POISON, sizeof(rx));
	r = hs(GH_HVC_MSGQUEUE_RECEIVE, q, (u64)(uintptr_t)rx, 16, 0, 0);
	ASSERT_EQ("receive (SMCCC) x0", r.x[0], 0);
	ASSERT_EQ("receive (SMCCC) x1 (size)", r.x[1], 16);
	ASSERT_EQ("receive (SMCCC) x2 (not_empty)", r.x[2], 0);
	if (!ipc_pattern_ok("received", rx, 16, 70))
		return;
	r = hs(GH_HVC_MSGQUEUE_RECEIVE, q, (u64)(uintptr_t)rx, 16, 0, 0);
	ASSERT_EQ("receive again (SMCCC) x0", r.x[0], E(MSGQUEUE_EMPTY));
	ASSERT_EQ("receive again (SMCCC) x2 (not_empty)", r.x[2], 0);
}

/* Proves 6 level receive VIRQs raised while IRQs are masked (more than the 4 list registers) are
 * each taken once, and again when re-enabled while their queues still hold a message, then not
 * after the queues are drained (issue 9 point 1: level sources stay asserted; §4). */
MQ_IRQ_TEST(many_level_sources)
{
	u64 q[6];
	u32 i;

	for (i = 0; i < 6; i++) {
		q[i] = mq_make(rc, 2, 8);
		RETURN_IF_FAILED();
		vq_bind_rx(self, q[i], IPC_VIRQ(i));
		RETURN_IF_FAILED();
	}
	irq_mask();
	for (i = 0; i < 6; i++)
		vq_send(q[i], 0);
	irq_unmask();
	for (i = 0; i < 6; i++)
		irq_wait((u32)IPC_VIRQ(i), 1, IPC_IRQ_WAIT_MS);
	irq_settle(IPC_IRQ_QUIET_MS);
	ASSERT_EQ("interrupts taken", irq_total(), 6);
	for (i = 0; i < 6; i++) {
		ASSERT_EQ("each INTID once", irq_count((u32)IPC_VIRQ(i)), 1);
		if (!ipc_irq_on(IPC_VIRQ(i)))
			return;
	}
	for (i = 0; i < 6; i++)
		irq_wait((u32)IPC_VIRQ(i), 2, IPC_IRQ_WAIT_MS);
	irq_settle(IPC_IRQ_QUIET_MS);
	ASSERT_EQ("re-enabled while not empty: taken again", irq_total(), 12);
	for (i = 0; i < 6; i++) {
		ASSERT_RESULT2("drain", mq_recv(q[i], vq_rx, 8), 0, 8, 0);
		if (!ipc_irq_on(IPC_VIRQ(i)))
			return;
	}
	irq_settle(IPC_IRQ_QUIET_MS);
	ASSERT_EQ("re-enabled once drained: nothing more", irq_total(), 12);
}

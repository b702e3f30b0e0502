/* Doorbell VIRQs taken by the guest: send, enable and ack masks, level versus edge, reset, binding
 * (§5; §2 VIRQ binding; ROOT_PROFILE.md delivery). */
#include <humpy/arch.h>
#include <humpy/ipc.h>

#define DB_IRQ_TEST(name) IPC_TEST(doorbell, name, GH_API_FLAG0_DOORBELL, "doorbell", true)
#define DB_VIRQ           IPC_VIRQ(4)
#define DB_VIRQ2          IPC_VIRQ(5)

static struct gh_ret dv_send(u64 db, u64 flags)
{
	return hc(GH_HVC_DOORBELL_SEND, db, flags, 0, 0, 0);
}

static struct gh_ret dv_recv(u64 db, u64 clear)
{
	return hc(GH_HVC_DOORBELL_RECEIVE, db, clear, 0, 0, 0);
}

static struct gh_ret dv_mask(u64 db, u64 enable, u64 ack)
{
	return hc(GH_HVC_DOORBELL_MASK, db, enable, ack, 0, 0);
}

/* A bound, activated doorbell at DB_VIRQ, its INTID enabled (edge when asked). */
static u64 dv_make(const struct root_caps *rc, const struct ipc_self *self, bool edge)
{
	u64 db = db_make(rc);

	if (db == GH_CAP_INVALID)
		return db;
	if (edge && !ipc_irq_edge(DB_VIRQ))
		return GH_CAP_INVALID;
	ipc_bind(self, GH_HVC_DOORBELL_BIND_VIRQ, GH_HVC_DOORBELL_UNBIND_VIRQ, db, DB_VIRQ);
	return test_has_failed() ? GH_CAP_INVALID : db;
}

/* Proves a send with an enabled flag raises the bound VIRQ: exactly its INTID, once (§5 send). */
DB_IRQ_TEST(send_raises_virq)
{
	u64 db = dv_make(rc, self, false);

	RETURN_IF_FAILED();
	ASSERT_TAKEN("after bind", DB_VIRQ, 0);
	ASSERT_RESULT("send 0x1", dv_send(db, 0x1), 0, 0);
	ASSERT_TAKEN("after send", DB_VIRQ, 1);
	ASSERT_RESULT("receive", dv_recv(db, ~0ULL), 0, 0x1);
}

/* Proves a send whose flags are all masked off by the enable mask raises nothing on a level VIRQ,
 * and an enabled one then does (§5 send). */
DB_IRQ_TEST(send_masked_level)
{
	u64 db = dv_make(rc, self, false);

	RETURN_IF_FAILED();
	ASSERT_RESULT("mask enable 0x2", dv_mask(db, 0x2, 0), 0, 0);
	ASSERT_RESULT("send 0x1 (disabled)", dv_send(db, 0x1), 0, 0);
	ASSERT_TAKEN("disabled flag", DB_VIRQ, 0);
	ASSERT_RESULT("send 0x2 (enabled)", dv_send(db, 0x2), 0, 0x1);
	ASSERT_TAKEN("enabled flag", DB_VIRQ, 1);
}

/* Proves send of 0 with nothing enabled raises nothing on a level VIRQ (§5: edge-only assertion).
 */
DB_IRQ_TEST(send_zero_level)
{
	u64 db = dv_make(rc, self, false);

	RETURN_IF_FAILED();
	ASSERT_RESULT("send 0", dv_send(db, 0), 0, 0);
	ASSERT_TAKEN("send 0, level", DB_VIRQ, 0);
}

/* Proves an edge VIRQ fires on every send, even of 0 or of masked flags (§5: edge-only assertion).
 */
DB_IRQ_TEST(send_zero_edge)
{
	u64 db = dv_make(rc, self, true);

	RETURN_IF_FAILED();
	ASSERT_RESULT("send 0", dv_send(db, 0), 0, 0);
	ASSERT_TAKEN("send 0, edge", DB_VIRQ, 1);
	if (!ipc_irq_on(DB_VIRQ))
		return;
	ASSERT_RESULT("mask enable 0", dv_mask(db, 0, 0), 0, 0);
	ASSERT_RESULT("send 0x1 (masked)", dv_send(db, 0x1), 0, 0);
	ASSERT_TAKEN("masked send, edge", DB_VIRQ, 2);
}

/* Proves a level VIRQ is taken again while an enabled flag is set, and not once receive clears it
 * (§5 receive: level de-asserts when flags & enable_mask is 0). */
DB_IRQ_TEST(level_redelivered)
{
	u64 db = dv_make(rc, self, false);

	RETURN_IF_FAILED();
	ASSERT_RESULT("send 0x1", dv_send(db, 0x1), 0, 0);
	ASSERT_TAKEN("after send", DB_VIRQ, 1);
	if (!ipc_irq_on(DB_VIRQ))
		return;
	ASSERT_TAKEN("re-enabled, flag still set", DB_VIRQ, 2);
	ASSERT_RESULT("receive 0x1", dv_recv(db, 0x1), 0, 0x1);
	if (!ipc_irq_on(DB_VIRQ))
		return;
	ASSERT_TAKEN("re-enabled, flag cleared", DB_VIRQ, 2);
}

/* Proves an edge VIRQ fires once per send: re-enabled with the flag still set it is not taken
 * again (§5; ROOT_PROFILE.md edge). */
DB_IRQ_TEST(edge_once)
{
	u64 db = dv_make(rc, self, true);

	RETURN_IF_FAILED();
	ASSERT_RESULT("send 0x1", dv_send(db, 0x1), 0, 0);
	ASSERT_TAKEN("after send", DB_VIRQ, 1);
	if (!ipc_irq_on(DB_VIRQ))
		return;
	ASSERT_TAKEN("re-enabled, flag still set", DB_VIRQ, 1);
	ASSERT_RESULT("send 0x1 again", dv_send(db, 0x1), 0, 0x1);
	ASSERT_TAKEN("second send", DB_VIRQ, 2);
}

/* Proves with the ack mask covering the flag the level VIRQ is taken once and the flag is gone,
 * so re-enabling takes nothing (§5 send: auto-acknowledge). */
DB_IRQ_TEST(ack_mask_level)
{
	u64 db = dv_make(rc, self, false);

	RETURN_IF_FAILED();
	ASSERT_RESULT("mask enable all ack 0x1", dv_mask(db, ~0ULL, 0x1), 0, 0);
	ASSERT_RESULT("send 0x1", dv_send(db, 0x1), 0, 0);
	ASSERT_TAKEN("after send", DB_VIRQ, 1);
	ASSERT_RESULT("receive (acked)", dv_recv(db, ~0ULL), 0, 0);
	if (!ipc_irq_on(DB_VIRQ))
		return;
	ASSERT_TAKEN("re-enabled after the ack", DB_VIRQ, 1);
	ASSERT_RESULT("send 0x1 again", dv_send(db, 0x1), 0, 0);
	ASSERT_TAKEN("second send", DB_VIRQ, 2);
}

/* Proves mask false->true raises the VIRQ for flags already set (§5 mask). */
DB_IRQ_TEST(mask_enable_raises)
{
	u64 db = dv_make(rc, self, false);

	RETURN_IF_FAILED();
	ASSERT_RESULT("mask enable 0", dv_mask(db, 0, 0), 0, 0);
	ASSERT_RESULT("send 0x4", dv_send(db, 0x4), 0, 0);
	ASSERT_TAKEN("disabled", DB_VIRQ, 0);
	ASSERT_RESULT("mask enable 0x4", dv_mask(db, 0x4, 0), 0, 0);
	ASSERT_TAKEN("enabled by mask", DB_VIRQ, 1);
}

/* Proves mask true->false clears the pending VIRQ: asserted while its INTID was disabled, it is not
 * taken once the enable mask drops the flag (§5 mask). */
DB_IRQ_TEST(mask_disable_clears)
{
	u64 db = dv_make(rc, self, false);

	RETURN_IF_FAILED();
	irq_disable((u32)DB_VIRQ);
	ASSERT_RESULT("send 0x1", dv_send(db, 0x1), 0, 0);
	ASSERT_RESULT("mask enable 0", dv_mask(db, 0, 0), 0, 0);
	if (!ipc_irq_on(DB_VIRQ))
		return;
	ASSERT_TAKEN("after the mask dropped the flag", DB_VIRQ, 0);
	ASSERT_RESULT("mask enable all", dv_mask(db, ~0ULL, 0), 0, 0);
	ASSERT_TAKEN("enabled again", DB_VIRQ, 1);
}

/* Proves a mask that changes nothing enabled (true->true) raises no second interrupt (§5 mask). */
DB_IRQ_TEST(mask_true_to_true)
{
	u64 db = dv_make(rc, self, false);

	RETURN_IF_FAILED();
	ASSERT_RESULT("send 0x3", dv_send(db, 0x3), 0, 0);
	ASSERT_TAKEN("after send", DB_VIRQ, 1);
	ASSERT_RESULT("mask enable all ack 0x1", dv_mask(db, ~0ULL, 0x1), 0, 0);
	ASSERT_TAKEN("after the mask (INTID still disabled by the handler)", DB_VIRQ, 1);
	ASSERT_RESULT("receive", dv_recv(db, ~0ULL), 0, 0x2);
}

/* Proves reset clears a pending VIRQ and the flags: asserted while its INTID was disabled, it is
 * not taken after reset (§5 reset). */
DB_IRQ_TEST(reset_clears_virq)
{
	u64 db = dv_make(rc, self, false);

	RETURN_IF_FAILED();
	irq_disable((u32)DB_VIRQ);
	ASSERT_RESULT("send 0x1", dv_send(db, 0x1), 0, 0);
	ASSERT_RESULT("reset", hc(GH_HVC_DOORBELL_RESET, db, 0, 0, 0, 0), 0, 0);
	if (!ipc_irq_on(DB_VIRQ))
		return;
	ASSERT_TAKEN("after reset", DB_VIRQ, 0);
	ASSERT_RESULT("receive after reset", dv_recv(db, ~0ULL), 0, 0);
	ASSERT_RESULT("send after reset (still bound)", dv_send(db, 0x1), 0, 0);
	ASSERT_TAKEN("send after reset", DB_VIRQ, 1);
}

/* Proves binding a bound doorbell again is VIRQ_BOUND and keeps the first binding (§2). */
DB_IRQ_TEST(bind_already_bound)
{
	u64 db = dv_make(rc, self, false);

	RETURN_IF_FAILED();
	ASSERT_RESULT("bind again, other VIRQ",
	              hc(GH_HVC_DOORBELL_BIND_VIRQ, db, self->vic, DB_VIRQ2, 0, 0), E(VIRQ_BOUND),
	              0);
	if (!ipc_irq_on(DB_VIRQ2))
		return;
	ASSERT_RESULT("send", dv_send(db, 0x1), 0, 0);
	ASSERT_TAKEN("first binding", DB_VIRQ, 1);
}

/* Proves binding to a VIRQ another doorbell holds is BUSY (§2). */
DB_IRQ_TEST(bind_virq_busy)
{
	u64 a = dv_make(rc, self, false), b = db_make(rc);

	RETURN_IF_FAILED();
	ASSERT_RESULT("bind b to a's VIRQ",
	              hc(GH_HVC_DOORBELL_BIND_VIRQ, b, self->vic, DB_VIRQ, 0, 0), E(BUSY), 0);
	ASSERT_RESULT("send to b", dv_send(b, 0x1), 0, 0);
	ASSERT_TAKEN("b unbound", DB_VIRQ, 0);
	ASSERT_RESULT("send to a", dv_send(a, 0x1), 0, 0);
	ASSERT_TAKEN("a", DB_VIRQ, 1);
}

/* Proves out-of-range VIRQ numbers are ARGUMENT_INVALID (§2; ROOT_PROFILE.md range). */
DB_IRQ_TEST(bind_virq_out_of_range)
{
	static const u64 bad[] = {0, 15, 1020, ~0ULL};
	u64 db = db_make(rc);
	unsigned i;

	RETURN_IF_FAILED();
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ASSERT_RESULT("bind", hc(GH_HVC_DOORBELL_BIND_VIRQ, db, self->vic, bad[i], 0, 0),
		              E(ARGUMENT_INVALID), 0);
	ASSERT_RESULT("bind, first VIRQ past the range",
	              hc(GH_HVC_DOORBELL_BIND_VIRQ, db, self->vic, ipc_virq_end(), 0, 0),
	              E(ARGUMENT_INVALID), 0);
}

/* Proves unbind of an unbound doorbell is OK, and unbind stops delivery (§2). */
DB_IRQ_TEST(unbind)
{
	u64 db = db_make(rc);

	RETURN_IF_FAILED();
	ASSERT_RESULT("unbind unbound", hc(GH_HVC_DOORBELL_UNBIND_VIRQ, db, 0, 0, 0, 0), 0, 0);
	ipc_bind(self, GH_HVC_DOORBELL_BIND_VIRQ, GH_HVC_DOORBELL_UNBIND_VIRQ, db, DB_VIRQ);
	RETURN_IF_FAILED();
	ASSERT_RESULT("unbind", hc(GH_HVC_DOORBELL_UNBIND_VIRQ, db, 0, 0, 0, 0), 0, 0);
	ASSERT_RESULT("send", dv_send(db, 0x1), 0, 0);
	ASSERT_TAKEN("unbound", DB_VIRQ, 0);
	ASSERT_RESULT("unbind again", hc(GH_HVC_DOORBELL_UNBIND_VIRQ, db, 0, 0, 0, 0), 0, 0);
}

/* Proves binding while a flag is already set does not lose the doorbell: the next send raises the
 * VIRQ (§5 send asserts whenever an enabled flag is set). */
DB_IRQ_TEST(bind_after_flags)
{
	u64 db = db_make(rc);

	RETURN_IF_FAILED();
	ASSERT_RESULT("send 0x1 unbound", dv_send(db, 0x1), 0, 0);
	ipc_bind(self, GH_HVC_DOORBELL_BIND_VIRQ, GH_HVC_DOORBELL_UNBIND_VIRQ, db, DB_VIRQ);
	RETURN_IF_FAILED();
	ASSERT_RESULT("send 0x2 bound", dv_send(db, 0x2), 0, 0x1);
	ASSERT_TAKEN("after the bound send", DB_VIRQ, 1);
}

/* Proves two doorbells on two VIRQs are taken each by its own INTID (§5, ROOT_PROFILE.md). */
DB_IRQ_TEST(two_doorbells)
{
	u64 a = db_make(rc), b = db_make(rc);

	RETURN_IF_FAILED();
	ipc_bind(self, GH_HVC_DOORBELL_BIND_VIRQ, GH_HVC_DOORBELL_UNBIND_VIRQ, a, DB_VIRQ);
	ipc_bind(self, GH_HVC_DOORBELL_BIND_VIRQ, GH_HVC_DOORBELL_UNBIND_VIRQ, b, DB_VIRQ2);
	RETURN_IF_FAILED();
	ASSERT_RESULT("send b", dv_send(b, 0x1), 0, 0);
	ASSERT_TAKEN("b", DB_VIRQ2, 1);
	ASSERT_RESULT("send a", dv_send(a, 0x1), 0, 0);
	ASSERT_TRUE("a taken", irq_wait((u32)DB_VIRQ, 1, IPC_IRQ_WAIT_MS));
	irq_settle(IPC_IRQ_QUIET_MS);
	ASSERT_EQ("a count", irq_count((u32)DB_VIRQ), 1);
	ASSERT_EQ("b count", irq_count((u32)DB_VIRQ2), 1);
	ASSERT_EQ("total", irq_total(), 2);
}

/* Proves an edge VIRQ fires once per send that asserts it, also when the ack mask clears the flags
 * at once and the handler only acknowledges and EOIs (§5 send; ROOT_PROFILE.md: one edge per
 * assertion). */
DB_IRQ_TEST(edge_every_send_acked)
{
	u64 db = dv_make(rc, self, true);
	u32 i;

	RETURN_IF_FAILED();
	irq_keep_enabled((u32)DB_VIRQ);
	ASSERT_RESULT("mask enable all ack all", dv_mask(db, ~0ULL, ~0ULL), 0, 0);
	for (i = 1; i <= 3; i++) {
		ASSERT_RESULT("send 0x1", dv_send(db, 0x1), 0, 0);
		ASSERT_TAKEN("sends so far", DB_VIRQ, i);
	}
}

/* Proves the same with the level flag left set (no ack): each send of an edge VIRQ fires (§5). */
DB_IRQ_TEST(edge_every_send)
{
	u64 db = dv_make(rc, self, true);
	u32 i;

	RETURN_IF_FAILED();
	irq_keep_enabled((u32)DB_VIRQ);
	for (i = 1; i <= 3; i++) {
		ASSERT_RESULT("send 0x1", dv_send(db, 0x1), 0, i > 1 ? 0x1 : 0);
		ASSERT_TAKEN("sends so far", DB_VIRQ, i);
	}
}

/* Proves 8 doorbells rung while IRQs are masked (more pending sources than QEMU's 4 list
 * registers) are each taken exactly once by their own INTID, the handler touching only
 * ICC_IAR1/EOIR1 (issue 9 point 1: no interrupt lost or duplicated on list-register overflow). */
DB_IRQ_TEST(many_sources)
{
	u64 db[8];
	u32 i;

	for (i = 0; i < 8; i++) {
		db[i] = db_make(rc);
		RETURN_IF_FAILED();
		if (!ipc_irq_edge(IPC_VIRQ(i)))
			return;
		ipc_bind(self, GH_HVC_DOORBELL_BIND_VIRQ, GH_HVC_DOORBELL_UNBIND_VIRQ, db[i],
		         IPC_VIRQ(i));
		RETURN_IF_FAILED();
		irq_keep_enabled((u32)IPC_VIRQ(i));
	}
	irq_mask();
	for (i = 0; i < 8; i++)
		dv_send(db[i], 1ULL << i);
	irq_unmask();
	for (i = 0; i < 8; i++)
		irq_wait((u32)IPC_VIRQ(i), 1, IPC_IRQ_WAIT_MS);
	irq_settle(IPC_IRQ_QUIET_MS);
	for (i = 0; i < 8; i++) {
		if (irq_count((u32)IPC_VIRQ(i)) != 1) {
			test_fail("doorbell %u: INTID %lu taken %u times, expected once", i,
			          IPC_VIRQ(i), irq_count((u32)IPC_VIRQ(i)));
			return;
		}
	}
	ASSERT_EQ("interrupts taken", irq_total(), 8);
	for (i = 0; i < 8; i++)
		ASSERT_RESULT("receive", dv_recv(db[i], ~0ULL), 0, 1ULL << i);
}

/*
 * test_ipc: VIRQ sources on a VIC, message queue accounting and copies, doorbell flags and masks,
 * through the core calls (reference §2, §4, §5). The host has no list registers: the VIC's state
 * is what a test reads (line, latch, pending).
 */
#include <string.h>

#include "doorbell.h"
#include "guest_mem.h"
#include "msgqueue.h"
#include "test_util.h"
#include "vic.h"

#define VA_TX 0x10000ULL /* guest windows the tests map */
#define VA_RX 0x20000ULL
#define VA_RO 0x30000ULL

static struct vic_irq *irq_at(const struct host_arena *arena, uint32_t intid)
{
	return vic_irq_of(arena->root.vic, intid);
}

static cap_id_t make_active(const struct host_arena *arena, enum obj_type type)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t c = make_obj(arena, type);

	CHECK_EQ(OK, core_object_activate(&ctx, c));
	return c;
}

static cap_id_t make_msgq(const struct host_arena *arena, uint64_t depth, uint64_t size)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t q = make_obj(arena, OBJ_MSGQUEUE);

	CHECK_EQ(OK, core_msgqueue_configure(&ctx, q, depth | size << 16));
	CHECK_EQ(OK, core_object_activate(&ctx, q));
	return q;
}

TEST(root_vic_and_vcpu_are_active_with_caps)
{
	struct core_ctx ctx = root_ctx(arena);

	CHECK_EQ(OBJ_STATE_ACTIVE, obj_of(arena, arena->root.vic_cap)->state);
	CHECK_EQ(OBJ_STATE_ACTIVE, obj_of(arena, arena->root.vcpu_cap)->state);
	CHECK(arena->root.vcpu->vic == arena->root.vic);
	CHECK_EQ(ROOT_VIC_MAX_VIRQS, arena->root.vic->max_virqs);
	CHECK(irq_at(arena, 31) == NULL);
	CHECK(irq_at(arena, 32) != NULL);
	CHECK(irq_at(arena, 32 + ROOT_VIC_MAX_VIRQS - 1) != NULL);
	CHECK(irq_at(arena, 32 + ROOT_VIC_MAX_VIRQS) == NULL);
	/* Configured and active already: configure is OBJECT_STATE. */
	CHECK_EQ(ERROR_OBJECT_STATE, core_vic_configure(&ctx, arena->root.vic_cap, 1, 1, 0, 0));
}

TEST(vic_configure_limits)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t v = make_obj(arena, OBJ_VIC);

	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_vic_configure(&ctx, v, 0, 4, 0, 0));
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_vic_configure(&ctx, v, VIC_MAX_VCPUS + 1, 4, 0, 0));
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_vic_configure(&ctx, v, 1, VIC_MAX_VIRQS + 1, 0, 0));
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_vic_configure(&ctx, v, 1, 4, 0x4, 0));
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_vic_configure(&ctx, v, 1, 4, 0x1, 1));
	CHECK_EQ(ERROR_OBJECT_CONFIG, core_object_activate(&ctx, v));
	CHECK_EQ(OK, core_vic_configure(&ctx, v, VIC_MAX_VCPUS, VIC_MAX_VIRQS, 0x3, 0));
	CHECK_EQ(OK, core_object_activate(&ctx, v));
}

TEST(virq_bind_errors_in_order_and_unbind_frees)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t a = make_active(arena, OBJ_DOORBELL), b = make_active(arena, OBJ_DOORBELL);
	cap_id_t vic = arena->root.vic_cap;
	uint32_t refs = arena->root.vic->hdr.refcount;

	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_doorbell_bind_virq(&ctx, a, vic, 31));
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_doorbell_bind_virq(&ctx, a, vic, 96));
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_doorbell_bind_virq(&ctx, a, vic, (1ULL << 32) + 40));
	CHECK_EQ(OK, core_doorbell_bind_virq(&ctx, a, vic, 40));
	CHECK_EQ(refs + 1, arena->root.vic->hdr.refcount);
	CHECK_EQ(ERROR_VIRQ_BOUND, core_doorbell_bind_virq(&ctx, a, vic, 41));
	CHECK_EQ(ERROR_VIRQ_BOUND, core_doorbell_bind_virq(&ctx, a, vic, 999));
	CHECK_EQ(ERROR_BUSY, core_doorbell_bind_virq(&ctx, b, vic, 40));
	CHECK_EQ(OK, core_doorbell_unbind_virq(&ctx, a));
	CHECK_EQ(OK, core_doorbell_unbind_virq(&ctx, a)); /* unbound: OK */
	CHECK_EQ(refs, arena->root.vic->hdr.refcount);
	CHECK_EQ(OK, core_doorbell_bind_virq(&ctx, b, vic, 40));
	/* Deleting the bound doorbell's last cap unbinds it and gives the VIC reference back. */
	CHECK_EQ(OK, core_cspace_delete_cap_from(&ctx, arena->root.cspace_cap, b));
	CHECK_EQ(refs, arena->root.vic->hdr.refcount);
	CHECK(irq_at(arena, 40)->source == NULL);
}

TEST(level_source_stays_pending_while_its_condition_holds)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t db = make_active(arena, OBJ_DOORBELL);
	struct vic_irq *irq = irq_at(arena, 50);

	CHECK_EQ(OK, core_doorbell_bind_virq(&ctx, db, arena->root.vic_cap, 50));
	CHECK(!vic_irq_is_pending(irq));
	CHECK_EQ(0, core_doorbell_send(&ctx, db, 0x1).value);
	CHECK(vic_irq_is_pending(irq));
	/* The guest took it: asked again, the flag is still set, so it stays raised. */
	irq->is_redelivery = true;
	vic_irq_recheck(irq);
	CHECK(vic_irq_is_pending(irq));
	CHECK_EQ(0x1, core_doorbell_receive(&ctx, db, 0x1).value);
	vic_irq_recheck(irq);
	CHECK(!vic_irq_is_pending(irq));
}

TEST(edge_source_latches_once_per_assertion)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t db = make_active(arena, OBJ_DOORBELL);
	struct vic_irq *irq = irq_at(arena, 51);

	CHECK_EQ(OK, core_doorbell_bind_virq(&ctx, db, arena->root.vic_cap, 51));
	irq->is_edge = true;
	CHECK_EQ(OK, core_doorbell_mask(&ctx, db, 0, 0));
	/* No enabled flag: an edge-only assertion, which an edge VIRQ takes. */
	CHECK_EQ(0, core_doorbell_send(&ctx, db, 0x1).value);
	CHECK(irq->is_latched);
	CHECK(!irq->is_line_high);
	irq->is_latched = false; /* taken */
	CHECK(!vic_irq_is_pending(irq));
	/* A level VIRQ ignores edge-only assertions. */
	irq->is_edge = false;
	CHECK_EQ(0x1, core_doorbell_send(&ctx, db, 0x2).value);
	CHECK(!vic_irq_is_pending(irq));
}

TEST(doorbell_flags_masks_and_ack)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t db = make_active(arena, OBJ_DOORBELL);
	struct doorbell *d = (struct doorbell *)obj_of(arena, db);

	CHECK_EQ(0, core_doorbell_send(&ctx, db, 0xf0f).value);
	CHECK_EQ(0xf0f, core_doorbell_send(&ctx, db, 0x010).value); /* OR semantics */
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_doorbell_receive(&ctx, db, 0).error);
	CHECK_EQ(0xf1f, d->flags); /* the zero mask changed nothing */
	CHECK_EQ(0xf1f, core_doorbell_receive(&ctx, db, 0x003).value);
	CHECK_EQ(0xf1c, core_doorbell_receive(&ctx, db, 0xf00).value);
	CHECK_EQ(0x01c, d->flags);
	/* Ack mask: acknowledged flags clear as soon as an enabled flag raised the VIRQ. */
	CHECK_EQ(OK, core_doorbell_mask(&ctx, db, ~0ULL, 0x4));
	CHECK_EQ(0x018, d->flags); /* mask: raised -> raised, the ack applies at once */
	CHECK_EQ(0x018, core_doorbell_send(&ctx, db, 0x5).value);
	CHECK_EQ(0x019, d->flags);
	/* Nothing enabled: no ack. */
	CHECK_EQ(OK, core_doorbell_mask(&ctx, db, 0, 0x1));
	CHECK_EQ(0x19, core_doorbell_send(&ctx, db, 0x1).value);
	CHECK_EQ(0x19, d->flags);
	CHECK_EQ(OK, core_doorbell_reset(&ctx, db));
	CHECK_EQ(0, d->flags);
	CHECK_EQ(~0ULL, d->enable_mask);
	CHECK_EQ(0, d->ack_mask);
}

TEST(doorbell_rights)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t db = make_active(arena, OBJ_DOORBELL);
	struct core_result c = core_cspace_copy_cap_from(
	    &ctx, arena->root.cspace_cap, db, arena->root.cspace_cap, RIGHT_DOORBELL_SEND);

	CHECK_EQ(OK, c.error);
	CHECK_EQ(OK, core_doorbell_send(&ctx, c.value, 1).error);
	CHECK_EQ(ERROR_CSPACE_INSUFFICIENT_RIGHTS, core_doorbell_receive(&ctx, c.value, 1).error);
	CHECK_EQ(ERROR_CSPACE_INSUFFICIENT_RIGHTS, core_doorbell_mask(&ctx, c.value, 0, 0));
	CHECK_EQ(ERROR_CSPACE_INSUFFICIENT_RIGHTS, core_doorbell_reset(&ctx, c.value));
	CHECK_EQ(ERROR_CSPACE_INSUFFICIENT_RIGHTS,
	         core_doorbell_bind_virq(&ctx, c.value, arena->root.vic_cap, 40));
}

/* count, head and the free slots agree with what went in and out, over many wrap-arounds. */
TEST(msgqueue_accounting_over_wraparounds)
{
	static uint8_t tx[64], rx[64];
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t q = make_msgq(arena, 3, 64);
	struct msgqueue *mq = (struct msgqueue *)obj_of(arena, q);
	unsigned sent = 0, received = 0;

	host_guest_map(VA_TX, tx, sizeof(tx), false);
	host_guest_map(VA_RX, rx, sizeof(rx), true);
	for (unsigned round = 0; round < 40; round++) {
		unsigned burst = 1 + round % 3;

		for (unsigned i = 0; i < burst; i++) {
			struct core_result r;

			memset(tx, (int)(sent & 0xff), sizeof(tx));
			r = core_msgqueue_send(&ctx, q, 1 + sent % 64, VA_TX, 0);
			CHECK_EQ(OK, r.error);
			sent++;
			CHECK_EQ(sent - received, mq->count);
			CHECK_EQ(mq->count < mq->depth, r.value);
		}
		if (burst == 3) {
			CHECK_EQ(ERROR_MSGQUEUE_FULL,
			         core_msgqueue_send(&ctx, q, 1, VA_TX, 0).error);
			CHECK_EQ(3, mq->count);
		}
		while (received < sent) {
			struct core_result r = core_msgqueue_receive(&ctx, q, VA_RX, sizeof(rx));

			CHECK_EQ(OK, r.error);
			CHECK_EQ(1 + received % 64, r.value);
			CHECK_EQ(received & 0xff, rx[0]);
			CHECK_EQ(received & 0xff, rx[r.value - 1]);
			received++;
			CHECK_EQ(sent - received, mq->count);
			CHECK_EQ(mq->count != 0, r.value2);
			CHECK_EQ(received % 3, mq->head);
		}
		CHECK_EQ(ERROR_MSGQUEUE_EMPTY, core_msgqueue_receive(&ctx, q, VA_RX, 64).error);
	}
}

TEST(msgqueue_errors_change_nothing)
{
	static uint8_t tx[64], rx[16], ro[64];
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t q = make_msgq(arena, 2, 32);
	struct msgqueue *mq = (struct msgqueue *)obj_of(arena, q);

	host_guest_map(VA_TX, tx, sizeof(tx), false);
	host_guest_map(VA_RX, rx, sizeof(rx), true);
	host_guest_map(VA_RO, ro, sizeof(ro), false);
	CHECK_EQ(ERROR_ARGUMENT_SIZE, core_msgqueue_send(&ctx, q, 0, VA_TX, 0).error);
	CHECK_EQ(ERROR_ARGUMENT_SIZE, core_msgqueue_send(&ctx, q, 33, VA_TX, 0).error);
	CHECK_EQ(ERROR_ADDR_INVALID, core_msgqueue_send(&ctx, q, 32, VA_TX + 40, 0).error);
	CHECK_EQ(ERROR_ADDR_INVALID, core_msgqueue_send(&ctx, q, 8, ~0ULL - 3, 0).error);
	CHECK_EQ(0, mq->count);
	CHECK_EQ(OK, core_msgqueue_send(&ctx, q, 32, VA_TX, 0).error);
	/* Too small, straddling out of its window, read-only: the message stays queued. */
	CHECK_EQ(ERROR_ADDR_OVERFLOW, core_msgqueue_receive(&ctx, q, VA_RX, 31).error);
	CHECK_EQ(ERROR_ADDR_INVALID, core_msgqueue_receive(&ctx, q, VA_RX, 32).error);
	CHECK_EQ(ERROR_ADDR_INVALID, core_msgqueue_receive(&ctx, q, VA_RO, 64).error);
	CHECK_EQ(1, mq->count);
	CHECK_EQ(0, mq->head);
}

TEST(msgqueue_virqs_follow_thresholds_push_and_flush)
{
	static uint8_t buf[8];
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t q = make_msgq(arena, 4, 8);
	struct vic_irq *tx = irq_at(arena, 60), *rx = irq_at(arena, 61);

	host_guest_map(VA_TX, buf, sizeof(buf), true);
	CHECK_EQ(OK, core_msgqueue_bind(&ctx, q, true, arena->root.vic_cap, 60));
	CHECK_EQ(OK, core_msgqueue_bind(&ctx, q, false, arena->root.vic_cap, 61));
	CHECK_EQ(OK, core_msgqueue_configure_receive(&ctx, q, 3, ~0ULL));
	CHECK(!rx->is_line_high);
	CHECK_EQ(OK, core_msgqueue_send(&ctx, q, 1, VA_TX, 0).error);
	CHECK(!rx->is_line_high); /* 1 < 3 */
	CHECK_EQ(OK, core_msgqueue_send(&ctx, q, 1, VA_TX, MSGQUEUE_SEND_PUSH).error);
	CHECK(rx->is_line_high); /* pushed below the threshold */
	CHECK_EQ(OK, core_msgqueue_configure_receive(&ctx, q, ~0ULL - 1, ~0ULL)); /* = depth */
	CHECK(!rx->is_line_high);
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_msgqueue_configure_receive(&ctx, q, 0, ~0ULL));
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_msgqueue_configure_receive(&ctx, q, 5, ~0ULL));
	CHECK_EQ(ERROR_UNIMPLEMENTED, core_msgqueue_configure_receive(&ctx, q, 1, 0));
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_msgqueue_configure_send(&ctx, q, 4, ~0ULL));
	CHECK_EQ(OK, core_msgqueue_configure_send(&ctx, q, 1, ~0ULL));
	CHECK(!tx->is_line_high); /* count 2 > 1 */
	CHECK_EQ(OK, core_msgqueue_receive(&ctx, q, VA_TX, 8).error);
	CHECK(tx->is_line_high); /* count 1 <= 1 */
	CHECK_EQ(OK, core_msgqueue_configure_send(&ctx, q, 0, ~0ULL));
	CHECK(!tx->is_line_high);
	CHECK_EQ(OK, core_msgqueue_configure_receive(&ctx, q, 1, ~0ULL));
	CHECK(rx->is_line_high);
	CHECK_EQ(OK, core_msgqueue_flush(&ctx, q));
	CHECK(!rx->is_line_high);
	CHECK(tx->is_line_high);
	CHECK_EQ(0, ((struct msgqueue *)obj_of(arena, q))->count);
}

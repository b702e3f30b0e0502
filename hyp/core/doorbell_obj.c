/* doorbell_obj: the doorbell object: its flags and masks, and the VIRQ they raise (reference §5).
 */
#include "doorbell.h"

static bool doorbell_is_raised(const struct doorbell *db)
{
	return (db->flags & db->enable_mask) != 0U;
}

/* The level condition the VIC asks again once the guest ended the VIRQ. */
static bool doorbell_condition(const struct virq_source *src)
{
	const struct doorbell *db =
	    (const struct doorbell *)((const char *)src - offsetof(struct doorbell, source));

	return doorbell_is_raised(db);
}

struct virq_source *doorbell_source(struct object *obj)
{
	return &((struct doorbell *)obj)->source;
}

uint64_t doorbell_send(struct doorbell *db, uint64_t new_flags)
{
	uint64_t old = db->flags;

	db->flags |= new_flags;
	if (doorbell_is_raised(db)) {
		virq_assert(&db->source, false);
		db->flags &= ~db->ack_mask;
	} else {
		virq_assert(&db->source, true);
	}
	return old;
}

uint64_t doorbell_receive(struct doorbell *db, uint64_t clear_flags)
{
	uint64_t old = db->flags;

	db->flags &= ~clear_flags;
	return old;
}

void doorbell_mask(struct doorbell *db, uint64_t enable_mask, uint64_t ack_mask)
{
	bool was_raised = doorbell_is_raised(db);

	db->enable_mask = enable_mask;
	db->ack_mask = ack_mask;
	if (doorbell_is_raised(db)) {
		if (!was_raised) {
			virq_assert(&db->source, false);
		}
		db->flags &= ~db->ack_mask;
	} else if (was_raised) {
		virq_clear(&db->source);
	}
}

void doorbell_reset(struct doorbell *db)
{
	virq_clear(&db->source);
	db->flags = 0U;
	db->ack_mask = 0U;
	db->enable_mask = ~(uint64_t)0U;
}

static error_t doorbell_activate(struct object *obj)
{
	struct doorbell *db = (struct doorbell *)obj;

	db->source.condition = doorbell_condition;
	doorbell_reset(db);
	return OK;
}

static void doorbell_cleanup(struct object *obj, struct object **dead)
{
	virq_unbind_deferred(doorbell_source(obj), dead);
}

const struct obj_ops doorbell_ops = {
    .size = sizeof(struct doorbell),
    .all_rights =
        RIGHT_OBJECT_ACTIVATE | RIGHT_DOORBELL_SEND | RIGHT_DOORBELL_RECEIVE | RIGHT_DOORBELL_BIND,
    .activate = doorbell_activate,
    .cleanup = doorbell_cleanup,
};

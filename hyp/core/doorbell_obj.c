/* doorbell_obj: the doorbell object's lifecycle (its state starts cleared with every flag enabled).
 */
#include "doorbell.h"

static error_t doorbell_activate(struct object *obj)
{
	struct doorbell *db = (struct doorbell *)obj;

	db->flags = 0U;
	db->ack_mask = 0U;
	db->enable_mask = ~(uint64_t)0U;
	return OK;
}

const struct obj_ops doorbell_ops = {
    .size = sizeof(struct doorbell),
    .all_rights =
        RIGHT_OBJECT_ACTIVATE | RIGHT_DOORBELL_SEND | RIGHT_DOORBELL_RECEIVE | RIGHT_DOORBELL_BIND,
    .activate = doorbell_activate,
    .cleanup = NULL,
};

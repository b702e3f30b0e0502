/* hwirq: the hwirq object: one physical interrupt and the VIRQ source it becomes when bound. */
#include "hwirq.h"

struct virq_source *hwirq_source(struct object *obj)
{
	return &((struct hwirq *)obj)->source;
}

static void hwirq_cleanup(struct object *obj, struct object **dead)
{
	struct hwirq *hwirq = (struct hwirq *)obj;

	if (hwirq->source.vic != NULL) {
		arch_hwirq_bound(hwirq, false);
		virq_unbind_deferred(&hwirq->source, dead);
	}
}

const struct obj_ops hwirq_ops = {
    .size = sizeof(struct hwirq),
    .all_rights = RIGHT_OBJECT_ACTIVATE | RIGHT_HWIRQ_BIND_VIC,
    .activate = NULL,
    .cleanup = hwirq_cleanup,
};

/* msgqueue_obj: the message queue object's configuration and buffer (the queue operations live
 * elsewhere). */
#include "msgqueue.h"

#include "partition.h"

/* Each slot holds the message length then up to max_msg_size bytes. */
static size_t msgqueue_slot_size(const struct msgqueue *mq)
{
	return sizeof(uint64_t) + ((mq->max_msg_size + 7U) & ~7U);
}

error_t msgqueue_configure(struct msgqueue *mq, uint64_t create_info)
{
	uint64_t depth = create_info & 0xffffU;
	uint64_t size = (create_info >> 16) & 0xffffU;

#if HUMPY_PLANT_BUG == 1 /* planted bug 1: depth off by one */
	if ((create_info >> 32) != 0U || depth == 0U || depth > MSGQUEUE_MAX_DEPTH + 1U ||
	    size == 0U ||
#else
	if ((create_info >> 32) != 0U || depth == 0U || depth > MSGQUEUE_MAX_DEPTH || size == 0U ||
#endif
	    size > MSGQUEUE_MAX_MSG_SIZE) {
		return ERROR_ARGUMENT_INVALID;
	}
	mq->depth = (uint16_t)depth;
	mq->max_msg_size = (uint16_t)size;
	return OK;
}

static error_t msgqueue_activate(struct object *obj)
{
	struct msgqueue *mq = (struct msgqueue *)obj;
	struct partition_alloc_result mem;
	size_t size;

	if (mq->depth == 0U) {
		return ERROR_OBJECT_CONFIG;
	}
	mq->slot_size = msgqueue_slot_size(mq);
	size = (size_t)mq->depth * mq->slot_size;
	mem = partition_alloc(obj->partition, size);
	if (mem.error != OK) {
		return mem.error;
	}
	mq->buf = mem.ptr;
	mq->buf_size = size;
	mq->count = 0U;
	mq->head = 0U;
	/* Defaults: "not full" once a slot frees up, "not empty" from the first message. */
	mq->notfull_threshold = mq->depth - 1U;
	mq->notempty_threshold = 1U;
	msgqueue_init_sources(mq);
	return OK;
}

static void msgqueue_cleanup(struct object *obj, struct object **dead)
{
	struct msgqueue *mq = (struct msgqueue *)obj;

	/* Bound sides hold their VICs. */
	virq_unbind_deferred(&mq->send_source, dead);
	virq_unbind_deferred(&mq->receive_source, dead);
	if (mq->buf != NULL) {
		partition_free(obj->partition, mq->buf, mq->buf_size);
		mq->buf = NULL;
	}
}

const struct obj_ops msgqueue_ops = {
    .size = sizeof(struct msgqueue),
    .all_rights = RIGHT_OBJECT_ACTIVATE | RIGHT_MSGQUEUE_SEND | RIGHT_MSGQUEUE_RECEIVE |
                  RIGHT_MSGQUEUE_BIND_SEND | RIGHT_MSGQUEUE_BIND_RECEIVE,
    .activate = msgqueue_activate,
    .cleanup = msgqueue_cleanup,
};

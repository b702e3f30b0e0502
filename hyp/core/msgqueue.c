/* msgqueue: send, receive, flush and the thresholds of a message queue, and the VIRQs they raise
 * (reference §4). */
#include "msgqueue.h"

#include "guest_mem.h"

/* Each slot holds the message length then up to max_msg_size bytes (slot size: msgqueue_obj.c).
 * index < 2 * depth (head < depth, head + count at most head + depth): one wrap at most. */
static uint8_t *msgqueue_slot(const struct msgqueue *mq, uint32_t index)
{
	uint32_t slot = index < mq->depth ? index : index - mq->depth;

	return mq->buf + (size_t)slot * mq->slot_size;
}

static bool msgqueue_send_condition(const struct virq_source *src)
{
	const struct msgqueue *mq =
	    (const struct msgqueue *)((const char *)src - offsetof(struct msgqueue, send_source));

	return mq->count <= mq->notfull_threshold;
}

static bool msgqueue_receive_condition(const struct virq_source *src)
{
	const struct msgqueue *mq =
	    (const struct msgqueue *)((const char *)src -
	                              offsetof(struct msgqueue, receive_source));

	return mq->count >= mq->notempty_threshold;
}

/* Bound to a VIC: tested first on the hot path, so an unbound side costs one load and branch. */
static inline bool msgqueue_is_bound(const struct virq_source *src)
{
	return src->vic != NULL;
}

/* A side's level VIRQ raised, if bound: unbound (the common case) costs no call on the hot path. */
static void msgqueue_raise(struct virq_source *src)
{
	if (src->vic != NULL) {
		virq_assert(src, false);
	}
}

/* A side's level VIRQ lowered once its condition no longer holds: the VIC asks a source again only
 * after the guest took it, so one the guest had disabled meanwhile would stay pending. */
static void msgqueue_lower(struct virq_source *src)
{
	if (src->vic != NULL) {
		virq_clear(src);
	}
}

void msgqueue_init_sources(struct msgqueue *mq)
{
	mq->send_source.condition = msgqueue_send_condition;
	mq->receive_source.condition = msgqueue_receive_condition;
}

struct virq_source *msgqueue_send_source(struct object *obj)
{
	return &((struct msgqueue *)obj)->send_source;
}

struct virq_source *msgqueue_receive_source(struct object *obj)
{
	return &((struct msgqueue *)obj)->receive_source;
}

struct msgqueue_result msgqueue_send(struct msgqueue *mq, uint64_t size, uint64_t data,
                                     uint64_t flags, struct vcpu *from)
{
	struct msgqueue_result ret = {.error = OK};
	uint8_t *slot;

	if (size == 0U || size > mq->max_msg_size) {
		ret.error = ERROR_ARGUMENT_SIZE;
		goto out;
	}
	if (mq->count == mq->depth) {
		ret.error = ERROR_MSGQUEUE_FULL;
		goto out;
	}
	/* Into the free slot: nothing is queued until the copy succeeded. */
	slot = msgqueue_slot(mq, mq->head + mq->count);
	ret.error = arch_copy_from_guest(from, slot + sizeof(uint64_t), data, (size_t)size);
	if (ret.error != OK) {
		goto out;
	}
	*(uint64_t *)(void *)slot = size;
	mq->count++;
	/* Level: raised while count >= the threshold (so a source bound after the count crossed it
	 * is raised by the next send), or pushed below it. */
	if (msgqueue_is_bound(&mq->receive_source) &&
	    ((flags & MSGQUEUE_SEND_PUSH) != 0U || mq->count >= mq->notempty_threshold)) {
		msgqueue_raise(&mq->receive_source);
	}
	if (msgqueue_is_bound(&mq->send_source) && mq->count > mq->notfull_threshold) {
		msgqueue_lower(&mq->send_source);
	}
	ret.more = mq->count < mq->depth;
out:
	return ret;
}

struct msgqueue_result msgqueue_receive(struct msgqueue *mq, uint64_t buffer, uint64_t buf_size,
                                        struct vcpu *to)
{
	struct msgqueue_result ret = {.error = OK};
	uint8_t *slot;
	uint64_t size;

	if (mq->count == 0U) {
		ret.error = ERROR_MSGQUEUE_EMPTY;
		goto out;
	}
	slot = msgqueue_slot(mq, mq->head);
	size = *(const uint64_t *)(const void *)slot;
	if (size > buf_size) {
		ret.error = ERROR_ADDR_OVERFLOW;
		goto out;
	}
	ret.error = arch_copy_to_guest(to, buffer, slot + sizeof(uint64_t), (size_t)size);
	if (ret.error != OK) {
		goto out;
	}
	mq->head = mq->head + 1U == mq->depth ? 0U : mq->head + 1U;
	mq->count--;
	if (msgqueue_is_bound(&mq->send_source) && mq->count <= mq->notfull_threshold) {
		msgqueue_raise(&mq->send_source);
	}
	if (msgqueue_is_bound(&mq->receive_source) && mq->count < mq->notempty_threshold) {
		msgqueue_lower(&mq->receive_source);
	}
	ret.size = (uint32_t)size;
	ret.more = mq->count != 0U;
out:
	return ret;
}

void msgqueue_flush(struct msgqueue *mq)
{
	if (mq->count == 0U) {
		return;
	}
	mq->count = 0U;
	mq->head = 0U;
	virq_clear(&mq->receive_source);
	virq_assert(&mq->send_source, false);
}

error_t msgqueue_configure_send(struct msgqueue *mq, uint64_t threshold, uint64_t delay)
{
	if (threshold != MSGQUEUE_THRESHOLD_UNCHANGED && threshold >= mq->depth) {
		return ERROR_ARGUMENT_INVALID;
	}
	if (delay != MSGQUEUE_DELAY_UNCHANGED) {
		return ERROR_UNIMPLEMENTED;
	}
	if (threshold != MSGQUEUE_THRESHOLD_UNCHANGED) {
		mq->notfull_threshold = (uint32_t)threshold;
	}
	if (mq->count <= mq->notfull_threshold) {
		virq_assert(&mq->send_source, false);
	} else {
		virq_clear(&mq->send_source);
	}
	return OK;
}

error_t msgqueue_configure_receive(struct msgqueue *mq, uint64_t threshold, uint64_t delay)
{
	if (threshold == MSGQUEUE_THRESHOLD_MAXIMUM) {
		threshold = mq->depth;
	} else if (threshold != MSGQUEUE_THRESHOLD_UNCHANGED &&
	           (threshold == 0U || threshold > mq->depth)) {
		return ERROR_ARGUMENT_INVALID;
	}
	if (delay != MSGQUEUE_DELAY_UNCHANGED) {
		return ERROR_UNIMPLEMENTED;
	}
	if (threshold != MSGQUEUE_THRESHOLD_UNCHANGED) {
		mq->notempty_threshold = (uint32_t)threshold;
	}
	if (mq->count >= mq->notempty_threshold) {
		virq_assert(&mq->receive_source, false);
	} else {
		virq_clear(&mq->receive_source);
	}
	return OK;
}

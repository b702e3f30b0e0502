/* msgqueue_calls: the msgqueue_* hypercalls as core calls: rights (reference §4), then the queue
 * operation with the caller's memory behind its copies. */
#include "core_call.h"
#include "msgqueue.h"

static struct cap_lookup_result msgqueue_lookup(const struct core_ctx *ctx, cap_id_t cap,
                                                rights_t rights)
{
	return cap_lookup(ctx->cspace, cap, OBJ_MSGQUEUE, rights, CAP_WANT_ACTIVE);
}

error_t core_msgqueue_bind(const struct core_ctx *ctx, cap_id_t mq_cap, bool is_send,
                           cap_id_t vic_cap, uint64_t virq)
{
	return core_virq_bind(ctx, mq_cap, OBJ_MSGQUEUE,
	                      is_send ? RIGHT_MSGQUEUE_BIND_SEND : RIGHT_MSGQUEUE_BIND_RECEIVE,
	                      is_send ? msgqueue_send_source : msgqueue_receive_source, vic_cap,
	                      virq);
}

error_t core_msgqueue_unbind(const struct core_ctx *ctx, cap_id_t mq_cap, bool is_send)
{
	return core_virq_unbind(ctx, mq_cap, OBJ_MSGQUEUE,
	                        is_send ? RIGHT_MSGQUEUE_BIND_SEND : RIGHT_MSGQUEUE_BIND_RECEIVE,
	                        is_send ? msgqueue_send_source : msgqueue_receive_source);
}

struct core_result core_msgqueue_send(const struct core_ctx *ctx, cap_id_t mq_cap, uint64_t size,
                                      uint64_t data, uint64_t flags)
{
	struct cap_lookup_result m = msgqueue_lookup(ctx, mq_cap, RIGHT_MSGQUEUE_SEND);
	struct msgqueue_result r;

	if (m.error != OK) {
		return (struct core_result){.error = m.error};
	}
	r = msgqueue_send((struct msgqueue *)m.obj, size, data, flags, ctx->vcpu);
	return (struct core_result){.error = r.error, .value = r.error == OK ? r.more : 0U};
}

struct core_result core_msgqueue_receive(const struct core_ctx *ctx, cap_id_t mq_cap,
                                         uint64_t buffer, uint64_t buf_size)
{
	struct cap_lookup_result m = msgqueue_lookup(ctx, mq_cap, RIGHT_MSGQUEUE_RECEIVE);
	struct msgqueue_result r;

	if (m.error != OK) {
		return (struct core_result){.error = m.error};
	}
	r = msgqueue_receive((struct msgqueue *)m.obj, buffer, buf_size, ctx->vcpu);
	if (r.error != OK) {
		return (struct core_result){.error = r.error};
	}
	return (struct core_result){.value = r.size, .value2 = r.more};
}

error_t core_msgqueue_flush(const struct core_ctx *ctx, cap_id_t mq_cap)
{
	struct cap_lookup_result m = msgqueue_lookup(ctx, mq_cap, RIGHT_MSGQUEUE_RECEIVE);

	if (m.error != OK) {
		return m.error;
	}
	msgqueue_flush((struct msgqueue *)m.obj);
	return OK;
}

error_t core_msgqueue_configure_send(const struct core_ctx *ctx, cap_id_t mq_cap,
                                     uint64_t threshold, uint64_t delay)
{
	struct cap_lookup_result m = msgqueue_lookup(ctx, mq_cap, RIGHT_MSGQUEUE_SEND);

	if (m.error != OK) {
		return m.error;
	}
	return msgqueue_configure_send((struct msgqueue *)m.obj, threshold, delay);
}

error_t core_msgqueue_configure_receive(const struct core_ctx *ctx, cap_id_t mq_cap,
                                        uint64_t threshold, uint64_t delay)
{
	struct cap_lookup_result m = msgqueue_lookup(ctx, mq_cap, RIGHT_MSGQUEUE_RECEIVE);

	if (m.error != OK) {
		return m.error;
	}
	return msgqueue_configure_receive((struct msgqueue *)m.obj, threshold, delay);
}

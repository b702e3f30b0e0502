/* object: allocation, INIT -> ACTIVE, reference counting and destruction of every kernel object. */
#include "object.h"

#include "addrspace.h"
#include "doorbell.h"
#include "hwirq.h"
#include "log.h"
#include "memextent.h"
#include "msgqueue.h"
#include "partition.h"
#include "cspace.h"
#include "thread.h"
#include "vic.h"

/* The types this build can create; the others stay NULL (their create calls are not dispatched). */
static const struct obj_ops *const obj_ops_table[OBJ_TYPE_COUNT] = {
    [OBJ_PARTITION] = &partition_ops, [OBJ_CSPACE] = &cspace_ops,
    [OBJ_THREAD] = &thread_ops,       [OBJ_DOORBELL] = &doorbell_ops,
    [OBJ_MSGQUEUE] = &msgqueue_ops,   [OBJ_VIC] = &vic_ops,
    [OBJ_HWIRQ] = &hwirq_ops,         [OBJ_ADDRSPACE] = &addrspace_ops,
    [OBJ_MEMEXTENT] = &memextent_ops,
};

const struct obj_ops *object_ops(enum obj_type type)
{
	if ((unsigned)type >= OBJ_TYPE_COUNT) {
		return NULL;
	}
	return obj_ops_table[type];
}

struct obj_result object_create(struct partition *partition, enum obj_type type)
{
	struct obj_result ret = {.error = ERROR_UNIMPLEMENTED, .obj = NULL};
	const struct obj_ops *ops = object_ops(type);
	struct partition_alloc_result mem;

	if (ops == NULL) {
		goto out;
	}
	mem = partition_alloc(partition, ops->size);
	if (mem.error != OK) {
		ret.error = mem.error;
		goto out;
	}
	ret.obj = mem.ptr;
	ret.obj->type = type;
	ret.obj->state = OBJ_STATE_INIT;
	ret.obj->refcount = 1U;
	ret.obj->partition = partition;
	object_get(&partition->hdr);
	ret.error = OK;
out:
	return ret;
}

error_t object_activate(struct object *obj)
{
	const struct obj_ops *ops = object_ops(obj->type);
	error_t err = ERROR_OBJECT_STATE;

#if HUMPY_PLANT_BUG == 10 /* planted bug 10: a cspace activates twice */
	if (obj->state != OBJ_STATE_INIT && obj->type != OBJ_CSPACE) {
#else
	if (obj->state != OBJ_STATE_INIT) {
#endif
		goto out;
	}
	err = ops->activate != NULL ? ops->activate(obj) : OK;
	if (err == OK) {
		obj->state = OBJ_STATE_ACTIVE;
	}
out:
	return err;
}

void object_get(struct object *obj)
{
	if (obj->refcount == UINT32_MAX) {
		panic("object_get: refcount overflow on type %d", (int)obj->type);
	}
	obj->refcount++;
}

void object_put_deferred(struct object *obj, struct object **dead)
{
	if (obj->refcount == 0U) {
		panic("object_put: refcount underflow on type %d", (int)obj->type);
	}
	if (--obj->refcount != 0U) {
		return;
	}
	if (obj->caps != NULL) {
		panic("object_put: last reference gone while caps remain");
	}
	obj->state = OBJ_STATE_DESTROYING;
	obj->dead_next = *dead;
	*dead = obj;
}

/* Cleanup, free, drop the partition's reference; what that releases joins *dead. */
static void object_destroy(struct object *obj, struct object **dead)
{
	const struct obj_ops *ops = object_ops(obj->type);
	struct partition *owner = obj->partition;

	if (ops->cleanup != NULL) {
		ops->cleanup(obj, dead);
	}
	/* The root partition has no owner and is never put to zero. */
	if (owner == NULL) {
		panic("object_put: the root partition lost its last reference");
	}
	partition_free(owner, obj, ops->size);
	object_put_deferred(&owner->hdr, dead);
#ifdef HUMPY_BREAK_HEAP_AFTER_TEARDOWN /* proof build (harness/qemu_tests): root heap list lost */
	while (owner->hdr.partition != NULL) {
		owner = owner->hdr.partition;
	}
	owner->heap.free = NULL;
#endif
}

void object_put(struct object *obj)
{
	struct object *dead = NULL;

	object_put_deferred(obj, &dead);
	while (dead != NULL) {
		struct object *next = dead;

		dead = next->dead_next;
		object_destroy(next, &dead);
	}
}

/* object: the header every kernel object starts with, its lifecycle (INIT -> ACTIVE) and its
 * reference count. */
#ifndef OBJECT_H
#define OBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "rights.h"

/* Internal numbering; it never crosses the ABI (a guest only sees caps). */
enum obj_type {
	OBJ_NONE = 0,
	OBJ_PARTITION,
	OBJ_CSPACE,
	OBJ_ADDRSPACE,
	OBJ_MEMEXTENT,
	OBJ_THREAD,
	OBJ_DOORBELL,
	OBJ_MSGQUEUE,
	OBJ_VIC,
	OBJ_VPM_GROUP,
	OBJ_HWIRQ,
	OBJ_TYPE_COUNT,
	OBJ_ANY = OBJ_TYPE_COUNT, /* lookup wildcard */
};

/* ABI values (object_state in the spec). */
enum obj_state {
	OBJ_STATE_NONE = 0,
	OBJ_STATE_INIT = 1,
	OBJ_STATE_ACTIVE = 2,
	OBJ_STATE_FAILED = 3,
	OBJ_STATE_DESTROYING = 4,
};

struct partition;
struct cap;

struct object {
	enum obj_type type;
	enum obj_state state;
	uint32_t refcount;
	/* Where this object's memory came from; it holds a reference on that partition. */
	struct partition *partition;
	union {
		/* Valid caps naming this object, master first; revocation walks it. */
		struct cap *caps;
		/* Once the last reference went (no caps then): the next object object_put destroys.
		 */
		struct object *dead_next;
	};
};

/* What each type adds to the common lifecycle. */
struct obj_ops {
	size_t size;         /* bytes of the whole object, header included */
	rights_t all_rights; /* rights of the master cap */
	/* Called on INIT -> ACTIVE; checks the configuration, takes resources, or changes nothing.
	 */
	error_t (*activate)(struct object *obj);
	/*
	 * Called once the last reference went; releases what activate took. References it holds go
	 * through object_put_deferred(..., dead), so tearing down a chain of objects is a loop, not
	 * a recursion as deep as a guest can nest objects (each level would cost hypervisor stack).
	 * Optional.
	 */
	void (*cleanup)(struct object *obj, struct object **dead);
};

struct obj_result {
	error_t error;
	struct object *obj;
};

/* The type's ops, or NULL for a type this build cannot create. */
const struct obj_ops *object_ops(enum obj_type type);

/* Allocate a zeroed object of @type from @partition, in INIT, with one reference (the caller's). */
struct obj_result object_create(struct partition *partition, enum obj_type type);

/* INIT -> ACTIVE through the type's activate; OBJECT_STATE when not in INIT, object unchanged on
 * error. */
error_t object_activate(struct object *obj);

void object_get(struct object *obj);
/*
 * Drops a reference; the last one runs cleanup, frees the memory and drops the partition reference,
 * then destroys in the same loop whatever that released.
 */
void object_put(struct object *obj);
/* For cleanup ops: drops a reference; the last one puts the object on *dead for object_put. */
void object_put_deferred(struct object *obj, struct object **dead);

static inline bool object_is_active(const struct object *obj)
{
	return obj->state == OBJ_STATE_ACTIVE;
}

#endif

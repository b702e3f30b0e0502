/* test_util: shortcuts the core unit tests share (calling context, create-and-check). */
#ifndef TEST_UTIL_H
#define TEST_UTIL_H

#include "core_call.h"
#include "partition.h"
#include "test.h"

static inline struct core_ctx root_ctx(const struct host_arena *arena)
{
	return (struct core_ctx){.cspace = arena->root.cspace};
}

/* Create an object of @type from the root partition into the root cspace; checks it worked. */
static inline cap_id_t make_obj(const struct host_arena *arena, enum obj_type type)
{
	struct core_ctx ctx = root_ctx(arena);
	struct core_result r =
	    core_partition_create(&ctx, type, arena->root.partition_cap, arena->root.cspace_cap);

	CHECK_EQ(OK, r.error);
	return r.value;
}

/* A configured, active cspace of @max_caps slots. */
static inline cap_id_t make_cspace(const struct host_arena *arena, uint64_t max_caps)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t c = make_obj(arena, OBJ_CSPACE);

	CHECK_EQ(OK, core_cspace_configure(&ctx, c, max_caps));
	CHECK_EQ(OK, core_object_activate(&ctx, c));
	return c;
}

static inline struct object *obj_of(const struct host_arena *arena, cap_id_t cap)
{
	return cap_lookup(arena->root.cspace, cap, OBJ_ANY, 0, CAP_WANT_ANY).obj;
}

static inline size_t root_used(const struct host_arena *arena)
{
	return arena->root.partition->heap.used;
}

#endif

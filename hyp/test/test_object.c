/* test_object: object lifecycle through the core calls: create, configure, activate, destroy,
 * NOMEM. */
#include "doorbell.h"
#include "msgqueue.h"
#include "test_util.h"
#include "thread.h"

TEST(create_gives_init_object_and_master_cap_with_all_rights)
{
	static const struct {
		enum obj_type type;
		rights_t all;
	} types[] = {
	    {OBJ_PARTITION, 0x80000003U}, {OBJ_CSPACE, 0x8000001fU},   {OBJ_THREAD, 0x800003ffU},
	    {OBJ_DOORBELL, 0x80000007U},  {OBJ_MSGQUEUE, 0x8000000fU}, {OBJ_ADDRSPACE, 0x8000000fU},
	    {OBJ_MEMEXTENT, 0x8000001fU},
	};

	for (unsigned i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		cap_id_t c = make_obj(arena, types[i].type);
		struct object *o = obj_of(arena, c);

		CHECK(o != NULL);
		CHECK_EQ(types[i].type, o->type);
		CHECK_EQ(OBJ_STATE_INIT, o->state);
		CHECK_EQ(1, o->refcount);
		CHECK(o->partition == arena->root.partition);
		/* Every right is there, and nothing more. */
		CHECK_EQ(OK, cap_lookup(arena->root.cspace, c, types[i].type, types[i].all,
		                        CAP_WANT_INIT)
		                 .error);
		CHECK_EQ(types[i].all, object_ops(types[i].type)->all_rights);
	}
}

TEST(create_of_unbuilt_type_is_unimplemented_and_changes_nothing)
{
	struct core_ctx ctx = root_ctx(arena);
	size_t used = root_used(arena);
	uint32_t count = arena->root.cspace->count;
	struct core_result r = core_partition_create(&ctx, OBJ_VPM_GROUP, arena->root.partition_cap,
	                                             arena->root.cspace_cap);

	CHECK_EQ(ERROR_UNIMPLEMENTED, r.error);
	CHECK_EQ(0, r.value);
	CHECK_EQ(used, root_used(arena));
	CHECK_EQ(count, arena->root.cspace->count);
}

TEST(create_checks_partition_and_cspace_caps)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t pc = arena->root.partition_cap, cc = arena->root.cspace_cap;
	cap_id_t db = make_obj(arena, OBJ_DOORBELL);
	struct core_result r;

	r = core_partition_create(&ctx, OBJ_DOORBELL, cc, cc);
	CHECK_EQ(ERROR_CSPACE_WRONG_OBJECT_TYPE, r.error);
	r = core_partition_create(&ctx, OBJ_DOORBELL, pc, pc);
	CHECK_EQ(ERROR_CSPACE_WRONG_OBJECT_TYPE, r.error);
	r = core_partition_create(&ctx, OBJ_DOORBELL, CAP_ID_INVALID, cc);
	CHECK_EQ(ERROR_ARGUMENT_INVALID, r.error);
	r = core_partition_create(&ctx, OBJ_DOORBELL, pc, db);
	CHECK_EQ(ERROR_CSPACE_WRONG_OBJECT_TYPE, r.error);

	/* Copies without OBJECT_CREATE / CAP_CREATE. */
	struct core_result p_nocreate = core_cspace_copy_cap_from(&ctx, cc, pc, cc, ~0x1U);
	struct core_result c_nocreate = core_cspace_copy_cap_from(&ctx, cc, cc, cc, ~0x1U);
	CHECK_EQ(OK, p_nocreate.error);
	CHECK_EQ(OK, c_nocreate.error);
	r = core_partition_create(&ctx, OBJ_DOORBELL, p_nocreate.value, cc);
	CHECK_EQ(ERROR_CSPACE_INSUFFICIENT_RIGHTS, r.error);
	r = core_partition_create(&ctx, OBJ_DOORBELL, pc, c_nocreate.value);
	CHECK_EQ(ERROR_CSPACE_INSUFFICIENT_RIGHTS, r.error);
}

TEST(create_into_inactive_cspace_or_from_inactive_partition_is_object_state)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t cs = make_obj(arena, OBJ_CSPACE);
	cap_id_t part = make_obj(arena, OBJ_PARTITION);
	struct core_result r;

	r = core_partition_create(&ctx, OBJ_DOORBELL, arena->root.partition_cap, cs);
	CHECK_EQ(ERROR_OBJECT_STATE, r.error);
	r = core_partition_create(&ctx, OBJ_DOORBELL, part, arena->root.cspace_cap);
	CHECK_EQ(ERROR_OBJECT_STATE, r.error);
}

TEST(activate_twice_is_object_state)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t db = make_obj(arena, OBJ_DOORBELL);
	struct object *o = obj_of(arena, db);

	CHECK_EQ(OK, core_object_activate(&ctx, db));
	CHECK_EQ(OBJ_STATE_ACTIVE, o->state);
	CHECK_EQ(~0ULL, ((struct doorbell *)o)->enable_mask);
	CHECK_EQ(ERROR_OBJECT_STATE, core_object_activate(&ctx, db));
	CHECK_EQ(OBJ_STATE_ACTIVE, o->state);
}

TEST(activate_needs_activate_right)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t cc = arena->root.cspace_cap;
	cap_id_t db = make_obj(arena, OBJ_DOORBELL);
	struct core_result weak = core_cspace_copy_cap_from(&ctx, cc, db, cc, 0x7fffffffU);

	CHECK_EQ(OK, weak.error);
	CHECK_EQ(ERROR_CSPACE_INSUFFICIENT_RIGHTS, core_object_activate(&ctx, weak.value));
	CHECK_EQ(OBJ_STATE_INIT, obj_of(arena, db)->state);
	CHECK_EQ(OK, core_object_activate(&ctx, db));
}

TEST(unconfigured_cspace_and_msgqueue_are_object_config)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t cs = make_obj(arena, OBJ_CSPACE);
	cap_id_t mq = make_obj(arena, OBJ_MSGQUEUE);

	CHECK_EQ(ERROR_OBJECT_CONFIG, core_object_activate(&ctx, cs));
	CHECK_EQ(ERROR_OBJECT_CONFIG, core_object_activate(&ctx, mq));
	/* The failure leaves the object in INIT, so it can be configured and activated. */
	CHECK_EQ(OBJ_STATE_INIT, obj_of(arena, cs)->state);
	CHECK_EQ(OK, core_cspace_configure(&ctx, cs, 0));
	CHECK_EQ(ERROR_OBJECT_CONFIG, core_object_activate(&ctx, cs));
	CHECK_EQ(OK, core_cspace_configure(&ctx, cs, 4));
	CHECK_EQ(OK, core_object_activate(&ctx, cs));
	CHECK_EQ(OK, core_msgqueue_configure(&ctx, mq, (240U << 16) | 8U));
	CHECK_EQ(OK, core_object_activate(&ctx, mq));
	CHECK_EQ(7, ((struct msgqueue *)obj_of(arena, mq))->notfull_threshold);
}

TEST(configure_after_activation_is_object_state)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t cs = make_cspace(arena, 4);
	cap_id_t mq = make_obj(arena, OBJ_MSGQUEUE);

	CHECK_EQ(ERROR_OBJECT_STATE, core_cspace_configure(&ctx, cs, 8));
	CHECK_EQ(4, ((struct cspace *)obj_of(arena, cs))->max_caps);
	CHECK_EQ(OK, core_msgqueue_configure(&ctx, mq, (16U << 16) | 2U));
	CHECK_EQ(OK, core_object_activate(&ctx, mq));
	CHECK_EQ(ERROR_OBJECT_STATE, core_msgqueue_configure(&ctx, mq, (16U << 16) | 3U));
	CHECK_EQ(2, ((struct msgqueue *)obj_of(arena, mq))->depth);
}

TEST(configure_checks_type_rights_and_bounds)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t cc = arena->root.cspace_cap;
	cap_id_t cs = make_obj(arena, OBJ_CSPACE);
	cap_id_t mq = make_obj(arena, OBJ_MSGQUEUE);
	struct core_result weak =
	    core_cspace_copy_cap_from(&ctx, cc, cs, cc, ~RIGHT_OBJECT_ACTIVATE);

	CHECK_EQ(ERROR_CSPACE_WRONG_OBJECT_TYPE, core_cspace_configure(&ctx, mq, 4));
	CHECK_EQ(ERROR_CSPACE_WRONG_OBJECT_TYPE, core_msgqueue_configure(&ctx, cs, 0x10001));
	CHECK_EQ(ERROR_CSPACE_INSUFFICIENT_RIGHTS, core_cspace_configure(&ctx, weak.value, 4));
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_cspace_configure(&ctx, cs, CSPACE_MAX_CAPS + 1));
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_cspace_configure(&ctx, cs, 1ULL << 32));
	CHECK_EQ(OK, core_cspace_configure(&ctx, cs, CSPACE_MAX_CAPS));
	/* msgqueue: depth 1..255, size 1..1023, nothing above bit 31. */
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_msgqueue_configure(&ctx, mq, (8U << 16) | 0U));
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_msgqueue_configure(&ctx, mq, (0U << 16) | 8U));
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_msgqueue_configure(&ctx, mq, (8U << 16) | 256U));
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_msgqueue_configure(&ctx, mq, (1024U << 16) | 8U));
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_msgqueue_configure(&ctx, mq, (1ULL << 32) | 0x10001));
	CHECK_EQ(0, ((struct msgqueue *)obj_of(arena, mq))->depth);
	CHECK_EQ(OK, core_msgqueue_configure(&ctx, mq, (1023U << 16) | 255U));
	CHECK_EQ(OK, core_object_activate(&ctx, mq));
}

TEST(last_cap_deleted_frees_the_object_memory)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t cc = arena->root.cspace_cap;
	size_t before = root_used(arena);
	uint32_t partition_refs = arena->root.partition->hdr.refcount;
	cap_id_t mq = make_obj(arena, OBJ_MSGQUEUE);
	struct core_result copy;

	CHECK_EQ(OK, core_msgqueue_configure(&ctx, mq, (64U << 16) | 4U));
	CHECK_EQ(OK, core_object_activate(&ctx, mq));
	CHECK(root_used(arena) > before);
	CHECK_EQ(partition_refs + 1, arena->root.partition->hdr.refcount);
	copy = core_cspace_copy_cap_from(&ctx, cc, mq, cc, RIGHT_MSGQUEUE_SEND);
	CHECK_EQ(OK, copy.error);
	CHECK_EQ(2, obj_of(arena, mq)->refcount);
	CHECK_EQ(OK, core_cspace_delete_cap_from(&ctx, cc, mq));
	CHECK_EQ(1, obj_of(arena, copy.value)->refcount);
	CHECK(root_used(arena) > before);
	CHECK_EQ(OK, core_cspace_delete_cap_from(&ctx, cc, copy.value));
	CHECK_EQ(before, root_used(arena));
	CHECK_EQ(partition_refs, arena->root.partition->hdr.refcount);
}

TEST(child_partition_exhausts_with_nomem_and_gives_memory_back)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t cc = arena->root.cspace_cap;
	size_t before = root_used(arena);
	cap_id_t child = make_obj(arena, OBJ_PARTITION);
	cap_id_t made[256];
	unsigned n = 0;
	struct core_result r;
	error_t err = OK;

	CHECK_EQ(OK, core_object_activate(&ctx, child));
	CHECK(root_used(arena) >= before + PARTITION_CHILD_HEAP_SIZE);
	/* Big message queues first (few caps), then doorbells into whatever is left. */
	while (err == OK && n < 256) {
		r = core_partition_create(&ctx, OBJ_MSGQUEUE, child, cc);
		err = r.error;
		if (err == OK) {
			made[n++] = r.value;
			CHECK_EQ(OK, core_msgqueue_configure(&ctx, r.value, (1023U << 16) | 4U));
			err = core_object_activate(&ctx, r.value);
		}
	}
	/* Activation that needs memory fails with NOMEM and leaves the object INIT. */
	CHECK_EQ(ERROR_NOMEM, err);
	CHECK(n > 5 && n < 20);
	CHECK_EQ(OBJ_STATE_INIT, obj_of(arena, made[n - 1])->state);
	do {
		r = core_partition_create(&ctx, OBJ_DOORBELL, child, cc);
		if (r.error == OK) {
			made[n++] = r.value;
		}
	} while (r.error == OK && n < 256);
	CHECK_EQ(ERROR_NOMEM, r.error);
	CHECK_EQ(0, r.value);
	CHECK(n < 256);
	/* The root partition is untouched by the child running dry. */
	r = core_partition_create(&ctx, OBJ_DOORBELL, arena->root.partition_cap, cc);
	CHECK_EQ(OK, r.error);
	CHECK_EQ(OK, core_cspace_delete_cap_from(&ctx, cc, r.value));
	/* Deleting the last doorbell makes room for exactly one more. */
	CHECK_EQ(OK, core_cspace_delete_cap_from(&ctx, cc, made[n - 1]));
	r = core_partition_create(&ctx, OBJ_DOORBELL, child, cc);
	CHECK_EQ(OK, r.error);
	made[n - 1] = r.value;
	CHECK_EQ(ERROR_NOMEM, core_partition_create(&ctx, OBJ_DOORBELL, child, cc).error);
	for (unsigned i = 0; i < n; i++) {
		CHECK_EQ(OK, core_cspace_delete_cap_from(&ctx, cc, made[i]));
	}
	/* The child's heap is empty; dropping its cap returns the whole block to the root. */
	CHECK_EQ(OK, core_cspace_delete_cap_from(&ctx, cc, child));
	CHECK_EQ(before, root_used(arena));
}

TEST(child_partition_activation_needs_parent_memory)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t child = make_obj(arena, OBJ_PARTITION);
	cap_id_t grandchild;
	struct core_result r;

	CHECK_EQ(OK, core_object_activate(&ctx, child));
	r = core_partition_create(&ctx, OBJ_PARTITION, child, arena->root.cspace_cap);
	CHECK_EQ(OK, r.error);
	grandchild = r.value;
	/* A child's heap is exactly one child heap: it cannot give a whole one away. */
	CHECK_EQ(ERROR_NOMEM, core_object_activate(&ctx, grandchild));
	CHECK_EQ(OBJ_STATE_INIT, obj_of(arena, grandchild)->state);
}

TEST(object_reset_is_unimplemented)
{
	struct core_ctx ctx = root_ctx(arena);

	CHECK_EQ(ERROR_UNIMPLEMENTED, core_object_reset(&ctx, 0, arena->root.cspace_cap));
	CHECK_EQ(ERROR_UNIMPLEMENTED, core_object_reset(&ctx, arena->root.cspace_cap, 12345));
}

TEST(activate_from_looks_up_in_the_named_cspace)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t cc = arena->root.cspace_cap;
	cap_id_t other = make_cspace(arena, 4);
	cap_id_t db = make_obj(arena, OBJ_DOORBELL);
	struct core_result moved = core_cspace_copy_cap_from(&ctx, cc, db, other, ~0U);
	struct core_result no_create = core_cspace_copy_cap_from(&ctx, cc, other, cc, ~0x1U);

	CHECK_EQ(OK, moved.error);
	/* The copy's ID means something only in the other cspace. */
	CHECK_EQ(ERROR_CSPACE_INSUFFICIENT_RIGHTS,
	         core_object_activate_from(&ctx, no_create.value, moved.value));
	CHECK_EQ(ERROR_CSPACE_WRONG_OBJECT_TYPE, core_object_activate_from(&ctx, db, moved.value));
	CHECK_EQ(OK, core_object_activate_from(&ctx, other, moved.value));
	CHECK_EQ(OBJ_STATE_ACTIVE, obj_of(arena, db)->state);
	CHECK_EQ(ERROR_OBJECT_STATE, core_object_activate_from(&ctx, other, moved.value));
}

TEST(attach_thread_takes_a_cspace_reference_while_init)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t cc = arena->root.cspace_cap;
	cap_id_t th = make_obj(arena, OBJ_THREAD);
	cap_id_t cs = make_cspace(arena, 2);
	cap_id_t db = make_obj(arena, OBJ_DOORBELL);
	struct thread *t = (struct thread *)obj_of(arena, th);
	struct cspace *c = (struct cspace *)obj_of(arena, cs);
	struct core_result no_attach =
	    core_cspace_copy_cap_from(&ctx, cc, cs, cc, ~RIGHT_CSPACE_ATTACH);

	CHECK_EQ(ERROR_CSPACE_WRONG_OBJECT_TYPE, core_cspace_attach_thread(&ctx, cs, db));
	CHECK_EQ(ERROR_CSPACE_WRONG_OBJECT_TYPE, core_cspace_attach_thread(&ctx, db, th));
	CHECK_EQ(ERROR_CSPACE_INSUFFICIENT_RIGHTS,
	         core_cspace_attach_thread(&ctx, no_attach.value, th));
	CHECK(t->cspace == NULL);
	CHECK_EQ(OK, core_cspace_attach_thread(&ctx, cs, th));
	CHECK(t->cspace == c);
	CHECK_EQ(3, c->hdr.refcount);
	/* Re-attaching swaps the reference rather than leaking it. */
	CHECK_EQ(OK, core_cspace_attach_thread(&ctx, cc, th));
	CHECK_EQ(2, c->hdr.refcount);
	CHECK_EQ(OK, core_cspace_attach_thread(&ctx, cs, th));
	/* Without an address space a thread does not activate (OBJECT_CONFIG) and stays INIT, still
	 * attachable; deleting it drops its cspace reference. */
	CHECK_EQ(ERROR_OBJECT_CONFIG, core_object_activate(&ctx, th));
	CHECK_EQ(OBJ_STATE_INIT, t->hdr.state);
	CHECK_EQ(OK, core_cspace_attach_thread(&ctx, cs, th));
	CHECK_EQ(3, c->hdr.refcount);
	CHECK_EQ(OK, core_cspace_delete_cap_from(&ctx, cc, th));
	CHECK_EQ(2, c->hdr.refcount);
}

/* test_cspace: cap IDs are obfuscated per cspace, lookups give the documented errors,
 * copy/delete/revoke. */
#include "test_util.h"

TEST(cap_ids_are_not_slot_numbers_and_differ_per_cspace)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t cc = arena->root.cspace_cap;
	cap_id_t a = make_cspace(arena, 8), b = make_cspace(arena, 8);
	cap_id_t db = make_obj(arena, OBJ_DOORBELL);
	cap_id_t in_a[3], in_b[3];

	for (int i = 0; i < 3; i++) {
		in_a[i] = core_cspace_copy_cap_from(&ctx, cc, db, a, ~0U).value;
		in_b[i] = core_cspace_copy_cap_from(&ctx, cc, db, b, ~0U).value;
	}
#ifndef HYP_CAP_ID_PLAIN
	/* Slot 0 of two cspaces: different IDs; consecutive slots: not consecutive IDs. */
	CHECK(in_a[0] != in_b[0]);
	CHECK(in_a[1] - in_a[0] != 1 || in_a[2] - in_a[1] != 1);
	CHECK(in_a[0] > 0xffff);
#else
	CHECK_EQ(0, in_a[0]);
	CHECK_EQ(1, in_a[1]);
	CHECK_EQ(2, in_b[2]);
#endif
	for (int i = 0; i < 3; i++) {
		CHECK((in_a[i] >> 32) < 0xffffff00U);
	}
}

TEST(lookup_errors_in_order)
{
	struct core_ctx ctx = root_ctx(arena);
	struct cspace *root = arena->root.cspace;
	cap_id_t cc = arena->root.cspace_cap;
	cap_id_t db = make_obj(arena, OBJ_DOORBELL);
	struct core_result weak = core_cspace_copy_cap_from(&ctx, cc, db, cc, RIGHT_DOORBELL_SEND);
	cap_id_t freed;

	CHECK_EQ(ERROR_ARGUMENT_INVALID,
	         cap_lookup(root, CAP_ID_INVALID, OBJ_ANY, 0, CAP_WANT_ANY).error);
	CHECK_EQ(ERROR_ARGUMENT_INVALID,
	         cap_lookup(root, db ^ (1ULL << 40), OBJ_ANY, 0, CAP_WANT_ANY).error);
	/* Freed slot: the ID still decodes but names nothing. */
	freed = make_obj(arena, OBJ_DOORBELL);
	CHECK_EQ(OK, core_cspace_delete_cap_from(&ctx, cc, freed));
	CHECK_EQ(ERROR_CSPACE_CAP_NULL, cap_lookup(root, freed, OBJ_ANY, 0, CAP_WANT_ANY).error);
	CHECK_EQ(ERROR_CSPACE_WRONG_OBJECT_TYPE,
	         cap_lookup(root, db, OBJ_MSGQUEUE, 0, CAP_WANT_ANY).error);
	CHECK_EQ(
	    ERROR_CSPACE_INSUFFICIENT_RIGHTS,
	    cap_lookup(root, weak.value, OBJ_DOORBELL, RIGHT_DOORBELL_RECEIVE, CAP_WANT_ANY).error);
	CHECK_EQ(
	    ERROR_OBJECT_STATE,
	    cap_lookup(root, weak.value, OBJ_DOORBELL, RIGHT_DOORBELL_SEND, CAP_WANT_ACTIVE).error);
	CHECK_EQ(OK, core_object_activate(&ctx, db));
	CHECK_EQ(
	    OK,
	    cap_lookup(root, weak.value, OBJ_DOORBELL, RIGHT_DOORBELL_SEND, CAP_WANT_ACTIVE).error);
	CHECK_EQ(ERROR_OBJECT_STATE, cap_lookup(root, db, OBJ_DOORBELL, 0, CAP_WANT_INIT).error);
	/* Revoked comes before type and rights. */
	CHECK_EQ(OK, core_cspace_revoke_cap_from(&ctx, cc, weak.value));
	CHECK_EQ(ERROR_CSPACE_CAP_REVOKED,
	         cap_lookup(root, weak.value, OBJ_MSGQUEUE, ~0U, CAP_WANT_ANY).error);
}

TEST(every_id_near_a_valid_one_is_rejected_or_names_its_own_slot)
{
	struct cspace *root = arena->root.cspace;
	cap_id_t db = make_obj(arena, OBJ_DOORBELL);
	unsigned hits = 0;

	for (int64_t d = -4096; d <= 4096; d++) {
		struct cap_lookup_result r =
		    cap_lookup(root, db + (uint64_t)d, OBJ_DOORBELL, 0, CAP_WANT_ANY);

		if (r.error == OK) {
			hits++;
			CHECK_EQ(0, d);
		}
	}
	CHECK_EQ(1, hits);
}

TEST(copy_ands_the_rights_mask_and_refuses_empty_rights)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t cc = arena->root.cspace_cap;
	cap_id_t mq = make_obj(arena, OBJ_MSGQUEUE);
	struct core_result one, two, none;

	one = core_cspace_copy_cap_from(&ctx, cc, mq, cc,
	                                RIGHT_MSGQUEUE_SEND | RIGHT_MSGQUEUE_RECEIVE);
	CHECK_EQ(OK, one.error);
	two = core_cspace_copy_cap_from(&ctx, cc, one.value, cc,
	                                RIGHT_MSGQUEUE_RECEIVE | RIGHT_MSGQUEUE_BIND_SEND);
	CHECK_EQ(OK, two.error);
	CHECK_EQ(OK, cap_lookup(arena->root.cspace, two.value, OBJ_MSGQUEUE, RIGHT_MSGQUEUE_RECEIVE,
	                        CAP_WANT_ANY)
	                 .error);
	CHECK_EQ(ERROR_CSPACE_INSUFFICIENT_RIGHTS,
	         cap_lookup(arena->root.cspace, two.value, OBJ_MSGQUEUE, RIGHT_MSGQUEUE_BIND_SEND,
	                    CAP_WANT_ANY)
	             .error);
	CHECK_EQ(ERROR_CSPACE_INSUFFICIENT_RIGHTS,
	         cap_lookup(arena->root.cspace, two.value, OBJ_MSGQUEUE, RIGHT_MSGQUEUE_SEND,
	                    CAP_WANT_ANY)
	             .error);
	none = core_cspace_copy_cap_from(&ctx, cc, two.value, cc, RIGHT_MSGQUEUE_SEND);
	CHECK_EQ(ERROR_CSPACE_INSUFFICIENT_RIGHTS, none.error);
	CHECK_EQ(0, none.value);
	/* Only the low 32 bits of the mask register count. */
	none = core_cspace_copy_cap_from(&ctx, cc, mq, cc, 0xffffffff00000000ULL);
	CHECK_EQ(ERROR_CSPACE_INSUFFICIENT_RIGHTS, none.error);
}

TEST(copy_needs_copy_right_on_source_and_create_right_on_dest)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t cc = arena->root.cspace_cap;
	cap_id_t db = make_obj(arena, OBJ_DOORBELL);
	cap_id_t no_copy =
	    core_cspace_copy_cap_from(&ctx, cc, cc, cc, ~RIGHT_CSPACE_CAP_COPY).value;
	cap_id_t no_create =
	    core_cspace_copy_cap_from(&ctx, cc, cc, cc, ~RIGHT_CSPACE_CAP_CREATE).value;

	CHECK_EQ(ERROR_CSPACE_INSUFFICIENT_RIGHTS,
	         core_cspace_copy_cap_from(&ctx, no_copy, db, cc, ~0U).error);
	CHECK_EQ(ERROR_CSPACE_INSUFFICIENT_RIGHTS,
	         core_cspace_copy_cap_from(&ctx, cc, db, no_create, ~0U).error);
	CHECK_EQ(OK, core_cspace_copy_cap_from(&ctx, no_create, db, no_copy, ~0U).error);
	CHECK_EQ(ERROR_CSPACE_WRONG_OBJECT_TYPE,
	         core_cspace_copy_cap_from(&ctx, db, db, cc, ~0U).error);
}

TEST(full_cspace_refuses_copy_and_create_without_side_effects)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t cc = arena->root.cspace_cap;
	cap_id_t small = make_cspace(arena, 2);
	cap_id_t db = make_obj(arena, OBJ_DOORBELL);
	struct cspace *s = (struct cspace *)obj_of(arena, small);
	size_t used;
	uint32_t refs;

	CHECK_EQ(OK, core_cspace_copy_cap_from(&ctx, cc, db, small, ~0U).error);
	CHECK_EQ(OK,
	         core_cspace_copy_cap_from(&ctx, cc, arena->root.partition_cap, small, ~0U).error);
	CHECK_EQ(2, s->count);
	used = root_used(arena);
	refs = obj_of(arena, db)->refcount;
	CHECK_EQ(ERROR_CSPACE_FULL, core_cspace_copy_cap_from(&ctx, cc, db, small, ~0U).error);
	/* A full destination wins over a bad source, as upstream. */
	CHECK_EQ(ERROR_CSPACE_FULL,
	         core_cspace_copy_cap_from(&ctx, cc, CAP_ID_INVALID, small, ~0U).error);
	CHECK_EQ(ERROR_CSPACE_FULL,
	         core_partition_create(&ctx, OBJ_DOORBELL, arena->root.partition_cap, small).error);
	CHECK_EQ(used, root_used(arena));
	CHECK_EQ(refs, obj_of(arena, db)->refcount);
	CHECK_EQ(2, s->count);
}

TEST(delete_frees_the_slot_and_refuses_empty_ones)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t cc = arena->root.cspace_cap;
	cap_id_t small = make_cspace(arena, 1);
	cap_id_t db = make_obj(arena, OBJ_DOORBELL);
	cap_id_t no_delete =
	    core_cspace_copy_cap_from(&ctx, cc, small, cc, ~RIGHT_CSPACE_CAP_DELETE).value;
	struct core_result in_small = core_cspace_copy_cap_from(&ctx, cc, db, small, ~0U);

	CHECK_EQ(OK, in_small.error);
	CHECK_EQ(ERROR_CSPACE_INSUFFICIENT_RIGHTS,
	         core_cspace_delete_cap_from(&ctx, no_delete, in_small.value));
	CHECK_EQ(OK, core_cspace_delete_cap_from(&ctx, small, in_small.value));
	CHECK_EQ(ERROR_CSPACE_CAP_NULL, core_cspace_delete_cap_from(&ctx, small, in_small.value));
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_cspace_delete_cap_from(&ctx, small, CAP_ID_INVALID));
	/* The slot is usable again. */
	CHECK_EQ(OK, core_cspace_copy_cap_from(&ctx, cc, db, small, ~0U).error);
}

TEST(revoke_one_cap_keeps_its_slot_until_deleted)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t cc = arena->root.cspace_cap;
	cap_id_t db = make_obj(arena, OBJ_DOORBELL);
	cap_id_t copy = core_cspace_copy_cap_from(&ctx, cc, db, cc, ~0U).value;
	cap_id_t no_revoke =
	    core_cspace_copy_cap_from(&ctx, cc, cc, cc, ~RIGHT_CSPACE_CAP_REVOKE).value;
	uint32_t count = arena->root.cspace->count;

	CHECK_EQ(ERROR_CSPACE_INSUFFICIENT_RIGHTS,
	         core_cspace_revoke_cap_from(&ctx, no_revoke, copy));
	CHECK_EQ(ERROR_CSPACE_INSUFFICIENT_RIGHTS, core_cspace_revoke_cap_from(&ctx, cc, db));
	CHECK_EQ(2, obj_of(arena, db)->refcount);
	CHECK_EQ(OK, core_cspace_revoke_cap_from(&ctx, cc, copy));
	CHECK_EQ(1, obj_of(arena, db)->refcount);
	CHECK_EQ(count, arena->root.cspace->count);
	CHECK_EQ(ERROR_CSPACE_CAP_REVOKED, core_cspace_revoke_cap_from(&ctx, cc, copy));
	CHECK_EQ(ERROR_CSPACE_CAP_REVOKED, core_object_activate(&ctx, copy));
	CHECK_EQ(ERROR_CSPACE_CAP_REVOKED,
	         core_cspace_copy_cap_from(&ctx, cc, copy, cc, ~0U).error);
	CHECK_EQ(OK, core_cspace_delete_cap_from(&ctx, cc, copy));
	CHECK_EQ(count - 1, arena->root.cspace->count);
}

TEST(revoke_caps_revokes_every_copy_in_every_cspace_but_the_master)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t cc = arena->root.cspace_cap;
	cap_id_t other = make_cspace(arena, 4);
	cap_id_t db = make_obj(arena, OBJ_DOORBELL);
	cap_id_t c1 = core_cspace_copy_cap_from(&ctx, cc, db, cc, ~0U).value;
	cap_id_t c2 = core_cspace_copy_cap_from(&ctx, cc, c1, other, RIGHT_DOORBELL_SEND).value;
	cap_id_t unrelated = make_obj(arena, OBJ_DOORBELL);

	CHECK_EQ(3, obj_of(arena, db)->refcount);
	CHECK_EQ(ERROR_CSPACE_INSUFFICIENT_RIGHTS, core_cspace_revoke_caps_from(&ctx, cc, c1));
	CHECK_EQ(OK, core_cspace_revoke_caps_from(&ctx, cc, db));
	CHECK_EQ(1, obj_of(arena, db)->refcount);
	CHECK_EQ(ERROR_CSPACE_CAP_REVOKED,
	         cap_lookup(arena->root.cspace, c1, OBJ_ANY, 0, CAP_WANT_ANY).error);
	CHECK_EQ(
	    ERROR_CSPACE_CAP_REVOKED,
	    cap_lookup((struct cspace *)obj_of(arena, other), c2, OBJ_ANY, 0, CAP_WANT_ANY).error);
	CHECK_EQ(OK,
	         cap_lookup(arena->root.cspace, db, OBJ_DOORBELL, ~0U & 0x80000007U, CAP_WANT_ANY)
	             .error);
	CHECK_EQ(OK,
	         cap_lookup(arena->root.cspace, unrelated, OBJ_DOORBELL, 0, CAP_WANT_ANY).error);
	/* Again with nothing left to revoke: still OK. */
	CHECK_EQ(OK, core_cspace_revoke_caps_from(&ctx, cc, db));
	CHECK_EQ(ERROR_CSPACE_CAP_REVOKED, core_cspace_revoke_caps_from(&ctx, cc, c1));
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_cspace_revoke_caps_from(&ctx, cc, CAP_ID_INVALID));
}

TEST(destroying_a_cspace_drops_the_caps_it_held)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t cc = arena->root.cspace_cap;
	size_t before = root_used(arena);
	cap_id_t other = make_cspace(arena, 4);
	cap_id_t db = make_obj(arena, OBJ_DOORBELL);

	CHECK_EQ(OK, core_cspace_copy_cap_from(&ctx, cc, db, other, ~0U).error);
	/* The doorbell's only cap is now inside the other cspace. */
	CHECK_EQ(OK, core_cspace_delete_cap_from(&ctx, cc, db));
	CHECK(root_used(arena) > before);
	CHECK_EQ(OK, core_cspace_delete_cap_from(&ctx, cc, other));
	CHECK_EQ(before, root_used(arena));
}

TEST(a_cspace_deleting_its_own_last_cap_is_destroyed_cleanly)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t cc = arena->root.cspace_cap;
	size_t before = root_used(arena);
	cap_id_t other = make_cspace(arena, 2);
	struct core_result self = core_cspace_copy_cap_from(&ctx, cc, other, other, ~0U);
	struct cspace *o = (struct cspace *)obj_of(arena, other);

	CHECK_EQ(OK, self.error);
	CHECK_EQ(OK, core_cspace_delete_cap_from(&ctx, cc, other));
	/* Only its cap to itself keeps it; deleting that through the cspace itself destroys it. */
	CHECK_EQ(1, o->hdr.refcount);
	{
		struct core_ctx inner = {.cspace = o};

		CHECK_EQ(OK, core_cspace_delete_cap_from(&inner, self.value, self.value));
	}
	CHECK_EQ(before, root_used(arena));
}

/* The key of the cspace @cap names (its ID base; the multiplier goes with it). */
static uint64_t cspace_key(const struct host_arena *arena, cap_id_t cap)
{
	return ((const struct cspace *)obj_of(arena, cap))->id_base;
}

/* A root's cap IDs follow from its seed alone, whatever another root did before: what lets a fuzzer
 * replay an input exactly, and two cores run side by side. */
TEST(cap_ids_follow_the_root_seed_and_nothing_else)
{
	struct host_arena same, other;
	cap_id_t first = make_cspace(arena, 8);

	/* Draws in this arena first: a shared generator would give the next arena other keys. */
	(void)make_cspace(arena, 8);
	(void)make_cspace(arena, 8);
	host_arena_init(&same, TEST_ARENA_SIZE, TEST_SEED);
	host_arena_init(&other, TEST_ARENA_SIZE, TEST_SEED + 1U);
	cap_id_t same_first = make_cspace(&same, 8);
	cap_id_t other_first = make_cspace(&other, 8);

	CHECK_EQ(arena->root.partition_cap, same.root.partition_cap);
	CHECK_EQ(arena->root.cspace_cap, same.root.cspace_cap);
	CHECK_EQ(first, same_first);
	CHECK_EQ(cspace_key(arena, first), cspace_key(&same, same_first));
#ifndef HYP_CAP_ID_PLAIN
	CHECK(arena->root.cspace_cap != other.root.cspace_cap);
	CHECK(cspace_key(arena, first) != cspace_key(&other, other_first));
#else
	CHECK_EQ(arena->root.cspace_cap, other.root.cspace_cap);
	CHECK_EQ(0, cspace_key(&other, other_first));
#endif
	host_arena_fini(&same);
	host_arena_fini(&other);
}

/* A cspace made from a child partition draws from the child's generator, seeded from its parent's
 * on activation: two children give different keys, and neither repeats the parent's next one. */
TEST(child_partitions_draw_their_own_cap_id_keys)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t cc = arena->root.cspace_cap;
	cap_id_t child[2], cs[3];

	for (int i = 0; i < 2; i++) {
		child[i] = make_obj(arena, OBJ_PARTITION);
		CHECK_EQ(OK, core_object_activate(&ctx, child[i]));
	}
	for (int i = 0; i < 3; i++) {
		struct core_result r = core_partition_create(
		    &ctx, OBJ_CSPACE, i < 2 ? child[i] : arena->root.partition_cap, cc);

		CHECK_EQ(OK, r.error);
		cs[i] = r.value;
		CHECK_EQ(OK, core_cspace_configure(&ctx, cs[i], 4));
		CHECK_EQ(OK, core_object_activate(&ctx, cs[i]));
	}
#ifndef HYP_CAP_ID_PLAIN
	CHECK(cspace_key(arena, cs[0]) != cspace_key(arena, cs[1]));
	CHECK(cspace_key(arena, cs[0]) != cspace_key(arena, cs[2]));
	CHECK(cspace_key(arena, cs[1]) != cspace_key(arena, cs[2]));
#else
	CHECK_EQ(0, cspace_key(arena, cs[0]) | cspace_key(arena, cs[1]) | cspace_key(arena, cs[2]));
#endif
}

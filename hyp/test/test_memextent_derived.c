/* test_memextent_derived: what deriving a memory extent leaves behind. The reference it holds on
 * what it was made from (its partition, or the extent it was derived from): exactly one, moved when
 * it is configured again, dropped when it is deleted (a leaked one keeps a parent alive for ever).
 * And the pages a derived extent took still count as its ancestors' for a mapping.
 * (Both found by make mutation: deleting the object_put of a reconfigure, or the step to the parent
 * in the ancestor walk, passed every test.) */
#include "addrspace.h"
#include "mem_calls.h"
#include "memdb.h"
#include "root_memory.h"
#include "test_util.h"

#include "host_stage2.h"

#define R_MEM_BASE 0xA0000000ULL
#define R_MEM_SIZE 0x00100000ULL
#define R_RWX_ANY  0x7ULL

static cap_id_t refs_extent(struct host_arena *arena, uint64_t base, uint64_t size)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t me = make_obj(arena, OBJ_MEMEXTENT);

	CHECK_EQ(OK, core_memextent_configure(&ctx, me, base, size, R_RWX_ANY));
	CHECK_EQ(OK, core_object_activate(&ctx, me));
	return me;
}

TEST(memextent_configured_again_holds_one_reference_on_its_partition)
{
	struct core_ctx ctx = root_ctx(arena);
	struct object *part = &arena->root.partition->hdr;
	uint32_t refs;
	cap_id_t me;

	host_stage2_reset();
	CHECK_EQ(OK, root_memory_init(arena->root.partition, mem_pa(R_MEM_BASE), R_MEM_SIZE, 1U));
	me = make_obj(arena, OBJ_MEMEXTENT);
	refs = part->refcount;
	CHECK_EQ(OK, core_memextent_configure(&ctx, me, R_MEM_BASE, 0x1000, R_RWX_ANY));
	CHECK_EQ(refs + 1, part->refcount);
	CHECK_EQ(OK, core_memextent_configure(&ctx, me, R_MEM_BASE + 0x1000, 0x2000, R_RWX_ANY));
	CHECK_EQ(refs + 1, part->refcount);
	/* Deleted: its reference and the one every object holds on its partition go. */
	CHECK_EQ(OK, core_cspace_delete_cap_from(&ctx, arena->root.cspace_cap, me));
	CHECK_EQ(refs - 1, part->refcount);
}

TEST(memextent_derived_then_configured_moves_its_reference_to_the_partition)
{
	struct core_ctx ctx = root_ctx(arena);
	struct object *part = &arena->root.partition->hdr;
	uint32_t part_refs, parent_refs;
	cap_id_t parent, child;

	host_stage2_reset();
	CHECK_EQ(OK, root_memory_init(arena->root.partition, mem_pa(R_MEM_BASE), R_MEM_SIZE, 1U));
	parent = refs_extent(arena, R_MEM_BASE, 0x8000);
	child = make_obj(arena, OBJ_MEMEXTENT);
	part_refs = part->refcount;
	parent_refs = obj_of(arena, parent)->refcount;
	CHECK_EQ(OK,
	         core_memextent_configure_derive(&ctx, child, parent, 0x2000, 0x2000, R_RWX_ANY));
	CHECK_EQ(parent_refs + 1, obj_of(arena, parent)->refcount);
	CHECK_EQ(part_refs, part->refcount);
	/* Derived again from the same parent: still one reference. */
	CHECK_EQ(OK,
	         core_memextent_configure_derive(&ctx, child, parent, 0x4000, 0x1000, R_RWX_ANY));
	CHECK_EQ(parent_refs + 1, obj_of(arena, parent)->refcount);
	/* Configured from the partition instead: the parent extent is let go. */
	CHECK_EQ(OK,
	         core_memextent_configure(&ctx, child, R_MEM_BASE + 0x10000, 0x1000, R_RWX_ANY));
	CHECK_EQ(parent_refs, obj_of(arena, parent)->refcount);
	CHECK_EQ(part_refs + 1, part->refcount);
	CHECK_EQ(OK, core_cspace_delete_cap_from(&ctx, arena->root.cspace_cap, child));
	CHECK_EQ(part_refs - 1, part->refcount);
	CHECK_EQ(parent_refs, obj_of(arena, parent)->refcount);
}

/* The parent maps over the pages its child, and that child's child, took from it. */
TEST(memextent_parent_maps_over_its_descendants_pages)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t as, parent, child, grandchild;

	host_stage2_reset();
	CHECK_EQ(OK, root_memory_init(arena->root.partition, mem_pa(R_MEM_BASE), R_MEM_SIZE, 1U));
	as = make_obj(arena, OBJ_ADDRSPACE);
	CHECK_EQ(OK, core_addrspace_configure(&ctx, as, 7U));
	CHECK_EQ(OK, core_object_activate(&ctx, as));
	parent = refs_extent(arena, R_MEM_BASE, 0x4000);
	child = make_obj(arena, OBJ_MEMEXTENT);
	CHECK_EQ(OK, core_memextent_configure_derive(&ctx, child, parent, 0x1000, 0x2000, 0x6ULL));
	CHECK_EQ(OK, core_object_activate(&ctx, child));
	grandchild = make_obj(arena, OBJ_MEMEXTENT);
	CHECK_EQ(OK,
	         core_memextent_configure_derive(&ctx, grandchild, child, 0x1000, 0x1000, 0x6ULL));
	CHECK_EQ(OK, core_object_activate(&ctx, grandchild));
	CHECK_EQ(OK, core_addrspace_map(&ctx, as, parent, 0x100000, 0x0F0066ULL, 0, 0, 0));
	CHECK_EQ(4, host_stage2_count(NULL));
	CHECK_EQ(OK, core_addrspace_map(&ctx, as, child, 0x200000, 0x0F0066ULL, 0, 0, 0));
	CHECK_EQ(6, host_stage2_count(NULL));
}

/* test_memextent: memory extents and address spaces on the host: per-page ownership (memdb),
 * derive, donate, the map/unmap/update_access/lookup checks and what they leave in the Stage-2
 * stand-in. */
#include "../arch/aarch64/pte.h"
#include "addrspace.h"
#include "host_stage2.h"
#include "mem_calls.h"
#include "memdb.h"
#include "root_memory.h"
#include "test_util.h"

/* The range the tests' root partition owns: never touched on the host, only accounted for. */
#define T_MEM_BASE 0xA0000000ULL
#define T_MEM_SIZE 0x00100000ULL /* 256 pages */
#define T_PAGES    (T_MEM_SIZE >> 12)
#define T_VMID     7U

#define ATTR_RWX_ANY_BASIC  0x7ULL
#define ATTR_RW_ANY_SPARSE  (0x6ULL | (1ULL << 16))
#define ATTR_RWX_ANY_SPARSE (0x7ULL | (1ULL << 16))
/* user RW, kernel RW, Normal write-back */
#define MAP_RW_WB 0x0F0066ULL
#define MAP_R_WB  0x0F0044ULL

static void mem_setup(struct host_arena *arena)
{
	host_stage2_reset();
	CHECK_EQ(OK, root_memory_init(arena->root.partition, mem_pa(T_MEM_BASE), T_MEM_SIZE, 1U));
}

static struct memdb *mem_db(const struct host_arena *arena)
{
	return arena->root.partition->memdb;
}

/* Every page has exactly one owner and the owners' counts add up (the fuzzer's oracle, in small).
 */
static void check_no_page_owned_twice(const struct host_arena *arena, const cap_id_t *exts,
                                      unsigned n)
{
	uint64_t total = memdb_count(mem_db(arena), &arena->root.partition->hdr);

	for (unsigned i = 0; i < n; i++) {
		total += memdb_count(mem_db(arena), obj_of(arena, exts[i]));
	}
	CHECK_EQ(T_PAGES, total);
}

static cap_id_t make_extent(struct host_arena *arena, uint64_t base, uint64_t size, uint64_t attrs)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t me = make_obj(arena, OBJ_MEMEXTENT);

	CHECK_EQ(OK, core_memextent_configure(&ctx, me, base, size, attrs));
	CHECK_EQ(OK, core_object_activate(&ctx, me));
	return me;
}

static cap_id_t make_addrspace(struct host_arena *arena, uint64_t vmid)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t as = make_obj(arena, OBJ_ADDRSPACE);

	CHECK_EQ(OK, core_addrspace_configure(&ctx, as, vmid));
	CHECK_EQ(OK, core_object_activate(&ctx, as));
	return as;
}

static const uint64_t *as_root(const struct host_arena *arena, cap_id_t as)
{
	return ((const struct addrspace *)obj_of(arena, as))->tables[0];
}

TEST(memextent_configure_checks_then_activation_claims_pages)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t me;

	mem_setup(arena);
	me = make_obj(arena, OBJ_MEMEXTENT);
	CHECK_EQ(ERROR_ARGUMENT_ALIGNMENT,
	         core_memextent_configure(&ctx, me, T_MEM_BASE + 8, 0x1000, ATTR_RWX_ANY_BASIC));
	CHECK_EQ(ERROR_ARGUMENT_ALIGNMENT,
	         core_memextent_configure(&ctx, me, T_MEM_BASE, 0x1800, ATTR_RWX_ANY_BASIC));
	CHECK_EQ(ERROR_ARGUMENT_SIZE,
	         core_memextent_configure(&ctx, me, T_MEM_BASE, 0, ATTR_RWX_ANY_BASIC));
	CHECK_EQ(ERROR_ARGUMENT_SIZE, core_memextent_configure(&ctx, me, 0xFFFFFFFFFFFFF000ULL,
	                                                       0x2000, ATTR_RWX_ANY_BASIC));
	CHECK_EQ(ERROR_ARGUMENT_INVALID,
	         core_memextent_configure(&ctx, me, T_MEM_BASE, 0x1000, 0x8ULL)); /* reserved bit */
	CHECK_EQ(ERROR_ARGUMENT_INVALID,
	         core_memextent_configure(&ctx, me, T_MEM_BASE, 0x1000, 2ULL << 16)); /* type 2 */
	CHECK_EQ(ERROR_ARGUMENT_INVALID,
	         core_memextent_configure(&ctx, me, T_MEM_BASE, 0x1000, 3ULL)); /* access WX */
	/* Not configured: OBJECT_CONFIG. Outside the root's memory: MEMDB_NOT_OWNER, still INIT. */
	CHECK_EQ(ERROR_OBJECT_CONFIG, core_object_activate(&ctx, me));
	CHECK_EQ(OK, core_memextent_configure(&ctx, me, T_MEM_BASE - 0x1000, 0x2000,
	                                      ATTR_RWX_ANY_BASIC));
	CHECK_EQ(ERROR_MEMDB_NOT_OWNER, core_object_activate(&ctx, me));
	CHECK_EQ(T_PAGES, memdb_count(mem_db(arena), &arena->root.partition->hdr));
	CHECK_EQ(OK, core_memextent_configure(&ctx, me, T_MEM_BASE, 0x4000, ATTR_RWX_ANY_BASIC));
	CHECK_EQ(OK, core_object_activate(&ctx, me));
	CHECK_EQ(4, memdb_count(mem_db(arena), obj_of(arena, me)));
	check_no_page_owned_twice(arena, &me, 1);
}

TEST(memextent_no_page_owned_twice_and_delete_gives_pages_back)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t a, b;

	mem_setup(arena);
	a = make_extent(arena, T_MEM_BASE, 0x4000, ATTR_RWX_ANY_BASIC);
	b = make_obj(arena, OBJ_MEMEXTENT);
	/* Overlaps a by one page. */
	CHECK_EQ(
	    OK, core_memextent_configure(&ctx, b, T_MEM_BASE + 0x3000, 0x2000, ATTR_RWX_ANY_BASIC));
	CHECK_EQ(ERROR_MEMDB_NOT_OWNER, core_object_activate(&ctx, b));
	CHECK_EQ(
	    OK, core_memextent_configure(&ctx, b, T_MEM_BASE + 0x4000, 0x2000, ATTR_RWX_ANY_BASIC));
	CHECK_EQ(OK, core_object_activate(&ctx, b));
	cap_id_t both[] = {a, b};
	check_no_page_owned_twice(arena, both, 2);
	CHECK_EQ(OK, core_cspace_delete_cap_from(&ctx, arena->root.cspace_cap, a));
	CHECK_EQ(T_PAGES - 2, memdb_count(mem_db(arena), &arena->root.partition->hdr));
	CHECK_EQ(OK, core_cspace_delete_cap_from(&ctx, arena->root.cspace_cap, b));
	CHECK_EQ(T_PAGES, memdb_count(mem_db(arena), &arena->root.partition->hdr));
}

TEST(memextent_derive_stays_within_parent_and_returns_pages)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t parent, child;

	mem_setup(arena);
	parent = make_extent(arena, T_MEM_BASE, 0x8000, 0x6ULL | (3ULL << 8)); /* RW cached */
	child = make_obj(arena, OBJ_MEMEXTENT);
	CHECK_EQ(ERROR_ARGUMENT_SIZE,
	         core_memextent_configure_derive(&ctx, child, parent, 0x6000, 0x3000, 0x6ULL));
	CHECK_EQ(ERROR_ARGUMENT_SIZE,
	         core_memextent_configure_derive(&ctx, child, parent, 0, 0, 0x6ULL));
	CHECK_EQ(ERROR_ARGUMENT_ALIGNMENT,
	         core_memextent_configure_derive(&ctx, child, parent, 0x800, 0x1000, 0x6ULL));
	/* More rights than the parent (X), another memory type: refused. */
	CHECK_EQ(ERROR_ARGUMENT_INVALID,
	         core_memextent_configure_derive(&ctx, child, parent, 0x1000, 0x1000, 0x7ULL));
	CHECK_EQ(ERROR_ARGUMENT_INVALID,
	         core_memextent_configure_derive(&ctx, child, parent, 0x1000, 0x1000,
	                                         0x4ULL | (1U << 8)));
	CHECK_EQ(OK, core_memextent_configure_derive(&ctx, child, parent, 0x2000, 0x2000,
	                                             0x4ULL | (3ULL << 8)));
	CHECK_EQ(OK, core_object_activate(&ctx, child));
	CHECK_EQ(6, memdb_count(mem_db(arena), obj_of(arena, parent)));
	CHECK_EQ(2, memdb_count(mem_db(arena), obj_of(arena, child)));
	CHECK(memdb_owner(mem_db(arena), mem_pa(T_MEM_BASE + 0x2000)) == obj_of(arena, child));
	cap_id_t both[] = {parent, child};
	check_no_page_owned_twice(arena, both, 2);
	CHECK_EQ(OK, core_cspace_delete_cap_from(&ctx, arena->root.cspace_cap, child));
	CHECK_EQ(8, memdb_count(mem_db(arena), obj_of(arena, parent)));
}

TEST(memextent_donate_moves_ownership_child_parent_sibling)
{
	struct core_ctx ctx = root_ctx(arena);
	struct memdb *db;
	cap_id_t s1, s2, basic;
	const cap_id_t p = arena->root.partition_cap;

	mem_setup(arena);
	db = mem_db(arena);
	s1 = make_extent(arena, T_MEM_BASE, 0x8000, ATTR_RW_ANY_SPARSE);
	s2 = make_extent(arena, T_MEM_BASE, 0x8000, ATTR_RW_ANY_SPARSE);
	CHECK_EQ(0, memdb_count(db, obj_of(arena, s1))); /* sparse: starts empty */
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_memextent_donate(&ctx, 3, p, s1, 0, 0x1000));
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_memextent_donate(&ctx, 0x100, p, s1, 0, 0x1000));
	CHECK_EQ(ERROR_ARGUMENT_SIZE, core_memextent_donate(&ctx, 0, p, s1, 0x7000, 0x2000));
	CHECK_EQ(ERROR_ARGUMENT_SIZE, core_memextent_donate(&ctx, 0, p, s1, 0, 0));
	CHECK_EQ(ERROR_CSPACE_WRONG_OBJECT_TYPE,
	         core_memextent_donate(&ctx, 0, p, arena->root.cspace_cap, 0, 0x1000));
	/* A caller without a cspace names no caps. */
	struct core_ctx no_cspace = {.cspace = NULL};
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_memextent_donate(&no_cspace, 0, p, s1, 0, 0x1000));
	/* Between siblings both caps name memextents (make mutation found that check dropped
	 * passing: nothing passed another object there). */
	CHECK_EQ(ERROR_CSPACE_WRONG_OBJECT_TYPE, core_memextent_donate(&ctx, 2, s1, p, 0, 0x1000));
	CHECK_EQ(ERROR_CSPACE_WRONG_OBJECT_TYPE, core_memextent_donate(&ctx, 2, p, s1, 0, 0x1000));
	CHECK_EQ(OK, core_memextent_donate(&ctx, 0, p, s1, 0x1000, 0x3000));
	CHECK_EQ(3, memdb_count(db, obj_of(arena, s1)));
	/* Already given: the partition no longer owns them. */
	CHECK_EQ(ERROR_MEMDB_NOT_OWNER, core_memextent_donate(&ctx, 0, p, s2, 0x1000, 0x1000));
	CHECK_EQ(OK, core_memextent_donate(&ctx, 2, s1, s2, 0x2000, 0x1000));
	CHECK(memdb_owner(db, mem_pa(T_MEM_BASE + 0x2000)) == obj_of(arena, s2));
	CHECK_EQ(ERROR_MEMDB_NOT_OWNER, core_memextent_donate(&ctx, 2, s1, s2, 0x2000, 0x1000));
	CHECK_EQ(OK, core_memextent_donate(&ctx, 1, s2, p, 0x2000, 0x1000));
	CHECK_EQ(ERROR_MEMDB_NOT_OWNER, core_memextent_donate(&ctx, 1, s1, p, 0, 0x2000));
	CHECK_EQ(OK, core_memextent_donate(&ctx, 1, s1, p, 0x1000, 0x1000));
	CHECK_EQ(1, memdb_count(db, obj_of(arena, s1)));
	cap_id_t exts[] = {s1, s2};
	check_no_page_owned_twice(arena, exts, 2);
	/* Basic extents are not donated to or from. */
	basic = make_extent(arena, T_MEM_BASE + 0x10000, 0x2000, ATTR_RWX_ANY_BASIC);
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_memextent_donate(&ctx, 1, basic, p, 0, 0x1000));
}

/* Regression (fuzz, hypercall_seq): a sparse extent may span far past the memdb; a page donated
 * to it went nowhere when it was destroyed (the give-back skipped any range not wholly inside),
 * left owned by freed memory. */
TEST(memextent_sparse_past_the_memdb_gives_its_pages_back)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t s = make_obj(arena, OBJ_MEMEXTENT);

	mem_setup(arena);
	CHECK_EQ(OK, core_memextent_configure(&ctx, s, T_MEM_BASE, 0x2000000000004000ULL,
	                                      ATTR_RWX_ANY_SPARSE));
	CHECK_EQ(OK, core_object_activate(&ctx, s));
	CHECK_EQ(OK, core_memextent_donate(&ctx, 0, arena->root.partition_cap, s, 0x1000, 0x1000));
	CHECK_EQ(1, memdb_count(mem_db(arena), obj_of(arena, s)));
	CHECK_EQ(OK, core_cspace_delete_cap_from(&ctx, arena->root.cspace_cap, s));
	CHECK_EQ(T_PAGES, memdb_count(mem_db(arena), &arena->root.partition->hdr));
}

TEST(addrspace_map_checks_in_order)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t as, me, sparse, other;

	mem_setup(arena);
	as = make_addrspace(arena, T_VMID);
	me = make_extent(arena, T_MEM_BASE, 0x4000, 0x6ULL); /* RW, any type, basic */
	sparse = make_extent(arena, T_MEM_BASE + 0x10000, 0x4000, ATTR_RW_ANY_SPARSE);
	CHECK_EQ(ERROR_ARGUMENT_INVALID,
	         core_addrspace_map(&ctx, as, me, 0x1000, MAP_RW_WB, 2, 0, 0));
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_addrspace_map(&ctx, as, me, 0x1000, MAP_RW_WB, 1, 0,
	                                                    0x1000)); /* partial on basic */
	CHECK_EQ(ERROR_ARGUMENT_ALIGNMENT,
	         core_addrspace_map(&ctx, as, me, 0x1800, MAP_RW_WB, 0, 0, 0));
	CHECK_EQ(ERROR_ARGUMENT_ALIGNMENT,
	         core_addrspace_map(&ctx, as, sparse, 0x1000, MAP_RW_WB, 1, 0x800, 0x1000));
	CHECK_EQ(ERROR_ARGUMENT_ALIGNMENT,
	         core_addrspace_map(&ctx, as, sparse, 0x1000, MAP_RW_WB, 1, 0, 0x1001));
	CHECK_EQ(ERROR_ADDR_OVERFLOW,
	         core_addrspace_map(&ctx, as, me, 0xFFFFFFFFFFFFE000ULL, MAP_RW_WB, 0, 0, 0));
	CHECK_EQ(ERROR_ADDR_OVERFLOW,
	         core_addrspace_map(&ctx, as, me, 1ULL << 40, MAP_RW_WB, 0, 0, 0));
	CHECK_EQ(ERROR_ADDR_OVERFLOW, core_addrspace_map(&ctx, as, sparse, 0x1000, MAP_RW_WB, 1,
	                                                 0xFFFFFFFFFFFFF000ULL, 0x2000));
	CHECK_EQ(ERROR_ARGUMENT_INVALID,
	         core_addrspace_map(&ctx, as, me, 0x1000, MAP_RW_WB | 0x8, 0, 0, 0)); /* reserved */
	CHECK_EQ(ERROR_ARGUMENT_INVALID,
	         core_addrspace_map(&ctx, as, me, 0x1000, 0x040066, 0, 0, 0)); /* memtype 4 */
	CHECK_EQ(ERROR_ARGUMENT_INVALID,
	         core_addrspace_map(&ctx, as, me, 0x1000, 0x0F0063, 0, 0, 0)); /* user WX */
	CHECK_EQ(ERROR_ARGUMENT_INVALID,
	         core_addrspace_map(&ctx, as, me, 0x1000, 0x0F0036, 0, 0, 0)); /* kernel WX */
	CHECK_EQ(ERROR_DENIED, core_addrspace_map(&ctx, as, me, 0x1000, 0x0F0077, 0, 0, 0)); /* X */
	/* A sparse extent's pages it was never given. */
	CHECK_EQ(ERROR_DENIED,
	         core_addrspace_map(&ctx, as, sparse, 0x1000, MAP_RW_WB, 1, 0, 0x1000));
	CHECK_EQ(0, host_stage2_count(NULL));
	/* Four mappings, then full. */
	for (unsigned i = 0; i < 4; i++) {
		CHECK_EQ(OK, core_addrspace_map(&ctx, as, me, 0x100000ULL * (i + 1), MAP_RW_WB, 0,
		                                0, 0));
	}
	CHECK_EQ(16, host_stage2_count(as_root(arena, as)));
	CHECK_EQ(ERROR_MEMEXTENT_MAPPINGS_FULL,
	         core_addrspace_map(&ctx, as, me, 0x900000, MAP_RW_WB, 0, 0, 0));
	/* Another extent over an IPA range in use. */
	other = make_extent(arena, T_MEM_BASE + 0x20000, 0x1000, 0x6ULL);
	CHECK_EQ(ERROR_DENIED, core_addrspace_map(&ctx, as, other, 0x101000, MAP_RW_WB, 0, 0, 0));
	CHECK_EQ(16, host_stage2_count(as_root(arena, as)));
}

TEST(addrspace_map_unmap_update_lookup_reach_stage2)
{
	struct core_ctx ctx = root_ctx(arena);
	struct arch_s2_perm perm;
	struct addrspace_lookup_result l;
	uint64_t pa, tlbi;
	cap_id_t as, me;

	mem_setup(arena);
	as = make_addrspace(arena, T_VMID);
	me = make_extent(arena, T_MEM_BASE + 0x3000, 0x2000, 0x6ULL);
	CHECK_EQ(OK, core_addrspace_map(&ctx, as, me, 0x80000000ULL, MAP_RW_WB, 0, 0, 0));
	CHECK(host_stage2_translate(as_root(arena, as), 0x80001000ULL, &pa, &perm));
	CHECK_EQ(T_MEM_BASE + 0x4000, pa);
	CHECK(perm.read && perm.write && !perm.exec);
	CHECK_EQ(0xF, perm.memtype);
	l = core_addrspace_lookup(&ctx, as, me, 0x80001000ULL, 0x1000);
	CHECK_EQ(OK, l.error);
	CHECK_EQ(0x1000, l.offset);
	CHECK_EQ(0x1000, l.size);
	CHECK_EQ(MAP_RW_WB, l.map_attrs);
	CHECK_EQ(ERROR_ADDR_INVALID,
	         core_addrspace_lookup(&ctx, as, me, 0x80002000ULL, 0x1000).error);
	CHECK_EQ(ERROR_ARGUMENT_INVALID,
	         core_addrspace_lookup(&ctx, as, me, 0x80000800ULL, 0x1000).error);
	/* update_access RW -> R: the Stage-2 entries lose write, after a TLB invalidation each. */
	tlbi = host_stage2_tlbi_pages(T_VMID);
	CHECK_EQ(ERROR_DENIED,
	         core_addrspace_update_access(&ctx, as, me, 0x80000000ULL, 0x77, 0, 0, 0));
	CHECK_EQ(OK, core_addrspace_update_access(&ctx, as, me, 0x80000000ULL, 0x44, 0, 0, 0));
	CHECK(host_stage2_translate(as_root(arena, as), 0x80000000ULL, &pa, &perm));
	CHECK(perm.read && !perm.write);
	CHECK_EQ(tlbi + 2, host_stage2_tlbi_pages(T_VMID));
	CHECK_EQ(MAP_R_WB, core_addrspace_lookup(&ctx, as, me, 0x80000000ULL, 0x2000).map_attrs);
	/* Unmap: gone from Stage 2, TLBs of this VMID invalidated, lookup finds nothing. */
	CHECK_EQ(ERROR_ARGUMENT_INVALID,
	         core_addrspace_unmap(&ctx, as, me, 0x80001000ULL, 0, 0, 0));
	CHECK_EQ(OK, core_addrspace_unmap(&ctx, as, me, 0x80000000ULL, 0, 0, 0));
	CHECK(!host_stage2_translate(as_root(arena, as), 0x80000000ULL, &pa, &perm));
	CHECK_EQ(tlbi + 4, host_stage2_tlbi_pages(T_VMID));
	CHECK_EQ(ERROR_ADDR_INVALID,
	         core_addrspace_lookup(&ctx, as, me, 0x80000000ULL, 0x1000).error);
	CHECK_EQ(0, host_stage2_count(NULL));
}

TEST(addrspace_vmids_are_distinct_and_released)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t a, b;

	mem_setup(arena);
	b = make_obj(arena, OBJ_ADDRSPACE);
	CHECK_EQ(ERROR_OBJECT_CONFIG, core_object_activate(&ctx, b));
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_addrspace_configure(&ctx, b, 0));
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_addrspace_configure(&ctx, b, 65536));
	CHECK_EQ(OK, core_addrspace_configure(&ctx, b, 255)); /* upstream's ROOT_VM_VMID */
	CHECK_EQ(ERROR_BUSY, core_object_activate(&ctx, b));
	CHECK_EQ(OK, core_addrspace_configure(&ctx, b, 1)); /* the boot VM's */
	CHECK_EQ(ERROR_BUSY, core_object_activate(&ctx, b));
	a = make_addrspace(arena, T_VMID);
	CHECK_EQ(OK, core_addrspace_configure(&ctx, b, T_VMID));
	CHECK_EQ(ERROR_BUSY, core_object_activate(&ctx, b));
	CHECK_EQ(OK, core_cspace_delete_cap_from(&ctx, arena->root.cspace_cap, a));
	CHECK_EQ(OK, core_object_activate(&ctx, b));
}

/* The isolation rule: a page reaches two unrelated address spaces only through one extent mapped
 * twice on purpose; another extent over the same pages cannot exist, so cannot be mapped. */
TEST(addrspace_page_reaches_unrelated_spaces_only_through_its_owner)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t as1, as2, me, thief;

	mem_setup(arena);
	as1 = make_addrspace(arena, T_VMID);
	as2 = make_addrspace(arena, T_VMID + 1);
	me = make_extent(arena, T_MEM_BASE, 0x1000, 0x6ULL);
	CHECK_EQ(OK, core_addrspace_map(&ctx, as1, me, 0x1000, MAP_RW_WB, 0, 0, 0));
	thief = make_obj(arena, OBJ_MEMEXTENT);
	CHECK_EQ(OK, core_memextent_configure(&ctx, thief, T_MEM_BASE, 0x1000, 0x6ULL));
	CHECK_EQ(ERROR_MEMDB_NOT_OWNER, core_object_activate(&ctx, thief));
	CHECK_EQ(ERROR_OBJECT_STATE,
	         core_addrspace_map(&ctx, as2, thief, 0x1000, MAP_RW_WB, 0, 0, 0));
	CHECK_EQ(0, host_stage2_count(as_root(arena, as2)));
	/* A pages donated away cannot be mapped, and mapped pages cannot be donated away. */
	cap_id_t s = make_extent(arena, T_MEM_BASE + 0x2000, 0x2000, ATTR_RW_ANY_SPARSE);
	CHECK_EQ(OK, core_memextent_donate(&ctx, 0, arena->root.partition_cap, s, 0, 0x1000));
	CHECK_EQ(OK, core_addrspace_map(&ctx, as2, s, 0x4000, MAP_RW_WB, 1, 0, 0x1000));
	CHECK_EQ(ERROR_DENIED,
	         core_addrspace_map(&ctx, as2, s, 0x5000, MAP_RW_WB, 1, 0x1000, 0x1000));
	CHECK_EQ(ERROR_ARGUMENT_INVALID,
	         core_memextent_donate(&ctx, 1, s, arena->root.partition_cap, 0, 0x1000));
	/* Deleting the extent removes its mappings; the address spaces stay clean. */
	CHECK_EQ(OK, core_cspace_delete_cap_from(&ctx, arena->root.cspace_cap, s));
	CHECK_EQ(OK, core_cspace_delete_cap_from(&ctx, arena->root.cspace_cap, me));
	CHECK_EQ(0, host_stage2_count(NULL));
	CHECK_EQ(T_PAGES, memdb_count(mem_db(arena), &arena->root.partition->hdr));
}

TEST(memextent_modify_ops)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t as, me;

	mem_setup(arena);
	as = make_addrspace(arena, T_VMID);
	me = make_extent(arena, T_MEM_BASE, 0x2000, 0x6ULL);
	CHECK_EQ(OK, core_addrspace_map(&ctx, as, me, 0x1000, MAP_RW_WB, 0, 0, 0));
	CHECK_EQ(OK, core_addrspace_map(&ctx, as, me, 0x10000, MAP_RW_WB, 0, 0, 0));
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_memextent_modify(&ctx, me, 0x100, 0, 0));
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_memextent_modify(&ctx, me, 255 | 0x80000000U, 0, 0));
	CHECK_EQ(OK, core_memextent_modify(&ctx, me, 255, 0, 0));
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_memextent_modify(&ctx, me, 1, 0, 0x1000)); /* sync */
	CHECK_EQ(ERROR_ARGUMENT_SIZE, core_memextent_modify(&ctx, me, 0x80000001U, 0x1000, 0x2000));
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_memextent_modify(&ctx, me, 0x80000004U, 0, 0x1000));
	CHECK_EQ(OK, core_memextent_modify(&ctx, me, 0x80000001U, 0x1000, 0x1000));
	CHECK_EQ(OK, core_memextent_modify(&ctx, me, 0x80000002U, 0, 0x2000));
	CHECK_EQ(OK, core_memextent_modify(&ctx, me, 0x80000003U, 0, 0x1000));
	CHECK_EQ(1, host_stage2_phys_ops(ARCH_PHYS_ZERO));
	CHECK_EQ(2, host_stage2_phys_ops(ARCH_PHYS_CLEAN));
	CHECK_EQ(1, host_stage2_phys_ops(ARCH_PHYS_FLUSH));
	CHECK_EQ(4, host_stage2_count(as_root(arena, as)));
	CHECK_EQ(OK, core_memextent_modify(&ctx, me, 0, 0, 0)); /* UNMAP_ALL */
	CHECK_EQ(0, host_stage2_count(NULL));
	CHECK_EQ(ERROR_ADDR_INVALID, core_addrspace_lookup(&ctx, as, me, 0x1000, 0x1000).error);
}

/* The aarch64 Stage-2 walk address spaces use (pte.c, pure): pages mapped one at a time are found
 * again by pte_page_slot, a page no table reaches has no slot, and clearing a slot unmaps only it.
 */
static uint64_t t_tables[8][512] __attribute__((aligned(4096)));
static unsigned t_tables_used;

static uint64_t *t_table_alloc(void *ctx)
{
	(void)ctx;
	return t_tables_used < 8 ? memset(t_tables[t_tables_used++], 0, 4096) : NULL;
}

TEST(stage2_page_walk_finds_exactly_the_mapped_pages)
{
	uint64_t *root;
	uint64_t attrs = pte_s2_attrs((struct pte_perm){.mem = PTE_MEM_NORMAL, .write = true});

	(void)arena;
	t_tables_used = 0;
	root = t_table_alloc(NULL);
	for (uint64_t i = 0; i < 3; i++) {
		CHECK_EQ(PTE_MAP_OK,
		         pte_map(root, 40, 0x80000000ULL + i * 4096, T_MEM_BASE + i * 4096, 4096,
		                 attrs, t_table_alloc, NULL)
		             .error);
	}
	CHECK_EQ(4, t_tables_used); /* root, L1, L2, L3 */
	for (uint64_t i = 0; i < 3; i++) {
		uint64_t *slot = pte_page_slot(root, 40, 0x80000000ULL + i * 4096);

		CHECK(slot != NULL);
		if (slot == NULL) {
			return;
		}
		CHECK_EQ(PTE_KIND_PAGE, pte_decode(*slot, 3).kind);
		CHECK_EQ(T_MEM_BASE + i * 4096, pte_decode(*slot, 3).addr);
	}
	CHECK(pte_page_slot(root, 40, 0xC0000000ULL) == NULL); /* no L2 table there */
	CHECK(pte_page_slot(root, 40, 1ULL << 40) == NULL);    /* past the IPA size */
	*pte_page_slot(root, 40, 0x80001000ULL) = 0;
	CHECK_EQ(PTE_KIND_INVALID, pte_decode(*pte_page_slot(root, 40, 0x80001000ULL), 3).kind);
	CHECK_EQ(PTE_KIND_PAGE, pte_decode(*pte_page_slot(root, 40, 0x80002000ULL), 3).kind);
	/* The same page again: EXISTS, and nothing else changes. */
	CHECK_EQ(
	    PTE_MAP_EXISTS,
	    pte_map(root, 40, 0x80000000ULL, T_MEM_BASE, 4096, attrs, t_table_alloc, NULL).error);
	CHECK_EQ(4, t_tables_used);
}

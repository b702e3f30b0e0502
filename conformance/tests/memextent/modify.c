/* memextent_modify (0x30): each op with NO_SYNC set and clear, ranges, UNMAP_ALL's effect
 * (reference section 2 memextent_modify flags, section 3). */
#include <humpy/mem.h>

#define ME_TEST(name) MEM_TEST(memextent, name, true)
#define NO_SYNC       ((u64)GH_MEM_MODIFY_FLAGS_NO_SYNC)

static u64 modify(u64 me, u64 flags, u64 offset, u64 size)
{
	return hc(GH_HVC_MEMEXTENT_MODIFY, me, flags, offset, size, 0).x[0];
}

/* Proves UNMAP_ALL is accepted with NO_SYNC set or clear, x1..x7 zero (§2: the rule names 1-3,
 * 255). */
ME_TEST(modify_unmap_all)
{
	u64 me = me_make(rc, ram->base, 2 * PAGE, ME_RWX_ANY, true);

	RETURN_IF_FAILED();
	ASSERT_RESULT("UNMAP_ALL",
	              hc(GH_HVC_MEMEXTENT_MODIFY, me, GH_MEM_MODIFY_OP_UNMAP_ALL, 0, 0, 0), 0, 0);
	ASSERT_EQ("UNMAP_ALL | NO_SYNC", modify(me, GH_MEM_MODIFY_OP_UNMAP_ALL | NO_SYNC, 0, 0), 0);
}

/* Proves UNMAP_ALL removes every mapping of the extent: lookups then give ADDR_INVALID (§2). */
ME_TEST(modify_unmap_all_effect)
{
	u64 me = me_make(rc, ram->base, 2 * PAGE, ME_RWX_ANY, true);
	u64 as = as_make(rc, MEM_VMID_A, true);

	RETURN_IF_FAILED();
	ASSERT_EQ("map at the first IPA", mem_map(as, me, MEM_IPA, MAP_RW_WB, 0, 0, 0), 0);
	ASSERT_EQ("map at the second IPA", mem_map(as, me, MEM_IPA + 16 * PAGE, MAP_RW_WB, 0, 0, 0),
	          0);
	ASSERT_EQ("lookup before", as_lookup(as, me, MEM_IPA, 2 * PAGE).x[0], 0);
	ASSERT_EQ("UNMAP_ALL", modify(me, GH_MEM_MODIFY_OP_UNMAP_ALL, 0, 0), 0);
	ASSERT_RESULT3("lookup of the first mapping", as_lookup(as, me, MEM_IPA, 2 * PAGE),
	               E(ADDR_INVALID), 0, 0, 0);
	ASSERT_RESULT3("lookup of the second mapping", as_lookup(as, me, MEM_IPA + 16 * PAGE, PAGE),
	               E(ADDR_INVALID), 0, 0, 0);
	ASSERT_EQ("the extent maps again at the first IPA",
	          mem_map(as, me, MEM_IPA, MAP_RW_WB, 0, 0, 0), 0);
}

/* Proves ZERO_RANGE, CACHE_CLEAN_RANGE and CACHE_FLUSH_RANGE need NO_SYNC: OK with,
 * ARGUMENT_INVALID without (§2 modify flags bit 31). */
ME_TEST(modify_range_ops_no_sync)
{
	static const u64 ops[] = {GH_MEM_MODIFY_OP_ZERO_RANGE, GH_MEM_MODIFY_OP_CACHE_CLEAN_RANGE,
	                          GH_MEM_MODIFY_OP_CACHE_FLUSH_RANGE};
	u64 me = me_make(rc, ram->base, 2 * PAGE, ME_RWX_ANY, true);
	unsigned i;

	RETURN_IF_FAILED();
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		u64 with = modify(me, ops[i] | NO_SYNC, 0, 2 * PAGE);
		u64 without = modify(me, ops[i], 0, 2 * PAGE);

		if (with != 0 || without != E(ARGUMENT_INVALID)) {
			test_fail(
			    "op %lu: with NO_SYNC x0 expected 0x0 got 0x%lx, without expected "
			    "0x1 got 0x%lx",
			    ops[i], with, without);
			return;
		}
	}
}

/* Proves SYNC_ALL is OK without NO_SYNC and ARGUMENT_INVALID with it (§2 modify flags). */
ME_TEST(modify_sync_all)
{
	u64 me = me_make(rc, ram->base, PAGE, ME_RWX_ANY, true);

	RETURN_IF_FAILED();
	ASSERT_EQ("SYNC_ALL", modify(me, GH_MEM_MODIFY_OP_SYNC_ALL, 0, 0), 0);
	ASSERT_EQ("SYNC_ALL | NO_SYNC", modify(me, GH_MEM_MODIFY_OP_SYNC_ALL | NO_SYNC, 0, 0),
	          E(ARGUMENT_INVALID));
}

/* Proves ops 4..254 (no value of the enumeration) are ARGUMENT_INVALID with NO_SYNC set or clear
 * (§2). */
ME_TEST(modify_unknown_ops)
{
	u64 me = me_make(rc, ram->base, PAGE, ME_RWX_ANY, true), op;

	RETURN_IF_FAILED();
	for (op = GH_MEM_MODIFY_OP_CACHE_FLUSH_RANGE + 1; op < GH_MEM_MODIFY_OP_SYNC_ALL; op++) {
		u64 a = modify(me, op, 0, PAGE), b = modify(me, op | NO_SYNC, 0, PAGE);

		if (a != E(ARGUMENT_INVALID) || b != E(ARGUMENT_INVALID)) {
			test_fail("op %lu: x0 expected 0x1 and 0x1 got 0x%lx and 0x%lx", op, a, b);
			return;
		}
	}
}

/* Proves a range op outside the extent (past its end, wrapping, size 0) is ARGUMENT_SIZE (§2). */
ME_TEST(modify_range_size)
{
	u64 me = me_make(rc, ram->base, 2 * PAGE, ME_RWX_ANY, true);
	const u64 zero = GH_MEM_MODIFY_OP_ZERO_RANGE | NO_SYNC;

	RETURN_IF_FAILED();
	ASSERT_EQ("offset 1 page, size 2 pages", modify(me, zero, PAGE, 2 * PAGE),
	          E(ARGUMENT_SIZE));
	ASSERT_EQ("offset 2 pages (the end), size 1 page", modify(me, zero, 2 * PAGE, PAGE),
	          E(ARGUMENT_SIZE));
	ASSERT_EQ("offset 2^64 - 4 KiB, size 8 KiB", modify(me, zero, 0ULL - PAGE, 2 * PAGE),
	          E(ARGUMENT_SIZE));
	ASSERT_EQ("size 0", modify(me, zero, 0, 0), E(ARGUMENT_SIZE));
	ASSERT_EQ("the last page", modify(me, zero, PAGE, PAGE), 0);
}

/* Proves every cap-lookup error of the extent input, the map right and an INIT extent (§2, §7). */
ME_TEST(modify_cap_errors)
{
	u64 me = me_make(rc, ram->base, PAGE, ME_RWX_ANY, true);
	u64 idle = me_make(rc, ram->base + PAGE, PAGE, ME_RWX_ANY, false);
	const u64 args[7] = {me, GH_MEM_MODIFY_OP_SYNC_ALL, 0, 0, 0, 0, 0};

	RETURN_IF_FAILED();
	mem_cap_errors(rc, GH_HVC_MEMEXTENT_MODIFY, args, 0, rc->cspace, GH_RIGHT_MEMEXTENT_MAP,
	               idle);
}

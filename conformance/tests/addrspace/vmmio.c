/*
 * addrspace_configure_vmmio (0x60, reference section 2; section 8 limit of 128 ranges): the ranges
 * whose faults a proxy's vcpu_run reports (tests/vcpu/run.c run_vmmio_*). As upstream: byte ranges
 * without alignment, an add that overlaps a range or a remove that is not exactly an added range
 * BUSY, size 0 ARGUMENT_SIZE, a wrap ADDR_OVERFLOW, an end past 2^52 ARGUMENT_SIZE, a 129th range
 * NORESOURCES, an unknown op UNIMPLEMENTED, the address space INIT or ACTIVE.
 */
#include <humpy/mem.h>

#define VMMIO_TEST(name) MEM_TEST(addrspace, name, false)
#define VMMIO_ADD        GH_MEM_VMMIO_OP_ADD
#define VMMIO_REMOVE     GH_MEM_VMMIO_OP_REMOVE
#define VMMIO_END        (1ULL << GH_LIMIT_ADDRSPACE_VMMIO_END_BITS)

static struct gh_ret vmmio(u64 as, u64 base, u64 size, u64 op)
{
	return hc(GH_HVC_ADDRSPACE_CONFIGURE_VMMIO, as, base, size, op, 0);
}

/* x0 exact, x1..x7 zero. */
#define ASSERT_VMMIO(what, as, base, size, op, err)                                                \
	ASSERT_RESULT(what, vmmio((as), (base), (size), (op)), (err), 0)

/*
 * Proves configure_vmmio's address space input: add_vmmio_range right; any state (upstream takes
 * INIT or ACTIVE, the only ones a humpy object is seen in), so no OBJECT_STATE (section 2, 7).
 */
VMMIO_TEST(configure_vmmio_cap_errors)
{
	u64 as = as_make(rc, MEM_VMID_A, true);
	const u64 args[7] = {as, MEM_IPA, PAGE, VMMIO_ADD, 0, 0, 0};

	RETURN_IF_FAILED();
	mem_cap_errors(rc, GH_HVC_ADDRSPACE_CONFIGURE_VMMIO, args, 0, rc->cspace,
	               GH_RIGHT_ADDRSPACE_ADD_VMMIO_RANGE, GH_CAP_INVALID);
}

/*
 * Proves the argument errors in upstream's order: op 2 and all ones UNIMPLEMENTED before anything
 * else (size 0 too); size 0 ARGUMENT_SIZE (add and remove); base + size wrapping (past 2^64, or
 * exactly to 2^64) ADDR_OVERFLOW; an end past 2^52 ARGUMENT_SIZE while one ending at 2^52 is OK;
 * res0 not 0 ARGUMENT_INVALID.
 */
VMMIO_TEST(vmmio_argument_errors)
{
	u64 as = as_make(rc, MEM_VMID_A, true);

	RETURN_IF_FAILED();
	ASSERT_UNIMPLEMENTED("op 2", GH_PATH_NATIVE, vmmio(as, MEM_IPA, PAGE, 2));
	ASSERT_UNIMPLEMENTED("op all ones", GH_PATH_NATIVE, vmmio(as, MEM_IPA, PAGE, ~0ULL));
	ASSERT_UNIMPLEMENTED("op 2, size 0", GH_PATH_NATIVE, vmmio(as, MEM_IPA, 0, 2));
	ASSERT_VMMIO("add size 0", as, MEM_IPA, 0, VMMIO_ADD, E(ARGUMENT_SIZE));
	ASSERT_VMMIO("remove size 0", as, MEM_IPA, 0, VMMIO_REMOVE, E(ARGUMENT_SIZE));
	ASSERT_VMMIO("add to exactly 2^64", as, ~0xfffULL, PAGE, VMMIO_ADD, E(ADDR_OVERFLOW));
	ASSERT_VMMIO("add past 2^64", as, 1, ~0ULL, VMMIO_ADD, E(ADDR_OVERFLOW));
	ASSERT_VMMIO("remove past 2^64", as, ~0xfffULL, 2 * PAGE, VMMIO_REMOVE, E(ADDR_OVERFLOW));
	ASSERT_VMMIO("add one byte past 2^52", as, VMMIO_END - 8, 9, VMMIO_ADD, E(ARGUMENT_SIZE));
	ASSERT_VMMIO("remove past 2^52", as, VMMIO_END, 1, VMMIO_REMOVE, E(ARGUMENT_SIZE));
	ASSERT_VMMIO("add ending at 2^52", as, VMMIO_END - 8, 8, VMMIO_ADD, 0);
	ASSERT_VMMIO("remove it", as, VMMIO_END - 8, 8, VMMIO_REMOVE, 0);
	ASSERT_RESULT("res0 1", hc(GH_HVC_ADDRSPACE_CONFIGURE_VMMIO, as, MEM_IPA, PAGE, 0, 1),
	              E(ARGUMENT_INVALID), 0);
}

/*
 * Proves ranges are bytes and removes exact (section 2, as upstream): [IPA+3, IPA+8) OK; a byte of
 * it again, or a page over it, BUSY; the next byte alone OK; removing part of it, or a range never
 * added, BUSY; removing it OK, then again BUSY; the page over it now overlaps only IPA+8: BUSY, and
 * OK once that is removed. An INIT address space takes ranges too.
 */
VMMIO_TEST(vmmio_ranges_exact)
{
	u64 as = as_make(rc, MEM_VMID_A, true), idle = as_make(rc, MEM_VMID_B, false);

	RETURN_IF_FAILED();
	ASSERT_VMMIO("add [+3, +8)", as, MEM_IPA + 3, 5, VMMIO_ADD, 0);
	ASSERT_VMMIO("add its last byte", as, MEM_IPA + 7, 1, VMMIO_ADD, E(BUSY));
	ASSERT_VMMIO("add the page over it", as, MEM_IPA, PAGE, VMMIO_ADD, E(BUSY));
	ASSERT_VMMIO("add the next byte", as, MEM_IPA + 8, 1, VMMIO_ADD, 0);
	ASSERT_VMMIO("remove its first 4 bytes", as, MEM_IPA + 3, 4, VMMIO_REMOVE, E(BUSY));
	ASSERT_VMMIO("remove its last 4 bytes", as, MEM_IPA + 4, 4, VMMIO_REMOVE, E(BUSY));
	ASSERT_VMMIO("remove a range never added", as, MEM_IPA + PAGE, PAGE, VMMIO_REMOVE, E(BUSY));
	ASSERT_VMMIO("remove [+3, +8)", as, MEM_IPA + 3, 5, VMMIO_REMOVE, 0);
	ASSERT_VMMIO("remove it again", as, MEM_IPA + 3, 5, VMMIO_REMOVE, E(BUSY));
	ASSERT_VMMIO("add the page (IPA+8 still there)", as, MEM_IPA, PAGE, VMMIO_ADD, E(BUSY));
	ASSERT_VMMIO("remove IPA+8", as, MEM_IPA + 8, 1, VMMIO_REMOVE, 0);
	ASSERT_VMMIO("add the page", as, MEM_IPA, PAGE, VMMIO_ADD, 0);
	ASSERT_VMMIO("remove the page", as, MEM_IPA, PAGE, VMMIO_REMOVE, 0);
	ASSERT_VMMIO("add to an INIT address space", idle, MEM_IPA, PAGE, VMMIO_ADD, 0);
	ASSERT_VMMIO("remove from it", idle, MEM_IPA, PAGE, VMMIO_REMOVE, 0);
}

/*
 * Proves the limit (limits.addrspace_max_vmmio_ranges, 128, section 8): 128 one-page ranges OK; a
 * 129th NORESOURCES, even one that overlaps (the count is checked first, as upstream); removing a
 * range that is not there is still BUSY; after one remove, one more add OK and the next
 * NORESOURCES again. The limit is per address space: another one still takes a range.
 */
VMMIO_TEST(vmmio_limit)
{
	u64 as = as_make(rc, MEM_VMID_A, true), other = as_make(rc, MEM_VMID_B, true), i;

	RETURN_IF_FAILED();
	for (i = 0; i < GH_LIMIT_ADDRSPACE_MAX_VMMIO_RANGES; i++)
		ASSERT_VMMIO("add a range", as, MEM_IPA + i * PAGE, PAGE, VMMIO_ADD, 0);
	ASSERT_VMMIO("a 129th", as, MEM_IPA + i * PAGE, PAGE, VMMIO_ADD, E(NORESOURCES));
	ASSERT_VMMIO("a 129th over the first", as, MEM_IPA, PAGE, VMMIO_ADD, E(NORESOURCES));
	ASSERT_VMMIO("remove a range not there", as, MEM_IPA + i * PAGE, PAGE, VMMIO_REMOVE,
	             E(BUSY));
	ASSERT_VMMIO("remove the 5th", as, MEM_IPA + 4 * PAGE, PAGE, VMMIO_REMOVE, 0);
	ASSERT_VMMIO("add in its place", as, MEM_IPA + i * PAGE, PAGE, VMMIO_ADD, 0);
	ASSERT_VMMIO("a 129th again", as, MEM_IPA + 4 * PAGE, PAGE, VMMIO_ADD, E(NORESOURCES));
	ASSERT_VMMIO("another address space", other, MEM_IPA, PAGE, VMMIO_ADD, 0);
}

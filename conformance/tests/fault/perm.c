/*
 * Stage-2 permission and translation faults on memory the root VM maps into its own address space
 * (ROOT_PROFILE.md humpy,root-addrspace-cap): a root-memory extent mapped read-only, made read-only
 * by addrspace_update_access, unmapped, or mapped without execute, each accessed through the test
 * window. Every fault is the SEA of reference section 8 (ESR exact, FAR = the window VA); what the
 * mapping allows still works, and the write that faulted left memory unchanged.
 */
#include <humpy/arch.h>
#include <humpy/fault.h>
#include <humpy/mem.h>
#include <humpy/mmu.h>

#define PERM_TEST(name) MEM_TEST(fault, name, true)
/* Where the tests map in the root VM's address space: far from its RAM, UART and PL061. */
#define PERM_IPA      0xf0000000ULL
#define PERM_EXEC     0 /* window page fetched from (page 1 holds fault_exec_setup's ret) */
#define PERM_DATA     2 /* window page the tests read and write through */
#define PERM_OFF      0x7f0
#define PERM_PATTERN  0x600df00dU
#define PERM_RET_INSN 0xd65f03c0U

/* The root VM's own address space, or SKIP. */
#define PERM_SELF_AS(as)                                                                           \
	do {                                                                                       \
		(as) = profile_chosen_cap(FAULT_SELF_AS_PROP);                                     \
		if ((as) == GH_CAP_INVALID)                                                        \
			SKIP(FAULT_NO_SELF_AS);                                                    \
	} while (0)

static u64 perm_update(u64 as, u64 me, u64 access)
{
	return hc7_err(GH_HVC_ADDRSPACE_UPDATE_ACCESS, as, me, PERM_IPA, access, 0, 0, 0);
}

static u64 perm_va(void)
{
	return mmu_test_va(PERM_DATA) + PERM_OFF;
}

/* A write through the data window page that must abort: ESR, FAR, ELR exact. */
#define EXPECT_WRITE_SEA(what, value)                                                              \
	do {                                                                                       \
		struct exc_record rec_;                                                            \
		exc_expect_begin();                                                                \
		probe_write32(perm_va(), (value));                                                 \
		rec_ = exc_expect_end();                                                           \
		ASSERT_FAULT(what, rec_, FAULT_ESR_DABT, perm_va(),                                \
		             (u64)(uintptr_t)probe_write32_insn);                                  \
	} while (0)

/* A read through the data window page that must not abort and must give `want`. */
#define EXPECT_READ(what, want)                                                                    \
	do {                                                                                       \
		u32 v_ = 0;                                                                        \
		ASSERT_TRUE(what ": the read aborted", probe_try_read32(perm_va(), &v_));          \
		ASSERT_EQ(what, v_, (want));                                                       \
	} while (0)

/*
 * Proves a write to a page mapped read-only (user and kernel R) gets the SEA with WnR clear, FAR =
 * the VA; the page still reads, unchanged (section 8 permission fault).
 */
PERM_TEST(ro_write)
{
	u64 as, me;
	u32 before = 0;

	PERM_SELF_AS(as);
	me = me_make(rc, ram->base, PAGE, ME_RWX_ANY, true);
	RETURN_IF_FAILED();
	ASSERT_EQ("map R",
	          mem_map(as, me, PERM_IPA,
	                  map_attrs(GH_MEM_ACCESS_R, GH_MEM_ACCESS_R, GH_MEM_VM_MEMTYPE_NORMAL_WB),
	                  0, 0, 0),
	          0);
	mmu_test_map_ipa(PERM_DATA, PERM_IPA, false);
	ASSERT_TRUE("read before the write aborted", probe_try_read32(perm_va(), &before));
	EXPECT_WRITE_SEA("write", ~before);
	EXPECT_READ("the page after the write", before);
	mmu_test_reset();
}

/*
 * Proves update_access RW -> R takes effect at once: a write that worked before now gets the SEA
 * (FAR = the VA), the earlier value stays; back to RW the write works again (section 2
 * update_access, section 8).
 */
PERM_TEST(update_access_rw_to_r_write)
{
	u64 as, me;

	PERM_SELF_AS(as);
	me = me_make(rc, ram->base, PAGE, ME_RWX_ANY, true);
	RETURN_IF_FAILED();
	ASSERT_EQ("map RW", mem_map(as, me, PERM_IPA, MAP_RW_WB, 0, 0, 0), 0);
	mmu_test_map_ipa(PERM_DATA, PERM_IPA, false);
	ASSERT_TRUE("write while RW", probe_try_write32(perm_va(), PERM_PATTERN));
	EXPECT_READ("read while RW", PERM_PATTERN);
	ASSERT_EQ("update_access to R",
	          perm_update(as, me, access_attrs(GH_MEM_ACCESS_R, GH_MEM_ACCESS_R)), 0);
	EXPECT_WRITE_SEA("write after update_access to R", ~PERM_PATTERN);
	EXPECT_READ("read after update_access to R", PERM_PATTERN);
	ASSERT_EQ("update_access back to RW",
	          perm_update(as, me, access_attrs(GH_MEM_ACCESS_RW, GH_MEM_ACCESS_RW)), 0);
	ASSERT_TRUE("write after update_access back to RW",
	            probe_try_write32(perm_va(), 0x12345678));
	EXPECT_READ("read after update_access back to RW", 0x12345678);
	mmu_test_reset();
}

/*
 * Proves addrspace_unmap takes effect at once: a page read and written just before (its
 * translation cached) gets the translation SEA on the next read and write, FAR = the VA (section 2
 * unmap, section 8).
 */
PERM_TEST(unmap_then_access)
{
	u64 as, me;
	struct exc_record rec;

	PERM_SELF_AS(as);
	me = me_make(rc, ram->base, PAGE, ME_RWX_ANY, true);
	RETURN_IF_FAILED();
	ASSERT_EQ("map RW", mem_map(as, me, PERM_IPA, MAP_RW_WB, 0, 0, 0), 0);
	mmu_test_map_ipa(PERM_DATA, PERM_IPA, false);
	ASSERT_TRUE("write while mapped", probe_try_write32(perm_va(), PERM_PATTERN));
	EXPECT_READ("read while mapped", PERM_PATTERN);
	ASSERT_EQ("unmap", mem_unmap(as, me, PERM_IPA, 0, 0, 0), 0);
	exc_expect_begin();
	probe_read32(perm_va());
	rec = exc_expect_end();
	ASSERT_FAULT("read after unmap", rec, FAULT_ESR_DABT, perm_va(),
	             (u64)(uintptr_t)probe_read32_insn);
	EXPECT_WRITE_SEA("write after unmap", PERM_PATTERN);
	mmu_test_reset();
}

/*
 * Proves an instruction fetch from a page mapped RW without execute gets the instruction abort
 * SEA (ESR 0x86000010, FAR = ELR = the VA), while the same page mapped RWX runs the `ret` written
 * there (section 2 map_attrs access X, section 8).
 */
PERM_TEST(xn_fetch_ram)
{
	u64 as, me, va;
	struct exc_record rec;

	PERM_SELF_AS(as);
	me = me_make(rc, ram->base, PAGE, ME_RWX_ANY, true);
	RETURN_IF_FAILED();
	ASSERT_EQ("map RW", mem_map(as, me, PERM_IPA, MAP_RW_WB, 0, 0, 0), 0);
	/* The ret at the page's last word, written through the data view, pushed to the I side. */
	mmu_test_map_ipa(PERM_DATA, PERM_IPA, false);
	ASSERT_TRUE("write the ret",
	            probe_try_write32(mmu_test_va(PERM_DATA) + PAGE - 4, PERM_RET_INSN));
	__asm__ volatile("dc cvau, %0" ::"r"(mmu_test_va(PERM_DATA) + PAGE - 4) : "memory");
	dsb(ish);
	va = fault_exec_setup(PERM_EXEC, PERM_IPA);
	exc_expect_begin();
	fault_exec(va);
	rec = exc_expect_end();
	ASSERT_FAULT("fetch from the RW page", rec, FAULT_ESR_IABT, va, va);
	ASSERT_EQ("update_access to RWX",
	          perm_update(as, me, access_attrs(GH_MEM_ACCESS_RWX, GH_MEM_ACCESS_RWX)), 0);
	__asm__ volatile("ic iallu" ::: "memory");
	dsb(ish);
	isb();
	exc_expect_begin();
	fault_exec(va);
	rec = exc_expect_end();
	ASSERT_TRUE("fetch from the page once RWX raised an exception", !rec.taken);
	mmu_test_reset();
}

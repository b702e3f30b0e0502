/* fault lib: instruction fetches through the test window (humpy/fault.h). */
#include <humpy/arch.h>
#include <humpy/fault.h>
#include <humpy/fdt.h>
#include <humpy/mmu.h>

#define FAULT_RET_INSN 0xd65f03c0U /* ret */

/* blr to x0 and back: an aborted fetch resumes at x0 + 4, where fault_exec_setup put a ret. */
__asm__(".text\n"
        ".global fault_exec\n"
        "fault_exec:\n"
        "	stp	x29, x30, [sp, #-16]!\n"
        "	blr	x0\n"
        "	ldp	x29, x30, [sp], #16\n"
        "	ret\n");

u64 fault_exec_setup(unsigned page, u64 ipa)
{
	u32 *ret_page = (u32 *)mmu_test_backing(page + 1);

	mmu_test_map_ipa(page, ipa, true);
	mmu_test_map(page + 1, page + 1, MMU_TEST_RW);
	ret_page[0] = FAULT_RET_INSN;
	/* The ret must reach the instruction side: clean to PoU, then drop stale I-cache lines. */
	__asm__ volatile("dc cvau, %0" ::"r"(ret_page) : "memory");
	dsb(ish);
	__asm__ volatile("ic iallu" ::: "memory");
	dsb(ish);
	isb();
	return mmu_test_va(page) + MMU_PAGE - 4;
}

/*
 * Stage-2 translation faults at every level a 4 KiB-granule table has, as the VM sees them: a
 * synchronous external abort with the exact ESR of reference section 8 and FAR_EL1 = the faulting
 * VA, after which the guest runs on. stage2.unmapped_load checks the first IPA past RAM with SPSR
 * and PSTATE; these check the other levels, stores, fetches and FAR's low bits.
 */
#include <humpy/arch.h>
#include <humpy/fault.h>
#include <humpy/mmu.h>
#include <humpy/plat.h>

#define SZ_4K           0x1000ULL
#define SZ_2M           0x200000ULL
#define SZ_1G           0x40000000ULL
#define FAULT_IDENT_END (1ULL << 32) /* the guest's identity stage 1 covers the low 4 GiB */
#define FAULT_PAGE      0            /* the test window page the window tests remap */

/* True if [a, a+size) holds nothing the device tree describes, nor the guest's own image. */
static bool fault_free(u64 a, u64 size)
{
	extern char _start[];
	u64 image = (u64)(uintptr_t)_start;

	return !plat_addr_described(a, size) && !(image >= a && image < a + size);
}

/*
 * A size-aligned block in [from, to) that nothing describes, searched from `from` upwards
 * (down: from the top of the range downwards). 0 if there is none.
 */
static u64 fault_free_block(u64 from, u64 to, u64 size, bool down)
{
	u64 n = (to - from) / size, i;

	for (i = 0; i < n; i++) {
		u64 a = down ? to - (i + 1) * size : from + i * size;

		if (fault_free(a, size))
			return a;
	}
	return 0;
}

/* Loads 32 bits from `addr` expecting the injected abort; checks ESR, FAR = addr, ELR. */
#define EXPECT_LOAD_SEA(what, addr)                                                                \
	do {                                                                                       \
		struct exc_record rec_;                                                            \
		exc_expect_begin();                                                                \
		probe_read32(addr);                                                                \
		rec_ = exc_expect_end();                                                           \
		ASSERT_FAULT(what, rec_, FAULT_ESR_DABT, (addr),                                   \
		             (u64)(uintptr_t)probe_read32_insn);                                   \
	} while (0)

/*
 * Proves a store to an IPA in a 1 GiB block nothing maps (a level 1 miss) gets the SEA with WnR
 * clear: ESR 0x96000010, FAR = the address with its low bits, ELR = the store (section 8).
 */
TEST(fault, unmapped_store_l1)
{
	u64 block = fault_free_block(SZ_1G, FAULT_IDENT_END, SZ_1G, true), addr;
	struct exc_record rec;

	if (block == 0) {
		test_error("no 1 GiB block below 4 GiB that the device tree leaves undescribed");
		return;
	}
	addr = block + 0x2a5f37f4;
	exc_expect_begin();
	probe_write32(addr, 0x5a5a5a5a);
	rec = exc_expect_end();
	ASSERT_FAULT("store", rec, FAULT_ESR_DABT, addr, (u64)(uintptr_t)probe_write32_insn);
	EXPECT_LOAD_SEA("load after the store", addr);
}

/*
 * Proves a load from a 2 MiB block beside the console's, in the same 1 GiB (a level 2 miss: the
 * level 1 entry holds a table for the console page), gets the SEA with the exact ESR and FAR
 * (section 8).
 */
TEST(fault, unmapped_load_l2)
{
	u64 gig = plat.uart & ~(SZ_1G - 1), uart_2m = plat.uart & ~(SZ_2M - 1), block;

	block = fault_free_block(uart_2m + SZ_2M, gig + SZ_1G, SZ_2M, false);
	if (block == 0)
		block = fault_free_block(gig, uart_2m, SZ_2M, true);
	if (block == 0) {
		test_error("no 2 MiB block beside the console at 0x%lx that nothing describes",
		           plat.uart);
		return;
	}
	EXPECT_LOAD_SEA("load", block + 0x1357f4);
	EXPECT_LOAD_SEA("load at the block's first byte", block);
}

/*
 * Proves a load from a page beside the console's, in the same 2 MiB (a level 3 miss: the console
 * page is mapped alone), gets the SEA; FAR keeps the page offset 0xffc exactly (section 8).
 */
TEST(fault, unmapped_load_l3)
{
	u64 uart_2m = plat.uart & ~(SZ_2M - 1), page;

	page = fault_free_block(plat.uart + SZ_4K, uart_2m + SZ_2M, SZ_4K, false);
	if (page == 0)
		page = fault_free_block(uart_2m, plat.uart, SZ_4K, true);
	if (page == 0) {
		test_error("no page in the console's 2 MiB block that nothing describes");
		return;
	}
	EXPECT_LOAD_SEA("load at +0xffc", page + 0xffc);
	EXPECT_LOAD_SEA("load at +0x0", page);
	ASSERT_TRUE("the console page itself still reads", probe_try_read32(plat.uart, &(u32){0}));
}

/*
 * Proves loads from IPAs at 512 GiB and (48-bit CPUs) 128 TiB, reached through the test window,
 * get the SEA with FAR = the window VA, not the IPA (a level 0 miss, or past the IPA size; section
 * 8). SKIP when the CPU's physical address range cannot reach 512 GiB.
 */
TEST(fault, unmapped_load_l0)
{
	static const u64 ipas[] = {(1ULL << 39) + 0x7f4, (1ULL << 47) + 0xabc};
	u64 parange = sysreg_read(id_aa64mmfr0_el1) & 0xf;
	unsigned i, n = parange >= 5 ? 2 : 1;
	struct exc_record rec[2];

	if (parange < 2)
		SKIP("ID_AA64MMFR0_EL1.PARange %lu: no IPA at 512 GiB", parange);
	for (i = 0; i < n; i++) {
		mmu_test_map_ipa(FAULT_PAGE, ipas[i], false);
		exc_expect_begin();
		probe_read32(mmu_test_va(FAULT_PAGE) + (ipas[i] & 0xfff));
		rec[i] = exc_expect_end();
	}
	mmu_test_reset();
	for (i = 0; i < n; i++)
		ASSERT_FAULT(i == 0 ? "load from IPA 2^39 + 0x7f4" : "load from IPA 2^47 + 0xabc",
		             rec[i], FAULT_ESR_DABT, mmu_test_va(FAULT_PAGE) + (ipas[i] & 0xfff),
		             (u64)(uintptr_t)probe_read32_insn);
}

/*
 * Proves an instruction fetch from an unmapped IPA (reached through the test window) gets an
 * instruction abort SEA: ESR 0x86000010, FAR = ELR = the fetched VA (section 8).
 */
TEST(fault, unmapped_fetch)
{
	u64 block = fault_free_block(SZ_1G, FAULT_IDENT_END, SZ_1G, true), va;
	struct exc_record rec;

	if (block == 0) {
		test_error("no 1 GiB block below 4 GiB that the device tree leaves undescribed");
		return;
	}
	va = fault_exec_setup(FAULT_PAGE, block + 0x5000);
	exc_expect_begin();
	fault_exec(va);
	rec = exc_expect_end();
	mmu_test_reset();
	ASSERT_FAULT("fetch", rec, FAULT_ESR_IABT, va, va);
}

/*
 * Proves an instruction fetch from the console UART's page (a device the VM may read and write,
 * never execute: execute-never at stage 2), reached through the test window with stage 1 allowing
 * execution, gets the instruction abort SEA with FAR = ELR = the VA (section 8 permission faults).
 */
TEST(fault, xn_fetch_device)
{
	u64 va = fault_exec_setup(FAULT_PAGE, plat.uart);
	struct exc_record rec;

	exc_expect_begin();
	fault_exec(va);
	rec = exc_expect_end();
	mmu_test_reset();
	ASSERT_FAULT("fetch from the UART page", rec, FAULT_ESR_IABT, va, va);
	ASSERT_TRUE("the UART still reads", probe_try_read32(plat.uart, &(u32){0}));
}

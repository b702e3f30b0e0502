/*
 * Stage-1 MMU for the guest: a level-1 table of 1 GiB identity blocks over 4 GiB, plus a window of
 * 4 KiB pages at MMU_TEST_VA (above the identity map) that tests remap to probe buffer handling.
 */
#include <humpy/arch.h>
#include <humpy/mmu.h>
#include <humpy/setup.h>

#define MMU_VA_BITS 39 /* level-1 start; only 0..4 GiB and the test window are mapped */

#define MMU_L1_BLOCK   (1ULL << 30)
#define MMU_L1_ENTRIES (MMU_IDENT_LIMIT >> 30)

#define MAIR_DEVICE_NGNRNE 0x00ULL
#define MAIR_NORMAL_WB     0xffULL
#define ATTR_DEVICE        0
#define ATTR_NORMAL        1

#define PTE_BLOCK    (1ULL << 0)
#define PTE_TABLE    (3ULL << 0) /* levels 1-2: next-level table; level 3: page */
#define PTE_AP_RO    (2ULL << 6)
#define PTE_ATTR(i)  ((u64)(i) << 2)
#define PTE_SH_INNER (3ULL << 8)
#define PTE_AF       (1ULL << 10)
#define PTE_PXN      (1ULL << 53)
#define PTE_UXN      (1ULL << 54)

#define TCR_T0SZ(bits) ((u64)(64 - (bits)))
#define TCR_IRGN0_WBWA (1ULL << 8)
#define TCR_ORGN0_WBWA (1ULL << 10)
#define TCR_SH0_INNER  (3ULL << 12)
#define TCR_TG0_4K     (0ULL << 14)
#define TCR_EPD1       (1ULL << 23)
#define TCR_IPS_SHIFT  32

#define SCTLR_M   (1ULL << 0)
#define SCTLR_A   (1ULL << 1)
#define SCTLR_C   (1ULL << 2)
#define SCTLR_I   (1ULL << 12)
#define SCTLR_WXN (1ULL << 19)

#define PAR_F       (1ULL << 0)
#define PAR_PA_MASK 0x0000fffffffff000ULL

static u64 mmu_l1[512] __attribute__((aligned(4096)));
static u64 mmu_test_l2[512] __attribute__((aligned(4096)));
static u64 mmu_test_l3[512] __attribute__((aligned(4096)));
/* What the test window's pages map by default (RW); tests remap them one by one. */
static u8 mmu_test_backing_pages[MMU_TEST_PAGES][MMU_PAGE] __attribute__((aligned(4096)));

extern char _start[], __data_start[], _end[];

static bool mmu_block_has_ram(const struct plat *p, u64 base)
{
	unsigned i;

	for (i = 0; i < p->n_ram; i++) {
		if (p->ram_base[i] < base + MMU_L1_BLOCK && base < p->ram_base[i] + p->ram_size[i])
			return true;
	}
	return false;
}

/* Drops stale cache lines over memory written with the MMU off, before caches see it. */
static void mmu_invalidate_range(u64 start, u64 end)
{
	u64 line = 4ULL << ((sysreg_read(ctr_el0) >> 16) & 0xf);

	for (start &= ~(line - 1); start < end; start += line)
		__asm__ volatile("dc ivac, %0" ::"r"(start) : "memory");
	dsb(sy);
}

static u64 mmu_test_pte(unsigned page, unsigned backing, enum mmu_test_map how)
{
	u64 pa = (u64)(uintptr_t)mmu_test_backing_pages[backing];

	(void)page;
	switch (how) {
	case MMU_TEST_RW:
		return pa | PTE_TABLE | PTE_AF | PTE_SH_INNER | PTE_ATTR(ATTR_NORMAL) | PTE_UXN;
	case MMU_TEST_RO:
		return pa | PTE_TABLE | PTE_AF | PTE_SH_INNER | PTE_ATTR(ATTR_NORMAL) | PTE_AP_RO |
		       PTE_UXN;
	case MMU_TEST_DEVICE:
		return pa | PTE_TABLE | PTE_AF | PTE_ATTR(ATTR_DEVICE) | PTE_PXN | PTE_UXN;
	case MMU_TEST_UNMAPPED:
	default:
		return 0;
	}
}

u64 mmu_test_va(unsigned page)
{
	return MMU_TEST_VA + (u64)page * MMU_PAGE;
}

u8 *mmu_test_backing(unsigned page)
{
	return mmu_test_backing_pages[page];
}

/* Break before make: the old entry is gone from every TLB before the new one is seen. */
static void mmu_test_set(unsigned page, u64 pte)
{
	mmu_test_l3[page] = 0;
	dsb(ishst);
	__asm__ volatile("tlbi vaae1is, %0" ::"r"(mmu_test_va(page) >> 12) : "memory");
	dsb(ish);
	mmu_test_l3[page] = pte;
	dsb(ishst);
	isb();
}

void mmu_test_map(unsigned page, unsigned backing, enum mmu_test_map how)
{
	if (page >= MMU_TEST_PAGES || backing >= MMU_TEST_PAGES)
		return;
	mmu_test_set(page, mmu_test_pte(page, backing, how));
}

void mmu_test_map_ipa(unsigned page, u64 ipa, bool exec)
{
	if (page >= MMU_TEST_PAGES)
		return;
	mmu_test_set(page, (ipa & MMU_TEST_IPA_MASK & ~(MMU_PAGE - 1)) | PTE_TABLE | PTE_AF |
	                       PTE_SH_INNER | PTE_ATTR(ATTR_NORMAL) | PTE_UXN |
	                       (exec ? 0 : PTE_PXN));
}

void mmu_test_reset(void)
{
	unsigned i;

	for (i = 0; i < MMU_TEST_PAGES; i++)
		mmu_test_map(i, i, MMU_TEST_RW);
}

/* Where stage 1 now sends va (AT S1E1R), or ~0 if the walk faults. */
static u64 mmu_translate(u64 va)
{
	u64 par;

	__asm__ volatile("at s1e1r, %0" ::"r"(va) : "memory");
	isb();
	par = sysreg_read(par_el1);
	return (par & PAR_F) ? ~0ULL : (par & PAR_PA_MASK) | (va & 0xfff);
}

/* The MMU is on and the image and its stack translate to themselves, else a SETUP_ERROR. */
static void mmu_check(void)
{
	u64 image = (u64)(uintptr_t)_start, last = (u64)(uintptr_t)_end - 8, pa;

	if (!(sysreg_read(sctlr_el1) & SCTLR_M)) {
		setup_error("mmu", "SCTLR_EL1.M reads 0 after enabling the MMU");
		return;
	}
	if ((pa = mmu_translate(image)) != image)
		setup_error("mmu", "the image at 0x%lx translates to 0x%lx", image, pa);
	else if ((pa = mmu_translate(last)) != last)
		setup_error("mmu", "the image's end 0x%lx translates to 0x%lx", last, pa);
}

void mmu_enable(const struct plat *p)
{
	u64 parange = sysreg_read(id_aa64mmfr0_el1) & 0xf;
	u64 sctlr;
	unsigned i;

	for (i = 0; i < MMU_L1_ENTRIES; i++) {
		u64 base = (u64)i * MMU_L1_BLOCK;

		/* The image's own block is always Normal: it must stay executable. */
		if (mmu_block_has_ram(p, base) ||
		    base == ((u64)(uintptr_t)_start & ~(MMU_L1_BLOCK - 1)))
			mmu_l1[i] =
			    base | PTE_BLOCK | PTE_AF | PTE_SH_INNER | PTE_ATTR(ATTR_NORMAL);
		else
			mmu_l1[i] =
			    base | PTE_BLOCK | PTE_AF | PTE_ATTR(ATTR_DEVICE) | PTE_PXN | PTE_UXN;
	}
	mmu_l1[MMU_TEST_VA >> 30] = (u64)(uintptr_t)mmu_test_l2 | PTE_TABLE;
	mmu_test_l2[0] = (u64)(uintptr_t)mmu_test_l3 | PTE_TABLE;
	for (i = 0; i < MMU_TEST_PAGES; i++)
		mmu_test_l3[i] = mmu_test_pte(i, i, MMU_TEST_RW);
	if (parange > 5)
		parange = 5; /* 48 bits: 52-bit output needs more than this table uses */
	sysreg_write(mair_el1, (MAIR_DEVICE_NGNRNE << (8 * ATTR_DEVICE)) |
	                           (MAIR_NORMAL_WB << (8 * ATTR_NORMAL)));
	sysreg_write(tcr_el1, TCR_T0SZ(MMU_VA_BITS) | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA |
	                          TCR_SH0_INNER | TCR_TG0_4K | TCR_EPD1 |
	                          (parange << TCR_IPS_SHIFT));
	sysreg_write(ttbr0_el1, (u64)(uintptr_t)mmu_l1);
	mmu_invalidate_range((u64)(uintptr_t)__data_start, (u64)(uintptr_t)_end);
	__asm__ volatile("tlbi vmalle1\n\tic iallu" ::: "memory");
	dsb(nsh);
	isb();
	sctlr = sysreg_read(sctlr_el1);
	sctlr |= SCTLR_M | SCTLR_C | SCTLR_I;
	sctlr &= ~(SCTLR_A | SCTLR_WXN);
	sysreg_write(sctlr_el1, sctlr);
	isb();
	if (!mmu_block_has_ram(p, (u64)(uintptr_t)_start))
		setup_error("mmu",
		            "the image at 0x%lx is outside the RAM the device tree describes",
		            (u64)(uintptr_t)_start);
	mmu_check();
}

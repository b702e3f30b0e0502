/* The guest's own identity-mapped stage-1 translation. */
#ifndef HUMPY_MMU_H
#define HUMPY_MMU_H

#include <humpy/plat.h>

/*
 * Maps the low 4 GiB 1:1 in 1 GiB blocks: blocks holding RAM as Normal write-back (so the
 * hypervisor and the guest see memory with the same cacheable attributes), everything else as
 * Device-nGnRnE (never speculatively accessed, so probing an unmapped IPA faults only when a
 * test means it to). Then turns on the MMU and caches.
 */
void mmu_enable(const struct plat *p);

/*
 * The test window: MMU_TEST_PAGES 4 KiB pages of VA at MMU_TEST_VA (outside the identity map) whose
 * stage-1 mappings tests change, to hand the hypervisor buffers that are unmapped, read-only,
 * Device or straddle a page boundary. Page i maps backing page i (Normal, RW) by default.
 */
#define MMU_PAGE        4096ULL
#define MMU_IDENT_LIMIT (1ULL << 32) /* VA = IPA below this */
#define MMU_TEST_VA     (1ULL << 36)
#define MMU_TEST_PAGES  8

enum mmu_test_map { MMU_TEST_RW, MMU_TEST_RO, MMU_TEST_DEVICE, MMU_TEST_UNMAPPED };

u64 mmu_test_va(unsigned page);
/* The identity-mapped address of backing page `page` (to check what the hypervisor wrote). */
u8 *mmu_test_backing(unsigned page);
/* Maps window page `page` to backing page `backing` as `how`, and invalidates its TLB entries. */
void mmu_test_map(unsigned page, unsigned backing, enum mmu_test_map how);
/*
 * Maps window page `page` to any IPA below 2^48 as Normal write-back memory, executable at EL1 when
 * `exec` (stage-2 fault tests: the IPA may be unmapped, read-only or execute-never at stage 2, and
 * the fault's FAR is then the window VA, not the IPA). mmu_test_reset undoes it.
 */
#define MMU_TEST_IPA_MASK ((1ULL << 48) - 1)
void mmu_test_map_ipa(unsigned page, u64 ipa, bool exec);
/* Every window page back to its default mapping. */
void mmu_test_reset(void);

#endif

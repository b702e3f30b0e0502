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

#endif

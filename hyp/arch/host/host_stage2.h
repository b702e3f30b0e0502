/* host_stage2: the host stand-in's Stage-2 (arch_stage2.h) as a table of mapped pages, and what
 * tests read of it: translations and how many TLB invalidations each change made. */
#ifndef HOST_STAGE2_H
#define HOST_STAGE2_H

#include "arch_stage2.h"

/* Pages the stand-in holds over all address spaces: NOMEM past it. */
#define HOST_STAGE2_PAGES 8192U

/* Forgets every page (each test starts with none). */
void host_stage2_reset(void);
/* The page mapped at @ipa under @root: true and *pa, *perm, or false. */
bool host_stage2_translate(const uint64_t *root, uint64_t ipa, uint64_t *pa,
                           struct arch_s2_perm *perm);
/* Pages mapped under @root; pages mapped in total. */
unsigned host_stage2_count(const uint64_t *root);
/* Every page the stand-in holds lies in a slot below host_stage2_top() (the fuzzer's oracle walks
 * them); slot @i in use: true with its table root, IPA, PA and permissions. */
unsigned host_stage2_top(void);
bool host_stage2_slot(unsigned i, const uint64_t **root, uint64_t *ipa, uint64_t *pa,
                      struct arch_s2_perm *perm);
/* Pages arch_phys_page_op was asked to zero, clean or flush since the reset (the host never touches
 * them). */
uint64_t host_stage2_phys_ops(enum arch_phys_op op);
/* Pages whose TLB entries were invalidated for @vmid since the reset. */
uint64_t host_stage2_tlbi_pages(uint16_t vmid);

#endif

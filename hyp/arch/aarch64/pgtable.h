/* pgtable: 4 KiB-granule translation tables, shared by the EL2 stage-1 and the VMs' stage-2. */
#ifndef PGTABLE_H
#define PGTABLE_H

#include "pte.h"

struct pgtable {
	uint64_t *root;
	unsigned start_level;
	unsigned va_bits;
};

/* Supported address sizes: ID_AA64MMFR0_EL1.PARange clamped to what a 4 KiB granule reaches. */
unsigned pgtable_pa_bits(void);
unsigned pgtable_pa_range_field(void);
/* The IPA size of a Stage-2 table: a 4 KiB-granule Stage-2 walk may start at level 0 only when
 * the PA size is at least 44 bits (Arm ARM, VTCR_EL2.SL0); below that (a Cortex-A53's 40 bits)
 * IPAs take at most 39 bits and the walk starts at level 1 (no concatenated tables). */
unsigned pgtable_stage2_ipa_bits(void);

void pgtable_init(struct pgtable *pt, unsigned va_bits);

/* Maps [va, va+size) to pa with the largest blocks alignment allows (pte_map). Boot-time only:
 * panics on overlap or exhaustion, which would be the hypervisor's own bug. */
void pgtable_map(struct pgtable *pt, uint64_t va, paddr_t pa, uint64_t size, uint64_t attrs);

/* T0SZ and starting-level fields shared by TCR_EL2 and VTCR_EL2. */
uint64_t pgtable_tcr_t0sz(const struct pgtable *pt);

#endif

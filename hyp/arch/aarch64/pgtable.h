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

void pgtable_init(struct pgtable *pt, unsigned va_bits);

/* Maps [va, va+size) to pa with the largest blocks alignment allows (pte_map). Boot-time only:
 * panics on overlap or exhaustion, which would be the hypervisor's own bug. */
void pgtable_map(struct pgtable *pt, uint64_t va, paddr_t pa, uint64_t size, uint64_t attrs);

/* T0SZ and starting-level fields shared by TCR_EL2 and VTCR_EL2. */
uint64_t pgtable_tcr_t0sz(const struct pgtable *pt);

#endif

/* pgtable: 4 KiB-granule translation tables, shared by the EL2 stage-1 and the VMs' stage-2. */
#ifndef PGTABLE_H
#define PGTABLE_H

#include "util.h"

/* Leaf attributes common to both stages. */
#define PTE_AF    BIT(10)
#define PTE_SH_IS (3ull << 8)
#define PTE_XN    BIT(54)

/* EL2 stage-1: MAIR_EL2 index 0 device nGnRE, index 1 normal write-back. */
#define S1_ATTR_DEVICE (0ull << 2)
#define S1_ATTR_NORMAL (1ull << 2)
#define S1_AP_RO       BIT(7)
#define S1_AP_RES1     BIT(6)
#define MAIR_EL2_VALUE 0xFF04ull

/* Stage-2: MemAttr[3:0] and S2AP. */
#define S2_MEMATTR_DEVICE (0x1ull << 2)
#define S2_MEMATTR_NORMAL (0xFull << 2)
#define S2_AP_RW          (3ull << 6)

struct pgtable {
	uint64_t *root;
	unsigned start_level;
	unsigned va_bits;
};

/* Supported address sizes: ID_AA64MMFR0_EL1.PARange clamped to what a 4 KiB granule reaches. */
unsigned pgtable_pa_bits(void);
unsigned pgtable_pa_range_field(void);

void pgtable_init(struct pgtable *pt, unsigned va_bits);

/* Maps [va, va+size) to pa with the largest blocks alignment allows. Boot-time only: panics on
 * overlap or exhaustion, which would be the hypervisor's own bug. */
void pgtable_map(struct pgtable *pt, uint64_t va, paddr_t pa, uint64_t size, uint64_t attrs);

/* T0SZ and starting-level fields shared by TCR_EL2 and VTCR_EL2. */
uint64_t pgtable_tcr_t0sz(const struct pgtable *pt);

#endif

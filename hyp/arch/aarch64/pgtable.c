/* pgtable: the hypervisor's translation tables from a static pool (all mapping happens at boot);
 * descriptors and the walk are pte.c's. */
#include "log.h"
#include "pgtable.h"
#include "sysreg.h"

#define PGTABLE_POOL_PAGES 32

static uint64_t pgtable_pool[PGTABLE_POOL_PAGES][512] __attribute__((aligned(4096)));
static unsigned pgtable_pool_used;

static uint64_t *pgtable_alloc(void *ctx)
{
	(void)ctx;
	if (pgtable_pool_used >= PGTABLE_POOL_PAGES)
		return NULL;
	uint64_t *t = pgtable_pool[pgtable_pool_used++];
	memset(t, 0, 4096);
	return t;
}

unsigned pgtable_pa_range_field(void)
{
	return pte_parange_field(read_sysreg(id_aa64mmfr0_el1));
}

unsigned pgtable_pa_bits(void)
{
	return pte_pa_bits(pgtable_pa_range_field());
}

unsigned pgtable_stage2_ipa_bits(void)
{
	unsigned pa = pgtable_pa_bits();

	return pa < 44 && pa > 39 ? 39 : pa;
}

void pgtable_init(struct pgtable *pt, unsigned va_bits)
{
	if (va_bits < 32 || va_bits > 48)
		panic("unsupported address size %u", va_bits);
	pt->va_bits = va_bits;
	pt->start_level = pte_start_level(va_bits);
	pt->root = pgtable_alloc(NULL);
	if (pt->root == NULL)
		panic("page-table pool exhausted");
}

uint64_t pgtable_tcr_t0sz(const struct pgtable *pt)
{
	return 64 - pt->va_bits;
}

void pgtable_map(struct pgtable *pt, uint64_t va, paddr_t pa, uint64_t size, uint64_t attrs)
{
	struct pte_map_result r =
	    pte_map(pt->root, pt->va_bits, va, pa, size, attrs, pgtable_alloc, NULL);

	switch (r.error) {
	case PTE_MAP_OK:
		break;
	case PTE_MAP_BAD_ARGS:
		panic("bad mapping 0x%lx -> 0x%lx size 0x%lx attrs 0x%lx", va, pa, size, attrs);
	case PTE_MAP_NOMEM:
		panic("page-table pool exhausted");
	case PTE_MAP_EXISTS:
		panic("mapping 0x%lx twice", r.va);
	case PTE_MAP_IN_BLOCK:
		panic("mapping 0x%lx inside a block", r.va);
	}
	dsb(ishst);
}

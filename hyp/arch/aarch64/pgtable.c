/* pgtable: builds 4 KiB-granule tables from a static pool (all mapping happens at boot). */
#include "log.h"
#include "pgtable.h"
#include "sysreg.h"

#define PGTABLE_POOL_PAGES 32
#define PTE_TYPE_BLOCK     1ull
#define PTE_TYPE_TABLE     3ull
#define PTE_TYPE_PAGE      3ull
#define PTE_ADDR_MASK      0x0000FFFFFFFFF000ull

static uint64_t pgtable_pool[PGTABLE_POOL_PAGES][512] __attribute__((aligned(4096)));
static unsigned pgtable_pool_used;

static uint64_t *pgtable_alloc(void)
{
	if (pgtable_pool_used >= PGTABLE_POOL_PAGES)
		panic("page-table pool exhausted");
	uint64_t *t = pgtable_pool[pgtable_pool_used++];
	memset(t, 0, 4096);
	return t;
}

unsigned pgtable_pa_range_field(void)
{
	unsigned parange = read_sysreg(id_aa64mmfr0_el1) & 0xF;

	return parange > 5 ? 5 : parange; /* 52-bit needs LPA2 with 4 KiB pages: use 48 */
}

unsigned pgtable_pa_bits(void)
{
	static const unsigned bits[] = {32, 36, 40, 42, 44, 48};

	return bits[pgtable_pa_range_field()];
}

void pgtable_init(struct pgtable *pt, unsigned va_bits)
{
	if (va_bits < 32 || va_bits > 48)
		panic("unsupported address size %u", va_bits);
	pt->va_bits = va_bits;
	pt->start_level = va_bits > 39 ? 0 : 1;
	pt->root = pgtable_alloc();
}

uint64_t pgtable_tcr_t0sz(const struct pgtable *pt)
{
	return 64 - pt->va_bits;
}

static unsigned pgtable_shift(unsigned level)
{
	return 12 + 9 * (3 - level);
}

void pgtable_map(struct pgtable *pt, uint64_t va, paddr_t pa, uint64_t size, uint64_t attrs)
{
	if (!IS_ALIGNED(va | pa | size, 4096) || size == 0 ||
	    !range_within(va, size, 0, 1ull << pt->va_bits))
		panic("bad mapping 0x%lx -> 0x%lx size 0x%lx", va, pa, size);
	while (size > 0) {
		uint64_t *table = pt->root;
		for (unsigned level = pt->start_level;; level++) {
			unsigned shift = pgtable_shift(level);
			uint64_t block = 1ull << shift;
			uint64_t *pte = &table[(va >> shift) & 511];
			bool leaf_ok = level == 3 ||
			               (level >= 1 && IS_ALIGNED(va | pa, block) && size >= block);
			if (leaf_ok) {
				if (*pte != 0)
					panic("mapping 0x%lx twice", va);
				*pte = (pa & PTE_ADDR_MASK) | attrs | PTE_AF |
				       (level == 3 ? PTE_TYPE_PAGE : PTE_TYPE_BLOCK);
				va += block;
				pa += block;
				size -= block;
				break;
			}
			if (*pte == 0)
				*pte = (uint64_t)(uintptr_t)pgtable_alloc() | PTE_TYPE_TABLE;
			else if ((*pte & 3) != PTE_TYPE_TABLE)
				panic("mapping 0x%lx inside a block", va);
			table = (uint64_t *)(uintptr_t)(*pte & PTE_ADDR_MASK);
		}
	}
	dsb(ishst);
}

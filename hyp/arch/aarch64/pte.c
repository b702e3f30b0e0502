/* pte: encodes and decodes 4 KiB-granule descriptors and walks tables to map a range. Pure: the
 * caller supplies the tables' memory and decides what an error means. */
#include "pte.h"

#define PTE_ENTRIES 512

uint64_t pte_s1_attrs(struct pte_perm p)
{
	uint64_t a = S1_AP_RES1; /* AP[1]: RES1 in EL2's single-range stage 1 */

	if (p.mem == PTE_MEM_NORMAL)
		a |= S1_ATTR_NORMAL | PTE_SH_IS;
	else
		a |= S1_ATTR_DEVICE;
	if (!p.write)
		a |= S1_AP_RO;
	if (!p.exec)
		a |= PTE_XN;
	return a;
}

uint64_t pte_s2_as_attrs(unsigned memtype, bool read, bool write, bool exec)
{
	uint64_t a = ((uint64_t)(memtype & 0xFU) << 2) | PTE_SH_IS;

	a |= read ? S2_AP_R : 0;
	a |= write ? S2_AP_W : 0;
	return exec ? a : a | PTE_XN;
}

uint64_t pte_s2_attrs(struct pte_perm p)
{
	uint64_t a = p.write ? S2_AP_RW : S2_AP_R;

	if (p.mem == PTE_MEM_NORMAL)
		a |= S2_MEMATTR_NORMAL | PTE_SH_IS;
	else
		a |= S2_MEMATTR_DEVICE;
	if (!p.exec)
		a |= PTE_XN;
	return a;
}

struct pte_perm pte_s1_perm(uint64_t attrs)
{
	struct pte_perm p = {
	    .mem = (attrs & S1_ATTR_MASK) == S1_ATTR_NORMAL ? PTE_MEM_NORMAL : PTE_MEM_DEVICE,
	    .write = (attrs & S1_AP_RO) == 0,
	    .exec = (attrs & PTE_XN) == 0,
	};

	return p;
}

struct pte_perm pte_s2_perm(uint64_t attrs)
{
	struct pte_perm p = {
	    .mem = (attrs & S2_MEMATTR_MASK) == S2_MEMATTR_NORMAL ? PTE_MEM_NORMAL : PTE_MEM_DEVICE,
	    .write = (attrs & S2_AP_MASK) == S2_AP_RW,
	    .exec = (attrs & PTE_XN) == 0,
	};

	return p;
}

unsigned pte_level_shift(unsigned level)
{
	return 12 + 9 * (3 - (level & 3));
}

unsigned pte_index(uint64_t va, unsigned level)
{
	return (unsigned)(va >> pte_level_shift(level)) & (PTE_ENTRIES - 1);
}

unsigned pte_start_level(unsigned va_bits)
{
	return va_bits > 39 ? 0 : 1;
}

unsigned pte_parange_field(uint64_t id_aa64mmfr0)
{
	unsigned parange = (unsigned)(id_aa64mmfr0 & 0xF);

	return parange > 5 ? 5 : parange;
}

unsigned pte_pa_bits(unsigned parange_field)
{
	static const unsigned bits[] = {32, 36, 40, 42, 44, 48};

	return bits[parange_field > 5 ? 5 : parange_field];
}

uint64_t pte_leaf(paddr_t pa, uint64_t attrs, unsigned level)
{
	if (level < 1 || level > 3 || !IS_ALIGNED(pa, 1ull << pte_level_shift(level)) ||
	    (pa & ~PTE_ADDR_MASK) != 0 || (attrs & ~PTE_LEAF_ATTRS) != 0)
		return 0;
	return pa | attrs | PTE_AF | (level == 3 ? PTE_TYPE_PAGE : PTE_TYPE_BLOCK);
}

uint64_t pte_table(paddr_t next)
{
	if ((next & ~PTE_ADDR_MASK) != 0)
		return 0;
	return next | PTE_TYPE_TABLE;
}

struct pte_desc pte_decode(uint64_t pte, unsigned level)
{
	struct pte_desc d = {.kind = PTE_KIND_INVALID, .addr = 0, .attrs = 0};
	uint64_t type = pte & PTE_TYPE_MASK;

	if ((pte & 1) == 0 || level > 3)
		return d;
	if (type == PTE_TYPE_TABLE && level < 3) {
		d.kind = PTE_KIND_TABLE;
		d.addr = pte & PTE_ADDR_MASK;
		return d;
	}
	/* A block at level 0, or a block-type entry at level 3, is reserved with 4 KiB pages. */
	if ((type == PTE_TYPE_BLOCK && (level == 0 || level == 3))) {
		d.kind = PTE_KIND_BAD;
		return d;
	}
	d.kind = level == 3 ? PTE_KIND_PAGE : PTE_KIND_BLOCK;
	d.addr = pte & PTE_ADDR_MASK & ~((1ull << pte_level_shift(level)) - 1);
	d.attrs = pte & ~(PTE_ADDR_MASK | PTE_TYPE_MASK);
	return d;
}

struct pte_map_result pte_map(uint64_t *root, unsigned va_bits, uint64_t va, paddr_t pa,
                              uint64_t size, uint64_t attrs, pte_alloc_fn alloc, void *ctx)
{
	struct pte_map_result r = {.error = PTE_MAP_OK, .va = va};

	if (!IS_ALIGNED(va | pa | size, 4096) || size == 0 || va_bits > 48 ||
	    !range_within(va, size, 0, 1ull << va_bits) || !range_within(pa, size, 0, 1ull << 48) ||
	    (attrs & ~PTE_LEAF_ATTRS) != 0) {
		r.error = PTE_MAP_BAD_ARGS;
		return r;
	}
	while (size > 0) {
		uint64_t *table = root;
		for (unsigned level = pte_start_level(va_bits);; level++) {
			uint64_t block = 1ull << pte_level_shift(level);
			uint64_t *pte = &table[pte_index(va, level)];
			bool leaf_ok = level == 3 ||
			               (level >= 1 && IS_ALIGNED(va | pa, block) && size >= block);
			if (leaf_ok) {
				if (*pte != 0) {
					r.error = PTE_MAP_EXISTS;
					goto out;
				}
				*pte = pte_leaf(pa, attrs, level);
				va += block;
				pa += block;
				size -= block;
				break;
			}
			if (*pte == 0) {
				uint64_t *next = alloc(ctx);
				if (next == NULL) {
					r.error = PTE_MAP_NOMEM;
					goto out;
				}
				*pte = pte_table((paddr_t)(uintptr_t)next);
			} else if (pte_decode(*pte, level).kind != PTE_KIND_TABLE) {
				r.error = PTE_MAP_IN_BLOCK;
				goto out;
			}
			table = (uint64_t *)(uintptr_t)pte_decode(*pte, level).addr;
		}
	}
out:
	r.va = va;
	return r;
}

uint64_t *pte_page_slot(uint64_t *root, unsigned va_bits, uint64_t va)
{
	uint64_t *table = root;

	if (va_bits > 48 || !range_within(va, 1, 0, 1ull << va_bits))
		return NULL;
	for (unsigned level = pte_start_level(va_bits); level < 3; level++) {
		struct pte_desc d = pte_decode(table[pte_index(va, level)], level);

		if (d.kind != PTE_KIND_TABLE)
			return NULL;
		table = (uint64_t *)(uintptr_t)d.addr;
	}
	return &table[pte_index(va, 3)];
}

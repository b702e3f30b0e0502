/* pte: the descriptor encoders and the mapping walk of hyp/arch/aarch64/pte.c. Each input builds
 * one table (EL2 stage-1 or stage-2 attributes) from up to 16 map calls; a shadow list of what was
 * mapped is the oracle: every address translates to its own output address with the requested
 * permissions, unmapped ones do not translate, errors happen exactly on bad arguments or
 * overlaps, and every descriptor in the tables is well formed.
 * Input: va_bits byte, pool-size byte, then per call a mode byte (bit 0 stage-2, bits 1-3 device/
 * write/exec, bits 4-5 granule 4K/2M/1G/raw) and va, pa (4 bytes each, in granules), size (2
 * bytes, in granules), extra 4 KiB pages (1 byte), then probe addresses (8 bytes each) until the
 * input ends. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
#include "oracle.h"
#include "pte.h"

#define PTE_FUZZ_POOL  16
#define PTE_FUZZ_CALLS 16

struct pte_fuzz_pool {
	uint64_t (*pages)[512];
	unsigned used, limit;
};

struct pte_fuzz_map {
	uint64_t va, pa, size;
	struct pte_perm perm;
};

struct pte_fuzz_walk {
	bool valid;
	paddr_t pa;
	uint64_t attrs;
};

static uint64_t *pte_fuzz_alloc(void *ctx)
{
	struct pte_fuzz_pool *pool = ctx;

	if (pool->used >= pool->limit)
		return NULL;
	memset(pool->pages[pool->used], 0, 4096);
	return pool->pages[pool->used++];
}

/* The oracle's own walk: fixed shifts per level (39, 30, 21, 12), descriptors through pte_decode.
 */
static struct pte_fuzz_walk pte_fuzz_translate(const uint64_t *root, unsigned va_bits, uint64_t va)
{
	struct pte_fuzz_walk w = {.valid = false, .pa = 0, .attrs = 0};
	const uint64_t *table = root;

	for (unsigned level = va_bits > 39 ? 0 : 1; level < 4; level++) {
		unsigned shift = 39 - 9 * level;
		struct pte_desc d = pte_decode(table[(va >> shift) & 511], level);

		if (d.kind == PTE_KIND_TABLE) {
			table = (const uint64_t *)(uintptr_t)d.addr;
			continue;
		}
		if (d.kind == PTE_KIND_BLOCK || d.kind == PTE_KIND_PAGE) {
			w.valid = true;
			w.pa = d.addr | (va & ((1ull << shift) - 1));
			w.attrs = d.attrs;
		}
		break;
	}
	return w;
}

/* Every descriptor: tables point into the pool, leaves carry only defined bits and aligned
 * addresses, no block at level 0. */
static void pte_fuzz_check_table(const struct pte_fuzz_pool *pool, const uint64_t *table,
                                 unsigned level)
{
	for (unsigned i = 0; i < 512; i++) {
		uint64_t e = table[i];
		struct pte_desc d = pte_decode(e, level);
		unsigned shift = 39 - 9 * level;

		switch (d.kind) {
		case PTE_KIND_INVALID:
			if (e != 0)
				oracle_fail("pte-invalid-nonzero", "level %u entry 0x%llx", level,
				            (unsigned long long)e);
			break;
		case PTE_KIND_TABLE: {
			uintptr_t a = (uintptr_t)d.addr, base = (uintptr_t)pool->pages;
			if (a < base || a >= base + 4096ull * pool->used ||
			    (a - base) % 4096 != 0 || e != (d.addr | PTE_TYPE_TABLE))
				oracle_fail("pte-table", "level %u entry 0x%llx", level,
				            (unsigned long long)e);
			pte_fuzz_check_table(pool, (const uint64_t *)a, level + 1);
			break;
		}
		case PTE_KIND_BLOCK:
		case PTE_KIND_PAGE:
			if ((e & ~(PTE_ADDR_MASK | PTE_LEAF_ATTRS | PTE_TYPE_MASK)) != 0 ||
			    (e & PTE_AF) == 0 || (d.addr & ((1ull << shift) - 1)) != 0 ||
			    (e & PTE_ADDR_MASK & ((1ull << shift) - 1)) != 0)
				oracle_fail("pte-leaf-bits", "level %u leaf 0x%llx", level,
				            (unsigned long long)e);
			if (level == 0)
				oracle_fail("pte-level0-block", "0x%llx", (unsigned long long)e);
			break;
		case PTE_KIND_BAD:
			oracle_fail("pte-reserved-encoding", "level %u entry 0x%llx", level,
			            (unsigned long long)e);
		}
	}
}

static bool pte_fuzz_overlaps(const struct pte_fuzz_map *maps, unsigned n, uint64_t va,
                              uint64_t size)
{
	for (unsigned i = 0; i < n; i++) {
		if (size != 0 && va < maps[i].va + maps[i].size && maps[i].va < va + size)
			return true;
	}
	return false;
}

static bool pte_fuzz_perm_eq(struct pte_perm a, struct pte_perm b)
{
	return a.mem == b.mem && a.write == b.write && a.exec == b.exec;
}

static void pte_fuzz_check_addr(const uint64_t *root, unsigned va_bits, bool s2,
                                const struct pte_fuzz_map *m, uint64_t va)
{
	struct pte_fuzz_walk w = pte_fuzz_translate(root, va_bits, va);
	struct pte_perm got;

	if (!w.valid || w.pa != m->pa + (va - m->va))
		oracle_fail("pte-translate", "va 0x%llx -> %s0x%llx, mapped to 0x%llx",
		            (unsigned long long)va, w.valid ? "" : "nothing ",
		            (unsigned long long)w.pa, (unsigned long long)(m->pa + (va - m->va)));
	if (w.pa < m->pa || w.pa - m->pa >= m->size)
		oracle_fail("pte-output-range", "va 0x%llx -> 0x%llx outside [0x%llx, +0x%llx)",
		            (unsigned long long)va, (unsigned long long)w.pa,
		            (unsigned long long)m->pa, (unsigned long long)m->size);
	got = s2 ? pte_s2_perm(w.attrs) : pte_s1_perm(w.attrs);
	if (!pte_fuzz_perm_eq(got, m->perm) ||
	    (w.attrs & ~PTE_AF) != (s2 ? pte_s2_attrs(m->perm) : pte_s1_attrs(m->perm)))
		oracle_fail("pte-attrs", "va 0x%llx attrs 0x%llx", (unsigned long long)va,
		            (unsigned long long)w.attrs);
}

static uint64_t pte_fuzz_addr(struct fuzz_input *in, unsigned granule)
{
	uint32_t a = (uint32_t)(fuzz_u8(in) | fuzz_u8(in) << 8 | fuzz_u8(in) << 16 |
	                        (uint32_t)fuzz_u8(in) << 24);

	return granule == 3 ? (uint64_t)a : (uint64_t)a << (12 + 9 * granule);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint64_t pages[PTE_FUZZ_POOL][512] __attribute__((aligned(4096)));
	struct fuzz_input in = {.data = data, .size = size, .pos = 0};
	unsigned va_bits = 32 + fuzz_u8(&in) % 17;
	struct pte_fuzz_pool pool = {.pages = pages, .used = 0, .limit = 2 + fuzz_u8(&in) % 15};
	struct pte_fuzz_map maps[PTE_FUZZ_CALLS];
	unsigned n = 0;
	bool s2 = false;
	uint64_t *root = pte_fuzz_alloc(&pool);

	for (unsigned call = 0; call < PTE_FUZZ_CALLS && fuzz_input_left(&in); call++) {
		uint8_t mode = fuzz_u8(&in);
		unsigned granule = (mode >> 4) & 3;
		struct pte_perm perm = {.mem = (mode & 2) ? PTE_MEM_DEVICE : PTE_MEM_NORMAL,
		                        .write = (mode & 4) != 0,
		                        .exec = (mode & 8) != 0};
		uint64_t va = pte_fuzz_addr(&in, granule);
		uint64_t pa = pte_fuzz_addr(&in, granule);
		uint64_t pages_n = fuzz_u8(&in) | (uint64_t)fuzz_u8(&in) << 8;
		uint64_t msize = (pages_n << (granule == 3 ? 0 : 12 + 9 * granule)) +
		                 ((uint64_t)fuzz_u8(&in) << 12);
		uint64_t attrs;
		bool bad, overlap;
		struct pte_map_result r;

		s2 = call == 0 ? (mode & 1) != 0 : s2; /* one table holds one stage's attributes */
		attrs = s2 ? pte_s2_attrs(perm) : pte_s1_attrs(perm);
		bad = ((va | pa | msize) & 0xFFF) != 0 || msize == 0 || va + msize < va ||
		      va + msize > 1ull << va_bits || pa + msize < pa || pa + msize > 1ull << 48;
		overlap = !bad && pte_fuzz_overlaps(maps, n, va, msize);
		r = pte_map(root, va_bits, va, pa, msize, attrs, pte_fuzz_alloc, &pool);
		if ((r.error == PTE_MAP_BAD_ARGS) != bad)
			oracle_fail("pte-map-args",
			            "va 0x%llx pa 0x%llx size 0x%llx bits %u: error %d",
			            (unsigned long long)va, (unsigned long long)pa,
			            (unsigned long long)msize, va_bits, r.error);
		if (bad) {
			if (r.va != va)
				oracle_fail("pte-map-args", "rejected call moved va");
			continue;
		}
		if ((r.error == PTE_MAP_EXISTS || r.error == PTE_MAP_IN_BLOCK) != overlap &&
		    r.error != PTE_MAP_NOMEM)
			oracle_fail("pte-map-overlap", "va 0x%llx size 0x%llx overlap %d: error %d",
			            (unsigned long long)va, (unsigned long long)msize, overlap,
			            r.error);
		if (r.va < va || r.va - va > msize || (r.va & 0xFFF) != 0 ||
		    (r.error == PTE_MAP_OK) != (r.va == va + msize) ||
		    pte_fuzz_overlaps(maps, n, va, r.va - va))
			oracle_fail("pte-map-progress",
			            "va 0x%llx size 0x%llx stopped at 0x%llx (%d)",
			            (unsigned long long)va, (unsigned long long)msize,
			            (unsigned long long)r.va, r.error);
		if (r.va != va)
			maps[n++] = (struct pte_fuzz_map){va, pa, r.va - va, perm};
		if (r.error == PTE_MAP_NOMEM)
			break; /* the hypervisor panics here; a half-built table is not reused */
	}
	pte_fuzz_check_table(&pool, root, va_bits > 39 ? 0 : 1);
	for (unsigned i = 0; i < n; i++) {
		const struct pte_fuzz_map *m = &maps[i];

		pte_fuzz_check_addr(root, va_bits, s2, m, m->va);
		pte_fuzz_check_addr(root, va_bits, s2, m, m->va + m->size - 1);
		pte_fuzz_check_addr(root, va_bits, s2, m,
		                    m->va + (m->size / 2 & ~0xFFFull) + 0x123);
	}
	while (fuzz_input_left(&in)) {
		uint64_t probe = fuzz_u64(&in) & ((1ull << va_bits) - 1);
		struct pte_fuzz_walk w = pte_fuzz_translate(root, va_bits, probe);
		bool mapped = false;

		for (unsigned i = 0; i < n; i++) {
			if (probe >= maps[i].va && probe - maps[i].va < maps[i].size) {
				pte_fuzz_check_addr(root, va_bits, s2, &maps[i], probe);
				mapped = true;
			}
		}
		if (!mapped && w.valid)
			oracle_fail("pte-unmapped-translates", "va 0x%llx -> 0x%llx",
			            (unsigned long long)probe, (unsigned long long)w.pa);
	}
	return 0;
}

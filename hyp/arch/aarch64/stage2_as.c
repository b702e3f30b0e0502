/* stage2_as: the Stage-2 tables of address spaces (arch_stage2.h): page-granular leaves written
 * break-before-make, TLBs invalidated by VMID before any change returns. */
#include "arch_stage2.h"
#include "pgtable.h"
#include "pte.h"
#include "sysreg.h"

/* Above this many pages one invalidation of the whole VMID is cheaper than one per page. */
#define S2_TLBI_PAGE_LIMIT 64U

uint32_t arch_stage2_vmid_limit(void)
{
	/* ID_AA64MMFR1_EL1.VMIDBits 2: 16-bit VMIDs (stage2.c sets VTCR_EL2.VS then). */
	return ((read_sysreg(id_aa64mmfr1_el1) >> 4) & 0xF) == 2 ? 65536U : 256U;
}

/* EL2 maps all RAM at its own address (mmu.c), so a page is reached at its PA. */
void arch_phys_page_op(enum arch_phys_op op, mem_pa_t pa)
{
	uint64_t line = 4ull << ((read_sysreg(ctr_el0) >> 16) & 0xF);

	if (op == ARCH_PHYS_ZERO)
		memset((void *)(uintptr_t)pa.bits, 0, 4096);
	for (uint64_t a = pa.bits; a < pa.bits + 4096; a += line) {
		if (op == ARCH_PHYS_CLEAN)
			__asm__ volatile("dc cvac, %0" : : "r"(a) : "memory");
		else
			__asm__ volatile("dc civac, %0" : : "r"(a) : "memory");
	}
	dsb(sy);
}

unsigned arch_stage2_ipa_bits(void)
{
	return pgtable_stage2_ipa_bits();
}

static uint64_t stage2_leaf_attrs(struct arch_s2_perm p)
{
	return pte_s2_as_attrs(p.memtype, p.read, p.write, p.exec);
}

/*
 * Invalidates what any CPU's TLBs hold of [ipa, ipa+size) for @vmid, stage-1 entries of that VMID
 * included (they may combine both stages). TLBI acts on the VMID in VTTBR_EL2, so the address
 * space's is loaded for the duration and the running VM's put back.
 */
static void stage2_tlbi(const uint64_t *root, uint16_t vmid, uint64_t ipa, uint64_t size)
{
	uint64_t saved = read_sysreg(vttbr_el2);

	write_sysreg(vttbr_el2, (uint64_t)vmid << 48 | (uint64_t)(uintptr_t)root);
	isb();
	dsb(ishst);
	if (size / 4096 > S2_TLBI_PAGE_LIMIT) {
		__asm__ volatile("tlbi vmalls12e1is" ::: "memory");
	} else {
		for (uint64_t off = 0; off < size; off += 4096)
			__asm__ volatile("tlbi ipas2e1is, %0" ::"r"((ipa + off) >> 12) : "memory");
		dsb(ish);
		__asm__ volatile("tlbi vmalle1is" ::: "memory");
	}
	dsb(ish);
	write_sysreg(vttbr_el2, saved);
	isb();
}

void arch_stage2_unmap(uint64_t *root, unsigned ipa_bits, uint16_t vmid, mem_ipa_t ipa,
                       uint64_t size)
{
	for (uint64_t off = 0; off < size; off += 4096) {
		uint64_t *slot = pte_page_slot(root, ipa_bits, ipa.bits + off);

		if (slot != NULL)
			*slot = 0;
	}
	stage2_tlbi(root, vmid, ipa.bits, size);
}

error_t arch_stage2_map(uint64_t *root, unsigned ipa_bits, uint16_t vmid, mem_ipa_t ipa,
                        mem_pa_t pa, uint64_t size, struct arch_s2_perm perm,
                        arch_s2_alloc_fn alloc, void *ctx)
{
	uint64_t attrs = stage2_leaf_attrs(perm);
	error_t err = OK;
	uint64_t off;

	/* Page by page, so unmap and update never have to split a block. */
	for (off = 0; off < size && err == OK; off += 4096) {
		struct pte_map_result r =
		    pte_map(root, ipa_bits, ipa.bits + off, pa.bits + off, 4096, attrs, alloc, ctx);

		if (r.error == PTE_MAP_EXISTS)
			err = ERROR_EXISTING_MAPPING;
		else if (r.error == PTE_MAP_NOMEM)
			err = ERROR_NOMEM;
		else if (r.error != PTE_MAP_OK)
			err = ERROR_ARGUMENT_INVALID;
	}
	if (err != OK) {
		/* The page that failed was not written: undo the ones before it. */
		arch_stage2_unmap(root, ipa_bits, vmid, ipa, off - 4096);
		return err;
	}
	dsb(ishst); /* the new entries are visible to walks before the call returns */
	return OK;
}

void arch_stage2_update(uint64_t *root, unsigned ipa_bits, uint16_t vmid, mem_ipa_t ipa,
                        uint64_t size, struct arch_s2_perm perm)
{
	uint64_t attrs = stage2_leaf_attrs(perm);

	/* Break: every entry invalid and no TLB holding it; make: the new entries. */
	for (uint64_t off = 0; off < size; off += 4096) {
		uint64_t *slot = pte_page_slot(root, ipa_bits, ipa.bits + off);

		if (slot != NULL && *slot != 0)
			*slot &= ~1ull; /* invalid, address kept for the make below */
	}
	stage2_tlbi(root, vmid, ipa.bits, size);
	for (uint64_t off = 0; off < size; off += 4096) {
		uint64_t *slot = pte_page_slot(root, ipa_bits, ipa.bits + off);

		if (slot != NULL && *slot != 0)
			*slot = pte_leaf(*slot & PTE_ADDR_MASK, attrs, 3);
	}
	dsb(ishst);
}

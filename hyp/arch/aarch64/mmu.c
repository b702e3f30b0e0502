/* mmu: the hypervisor's own EL2 stage-1 address space (identity map, W^X, stack guards). */
#include "arch.h"
#include "frame.h"
#include "machine.h"
#include "pgtable.h"
#include "sysreg.h"

extern char __hyp_start[], __text_end[], __rodata_end[], __stacks_start[], __stacks_end[],
    __hyp_end[];

#define TCR_EL2_RES1  (BIT(31) | BIT(23))
#define TCR_WBWA_IS   ((1ull << 8) | (1ull << 10) | (3ull << 12))
#define SCTLR_EL2_M   BIT(0)
#define SCTLR_EL2_C   BIT(2)
#define SCTLR_EL2_I   BIT(12)
#define SCTLR_EL2_WXN BIT(19)

static struct pgtable mmu_hyp_pt;

static uint64_t mmu_addr(const char *sym)
{
	return (uint64_t)(uintptr_t)sym;
}

/* dc ivac over [start, end): drops any line of it a cache still holds, dirty or not. */
static void mmu_dcache_inval_poc(uint64_t start, uint64_t end)
{
	uint64_t line = 4ull << ((read_sysreg(ctr_el0) >> 16) & 0xF);

	for (uint64_t a = ALIGN_DOWN(start, line); a < end; a += line)
		__asm__ volatile("dc ivac, %0" : : "r"(a) : "memory");
	dsb(sy);
}

static void mmu_map(uint64_t start, uint64_t end, uint64_t attrs)
{
	if (end > start)
		pgtable_map(&mmu_hyp_pt, start, start, end - start, attrs);
}

/* The devices the hypervisor drives, as whole pages; ranges that share a page (a GIC's frames,
 * a UART beside another device) are merged so no page is mapped twice. */
#define MMU_DEVICES 7

static void mmu_map_devices(const struct machine *m, uint64_t attrs)
{
	struct machine_range d[MMU_DEVICES] = {
	    machine_pages(m->uart), m->gicd, m->gicr, m->gicc, m->gich, m->gicv, m->gpio};
	unsigned n = MMU_DEVICES;

	for (unsigned i = 0; i < n; i++)
		d[i] = d[i].size != 0 ? machine_pages(d[i]) : d[i];
	/* Insertion sort by base (seven entries). */
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && d[j].base < d[j - 1].base; j--) {
			struct machine_range t = d[j];

			d[j] = d[j - 1];
			d[j - 1] = t;
		}
	uint64_t start = 0, end = 0;

	for (unsigned i = 0; i < n; i++) {
		if (d[i].size == 0)
			continue;
		if (end != start && d[i].base <= end) {
			end = d[i].base + d[i].size > end ? d[i].base + d[i].size : end;
			continue;
		}
		mmu_map(start, end, attrs);
		start = d[i].base;
		end = d[i].base + d[i].size;
	}
	mmu_map(start, end, attrs);
}

void arch_mmu_init(const struct machine *m)
{
	const struct pte_perm device = {.mem = PTE_MEM_DEVICE, .write = true, .exec = false};
	const struct pte_perm data = {.mem = PTE_MEM_NORMAL, .write = true, .exec = false};
	const struct pte_perm text = {.mem = PTE_MEM_NORMAL, .write = false, .exec = true};
	const struct pte_perm rodata = {.mem = PTE_MEM_NORMAL, .write = false, .exec = false};
	const uint64_t rw = pte_s1_attrs(data);

	pgtable_init(&mmu_hyp_pt, pgtable_pa_bits());
	mmu_map_devices(m, pte_s1_attrs(device));
	/* Every bank of RAM (hyp_main checked that one holds the image), the image's own pages
	 * W^X: RW data around it. */
	for (uint32_t b = 0; b < m->bank_count && b < MACHINE_MAX_BANKS; b++) {
		uint64_t base = ALIGN_UP(m->bank[b].base, 0x1000);
		uint64_t end = ALIGN_DOWN(m->bank[b].base + m->bank[b].size, 0x1000);

		if (mmu_addr(__hyp_start) >= base && mmu_addr(__hyp_start) < end) {
			mmu_map(base, mmu_addr(__hyp_start), rw);
			mmu_map(mmu_addr(__hyp_end), end, rw);
		} else {
			mmu_map(base, end, rw);
		}
	}
	mmu_map(mmu_addr(__hyp_start), mmu_addr(__text_end), pte_s1_attrs(text));
	mmu_map(mmu_addr(__text_end), mmu_addr(__rodata_end), pte_s1_attrs(rodata));
	mmu_map(mmu_addr(__rodata_end), mmu_addr(__stacks_start), rw);
	/* Each stack slot starts with a guard page left unmapped, so an overflow faults. */
	for (uint64_t s = mmu_addr(__stacks_start); s < mmu_addr(__stacks_end); s += STACK_SLOT)
		mmu_map(s + STACK_GUARD, s + STACK_SLOT, rw);
	mmu_map(mmu_addr(__stacks_end), mmu_addr(__hyp_end), rw);

	/*
	 * The tables (and every other write since boot.S's invalidation) went to memory with the
	 * MMU off, as Device accesses that look up no cache; the walker and the code will read them
	 * as Normal write-back memory. Drop whatever lines of the image a cache might still hold
	 * (none were allocated since, but a loader's may linger), so the first cacheable access
	 * sees memory.
	 */
	mmu_dcache_inval_poc(mmu_addr(__hyp_start), mmu_addr(__hyp_end));
	write_sysreg(mair_el2, MAIR_EL2_VALUE);
	write_sysreg(tcr_el2, TCR_EL2_RES1 | (uint64_t)pgtable_pa_range_field() << 16 |
	                          TCR_WBWA_IS | pgtable_tcr_t0sz(&mmu_hyp_pt));
	write_sysreg(ttbr0_el2, (uint64_t)(uintptr_t)mmu_hyp_pt.root);
	dsb(ish);
	/* TLBs come out of reset in an IMPLEMENTATION DEFINED state that may be UNKNOWN, and a
	 * loader may have run with other tables: drop this PE's EL2 entries and every EL1&0 entry
	 * of any VMID before the first translation (and the first Stage-2) uses them. Local: no
	 * other PE runs the hypervisor yet. */
	__asm__ volatile("tlbi alle2\n\ttlbi alle1" ::: "memory");
	dsb(ish);
	isb();
	write_sysreg(sctlr_el2, read_sysreg(sctlr_el2) | SCTLR_EL2_M | SCTLR_EL2_C | SCTLR_EL2_I |
	                            SCTLR_EL2_WXN);
	isb();
}

/*
 * Memory a VM reads with its MMU off (Device data accesses, no cache lookup): its images and DT.
 * Clean and invalidate to PoC, not just clean: no line of ours stays behind, so a VM that writes
 * there with its MMU off and reads back once its MMU and caches are on cannot hit our old copy.
 */
void arch_dcache_clean(paddr_t base, uint64_t size)
{
	uint64_t line = 4ull << ((read_sysreg(ctr_el0) >> 16) & 0xF);

	for (uint64_t a = ALIGN_DOWN(base, line); a < base + size; a += line)
		__asm__ volatile("dc civac, %0" : : "r"(a) : "memory");
	dsb(sy);
	/* The code may run on any CPU of the inner shareable domain (a vCPU moves): invalidate
	 * every CPU's instruction cache, not just this one's (ic iallu would be local). */
	__asm__ volatile("ic ialluis" ::: "memory");
	dsb(ish);
	isb();
}

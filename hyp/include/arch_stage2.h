/* arch_stage2: what the architecture layer offers address spaces: Stage-2 tables built and changed
 * with break-before-make and TLB invalidation by VMID (hyp/arch/aarch64/stage2_as.c; the host
 * stand-in hyp/arch/host/host_stage2.c). */
#ifndef ARCH_STAGE2_H
#define ARCH_STAGE2_H

#include "error.h"
#include "mem.h"

/* What a Stage-2 leaf grants; memtype is the Stage-2 MemAttr[3:0] value (= the ABI's memory type,
 * pgtable_vm_memtype). */
struct arch_s2_perm {
	bool read;
	bool write;
	bool exec;
	uint8_t memtype;
};

/* A zeroed, 4 KiB-aligned page for a table (at its own address), or NULL. */
typedef uint64_t *(*arch_s2_alloc_fn)(void *ctx);

/* IPA bits a new address space's Stage-2 covers. */
unsigned arch_stage2_ipa_bits(void);
/* One past the largest VMID the CPU takes: 65536 with 16-bit VMIDs, else 256. */
uint32_t arch_stage2_vmid_limit(void);

/* memextent_modify's range operations on the page at @pa, through the hypervisor's own mapping. */
enum arch_phys_op { ARCH_PHYS_ZERO, ARCH_PHYS_CLEAN, ARCH_PHYS_FLUSH };
void arch_phys_page_op(enum arch_phys_op op, mem_pa_t pa);

/*
 * Maps [ipa, ipa+size) (pages, size > 0, all aligned) to pa under @root. NOMEM when a table cannot
 * be had, EXISTING_MAPPING when a page is already mapped; on an error nothing of the range stays
 * mapped.
 */
error_t arch_stage2_map(uint64_t *root, unsigned ipa_bits, uint16_t vmid, mem_ipa_t ipa,
                        mem_pa_t pa, uint64_t size, struct arch_s2_perm perm,
                        arch_s2_alloc_fn alloc, void *ctx);

/* Removes every leaf of [ipa, ipa+size) and invalidates the TLBs of @vmid for it before returning.
 */
void arch_stage2_unmap(uint64_t *root, unsigned ipa_bits, uint16_t vmid, mem_ipa_t ipa,
                       uint64_t size);

/* Changes the permissions of the leaves of [ipa, ipa+size), break-before-make (each entry invalid
 * and its TLB entries gone before the new one is written). */
void arch_stage2_update(uint64_t *root, unsigned ipa_bits, uint16_t vmid, mem_ipa_t ipa,
                        uint64_t size, struct arch_s2_perm perm);

#endif

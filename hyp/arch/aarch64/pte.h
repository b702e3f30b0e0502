/* pte: 4 KiB-granule translation table descriptors (EL2 stage-1 and stage-2) and the mapping walk
 * as pure code: no system registers, no allocator of its own, no panic; builds on the host. */
#ifndef PTE_H
#define PTE_H

#include "util.h"

/* Arm ARM D8.3 (VMSAv8-64 descriptors), 4 KiB granule, 48-bit output addresses. */
#define PTE_TYPE_MASK  3ull
#define PTE_TYPE_BLOCK 1ull
#define PTE_TYPE_TABLE 3ull /* levels 0..2; at level 3 the same value is a page */
#define PTE_TYPE_PAGE  3ull
#define PTE_ADDR_MASK  0x0000FFFFFFFFF000ull
#define PTE_LEVELS     4

/* Leaf attributes common to both stages. */
#define PTE_AF    BIT(10)
#define PTE_SH_IS (3ull << 8)
#define PTE_XN    BIT(54) /* stage-1 XN; stage-2 XN[1:0] = 0b10 (no execution at EL1 or EL0) */

/* EL2 stage-1: MAIR_EL2 index 0 device nGnRE, index 1 normal write-back. */
#define S1_ATTR_DEVICE (0ull << 2)
#define S1_ATTR_NORMAL (1ull << 2)
#define S1_ATTR_MASK   (7ull << 2)
#define S1_AP_RO       BIT(7)
#define S1_AP_RES1     BIT(6)
#define MAIR_EL2_VALUE 0xFF04ull

/* Stage-2: MemAttr[3:0] and S2AP. */
#define S2_MEMATTR_DEVICE (0x1ull << 2) /* Device-nGnRE */
#define S2_MEMATTR_NORMAL (0xFull << 2) /* Normal, inner and outer write-back */
#define S2_MEMATTR_MASK   (0xFull << 2)
#define S2_AP_R           (1ull << 6)
#define S2_AP_W           (2ull << 6)
#define S2_AP_RW          (3ull << 6)
#define S2_AP_MASK        (3ull << 6)

/* Every bit a leaf of either stage may carry besides the address and the type. */
#define PTE_LEAF_ATTRS (PTE_XN | PTE_AF | PTE_SH_IS | S2_AP_MASK | S2_MEMATTR_MASK)

enum pte_mem { PTE_MEM_DEVICE, PTE_MEM_NORMAL };

/* What a mapping grants; readable always. */
struct pte_perm {
	enum pte_mem mem;
	bool write;
	bool exec;
};

enum pte_kind { PTE_KIND_INVALID, PTE_KIND_TABLE, PTE_KIND_BLOCK, PTE_KIND_PAGE, PTE_KIND_BAD };

struct pte_desc {
	enum pte_kind kind;
	paddr_t addr;   /* output address (leaf) or next table (table) */
	uint64_t attrs; /* the leaf's attribute bits (AF included), 0 otherwise */
};

/* Leaf attribute bits of a permission, and back (bits outside the stage's fields are ignored). */
uint64_t pte_s1_attrs(struct pte_perm p);
uint64_t pte_s2_attrs(struct pte_perm p);
struct pte_perm pte_s1_perm(uint64_t attrs);
/*
 * A leaf of an address space (addrspace_map): Stage-2 MemAttr[3:0] = @memtype as the reference
 * numbers pgtable_vm_memtype (the architecture's own encoding: Device nGnRnE 0, nGnRE 1, nGRE 2,
 * GRE 3; Normal outer << 2 | inner with NC 1, WT 2, WB 3), inner shareable, S2AP from @read and
 * @write, XN unless @exec.
 */
uint64_t pte_s2_as_attrs(unsigned memtype, bool read, bool write, bool exec);
struct pte_perm pte_s2_perm(uint64_t attrs);

/* Bits of the input address one entry at @level covers (39, 30, 21, 12), and its table index. */
unsigned pte_level_shift(unsigned level);
unsigned pte_index(uint64_t va, unsigned level);
/* The level a table for @va_bits (25..48) starts at. */
unsigned pte_start_level(unsigned va_bits);
/* Output size in bits for ID_AA64MMFR0_EL1.PARange @field, clamped to 48 (52 needs LPA2). */
unsigned pte_parange_field(uint64_t id_aa64mmfr0);
unsigned pte_pa_bits(unsigned parange_field);

/* A block (levels 1-2) or page (level 3) descriptor; 0 (invalid) when @level cannot hold a leaf,
 * @pa is not aligned to its size or not below 2^48, or @attrs has bits outside PTE_LEAF_ATTRS. */
uint64_t pte_leaf(paddr_t pa, uint64_t attrs, unsigned level);
/* A table descriptor for the next-level table at @next (4 KiB aligned, below 2^48), else 0. */
uint64_t pte_table(paddr_t next);
struct pte_desc pte_decode(uint64_t pte, unsigned level);

enum pte_map_error {
	PTE_MAP_OK,
	PTE_MAP_BAD_ARGS, /* unaligned, empty, outside the address size, or bad attributes */
	PTE_MAP_NOMEM,    /* the table allocator gave NULL */
	PTE_MAP_EXISTS,   /* a leaf's slot is already in use */
	PTE_MAP_IN_BLOCK, /* the walk met a block where it needs a table */
};

struct pte_map_result {
	enum pte_map_error error;
	uint64_t va; /* where the walk stopped: the end of the range on success */
};

/* The tables a walk needs next: a zeroed, 4 KiB-aligned page, or NULL. */
typedef uint64_t *(*pte_alloc_fn)(void *ctx);

/* Maps [va, va+size) to pa under @root with the largest blocks alignment allows. Tables are used
 * at their own address (the hypervisor's identity map). On error, [va, result.va) is mapped. */
struct pte_map_result pte_map(uint64_t *root, unsigned va_bits, uint64_t va, paddr_t pa,
                              uint64_t size, uint64_t attrs, pte_alloc_fn alloc, void *ctx);

/* The slot of the level-3 (page) descriptor for @va under @root, or NULL when the walk meets an
 * invalid entry or a block first (no page can be mapped there without a new table). */
uint64_t *pte_page_slot(uint64_t *root, unsigned va_bits, uint64_t va);

#endif

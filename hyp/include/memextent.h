/* memextent: a memory extent, a range of physical memory whose pages it owns in the memdb (basic:
 * all of them once active; sparse: those donated to it), and the at most four places it is mapped.
 */
#ifndef MEMEXTENT_H
#define MEMEXTENT_H

#include "mem.h"
#include "memdb.h"
#include "object.h"

/* memextent_configure attrs (reference §2). */
#define MEMEXTENT_ATTR_ACCESS_MASK   0x7U
#define MEMEXTENT_ATTR_MEMTYPE_SHIFT 8U
#define MEMEXTENT_ATTR_MEMTYPE_MASK  (0x3U << MEMEXTENT_ATTR_MEMTYPE_SHIFT)
#define MEMEXTENT_ATTR_TYPE_SHIFT    16U
#define MEMEXTENT_ATTR_TYPE_MASK     (0x3U << MEMEXTENT_ATTR_TYPE_SHIFT)
#define MEMEXTENT_ATTR_LIST_APPEND   0x80000000U
#define MEMEXTENT_ATTRS_VALID                                                                      \
	(MEMEXTENT_ATTR_ACCESS_MASK | MEMEXTENT_ATTR_MEMTYPE_MASK | MEMEXTENT_ATTR_TYPE_MASK)

enum memextent_memtype {
	MEMEXTENT_MEMTYPE_ANY = 0,
	MEMEXTENT_MEMTYPE_DEVICE = 1,
	MEMEXTENT_MEMTYPE_UNCACHED = 2,
	MEMEXTENT_MEMTYPE_CACHED = 3,
};

enum memextent_type { MEMEXTENT_TYPE_BASIC = 0, MEMEXTENT_TYPE_SPARSE = 1 };

/* memextent_modify flags. */
#define MEMEXTENT_MODIFY_OP_MASK    0xFFU
#define MEMEXTENT_MODIFY_NO_SYNC    0x80000000U
#define MEMEXTENT_MODIFY_UNMAP_ALL  0U
#define MEMEXTENT_MODIFY_ZERO_RANGE 1U
#define MEMEXTENT_MODIFY_FLUSH_LAST 3U /* ops 1..3 work on a range */
#define MEMEXTENT_MODIFY_SYNC_ALL   255U

/* memextent_donate options. */
#define MEMEXTENT_DONATE_TYPE_MASK  0xFFU
#define MEMEXTENT_DONATE_NO_SYNC    0x80000000U
#define MEMEXTENT_DONATE_TO_CHILD   0U
#define MEMEXTENT_DONATE_TO_PARENT  1U
#define MEMEXTENT_DONATE_TO_SIBLING 2U

#define MEMEXTENT_MAX_MAPS 4U

struct addrspace;

/* One place the extent is mapped: [offset, offset+size) of the extent at IPA vbase. */
struct memextent_mapping {
	struct addrspace *addrspace; /* NULL: the slot is free */
	mem_ipa_t vbase;
	uint64_t offset;
	uint64_t size;
	uint32_t map_attrs; /* as addrspace_map took them */
};

struct memextent {
	struct object hdr;
	bool is_configured;
	enum memextent_type type;
	uint32_t access; /* pgtable access: bit 2 R, bit 1 W, bit 0 X */
	enum memextent_memtype memtype;
	mem_pa_t base;
	uint64_t size;
	/* Where the pages come from and go back to: the partition it was made from, or the extent
	 * it was derived from (a reference is held on either). */
	struct object *parent;
	struct memdb *memdb;
	struct memextent_mapping maps[MEMEXTENT_MAX_MAPS];
};

/* memextent_configure (INIT only): checks as reference §2, then records the range. */
error_t memextent_configure(struct memextent *me, uint64_t phys_base, uint64_t size,
                            uint64_t attrs);
/* memextent_configure_derive: [offset, offset+size) of @parent (ACTIVE) with at most its rights. */
error_t memextent_configure_derive(struct memextent *me, struct memextent *parent, uint64_t offset,
                                   uint64_t size, uint64_t attrs);
/* memextent_donate, after the caps were looked up: @from and @to are partitions or extents. */
error_t memextent_donate(unsigned type, struct object *from, struct object *to, uint64_t offset,
                         uint64_t size);
/* memextent_modify (flags and range checked here). */
error_t memextent_modify(struct memextent *me, uint64_t flags, uint64_t offset, uint64_t size);

/* True when every page of [offset, offset+size) of @me is owned by @me or an extent derived from
 * it (what a mapping of that range may reach). */
bool memextent_owns_range(const struct memextent *me, uint64_t offset, uint64_t size);

extern const struct obj_ops memextent_ops;

#endif

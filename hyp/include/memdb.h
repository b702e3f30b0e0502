/* memdb: who owns each 4 KiB page of the physical memory the hypervisor hands out (a partition or a
 * memory extent), so no page is owned twice and nothing outside it can ever be given away. */
#ifndef MEMDB_H
#define MEMDB_H

#include "error.h"
#include "mem.h"
#include "object.h"

/*
 * One owner pointer per page of [base, base + pages * 4 KiB): a partition object or a memextent
 * object, never NULL inside the range. A page outside the range has no owner anyone can name.
 */
struct memdb {
	mem_pa_t base;
	uint64_t pages;
	struct object **owner; /* pages entries */
	/* More disjoint ranges (memdb_add_range), each with its own table; NULL: none. A page is
	 * in the database when it is in any of them; a span must lie inside one. */
	struct memdb *next;
};

/* Every page of the range starts owned by @owner. */
void memdb_init(struct memdb *db, mem_pa_t base, uint64_t pages, struct object **owner_array,
                struct object *owner);

/* Appends @range (its base, pages and owner table set as memdb_init would, every page owned by
 * @owner) to @db's list of ranges. The caller keeps the ranges disjoint. */
void memdb_add_range(struct memdb *db, struct memdb *range, mem_pa_t base, uint64_t pages,
                     struct object **owner_array, struct object *owner);

/* The owner of the page holding @pa, or NULL outside the database. */
struct object *memdb_owner(const struct memdb *db, mem_pa_t pa);

/* True when every page of [pa, pa+size) is inside the database and owned by @owner (size > 0,
 * page aligned: the caller checks). */
bool memdb_is_owned_by(const struct memdb *db, mem_pa_t pa, uint64_t size,
                       const struct object *owner);

/*
 * Moves every page of [pa, pa+size) from @from to @to: MEMDB_NOT_OWNER, and nothing changes, unless
 * @from owns them all. @db may be NULL (no memory at all: MEMDB_NOT_OWNER).
 */
error_t memdb_transfer(struct memdb *db, mem_pa_t pa, uint64_t size, const struct object *from,
                       struct object *to);

/* Moves every page @from owns inside [pa, pa+size) to @to (teardown; cannot fail); a range reaching
 * past the database moves the pages of the part inside it. */
void memdb_transfer_owned(struct memdb *db, mem_pa_t pa, uint64_t size, const struct object *from,
                          struct object *to);

/* Pages @owner holds (tests and the fuzzer's oracle). */
uint64_t memdb_count(const struct memdb *db, const struct object *owner);

#endif

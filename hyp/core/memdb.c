/* memdb: the per-page owner table of the hypervisor's hand-out memory (see memdb.h). */
#include "memdb.h"

void memdb_init(struct memdb *db, mem_pa_t base, uint64_t pages, struct object **owner_array,
                struct object *owner)
{
	db->base = base;
	db->pages = pages;
	db->owner = owner_array;
	db->next = NULL;
	for (uint64_t i = 0; i < pages; i++) {
		owner_array[i] = owner;
	}
}

void memdb_add_range(struct memdb *db, struct memdb *range, mem_pa_t base, uint64_t pages,
                     struct object **owner_array, struct object *owner)
{
	memdb_init(range, base, pages, owner_array, owner);
	while (db->next != NULL) {
		db = db->next;
	}
	db->next = range;
}

/* The index of the first page and the page count of [pa, pa+size), or false when any part of it
 * lies outside the database. */
static const struct memdb *memdb_span(const struct memdb *db, mem_pa_t pa, uint64_t size,
                                      uint64_t *first, uint64_t *count)
{
	while (db != NULL &&
	       !range_within(pa.bits, size, db->base.bits, db->pages << MEM_PAGE_SHIFT)) {
		db = db->next;
	}
	if (db == NULL || size == 0U) {
		return NULL;
	}
	*first = (pa.bits - db->base.bits) >> MEM_PAGE_SHIFT;
	*count = (size + MEM_PAGE_SIZE - 1U) >> MEM_PAGE_SHIFT;
	return db;
}

struct object *memdb_owner(const struct memdb *db, mem_pa_t pa)
{
	uint64_t first, count;
	const struct memdb *range = memdb_span(db, pa, 1U, &first, &count);

	return range != NULL ? range->owner[first] : NULL;
}

bool memdb_is_owned_by(const struct memdb *db, mem_pa_t pa, uint64_t size,
                       const struct object *owner)
{
	uint64_t first, count;
	const struct memdb *range = memdb_span(db, pa, size, &first, &count);

	if (range == NULL) {
		return false;
	}
	for (uint64_t i = first; i < first + count; i++) {
		if (range->owner[i] != owner) {
			return false;
		}
	}
	return true;
}

error_t memdb_transfer(struct memdb *db, mem_pa_t pa, uint64_t size, const struct object *from,
                       struct object *to)
{
	if (!memdb_is_owned_by(db, pa, size, from)) {
		return ERROR_MEMDB_NOT_OWNER;
	}
	memdb_transfer_owned(db, pa, size, from, to);
	return OK;
}

/* memdb_transfer_owned within one range. */
static void memdb_range_transfer_owned(struct memdb *db, mem_pa_t pa, uint64_t size,
                                       const struct object *from, struct object *to)
{
	uint64_t lo, hi;

	/* Only the part inside the database, but all of it: a sparse extent may span far more
	 * than the database (it owns just what was donated to it), and the pages it does own must
	 * still go back (found by the fuzzer: a page left owned by a destroyed extent). */
	if (db == NULL || size == 0U) {
		return;
	}
	lo = pa.bits > db->base.bits ? pa.bits : db->base.bits;
	hi = pa.bits + size < pa.bits ? UINT64_MAX : pa.bits + size;
	if (hi > db->base.bits + (db->pages << MEM_PAGE_SHIFT)) {
		hi = db->base.bits + (db->pages << MEM_PAGE_SHIFT);
	}
	if (lo >= hi) {
		return;
	}
	for (uint64_t i = (lo - db->base.bits) >> MEM_PAGE_SHIFT;
	     i < (hi - db->base.bits + MEM_PAGE_SIZE - 1U) >> MEM_PAGE_SHIFT; i++) {
		if (db->owner[i] == from) {
			db->owner[i] = to;
		}
	}
}

void memdb_transfer_owned(struct memdb *db, mem_pa_t pa, uint64_t size, const struct object *from,
                          struct object *to)
{
	for (; db != NULL; db = db->next) {
		memdb_range_transfer_owned(db, pa, size, from, to);
	}
}

uint64_t memdb_count(const struct memdb *db, const struct object *owner)
{
	uint64_t n = 0;

	for (; db != NULL; db = db->next) {
		for (uint64_t i = 0; i < db->pages; i++) {
			n += db->owner[i] == owner ? 1U : 0U;
		}
	}
	return n;
}

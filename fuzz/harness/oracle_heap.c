/* oracle_heap: the oracle's walk of a partition's free list (struct heap_block,
 * hyp/include/heap.h). */
#include "heap.h"
#include "oracle.h"
#include "partition.h"
#include "world.h"

/* Free runs sorted, inside the heap, aligned, coalesced; free + used = size. */
void oracle_check_heap(const struct partition *p)
{
	const struct heap *h = &p->heap;
	uintptr_t prev_end = 0;
	size_t free_bytes = 0;
	unsigned runs = 0;

	for (const struct heap_block *b = h->free; b != NULL; b = b->next) {
		uintptr_t a = (uintptr_t)b;

		if (++runs > WORLD_ARENA_SIZE / HEAP_ALIGN || a < h->base || a % HEAP_ALIGN != 0 ||
		    b->size < HEAP_ALIGN || b->size % HEAP_ALIGN != 0 ||
		    b->size > h->size - (a - h->base)) {
			oracle_fail("heap-structure", "partition %p: bad free run %p",
			            (const void *)p, (const void *)b);
		}
		if (prev_end != 0 && a <= prev_end) {
			oracle_fail("heap-structure",
			            "partition %p: free run %p %s its predecessor", (const void *)p,
			            (const void *)b,
			            a == prev_end ? "not merged with" : "overlaps or precedes");
		}
		prev_end = a + b->size;
		free_bytes += b->size;
	}
	if (free_bytes + h->used != h->size) {
		oracle_fail("heap-structure", "partition %p: %zu free + %zu used != %zu",
		            (const void *)p, free_bytes, h->used, h->size);
	}
}

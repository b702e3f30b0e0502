/* heap: a first-fit allocator over one byte range, the memory a partition owns. */
#include "heap.h"

#include <stdbool.h>

#include "log.h"
#include "util.h"

_Static_assert(sizeof(struct heap_block) <= HEAP_ALIGN, "a free run must fit in the smallest one");

/*
 * Under AddressSanitizer (host builds) free memory is poisoned except each free run's header, so a
 * use after free or an overrun into a neighbour is caught even though the arena is one allocation.
 */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HEAP_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define HEAP_ASAN 1
#endif
#ifdef HEAP_ASAN
void __asan_poison_memory_region(void const volatile *addr, size_t size);
void __asan_unpoison_memory_region(void const volatile *addr, size_t size);
#define heap_poison(a, n)   __asan_poison_memory_region((const void *)(a), (n))
#define heap_unpoison(a, n) __asan_unpoison_memory_region((const void *)(a), (n))
#else
#define heap_poison(a, n)   ((void)(a), (void)(n))
#define heap_unpoison(a, n) ((void)(a), (void)(n))
#endif

/* Poison a free run's body, keeping its header usable. */
static void heap_poison_run(const struct heap_block *blk)
{
	heap_poison((uintptr_t)blk + HEAP_ALIGN, blk->size - HEAP_ALIGN);
}

static size_t heap_round(size_t size)
{
	return (size + HEAP_ALIGN - 1U) & ~(size_t)(HEAP_ALIGN - 1U);
}

void heap_init(struct heap *heap, void *base, size_t size)
{
	uintptr_t start = ((uintptr_t)base + HEAP_ALIGN - 1U) & ~(uintptr_t)(HEAP_ALIGN - 1U);
	uintptr_t end = ((uintptr_t)base + size) & ~(uintptr_t)(HEAP_ALIGN - 1U);

	heap->base = start;
	heap->size = end > start ? end - start : 0U;
	heap->used = 0U;
	heap->free = NULL;
	if (heap->size != 0U) {
		heap->free = (struct heap_block *)start;
		heap->free->size = heap->size;
		heap->free->next = NULL;
		heap_poison_run(heap->free);
	}
}

void *heap_alloc(struct heap *heap, size_t size)
{
	struct heap_block **link = &heap->free;
	struct heap_block *blk;
	void *ret = NULL;

	if (size == 0U || size > heap->size) {
		goto out;
	}
	size = heap_round(size);
	for (blk = heap->free; blk != NULL; link = &blk->next, blk = blk->next) {
		if (blk->size >= size) {
			break;
		}
	}
	if (blk == NULL) {
		goto out;
	}
	if (blk->size == size) {
		*link = blk->next;
	} else {
		struct heap_block *rest = (struct heap_block *)((uintptr_t)blk + size);

		heap_unpoison(rest, HEAP_ALIGN);
		rest->size = blk->size - size;
		rest->next = blk->next;
		*link = rest;
	}
	heap->used += size;
	ret = blk;
	heap_unpoison(ret, size);
	memset(ret, 0, size);
out:
	return ret;
}

void heap_free(struct heap *heap, void *ptr, size_t size)
{
	uintptr_t addr = (uintptr_t)ptr;
	struct heap_block **link = &heap->free;
	struct heap_block *prev = NULL;
	struct heap_block *blk;

	size = heap_round(size);
	if (ptr == NULL || addr < heap->base || !range_within(addr, size, heap->base, heap->size) ||
	    size > heap->used) {
		panic("heap_free: %p+%zu is not from this heap", ptr, size);
	}
	while (*link != NULL && (uintptr_t)*link < addr) {
		prev = *link;
		link = &prev->next;
	}
	/* A double free would overlap a free neighbour. */
	if ((*link != NULL && addr + size > (uintptr_t)*link) ||
	    (prev != NULL && (uintptr_t)prev + prev->size > addr)) {
		panic("heap_free: %p+%zu overlaps a free run", ptr, size);
	}
	blk = (struct heap_block *)addr;
	blk->size = size;
	blk->next = *link;
	*link = blk;
	heap->used -= size;
	if (blk->next != NULL && addr + blk->size == (uintptr_t)blk->next) {
		blk->size += blk->next->size;
		blk->next = blk->next->next;
	}
#if HUMPY_PLANT_BUG != 11 /* planted bug 11 drops this: free runs not merged */
	if (prev != NULL && (uintptr_t)prev + prev->size == addr) {
		prev->size += blk->size;
		prev->next = blk->next;
		blk = prev;
	}
#endif
	heap_poison_run(blk);
}

size_t heap_largest_free(const struct heap *heap)
{
	size_t best = 0U;

	for (const struct heap_block *blk = heap->free; blk != NULL; blk = blk->next) {
		if (blk->size > best) {
			best = blk->size;
		}
	}
	return best;
}

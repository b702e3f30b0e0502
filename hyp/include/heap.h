/* heap: a first-fit allocator over one byte range, the memory a partition owns. */
#ifndef HEAP_H
#define HEAP_H

#include <stddef.h>
#include <stdint.h>

#define HEAP_ALIGN 16U

/* A free run; lives in the free memory itself, so runs are at least HEAP_ALIGN bytes. Public so
 * checkers (the fuzzers' oracle) can walk the free list. */
struct heap_block {
	size_t size;
	struct heap_block *next; /* sorted by address */
};

struct heap {
	uintptr_t base;
	size_t size;
	size_t used; /* bytes handed out, rounded to HEAP_ALIGN */
	struct heap_block *free;
};

/* Manage [base, base+size); base and size are trimmed to HEAP_ALIGN. */
void heap_init(struct heap *heap, void *base, size_t size);
/* Zeroed memory aligned to HEAP_ALIGN, or NULL when no free run is large enough. */
void *heap_alloc(struct heap *heap, size_t size);
/* Return memory from heap_alloc with the same size. */
void heap_free(struct heap *heap, void *ptr, size_t size);
/* Largest single allocation that would succeed now. */
size_t heap_largest_free(const struct heap *heap);

#endif

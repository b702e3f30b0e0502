/* test_heap: the partition allocator hands out zeroed aligned memory, runs out cleanly and
 * coalesces. */
#include <stdlib.h>
#include <string.h>

#include "heap.h"
#include "test.h"

#define ARENA 4096U

TEST(heap_alloc_is_zeroed_aligned_and_disjoint)
{
	static unsigned char mem[ARENA] __attribute__((aligned(16)));
	struct heap h;
	unsigned char *a, *b;

	(void)arena;
	memset(mem, 0xaa, sizeof(mem));
	heap_init(&h, mem, sizeof(mem));
	CHECK_EQ(ARENA, h.size);
	a = heap_alloc(&h, 40);
	b = heap_alloc(&h, 1);
	CHECK(a != NULL && b != NULL);
	CHECK_EQ(0, (uintptr_t)a % HEAP_ALIGN);
	CHECK_EQ(0, (uintptr_t)b % HEAP_ALIGN);
	CHECK(b >= a + 48 || a >= b + 16);
	for (int i = 0; i < 40; i++) {
		CHECK_EQ(0, a[i]);
	}
	CHECK_EQ(48 + 16, h.used);
	heap_free(&h, a, 40);
	heap_free(&h, b, 1);
	CHECK_EQ(0, h.used);
}

TEST(heap_runs_out_then_coalesces_back_to_one_run)
{
	unsigned char *mem = aligned_alloc(16, ARENA);
	void *p[ARENA / 64 + 1];
	struct heap h;
	unsigned n = 0;

	(void)arena;
	heap_init(&h, mem, ARENA);
	while ((p[n] = heap_alloc(&h, 64)) != NULL) {
		n++;
	}
	CHECK_EQ(ARENA / 64, n);
	CHECK_EQ(0, heap_largest_free(&h));
	CHECK(heap_alloc(&h, 1) == NULL);
	/* Free every other block, then the rest: the free list must merge into one run. */
	for (unsigned i = 0; i < n; i += 2) {
		heap_free(&h, p[i], 64);
	}
	CHECK_EQ(64, heap_largest_free(&h));
	CHECK(heap_alloc(&h, 65) == NULL);
	for (unsigned i = 1; i < n; i += 2) {
		heap_free(&h, p[i], 64);
	}
	CHECK_EQ(ARENA, heap_largest_free(&h));
	CHECK_EQ(0, h.used);
	CHECK(heap_alloc(&h, ARENA) != NULL);
	free(mem);
}

TEST(heap_rejects_zero_and_oversized)
{
	static unsigned char mem[256] __attribute__((aligned(16)));
	struct heap h;

	(void)arena;
	heap_init(&h, mem + 3, sizeof(mem) - 3);
	CHECK_EQ(0, h.base % HEAP_ALIGN);
	CHECK(h.size <= sizeof(mem) - 3);
	CHECK(heap_alloc(&h, 0) == NULL);
	CHECK(heap_alloc(&h, h.size + 1) == NULL);
	CHECK(heap_alloc(&h, SIZE_MAX) == NULL);
	CHECK_EQ(0, h.used);
}

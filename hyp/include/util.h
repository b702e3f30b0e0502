/* util: the few freestanding helpers every hyp file may use (bits, alignment, memory copies). */
#ifndef UTIL_H
#define UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BIT(n)           (1ULL << (n))
#define ARRAY_SIZE(a)    (sizeof(a) / sizeof((a)[0]))
#define ALIGN_DOWN(x, a) ((x) & ~((uint64_t)(a)-1))
#define ALIGN_UP(x, a)   ALIGN_DOWN((x) + (a)-1, (a))
#define IS_ALIGNED(x, a) (((x) & ((uint64_t)(a)-1)) == 0)

/* Physical and guest-physical addresses are different things; keep them apart in signatures. */
typedef uint64_t paddr_t;
typedef uint64_t ipa_t;

/* The compiler may emit calls to these even in freestanding code. */
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strnlen(const char *s, size_t max);

/* True when [base, base+size) lies inside [outer, outer+outer_size), without overflow. */
static inline bool range_within(uint64_t base, uint64_t size, uint64_t outer, uint64_t outer_size)
{
	return base >= outer && size <= outer_size && base - outer <= outer_size - size;
}

/* True when [a, a+as) and [b, b+bs) share a byte; sizes are non-zero and do not wrap. */
static inline bool range_overlaps(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	return a < b + bs && b < a + as;
}

#endif

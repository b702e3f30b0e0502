/* string: the memory primitives the compiler and the rest of hyp/ rely on. */
#include "util.h"

/*
 * Whole 8-byte words while both sides are aligned to them (hyp runs with -mstrict-align: its first
 * code runs with the MMU off), then bytes. Result structs, message slots and guest buffers are
 * mostly aligned: a byte loop cost ~4 instructions a byte on every hypercall.
 */
void *memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	if ((((uintptr_t)d | (uintptr_t)s) & 7) == 0) {
		/* Two words an iteration (one ldp/stp pair): the loop's own instructions are most
		 * of a message copy's cost. */
		for (; n >= 16; n -= 16, d += 16, s += 16) {
			uint64_t w0 = ((const uint64_t *)(const void *)s)[0];
			uint64_t w1 = ((const uint64_t *)(const void *)s)[1];

			((uint64_t *)(void *)d)[0] = w0;
			((uint64_t *)(void *)d)[1] = w1;
		}
		for (; n >= 8; n -= 8, d += 8, s += 8)
			*(uint64_t *)(void *)d = *(const uint64_t *)(const void *)s;
	}
	while (n-- > 0)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n-- > 0)
		d[n] = s[n];
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;

	if (((uintptr_t)d & 7) == 0) {
		uint64_t word = 0x0101010101010101ULL * (uint8_t)c;

		for (; n >= 8; n -= 8, d += 8)
			*(uint64_t *)(void *)d = word;
	}
	while (n-- > 0)
		*d++ = (uint8_t)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a;
	const uint8_t *y = b;

	for (size_t i = 0; i < n; i++) {
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	}
	return 0;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n] != '\0')
		n++;
	return n;
}

/* test_string: hyp/core/string.c, the memory primitives every copy of a message, result or guest
 * buffer goes through, linked under hyp_ names (hyp/host.mk). Exact-size heap buffers, so ASan
 * stops any access one byte outside; each case also checks the bytes around the range it wrote.
 * Every length from 0 to 40 at every alignment takes the 16-byte loop, the 8-byte loop and the byte
 * tail in all their combinations: make mutation showed their bounds changed without any test
 * failing (the boot copies only a few sizes). */
#include <stdlib.h>

#include "test.h"

void *hyp_memcpy(void *dst, const void *src, size_t n);
void *hyp_memmove(void *dst, const void *src, size_t n);
void *hyp_memset(void *dst, int c, size_t n);
int hyp_memcmp(const void *a, const void *b, size_t n);
size_t hyp_strnlen(const char *s, size_t max);

#define S_MAX  40U
#define S_PAD  24U /* room either side of a range, filled with S_FILL */
#define S_FILL 0xEEU

static uint8_t s_pattern(size_t i)
{
	return (uint8_t)(0x11U + 7U * i);
}

/* An exact-size buffer: S_PAD + S_MAX + S_PAD bytes of S_FILL. */
static uint8_t *s_buffer(void)
{
	uint8_t *b = malloc(2 * S_PAD + S_MAX);

	for (size_t i = 0; i < 2 * S_PAD + S_MAX; i++) {
		b[i] = S_FILL;
	}
	return b;
}

/* Every byte of b outside [at, at + n) still S_FILL: the number of changed ones. */
static unsigned s_outside_changed(const uint8_t *b, size_t at, size_t n)
{
	unsigned changed = 0;

	for (size_t i = 0; i < 2 * S_PAD + S_MAX; i++) {
		if ((i < at || i >= at + n) && b[i] != S_FILL) {
			changed++;
		}
	}
	return changed;
}

TEST(string_memcpy_every_length_and_alignment)
{
	(void)arena;
	for (size_t da = 0; da < 8; da++) {
		for (size_t sa = 0; sa < 8; sa += 3) {
			for (size_t n = 0; n <= S_MAX; n++) {
				uint8_t *d = s_buffer();
				uint8_t *s = malloc(S_MAX + 8);
				unsigned wrong = 0;

				for (size_t i = 0; i < S_MAX + 8; i++) {
					s[i] = s_pattern(i);
				}
				CHECK(hyp_memcpy(d + S_PAD + da, s + sa, n) == d + S_PAD + da);
				for (size_t i = 0; i < n; i++) {
					wrong += d[S_PAD + da + i] != s_pattern(sa + i);
				}
				CHECK_EQ(0, wrong);
				CHECK_EQ(0, s_outside_changed(d, S_PAD + da, n));
				free(s);
				free(d);
			}
		}
	}
}

/* Exactly n bytes copied from the end of an exact-size source (one past it: ASan). */
TEST(string_memcpy_reads_no_byte_past_the_source)
{
	(void)arena;
	for (size_t n = 1; n <= S_MAX; n++) {
		uint64_t *words = malloc(S_MAX + 8); /* 8-byte aligned: the word loops */
		uint8_t *src = malloc(n);
		uint8_t *dst = (uint8_t *)words;

		for (size_t i = 0; i < n; i++) {
			src[i] = s_pattern(i);
		}
		for (size_t i = 0; i < S_MAX + 8; i++) {
			dst[i] = S_FILL;
		}
		hyp_memcpy(dst, src, n);
		CHECK_EQ(0, hyp_memcmp(dst, src, n));
		CHECK_EQ(S_FILL, dst[n]);
		free(src);
		free(words);
	}
}

/* Overlapping ranges in both directions, and the edges where they stop overlapping. */
TEST(string_memmove_overlap_both_ways)
{
	(void)arena;
	for (size_t n = 0; n <= S_MAX / 2; n++) {
		for (int shift = -(int)n - 1; shift <= (int)n + 1; shift++) {
			uint8_t *b = s_buffer();
			uint8_t want[2 * S_PAD + S_MAX];
			size_t src = S_PAD + S_MAX / 4;
			size_t dst = (size_t)((int)src + shift);
			unsigned wrong = 0;

			for (size_t i = 0; i < n; i++) {
				b[src + i] = s_pattern(i);
			}
			for (size_t i = 0; i < sizeof(want); i++) {
				want[i] = b[i];
			}
			for (size_t i = 0; i < n; i++) {
				want[dst + i] = s_pattern(i);
			}
			CHECK(hyp_memmove(b + dst, b + src, n) == b + dst);
			for (size_t i = 0; i < sizeof(want); i++) {
				wrong += b[i] != want[i];
			}
			CHECK_EQ(0, wrong);
			free(b);
		}
	}
}

TEST(string_memset_every_length_and_alignment)
{
	(void)arena;
	for (size_t a = 0; a < 8; a++) {
		for (size_t n = 0; n <= S_MAX; n++) {
			uint8_t *b = s_buffer();
			unsigned wrong = 0;

			/* Only the low byte of c counts: 0x1A5 fills 0xA5. */
			CHECK(hyp_memset(b + S_PAD + a, 0x1A5, n) == b + S_PAD + a);
			for (size_t i = 0; i < n; i++) {
				wrong += b[S_PAD + a + i] != 0xA5U;
			}
			CHECK_EQ(0, wrong);
			CHECK_EQ(0, s_outside_changed(b, S_PAD + a, n));
			free(b);
		}
	}
}

/* An exact-size, 8-byte aligned buffer: a word loop writing one word too many is caught. */
TEST(string_memset_writes_no_byte_past_the_range)
{
	(void)arena;
	for (size_t n = 1; n <= S_MAX; n++) {
		uint8_t *b = malloc(n);

		CHECK(hyp_memset(b, 0, n) == b);
		CHECK_EQ(0, b[n - 1]);
		CHECK_EQ(0, b[0]);
		free(b);
	}
}

TEST(string_memcmp_order_sign_and_length)
{
	(void)arena;
	uint8_t a[9] = {1, 2, 3, 4, 5, 6, 7, 8, 0x80};
	uint8_t b[9] = {1, 2, 3, 4, 5, 6, 7, 8, 0x7F};

	CHECK_EQ(0, hyp_memcmp(a, b, 0));
	CHECK_EQ(0, hyp_memcmp(a, b, 8));
	/* Bytes compare unsigned: 0x80 > 0x7F; the result is exactly -1 or 1. */
	CHECK_EQ(1, hyp_memcmp(a, b, 9));
	CHECK_EQ((uint64_t)-1, (uint64_t)(int64_t)hyp_memcmp(b, a, 9));
	b[2] = 4;
	CHECK_EQ((uint64_t)-1, (uint64_t)(int64_t)hyp_memcmp(a, b, 9));
	CHECK_EQ(1, hyp_memcmp(b, a, 3));
	CHECK_EQ(0, hyp_memcmp(b, a, 2));
}

TEST(string_strnlen_stops_at_nul_or_max)
{
	(void)arena;
	char *s = malloc(5);

	s[0] = 'h';
	s[1] = 'u';
	s[2] = 'm';
	s[3] = 'p';
	s[4] = '\0';
	CHECK_EQ(4, hyp_strnlen(s, 5));
	CHECK_EQ(4, hyp_strnlen(s, 4));
	CHECK_EQ(3, hyp_strnlen(s, 3));
	CHECK_EQ(0, hyp_strnlen(s, 0));
	/* Unterminated within max: stops at max and reads nothing past it (ASan). */
	s[4] = 'y';
	CHECK_EQ(5, hyp_strnlen(s, 5));
	s[0] = '\0';
	CHECK_EQ(0, hyp_strnlen(s, 5));
	free(s);
}

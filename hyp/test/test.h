/* test: a tiny unit-test framework for the host build of hyp/core (registration, checks, fixtures).
 */
#ifndef TEST_H
#define TEST_H

#include <stdint.h>
#include <stdio.h>

#include "host.h"

struct test_case {
	const char *name;
	void (*fn)(struct host_arena *arena);
	struct test_case *next;
};

void test_register(struct test_case *tc);
/* Record a failed check; the test goes on so one run shows every broken check. */
void test_fail(const char *file, int line, const char *expr, uint64_t want, uint64_t got);

/* Every test's arena: its size, and the seed of its root partition's generator (a fixed one, so a
 * test sees the same cap IDs on every run). */
#define TEST_ARENA_SIZE (1024U * 1024U)
#define TEST_SEED       0x5eed5eedULL

/* TEST(name): runs with a fresh TEST_ARENA_SIZE arena holding the root partition and root cspace.
 */
#define TEST(name)                                                                                 \
	static void test_fn_##name(struct host_arena *arena);                                      \
	static struct test_case test_case_##name = {#name, test_fn_##name, NULL};                  \
	__attribute__((constructor)) static void test_reg_##name(void)                             \
	{                                                                                          \
		test_register(&test_case_##name);                                                  \
	}                                                                                          \
	static void test_fn_##name(struct host_arena *arena)

#define CHECK_EQ(want, got)                                                                        \
	do {                                                                                       \
		uint64_t want_ = (uint64_t)(want);                                                 \
		uint64_t got_ = (uint64_t)(got);                                                   \
		if (want_ != got_) {                                                               \
			test_fail(__FILE__, __LINE__, #got, want_, got_);                          \
		}                                                                                  \
	} while (0)

#define CHECK(cond) CHECK_EQ(1, !!(cond))

#endif

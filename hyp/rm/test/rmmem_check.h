/* hyp/rm/test/rmmem_check.h: the few check macros of the RM memory/DT host tests. A failed check
 * prints file, line and both values, counts, and the test goes on; main returns non-zero if any
 * check failed. */
#ifndef RMMEM_CHECK_H
#define RMMEM_CHECK_H

#include <inttypes.h>
#include <stdio.h>

static unsigned rmmem_checks;
static unsigned rmmem_failures;

#define CHECK_EQ(got, want)                                                                        \
	do {                                                                                       \
		uint64_t got_ = (uint64_t)(got);                                                   \
		uint64_t want_ = (uint64_t)(want);                                                 \
		rmmem_checks++;                                                                    \
		if (got_ != want_) {                                                               \
			rmmem_failures++;                                                          \
			printf("FAIL %s:%d: %s = 0x%" PRIx64 ", want %s = 0x%" PRIx64 "\n",        \
			       __FILE__, __LINE__, #got, got_, #want, want_);                      \
		}                                                                                  \
	} while (0)

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		rmmem_checks++;                                                                    \
		if (!(cond)) {                                                                     \
			rmmem_failures++;                                                          \
			printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);                     \
		}                                                                                  \
	} while (0)

/* Runs one test function and names it in the output. */
#define RUN(fn)                                                                                    \
	do {                                                                                       \
		unsigned before_ = rmmem_failures;                                                 \
		fn();                                                                              \
		printf("%s %s\n", rmmem_failures == before_ ? "ok  " : "FAIL", #fn);               \
	} while (0)

#define RUN_ARG(fn, arg)                                                                           \
	do {                                                                                       \
		unsigned before_ = rmmem_failures;                                                 \
		fn(arg);                                                                           \
		printf("%s %s\n", rmmem_failures == before_ ? "ok  " : "FAIL", #fn);               \
	} while (0)

static inline int rmmem_summary(const char *name)
{
	printf("%s: %u checks, %u failed\n", name, rmmem_checks, rmmem_failures);
	return rmmem_failures == 0 ? 0 : 1;
}

#endif

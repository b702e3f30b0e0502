/* The test runner's interface: the registry entry, verdicts, and abandoning the running test. */
#ifndef HUMPY_RUNNER_H
#define HUMPY_RUNNER_H

#include <humpy/types.h>

/* Longest test id "area.name" plus its NUL (PROTOCOL.md: ids are at most 63 characters). */
#define TEST_ID_MAX 64

struct test {
	const char *area;
	const char *name;
	void (*fn)(void);
};

/* Verdicts for the running test; the first non-PASS verdict wins and its reason is printed. */
void test_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void test_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void test_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
bool test_has_failed(void);

/* Ends the running test with ERROR (called from exception context); outside a test, powers off. */
NORETURN void runner_abandon(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Tests abandoned so far in this boot: a later set-up that fails may have met their leftovers. */
unsigned runner_abandoned(void);

/* The options from /chosen/bootargs (PROTOCOL.md). */
struct runner_options {
	const char *tests; /* comma-separated globs, or NULL for the default selection */
	size_t tests_len;
	bool list;
	bool bench;
	bool trace; /* humpy.trace: TRACE lines of each test's hypercalls */
	bool cover; /* humpy.cover: COVER lines (spec coverage) before END */
	u32 timeout_ms;
};

void runner_parse_bootargs(const char *bootargs, struct runner_options *opt);
NORETURN void runner_main(const struct runner_options *opt);

#endif

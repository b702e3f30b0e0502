/* What a test file needs: TEST(area, name) registration and the assertion macros. */
#ifndef HUMPY_TEST_H
#define HUMPY_TEST_H

#include <gunyah_spec.h>
#include <humpy/exc.h>
#include <humpy/hvc.h>
#include <humpy/libc.h>
#include <humpy/runner.h>
#include <humpy/types.h>

/*
 * TEST(area, name) { ... } defines test "area.name" and registers it in the humpy_tests linker
 * section. Ids must match [a-z0-9_]+ (PROTOCOL.md). Area "selftest" is hidden: it runs only
 * when a pattern starting with "selftest." selects it, and after every other test.
 * Each test also brings one slot of the runner's selection table (section humpy_test_slots, in
 * .bss), so the table is exactly as large as the number of tests: there is no ceiling to pass.
 */
#define TEST(area, name)                                                                           \
	_Static_assert(sizeof(#area "." #name) <= TEST_ID_MAX, "test id longer than 63 chars");    \
	static void test_##area##_##name(void);                                                    \
	static const struct test test_desc_##area##_##name                                         \
	    __attribute__((used, section("humpy_tests"), aligned(8))) = {#area, #name,             \
	                                                                 test_##area##_##name};    \
	static const struct test *test_slot_##area##_##name                                        \
	    __attribute__((used, section("humpy_test_slots"), aligned(8)));                        \
	static void test_##area##_##name(void)

/* Each assertion records FAIL "what: expected X got Y" and returns from the test. */
#define ASSERT_EQ(what, got, expected)                                                             \
	do {                                                                                       \
		u64 got_ = (u64)(got), exp_ = (u64)(expected);                                     \
		if (got_ != exp_) {                                                                \
			test_fail("%s: expected 0x%lx got 0x%lx", (what), exp_, got_);             \
			return;                                                                    \
		}                                                                                  \
	} while (0)

#define ASSERT_NE(what, got, unexpected)                                                           \
	do {                                                                                       \
		u64 got_ = (u64)(got), bad_ = (u64)(unexpected);                                   \
		if (got_ == bad_) {                                                                \
			test_fail("%s: expected anything but 0x%lx got 0x%lx", (what), bad_,       \
			          got_);                                                           \
			return;                                                                    \
		}                                                                                  \
	} while (0)

/* SMCCC SMC32 calls return 32-bit values in w registers; the upper halves are not defined. */
#define ASSERT_EQ32(what, got, expected)                                                           \
	do {                                                                                       \
		u32 got_ = (u32)(got), exp_ = (u32)(expected);                                     \
		if (got_ != exp_) {                                                                \
			test_fail("%s: expected 0x%x got 0x%x", (what), exp_, got_);               \
			return;                                                                    \
		}                                                                                  \
	} while (0)

#define ASSERT_TRUE(what, cond)                                                                    \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			test_fail("%s", (what));                                                   \
			return;                                                                    \
		}                                                                                  \
	} while (0)

#define ASSERT_STREQ(what, got, expected)                                                          \
	do {                                                                                       \
		const char *gots_ = (got), *exps_ = (expected);                                    \
		if (strcmp(gots_, exps_) != 0) {                                                   \
			test_fail("%s: expected \"%s\" got \"%s\"", (what), exps_, gots_);         \
			return;                                                                    \
		}                                                                                  \
	} while (0)

/* Leaves the test when a helper has already recorded a verdict. */
#define RETURN_IF_FAILED()                                                                         \
	do {                                                                                       \
		if (test_has_failed())                                                             \
			return;                                                                    \
	} while (0)

#define SKIP(...)                                                                                  \
	do {                                                                                       \
		test_skip(__VA_ARGS__);                                                            \
		return;                                                                            \
	} while (0)

#endif

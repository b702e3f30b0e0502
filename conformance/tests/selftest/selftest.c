/*
 * Hidden self-tests of the guest and of whoever reads it (area "selftest": run only when a
 * pattern starting with "selftest." names them). Each one ends in a known verdict: the harness
 * uses them to show FAIL, ERROR, TIMEOUT and CRASH for real.
 */
#include <humpy/arch.h>
#include <humpy/libc.h>
#include <humpy/psci.h>
#include <humpy/test.h>

/* Proves FAIL reporting: always FAIL with reason "selftest: expected 0x1 got 0x2". */
TEST(selftest, fail)
{
	ASSERT_EQ("selftest", 2, 1);
}

/* Proves the guest time limit: spins with IRQs unmasked, must end as ERROR "time limit ...". */
TEST(selftest, timeout)
{
	irq_unmask();
	for (;;)
		__asm__ volatile("" ::: "memory");
}

/* Proves the harness's wall-clock limit: spins with interrupts masked, only TIMEOUT ends it. */
TEST(selftest, hang)
{
	irq_mask();
	for (;;)
		__asm__ volatile("" ::: "memory");
}

/* Proves CRASH detection: powers the machine off mid-test, so no RESULT and no END. */
TEST(selftest, crash)
{
	psci_system_off();
}

/* Proves an unexpected exception (udf) becomes ERROR with ESR, ELR and FAR. */
TEST(selftest, unexpected)
{
	__asm__ volatile("udf #0x5a" ::: "memory");
}

/* Proves expect-an-exception: brk #0x1234 gives ESR 0xf2001234 and its exact ELR. */
TEST(selftest, expect_brk)
{
	struct exc_record rec;
	u64 insn;

	exc_expect_begin();
	__asm__ volatile("adr %0, 1f\n1:\tbrk #0x1234" : "=r"(insn)::"memory");
	rec = exc_expect_end();
	ASSERT_TRUE("brk taken", rec.taken);
	ASSERT_EQ("ESR_EL1", rec.esr, ((u64)ESR_EC_BRK << ESR_EC_SHIFT) | ESR_IL | 0x1234);
	ASSERT_EQ("ELR_EL1", rec.elr, insn);
}

/* Proves the formatter the protocol lines rely on (%x %lx %d %s, width, zero padding). */
TEST(selftest, format)
{
	char buf[64];
	int n;

	n = snprintf(buf, sizeof(buf), "%x|%lx|%d|%s|%08x|%-3d|%u", 0xbeefU, 0x5100000000008001UL,
	             -42, "ok", 0x1fU, 7, 4000000000U);
	ASSERT_STREQ("format output", buf, "beef|5100000000008001|-42|ok|0000001f|7  |4000000000");
	ASSERT_EQ("format length", n, strlen(buf));
	n = snprintf(buf, 4, "%s", "truncated");
	ASSERT_EQ("truncated length", n, 9);
	ASSERT_STREQ("truncated output", buf, "tru");
}

/* Proves the selection globs used by humpy.tests=. */
TEST(selftest, glob)
{
	ASSERT_TRUE("* matches", glob_match("*", 1, "identify.api_info"));
	ASSERT_TRUE("prefix glob", glob_match("identify.*", 10, "identify.api_info"));
	ASSERT_TRUE("? glob", glob_match("psci.versio?", 12, "psci.version"));
	ASSERT_TRUE("no match", !glob_match("psci.*", 6, "identify.api_info"));
	ASSERT_TRUE("inner star", glob_match("*.api*", 6, "identify.api_info"));
	ASSERT_TRUE("anchored end", !glob_match("*.api", 5, "identify.api_info"));
}

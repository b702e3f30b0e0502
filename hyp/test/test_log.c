/* test_log: hyp/core/log.c's printf, the only way the hypervisor says anything (boot lines, a
 * stopped VM's reason, a panic), linked under hyp_ names (hyp/host.mk) with its console captured.
 * Every conversion and flag the hypervisor's messages use gives its exact text: make mutation
 * showed log.c's 'l' modifier and sign handling changed without any test failing (no guest test
 * reads the hypervisor's own output). */
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test.h"

void hyp_log_printf(const char *fmt, ...);
_Noreturn void hyp_panic(const char *fmt, ...);

static char l_out[256];
static size_t l_len;
static int l_fd = -1; /* a panicking child's console: the pipe to its parent */

/* plat_console_putc, renamed for log.c's host object. */
void hyp_test_console_putc(char c);
void hyp_test_console_putc(char c)
{
	if (l_fd >= 0) {
		(void)!write(l_fd, &c, 1);
		return;
	}
	if (l_len < sizeof(l_out) - 1) {
		l_out[l_len++] = c;
	}
	l_out[l_len] = '\0';
}

/* The text hyp_log_printf printed for fmt: 1 when it is exactly want (else shows both). */
#define L_PRINTS(want, ...)                                                                        \
	do {                                                                                       \
		l_len = 0;                                                                         \
		l_out[0] = '\0';                                                                   \
		hyp_log_printf(__VA_ARGS__);                                                       \
		if (strcmp(l_out, (want)) != 0) {                                                  \
			printf("  printed \"%s\", want \"%s\"\n", l_out, (want));                  \
		}                                                                                  \
		CHECK_EQ(0, strcmp(l_out, (want)));                                                \
	} while (0)

TEST(log_strings_chars_and_percent)
{
	(void)arena;
	L_PRINTS("plain text\n", "plain text\n");
	L_PRINTS("VM 3: halted", "VM %s: %s", "3", "halted");
	L_PRINTS("(null)", "%s", (const char *)NULL);
	L_PRINTS("[x]", "[%c]", 'x');
	L_PRINTS("100%", "100%%");
	L_PRINTS("", "%s", "");
}

TEST(log_signed_and_unsigned_decimal)
{
	(void)arena;
	L_PRINTS("0 7 -7", "%d %d %d", 0, 7, -7);
	L_PRINTS("-2147483648", "%d", (int)INT32_MIN);
	L_PRINTS("2147483647", "%d", (int)INT32_MAX);
	/* An int's -1 is -1; without the 'l' its upper half is not read. */
	L_PRINTS("-1 4294967295", "%d %u", -1, 0xFFFFFFFFU);
	L_PRINTS("-9223372036854775808", "%ld", (long)INT64_MIN);
	L_PRINTS("-42 42", "%ld %lu", -42L, 42UL);
	L_PRINTS("18446744073709551615", "%lu", (unsigned long)UINT64_MAX);
	L_PRINTS("1234567890123", "%llu", 1234567890123ULL);
	L_PRINTS("17", "%zu", (size_t)17);
}

TEST(log_hex_pointer_and_width)
{
	(void)arena;
	L_PRINTS("0 ff dead0000beef", "%x %x %lx", 0U, 255U, 0xdead0000beefUL);
	L_PRINTS("ffffffffffffffff", "%lx", (unsigned long)UINT64_MAX);
	L_PRINTS("humpy: root memory 0x40000000+0x8000000", "humpy: root memory 0x%lx+0x%lx",
	         0x40000000UL, 0x8000000UL);
	L_PRINTS("0000002a", "%08x", 42U);
	L_PRINTS("   42|42", "%5d|%1d", 42, 42);
	L_PRINTS("  -5", "%4d", -5);
	L_PRINTS("0x1000", "%p", (void *)(uintptr_t)0x1000);
	/* Widths of two digits, with a 0 and a 9 among them, and of 9. */
	L_PRINTS("000000000007", "%012u", 7U);
	L_PRINTS("        -3|       ab", "%10d|%9x", -3, 0xabU);
	L_PRINTS("                   1", "%20u", 1U);
}

TEST(log_unknown_conversion_and_a_lone_percent_at_the_end)
{
	(void)arena;
	L_PRINTS("a?b", "a%qb");
	/* A '%' ending the format prints '?' and stops: nothing read past the terminator. */
	{
		char fmt[3] = {'x', '%', '\0'};

		L_PRINTS("x?", fmt, 0);
	}
}

/* A value without 'l' is read as 32 bits: the ABI leaves the upper half of a 32-bit argument's
 * 64-bit slot unspecified, so one is passed here in a slot whose upper half is set. */
void hyp_log_vprintf(const char *fmt, va_list ap);

static void l_vprint(const char *fmt, ...)
{
	va_list ap;

	l_len = 0;
	l_out[0] = '\0';
	va_start(ap, fmt);
	hyp_log_vprintf(fmt, ap);
	va_end(ap);
}

TEST(log_a_32_bit_value_is_read_as_32_bits)
{
	(void)arena;
	l_vprint("%u %x %d", 0xAA00000005ULL, 0xBB0000000cULL, 0xCC00000007ULL);
	CHECK_EQ(0, strcmp(l_out, "5 c 7"));
	l_vprint("%lu %lx", 0xAA00000005ULL, 0xBB0000000cULL);
	CHECK_EQ(0, strcmp(l_out, "730144440325 bb0000000c"));
}

/* panic prints "\nhumpy: PANIC " and its message on the console, then turns the system off (on
 * the host, arch_system_off aborts): run in a child whose console is a pipe. */
TEST(log_panic_prints_its_message_then_stops)
{
	(void)arena;
	int fds[2];
	char got[64] = {0};
	size_t n = 0;
	int status = 0;

	CHECK_EQ(0, pipe(fds));
	pid_t child = fork();
	if (child == 0) {
		close(fds[0]);
		l_fd = fds[1];
		hyp_panic("VM %u: %s", 3U, "bad");
	}
	close(fds[1]);
	for (ssize_t r;
	     n < sizeof(got) - 1 && (r = read(fds[0], got + n, sizeof(got) - 1 - n)) > 0;) {
		n += (size_t)r;
	}
	close(fds[0]);
	CHECK_EQ(child, waitpid(child, &status, 0));
	CHECK(WIFSIGNALED(status));
	CHECK_EQ(SIGABRT, WTERMSIG(status));
	if (strcmp(got, "\nhumpy: PANIC VM 3: bad\n") != 0) {
		printf("  panic printed \"%s\"\n", got);
	}
	CHECK_EQ(0, strcmp(got, "\nhumpy: PANIC VM 3: bad\n"));
}

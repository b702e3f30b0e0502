/* live_libfuzzer: the live execution count of a libFuzzer worker, for make fuzz-libfuzzer's
 * progress line (libFuzzer builds only).
 *
 * libFuzzer prints a status line only when its execution count reaches a power of two and when
 * an input adds coverage, so once coverage levels off its log says nothing new for minutes: a
 * line read from it showed "execs/s 0" while the worker ran 170,000 inputs a second (ich_lr,
 * 30/11). The libFuzzer link wraps the fuzz target (-Wl,--wrap=LLVMFuzzerTestOneInput), so every
 * input libFuzzer runs passes through here first and is counted; about once a second the count
 * goes to $HUMPY_FUZZ_LIVE/<pid> as one fixed-width line "execs N", rewritten in place (a reader
 * never sees a half-written file), which fuzz/scripts/fuzz-libfuzzer.sh sums over the workers.
 * Without HUMPY_FUZZ_LIVE (make test's runs, the bug benchmark, throughput) nothing is written.
 * Built with the sanitizers but without coverage: its branches are not the fuzzer's features.
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int __real_LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int __wrap_LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The clock is read once every LIVE_CHECK_EVERY inputs (a power of two). */
#define LIVE_CHECK_EVERY 64u

enum { LIVE_UNOPENED = -2, LIVE_OFF = -1 };

static uint64_t live_execs;
static int live_fd = LIVE_UNOPENED;
static time_t live_written_s;

static void live_open(void)
{
	const char *dir = getenv("HUMPY_FUZZ_LIVE");
	char path[4096];

	live_fd = LIVE_OFF;
	if (dir == NULL || dir[0] == '\0')
		return;
	if (snprintf(path, sizeof(path), "%s/%ld", dir, (long)getpid()) >= (int)sizeof(path))
		return;
	live_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (live_fd < 0)
		live_fd = LIVE_OFF;
}

static void live_write(void)
{
	struct timespec now;
	char line[32];
	int n;

	if (clock_gettime(CLOCK_MONOTONIC_COARSE, &now) != 0 || now.tv_sec == live_written_s)
		return;
	live_written_s = now.tv_sec;
	n = snprintf(line, sizeof(line), "execs %20llu\n", (unsigned long long)live_execs);
	if (n > 0 && pwrite(live_fd, line, (size_t)n, 0) != n)
		live_fd = LIVE_OFF; /* the runner's folder went away: stop writing */
}

int __wrap_LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	live_execs++;
	if (live_fd == LIVE_UNOPENED)
		live_open();
	if (live_fd >= 0 && (live_execs & (LIVE_CHECK_EVERY - 1u)) == 0)
		live_write();
	return __real_LLVMFuzzerTestOneInput(data, size);
}

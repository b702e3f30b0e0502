/* driver_afl: AFL++ persistent-mode main for a target's LLVMFuzzerTestOneInput (input through
 * shared memory; outside afl-fuzz it reads one input from stdin or the file named in argv[1]). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

__AFL_FUZZ_INIT();

/* Copy into an exact-size heap buffer, so AddressSanitizer sees a read past the input's end. */
static void driver_afl_run(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size != 0 ? size : 1);

	if (copy == NULL) {
		abort();
	}
	for (size_t i = 0; i < size; i++) {
		copy[i] = data[i];
	}
	LLVMFuzzerTestOneInput(copy, size);
	free(copy);
}

int main(int argc, char **argv)
{
	if (argc > 1) {
		static uint8_t buf[1 << 20];
		FILE *f = fopen(argv[1], "rb");
		size_t n;

		if (f == NULL) {
			perror(argv[1]);
			return 2;
		}
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		driver_afl_run(buf, n);
		return 0;
	}
#ifdef __AFL_HAVE_MANUAL_CONTROL
	__AFL_INIT();
#endif
	uint8_t *buf = __AFL_FUZZ_TESTCASE_BUF;

	while (__AFL_LOOP(100000)) {
		driver_afl_run(buf, (size_t)__AFL_FUZZ_TESTCASE_LEN);
	}
	return 0;
}

/* test_main: runs the registered host unit tests, each on a fresh arena; exit status 1 on any
 * failure. */
#include <fnmatch.h>
#include <stdlib.h>

#include "test.h"

static struct test_case *test_list;
static int test_failed_checks;

void test_register(struct test_case *tc)
{
	struct test_case **link = &test_list;

	/* Keep source order within a file: append. */
	while (*link != NULL) {
		link = &(*link)->next;
	}
	*link = tc;
}

void test_fail(const char *file, int line, const char *expr, uint64_t want, uint64_t got)
{
	printf("  %s:%d: %s: expected 0x%llx got 0x%llx\n", file, line, expr,
	       (unsigned long long)want, (unsigned long long)got);
	test_failed_checks++;
}

/* argv[1], when given, is a glob over test names. */
int main(int argc, char **argv)
{
	int run = 0, failed = 0;

	for (struct test_case *tc = test_list; tc != NULL; tc = tc->next) {
		struct host_arena arena;
		int before = test_failed_checks;

		if (argc > 1 && fnmatch(argv[1], tc->name, 0) != 0) {
			continue;
		}
		host_arena_init(&arena, TEST_ARENA_SIZE, TEST_SEED);
		tc->fn(&arena);
		host_arena_fini(&arena);
		host_guest_unmap_all();
		run++;
		if (test_failed_checks != before) {
			failed++;
			printf("FAIL %s\n", tc->name);
		} else {
			printf("PASS %s\n", tc->name);
		}
	}
	printf("%s: %d tests, %d failed\n", argv[0], run, failed);
	return failed != 0 || run == 0;
}

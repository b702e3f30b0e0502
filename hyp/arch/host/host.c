/* host: the host stand-in for the arch layer (unit tests, fuzzers): malloc'd arena, panic() aborts.
 */
#include "host.h"

#include "hwirq.h"
#include "vic.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void log_vprintf(const char *fmt, va_list ap)
{
	vfprintf(stderr, fmt, ap);
}

void log_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vprintf(fmt, ap);
	va_end(ap);
}

/* A panic is a hypervisor bug: abort so the sanitizers and fuzzers record where. */
_Noreturn void panic(const char *fmt, ...)
{
	va_list ap;

	fputs("humpy: PANIC ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/* A guest's SYSTEM_OFF reaching the host build is a test bug: stop loudly. */
_Noreturn void arch_system_off(void)
{
	panic("arch_system_off on the host");
}

void host_arena_init(struct host_arena *arena, size_t size, uint64_t seed)
{
	arena->mem = malloc(size);
	if (arena->mem == NULL) {
		panic("host_arena_init: malloc(%zu) failed", size);
	}
	arena->size = size;
	arena->root = root_create(arena->mem, size, seed);
}

void host_arena_fini(struct host_arena *arena)
{
	free(arena->mem);
	arena->mem = NULL;
}

/* No list registers on the host: the VIC's state is all there is (tests read it directly). */
void arch_vic_changed(struct vic *vic)
{
	(void)vic;
}

void arch_hwirq_bound(struct hwirq *hwirq, bool is_bound)
{
	(void)hwirq;
	(void)is_bound;
}

/* fail: how every fuzz target reports a broken invariant (one line naming it, then abort). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "oracle.h"

_Noreturn void oracle_fail(const char *invariant, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "humpy-fuzz: INVARIANT %s broken: ", invariant);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

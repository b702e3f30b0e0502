/* log: formatted console output and panic, for the hypervisor's own messages. */
#ifndef LOG_H
#define LOG_H

#include <stdarg.h>

/* printf subset: %s %c %d %u %x %p, flags '0' and width, length 'l'/'ll'/'z'. */
void log_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_vprintf(const char *fmt, va_list ap);

/*
 * For the hypervisor's own broken invariants only (never for anything a guest did): prints
 * "humpy: PANIC <message>" and powers the machine off.
 */
_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif

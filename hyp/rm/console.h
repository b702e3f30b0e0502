/* console: the RM's output on the physical UART it owns (mapped in its Stage-2 at the address its
 * boot DT names). Nothing is printed before console_init. */
#ifndef RM_CONSOLE_H
#define RM_CONSOLE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Drives the UART at @uart_base as the one @compatible names ("arm,pl011" or "cdns,uart-r1p12",
 * humpy,uart-compatible in the boot DT). Returns false, and nothing is ever printed, for another
 * UART or none (NULL). */
bool console_init(uint64_t uart_base, const char *compatible);

/* A VM's console bytes as they are (a NUL printed as a space, a newline as CR LF); @ctx unused (the
 * shape of rm_rpc_ops.console_write, whose tables point here). */
void console_write_bytes(void *ctx, const char *bytes, size_t len);

/* printf subset: %s %c %d %u %x %p, with l/ll, width and 0-padding. */
void rm_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int rm_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* Reports a broken invariant of the RM itself (or a boot it cannot make) and powers the machine
 * off: without its RM the primary VM could never be answered. */
_Noreturn void rm_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif

/* Console output (PL011 or Cadence UART, as the DT says): free text for diagnostics and the
 * "[humpy] " protocol lines. */
#ifndef HUMPY_CONSOLE_H
#define HUMPY_CONSOLE_H

#include <humpy/types.h>

#define PROTO_PREFIX "[humpy] "

/* kind: PLAT_UART_* (humpy/plat.h). */
void console_init(u64 base, u32 kind);
void console_putc(char c);
void console_puts(const char *s);
void console_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* One protocol line: starts a fresh line if needed, prefixes "[humpy] ", ends with a newline. */
void proto_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif

/* plat: what a board folder offers the rest of hyp/ (console, fixed addresses in platform.h). */
#ifndef PLAT_H
#define PLAT_H

#include "util.h"

/* Point the console at the DT's UART, a MACHINE_UART_* kind at @base (no console before). */
void plat_console_init(uint32_t kind, paddr_t base);
void plat_console_putc(char c);

/* The drivers behind it (hyp/platform/common/): one character each, bounded waits. */
void pl011_init(paddr_t base);
void pl011_putc(char c);
void cadence_uart_init(paddr_t base);
void cadence_uart_putc(char c);

#endif

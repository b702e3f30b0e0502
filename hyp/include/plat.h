/* plat: what a board folder offers the rest of hyp/ (boot DT, console; platform.h's few facts). */
#ifndef PLAT_H
#define PLAT_H

#include "machine.h"
#include "util.h"

/* The boot DT: x0's when it holds one, else where the platform's loader leaves it; NULL if
 * neither. Runs with the MMU off. */
const void *plat_boot_dtb(uint64_t boot_x0);

/* Point the console at the DT's UART (m->uart, of kind m->uart_kind; no console before). */
void plat_console_init(const struct machine *m);
void plat_console_putc(char c);

/* The drivers behind it (hyp/platform/common/): one character each, bounded waits. */
void pl011_init(paddr_t base);
void pl011_putc(char c);
void cadence_uart_init(paddr_t base);
void cadence_uart_putc(char c);
void uart_8250_init(paddr_t base, uint32_t reg_shift, uint32_t reg_width);
void uart_8250_putc(char c);
void imx_uart_init(paddr_t base);
void imx_uart_putc(char c);

#endif

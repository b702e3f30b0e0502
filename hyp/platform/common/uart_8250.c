/* uart_8250: the console on a 16550-compatible UART (the RK3399's DesignWare APB UART, the RPi's
 * mini UART), polled transmit. Firmware set the baud rate and line format; the device tree says
 * how far apart the registers are (reg-shift) and how wide an access must be (reg-io-width). */
#include "plat.h"

#define UART_8250_THR      0 /* transmit holding register, in register numbers */
#define UART_8250_LSR      5 /* line status */
#define UART_8250_LSR_THRE BIT(5)
#define UART_8250_TX_POLLS 100000

/* One console per machine (see pl011.c): a file-scope global on purpose, not core state. */
static volatile uint8_t *uart_8250_regs;
static uint32_t uart_8250_shift;
static bool uart_8250_is_wide; /* 32-bit accesses (reg-io-width 4), else 8-bit */
static bool uart_8250_is_stuck;

void uart_8250_init(paddr_t base, uint32_t reg_shift, uint32_t reg_width)
{
	uart_8250_regs = (volatile uint8_t *)(uintptr_t)base;
	uart_8250_shift = reg_shift;
	uart_8250_is_wide = reg_width == 4;
}

static uint32_t uart_8250_read(uint32_t reg)
{
	volatile uint8_t *p = uart_8250_regs + (reg << uart_8250_shift);

	return uart_8250_is_wide ? *(volatile uint32_t *)p : *p;
}

static void uart_8250_write(uint32_t reg, uint8_t v)
{
	volatile uint8_t *p = uart_8250_regs + (reg << uart_8250_shift);

	if (uart_8250_is_wide)
		*(volatile uint32_t *)p = v;
	else
		*p = v;
}

void uart_8250_putc(char c)
{
	if (uart_8250_regs == NULL)
		return;
	if (c == '\n')
		uart_8250_putc('\r');
	/* Bounded, as for the PL011: the VM shares the UART and may stop it. */
	for (unsigned i = 0; (uart_8250_read(UART_8250_LSR) & UART_8250_LSR_THRE) == 0; i++) {
		if (uart_8250_is_stuck || i == UART_8250_TX_POLLS) {
			uart_8250_is_stuck = true;
			return;
		}
	}
	uart_8250_is_stuck = false;
	uart_8250_write(UART_8250_THR, (uint8_t)c);
}

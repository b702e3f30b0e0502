/* pl011: the hypervisor's console, a polled PL011 transmitter (firmware or QEMU set the baud rate).
 */
#include "plat.h"

#define PL011_DR      0x000
#define PL011_FR      0x018
#define PL011_FR_TXFF BIT(5)
/* Far longer than a character takes at any usual baud rate. */
#define PL011_TX_POLLS 100000

/* One console per machine, used by log_printf and panic from anywhere (including before any
 * context exists): a file-scope global on purpose, not core state. */
static volatile uint8_t *pl011_regs;
/* The last wait for FIFO room ran out: later characters are dropped without waiting. */
static bool pl011_is_stuck;

void pl011_init(paddr_t base)
{
	pl011_regs = (volatile uint8_t *)(uintptr_t)base;
}

void pl011_putc(char c)
{
	if (pl011_regs == NULL)
		return;
	if (c == '\n')
		pl011_putc('\r');
	/*
	 * The VM shares this UART and may stop its transmitter (UARTCR, CTS flow control): the
	 * wait is bounded, or a guest could hang the hypervisor in its next log line.
	 */
	for (unsigned i = 0; (*(volatile uint32_t *)(pl011_regs + PL011_FR) & PL011_FR_TXFF) != 0;
	     i++) {
		if (pl011_is_stuck || i == PL011_TX_POLLS) {
			pl011_is_stuck = true;
			return;
		}
	}
	pl011_is_stuck = false;
	*(volatile uint32_t *)(pl011_regs + PL011_DR) = (uint32_t)(uint8_t)c;
}

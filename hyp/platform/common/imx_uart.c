/* imx_uart: the console on Freescale's i.MX UART (i.MX6 .. i.MX8M), polled transmit. Firmware
 * enabled it and set the baud rate; only the transmit FIFO's full flag is watched. */
#include "plat.h"

#define IMX_UART_UTXD       0x40 /* transmitter register */
#define IMX_UART_UTS        0xB4 /* test register: holds the TX FIFO full flag */
#define IMX_UART_UTS_TXFULL BIT(4)
#define IMX_UART_TX_POLLS   100000

/* One console per machine (see pl011.c): a file-scope global on purpose, not core state. */
static volatile uint8_t *imx_uart_regs;
static bool imx_uart_is_stuck;

void imx_uart_init(paddr_t base)
{
	imx_uart_regs = (volatile uint8_t *)(uintptr_t)base;
}

void imx_uart_putc(char c)
{
	if (imx_uart_regs == NULL)
		return;
	if (c == '\n')
		imx_uart_putc('\r');
	/* Bounded, as for the PL011: the VM shares the UART and may stop it. */
	for (unsigned i = 0;
	     (*(volatile uint32_t *)(imx_uart_regs + IMX_UART_UTS) & IMX_UART_UTS_TXFULL) != 0;
	     i++) {
		if (imx_uart_is_stuck || i == IMX_UART_TX_POLLS) {
			imx_uart_is_stuck = true;
			return;
		}
	}
	imx_uart_is_stuck = false;
	*(volatile uint32_t *)(imx_uart_regs + IMX_UART_UTXD) = (uint32_t)(uint8_t)c;
}

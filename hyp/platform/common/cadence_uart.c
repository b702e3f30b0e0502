/* cadence_uart: the console on Cadence's UART (Xilinx ZynqMP's UART0/1), polled transmit. Firmware
 * sets the baud rate; the transmitter may still be disabled, and then FIFO writes are dropped. */
#include "plat.h"

#define CDNS_CR        0x00
#define CDNS_CR_TXEN   BIT(4)
#define CDNS_CR_RXEN   BIT(2)
#define CDNS_CR_TXDIS  BIT(5)
#define CDNS_CR_RXDIS  BIT(3)
#define CDNS_SR        0x2C
#define CDNS_SR_TXFULL BIT(4)
#define CDNS_FIFO      0x30
#define CDNS_TX_POLLS  100000

/* One console per machine (see pl011.c): a file-scope global on purpose, not core state. */
static volatile uint8_t *cadence_regs;
static bool cadence_is_stuck;

void cadence_uart_init(paddr_t base)
{
	cadence_regs = (volatile uint8_t *)(uintptr_t)base;
	volatile uint32_t *cr = (volatile uint32_t *)(cadence_regs + CDNS_CR);
	/* TX and RX enabled, their disable bits clear; the other bits (resets, break) left 0. */
	*cr = (*cr & ~(uint32_t)(CDNS_CR_TXDIS | CDNS_CR_RXDIS)) | CDNS_CR_TXEN | CDNS_CR_RXEN;
}

void cadence_uart_putc(char c)
{
	if (cadence_regs == NULL)
		return;
	if (c == '\n')
		cadence_uart_putc('\r');
	/* Bounded, as for the PL011: the VM shares the UART and may disable it. */
	for (unsigned i = 0; (*(volatile uint32_t *)(cadence_regs + CDNS_SR) & CDNS_SR_TXFULL) != 0;
	     i++) {
		if (cadence_is_stuck || i == CDNS_TX_POLLS) {
			cadence_is_stuck = true;
			return;
		}
	}
	cadence_is_stuck = false;
	*(volatile uint32_t *)(cadence_regs + CDNS_FIFO) = (uint32_t)(uint8_t)c;
}

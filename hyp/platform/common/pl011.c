/* pl011: the hypervisor's console, a polled PL011 transmitter (firmware or QEMU set the baud rate).
 */
#include "plat.h"

#define PL011_DR      0x000
#define PL011_FR      0x018
#define PL011_FR_TXFF BIT(5)

static volatile uint8_t *pl011_regs;

void plat_console_init(paddr_t base)
{
	pl011_regs = (volatile uint8_t *)(uintptr_t)base;
}

paddr_t plat_console_base(void)
{
	return (paddr_t)(uintptr_t)pl011_regs;
}

void plat_console_putc(char c)
{
	if (pl011_regs == NULL)
		return;
	if (c == '\n')
		plat_console_putc('\r');
	while ((*(volatile uint32_t *)(pl011_regs + PL011_FR) & PL011_FR_TXFF) != 0)
		;
	*(volatile uint32_t *)(pl011_regs + PL011_DR) = (uint32_t)(uint8_t)c;
}

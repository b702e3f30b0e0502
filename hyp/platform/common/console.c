/* console: the hypervisor's console on the UART the device tree names, by its kind. */
#include "machine.h"
#include "plat.h"

/* Which driver log_printf's characters go to (file-scope, like the drivers' own registers). */
static uint32_t console_kind;

void plat_console_init(uint32_t kind, paddr_t base)
{
	console_kind = kind;
	if (kind == MACHINE_UART_CADENCE)
		cadence_uart_init(base);
	else
		pl011_init(base);
}

void plat_console_putc(char c)
{
	if (console_kind == MACHINE_UART_CADENCE)
		cadence_uart_putc(c);
	else
		pl011_putc(c);
}

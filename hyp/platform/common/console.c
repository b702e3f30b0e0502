/* console: the hypervisor's console on the UART the device tree names, by its kind. */
#include "machine.h"
#include "plat.h"

/* Which driver log_printf's characters go to (file-scope, like the drivers' own registers). */
static uint32_t console_kind;

void plat_console_init(const struct machine *m)
{
	console_kind = m->uart_kind;
	switch (m->uart_kind) {
	case MACHINE_UART_CADENCE:
		cadence_uart_init(m->uart.base);
		break;
	case MACHINE_UART_8250:
		uart_8250_init(m->uart.base, m->uart_reg_shift, m->uart_reg_width);
		break;
	case MACHINE_UART_IMX:
		imx_uart_init(m->uart.base);
		break;
	default:
		pl011_init(m->uart.base);
		break;
	}
}

void plat_console_putc(char c)
{
	switch (console_kind) {
	case MACHINE_UART_CADENCE:
		cadence_uart_putc(c);
		break;
	case MACHINE_UART_8250:
		uart_8250_putc(c);
		break;
	case MACHINE_UART_IMX:
		imx_uart_putc(c);
		break;
	default:
		pl011_putc(c);
		break;
	}
}

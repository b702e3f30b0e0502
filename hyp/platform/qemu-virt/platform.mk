# qemu-virt: nothing to compile beyond the shared drivers; platform.h carries the addresses.
HYP_PLAT_SRCS := hyp/platform/common/console.c hyp/platform/common/pl011.c \
	hyp/platform/common/cadence_uart.c hyp/platform/common/uart_8250.c \
	hyp/platform/common/imx_uart.c

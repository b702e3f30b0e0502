# qemu-virt: nothing to compile beyond the shared code (boot DT, console drivers); platform.h has
# its few facts.
HYP_PLAT_SRCS := hyp/platform/common/boot_dtb.c hyp/platform/common/console.c hyp/platform/common/pl011.c \
	hyp/platform/common/cadence_uart.c hyp/platform/common/uart_8250.c \
	hyp/platform/common/imx_uart.c

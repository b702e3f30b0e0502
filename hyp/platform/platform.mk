# hyp/platform: one image for every board. common/ holds the boot DT, the board table and the
# console drivers; each board folder one board.c, what that board's device tree cannot say.
HYP_PLAT_BOARDS := qemu-virt xilinx-zcu102 bcm2711-rpi-4-b juno-uboot imx8mm-evk rk3399-rock-pi-4b
HYP_PLAT_SRCS := hyp/platform/common/boot_dtb.c hyp/platform/common/board.c \
	hyp/platform/common/console.c hyp/platform/common/pl011.c \
	hyp/platform/common/cadence_uart.c hyp/platform/common/uart_8250.c \
	hyp/platform/common/imx_uart.c $(foreach b,$(HYP_PLAT_BOARDS),hyp/platform/$(b)/board.c)

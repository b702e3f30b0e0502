/* bcm2711-rpi-4-b: Raspberry Pi 4 Model B (LAVA bcm2711-rpi-4-b). Its DT (bcm2711-rpi-4-b.dtb:
 * root "raspberrypi,4-model-b") lists the PL011 first, serial0 = /soc/serial@7e201000, which is
 * wired to the Bluetooth chip (its node has a bluetooth child); humpy keeps the mini UART on the
 * GPIO header, serial1 = /soc/serial@7e215040 (stdout-path "serial1:115200n8" agrees). */
#include "plat.h"

const struct plat_board plat_board_bcm2711_rpi_4_b = {
    .name = "bcm2711-rpi-4-b",
    .compatible = "raspberrypi,4-model-b",
    .console_alias = "serial1",
};

/* juno-uboot: Arm Juno r0/r1/r2 with U-Boot (LAVA juno-uboot). Its DT (juno-r2.dtb: root
 * "arm,juno-r2", "arm,juno"; r0 and r1 list "arm,juno" too) has one UART humpy drives, the PL011
 * serial0 = /serial@7ff80000, the board's UART0 port (stdout-path "serial0:115200n8" agrees). */
#include "plat.h"

const struct plat_board plat_board_juno_uboot = {
    .name = "juno-uboot",
    .compatible = "arm,juno",
    .console_alias = "serial0",
};

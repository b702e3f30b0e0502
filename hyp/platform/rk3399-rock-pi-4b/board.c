/* rk3399-rock-pi-4b: Radxa ROCK Pi 4B, RK3399 (LAVA rk3399-rock-pi-4b). Its DT
 * (rk3399-rock-pi-4b.dtb: root "radxa,rockpi4b") enables uart0 first, serial0 = /serial@ff180000,
 * which carries the Bluetooth chip (a bluetooth child); humpy keeps the debug UART2, serial2 =
 * /serial@ff1a0000, at 1500000 baud (stdout-path "serial2:1500000n8" agrees). */
#include "plat.h"

const struct plat_board plat_board_rk3399_rock_pi_4b = {
    .name = "rk3399-rock-pi-4b",
    .compatible = "radxa,rockpi4b",
    .console_alias = "serial2",
};

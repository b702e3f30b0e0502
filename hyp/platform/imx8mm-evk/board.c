/* imx8mm-evk: NXP i.MX8M Mini EVK (LAVA imx8mm-evk). Its DT (imx8mm-evk.dtb: root
 * "fsl,imx8mm-evk") has four i.MX UARTs; humpy keeps UART2, serial1 =
 * /soc@0/bus@30800000/spba-bus@30800000/serial@30890000, the debug port (stdout-path names that
 * node by its path). */
#include "plat.h"

const struct plat_board plat_board_imx8mm_evk = {
    .name = "imx8mm-evk",
    .compatible = "fsl,imx8mm-evk",
    .console_alias = "serial1",
};

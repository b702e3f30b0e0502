/* xilinx-zcu102: AMD/Xilinx ZCU102 (LAVA xilinx-zcu102; QEMU's xlnx-zcu102 model, MACHINE=zcu102).
 * Its DT (zynqmp-zcu102-rev1.0.dtb: root "xlnx,zynqmp-zcu102-rev1.0", "xlnx,zynqmp-zcu102")
 * enables two Cadence UARTs; humpy keeps UART0, serial0 = /axi/serial@ff000000, where TF-A and
 * U-Boot print (the tree's stdout-path "serial0:115200n8" agrees). */
#include "plat.h"

const struct plat_board plat_board_xilinx_zcu102 = {
    .name = "xilinx-zcu102",
    .compatible = "xlnx,zynqmp-zcu102",
    .console_alias = "serial0",
};

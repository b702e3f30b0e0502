/* qemu-virt: QEMU's "virt" machine (the harness's MACHINE=virt and virt-gicv2, LAVA's qemu and
 * qemu-uboot jobs). Its DT (made by QEMU) has root compatible "linux,dummy-virt" and a
 * stdout-path; what it cannot say is where QEMU puts it for an image QEMU does not boot as Linux
 * (an ELF -kernel, the generic loader): at the base of RAM, 0x40000000, and in no register. */
#include "plat.h"

const struct plat_board plat_board_qemu_virt = {
    .name = "qemu-virt",
    .compatible = "linux,dummy-virt",
    .dtb_probe = 0x40000000,
};

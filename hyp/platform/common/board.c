/* board: every board's description in one table, and the one a device tree's root names. */
#include "fdt.h"
#include "plat.h"

extern const struct plat_board plat_board_qemu_virt, plat_board_xilinx_zcu102,
    plat_board_bcm2711_rpi_4_b, plat_board_juno_uboot, plat_board_imx8mm_evk,
    plat_board_rk3399_rock_pi_4b;

/* One entry per folder of hyp/platform (platform.mk's HYP_PLAT_BOARDS; hyp/test checks both). */
const struct plat_board *const plat_boards[] = {
    &plat_board_qemu_virt,  &plat_board_xilinx_zcu102, &plat_board_bcm2711_rpi_4_b,
    &plat_board_juno_uboot, &plat_board_imx8mm_evk,    &plat_board_rk3399_rock_pi_4b,
};
const uint32_t plat_board_count = ARRAY_SIZE(plat_boards);

const struct plat_board *plat_board_match(const struct machine *m)
{
	for (uint32_t i = 0; i < plat_board_count; i++) {
		if (fdt_machine_is(m, plat_boards[i]->compatible))
			return plat_boards[i];
	}
	return NULL;
}

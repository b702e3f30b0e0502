/* boot_dtb: where the boot DT is, before anything else is known (the MMU is still off). */
#include "fdt.h"
#include "plat.h"

const void *plat_boot_dtb(uint64_t boot_x0, const struct plat_board **probed_for)
{
	*probed_for = NULL;
	/* The arm64 boot protocol's x0 (U-Boot's booti, QEMU's -kernel with an Image). */
	if (boot_x0 != 0)
		return IS_ALIGNED(boot_x0, 8) && fdt_has_magic((const void *)(uintptr_t)boot_x0)
		           ? (const void *)(uintptr_t)boot_x0
		           : NULL;
	/*
	 * x0 = 0: a loader outside that protocol. Only the places a board's description names are
	 * read (an address that is RAM on one board may be a hole on another), and the tree found
	 * there counts only if it says it is that board's (hyp_main checks, once it is read).
	 */
	for (uint32_t i = 0; i < plat_board_count; i++) {
		paddr_t at = plat_boards[i]->dtb_probe;

		if (at != 0 && fdt_has_magic((const void *)(uintptr_t)at)) {
			*probed_for = plat_boards[i];
			return (const void *)(uintptr_t)at;
		}
	}
	return NULL;
}

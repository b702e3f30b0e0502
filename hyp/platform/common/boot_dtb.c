/* boot_dtb: where the boot DT is, before anything else is known (the MMU is still off). */
#include "fdt.h"
#include "plat.h"
#include "platform.h"

const void *plat_boot_dtb(uint64_t boot_x0)
{
	/* The arm64 boot protocol's x0 (U-Boot's booti, QEMU's -kernel with an Image). */
	if (boot_x0 != 0 && IS_ALIGNED(boot_x0, 8) &&
	    fdt_has_magic((const void *)(uintptr_t)boot_x0))
		return (const void *)(uintptr_t)boot_x0;
#ifdef PLAT_DTB_FALLBACK
	if (fdt_has_magic((const void *)(uintptr_t)PLAT_DTB_FALLBACK))
		return (const void *)(uintptr_t)PLAT_DTB_FALLBACK;
#endif
	return NULL;
}

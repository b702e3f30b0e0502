/*
 * gicv2_frame: where the two 4 KiB pages of a GICv2 CPU interface (GICC, or its virtual twin
 * GICV) are inside the region a device tree gives for it. Page 0 holds CTLR..IIDR, page 1 DIR.
 * A GIC-400 wired to 64 KiB frames (some boards: a 0x20000-sized region) repeats page 0 over the
 * first 64 KiB and page 1 over the second; otherwise the pages follow each other. Pure: builds on
 * the host (unit tests).
 */
#ifndef GICV2_FRAME_H
#define GICV2_FRAME_H

#include <stdbool.h>
#include <stdint.h>

#define GICV2_PAGE         0x1000ull
#define GICV2_PAGES        2u
#define GICV2_ALIAS_STRIDE 0x10000ull
#define GICV2_ALIAS_REGION 0x20000ull /* a region this large repeats each page every 64 KiB */

/* Whether a CPU interface region of @size bytes holds each page aliased over 64 KiB. */
static inline bool gicv2_frame_is_aliased(uint64_t size)
{
	return size >= GICV2_ALIAS_REGION;
}

/* The offset in a region of @size bytes of (one copy of) page @page (< GICV2_PAGES). */
static inline uint64_t gicv2_frame_page_offset(uint64_t size, unsigned page)
{
	return page * (gicv2_frame_is_aliased(size) ? GICV2_ALIAS_STRIDE : GICV2_PAGE);
}

/*
 * For the 4 KiB page at offset @off of a VM's CPU interface region of @vm_size bytes: the offset
 * of the hardware page backing it in the GICV region of @gicv_size bytes; false when @off holds
 * no page of the interface (past page 1 of a contiguous region, past the region).
 */
static inline bool gicv2_frame_backing(uint64_t vm_size, uint64_t gicv_size, uint64_t off,
                                       uint64_t *gicv_off)
{
	uint64_t page =
	    gicv2_frame_is_aliased(vm_size) ? off / GICV2_ALIAS_STRIDE : off / GICV2_PAGE;

	if (off >= vm_size || page >= GICV2_PAGES ||
	    gicv2_frame_page_offset(gicv_size, (unsigned)page) + GICV2_PAGE > gicv_size)
		return false;
	*gicv_off = gicv2_frame_page_offset(gicv_size, (unsigned)page);
	return true;
}

#endif

/*
 * payload: images packed behind the hypervisor in humpy.bin (hyp/tools/pack-image.py writes it).
 * Layout, little-endian, at the first page after the hypervisor's memory image:
 *   u64 magic "HUMPYPK1" | u32 count | u32 total_size (bytes, header included)
 *   count x { u64 dest_ipa | u32 offset (from the header) | u32 size }
 */
#ifndef PAYLOAD_H
#define PAYLOAD_H

#include "util.h"

#define PAYLOAD_MAGIC       0x314b5059504d5548ull /* "HUMPYPK1" */
#define PAYLOAD_MAX_ENTRIES 4
#define PAYLOAD_MAX_SIZE    (64u << 20)

struct payload_entry {
	uint64_t dest;
	uint32_t offset;
	uint32_t size;
};

struct payload_header {
	uint64_t magic;
	uint32_t count;
	uint32_t total_size;
	struct payload_entry entry[];
};

_Static_assert(sizeof(struct payload_header) == 16, "payload header layout");
_Static_assert(sizeof(struct payload_entry) == 16, "payload entry layout");

struct vm;

/*
 * Copies the packed images at blob (readable for avail bytes) into the VM's RAM (1:1 with the
 * PA). Returns the number of images copied, 0 when there is no payload, -1 when it is malformed.
 */
int payload_load(const void *blob, uint64_t avail, const struct vm *vm);

/*
 * The Resource Manager's image (hyp/rm/start.S) begins with this header: a branch over it, the
 * magic, the address it is linked at and the RAM it spans (BSS and stack included).
 */
#define PAYLOAD_RM_MAGIC 0x314d5259504d5548ull /* "HUMPYRM1" */

struct payload_rm_header {
	uint32_t branch;
	uint32_t reserved;
	uint64_t magic;
	uint64_t link_base;
	uint64_t mem_size;
};

_Static_assert(sizeof(struct payload_rm_header) == 32, "RM header layout");

/*
 * Copies the RM image (@image_size bytes) to the start of @rm's RAM and its boot DT (@dtb_size
 * bytes) to @rm's DT address, after checking the header: linked at the RAM's base, spanning no more
 * than the RAM below the DT. Returns 0, or -1 (nothing copied) for an image that does not fit.
 */
int payload_load_rm(const void *image, uint64_t image_size, const void *dtb, uint64_t dtb_size,
                    const struct vm *rm);

#endif

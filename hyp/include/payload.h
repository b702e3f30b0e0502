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

#endif

/* host: the host stand-in for the arch layer (unit tests, fuzzers): guest memory is a malloc'd
 * arena. */
#ifndef HOST_H
#define HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "root.h"

struct host_arena {
	void *mem;
	size_t size;
	struct root_objects root;
};

/* A fresh arena of @size bytes with the root partition and cspace in it; the same @seed gives the
 * same cap IDs (root_create). */
void host_arena_init(struct host_arena *arena, size_t size, uint64_t seed);
void host_arena_fini(struct host_arena *arena);

/*
 * The host's stand-in for a guest's address space (arch_copy_from/to_guest): up to
 * HOST_GUEST_WINDOWS windows of host memory at guest VAs, each readable and maybe writable; every
 * other VA is unmapped. host_guest_unmap_all() forgets them (each test starts with none).
 */
#define HOST_GUEST_WINDOWS 4
void host_guest_map(uint64_t va, void *mem, size_t size, bool is_writable);
void host_guest_unmap_all(void);

/*
 * The host's stand-in for the firmware's SMCCC (arch_firmware_arch_feature, _call): a test
 * sets the answers to SMCCC_ARCH_WORKAROUND_1/2/3 and reads which calls reached it.
 */
struct host_firmware {
	int32_t answer[3];
	unsigned calls;
	uint32_t last_fid;
	uint32_t last_arg;
};
extern struct host_firmware host_firmware;

#endif

/* host: the host stand-in for the arch layer (unit tests, fuzzers): guest memory is a malloc'd
 * arena. */
#ifndef HOST_H
#define HOST_H

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

#endif

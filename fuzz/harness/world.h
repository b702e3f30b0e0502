/* world: the host-side state a core fuzzer runs in: the arena with the root objects, a shadow of
 * every partition allocation (seen through the linker's --wrap) and the live-object registry. */
#ifndef FUZZ_WORLD_H
#define FUZZ_WORLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cspace.h"
#include "partition.h"
#include "root.h"

/* Small on purpose: NOMEM is reachable in a few calls (a child partition takes 64 KiB); the root
 * memory's tables (memdb, owner array, VMID bitmap: about 10 KiB) come on top. */
#define WORLD_ARENA_SIZE (272U * 1024U)
/*
 * The root partition's physical memory, as hyp/core/main.c gives it (root_memory_init): the real
 * base, so memextent_configure calls traced from the conformance suite name the same pages, but
 * 256 pages instead of 16 MiB (the suite's tests use 16; every oracle walk is per page). The host
 * never touches these addresses: Stage-2 is a stand-in table (hyp/arch/host/host_stage2.c).
 */
#define WORLD_MEM_BASE   0xA0000000ULL
#define WORLD_MEM_SIZE   0x100000ULL
#define WORLD_VMID       1U /* the boot VM's VMID, taken as hyp/core/main.c takes it */
#define WORLD_MAX_ALLOCS 4096U
/* The root objects' allocations a fresh world has (world_reset's snapshot keeps them). */
#define WORLD_SNAPSHOT_ALLOCS 32U

/* One live allocation from a partition's heap: an object or memory an object owns. */
struct world_alloc {
	void *ptr;
	size_t size;
	struct partition *partition;
	bool is_object;
	uint64_t serial; /* objects: unique for the process, so a stale name never matches */
};

struct world {
	void *arena;
	struct root_objects root;
	size_t root_start_used; /* root heap bytes in use once the root objects exist */
	struct world_alloc allocs[WORLD_MAX_ALLOCS];
	unsigned n_allocs;
	uint64_t next_serial;
	/* Extents and address spaces this input made: until one exists, nothing can change the
	 * memdb or the VMID bitmap (only their code writes them), and the oracle skips those walks.
	 */
	unsigned memextents_made;
	unsigned addrspaces_made;
	unsigned sources_made; /* doorbells and message queues: the VIRQ sources a call checks */
	bool restored;         /* the last world_reset restored the snapshot (not a build) */
};

extern struct world world;

/*
 * The world every input starts from: the root partition, cspace, VIC, vCPU, RAM and address space,
 * the same cap IDs for every input. Built once, then restored from a snapshot of the arena
 * (HUMPY_FUZZ_SNAPSHOT_CHECK=1: built every time and compared with the snapshot).
 */
void world_reset(void);

/* The live objects in creation order: the i-th, or NULL past the end. */
struct object *world_object(unsigned i);
uint64_t world_object_serial(const struct object *obj);
/* The live object with this serial, or NULL once it is gone. */
struct object *world_object_by_serial(uint64_t serial);
bool world_is_live_object(const struct object *obj);

/* Delete every cap in every cspace (the root cspace keeps the root objects' master caps) until
 * nothing is left but the root objects. */
void world_delete_everything(void);

#endif

/* partition: an object that owns memory; every object is allocated from one and keeps it
 * referenced. */
#ifndef PARTITION_H
#define PARTITION_H

#include "heap.h"
#include "object.h"

struct memdb;

struct partition {
	struct object hdr;
	struct heap heap;
	/* Child partitions: the block taken from the parent's heap on activation, returned on
	 * cleanup. */
	void *heap_mem;
	size_t heap_size;
	/* Generator state for what must be unpredictable to guests (cap ID keys of the cspaces made
	 * from it, seeds of its children): per partition, not global, so a host program can run
	 * several cores side by side and get the same IDs from the same seed. */
	uint64_t random_state;
	/* The owner table of the physical memory this partition's extents may take pages from (the
	 * root partition's, memdb.h); NULL when it has none. */
	struct memdb *memdb;
	/* VMIDs taken by active address spaces (addrspace.h), shared the same way; NULL: none. */
	uint64_t *vmid_used;
};

struct partition_alloc_result {
	error_t error;
	void *ptr;
};

/*
 * The root partition manages [base, base+size) and is itself allocated from it; it is ACTIVE and
 * never destroyed (the caller keeps the reference this returns). @seed starts its generator (boot:
 * arch_boot_entropy(); host programs: a fixed value for repeatable IDs).
 */
struct partition *partition_init_root(void *base, size_t size, uint64_t seed);

/* The next value of the partition's generator (splitmix64: hides slot numbers, not secret-grade).
 * A child partition's generator is seeded from its parent's on activation. */
uint64_t partition_random(struct partition *partition);

/* Zeroed memory from the partition's heap; ERROR_NOMEM when it cannot give it. */
struct partition_alloc_result partition_alloc(struct partition *partition, size_t size);
void partition_free(struct partition *partition, void *ptr, size_t size);

/* Bytes a new child partition takes from its parent on activation (spec limit
 * child_partition_heap). */
#define PARTITION_CHILD_HEAP_SIZE 65536U

extern const struct obj_ops partition_ops;

#endif

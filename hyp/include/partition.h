/* partition: an object that owns memory; every object is allocated from one and keeps it
 * referenced. */
#ifndef PARTITION_H
#define PARTITION_H

#include "heap.h"
#include "object.h"

struct partition {
	struct object hdr;
	struct heap heap;
	/* Child partitions: the block taken from the parent's heap on activation, returned on
	 * cleanup. */
	void *heap_mem;
	size_t heap_size;
};

struct partition_alloc_result {
	error_t error;
	void *ptr;
};

/*
 * The root partition manages [base, base+size) and is itself allocated from it; it is ACTIVE and
 * never destroyed (the caller keeps the reference this returns).
 */
struct partition *partition_init_root(void *base, size_t size);

/* Zeroed memory from the partition's heap; ERROR_NOMEM when it cannot give it. */
struct partition_alloc_result partition_alloc(struct partition *partition, size_t size);
void partition_free(struct partition *partition, void *ptr, size_t size);

/* Bytes a new child partition takes from its parent on activation (spec limit
 * child_partition_heap). */
#define PARTITION_CHILD_HEAP_SIZE 65536U

extern const struct obj_ops partition_ops;

#endif

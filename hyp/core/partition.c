/* partition: memory owners; the root partition at boot, child partitions carved from their parent.
 */
#include "partition.h"

#include "log.h"

/* Mixed into the boot seed, so seed 0 (host programs) still starts from a scrambled state. */
#define PARTITION_RANDOM_INIT 0x243f6a8885a308d3ULL

struct partition *partition_init_root(void *base, size_t size, uint64_t seed)
{
	struct heap heap;
	struct partition *root;

	heap_init(&heap, base, size);
	root = heap_alloc(&heap, sizeof(*root));
	if (root == NULL) {
		panic("partition_init_root: %zu bytes is too small", size);
	} else {
		root->heap = heap;
		root->hdr.type = OBJ_PARTITION;
		root->hdr.state = OBJ_STATE_ACTIVE;
		root->hdr.refcount = 1U;
		root->hdr.partition = NULL;
		root->random_state = PARTITION_RANDOM_INIT ^ seed;
	}
	return root;
}

struct partition_alloc_result partition_alloc(struct partition *partition, size_t size)
{
	struct partition_alloc_result ret = {.error = ERROR_NOMEM, .ptr = NULL};

	ret.ptr = heap_alloc(&partition->heap, size);
	if (ret.ptr != NULL) {
		ret.error = OK;
	}
	return ret;
}

uint64_t partition_random(struct partition *partition)
{
	uint64_t z = (partition->random_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void partition_free(struct partition *partition, void *ptr, size_t size)
{
	heap_free(&partition->heap, ptr, size);
}

/* A child takes its heap from its parent (the partition it was allocated from). */
static error_t partition_activate(struct object *obj)
{
	struct partition *child = (struct partition *)obj;
	struct partition_alloc_result mem =
	    partition_alloc(obj->partition, PARTITION_CHILD_HEAP_SIZE);

	if (mem.error != OK) {
		return mem.error;
	}
	child->heap_mem = mem.ptr;
	child->heap_size = PARTITION_CHILD_HEAP_SIZE;
	heap_init(&child->heap, mem.ptr, PARTITION_CHILD_HEAP_SIZE);
	child->random_state = partition_random(obj->partition);
	return OK;
}

static void partition_cleanup(struct object *obj, struct object **dead)
{
	struct partition *child = (struct partition *)obj;

	(void)dead; /* it holds no references */
	if (child->heap_mem == NULL) {
		return;
	}
	/* Every object allocated from the child holds a reference on it, so none is left. */
	if (child->heap.used != 0U) {
		panic("partition_cleanup: %zu bytes still allocated", child->heap.used);
	}
#if HUMPY_PLANT_BUG != 12 /* planted bug 12 drops this: memory leak */
	partition_free(obj->partition, child->heap_mem, child->heap_size);
#endif
}

const struct obj_ops partition_ops = {
    .size = sizeof(struct partition),
    .all_rights = RIGHT_OBJECT_ACTIVATE | RIGHT_PARTITION_OBJECT_CREATE | RIGHT_PARTITION_DONATE,
    .activate = partition_activate,
    .cleanup = partition_cleanup,
};

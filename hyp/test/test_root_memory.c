/* test_root_memory: root_memory_init gives back everything it took when one of its allocations
 * fails (a memdb, the page owner table, the VMID bitmap): the partition's heap is whole again.
 * make mutation showed its error-path frees deleted without any test failing (the boot's sizes
 * always fit). */
#include "addrspace.h"
#include "heap.h"
#include "memdb.h"
#include "partition.h"
#include "root_memory.h"
#include "test.h"

/* Every page count from past the heap's size down to the first that fits: the owner table fails,
 * then (within the VMID bitmap's size of the top) the bitmap after it; each failure leaves the
 * largest free block as it was. */
TEST(root_memory_init_failure_frees_what_it_took)
{
	struct partition *root = arena->root.partition;
	size_t whole = heap_largest_free(&root->heap);
	uint64_t top = whole / sizeof(struct object *);
	unsigned failures = 0, leaked = 0;
	error_t err = ERROR_NOMEM;

	for (uint64_t pages = top + 4; pages + ADDRSPACE_VMID_WORDS + 64 > top; pages--) {
		err = root_memory_init(root, mem_pa(0x80000000ULL), pages << MEM_PAGE_SHIFT, 1U);
		if (err != ERROR_NOMEM) {
			break;
		}
		failures++;
		leaked += heap_largest_free(&root->heap) != whole;
	}
	/* The first page count that fits ends the loop: the partition has its memdb then. */
	CHECK_EQ(OK, err);
	CHECK(failures > ADDRSPACE_VMID_WORDS);
	CHECK_EQ(0, leaked);
	CHECK(root->memdb != NULL);
}

/* A second range (the RM's primary VM RAM, the UART page): its pages owned by the root partition,
 * the refusals exact, a failed owner table leaving the heap whole. */
TEST(root_memory_add_a_range_and_its_refusals)
{
	struct partition *root = arena->root.partition;
	size_t whole;

	CHECK_EQ(ERROR_ARGUMENT_INVALID, root_memory_add(root, mem_pa(0x90000000ULL), 0x2000));
	CHECK_EQ(OK, root_memory_init(root, mem_pa(0x80000000ULL), 0x4000, 1U));
	CHECK_EQ(ERROR_ARGUMENT_INVALID, root_memory_add(root, mem_pa(0x90000000ULL), 0));
	CHECK_EQ(ERROR_ARGUMENT_INVALID, root_memory_add(root, mem_pa(0x90000800ULL), 0x2000));
	CHECK_EQ(ERROR_ARGUMENT_INVALID, root_memory_add(root, mem_pa(0x90000000ULL), 0x2800));
	CHECK(memdb_owner(root->memdb, mem_pa(0x90000000ULL)) == NULL);

	CHECK_EQ(OK, root_memory_add(root, mem_pa(0x90000000ULL), 0x3000));
	CHECK(memdb_owner(root->memdb, mem_pa(0x90000000ULL)) == &root->hdr);
	CHECK(memdb_owner(root->memdb, mem_pa(0x90002000ULL)) == &root->hdr);
	CHECK(memdb_owner(root->memdb, mem_pa(0x90003000ULL)) == NULL);
	CHECK(memdb_owner(root->memdb, mem_pa(0x80003000ULL)) == &root->hdr);
	CHECK_EQ(7, memdb_count(root->memdb, &root->hdr));

	whole = heap_largest_free(&root->heap);
	CHECK_EQ(ERROR_NOMEM, root_memory_add(root, mem_pa(0xA0000000ULL),
	                                      (uint64_t)(whole / sizeof(struct object *)) << 12));
	CHECK_EQ(whole, heap_largest_free(&root->heap));
	CHECK(memdb_owner(root->memdb, mem_pa(0xA0000000ULL)) == NULL);
	CHECK_EQ(7, memdb_count(root->memdb, &root->hdr));
}

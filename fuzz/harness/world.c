/* world: arena and root objects per input, and a shadow of every partition allocation, kept by
 * wrapping partition_alloc, partition_free and object_create at link time (-Wl,--wrap=...). */
#include "world.h"

#include <stdlib.h>
#include <string.h>

#include "host_stage2.h"
#include "oracle.h"
#include "root_memory.h"

/* The heap poisons free memory under AddressSanitizer (hyp/core/heap.c); the snapshot keeps it so.
 * Builds without it (AFL++'s CmpLog build, source coverage) have nothing to keep. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WORLD_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define WORLD_ASAN 1
#endif
#ifdef WORLD_ASAN
#include <sanitizer/asan_interface.h>
#define world_poison(a, n)   __asan_poison_memory_region((a), (n))
#define world_unpoison(a, n) __asan_unpoison_memory_region((a), (n))
#define world_first_poisoned __asan_region_is_poisoned
#define world_is_poisoned(a) __asan_address_is_poisoned(a)
#else
#define world_poison(a, n)         ((void)(a), (void)(n))
#define world_unpoison(a, n)       ((void)(a), (void)(n))
#define world_first_poisoned(a, n) ((void)(a), (void)(n), (void *)NULL)
#define world_is_poisoned(a)       ((void)(a), 0)
#endif

struct world world;

struct partition_alloc_result __real_partition_alloc(struct partition *partition, size_t size);
void __real_partition_free(struct partition *partition, void *ptr, size_t size);
struct obj_result __real_object_create(struct partition *partition, enum obj_type type);

static bool world_in_object_create;

/* Copies @len bytes of the arena, zeros for the poisoned ones (free runs' bodies: their bytes are
 * stale and nothing reads them). */
static void world_copy_arena(uint8_t *to, const uint8_t *from, size_t len)
{
	for (size_t i = 0; i < len;) {
		const uint8_t *bad = world_first_poisoned((void *)(from + i), len - i);
		size_t ok = bad == NULL ? len - i : (size_t)(bad - (from + i));

		memcpy(to + i, from + i, ok);
		i += ok;
		for (; i < len && world_is_poisoned(from + i); i++) {
			to[i] = 0;
		}
	}
}

static void world_add(void *ptr, size_t size, struct partition *p, bool is_object)
{
	if (world.n_allocs == WORLD_MAX_ALLOCS) {
		oracle_fail("harness", "more than %u live allocations", WORLD_MAX_ALLOCS);
	}
	world.allocs[world.n_allocs++] = (struct world_alloc){
	    .ptr = ptr,
	    .size = size,
	    .partition = p,
	    .is_object = is_object,
	    .serial = is_object ? ++world.next_serial : 0,
	};
}

struct partition_alloc_result __wrap_partition_alloc(struct partition *partition, size_t size)
{
	struct partition_alloc_result r = __real_partition_alloc(partition, size);

	if (r.error == OK) {
		world_add(r.ptr, size, partition, world_in_object_create);
	}
	return r;
}

/* Gives back the part of allocation @i that a free of [ptr, ptr+size) inside it leaves: the heap
 * takes back any 16-byte-aligned run (an address space keeps the aligned 4 KiB page of an 8 KiB
 * allocation and frees the head and tail). */
static void world_trim(unsigned i, const uint8_t *ptr, size_t size)
{
	struct world_alloc *a = &world.allocs[i];
	uint8_t *start = a->ptr;
	size_t tail = (size_t)(start + a->size - (ptr + size));

	if (ptr == start) {
		a->ptr = start + size;
		a->size -= size;
	} else if (tail == 0U) {
		a->size -= size;
	} else {
		a->size = (size_t)(ptr - start);
		world_add((void *)(ptr + size), tail, a->partition, false);
	}
}

/* Checked before the heap sees it: a free of something not handed out is a double delete or a
 * stray pointer, and the shadow names which. A free of part of a buffer (never of an object)
 * keeps the rest in the shadow. */
void __wrap_partition_free(struct partition *partition, void *ptr, size_t size)
{
	const uint8_t *p = ptr;

	for (unsigned i = 0; i < world.n_allocs; i++) {
		struct world_alloc *a = &world.allocs[i];
		const uint8_t *start = a->ptr;

		if (p < start || p >= start + a->size) {
			continue;
		}
		if (a->partition != partition || size > a->size ||
		    (size_t)(p - start) > a->size - size ||
		    (a->is_object && (p != start || a->size != size))) {
			oracle_fail("memory-accounting",
			            "free of %p (%zu bytes) to partition %p; it was %zu bytes at "
			            "%p from %p",
			            ptr, size, (void *)partition, a->size, a->ptr,
			            (void *)a->partition);
		}
		if (size != a->size) {
			world_trim(i, p, size);
		} else {
			memmove(a, a + 1, (world.n_allocs - i - 1) * sizeof(*a));
			world.n_allocs--;
		}
		__real_partition_free(partition, ptr, size);
		return;
	}
	oracle_fail("double-free", "free of %p (%zu bytes) that is not allocated", ptr, size);
}

struct obj_result __wrap_object_create(struct partition *partition, enum obj_type type)
{
	struct obj_result r;

	world_in_object_create = true;
	r = __real_object_create(partition, type);
	world_in_object_create = false;
	if (r.error == OK) {
		world.memextents_made += type == OBJ_MEMEXTENT ? 1U : 0U;
		world.addrspaces_made += type == OBJ_ADDRSPACE ? 1U : 0U;
		world.sources_made += type == OBJ_DOORBELL || type == OBJ_MSGQUEUE ? 1U : 0U;
	}
	return r;
}

/* The world as a fresh build leaves it (world_build), taken once: the arena's bytes up to the end
 * of its last free run's header, the shadow of the root allocations and the root objects. */
static struct {
	uint8_t *bytes;
	size_t len;
	struct world_alloc allocs[WORLD_SNAPSHOT_ALLOCS];
	unsigned n_allocs;
	struct root_objects root;
	size_t root_start_used;
} world_snap;

/* A fresh root partition, cspace, VIC, vCPU, RAM and address space in the arena (the same cap IDs
 * for every input: a fixed seed). */
static void world_build(void)
{
	world.n_allocs = 0;
	/* A fixed seed: every input sees the same cap IDs. */
	world.root = root_create(world.arena, WORLD_ARENA_SIZE, 0);
	/* The root partition is carved from its own heap before any wrapper can see it. */
	world_add(world.root.partition, sizeof(struct partition), world.root.partition, true);
	/* Registry order is creation order; keep the root partition first. */
	{
		struct world_alloc last = world.allocs[world.n_allocs - 1];

		memmove(&world.allocs[1], &world.allocs[0],
		        (world.n_allocs - 1) * sizeof(world.allocs[0]));
		world.allocs[0] = last;
	}
	/* The root partition's RAM and VMIDs, so extents activate and address spaces map. */
	if (root_memory_init(world.root.partition, mem_pa(WORLD_MEM_BASE), WORLD_MEM_SIZE,
	                     WORLD_VMID) != OK) {
		oracle_fail("harness", "no room for the root memory's tables");
	}
	world.root.memory_base = WORLD_MEM_BASE;
	world.root.memory_size = WORLD_MEM_SIZE;
	/* The root VM's own address space, over its boot Stage-2 (hyp/core/main.c): here a table
	 * of the world's, never the partition's; the stand-in keys its pages by the table. */
	{
		static uint64_t boot_table[MEM_PAGE_SIZE / sizeof(uint64_t)]
		    __attribute__((aligned(MEM_PAGE_SIZE)));

		root_add_addrspace(&world.root, WORLD_VMID);
		root_adopt_stage2(world.root.addrspace, boot_table, arch_stage2_ipa_bits());
	}
	world.root_start_used = world.root.partition->heap.used;
}

/* The arena offset just past the last free run's header: past it the heap holds nothing but the
 * poisoned body of that run. */
static size_t world_snapshot_end(void)
{
	const struct heap_block *b = world.root.partition->heap.free;
	uintptr_t end = (uintptr_t)world.arena;

	for (; b != NULL; b = b->next) {
		end = (uintptr_t)b + HEAP_ALIGN;
	}
	return end - (uintptr_t)world.arena;
}

static void world_snapshot_take(void)
{
	if (world.n_allocs > WORLD_SNAPSHOT_ALLOCS) {
		oracle_fail("harness", "%u root allocations, the snapshot holds %u", world.n_allocs,
		            WORLD_SNAPSHOT_ALLOCS);
	}
	world_snap.len = world_snapshot_end();
	world_snap.bytes = malloc(world_snap.len);
	if (world_snap.bytes == NULL) {
		abort();
	}
	/* Free runs' bodies are poisoned: copy around them, leaving zeros in the snapshot. */
	world_copy_arena(world_snap.bytes, world.arena, world_snap.len);
	memcpy(world_snap.allocs, world.allocs, world.n_allocs * sizeof(world.allocs[0]));
	world_snap.n_allocs = world.n_allocs;
	world_snap.root = world.root;
	world_snap.root_start_used = world.root_start_used;
}

/* Copies the snapshot's bytes into the arena with plain loads and stores, outside the sanitizers:
 * AddressSanitizer intercepts memcpy wherever it is called and checked both ranges' shadow first
 * (7 KB of it per input). The arena's range was unpoisoned just before and the snapshot is one
 * malloc'd block of @n bytes. */
typedef uint64_t world_words __attribute__((vector_size(32), aligned(8)));

__attribute__((no_sanitize("address", "undefined"), no_builtin("memcpy"))) static void
world_copy_words(void *to, const void *from, size_t n)
{
	world_words *t = to;
	const world_words *f = from;
	size_t i;

	for (i = 0; i < n / sizeof(*t); i++) {
		t[i] = f[i];
	}
	for (i *= sizeof(*t); i < n; i++) {
		((uint8_t *)to)[i] = ((const uint8_t *)from)[i];
	}
}

/*
 * The arena back to the snapshot: afterwards its bytes, its free list and which bytes are poisoned
 * are exactly what world_build leaves (world_snapshot_check compares them), without running it.
 * The teardown before it (oracle_check_empty) left only the root allocations, which lie inside the
 * snapshot; every other byte is free, poisoned but for each free run's header.
 */
static void world_snapshot_restore(void)
{
	uint8_t *arena = world.arena;

	for (struct heap_block *b = world.root.partition->heap.free, *next; b != NULL; b = next) {
		next = b->next;
		world_poison(b, HEAP_ALIGN);
	}
	/* Now every free byte is poisoned; the snapshot's range becomes its bytes, and its own free
	 * runs' bodies inside that range poisoned again (the last run's body, past the range, is
	 * free memory already poisoned). */
	world_unpoison(arena, world_snap.len);
	world_copy_words(arena, world_snap.bytes, world_snap.len);
	for (const struct heap_block *b = world_snap.root.partition->heap.free; b != NULL;
	     b = b->next) {
		uintptr_t body = (uintptr_t)b + HEAP_ALIGN;
		uintptr_t end = (uintptr_t)arena + world_snap.len;

		if (body < end) {
			world_poison((void *)body,
			             ((uintptr_t)b + b->size < end ? (uintptr_t)b + b->size : end) -
			                 body);
		}
	}
	memcpy(world.allocs, world_snap.allocs, world_snap.n_allocs * sizeof(world.allocs[0]));
	world.n_allocs = world_snap.n_allocs;
	world.root = world_snap.root;
	world.root_start_used = world_snap.root_start_used;
}

/* HUMPY_FUZZ_SNAPSHOT_CHECK=1: every input builds the world afresh, and that build must equal the
 * snapshot a restore would have given: the same free list, every root allocation's bytes and the
 * same shadow (serials aside), so a restore is the build, not an approximation of it. */
static void world_snapshot_check(void)
{
	uint8_t *now = malloc(world_snap.len);

	if (now == NULL) {
		abort();
	}
	world_copy_arena(now, world.arena, world_snap.len);
	if (world_snapshot_end() != world_snap.len || world.n_allocs != world_snap.n_allocs ||
	    memcmp(now, world_snap.bytes, world_snap.len) != 0 ||
	    world.root_start_used != world_snap.root_start_used ||
	    memcmp(&world.root, &world_snap.root, sizeof(world.root)) != 0) {
		oracle_fail("harness", "a fresh world differs from the snapshot");
	}
	for (unsigned k = 0; k < world.n_allocs; k++) {
		const struct world_alloc *a = &world.allocs[k], *b = &world_snap.allocs[k];

		if (a->ptr != b->ptr || a->size != b->size || a->partition != b->partition ||
		    a->is_object != b->is_object) {
			oracle_fail("harness",
			            "a fresh world's allocation %u differs from the snapshot", k);
		}
	}
	free(now);
}

void world_reset(void)
{
	static bool check;
	bool restored = false;

	if (world.arena == NULL) {
		world.arena = malloc(WORLD_ARENA_SIZE);
		if (world.arena == NULL) {
			abort();
		}
		/* The Stage-2 stand-in starts empty once (clearing it is ~850 KB of stores); after
		 * that, every input's teardown must leave it empty (oracle_check_empty). */
		host_stage2_reset();
		check = getenv("HUMPY_FUZZ_SNAPSHOT_CHECK") != NULL;
		world_build();
		world_snapshot_take();
	} else if (check) {
		world_build();
		world_snapshot_check();
	} else {
		world_snapshot_restore();
		restored = true;
	}
	world.restored = restored;
	world.memextents_made = 0;
	world.addrspaces_made = 0;
	world.sources_made = 0;
}

struct object *world_object(unsigned i)
{
	for (unsigned k = 0; k < world.n_allocs; k++) {
		if (world.allocs[k].is_object && i-- == 0) {
			return world.allocs[k].ptr;
		}
	}
	return NULL;
}

uint64_t world_object_serial(const struct object *obj)
{
	for (unsigned k = 0; k < world.n_allocs; k++) {
		if (world.allocs[k].is_object && world.allocs[k].ptr == obj) {
			return world.allocs[k].serial;
		}
	}
	return 0;
}

struct object *world_object_by_serial(uint64_t serial)
{
	for (unsigned k = 0; k < world.n_allocs; k++) {
		if (world.allocs[k].is_object && world.allocs[k].serial == serial) {
			return world.allocs[k].ptr;
		}
	}
	return NULL;
}

bool world_is_live_object(const struct object *obj)
{
	return obj != NULL && world_object_serial(obj) != 0;
}

/*
 * The first slot at or after @from that the teardown deletes, or max_caps: the root cspace keeps
 * the five master caps the root VM booted with (if the input has not deleted them; slot IDs get
 * reused, so look at the caps). @kept counts the kept caps before @from (every other slot there is
 * empty: a deletion never fills one) and grows with those this scan passes; the scan stops once
 * they are all the cspace counts, so a root cspace of 1,024 slots holding its five masters is not
 * read to its end after every deletion. A count below the slots in use (a broken cspace) stops it
 * early: the caps it leaves fail oracle_check_empty (teardown), whose world check reads every slot
 * (cspace-count).
 */
static uint32_t world_next_to_delete(const struct cspace *cs, uint32_t from, uint32_t *kept)
{
	bool is_root = cs == world.root.cspace;

	for (uint32_t s = from; s < cs->max_caps && *kept < cs->count; s++) {
		const struct cap *c = &cs->slots[s];

		if (oracle_zero_run(cs->slots, s, cs->max_caps)) {
			s += ORACLE_ZERO_RUN - 1U;
			continue;
		}
		if (c->state == CAP_STATE_NULL) {
			continue;
		}
		if (is_root && c->state == CAP_STATE_VALID && c->is_master &&
		    (c->obj == &world.root.partition->hdr || c->obj == &world.root.cspace->hdr ||
		     c->obj == &world.root.vic->hdr || c->obj == &world.root.vcpu->hdr ||
		     c->obj == &world.root.addrspace->hdr)) {
			(*kept)++;
			continue;
		}
		return s;
	}
	return cs->max_caps;
}

/*
 * Every cap of @cs the teardown deletes, in one pass: a deletion never fills a slot (it frees
 * caps, and the objects and cspaces whose last cap it was), so the slots before the one deleted
 * stay done. It stops when a deletion destroyed @cs itself (it held its own last cap).
 */
static void world_delete_in(struct cspace *cs)
{
	uint64_t serial = world_object_serial(&cs->hdr);
	uint32_t kept = 0;

	for (uint32_t s = world_next_to_delete(cs, 0, &kept); s < cs->max_caps;
	     s = world_next_to_delete(cs, s + 1U, &kept)) {
		/* Only for the slot to delete: the ID is hyp code (traced), and most slots are
		 * empty. */
		if (cspace_delete_cap(cs, cspace_id_of(cs, s)) != OK) {
			oracle_fail("teardown", "cannot delete slot %u of cspace %p", s,
			            (void *)cs);
		}
		if (world_object_by_serial(serial) == NULL) {
			return;
		}
	}
}

/* A live active cspace with a cap to delete: a non-root one, or with @root_too the root's. */
static struct cspace *world_cspace_to_empty(bool root_too)
{
	for (unsigned k = 0; k < world.n_allocs; k++) {
		struct cspace *cs = world.allocs[k].ptr;

		uint32_t kept = 0;

		if (world.allocs[k].is_object && cs->hdr.type == OBJ_CSPACE && cs->slots != NULL &&
		    (root_too || cs != world.root.cspace) &&
		    world_next_to_delete(cs, 0, &kept) < cs->max_caps) {
			return cs;
		}
	}
	return NULL;
}

/* Non-root cspaces first, so caps cycling between cspaces are broken before the root lets go (a
 * deletion in the root never puts a cap in another cspace, so they stay empty after). */
void world_delete_everything(void)
{
	struct cspace *cs;

	while ((cs = world_cspace_to_empty(false)) != NULL) {
		world_delete_in(cs);
	}
	while ((cs = world_cspace_to_empty(true)) != NULL) {
		world_delete_in(cs);
	}
}

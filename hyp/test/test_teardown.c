/* test_teardown: destroying nested objects takes bounded hypervisor stack, however deep the
 * nesting.
 */
#include <pthread.h>

#include "test_util.h"

/* Small next to the chain below: a recursive teardown (~100 bytes a level) overflows it. */
#define TEARDOWN_STACK (64U * 1024U)

struct teardown_job {
	struct host_arena *arena;
	cap_id_t head;
	error_t err;
};

static void *teardown_run(void *arg)
{
	struct teardown_job *job = arg;
	struct core_ctx ctx = root_ctx(job->arena);

	job->err = core_cspace_delete_cap_from(&ctx, job->arena->root.cspace_cap, job->head);
	return NULL;
}

/*
 * cspace -> thread -> cspace -> ... until the root heap is exhausted: each cspace holds the only
 * cap of a thread attached to the next cspace (its only reference). Deleting the head's cap on a 64
 * KiB stack must free all of it (cspace and thread cleanups both defer what they release).
 */
TEST(deep_cspace_thread_chain_tears_down_on_a_small_stack)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t cc = arena->root.cspace_cap, pc = arena->root.partition_cap;
	size_t before = root_used(arena);
	uint32_t partition_refs = arena->root.partition->hdr.refcount;
	cap_id_t inner = CAP_ID_INVALID;
	unsigned depth = 0;
	struct teardown_job job = {.arena = arena, .err = ERROR_UNIMPLEMENTED};
	pthread_attr_t attr;
	pthread_t tid;

	for (;;) {
		struct core_result cs = core_partition_create(&ctx, OBJ_CSPACE, pc, cc);
		struct core_result th = {.error = OK};

		if (cs.error != OK) {
			break;
		}
		if (core_cspace_configure(&ctx, cs.value, 1) != OK ||
		    core_object_activate(&ctx, cs.value) != OK ||
		    (inner != CAP_ID_INVALID &&
		     (th = core_partition_create(&ctx, OBJ_THREAD, pc, cc)).error != OK)) {
			/* Out of memory: this level is not part of the chain. */
			CHECK_EQ(OK, core_cspace_delete_cap_from(&ctx, cc, cs.value));
			break;
		}
		if (inner != CAP_ID_INVALID) {
			CHECK_EQ(OK, core_cspace_attach_thread(&ctx, inner, th.value));
			CHECK_EQ(OK, core_cspace_delete_cap_from(&ctx, cc, inner));
			CHECK_EQ(
			    OK, core_cspace_copy_cap_from(&ctx, cc, th.value, cs.value, ~0U).error);
			CHECK_EQ(OK, core_cspace_delete_cap_from(&ctx, cc, th.value));
		}
		inner = cs.value;
		depth++;
	}
	/* A thread holds its vCPU's context now, so fewer fit in the arena; 1000 levels still
	 * overflow a 64 KiB stack under ASan if teardown recursed. */
	CHECK(depth > 1000);
	job.head = inner;
	CHECK_EQ(0, pthread_attr_init(&attr));
	CHECK_EQ(0, pthread_attr_setstacksize(&attr, TEARDOWN_STACK));
	CHECK_EQ(0, pthread_create(&tid, &attr, teardown_run, &job));
	CHECK_EQ(0, pthread_join(tid, NULL));
	pthread_attr_destroy(&attr);
	CHECK_EQ(OK, job.err);
	CHECK_EQ(before, root_used(arena));
	CHECK_EQ(partition_refs, arena->root.partition->hdr.refcount);
}

/* test_sched_wait: a vCPU waiting in WFI (sched_wait / sched_wake_waiting, sched.c). */
#include "cpu_local.h"
#include "test.h"
#include "test_util.h"
#include "vcpu.h"

static void wait_fake(struct vcpu *v, unsigned priority)
{
	*v = (struct vcpu){0};
	sched_node_init(&v->sched);
	v->sched.priority = (uint8_t)priority;
}

static bool wait_any(const struct vcpu *v, const void *arg)
{
	(void)v;
	(void)arg;
	return true;
}

TEST(sched_wait_lets_a_lower_vcpu_run_and_wakes_ahead_of_it)
{
	struct sched s;
	struct vcpu lo, hi;

	(void)arena;
	sched_init(&s);
	wait_fake(&lo, 10);
	wait_fake(&hi, 40);
	sched_wake(&s, &lo);
	sched_wake(&s, &hi);
	CHECK(sched_pick(&s) == &hi);
	sched_wait(&s, &hi);
	/* Still current until the pick, so the arch saves its context; both counted. */
	CHECK(s.current == &hi);
	CHECK_EQ(2, sched_count(&s, wait_any, NULL));
	CHECK(sched_pick(&s) == &lo);
	CHECK(s.waiting == &hi);
	CHECK(!hi.sched.is_queued);
	CHECK_EQ(2, sched_count(&s, wait_any, NULL));
	/* Nothing pending: the lower one runs on while the higher one waits. */
	CHECK(sched_pick(&s) == &lo);
	sched_wake_waiting(&s, &hi);
	CHECK(s.waiting == NULL);
	CHECK(sched_pick(&s) == &hi);
	/* Waking one that does not wait changes nothing. */
	sched_wake_waiting(&s, &lo);
	CHECK_EQ(SCHED_NONE, s.pending);
	CHECK(sched_pick(&s) == &hi);
}

TEST(sched_wait_alone_idles_and_a_wake_before_the_switch_runs_on)
{
	struct sched s;
	struct vcpu a;

	(void)arena;
	sched_init(&s);
	wait_fake(&a, 32);
	sched_wake(&s, &a);
	CHECK(sched_pick(&s) == &a);
	/* Woken before it left the CPU: it stays current and runs on. */
	sched_wait(&s, &a);
	sched_wake_waiting(&s, &a);
	CHECK(!a.sched.is_waiting);
	CHECK(sched_pick(&s) == &a);
	/* Alone and waiting: nothing to run (the arch idles). */
	sched_wait(&s, &a);
	CHECK(sched_pick(&s) == NULL);
	CHECK_EQ(1, sched_count(&s, wait_any, NULL));
	sched_wake_waiting(&s, &a);
	CHECK(sched_pick(&s) == &a);
}

TEST(sched_block_of_a_waiting_vcpu_takes_it_off_the_waiting_list)
{
	struct sched s;
	struct vcpu a, b, c;

	(void)arena;
	sched_init(&s);
	wait_fake(&a, 32);
	wait_fake(&b, 32);
	wait_fake(&c, 32);
	sched_wake(&s, &a);
	sched_wake(&s, &b);
	sched_wake(&s, &c);
	CHECK(sched_pick(&s) == &a);
	sched_wait(&s, &a);
	CHECK(sched_pick(&s) == &b);
	sched_wait(&s, &b);
	CHECK(sched_pick(&s) == &c);
	CHECK_EQ(3, sched_count(&s, wait_any, NULL));
	/* Killed while waiting (the first of the list, then the last). */
	sched_block(&s, &b);
	CHECK(s.waiting == &a);
	CHECK(!b.sched.is_waiting && !b.sched.is_runnable);
	sched_block(&s, &a);
	CHECK(s.waiting == NULL);
	CHECK_EQ(1, sched_count(&s, wait_any, NULL));
	CHECK(sched_pick(&s) == &c);
}

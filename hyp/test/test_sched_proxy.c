/* test_sched_proxy: proxy scheduling in sched.c (vcpu_run's half: sched_set_proxied,
 * sched_run_proxied, sched_proxy_interrupt) with the caller's result as vcpu_run_finish sets it. */
#include "cpu_local.h"
#include "test.h"
#include "test_util.h"
#include "vcpu.h"

#define RUN_READY          0U
#define RUN_EXPECTS_WAKEUP 1U
#define RUN_POWERED_OFF    2U

static void proxy_fake(struct vcpu *v, unsigned priority)
{
	*v = (struct vcpu){.power = VCPU_POWER_ON};
	sched_node_init(&v->sched);
	v->sched.priority = (uint8_t)priority;
}

static bool proxy_any(const struct vcpu *v, const void *arg)
{
	(void)v;
	(void)arg;
	return true;
}

/* The caller's vcpu_run result as the arch would load it: x0 OK, x1 the state. */
static void proxy_result(const struct vcpu *caller, uint64_t state, uint64_t data0)
{
	CHECK_EQ(0, caller->regs.x[0]);
	CHECK_EQ(state, caller->regs.x[1]);
	CHECK_EQ(data0, caller->regs.x[2]);
}

TEST(sched_proxied_vcpu_is_held_not_queued_and_runs_in_the_callers_place)
{
	struct sched s;
	struct vcpu c, t;

	(void)arena;
	sched_init(&s);
	proxy_fake(&c, 32);
	proxy_fake(&t, 50);
	sched_wake(&s, &c);
	CHECK(sched_pick(&s) == &c);
	/* Proxied before power-on: a wake holds it; its priority (50) preempts nobody. */
	sched_set_proxied(&s, &t);
	sched_wake(&s, &t);
	CHECK(t.sched.is_held && !t.sched.is_queued);
	CHECK_EQ(SCHED_NONE, s.pending);
	CHECK(sched_pick(&s) == &c);
	CHECK_EQ(2, sched_count(&s, proxy_any, NULL));
	/* vcpu_run: the target runs, the caller is parked but still counted and the owner. */
	sched_run_proxied(&s, &t);
	CHECK(sched_pick(&s) == &t);
	CHECK(sched_owner(&s) == &c);
	CHECK(t.sched.runs_for == &c && c.sched.running == &t);
	CHECK_EQ(2, sched_count(&s, proxy_any, NULL));
	/* A check for preemption with nothing better: the run goes on. */
	sched_set_priority(&s, &c, 32);
	CHECK(sched_pick(&s) == &t);
	/* The target waits in WFI: the caller is back with EXPECTS_WAKEUP. */
	sched_wait(&s, &t);
	CHECK(sched_pick(&s) == &c);
	proxy_result(&c, RUN_EXPECTS_WAKEUP, 0);
	CHECK(t.sched.runs_for == NULL && c.sched.running == NULL);
	/* Woken: held again (never queued), the caller goes on. */
	sched_wake_waiting(&s, &t);
	CHECK(t.sched.is_held && !t.sched.is_queued);
	CHECK(sched_pick(&s) == &c);
}

TEST(sched_proxy_run_ends_ready_on_yield_interrupt_and_preemption)
{
	struct sched s;
	struct vcpu c, t, hi;

	(void)arena;
	sched_init(&s);
	proxy_fake(&c, 32);
	proxy_fake(&t, 10);
	proxy_fake(&hi, 40);
	sched_wake(&s, &c);
	CHECK(sched_pick(&s) == &c);
	sched_set_proxied(&s, &t);
	sched_wake(&s, &t);
	/* The target's yield: READY, the target held again, the caller runs on (alone). */
	sched_run_proxied(&s, &t);
	CHECK(sched_pick(&s) == &t);
	sched_yield_generic(&s);
	CHECK(sched_pick(&s) == &c);
	proxy_result(&c, RUN_READY, 0);
	CHECK(t.sched.is_held);
	/* An interrupt for the caller. */
	c.regs.x[1] = 99;
	sched_run_proxied(&s, &t);
	CHECK(sched_pick(&s) == &t);
	sched_proxy_interrupt(&s);
	CHECK(sched_pick(&s) == &c);
	proxy_result(&c, RUN_READY, 0);
	/* A vCPU above the caller: the run ends, the caller waits first of its equals. */
	c.regs.x[1] = 99;
	sched_run_proxied(&s, &t);
	CHECK(sched_pick(&s) == &t);
	sched_wake(&s, &hi);
	CHECK(sched_pick(&s) == &hi);
	proxy_result(&c, RUN_READY, 0);
	CHECK(c.sched.is_queued && t.sched.is_held);
	CHECK_EQ(3, sched_count(&s, proxy_any, NULL));
}

TEST(sched_proxy_target_powering_off_returns_the_caller_first)
{
	struct sched s;
	struct vcpu c, other, t;

	(void)arena;
	sched_init(&s);
	proxy_fake(&c, 32);
	proxy_fake(&other, 32);
	proxy_fake(&t, 32);
	sched_wake(&s, &c);
	sched_wake(&s, &other);
	CHECK(sched_pick(&s) == &c);
	sched_set_proxied(&s, &t);
	sched_wake(&s, &t);
	sched_run_proxied(&s, &t);
	CHECK(sched_pick(&s) == &t);
	t.power = VCPU_POWER_OFF;
	sched_block(&s, &t);
	CHECK(s.current == NULL);
	/* The caller, not its equal `other`, runs next, with POWERED_OFF 0. */
	CHECK(sched_pick(&s) == &c);
	proxy_result(&c, RUN_POWERED_OFF, 0);
	CHECK_EQ(2, sched_count(&s, proxy_any, NULL));
}

TEST(sched_proxy_caller_blocked_while_parked_leaves_the_target_held)
{
	struct sched s;
	struct vcpu c, t;

	(void)arena;
	sched_init(&s);
	proxy_fake(&c, 32);
	proxy_fake(&t, 32);
	sched_wake(&s, &c);
	CHECK(sched_pick(&s) == &c);
	sched_set_proxied(&s, &t);
	sched_wake(&s, &t);
	sched_run_proxied(&s, &t);
	CHECK(sched_pick(&s) == &t);
	sched_block(&s, &c);
	CHECK(t.sched.runs_for == NULL);
	/* Nobody runs it now: it leaves the CPU, held, and the CPU idles. */
	CHECK(sched_pick(&s) == NULL);
	CHECK(t.sched.is_held);
	CHECK_EQ(1, sched_count(&s, proxy_any, NULL));
}

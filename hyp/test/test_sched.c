/* test_sched: the scheduler's choices (sched.c) and the vCPU calls' checks (vcpu_calls.c). */
#include "addrspace.h"
#include "core_call.h"
#include "host_stage2.h"
#include "root_memory.h"
#include "cpu_local.h"
#include "mem_calls.h"
#include "test.h"
#include "test_util.h"
#include "thread.h"
#include "vic.h"

static void vcpu_fake(struct vcpu *v, unsigned priority)
{
	*v = (struct vcpu){0};
	sched_node_init(&v->sched);
	v->sched.priority = (uint8_t)priority;
}

TEST(sched_round_robin_equal_priority)
{
	struct sched s;
	struct vcpu a, b, c;

	(void)arena;
	sched_init(&s);
	vcpu_fake(&a, 32);
	vcpu_fake(&b, 32);
	vcpu_fake(&c, 32);
	CHECK(sched_pick(&s) == NULL);
	sched_wake(&s, &a);
	sched_wake(&s, &b);
	sched_wake(&s, &c);
	CHECK(sched_pick(&s) == &a);
	CHECK(sched_is_contended(&s));
	sched_tick(&s);
	CHECK(sched_pick(&s) == &b);
	sched_yield_generic(&s);
	CHECK(sched_pick(&s) == &c);
	sched_tick(&s);
	CHECK(sched_pick(&s) == &a);
	/* Nothing pending: current runs on. */
	CHECK(sched_pick(&s) == &a);
}

TEST(sched_priority_preempts_and_waits)
{
	struct sched s;
	struct vcpu lo, hi;

	(void)arena;
	sched_init(&s);
	vcpu_fake(&lo, 10);
	vcpu_fake(&hi, 40);
	sched_wake(&s, &lo);
	CHECK(sched_pick(&s) == &lo);
	CHECK(!sched_is_contended(&s));
	sched_wake(&s, &hi);
	CHECK(sched_pick(&s) == &hi);
	/* The lower one waits, whatever the higher one does short of blocking. */
	CHECK(!sched_is_contended(&s));
	sched_yield_generic(&s);
	CHECK(sched_pick(&s) == &hi);
	sched_tick(&s);
	CHECK(sched_pick(&s) == &hi);
	sched_block(&s, &hi);
	CHECK(s.current == NULL);
	CHECK(sched_pick(&s) == &lo);
	sched_block(&s, &lo);
	CHECK(sched_pick(&s) == NULL);
}

TEST(sched_yield_to_runs_target_next)
{
	struct sched s;
	struct vcpu a, b, c;

	(void)arena;
	sched_init(&s);
	vcpu_fake(&a, 32);
	vcpu_fake(&b, 32);
	vcpu_fake(&c, 32);
	sched_wake(&s, &a);
	sched_wake(&s, &b);
	sched_wake(&s, &c);
	CHECK(sched_pick(&s) == &a);
	sched_yield_to(&s, &c);
	CHECK(sched_pick(&s) == &c);
	/* a went behind b. */
	sched_yield_generic(&s);
	CHECK(sched_pick(&s) == &b);
	sched_yield_generic(&s);
	CHECK(sched_pick(&s) == &a);
	/* To itself, or to a vCPU that is not ready: a plain yield. */
	sched_yield_to(&s, &a);
	CHECK(sched_pick(&s) == &c);
	sched_block(&s, &b);
	sched_yield_to(&s, &b);
	CHECK(sched_pick(&s) == &a);
}

TEST(sched_yield_lower_lets_floor_run)
{
	struct sched s;
	struct vcpu hi, lo;

	(void)arena;
	sched_init(&s);
	vcpu_fake(&hi, 40);
	vcpu_fake(&lo, 10);
	sched_wake(&s, &hi);
	sched_wake(&s, &lo);
	CHECK(sched_pick(&s) == &hi);
	sched_yield_lower(&s, 11);
	CHECK(sched_pick(&s) == &hi);
	sched_yield_lower(&s, 10);
	CHECK(sched_pick(&s) == &lo);
	/* hi waits at the head: the timeslice timer runs for lo, its end brings hi back. */
	CHECK(sched_is_contended(&s));
	sched_tick(&s);
	CHECK(sched_pick(&s) == &hi);
}

TEST(sched_set_priority_requeues)
{
	struct sched s;
	struct vcpu a, b;

	(void)arena;
	sched_init(&s);
	vcpu_fake(&a, 32);
	vcpu_fake(&b, 32);
	sched_wake(&s, &a);
	sched_wake(&s, &b);
	CHECK(sched_pick(&s) == &a);
	sched_set_priority(&s, &b, 33);
	CHECK(sched_pick(&s) == &b);
	CHECK_EQ(33, b.sched.priority);
	sched_set_priority(&s, &b, 31);
	CHECK(sched_pick(&s) == &a);
	CHECK(!sched_is_contended(&s));
	CHECK_EQ(1, s.ready_mask >> 31 & 1);
}

/* The running caller of the vCPU calls: the root cspace, a CPU whose current it is. */
struct vcpu_world {
	struct cpu_local cpu;
	struct vcpu caller;
	struct core_ctx ctx;
};

static void world_init(struct vcpu_world *w, struct host_arena *arena)
{
	*w = (struct vcpu_world){0};
	sched_init(&w->cpu.sched);
	vcpu_fake(&w->caller, 32);
	w->caller.cpu = &w->cpu;
	w->caller.cspace = arena->root.cspace;
	w->caller.power = VCPU_POWER_ON;
	sched_wake(&w->cpu.sched, &w->caller);
	CHECK(sched_pick(&w->cpu.sched) == &w->caller);
	w->ctx = (struct core_ctx){.cspace = arena->root.cspace, .vcpu = &w->caller};
	/* Address spaces take their VMIDs from the root memory's bitmap (VMID 1: the boot VM). */
	host_stage2_reset();
	CHECK_EQ(OK,
	         root_memory_init(arena->root.partition, mem_pa(0xA0000000ULL), 0x100000ULL, 1U));
}

/* An activated thread in a fresh address space (VMID @vmid). */
static cap_id_t make_vcpu(struct host_arena *arena, struct vcpu_world *w, uint64_t vmid)
{
	cap_id_t as = make_obj(arena, OBJ_ADDRSPACE);
	cap_id_t t = make_obj(arena, OBJ_THREAD);

	CHECK_EQ(OK, core_addrspace_configure(&w->ctx, as, vmid));
	CHECK_EQ(OK, core_object_activate(&w->ctx, as));
	CHECK_EQ(ERROR_OBJECT_CONFIG, core_object_activate(&w->ctx, t));
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_vcpu_configure(&w->ctx, t, 1ULL << 3));
	CHECK_EQ(OK, core_vcpu_configure(&w->ctx, t, 0));
	CHECK_EQ(OK, core_addrspace_attach_thread(&w->ctx, as, t));
	CHECK_EQ(OK, core_object_activate(&w->ctx, t));
	CHECK_EQ(ERROR_OBJECT_STATE, core_vcpu_configure(&w->ctx, t, 0));
	return t;
}

static struct vcpu *vcpu_of_cap(struct host_arena *arena, cap_id_t cap)
{
	struct cap_lookup_result r =
	    cap_lookup(arena->root.cspace, cap, OBJ_THREAD, 0, CAP_WANT_ANY);

	CHECK_EQ(OK, r.error);
	return &((struct thread *)r.obj)->vcpu;
}

TEST(vcpu_poweron_checks_and_runs)
{
	struct vcpu_world w;
	cap_id_t t;
	struct vcpu *v;

	world_init(&w, arena);
	t = make_vcpu(arena, &w, 7);
	v = vcpu_of_cap(arena, t);
	CHECK_EQ(7, v->vmid);
	CHECK_EQ(VCPU_POWER_OFF, v->power);
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_vcpu_poweron(&w.ctx, t, 0x1000, 0, 4));
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_vcpu_poweron(&w.ctx, t, 0x1002, 0, 0));
	CHECK_EQ(OK, core_vcpu_register_write(&w.ctx, t, VCPU_REGSET_X, 30, 0x30));
	CHECK_EQ(OK, core_vcpu_register_write(&w.ctx, t, VCPU_REGSET_SP_EL, 1, 0x5000));
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_vcpu_register_write(&w.ctx, t, VCPU_REGSET_X, 31, 0));
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_vcpu_register_write(&w.ctx, t, VCPU_REGSET_PC, 1, 0));
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_vcpu_register_write(&w.ctx, t, 3, 0, 0));
	CHECK_EQ(OK, core_vcpu_poweron(&w.ctx, t, 0x1000, 0xC0FFEE, 0));
	CHECK_EQ(0x1000, v->regs.pc);
	CHECK_EQ(0xC0FFEE, v->regs.x[0]);
	CHECK_EQ(0x30, v->regs.x[30]);
	CHECK_EQ(0x5000, v->ctx.sp_el[1]);
	CHECK_EQ(ERROR_BUSY, core_vcpu_poweron(&w.ctx, t, 0x1000, 0, 0));
	CHECK_EQ(ERROR_BUSY, core_vcpu_register_write(&w.ctx, t, VCPU_REGSET_X, 0, 1));
	/* Equal priority: it waits its turn; the caller's yield runs it. */
	CHECK(sched_pick(&w.cpu.sched) == &w.caller);
	CHECK_EQ(OK, core_scheduler_yield(&w.ctx, 0, 0));
	CHECK(sched_pick(&w.cpu.sched) == v);
}

TEST(vcpu_poweroff_last_rule)
{
	struct vcpu_world w;
	cap_id_t t;
	struct vcpu *v;
	struct core_ctx vctx;

	world_init(&w, arena);
	t = make_vcpu(arena, &w, 8);
	v = vcpu_of_cap(arena, t);
	/* Only the caller itself. */
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_vcpu_poweroff(&w.ctx, t, 0));
	CHECK_EQ(OK, core_vcpu_poweron(&w.ctx, t, 0x1000, 0, 0));
	vctx = (struct core_ctx){.cspace = arena->root.cspace, .vcpu = v};
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_vcpu_poweroff(&vctx, t, 2));
	/* The one vCPU of its address space: it must say it is the last. */
	CHECK_EQ(ERROR_DENIED, core_vcpu_poweroff(&vctx, t, 0));
	CHECK_EQ(OK, core_vcpu_poweroff(&vctx, t, 1));
	CHECK_EQ(VCPU_POWER_OFF, v->power);
	CHECK(!v->sched.is_runnable);
	CHECK(sched_pick(&w.cpu.sched) == &w.caller);
	/* Off, it may be powered on again; killed, never. */
	CHECK_EQ(OK, core_vcpu_poweron(&w.ctx, t, 0x2000, 0, 0));
	CHECK_EQ(OK, core_vcpu_kill(&w.ctx, t));
	CHECK_EQ(ERROR_OBJECT_STATE, core_vcpu_kill(&w.ctx, t));
	CHECK_EQ(ERROR_OBJECT_STATE, core_vcpu_poweron(&w.ctx, t, 0x2000, 0, 0));
	CHECK(sched_pick(&w.cpu.sched) == &w.caller);
	CHECK_EQ(0, w.cpu.sched.ready_mask);
}

/*
 * vcpu_kill of a proxied vCPU (reference section 9): its saved context is released (the arch
 * ends what its list registers hold), it leaves the held list, and its wakeup VIRQ goes up and
 * stays up, asked again, until a vcpu_run has reported POWERED_OFF with data0 1 (exited).
 */
TEST(vcpu_kill_tells_its_proxy)
{
	struct vcpu_world w;
	cap_id_t t;
	struct vcpu *v;
	struct vic_irq *irq;
	struct core_run_result r;
	unsigned stops;

	world_init(&w, arena);
	t = make_vcpu(arena, &w, 10);
	v = vcpu_of_cap(arena, t);
	CHECK_EQ(OK, core_vcpu_bind_virq(&w.ctx, t, arena->root.vic_cap, 45, 1));
	irq = vic_irq_of(v->run_wakeup.vic, 45);
	CHECK(!vic_irq_is_pending(irq));
	CHECK_EQ(OK, core_vcpu_poweron(&w.ctx, t, 0x1000, 0, 0));
	CHECK(v->sched.is_held);
	CHECK(vic_irq_is_pending(irq));
	/* The proxy took the poweron's wakeup and let it go: the line is down. */
	irq->is_line_high = false;
	stops = v->ctx.stops;
	CHECK_EQ(OK, core_vcpu_kill(&w.ctx, t));
	CHECK_EQ(stops + 1U, v->ctx.stops);
	CHECK(!v->sched.is_held && !v->sched.is_runnable);
	CHECK(v->is_exit_unseen);
	CHECK(vic_irq_is_pending(irq));
	irq->is_redelivery = true; /* taken: asked again, still up */
	vic_irq_recheck(irq);
	CHECK(vic_irq_is_pending(irq));
	r = core_vcpu_run_check(&w.ctx, t);
	CHECK_EQ(OK, r.error);
	CHECK_EQ(2, r.state);
	CHECK_EQ(1, r.data[0]);
	CHECK(v->is_exit_unseen);
	r = core_vcpu_run(&w.ctx, t, 0);
	CHECK_EQ(OK, r.error);
	CHECK_EQ(2, r.state);
	CHECK_EQ(1, r.data[0]);
	CHECK_EQ(0, r.data[1]);
	CHECK_EQ(0, r.data[2]);
	CHECK(!v->is_exit_unseen);
	irq->is_redelivery = true;
	vic_irq_recheck(irq);
	CHECK(!vic_irq_is_pending(irq));
	CHECK_EQ(OK, core_vcpu_unbind_virq(&w.ctx, t, 1));
}

TEST(vcpu_priority_timeslice_bounds)
{
	struct vcpu_world w;
	cap_id_t as, t;
	struct vcpu *v;

	world_init(&w, arena);
	as = make_obj(arena, OBJ_ADDRSPACE);
	t = make_obj(arena, OBJ_THREAD);
	CHECK_EQ(OK, core_addrspace_configure(&w.ctx, as, 9));
	CHECK_EQ(OK, core_object_activate(&w.ctx, as));
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_vcpu_set_priority(&w.ctx, t, 64));
	CHECK_EQ(OK, core_vcpu_set_priority(&w.ctx, t, 63));
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_vcpu_set_timeslice(&w.ctx, t, 999999));
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_vcpu_set_timeslice(&w.ctx, t, 100000001));
	CHECK_EQ(OK, core_vcpu_set_timeslice(&w.ctx, t, 1000000));
	CHECK_EQ(OK, core_vcpu_set_timeslice(&w.ctx, t, 100000000));
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_vcpu_set_affinity(&w.ctx, t, 1));
	CHECK_EQ(OK, core_vcpu_set_affinity(&w.ctx, t, 0));
	CHECK_EQ(OK, core_addrspace_attach_thread(&w.ctx, as, t));
	CHECK_EQ(OK, core_object_activate(&w.ctx, t));
	v = vcpu_of_cap(arena, t);
	CHECK_EQ(63, v->sched.priority);
	CHECK_EQ(100000000, v->sched.timeslice_ns);
	/* Only while INIT, as upstream. */
	CHECK_EQ(ERROR_OBJECT_STATE, core_vcpu_set_priority(&w.ctx, t, 1));
	CHECK_EQ(ERROR_OBJECT_STATE, core_vcpu_set_timeslice(&w.ctx, t, 1000000));
	CHECK_EQ(ERROR_OBJECT_STATE, core_vcpu_set_affinity(&w.ctx, t, 0));
	/* Powered on at 63 it outranks the caller (32) at once. */
	CHECK_EQ(OK, core_vcpu_poweron(&w.ctx, t, 0x1000, 0, 0));
	CHECK(sched_pick(&w.cpu.sched) == v);
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_scheduler_yield(&w.ctx, 3, 0));
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_scheduler_yield(&w.ctx, 1ULL << 31, 0));
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_scheduler_yield(&w.ctx, 2, 64));
	CHECK_EQ(ERROR_CSPACE_WRONG_OBJECT_TYPE,
	         core_scheduler_yield(&w.ctx, 1, arena->root.cspace_cap));
}

TEST(vcpu_defaults_on_activation)
{
	struct vcpu_world w;
	struct vcpu *v;

	world_init(&w, arena);
	v = vcpu_of_cap(arena, make_vcpu(arena, &w, 10));
	CHECK_EQ(32, v->sched.priority);
	CHECK_EQ(5000000, v->sched.timeslice_ns);
}

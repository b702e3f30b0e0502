/*
 * sched: the scheduler of one physical CPU (portable; hyp/test/test_sched.c runs it on the host).
 * Fixed priorities 0..63 (63 runs first), round robin within a priority: each priority has a FIFO
 * of ready vCPUs, a bitmap says which are non-empty. The running vCPU is `current`, never queued.
 *
 * The operations only decide; they change no CPU state. Each one leaves `pending` set when the vCPU
 * to run may have changed; the arch layer calls sched_pick() on its way back to a guest and
 * switches contexts if the answer is not the vCPU that trapped. Locking: one sched per CPU, touched
 * only by its own CPU with the core lock held (core_call.h).
 */
#ifndef SCHED_H
#define SCHED_H

#include "util.h"

#define SCHED_PRIORITIES        64U
#define SCHED_PRIORITY_DEFAULT  32U
#define SCHED_TIMESLICE_MIN_NS  1000000ULL
#define SCHED_TIMESLICE_MAX_NS  100000000ULL
#define SCHED_TIMESLICE_DEFAULT 5000000ULL

struct vcpu;

/* What a vCPU carries for the scheduler. */
struct sched_node {
	struct vcpu *next; /* in its priority's FIFO, or in the waiting list */
	bool is_queued;
	bool is_runnable; /* powered on and not killed: current, queued or waiting */
	bool is_waiting;  /* in WFI with nothing to take: in the waiting list, not queued */
	/* Proxy scheduling (vcpu_run): a proxied vCPU (its wakeup VIRQ was bound once) is never
	 * queued; ready, it is held (the held list) until a caller's vcpu_run lends it the CPU. */
	bool is_proxied;
	bool is_held;
	struct vcpu *runs_for; /* a proxied vCPU on the CPU: the caller it runs in place of */
	struct vcpu *running;  /* that caller, parked (no list) while its target runs */
	uint8_t priority;
	uint64_t timeslice_ns;
};

enum sched_pending {
	SCHED_NONE,     /* current runs on */
	SCHED_PREEMPT,  /* run the best ready vCPU if it outranks current (or current cannot run) */
	SCHED_ROTATE,   /* current goes behind its equals (yield, timeslice over) */
	SCHED_DIRECTED, /* `directed` runs next, current goes behind its equals */
	SCHED_LOWER, /* the best ready vCPU of priority >= `floor` runs, current waits at the head
	              */
	SCHED_PROXY, /* current parks; the proxied vCPU it names (sched_run_proxied) runs instead */
};

struct sched {
	struct vcpu *current; /* first: the arch reaches it in one load from the per-CPU data */
	enum sched_pending pending;
	struct vcpu *directed;
	unsigned floor;
	uint64_t ready_mask;  /* bit p: head[p] is not empty */
	struct vcpu *waiting; /* runnable vCPUs that wait for an interrupt (sched_wait) */
	struct vcpu *held;    /* proxied vCPUs ready to be run by a vcpu_run */
	bool is_proxy_break;  /* the parked caller has an interrupt: its proxy run ends (READY) */
	struct vcpu *head[SCHED_PRIORITIES];
	struct vcpu *tail[SCHED_PRIORITIES];
};

void sched_init(struct sched *s);
/* A new vCPU's scheduling state: priority 32, timeslice 5 ms, not runnable. */
void sched_node_init(struct sched_node *n);

/* @v becomes runnable (power on): queued behind its equals; it preempts a lower current. */
void sched_wake(struct sched *s, struct vcpu *v);
/* @v stops being runnable (power off, kill): out of the queue, or current gives up the CPU. */
void sched_block(struct sched *s, struct vcpu *v);
/* scheduler_yield's hints: generic, to @target (runs next if ready), to priorities >= @floor.
 * Not plain sched_yield: the host build links libc, and a core sched_yield would replace libc's
 * for the whole program (LeakSanitizer's exit-time check spins on it: it crashed there and hung).
 */
void sched_yield_generic(struct sched *s);
void sched_yield_to(struct sched *s, struct vcpu *target);
void sched_yield_lower(struct sched *s, unsigned floor);
/*
 * Current (@v) waits for an interrupt (a guest WFI with nothing to take): it gives up the CPU but
 * stays current until sched_pick, so the arch saves its context; it is neither ready nor blocked
 * until sched_wake_waiting. Still powered on: sched_count counts it.
 */
void sched_wait(struct sched *s, struct vcpu *v);
/* Something @v may take arrived (a VIRQ, its timer's deadline): ready again. No-op if not waiting.
 */
void sched_wake_waiting(struct sched *s, struct vcpu *v);
/* The running vCPU's timeslice is over. */
void sched_tick(struct sched *s);
/* A new priority for @v (0..63), re-queued behind its new equals; current may be preempted. */
void sched_set_priority(struct sched *s, struct vcpu *v, unsigned priority);

/*
 * Proxy scheduling (vcpu_run, reference section 9). While current runs a proxied vCPU in its place
 * (its `running`), the caller is the one the scheduler weighs (priority, timeslice, preemption);
 * the run ends, and the caller is current again with the run's result in its registers
 * (vcpu_run_finish), when the target waits, blocks or yields, or the caller is preempted, its
 * timeslice ends or it has an interrupt (sched_proxy_interrupt).
 */
/* @v runs only through vcpu_run from now on: out of the ready queue (held) if it was there. */
void sched_set_proxied(struct sched *s, struct vcpu *v);
/* Current (not itself a proxied run) lends its place to held @target. */
void sched_run_proxied(struct sched *s, struct vcpu *target);
/* Something for the parked caller arrived: its proxy run ends at the next pick. */
void sched_proxy_interrupt(struct sched *s);
/* The vCPU the scheduler weighs for what is on the CPU: a proxy run's caller, else current. */
struct vcpu *sched_owner(const struct sched *s);

/* Applies what is pending; returns the vCPU to run now (NULL: none, idle) and makes it current. */
struct vcpu *sched_pick(struct sched *s);
/* A ready vCPU shares or outranks current's priority: the arch arms the timeslice timer. */
bool sched_is_contended(const struct sched *s);
/* How many runnable vCPUs (current, parked, queued, waiting, held) @match accepts. */
unsigned sched_count(const struct sched *s, bool (*match)(const struct vcpu *v, const void *arg),
                     const void *arg);

#endif

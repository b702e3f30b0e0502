/* sched: fixed-priority round-robin choice of the vCPU one physical CPU runs (sched.h). */
#include "sched.h"

#include "log.h"
#include "vcpu.h"

/* A broken invariant of the queues is the hypervisor's bug, never a guest's doing. */
#define assert(c)                                                                                  \
	do {                                                                                       \
		if (!(c))                                                                          \
			panic("sched: %s", #c);                                                    \
	} while (0)

void sched_init(struct sched *s)
{
	*s = (struct sched){.pending = SCHED_NONE};
}

void sched_node_init(struct sched_node *n)
{
	*n = (struct sched_node){.priority = SCHED_PRIORITY_DEFAULT,
	                         .timeslice_ns = SCHED_TIMESLICE_DEFAULT};
}

static void sched_enqueue(struct sched *s, struct vcpu *v, bool at_head)
{
	unsigned p = v->sched.priority;

	assert(!v->sched.is_queued && v != s->current);
	v->sched.is_queued = true;
	if (s->head[p] == NULL) {
		v->sched.next = NULL;
		s->head[p] = s->tail[p] = v;
		s->ready_mask |= 1ULL << p;
	} else if (at_head) {
		v->sched.next = s->head[p];
		s->head[p] = v;
	} else {
		v->sched.next = NULL;
		s->tail[p]->sched.next = v;
		s->tail[p] = v;
	}
}

static void sched_dequeue(struct sched *s, struct vcpu *v)
{
	unsigned p = v->sched.priority;
	struct vcpu *prev = NULL;

	assert(v->sched.is_queued);
	for (struct vcpu *it = s->head[p]; it != v; it = it->sched.next) {
		assert(it != NULL);
		prev = it;
	}
	if (prev == NULL)
		s->head[p] = v->sched.next;
	else
		prev->sched.next = v->sched.next;
	if (s->tail[p] == v)
		s->tail[p] = prev;
	if (s->head[p] == NULL)
		s->ready_mask &= ~(1ULL << p);
	v->sched.next = NULL;
	v->sched.is_queued = false;
}

/* The highest priority with a ready vCPU, or -1. */
static int sched_top(const struct sched *s)
{
	return s->ready_mask == 0 ? -1 : 63 - __builtin_clzll(s->ready_mask);
}

/* Asks for a new choice; a stronger request is not weakened by a later PREEMPT. */
static void sched_request(struct sched *s, enum sched_pending what)
{
	if (s->pending == SCHED_NONE || what != SCHED_PREEMPT)
		s->pending = what;
}

static void sched_hold(struct sched *s, struct vcpu *v);

void sched_wake(struct sched *s, struct vcpu *v)
{
	assert(!v->sched.is_runnable);
	v->sched.is_runnable = true;
	if (v->sched.is_proxied) {
		sched_hold(s, v);
		return;
	}
	sched_enqueue(s, v, false);
	sched_request(s, SCHED_PREEMPT);
}

static void sched_unwait(struct sched *s, struct vcpu *v)
{
	struct vcpu **at = &s->waiting;

	while (*at != v) {
		assert(*at != NULL);
		at = &(*at)->sched.next;
	}
	*at = v->sched.next;
	v->sched.next = NULL;
	v->sched.is_waiting = false;
}

/* A proxied vCPU ready to run: held until a caller's vcpu_run (never queued). */
static void sched_hold(struct sched *s, struct vcpu *v)
{
	assert(v->sched.is_proxied && !v->sched.is_held && !v->sched.is_queued);
	v->sched.is_held = true;
	v->sched.next = s->held;
	s->held = v;
}

static void sched_unhold(struct sched *s, struct vcpu *v)
{
	struct vcpu **at = &s->held;

	while (*at != v) {
		assert(*at != NULL);
		at = &(*at)->sched.next;
	}
	*at = v->sched.next;
	v->sched.next = NULL;
	v->sched.is_held = false;
}

/* The proxy run of @target (on the CPU) for @caller is over: unlinked, the caller's result set. */
static void sched_proxy_end(struct vcpu *target)
{
	struct vcpu *caller = target->sched.runs_for;

	target->sched.runs_for = NULL;
	caller->sched.running = NULL;
	vcpu_run_finish(caller, target);
}

void sched_block(struct sched *s, struct vcpu *v)
{
	if (!v->sched.is_runnable)
		return;
	v->sched.is_runnable = false;
	if (v->sched.is_queued)
		sched_dequeue(s, v);
	if (v->sched.is_waiting)
		sched_unwait(s, v);
	if (v->sched.is_held)
		sched_unhold(s, v);
	if (s->directed == v)
		s->directed = NULL;
	if (v->sched.running != NULL) {
		/* A parked caller: its target runs for nobody now, and leaves the CPU at the pick.
		 */
		v->sched.running->sched.runs_for = NULL;
		v->sched.running = NULL;
		sched_request(s, SCHED_PREEMPT);
	}
	if (v == s->current) {
		struct vcpu *caller = v->sched.runs_for;

		/* It gives up the CPU now: nothing of it may be touched again (its thread may go).
		 * A proxy run ends with it: its caller is first of its equals again. */
		if (caller != NULL) {
			sched_proxy_end(v);
			sched_enqueue(s, caller, true);
		}
		s->current = NULL;
		sched_request(s, SCHED_PREEMPT);
	}
}

void sched_yield_generic(struct sched *s)
{
	sched_request(s, SCHED_ROTATE);
}

void sched_wait(struct sched *s, struct vcpu *v)
{
	assert(v == s->current && v->sched.is_runnable && !v->sched.is_waiting);
	v->sched.is_waiting = true;
	v->sched.next = s->waiting;
	s->waiting = v;
	sched_request(s, SCHED_PREEMPT);
}

void sched_wake_waiting(struct sched *s, struct vcpu *v)
{
	if (!v->sched.is_waiting)
		return;
	sched_unwait(s, v);
	if (v == s->current)
		return; /* woken before it left the CPU: it runs on */
	if (v->sched.is_proxied) {
		sched_hold(s, v);
		vcpu_run_wakeup(v);
		return;
	}
	sched_enqueue(s, v, false);
	sched_request(s, SCHED_PREEMPT);
}

void sched_tick(struct sched *s)
{
	sched_request(s, SCHED_ROTATE);
}

void sched_yield_to(struct sched *s, struct vcpu *target)
{
	if (target == s->current || !target->sched.is_queued) {
		sched_request(s, SCHED_ROTATE);
		return;
	}
	s->directed = target;
	sched_request(s, SCHED_DIRECTED);
}

void sched_yield_lower(struct sched *s, unsigned floor)
{
	s->floor = floor;
	sched_request(s, SCHED_LOWER);
}

void sched_set_priority(struct sched *s, struct vcpu *v, unsigned priority)
{
	assert(priority < SCHED_PRIORITIES);
	if (v->sched.is_queued) {
		sched_dequeue(s, v);
		v->sched.priority = (uint8_t)priority;
		sched_enqueue(s, v, false);
	} else {
		v->sched.priority = (uint8_t)priority;
	}
	if (v->sched.is_runnable)
		sched_request(s, SCHED_PREEMPT);
}

void sched_set_proxied(struct sched *s, struct vcpu *v)
{
	assert(v != s->current);
	if (v->sched.is_proxied)
		return;
	v->sched.is_proxied = true;
	if (v->sched.is_queued) {
		sched_dequeue(s, v);
		sched_hold(s, v);
	}
}

void sched_run_proxied(struct sched *s, struct vcpu *target)
{
	struct vcpu *caller = s->current;

	assert(caller != NULL && caller->sched.runs_for == NULL && target->sched.is_held);
	sched_unhold(s, target);
	target->sched.runs_for = caller;
	caller->sched.running = target;
	s->is_proxy_break = false;
	s->pending = SCHED_PROXY;
}

void sched_proxy_interrupt(struct sched *s)
{
	if (s->current != NULL && s->current->sched.runs_for != NULL) {
		s->is_proxy_break = true;
		sched_request(s, SCHED_PREEMPT);
	}
}

struct vcpu *sched_owner(const struct sched *s)
{
	struct vcpu *cur = s->current;

	return cur != NULL && cur->sched.runs_for != NULL ? cur->sched.runs_for : cur;
}

/*
 * A proxy run goes on while its target can run, nothing for its caller arrived and nothing asks
 * for more than a check that no ready vCPU outranks the caller. Otherwise it ends: the target is
 * held again if still ready, and the caller is the current the pick starts from.
 */
static struct vcpu *sched_proxy_resolve(struct sched *s, struct vcpu *target)
{
	struct vcpu *caller = target->sched.runs_for;
	bool runs = target->sched.is_runnable && !target->sched.is_waiting;

	if (runs && !s->is_proxy_break &&
	    (s->pending == SCHED_NONE ||
	     (s->pending == SCHED_PREEMPT && sched_top(s) <= (int)caller->sched.priority)))
		return target;
	sched_proxy_end(target);
	if (runs)
		sched_hold(s, target);
	s->is_proxy_break = false;
	return caller;
}

/* The best ready vCPU of priority >= floor, out of its queue; NULL if none. */
static struct vcpu *sched_take_best(struct sched *s, unsigned floor)
{
	int top = sched_top(s);
	struct vcpu *v;

	if (top < 0 || (unsigned)top < floor)
		return NULL;
	v = s->head[top];
	sched_dequeue(s, v);
	return v;
}

struct vcpu *sched_pick(struct sched *s)
{
	struct vcpu *cur = s->current;
	bool cur_runs;
	struct vcpu *next;
	int top = sched_top(s);

	if (cur != NULL && cur->sched.runs_for != NULL) {
		cur = sched_proxy_resolve(s, cur);
		if (cur == s->current) {
			s->pending = SCHED_NONE;
			return cur;
		}
	}
	/* A proxied vCPU stays on the CPU only in a proxy run (its caller went: it leaves). */
	cur_runs = cur != NULL && cur->sched.is_runnable && !cur->sched.is_waiting &&
	           !cur->sched.is_proxied;
	if (cur != NULL && cur->sched.is_proxied && cur->sched.is_runnable &&
	    !cur->sched.is_waiting && !cur->sched.is_held)
		sched_hold(s, cur);
	next = cur_runs ? cur : NULL;
	s->current = NULL; /* current may go back into a queue below */
	switch (s->pending) {
	case SCHED_NONE:
		break;
	case SCHED_PROXY:
		next = cur->sched.running;
		break;
	case SCHED_PREEMPT:
		if (!cur_runs) {
			next = sched_take_best(s, 0);
		} else if (top > (int)cur->sched.priority) {
			sched_enqueue(s, cur, true); /* preempted: first of its equals again */
			next = sched_take_best(s, 0);
		}
		break;
	case SCHED_ROTATE:
		if (cur_runs)
			sched_enqueue(s, cur, false);
		next = sched_take_best(s, 0);
		break;
	case SCHED_DIRECTED:
		if (s->directed != NULL && s->directed->sched.is_queued) {
			next = s->directed;
			sched_dequeue(s, next);
			if (cur_runs)
				sched_enqueue(s, cur, false);
		}
		break;
	case SCHED_LOWER:
		if (cur_runs) {
			struct vcpu *lower = sched_take_best(s, s->floor);

			if (lower != NULL) {
				sched_enqueue(s, cur, true);
				next = lower;
			}
		} else {
			next = sched_take_best(s, 0);
		}
		break;
	}
	s->pending = SCHED_NONE;
	s->directed = NULL;
	s->current = next;
	return next;
}

bool sched_is_contended(const struct sched *s)
{
	const struct vcpu *owner = sched_owner(s);

	return owner != NULL && sched_top(s) >= (int)owner->sched.priority;
}

unsigned sched_count(const struct sched *s, bool (*match)(const struct vcpu *v, const void *arg),
                     const void *arg)
{
	/* A current that waits is on the waiting list too: counted there. */
	unsigned n = s->current != NULL && s->current->sched.is_runnable &&
	             !s->current->sched.is_waiting && match(s->current, arg);

	if (s->current != NULL && s->current->sched.runs_for != NULL)
		n += match(s->current->sched.runs_for, arg) ? 1U : 0U; /* the parked caller */
	for (const struct vcpu *v = s->held; v != NULL; v = v->sched.next)
		n += match(v, arg) ? 1U : 0U;

	for (unsigned p = 0; p < SCHED_PRIORITIES; p++) {
		for (const struct vcpu *v = s->head[p]; v != NULL; v = v->sched.next)
			n += match(v, arg) ? 1U : 0U;
	}
	for (const struct vcpu *v = s->waiting; v != NULL; v = v->sched.next)
		n += match(v, arg) ? 1U : 0U;
	return n;
}

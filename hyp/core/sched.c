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

void sched_wake(struct sched *s, struct vcpu *v)
{
	assert(!v->sched.is_runnable);
	v->sched.is_runnable = true;
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

void sched_block(struct sched *s, struct vcpu *v)
{
	if (!v->sched.is_runnable)
		return;
	v->sched.is_runnable = false;
	if (v->sched.is_queued)
		sched_dequeue(s, v);
	if (v->sched.is_waiting)
		sched_unwait(s, v);
	if (s->directed == v)
		s->directed = NULL;
	if (v == s->current) {
		/* It gives up the CPU now: nothing of it may be touched again (its thread may go).
		 */
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
	bool cur_runs = cur != NULL && cur->sched.is_runnable && !cur->sched.is_waiting;
	struct vcpu *next = cur_runs ? cur : NULL;
	int top = sched_top(s);

	s->current = NULL; /* current may go back into a queue below */
	switch (s->pending) {
	case SCHED_NONE:
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
	int top = sched_top(s);

	return s->current != NULL && top >= (int)s->current->sched.priority;
}

unsigned sched_count(const struct sched *s, bool (*match)(const struct vcpu *v, const void *arg),
                     const void *arg)
{
	/* A current that waits is on the waiting list too: counted there. */
	unsigned n = s->current != NULL && s->current->sched.is_runnable &&
	             !s->current->sched.is_waiting && match(s->current, arg);

	for (unsigned p = 0; p < SCHED_PRIORITIES; p++) {
		for (const struct vcpu *v = s->head[p]; v != NULL; v = v->sched.next)
			n += match(v, arg) ? 1U : 0U;
	}
	for (const struct vcpu *v = s->waiting; v != NULL; v = v->sched.next)
		n += match(v, arg) ? 1U : 0U;
	return n;
}

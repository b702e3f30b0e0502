/* virq: a virtual IRQ source (a message queue side, a doorbell, an hwirq) and its binding to one
 * VIRQ of a VIC. */
#ifndef VIRQ_H
#define VIRQ_H

#include "error.h"
#include "util.h"

struct vic;
struct virq_source;

/*
 * The source's own condition for a level assertion (a doorbell: an enabled flag is set; a message
 * queue side: its threshold is met). The VIC asks it again before it re-delivers a level VIRQ and
 * after the guest's EOI, so a condition that went away is dropped lazily (reference §5).
 */
typedef bool (*virq_condition_fn)(const struct virq_source *src);

struct virq_source {
	struct vic *vic; /* NULL while unbound; bound, it holds a reference on the VIC */
	uint32_t virq;   /* the INTID on that VIC */
	virq_condition_fn condition;
	/* A physical interrupt behind it (hwirq), else 0: listed with HW = 1, so the guest's
	 * deactivation deactivates the physical one. */
	uint32_t hw_pintid;
};

/*
 * Bind to @virq of @vic (which must be ACTIVE). Checked in this order: VIRQ_BOUND when the source
 * is bound already, ARGUMENT_INVALID when @virq is not one of the VIC's shared VIRQs (32 .. 32 +
 * max_virqs - 1), BUSY when another source has it. Nothing changes on error.
 */
error_t virq_bind(struct virq_source *src, struct vic *vic, uint64_t virq);
/* Unbind (OK when not bound): the VIRQ stops being pending and is free again. */
void virq_unbind(struct virq_source *src);
/* For cleanup ops: unbind, dropping the VIC reference through object_put_deferred. */
struct object;
void virq_unbind_deferred(struct virq_source *src, struct object **dead);

/*
 * Assert the source. Level (edge_only false): the line is up until virq_clear or until the
 * condition no longer holds; a level-configured VIRQ is pending meanwhile, an edge-configured one
 * becomes pending once. edge_only: only an edge-configured VIRQ becomes pending (once).
 * No effect while unbound.
 */
void virq_assert(struct virq_source *src, bool edge_only);
/* The source's interrupt is withdrawn: the line drops and a pending edge is forgotten (an active
 * one stays active until the guest ends it). */
void virq_clear(struct virq_source *src);

#endif

/* doorbell: 64 flags a sender ORs in and a receiver clears, with an enable and an acknowledge mask,
 * raising one VIRQ (reference §5). */
#ifndef DOORBELL_H
#define DOORBELL_H

#include "object.h"
#include "virq.h"

struct doorbell {
	struct object hdr;
	uint64_t flags;
	uint64_t enable_mask; /* flags that raise the VIRQ (level) */
	uint64_t ack_mask;    /* flags cleared as soon as they raised it */
	struct virq_source source;
};

/* doorbell_send: returns the flags before; ORs @new_flags in; an enabled flag asserts the VIRQ
 * (level) and the acknowledged ones clear, else the assertion is edge-only. */
uint64_t doorbell_send(struct doorbell *db, uint64_t new_flags);
/* doorbell_receive: returns the flags before and clears @clear_flags (non-zero, the caller
 * checks). The VIRQ drops lazily: when the guest ends it and no enabled flag is left. */
uint64_t doorbell_receive(struct doorbell *db, uint64_t clear_flags);
/* doorbell_mask: both masks; the VIRQ follows whether an enabled flag is set. */
void doorbell_mask(struct doorbell *db, uint64_t enable_mask, uint64_t ack_mask);
/* doorbell_reset: VIRQ cleared, flags 0, every flag enabled, none acknowledged. */
void doorbell_reset(struct doorbell *db);

struct virq_source *doorbell_source(struct object *obj);

extern const struct obj_ops doorbell_ops;

#endif

/* thread: the vCPU object as the object core sees it (its cspace); the vCPU itself comes with the
 * vcpu module. */
#ifndef THREAD_H
#define THREAD_H

#include "cspace.h"
#include "object.h"

struct vic;

struct thread {
	struct object hdr;
	/* The cspace the thread's hypercalls name caps in; referenced. Set while INIT. */
	struct cspace *cspace;
	/* The VIC it takes its interrupts from (vic_attach_vcpu; referenced) and its index there.
	 */
	struct vic *vic;
	uint32_t vic_index;
};

/* While the thread is INIT and the cspace ACTIVE: attach (replacing any earlier one). */
void thread_attach_cspace(struct thread *thread, struct cspace *cspace);

extern const struct obj_ops thread_ops;

#endif

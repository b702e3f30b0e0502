/* thread: the vCPU object's part in the object core: its cspace attachment and lifecycle. */
#include "thread.h"

#include "vic.h"

void thread_attach_cspace(struct thread *thread, struct cspace *cspace)
{
	object_get(&cspace->hdr);
#if HUMPY_PLANT_BUG != 4 /* planted bug 4 drops this: refcount leak */
	if (thread->cspace != NULL) {
		object_put(&thread->cspace->hdr);
	}
#endif
	thread->cspace = cspace;
}

/*
 * A thread runs only in an address space, and humpy has none to attach yet: activation fails with
 * OBJECT_CONFIG, as upstream's does for a vCPU without one, and the thread stays INIT (spec
 * deviation thread_activate). So no half-made vCPU can be reached.
 */
static error_t thread_activate(struct object *obj)
{
	(void)obj;
	return ERROR_OBJECT_CONFIG;
}

static void thread_cleanup(struct object *obj, struct object **dead)
{
	struct thread *thread = (struct thread *)obj;

	if (thread->cspace != NULL) {
		object_put_deferred(&thread->cspace->hdr, dead);
		thread->cspace = NULL;
	}
	if (thread->vic != NULL) {
		object_put_deferred(&thread->vic->hdr, dead);
		thread->vic = NULL;
	}
}

const struct obj_ops thread_ops = {
    .size = sizeof(struct thread),
    .all_rights = RIGHT_OBJECT_ACTIVATE | RIGHT_THREAD_POWER | RIGHT_THREAD_AFFINITY |
                  RIGHT_THREAD_PRIORITY | RIGHT_THREAD_TIMESLICE | RIGHT_THREAD_YIELD_TO |
                  RIGHT_THREAD_BIND_VIRQ | RIGHT_THREAD_STATE | RIGHT_THREAD_LIFECYCLE |
                  RIGHT_THREAD_WRITE_CONTEXT | RIGHT_THREAD_DISABLE,
    .activate = thread_activate,
    .cleanup = thread_cleanup,
};

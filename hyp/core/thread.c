/* thread: the vCPU object's part in the object core: its attachments and lifecycle. */
#include "thread.h"

#include "addrspace.h"
#include "cpu_local.h"
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

void thread_attach_addrspace(struct thread *thread, struct addrspace *as)
{
	object_get(&as->hdr);
	if (thread->addrspace != NULL) {
		object_put(&thread->addrspace->hdr);
	}
	thread->addrspace = as;
}

/* The vCPU's identity and reset state; it stays powered off until vcpu_poweron. */
static void thread_vcpu_init(struct thread *thread, struct vm *vm)
{
	struct vcpu *v = &thread->vcpu;

	*v = (struct vcpu){
	    .vm = vm,
	    .thread = thread,
	    .cspace = thread->cspace,
	    .index = thread->vic_index,
	    .power = VCPU_POWER_OFF,
	};
	if (thread->addrspace != NULL) {
		v->vmid = thread->addrspace->vmid;
		v->stage2_root = thread->addrspace->tables[0];
	}
	sched_node_init(&v->sched);
	if (thread->is_priority_set) {
		v->sched.priority = thread->priority;
	}
	if (thread->timeslice_ns != 0U) {
		v->sched.timeslice_ns = thread->timeslice_ns;
	}
	arch_vcpu_context_reset(v);
}

/*
 * A vCPU runs in an address space: without one activation fails with OBJECT_CONFIG, as upstream's
 * does, and the thread stays INIT. Activated, the vCPU exists, powered off.
 */
static error_t thread_activate(struct object *obj)
{
	struct thread *thread = (struct thread *)obj;

	if (thread->addrspace == NULL) {
		return ERROR_OBJECT_CONFIG;
	}
	thread_vcpu_init(thread, NULL);
	return OK;
}

struct vcpu *thread_boot_vcpu(struct thread *thread, struct vm *vm)
{
	thread_vcpu_init(thread, vm);
	return &thread->vcpu;
}

static void thread_cleanup(struct object *obj, struct object **dead)
{
	struct thread *thread = (struct thread *)obj;

	/* A vCPU still runnable leaves its CPU's queues (or the CPU, if it is running). */
	arch_vcpu_stopped(&thread->vcpu);
	if (thread->vcpu.cpu != NULL) {
		sched_block(&thread->vcpu.cpu->sched, &thread->vcpu);
	}
	virq_unbind_deferred(&thread->vcpu.run_wakeup, dead);
	if (thread->cspace != NULL) {
		object_put_deferred(&thread->cspace->hdr, dead);
		thread->cspace = NULL;
	}
	if (thread->vic != NULL) {
		object_put_deferred(&thread->vic->hdr, dead);
		thread->vic = NULL;
	}
	if (thread->addrspace != NULL) {
		object_put_deferred(&thread->addrspace->hdr, dead);
		thread->addrspace = NULL;
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

/* thread: the vCPU object as the object core sees it: its cspace, VIC and address space while INIT,
 * and the vCPU itself (vcpu.h) once ACTIVE. */
#ifndef THREAD_H
#define THREAD_H

#include "cspace.h"
#include "object.h"
#include "vcpu.h"

struct vic;
struct addrspace;
struct vm;

/* vcpu_configure option flags humpy takes (reference section 2; the rest ARGUMENT_INVALID). */
#define THREAD_OPTION_PINNED BIT(0) /* one physical CPU: every vCPU is pinned */
#define THREAD_OPTION_DEBUG_ALLOWED                                                                \
	BIT(4)                        /* the debug registers are the guest's (else UNDEFINED) */
#define THREAD_OPTION_HLOS_VM BIT(63) /* the primary VM: the boot options' grants under the RM */
#define THREAD_OPTIONS_VALID                                                                       \
	(THREAD_OPTION_PINNED | THREAD_OPTION_DEBUG_ALLOWED | THREAD_OPTION_HLOS_VM)

struct thread {
	struct object hdr;
	/* The cspace the thread's hypercalls name caps in; referenced. Set while INIT. */
	struct cspace *cspace;
	/* The VIC it takes its interrupts from (vic_attach_vcpu; referenced) and its index there.
	 */
	struct vic *vic;
	uint32_t vic_index;
	/* The address space it runs in (addrspace_attach_thread; referenced). Set while INIT;
	 * activation needs it. */
	struct addrspace *addrspace;
	uint64_t options; /* vcpu_configure */
	/* vcpu_set_priority / vcpu_set_timeslice while INIT (else the defaults, sched.h). */
	bool is_priority_set;
	uint8_t priority;
	uint64_t timeslice_ns; /* 0: the default */
	struct vcpu vcpu;      /* valid once ACTIVE */
};

/* While the thread is INIT and the cspace ACTIVE: attach (replacing any earlier one). */
void thread_attach_cspace(struct thread *thread, struct cspace *cspace);
/* While the thread is INIT and the address space ACTIVE: attach (replacing any earlier one). */
void thread_attach_addrspace(struct thread *thread, struct addrspace *as);

/* The boot VM's vCPU 0, ACTIVE from the start (root.c made the object): the vCPU of @vm that the
 * boot flow powers on. */
struct vcpu *thread_boot_vcpu(struct thread *thread, struct vm *vm);

static inline struct thread *thread_of_vcpu(struct vcpu *vcpu)
{
	return vcpu->thread;
}

extern const struct obj_ops thread_ops;

#endif

/* frame: the guest register frame the EL2 vectors save on the per-CPU stack (used from asm). */
#ifndef FRAME_H
#define FRAME_H

#define FRAME_ELR  248
#define FRAME_SPSR 256
#define FRAME_SIZE 272

/* struct cpu_local (cpu_local.h) as the vectors read it through TPIDR_EL2: sched.current (the
 * running vCPU) and sched.pending (a 32-bit enum; trap.c asserts both offsets). */
#define CPU_SCHED_CURRENT 0
#define CPU_SCHED_PENDING 8
/* struct vcpu (vcpu.h): its cspace, the native entries' second argument (trap.c asserts it). */
#define VCPU_CSPACE 24

#ifndef __ASSEMBLER__
#include "util.h"

struct guest_frame {
	uint64_t x[31];
	uint64_t elr;
	uint64_t spsr;
	uint64_t pad;
};

_Static_assert(__builtin_offsetof(struct guest_frame, elr) == FRAME_ELR, "frame layout");
_Static_assert(__builtin_offsetof(struct guest_frame, spsr) == FRAME_SPSR, "frame layout");
_Static_assert(sizeof(struct guest_frame) == FRAME_SIZE, "frame layout");

/* vcpu.c: on the way back to a guest, switches to the vCPU the scheduler picked (idling until
 * there is one); the frame then holds that vCPU's registers. */
void arch_vcpu_reschedule(struct guest_frame *f);
/* vcpu.c: a trapped WFI of the running vCPU: it waits (sched_wait) unless it has something to
 * take; the EL2 timer fired: waiters whose deadline passed wake, an ended timeslice ticks. */
void arch_vcpu_wfi(void);
struct cpu_local;
void arch_vcpu_timer_fired(struct cpu_local *cpu);
/* trap.c: takes one pending physical interrupt (a trap's, or the idle loop's). */
void arch_irq_take(void);
/* serror.S: takes a pending SError now, at EL2: on entry from a guest (the guest's: returns 1 if
 * there was one), or before the return (the hypervisor's: reported as its own fault). */
uint32_t arch_serror_take_guest(void);
void arch_serror_take_hyp(void);

struct vcpu;
/* vcpu.c: the ID register (op0 3, op1 0, CRn 0, @crm, @op2) as @vcpu's VM has it (HCR_EL2.TID3). */
uint64_t arch_vcpu_id_reg(const struct vcpu *vcpu, unsigned crm, unsigned op2);
#endif

/* Per-CPU stacks (each preceded by an unmapped guard page). */
#define STACK_SIZE  0x4000
#define STACK_GUARD 0x1000
#define STACK_SLOT  (STACK_SIZE + STACK_GUARD)

#endif

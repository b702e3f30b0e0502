/*
 * cpu_local: what each physical CPU has of its own. The arch reaches this CPU's copy through one
 * register (TPIDR_EL2 on AArch64); the core is handed it (a vCPU's `cpu`), never finds it itself.
 * Only its own CPU touches it (core_call.h, lock discipline).
 */
#ifndef CPU_LOCAL_H
#define CPU_LOCAL_H

#include "sched.h"

struct cpu_local {
	struct sched sched; /* first: sched.current is the running vCPU, one load from TPIDR_EL2 */
	unsigned index;
	uint32_t timer_intid; /* the EL2 physical timer's PPI (timeslices, waiters' deadlines) */
	uint64_t slice_end;   /* CNTPCT when the running vCPU's timeslice ends, 0: none counts */
};

#endif

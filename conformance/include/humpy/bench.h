/* Bench mode (humpy.bench): instruction counts of hypercall round trips. */
#ifndef HUMPY_BENCH_H
#define HUMPY_BENCH_H

/* Prints the BENCH lines (PROTOCOL.md) between the runner's BEGIN and END. */
void bench_run(void);

#include <humpy/types.h>

/* For bench_ipc.c: the counter bench_run chose (PMU instructions, else CNTVCT ticks). */
u64 bench_now(void);
bool bench_counter_is_ticks(void);
/* BENCH <name> <delta / n> <insns|ticks>. */
void bench_report(const char *name, u64 delta, unsigned n);
/* The msgq, doorbell and vIRQ rows (issue 9 point 8). */
void bench_ipc_run(void);
/* The address-space row (issue 10 point 10, guest/bench_mem.c). */
void bench_mem_run(void);
/* The Stage-2 fault round trip row (issue 10 point 10, guest/bench_fault.c). */
void bench_fault_run(void);
/* The vCPU switch row, yield to yield (issue 10 point 10, guest/bench_vcpu.c). */
void bench_vcpu_run(void);
/* The RM RPC rows, hlos profile (issue 11 point 7, guest/bench_rm.c). */
void bench_rm_run(void);

#endif

/* Bench mode (humpy.bench): instruction counts of hypercall round trips. */
#ifndef HUMPY_BENCH_H
#define HUMPY_BENCH_H

/* Prints the BENCH lines (PROTOCOL.md) between the runner's BEGIN and END. */
void bench_run(void);

#endif

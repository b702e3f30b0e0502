/* hypercall: the portable dispatch of trapped HVC/SMC calls (native table, SMCCC, PSCI). */
#ifndef HYPERCALL_H
#define HYPERCALL_H

#include "util.h"

struct vcpu;

/* The caller's x0..x7 at the trap. */
struct hypercall_regs {
	uint64_t x[8];
};

/*
 * What goes back: x[0..count) replace the caller's x0.. registers; the rest stay as they were.
 * zero_scratch: also return x9..x17 as zero (the native path's rule, reference §1a).
 */
struct hypercall_result {
	uint64_t x[8];
	unsigned count;
	bool zero_scratch;
};

/* One table row: the handler, and the input registers it reads and which must be 0 / all-ones. */
struct hypercall_desc {
	struct hypercall_result (*handler)(struct vcpu *vcpu, const struct hypercall_regs *in);
	uint8_t inputs;
	uint8_t res0_mask; /* bit i: input i is res0 (checked on the native path only) */
	uint8_t res1_mask; /* bit i: input i is res1 */
};

/* A trapped HVC (is_hvc) or SMC with the given immediate; never fails, never halts. */
struct hypercall_result hypercall_trap(struct vcpu *vcpu, bool is_hvc, uint16_t imm,
                                       const struct hypercall_regs *in);

/* Number of rows in the native table (the first number past it is UNIMPLEMENTED). */
unsigned hypercall_table_size(void);

/* The native table's row for num (handler NULL for a hole), or NULL past the table. */
const struct hypercall_desc *hypercall_desc_of(unsigned num);

#endif

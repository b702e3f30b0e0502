/* hypercall: the portable dispatch of trapped HVC/SMC calls (native table, SMCCC, PSCI). */
#ifndef HYPERCALL_H
#define HYPERCALL_H

#include "core_call.h"
#include "util.h"

struct vcpu;

/* The caller's x0..x7 at the trap. */
struct hypercall_regs {
	uint64_t x[8];
};

/*
 * What goes back: x[0..count) replace the caller's x0.. registers; the rest stay as they were.
 * x[count..8) are zero in every result (each is a compound literal: hypercall_error, _value,
 * _values2 or a handler's own), so the native path stores all eight words without looking at count.
 * zero_scratch: also return x9..x17 as zero (the native path's rule, reference §1a).
 */
struct hypercall_result {
	uint64_t x[8];
	unsigned count;
	bool zero_scratch;
};

/*
 * A handler gets the caller's context (its cspace, checked present when the row names a cap) and
 * @io: on entry the inputs the row declares (the rest zero), on return all eight result words
 * (x[count..8) zero); it returns count. Written with HYPERCALL_HANDLER, its body is the one line
 * that calls the core and returns a struct hypercall_result; the macro stores that result straight
 * into @io (the caller's registers on the native path): no 72-byte result is returned through the
 * stack and then copied again on every call. The context comes as two registers (the wrapper
 * builds the struct core_ctx the body sees), so the dispatcher builds nothing in memory and its
 * call to the handler is a tail call, with io already in x0.
 */
typedef unsigned (*hypercall_handler_t)(struct hypercall_regs *io, struct cspace *cspace,
                                        struct vcpu *vcpu);

/* r into io->x[0..8); r.count (the SMCCC path gives back only x[0..count)). */
static inline __attribute__((always_inline)) unsigned hypercall_regs_put(struct hypercall_regs *io,
                                                                         struct hypercall_result r)
{
#pragma GCC unroll 8
	for (unsigned i = 0; i < 8; i++)
		io->x[i] = r.x[i];
	return r.count;
}

#define HYPERCALL_HANDLER_DECL(name)                                                               \
	unsigned hypercall_##name(struct hypercall_regs *io, struct cspace *cspace,                \
	                          struct vcpu *vcpu)

/* The body that follows reads in->x[] and returns the result: every input is read before the
 * first result word is stored. */
#define HYPERCALL_HANDLER(name)                                                                    \
	static inline                                                                              \
	    __attribute__((always_inline)) struct hypercall_result hypercall_##name##_body(        \
	        const struct core_ctx *ctx, const struct hypercall_regs *in);                      \
	HYPERCALL_HANDLER_DECL(name)                                                               \
	{                                                                                          \
		const struct core_ctx caller = {.cspace = cspace, .vcpu = vcpu};                   \
                                                                                                   \
		return hypercall_regs_put(io, hypercall_##name##_body(&caller, io));               \
	}                                                                                          \
	static inline                                                                              \
	    __attribute__((always_inline)) struct hypercall_result hypercall_##name##_body(        \
	        const struct core_ctx *ctx, const struct hypercall_regs *in)

/*
 * One table row: the handler and what is common to every call, taken from the row's input list:
 * how many inputs it reads, which must be 0 (res0) or all ones (res1) on the native path, and which
 * name caps (a caller without a cspace names none: ARGUMENT_INVALID before the handler runs).
 */
struct hypercall_desc {
	hypercall_handler_t handler;
	uint8_t inputs;
	uint8_t res0_mask; /* bit i: input i is res0 (checked on the native path only) */
	uint8_t res1_mask; /* bit i: input i is res1 */
	uint8_t cap_mask;  /* bit i: input i is a cap ID looked up in the caller's cspace */
};

/* The kinds of input a row lists, in register order (HYPERCALL_ROW). */
#define HC_NONE 0 /* padding: no such input */
#define HC_VAL  1 /* a value the handler checks itself (incl. caps it does not look up) */
#define HC_CAP  2
#define HC_RES0 3
#define HC_RES1 4

#define HC_BIT_(kind, want, i) ((kind) == (want) ? 1U << (i) : 0U)
#define HC_MASK_(want, k0, k1, k2, k3, k4, k5, k6, k7, ...)                                        \
	(HC_BIT_(k0, want, 0) | HC_BIT_(k1, want, 1) | HC_BIT_(k2, want, 2) |                      \
	 HC_BIT_(k3, want, 3) | HC_BIT_(k4, want, 4) | HC_BIT_(k5, want, 5) |                      \
	 HC_BIT_(k6, want, 6) | HC_BIT_(k7, want, 7))
#define HC_MASK(want, ...)                        HC_MASK_(want, __VA_ARGS__, 0, 0, 0, 0, 0, 0, 0, 0)
#define HC_COUNT_(a, b, c, d, e, f, g, h, n, ...) n
#define HC_COUNT(...)                             HC_COUNT_(__VA_ARGS__, 8, 7, 6, 5, 4, 3, 2, 1, 0)
/* [HYP_CALL_<NAME>] = row of hypercall_<handler> with the listed inputs (HC_CAP, HC_VAL ...). */
#define HYPERCALL_ROW(NAME, fn, ...)                                                               \
	[HYP_CALL_##NAME] = {                                                                      \
	    .handler = hypercall_##fn,                                                             \
	    .inputs = HC_COUNT(__VA_ARGS__),                                                       \
	    .res0_mask = HC_MASK(HC_RES0, __VA_ARGS__),                                            \
	    .res1_mask = HC_MASK(HC_RES1, __VA_ARGS__),                                            \
	    .cap_mask = HC_MASK(HC_CAP, __VA_ARGS__),                                              \
	}
/* A call without inputs. */
#define HYPERCALL_ROW0(NAME, fn) [HYP_CALL_##NAME] = {.handler = hypercall_##fn}

/* Results of the core as registers: x0 = error, then the values the call outputs. */
static inline struct hypercall_result hypercall_error(error_t err)
{
	return (struct hypercall_result){.x = {(uint64_t)(int64_t)err}, .count = 1};
}

static inline struct hypercall_result hypercall_value(struct core_result r)
{
	return (struct hypercall_result){.x = {(uint64_t)(int64_t)r.error, r.value}, .count = 2};
}

static inline struct hypercall_result hypercall_values2(struct core_result r)
{
	return (struct hypercall_result){.x = {(uint64_t)(int64_t)r.error, r.value, r.value2},
	                                 .count = 3};
}

/*
 * A trapped HVC (is_hvc) or SMC with the given immediate; never fails, never halts. regs holds the
 * caller's x0..x7 on entry and what they become on return (in place: no result is copied twice);
 * true when x9..x17 are to come back zero as well (the native path).
 */
bool hypercall_dispatch(struct vcpu *vcpu, bool is_hvc, uint16_t imm, struct hypercall_regs *regs);

/*
 * The native path of each number below HYP_CALL_COUNT (a hole's answers UNIMPLEMENTED), called
 * with the caller's registers, its cspace (vcpu->cspace, NULL when it has none) and the vCPU.
 * Read by the vectors' lean path (vectors.S), which checks the number, calls the entry itself
 * and returns x9..x17 as zero; hypercall_dispatch calls the same entries.
 */
typedef void (*hypercall_native_fn)(struct hypercall_regs *regs, struct cspace *cspace,
                                    struct vcpu *vcpu);
extern const hypercall_native_fn hypercall_native_entries[];

/* The same as a result (count 8: registers a call does not set keep their input values). */
struct hypercall_result hypercall_trap(struct vcpu *vcpu, bool is_hvc, uint16_t imm,
                                       const struct hypercall_regs *in);

/* Number of rows in the native table (the first number past it is UNIMPLEMENTED). */
unsigned hypercall_table_size(void);

/* The native table's row for num (handler NULL for a hole), or NULL past the table. */
const struct hypercall_desc *hypercall_desc_of(unsigned num);

#endif

/* Hypercall trace (bootarg humpy.trace): each call a test makes, as TRACE protocol lines. */
#ifndef HUMPY_TRACE_H
#define HUMPY_TRACE_H

#include <humpy/hvc.h>
#include <humpy/types.h>

/* Turns tracing on and prints the root caps line; the runner calls it after BEGIN. */
void trace_start(void);
/* The runner brackets each test: calls outside a test are not traced. */
void trace_test_begin(const char *id);
void trace_test_end(void);
/* Bookkeeping a test makes around its body (free-slot counting) is left out of the trace. */
void trace_hold(void);
void trace_release(void);

/* Called by the one call path (hvc.c) after each call, like cover_native/cover_smccc. */
void trace_native(u32 imm, const u64 args[8], const struct gh_ret *r);
void trace_smccc(u64 fid, const u64 args[7], const struct gh_ret *r);

#endif

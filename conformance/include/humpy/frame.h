/* Layouts shared by C and assembly: the exception frame, the saved test context, hypercall I/O. */
#ifndef HUMPY_FRAME_H
#define HUMPY_FRAME_H

#include <gunyah_spec.h> /* only #defines: usable from assembly too */

/* Exception frame pushed by the vectors: x0..x30, then ELR, SPSR, ESR, FAR, interrupted SP. */
#define FRAME_ELR  248
#define FRAME_SPSR 256
#define FRAME_ESR  264
#define FRAME_FAR  272
#define FRAME_SP   280
#define FRAME_SIZE 288

/* Vector kinds: the index of the 0x80-byte entry in VBAR_EL1. */
#define EXC_CUR_SP0_SYNC 0
#define EXC_CUR_SPX_SYNC 4
#define EXC_CUR_SPX_IRQ  5
#define EXC_CUR_SPX_FIQ  6
#define EXC_CUR_SPX_SERR 7
#define EXC_LOWER64_SYNC 8
#define EXC_VECTOR_COUNT 16

/* Saved callee-saved context (x19..x30, SP) for abandoning a test. */
#define CTX_SP   96
#define CTX_SIZE 104

/* Hypercall capture: x0..x30 as they came back, SP after the call, SP given to the call. */
#define GH_OUT_SP        248
#define GH_OUT_SP_BEFORE 256
#define GH_OUT_SIZE      264

/* The native stub table covers these immediates: the whole reserved range and one either side. */
#define GH_STUB_IMM_FIRST (GH_HVC_NATIVE_BASE - 1)
#define GH_STUB_IMM_LAST  (GH_HVC_NATIVE_LAST + 1)
#define GH_STUB_BYTES     8

#ifndef __ASSEMBLER__
#include <humpy/types.h>

struct exc_frame {
	u64 x[31];
	u64 elr;
	u64 spsr;
	u64 esr;
	u64 far;
	u64 sp;
};
_Static_assert(offsetof(struct exc_frame, elr) == FRAME_ELR, "frame layout");
_Static_assert(offsetof(struct exc_frame, spsr) == FRAME_SPSR, "frame layout");
_Static_assert(offsetof(struct exc_frame, esr) == FRAME_ESR, "frame layout");
_Static_assert(offsetof(struct exc_frame, far) == FRAME_FAR, "frame layout");
_Static_assert(offsetof(struct exc_frame, sp) == FRAME_SP, "frame layout");
_Static_assert(sizeof(struct exc_frame) == FRAME_SIZE && FRAME_SIZE % 16 == 0, "frame size");

struct test_ctx {
	u64 callee[12]; /* x19..x30 */
	u64 sp;
};
_Static_assert(offsetof(struct test_ctx, sp) == CTX_SP, "ctx layout");
_Static_assert(sizeof(struct test_ctx) == CTX_SIZE, "ctx size");

struct gh_raw_out {
	u64 x[31];
	u64 sp;
	u64 sp_before;
};
_Static_assert(offsetof(struct gh_raw_out, sp) == GH_OUT_SP, "gh_raw_out layout");
_Static_assert(offsetof(struct gh_raw_out, sp_before) == GH_OUT_SP_BEFORE, "gh_raw_out layout");
_Static_assert(sizeof(struct gh_raw_out) == GH_OUT_SIZE, "gh_raw_out size");
#endif

#endif

/* Hypercall entry from the guest: one capture path that loads and records every register. */
#include <humpy/frame.h>

	.bss
	.balign	16
gh_call_state:			/* [0] where to store the results, [8] the caller's SP */
	.quad	0, 0

	.text
/*
 * void gh_call_raw(const u64 in[30], struct gh_raw_out *out, const void *stub)
 * Loads x0..x29 from in[], gives the call SP = our SP - 256 and x30 = the stub's address, and
 * branches to the stub ("insn; b gh_call_tail"). The tail stores x0..x30 and SP exactly as the
 * instruction left them, then restores our own state from gh_call_state, never trusting the
 * registers the call returned.
 */
	.global	gh_call_raw
gh_call_raw:
	stp	x29, x30, [sp, #-96]!
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	adrp	x3, gh_call_state
	add	x3, x3, :lo12:gh_call_state
	str	x1, [x3]
	mov	x4, sp
	str	x4, [x3, #8]
	sub	x4, x4, #256
	str	x4, [x1, #GH_OUT_SP_BEFORE]
	mov	sp, x4
	mov	x30, x2
	ldp	x2, x3, [x0, #16]
	ldp	x4, x5, [x0, #32]
	ldp	x6, x7, [x0, #48]
	ldp	x8, x9, [x0, #64]
	ldp	x10, x11, [x0, #80]
	ldp	x12, x13, [x0, #96]
	ldp	x14, x15, [x0, #112]
	ldp	x16, x17, [x0, #128]
	ldp	x18, x19, [x0, #144]
	ldp	x20, x21, [x0, #160]
	ldp	x22, x23, [x0, #176]
	ldp	x24, x25, [x0, #192]
	ldp	x26, x27, [x0, #208]
	ldp	x28, x29, [x0, #224]
	ldp	x0, x1, [x0, #0]
	br	x30

gh_call_tail:
	msr	tpidr_el1, x30		/* free one register to address the output */
	adrp	x30, gh_call_state
	add	x30, x30, :lo12:gh_call_state
	ldr	x30, [x30]
	stp	x0, x1, [x30, #0]
	stp	x2, x3, [x30, #16]
	stp	x4, x5, [x30, #32]
	stp	x6, x7, [x30, #48]
	stp	x8, x9, [x30, #64]
	stp	x10, x11, [x30, #80]
	stp	x12, x13, [x30, #96]
	stp	x14, x15, [x30, #112]
	stp	x16, x17, [x30, #128]
	stp	x18, x19, [x30, #144]
	stp	x20, x21, [x30, #160]
	stp	x22, x23, [x30, #176]
	stp	x24, x25, [x30, #192]
	stp	x26, x27, [x30, #208]
	stp	x28, x29, [x30, #224]
	mrs	x0, tpidr_el1
	str	x0, [x30, #240]
	mov	x0, sp
	str	x0, [x30, #GH_OUT_SP]
	adrp	x0, gh_call_state
	add	x0, x0, :lo12:gh_call_state
	ldr	x1, [x0, #8]
	mov	sp, x1
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #96
	ret

/*
 * The native stubs: "hvc #imm; b gh_call_tail" for every immediate from GH_STUB_IMM_FIRST to
 * GH_STUB_IMM_LAST, GH_STUB_BYTES each, generated rather than written out.
 */
	.balign	8
	.global	gh_native_stubs
gh_native_stubs:
	.set	gh_imm, GH_STUB_IMM_FIRST
	.rept	GH_STUB_IMM_LAST - GH_STUB_IMM_FIRST + 1
	hvc	#gh_imm
	b	gh_call_tail
	.set	gh_imm, gh_imm + 1
	.endr
	.global	gh_native_stubs_end
gh_native_stubs_end:

/* The SMCCC conduits, and the baseline that does everything but trap. */
	.global	gh_stub_hvc0
gh_stub_hvc0:
	hvc	#0
	b	gh_call_tail

	.global	gh_stub_smc0
gh_stub_smc0:
	smc	#0
	b	gh_call_tail

	.global	gh_stub_nop
gh_stub_nop:
	nop
	b	gh_call_tail

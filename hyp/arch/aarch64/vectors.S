/*
 * vectors: the EL2 exception vectors, guest entry and exit, and the native
 * hypervisor_identify fast path (the hottest code in the hypervisor).
 */
#include "abi.h"
#include "frame.h"
#include "platform.h"

/* ESR_EL2 of "hvc #0x6000" from AArch64: EC 0x16, IL set, ISS = immediate. */
#if HYP_API_FLAGS1 != 0 || HYP_API_FLAGS2 != 0
#error "the identify fast path below returns flags1 and flags2 as zero"
#endif
#define ESR_HVC_IDENTIFY_HI 0x5A00
#define ESR_HVC_IDENTIFY_LO (HYP_HVC_IMM_BASE + HYP_CALL_HYPERVISOR_IDENTIFY)
#if HYP_CALL_HYPERVISOR_IDENTIFY != 0
#error "guest_sync_not_identify takes ESR_EL2 minus identify's as the call number"
#endif
/* "hvc #0" (the SMCCC conduit), and identify's function ID on it: fast, SMC64, owner vendor-hyp
 * (6), class hypercall (2 << 14), number 0 = 0xC6008000 (hypercall.c decodes the same fields). */
#define ESR_HVC0_HI        0x5A00
#define SMCCC_IDENTIFY_HI  0xC600
#define SMCCC_IDENTIFY_LO  (0x8000 + HYP_CALL_HYPERVISOR_IDENTIFY)

/* x9..x17 come back zero from every hypercall, so no EL2 value leaks through them. */
.macro zero_x9_x17
	.irp r, 9, 10, 11, 12, 13, 14, 15, 16, 17
	mov	x\r, xzr
	.endr
.endm

/* An exception of the hypervisor itself: switch to the panic stack and report. */
.macro hyp_fault kind
	.balign	0x80
	msr	sp_el0, x0		/* the guest's SP_EL0 no longer matters: we stop */
	mov	x0, sp
	msr	tpidr_el0, x0
	adrp	x0, __stacks_end
	add	x0, x0, :lo12:__stacks_end
	mov	sp, x0
	mov	x0, #\kind
	b	hyp_fault_save
.endm

/* An exception from a guest: save its registers into a frame on this CPU's stack. */
.macro guest_exit handler
	.balign	0x80
	stp	x0, x1, [sp, #-FRAME_SIZE]!
	b	\handler
.endm

	.text
	.balign	0x800
	.globl	el2_vectors
el2_vectors:
	hyp_fault 0			/* current EL, SP_EL0: sync */
	hyp_fault 1			/* irq */
	hyp_fault 2			/* fiq */
	hyp_fault 3			/* serror */
	hyp_fault 4			/* current EL, SP_ELx: sync */
	hyp_fault 5			/* irq */
	hyp_fault 6			/* fiq */

	/*
	 * Current EL, SP_ELx: SError. Inside serror.S's guest window (ELR_EL2 at the window or the isb
	 * before it) it is the guest's: noted, and the window returns; anywhere else the hypervisor's.
	 */
	.balign	0x80
	stp	x0, x1, [sp, #-16]!
	mrs	x0, elr_el2
	adrp	x1, serror_guest_window
	add	x1, x1, :lo12:serror_guest_window
	sub	x0, x1, x0
	cmp	x0, #4
	b.hi	1f
	adrp	x1, serror_guest_pending
	add	x1, x1, :lo12:serror_guest_pending
	mov	w0, #1
	str	w0, [x1]
	ldp	x0, x1, [sp], #16
	eret
1:	ldp	x0, x1, [sp], #16
	msr	sp_el0, x0
	mov	x0, sp
	msr	tpidr_el0, x0
	adrp	x0, __stacks_end
	add	x0, x0, :lo12:__stacks_end
	mov	sp, x0
	mov	x0, #7
	b	hyp_fault_save

	/* Lower EL, AArch64: sync. The native identify call is answered right here. */
	.balign	0x80
	stp	x0, x1, [sp, #-FRAME_SIZE]!
	mrs	x0, esr_el2
	movz	x1, #ESR_HVC_IDENTIFY_LO
	movk	x1, #ESR_HVC_IDENTIFY_HI, lsl #16
	cmp	x0, x1
	b.ne	guest_sync_not_identify
	add	sp, sp, #FRAME_SIZE
	movz	x0, #HYP_API_INFO_LO16
	movk	x0, #HYP_API_INFO_HI16, lsl #48
	movz	x1, #(HYP_API_FLAGS0 & 0xFFFF)	/* flags0 as abi.h says; 1, 2 are zero */
	movk	x1, #(HYP_API_FLAGS0 >> 16), lsl #16
#ifdef HUMPY_BREAK_SVE_FLAG /* proof build (harness/qemu_tests): flags1 claims SVE the VM lacks */
	mov	x2, #1
#else
	mov	x2, xzr
#endif
	mov	x3, xzr
	mov	x4, xzr
	mov	x5, xzr
	mov	x6, xzr
	mov	x7, xzr
	zero_x9_x17
	eret

	guest_exit guest_irq		/* lower EL, AArch64: irq */
	guest_exit guest_fiq		/* fiq */
	guest_exit guest_serror		/* serror */
	guest_exit guest_sync		/* lower EL, AArch32 (EL0 only): sync */
	guest_exit guest_irq		/* irq */
	guest_exit guest_fiq		/* fiq */
	guest_exit guest_serror		/* serror */

/* x2..x29 into the frame at SP (x0, x1 and x30 are placed by the caller). */
.macro save_x2_x29
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
.endm

.macro save_rest
	save_x2_x29
	mrs	x0, elr_el2
	mrs	x1, spsr_el2
	stp	x30, x0, [sp, #240]
	str	x1, [sp, #FRAME_SPSR]
	mov	x0, sp
.endm

/*
 * Not the native identify: x0 = ESR_EL2, x1 = identify's ESR (0x5A006000, the native calls' base),
 * the caller's x0 and x1 in the frame. A native call first (the difference is its number; below
 * the base it wraps far past the table), then identify on the SMCCC path: hvc #0, w0 = its
 * function ID (the upper half of x0 is ignored, as in hypercall.c); x0..x3 as the native path,
 * every other register preserved.
 */
guest_sync_not_identify:
	sub	x1, x0, x1
	cmp	x1, #HYP_CALL_COUNT
	b.lo	guest_sync_native
	movz	x1, #ESR_HVC0_HI, lsl #16
	cmp	x0, x1
	b.ne	guest_sync_slow
	ldr	w0, [sp]
	movz	w1, #SMCCC_IDENTIFY_LO
	movk	w1, #SMCCC_IDENTIFY_HI, lsl #16
	cmp	w0, w1
	b.ne	guest_sync_slow
	add	sp, sp, #FRAME_SIZE
	movz	x0, #HYP_API_INFO_LO16
	movk	x0, #HYP_API_INFO_HI16, lsl #48
	movz	x1, #(HYP_API_FLAGS0 & 0xFFFF)
	movk	x1, #(HYP_API_FLAGS0 >> 16), lsl #16
#ifdef HUMPY_BREAK_SMCCC_X2 /* proof build (harness/qemu_tests): the SMCCC path's x2 is wrong */
	mov	x2, #0x10
#else
	mov	x2, xzr
#endif
	mov	x3, xzr
	eret

/*
 * A native hypercall, hvc #imm with 0x6000 < imm < 0x6000 + HYP_CALL_COUNT (ESR_EL2 = 0x5A000000 +
 * imm; identify never gets here), x1 = its number, the caller's x0 and x1 in the frame: x0..x7
 * come back as results or zero and x9..x17 as zero, so only x2..x8, x18 and x30 go into the frame;
 * C keeps x19..x29, and ELR/SPSR stay in their registers (nothing at EL2 takes an exception and
 * returns while it runs: with an SError pending on entry, whose window would, the slow path takes
 * the call). The call itself is the number's entry in hypercall_native_entries (hypercall.h: every
 * slot holds one, a hole's answers UNIMPLEMENTED) with the frame's x0..x7, the running vCPU's
 * cspace and the vCPU; after it, what trap_exit does on the slow path: a reschedule due takes the
 * full exit, else the hypervisor's own SErrors are taken here, at EL2 (serror.S says why).
 */
guest_sync_native:
	mrs	x0, isr_el1		/* ISR_EL1.A: an SError pending is the guest's (serror.S) */
	tbnz	x0, #8, guest_sync_slow
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	str	x8, [sp, #64]
	str	x18, [sp, #144]
	str	x30, [sp, #240]
	adrp	x3, hypercall_native_entries
	add	x3, x3, :lo12:hypercall_native_entries
	ldr	x3, [x3, x1, lsl #3]
	mrs	x2, tpidr_el2
	ldr	x2, [x2, #CPU_SCHED_CURRENT]
	ldr	x1, [x2, #VCPU_CSPACE]
	mov	x0, sp
	blr	x3
	mrs	x0, tpidr_el2
	ldr	w0, [x0, #CPU_SCHED_PENDING]
	cbnz	w0, guest_sync_native_full
	dsb	sy			/* arch_serror_take_hyp, inline */
	msr	daifclr, #4
	isb
	msr	daifset, #4
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldr	x8, [sp, #64]
	ldr	x18, [sp, #144]
	ldr	x30, [sp, #240]
	/* x9..x17 = 0 as zero_x9_x17 does, in 6 instructions instead of 9: pairs loaded from a
	 * read-only block of zeros in .text (no hypervisor value can be in it), x9 its base last. */
	adr	x9, zero_x9_x17_block
	ldp	x10, x11, [x9]
	ldp	x12, x13, [x9, #16]
	ldp	x14, x15, [x9, #32]
	ldp	x16, x17, [x9, #48]
	ldr	x9, [x9, #64]
	ldp	x0, x1, [sp], #FRAME_SIZE
	eret

/* Nine zero registers' worth of zeros for the lean exit above: in .text, mapped read-only (mmu.c),
 * so nothing can ever store a value here. */
	.balign	16
zero_x9_x17_block:
	.fill	9, 8, 0

/* A reschedule is due after the call: the rest of the frame (x9..x17 zero), then trap_exit's work. */
guest_sync_native_full:
	stp	xzr, xzr, [sp, #72]
	stp	xzr, xzr, [sp, #88]
	stp	xzr, xzr, [sp, #104]
	stp	xzr, xzr, [sp, #120]
	stp	xzr, x18, [sp, #136]
	stp	x19, x20, [sp, #152]
	stp	x21, x22, [sp, #168]
	stp	x23, x24, [sp, #184]
	stp	x25, x26, [sp, #200]
	stp	x27, x28, [sp, #216]
	mrs	x0, elr_el2
	mrs	x1, spsr_el2
	str	x29, [sp, #232]		/* x30 is in the frame already (the bl took the register) */
	str	x0, [sp, #FRAME_ELR]
	str	x1, [sp, #FRAME_SPSR]
	mov	x0, sp
	bl	arch_guest_hypercall_exit
	b	guest_resume

guest_sync_slow:
guest_sync:
	save_rest
	bl	arch_guest_sync
	b	guest_resume

guest_irq:
	save_rest
	bl	arch_guest_irq
#if HUMPY_PLANT_BUG == 24 /* planted bug 24: x18 is not given back after an IRQ exit */
	str	xzr, [sp, #144]
#endif
	b	guest_resume

guest_fiq:
	save_rest
	mov	x1, #1
	bl	arch_guest_unexpected
	b	guest_resume

guest_serror:
	save_rest
	mov	x1, #2
	bl	arch_guest_unexpected
	b	guest_resume

/* First entry into a vCPU: x0 = its frame at the top of this CPU's stack. */
	.globl	arch_guest_enter
arch_guest_enter:
	mov	sp, x0
	/* fall through */

guest_resume:
	ldp	x30, x0, [sp, #240]
	ldr	x1, [sp, #FRAME_SPSR]
	msr	elr_el2, x0
	msr	spsr_el2, x1
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldp	x0, x1, [sp], #FRAME_SIZE
	eret

/* Panic stack in place, x0 = kind, original x0 in SP_EL0 and SP in TPIDR_EL0. */
hyp_fault_save:
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #0]
	save_x2_x29
	mrs	x1, sp_el0
	str	x1, [sp, #0]		/* x0 as it was */
	mrs	x2, tpidr_el0		/* SP as it was */
	stp	x30, x2, [sp, #240]	/* the frame's elr slot carries the old SP */
	mov	x1, sp
	bl	arch_hyp_fault
1:	wfi
	b	1b

/* Guest entry: arm64 Image header, stack, BSS, exception vectors, and the saved-context switch. */
#include <humpy/frame.h>

	.section .text.head, "ax"
	.global _start
_start:
	/* arm64 Image header (Documentation/arm64/booting.rst layout): 64 bytes. */
	b	guest_entry		/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset: linked at a 2 MiB boundary */
	.quad	_image_size		/* effective size, BSS and stack included */
	.quad	0x2			/* flags: little-endian, 4 KiB pages */
	.quad	0, 0, 0			/* res2..res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5: no PE header */

guest_entry:
	msr	daifset, #0xf
	mov	x19, x0			/* the DTB IPA, per the arm64 boot protocol */
	msr	spsel, #1
	adrp	x1, exc_vectors
	add	x1, x1, :lo12:exc_vectors
	msr	vbar_el1, x1
	adrp	x1, __stack_top
	add	x1, x1, :lo12:__stack_top
	mov	sp, x1
	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1], #16
	b	1b
2:	/* FP/SIMD untrapped: the guest uses none, but a register test may touch them. */
	mov	x1, #(3 << 20)
	msr	cpacr_el1, x1
	isb
	mov	x0, x19
	bl	guest_main
3:	wfi
	b	3b

/* Exception vectors: every entry saves a full frame and calls exc_dispatch(kind, frame). */
	.macro	VENTRY kind
	.balign	0x80
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mov	x0, #\kind
	b	exc_entry
	.endm

	.section .text.vectors, "ax"
	.balign	0x800
	.global	exc_vectors
exc_vectors:
	.irp	kind, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	VENTRY	\kind
	.endr

exc_entry:
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
	mrs	x1, elr_el1
	stp	x30, x1, [sp, #240]
	mrs	x1, spsr_el1
	mrs	x2, esr_el1
	stp	x1, x2, [sp, #FRAME_SPSR]
	mrs	x1, far_el1
	add	x2, sp, #FRAME_SIZE
	stp	x1, x2, [sp, #FRAME_FAR]
	mov	x1, sp
	bl	exc_dispatch
	/* exc_dispatch may have moved ELR (skipping an expected fault); SPSR is restored as saved. */
	ldr	x1, [sp, #FRAME_ELR]
	msr	elr_el1, x1
	ldr	x1, [sp, #FRAME_SPSR]
	msr	spsr_el1, x1
	ldp	x0, x1, [sp, #0]
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
	ldr	x30, [sp, #240]
	add	sp, sp, #FRAME_SIZE
	eret

	.text
/* int test_ctx_save(struct test_ctx *c): 0 now, the value given to test_ctx_restore later. */
	.global	test_ctx_save
test_ctx_save:
	stp	x19, x20, [x0, #0]
	stp	x21, x22, [x0, #16]
	stp	x23, x24, [x0, #32]
	stp	x25, x26, [x0, #48]
	stp	x27, x28, [x0, #64]
	stp	x29, x30, [x0, #80]
	mov	x1, sp
	str	x1, [x0, #CTX_SP]
	mov	x0, #0
	ret

/* void test_ctx_restore(struct test_ctx *c, int value): back into test_ctx_save's caller. */
	.global	test_ctx_restore
test_ctx_restore:
	ldp	x19, x20, [x0, #0]
	ldp	x21, x22, [x0, #16]
	ldp	x23, x24, [x0, #32]
	ldp	x25, x26, [x0, #48]
	ldp	x27, x28, [x0, #64]
	ldp	x29, x30, [x0, #80]
	ldr	x2, [x0, #CTX_SP]
	mov	sp, x2
	mov	x0, x1
	ret

/* Single-instruction probes: an expected fault on the access skips exactly that instruction. */
	.global	probe_read32, probe_read32_insn
probe_read32:
probe_read32_insn:
	ldr	w0, [x0]
	ret

	.global	probe_read64, probe_read64_insn
probe_read64:
probe_read64_insn:
	ldr	x0, [x0]
	ret

	.global	probe_write32, probe_write32_insn
probe_write32:
probe_write32_insn:
	str	w1, [x0]
	ret

/* The child VM's entry, exception vectors and probe accesses (child/README.md). Entered at EL1h,
 * MMU off, DAIF masked, x0 = the shared page's IPA. */

	.section .text.head, "ax"
	.global _child_start
_child_start:
	mov	x19, x0
	adrp	x1, __child_stack_top
	add	x1, x1, :lo12:__child_stack_top
	mov	sp, x1
	adrp	x1, __child_bss_start
	add	x1, x1, :lo12:__child_bss_start
	adrp	x2, __child_bss_end
	add	x2, x2, :lo12:__child_bss_end
1:	cmp	x1, x2
	b.hs	2f
	str	xzr, [x1], #8
	b	1b
2:	adrp	x1, child_vectors
	add	x1, x1, :lo12:child_vectors
	msr	vbar_el1, x1
	isb
	mov	x0, x19
	bl	child_main
3:	wfi
	b	3b

/*
 * Every synchronous exception from EL1 with SP_EL1 is recorded in child_exc (count, ESR, FAR, ELR)
 * and resumed: after the faulting instruction, or, while an execute probe runs (child_exec_active),
 * at its caller (x30), whatever was fetched. Any other vector is a stray: child_stray records it.
 */
	.section .text.vectors, "ax"
	.balign 2048
child_vectors:
	.rept 4			/* current EL with SP_EL0 */
	.balign 128
	b	child_other
	.endr
	.balign 128
	b	child_sync		/* current EL with SP_ELx, synchronous */
	.balign 128
	b	child_irq		/* current EL with SP_ELx, IRQ */
	.rept 10
	.balign 128
	b	child_other
	.endr

	.text
child_sync:
	stp	x0, x1, [sp, #-32]!
	stp	x2, x3, [sp, #16]
	adrp	x0, child_exc
	add	x0, x0, :lo12:child_exc
	ldr	x2, [x0]
	add	x2, x2, #1
	str	x2, [x0]
	mrs	x1, esr_el1
	str	x1, [x0, #8]
	mrs	x1, far_el1
	str	x1, [x0, #16]
	mrs	x1, elr_el1
	str	x1, [x0, #24]
	adrp	x2, child_exec_active
	ldr	x2, [x2, :lo12:child_exec_active]
	cbnz	x2, 1f
	add	x1, x1, #4
	msr	elr_el1, x1
	b	2f
1:	msr	elr_el1, x30
2:	ldp	x2, x3, [sp, #16]
	ldp	x0, x1, [sp], #32
	eret

/* Acknowledge (ICC_IAR1_EL1; GICv2: GICC_IAR at child_gicc + 0xC), count and remember the INTID in
 * child_irq_rec, end (ICC_EOIR1_EL1; GICv2: GICC_EOIR, + 0x10), and return with IRQs masked. */
child_irq:
	stp	x0, x1, [sp, #-32]!
	stp	x2, x3, [sp, #16]
	adrp	x3, child_gicc
	ldr	x3, [x3, :lo12:child_gicc]
	cbz	x3, 2f
	ldr	w0, [x3, #0xc]
	b	3f
2:	mrs	x0, S3_0_C12_C12_0
3:	adrp	x1, child_irq_rec
	add	x1, x1, :lo12:child_irq_rec
	ldr	x2, [x1]
	add	x2, x2, #1
	str	x2, [x1]
	str	x0, [x1, #8]
	cmp	x0, #1020
	b.hs	1f
	cbz	x3, 4f
	str	w0, [x3, #0x10]
	b	5f
4:	msr	S3_0_C12_C12_1, x0
5:
	/* Back with IRQs masked: a level VIRQ whose source still holds would be taken again at
	 * once, before the interrupted loop could see the count. */
	mrs	x2, spsr_el1
	orr	x2, x2, #0x80
	msr	spsr_el1, x2
1:	isb
	ldp	x2, x3, [sp, #16]
	ldp	x0, x1, [sp], #32
	eret

child_other:
	mrs	x0, esr_el1
	mrs	x1, elr_el1
	mrs	x2, far_el1
	bl	child_stray
3:	wfi
	b	3b

/* One access each; the faulting instruction is the first, so ELR = the function's address. */
	.global child_read64, child_write64, child_read32, child_write32, child_exec
child_read64:
	ldr	x0, [x0]
	ret
child_write64:
	str	x1, [x0]
	ret
child_read32:
	ldr	w0, [x0]
	ret
child_write32:
	str	w1, [x0]
	ret
/* Branches to x0 with the link register saved: a fetch abort comes back here through x30. */
child_exec:
	stp	x29, x30, [sp, #-16]!
	blr	x0
	ldp	x29, x30, [sp], #16
	ret

	.bss
	.balign 8
	.global child_exc, child_exec_active, child_irq_rec
child_exc:
	.skip	32
child_irq_rec:
	.skip	16
child_exec_active:
	.skip	8

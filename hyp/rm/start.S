/* start: the RM's first instructions at EL1 (MMU off, IPA = PA), its boot header and its vectors. */

	.section .text.head, "ax"
	.global _start
_start:
	/* The header the hypervisor checks before it copies the image (rm_boot.h in hyp/core):
	 * a branch, the magic, where the image is linked and how much RAM it spans. */
	b	rm_entry
	.long	0
	.ascii	"HUMPYRM1"		/* magic, 8 bytes */
	.quad	_start			/* link (and load) address */
	.quad	__rm_end - _start	/* bytes of RAM the image uses: BSS and stack included */

rm_entry:
	msr	daifset, #0xf
	mov	x19, x0			/* the RM's boot device tree */
	msr	spsel, #1
	adrp	x1, rm_vectors
	add	x1, x1, :lo12:rm_vectors
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
2:	mov	x0, x19
	bl	rm_main
3:	wfi
	b	3b

/* Any exception is the RM's own bug: report the syndrome and stop (rm_exception never returns). */
	.macro	RM_VENTRY kind
	.balign	0x80
	mov	x0, #\kind
	mrs	x1, esr_el1
	mrs	x2, elr_el1
	mrs	x3, far_el1
	b	rm_exception
	.endm

	.section .text.vectors, "ax"
	.balign	0x800
rm_vectors:
	.irp	kind, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	RM_VENTRY \kind
	.endr

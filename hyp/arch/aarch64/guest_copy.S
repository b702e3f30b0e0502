/*
 * guest_copy: the byte mover of guest_mem.c, once both sides are known to be memory the
 * hypervisor may touch (the guest's pages translated, the range checked). A message copy is the
 * hot half of every msgqueue send and receive, so it moves 16 bytes per ldp/stp pair with no
 * per-pair loop overhead: it enters an unrolled run of pairs at the pair count it needs.
 *
 * Any alignment: SCTLR_EL2.A is 0 (boot.S) and both sides are Normal memory in the hypervisor's
 * own map (guest pages through their physical address; a guest's non-cacheable view is
 * guest_mem.c's cache maintenance, not an access here). The two ranges never overlap (one is
 * the hypervisor's, one the guest's), so copying a byte twice (the overlapping tails below) is
 * harmless.
 */
	.text

/*
 * void guest_copy_bytes(void *dst, const void *src, size_t n), n <= 4096. Uses x0..x9 (and the
 * flags) only: guest_mem.c calls it from inline asm that says so, so its caller keeps its own
 * values in x10..x17 instead of saving callee-saved registers around an ordinary call.
 */
	.globl	guest_copy_bytes
	.type	guest_copy_bytes, %function
guest_copy_bytes:
	cmp	x2, #16
	b.lo	.Lsmall
	/* The last 16 bytes first, then the 16-byte pairs before them, from the start. */
	sub	x5, x2, #16
	add	x3, x1, x5
	add	x4, x0, x5
	ldp	x6, x7, [x3]
	stp	x6, x7, [x4]
	add	x5, x5, #15
	lsr	x5, x5, #4		/* pairs left: ceil((n - 16) / 16), at most 255 */
.Lmore:
	cmp	x5, #32
	b.hi	.Lfull
	adr	x3, .Lrun_end		/* enter the run x5 pairs before its end */
	sub	x3, x3, x5, lsl #3
	br	x3
.Lfull:					/* more than the run holds: its 32 pairs at the top first */
	sub	x5, x5, #32
	mov	x8, x0
	mov	x9, x1
	add	x0, x0, x5, lsl #4
	add	x1, x1, x5, lsl #4
	mov	x4, x30
	bl	.Lrun_start
	mov	x30, x4
	mov	x0, x8
	mov	x1, x9
	b	.Lmore
	/* Pair i (offset 16 * i) for i = 31 down to 0: two instructions (8 bytes) each. */
.Lrun_start:
	.set	pair, 31
	.rept	32
	ldp	x6, x7, [x1, #(pair * 16)]
	stp	x6, x7, [x0, #(pair * 16)]
	.set	pair, pair - 1
	.endr
.Lrun_end:
	ret

/* Fewer than 16 bytes: the two (possibly overlapping) halves of the largest power of two <= n. */
.Lsmall:
	cbz	x2, .Lrun_end
	add	x3, x1, x2
	add	x4, x0, x2
	tbz	x2, #3, 1f
	ldr	x6, [x1]
	ldr	x7, [x3, #-8]
	str	x6, [x0]
	str	x7, [x4, #-8]
	ret
1:	tbz	x2, #2, 2f
	ldr	w6, [x1]
	ldr	w7, [x3, #-4]
	str	w6, [x0]
	str	w7, [x4, #-4]
	ret
2:	tbz	x2, #1, 3f
	ldrh	w6, [x1]
	ldrh	w7, [x3, #-2]
	strh	w6, [x0]
	strh	w7, [x4, #-2]
	ret
3:	ldrb	w6, [x1]
	strb	w6, [x0]
	ret
	.size	guest_copy_bytes, . - guest_copy_bytes

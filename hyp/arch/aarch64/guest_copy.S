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
 * void guest_copy_bytes(void *dst, const void *src, size_t n), n <= 1024 (GUEST_MEM_MAX_COPY,
 * asserted in guest_mem.c). Uses x0..x7 (and the flags) only: guest_mem.c calls it from inline asm
 * that says so, so its caller keeps its own values in x8..x17 instead of saving callee-saved
 * registers around an ordinary call.
 */
	.globl	guest_copy_bytes
	.type	guest_copy_bytes, %function
guest_copy_bytes:
	cmp	x2, #16
	b.lo	.Lsmall
	/* The last 16 bytes first, from the ends, then the 16-byte pairs before them, from the start. */
	add	x3, x1, x2
	add	x4, x0, x2
	ldp	x6, x7, [x3, #-16]
	stp	x6, x7, [x4, #-16]
	sub	x5, x2, #1
	lsr	x5, x5, #4		/* pairs left: floor((n - 1) / 16) = ceil((n - 16) / 16) <= 63 */
	adr	x3, .Lrun_end		/* enter the run x5 pairs before its end */
	sub	x3, x3, x5, lsl #3
	br	x3
	/*
	 * 64 identical pairs (two instructions, 8 bytes each), every one moving 16 bytes and stepping
	 * both pointers past them (post-index): entered anywhere, the rest of the run copies the
	 * pairs left in order, from the start, with no offset limit (a run of ldp/stp at fixed
	 * offsets reaches only 512 bytes) and no loop.
	 */
	.rept	64
	ldp	x6, x7, [x1], #16
	stp	x6, x7, [x0], #16
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

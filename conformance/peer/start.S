/* The peer's entry, exception vectors and its two probe accesses (peer/README.md). Entered at EL1h,
 * MMU and caches off, DAIF masked, x0 = its device tree. Position independent: every address is
 * PC-relative (adr/adrp), so the owner may load the image at any 4 KiB boundary. */
#include <humpy/peer.h>

	.section .text.head, "ax"
	.global _peer_start
_peer_start:
	b	peer_entry

/* At fixed offsets (humpy/peer.h): the owner expects each fault's ELR here. */
	.org	PEER_STORE_OFFSET
	.global peer_store32
peer_store32:
	str	w1, [x0]
	ret
	.org	PEER_LOAD_OFFSET
	.global peer_load64
peer_load64:
	ldr	x0, [x0]
	ret

peer_entry:
	mov	x19, x0
	adrp	x1, __peer_stack_top
	add	x1, x1, :lo12:__peer_stack_top
	mov	sp, x1
	adrp	x1, __peer_bss_start
	add	x1, x1, :lo12:__peer_bss_start
	adrp	x2, __peer_bss_end
	add	x2, x2, :lo12:__peer_bss_end
1:	cmp	x1, x2
	b.hs	2f
	str	xzr, [x1], #8
	b	1b
2:	adrp	x1, peer_vectors
	add	x1, x1, :lo12:peer_vectors
	msr	vbar_el1, x1
	isb
	mov	x0, x19
	adrp	x1, _peer_start
	add	x1, x1, :lo12:_peer_start
	bl	peer_main
3:	wfi
	b	3b

/*
 * Every exception is recorded in peer_exc (count, ESR, FAR, ELR, and the vector's offset) and
 * resumed after the faulting instruction: the C code compares the count around each probe, and
 * counts any other as a stray.
 */
	.section .text.vectors, "ax"
	.balign 2048
peer_vectors:
	.rept 16
	.balign 128
	b	peer_exception
	.endr

	.text
peer_exception:
	stp	x0, x1, [sp, #-32]!
	stp	x2, x3, [sp, #16]
	adrp	x0, peer_exc
	add	x0, x0, :lo12:peer_exc
	ldr	x2, [x0]
	add	x2, x2, #1
	str	x2, [x0]
	mrs	x1, esr_el1
	str	x1, [x0, #8]
	mrs	x1, far_el1
	str	x1, [x0, #16]
	mrs	x1, elr_el1
	str	x1, [x0, #24]
	add	x1, x1, #4
	msr	elr_el1, x1
	ldp	x2, x3, [sp, #16]
	ldp	x0, x1, [sp], #32
	eret

	.bss
	.balign 8
	.global peer_exc
peer_exc:
	.skip	32

/* boot: the arm64 Image header and the boot CPU's way from reset state at EL2 into C. */
#include "frame.h"

/* SCTLR_EL2 with MMU and D-cache off, I-cache on, stack alignment checks on (RES1 bits set). */
#define SCTLR_EL2_BOOT 0x30C51838
#define MPIDR_AFFINITY_MASK 0xff00ffffff
#define R_AARCH64_RELATIVE  1027

/* The CPU that boots (its MPIDR affinity); a board whose firmware starts another sets it. */
#ifndef PLAT_BOOT_MPIDR
#define PLAT_BOOT_MPIDR 0
#endif

	.section .text.head, "ax"
	.globl	_start
_start:
	/* arm64 Image header (Linux Documentation/arm64/booting): U-Boot's booti and QEMU read it. */
	b	boot_primary			/* code0 */
	.long	0				/* code1 */
	.quad	0				/* text_offset: none (flags bit 3 below) */
	/* image_size: hyp.ld puts it here (a link-time constant, no relocation in a PIE); then
	 * pack-image.py grows it to cover the payload. */
	.section .text.head.flags, "ax"
	/* LE, 4 KiB pages, bit 3: any 2 MiB aligned place in RAM will do (the code relocates itself
	 * and the VMs' RAM is placed around it from the DT: hyp_main). */
	.quad	0xA
	.quad	0, 0, 0
	.ascii	"ARM\x64"
	.long	0

boot_primary:
	mov	x19, x0				/* the bootloader's DT pointer, if any */
	msr	daifset, #0xf
	ldr	x1, =SCTLR_EL2_BOOT
	msr	sctlr_el2, x1
	isb

	/* A loader may start every CPU here (QEMU does with an ELF on some machines): only the boot
	 * CPU goes on, the others wait in WFE (no firmware is assumed to have parked them). */
	mrs	x1, mpidr_el1
	ldr	x2, =MPIDR_AFFINITY_MASK
	and	x1, x1, x2
	ldr	x2, =PLAT_BOOT_MPIDR
	cmp	x1, x2
	b.ne	boot_secondary_park
	mrs	x1, CurrentEL
	cmp	x1, #(2 << 2)
	b.ne	boot_wrong_place

	/* Runs wherever the loader put it: x20 = run address - link address. Page alignment is all
	 * the EL2 map needs (the Image protocol promises 2 MiB). */
	adr	x20, _start
	tst	x20, #0xfff
	b.ne	boot_wrong_place
	ldr	x1, =HYP_LINK_ADDR
	sub	x20, x20, x1

	/* Self-relocation, before any C runs: the link (-static-pie, -z text) leaves only
	 * R_AARCH64_RELATIVE entries, none in .text: *(offset + delta) = addend + delta. */
	adrp	x1, __rela_start
	add	x1, x1, :lo12:__rela_start
	adrp	x2, __rela_end
	add	x2, x2, :lo12:__rela_end
5:	cmp	x1, x2
	b.hs	6f
	ldp	x3, x4, [x1], #16		/* r_offset, r_info */
	ldr	x5, [x1], #8			/* r_addend */
	cmp	x4, #R_AARCH64_RELATIVE
	b.ne	boot_bad_reloc
#ifndef HUMPY_BREAK_RELOC_DELTA /* proof build: pointers keep their link address */
	add	x5, x5, x20
#endif
	str	x5, [x3, x20]
	b	5b
6:
	/* BSS and the stacks may lie past the bytes the loader copied and cleaned to PoC (the
	 * arm64 boot protocol's promise covers the image it loaded): a dirty line it left there
	 * could later be written back over what the loop below stores with the MMU off, which
	 * bypasses the caches. Drop those lines first (cache state left by reset or a loader is
	 * not known: Arm ARM D7.5.6); the whole image is invalidated again once written. */
	adrp	x0, __bss_start
	add	x0, x0, :lo12:__bss_start
	adrp	x1, __hyp_end
	add	x1, x1, :lo12:__hyp_end
	bl	boot_dcache_inval_poc
	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1], #16
	b	1b
2:
	/* The relocated data and the zeroed BSS were written with the MMU off (Device accesses that
	 * bypass the caches); the loader cleaned the image to PoC but lines of it may still sit in a
	 * cache. Invalidate the whole image to PoC so the first cacheable read sees memory, and no
	 * stale dirty line is written back over it later. */
	adrp	x0, __hyp_start
	add	x0, x0, :lo12:__hyp_start
	adrp	x1, __hyp_end
	add	x1, x1, :lo12:__hyp_end
	bl	boot_dcache_inval_poc
	/* CPU 0's stack: the first slot, below its top FRAME_SIZE bytes. Those hold the vCPU's guest
	 * frame, which vcpu.c fills while C still runs on this stack: starting below it keeps the
	 * callers' frames out of its way (at -O0 they held vcpu.c's own pointer to it). */
	adrp	x1, __stacks_start
	add	x1, x1, :lo12:__stacks_start
	add	x1, x1, #STACK_SLOT
	sub	x1, x1, #FRAME_SIZE
	mov	sp, x1
	adrp	x1, el2_vectors
	add	x1, x1, :lo12:el2_vectors
	msr	vbar_el2, x1
	isb
	mov	x0, x19
	bl	hyp_main
	b	boot_halt

/* dc ivac over [x0, x1): the smallest D-cache line from CTR_EL0.DminLine; clobbers x0-x3. */
	.globl	boot_dcache_inval_poc
boot_dcache_inval_poc:
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4
	mov	x2, #4
	lsl	x2, x2, x3
	sub	x3, x2, #1
	bic	x0, x0, x3
7:	cmp	x0, x1
	b.hs	8f
	dc	ivac, x0
	add	x0, x0, x2
	b	7b
8:	dsb	sy
	ret

/* A secondary CPU entered the image: it waits here (a later CPU bring-up gives it its own entry). */
boot_secondary_park:
	wfe
	b	boot_secondary_park

/* A dynamic relocation other than RELATIVE: the link went wrong; say so and stop. */
boot_bad_reloc:
	adr	x1, boot_reloc_msg
	b	boot_say
/* Not at EL2 or not page aligned: stop with x1 at the reason. No UART is known before the DT
 * (a board's console is no fixed address): a debugger reads it. */
boot_wrong_place:
	adr	x1, boot_wrong_msg
boot_say:
boot_halt:
	wfi
	b	boot_halt

boot_wrong_msg:
	.asciz	"\r\nhumpy: PANIC not entered at EL2 at a page-aligned address\r\n"
boot_reloc_msg:
	.asciz	"\r\nhumpy: PANIC dynamic relocation other than R_AARCH64_RELATIVE\r\n"
	.balign	4

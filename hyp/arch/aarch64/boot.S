/* boot: the arm64 Image header and the boot CPU's way from reset state at EL2 into C. */
#include "platform.h"
#include "frame.h"

/* SCTLR_EL2 with MMU and D-cache off, I-cache on, stack alignment checks on (RES1 bits set). */
#define SCTLR_EL2_BOOT 0x30C51838

	.section .text.head, "ax"
	.globl	_start
_start:
	/* arm64 Image header (Linux Documentation/arm64/booting): U-Boot's booti reads it. */
	b	boot_primary			/* code0 */
	.long	0				/* code1 */
	.quad	PLAT_TEXT_OFFSET		/* placed at DRAM base (2 MiB aligned) + this */
	.quad	__hyp_image_size		/* pack-image.py grows it to cover the payload */
	.quad	0x2				/* LE, 4 KiB pages, bit 3 clear: near DRAM base */
	.quad	0, 0, 0
	.ascii	"ARM\x64"
	.long	0

boot_primary:
	mov	x19, x0				/* the bootloader's DT pointer, if any */
	msr	daifset, #0xf
	ldr	x1, =SCTLR_EL2_BOOT
	msr	sctlr_el2, x1
	isb

	/* Everything below is linked for PLAT_HYP_BASE: refuse to run anywhere else. */
	adr	x1, _start
	ldr	x2, =_start
	cmp	x1, x2
	b.ne	boot_wrong_place
	mrs	x1, CurrentEL
	cmp	x1, #(2 << 2)
	b.ne	boot_wrong_place

	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1], #16
	b	1b
2:
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

/* Not at EL2 or not at the link address: say so on the default UART, then stop. */
boot_wrong_place:
	adr	x1, boot_wrong_msg
	mov	x2, #PLAT_UART_DEFAULT
3:	ldrb	w3, [x1], #1
	cbz	w3, boot_halt
4:	ldr	w4, [x2, #0x18]
	tbnz	w4, #5, 4b
	str	w3, [x2]
	b	3b
boot_halt:
	wfi
	b	boot_halt

boot_wrong_msg:
	.asciz	"\r\nhumpy: PANIC not entered at EL2 at the link address\r\n"
	.balign	4

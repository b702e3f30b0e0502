/*
 * Single-instruction accesses of the fuzzing guest. Each faulting instruction has a global label,
 * so the guest can check that an injected abort names exactly that instruction (ELR_EL1); the
 * exception handler resumes at the next one. x0 = address, x1 = value to store.
 */
	.text

.macro probe name, insn:vararg
	.global	\name
	.global	\name\()_insn
\name:
\name\()_insn:
	\insn
	ret
.endm

	probe	sysfuzz_ld8, ldrb w0, [x0]
	probe	sysfuzz_ld16, ldrh w0, [x0]
	probe	sysfuzz_ld32, ldr w0, [x0]
	probe	sysfuzz_ld64, ldr x0, [x0]
	probe	sysfuzz_st8, strb w1, [x0]
	probe	sysfuzz_st16, strh w1, [x0]
	probe	sysfuzz_st32, str w1, [x0]
	probe	sysfuzz_st64, str x1, [x0]
	/* Register 31 as the data register: the zero register, never SP. */
	probe	sysfuzz_ldzr32, ldr wzr, [x0]
	probe	sysfuzz_stzr32, str wzr, [x0]
	/* No valid instruction syndrome (ISV = 0): pairs and writeback cannot be emulated. */
	probe	sysfuzz_ldp32, ldp w2, w3, [x0]
	probe	sysfuzz_stp32, stp w1, w1, [x0]
	probe	sysfuzz_ldpost32, ldr w2, [x0], #4

/*
 * u64 sysfuzz_reg_spin(u64 iterations, u64 ticks): x2..x28 hold patterns while the CPU spins (and,
 * if ticks is not 0, the virtual timer is armed to fire after that many ticks), so an exit to
 * EL2 in between (the virtual timer's interrupt) must give every one of them back. Ends early once
 * ISR_EL1 shows an IRQ pending (EL2 has listed it: the exit has happened), and at most
 * SPIN_AFTER_FIRED iterations after CNTV_CTL_EL0.ISTATUS shows the timer fired (QEMU raised its
 * interrupt then; an input that masked it at the vGIC would otherwise spin the whole count).
 * Returns 0, or 100 + the number of the first register that changed.
 */
	.equ	SPIN_AFTER_FIRED, 4096
	.global	sysfuzz_reg_spin
sysfuzz_reg_spin:
	stp	x29, x30, [sp, #-96]!
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	.irp	n, 2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28
	movz	x\n, #(0x5a00 + \n), lsl #48
	movk	x\n, #(0x1100 + \n)
	.endr
	cbz	x1, 1f			/* x1 = ticks: arm the virtual timer only now, patterns set */
	msr	cntv_tval_el0, x1
	mov	x1, #1
	msr	cntv_ctl_el0, x1
	isb
1:	mrs	x1, isr_el1		/* an interrupt pending: it went through EL2 first */
	tbnz	x1, #7, 3f
	mrs	x1, cntv_ctl_el0	/* ISTATUS: the timer fired, its exit to EL2 is under way */
	tbz	x1, #2, 4f
	cmp	x0, #SPIN_AFTER_FIRED	/* then only a short while more: when the vGIC state keeps */
	b.ls	4f			/* the interrupt from the guest, no ISR_EL1.I would come */
	mov	x0, #SPIN_AFTER_FIRED
4:	subs	x0, x0, #1
	b.hi	1b
3:
	.irp	n, 2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28
	movz	x1, #(0x5a00 + \n), lsl #48
	movk	x1, #(0x1100 + \n)
	cmp	x\n, x1
	mov	x0, #(100 + \n)
	b.ne	2f
	.endr
	mov	x0, #0
2:	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #96
	ret

/*
 * void sysfuzz_host_wait(void): the guest's idle point between inputs. A translation block of its
 * own (a call target) whose address the el2cov plugin is given (wait=): QEMU's vCPU thread blocks
 * there until the shim says the next input is in the mailbox.
 */
	.global	sysfuzz_host_wait
	.balign	16
sysfuzz_host_wait:
	ret

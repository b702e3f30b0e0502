/*
 * serror: whose SError is it. EL2 runs with SErrors masked, so one raised while a trap is handled
 * stays pending, and after the eret would be taken from the guest and blamed on it. The trap path
 * opens two short windows instead: on entry (arch_serror_take_guest), where a pending SError can
 * only be the guest's (it ran until the trap) and is handed back to it as a virtual SError; and
 * before the return (arch_serror_take_hyp), where one can only be the hypervisor's own, taken at EL2
 * through the ordinary hypervisor-fault report. The EL2 SError vector (vectors.S) tells the first
 * window from anything else by ELR_EL2.
 */
	.text

/* Returns 1 (and clears it) when a pending SError was taken in the guest window. */
	.globl	arch_serror_take_guest
arch_serror_take_guest:
	adrp	x1, serror_guest_pending
	add	x1, x1, :lo12:serror_guest_pending
	str	wzr, [x1]
	msr	daifclr, #4
	isb
	.globl	serror_guest_window
serror_guest_window:
	msr	daifset, #4
	ldr	w0, [x1]
	ret

	.globl	arch_serror_take_hyp
arch_serror_take_hyp:
	dsb	sy			/* the hypervisor's accesses complete: their SErrors are raised */
	msr	daifclr, #4
	isb
	msr	daifset, #4
	ret

	.bss
	.balign	4
	.globl	serror_guest_pending
serror_guest_pending:
	.word	0

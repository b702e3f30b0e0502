/* hvc_entry: the one instruction every hypercall of the RM goes through (hvc.c). */

/* void hvc_entry(uint64_t regs[8]): x0..x7 from regs, hvc #0 (SMCCC path: the function ID in x0,
 * inputs from x1), x0..x7 back into regs. x8..x17 are the hypervisor's to clobber; regs stays in
 * x18, which survives the call (gunyah-abi.md §1a). */
	.section .text, "ax"
	.global	hvc_entry
	.type	hvc_entry, %function
hvc_entry:
	mov	x18, x0
	ldp	x0, x1, [x18, #0]
	ldp	x2, x3, [x18, #16]
	ldp	x4, x5, [x18, #32]
	ldp	x6, x7, [x18, #48]
	hvc	#0
	stp	x0, x1, [x18, #0]
	stp	x2, x3, [x18, #16]
	stp	x4, x5, [x18, #32]
	stp	x6, x7, [x18, #48]
	ret
	.size	hvc_entry, . - hvc_entry

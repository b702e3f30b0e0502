/* guest_mem: copies to and from a guest's virtual addresses: AT S12E1R/W translates every page of
 * the range through the guest's stage 1 and its Stage 2 before a byte moves. */
#include "guest_mem.h"

#include "sysreg.h"
#include "vm.h"

#define GUEST_MEM_PAGE 0x1000ull
#define PAR_F          BIT(0)
#define PAR_PA_MASK    0x0000FFFFFFFFF000ull
#define PAR_ATTR_SHIFT 56
/* Normal memory, inner and outer write-back: the hypervisor's own view is coherent with it. */
#define PAR_ATTR_WB_MASK 0xCCu

/* A copy of at most GUEST_MEM_MAX_COPY bytes touches at most two pages, and guest_copy_bytes
 * moves at most 1024 bytes in one call (its run of 64 pairs, guest_copy.S). */
_Static_assert(GUEST_MEM_MAX_COPY <= GUEST_MEM_PAGE, "a copy spans at most two pages");
_Static_assert(GUEST_MEM_MAX_COPY <= 1024U, "guest_copy_bytes moves at most 64 pairs");

/* PAR_EL1's view of one translated page. */
struct guest_mem_page {
	paddr_t pa;
	bool is_cacheable;
};

/* The copy is the hot half of every message: its helpers fold into one function per direction. */
#define GUEST_MEM_INLINE static inline __attribute__((always_inline))

/* One page of the guest's VA through both stages, as the guest would access it (EL1, read or
 * write); the caller saves and restores PAR_EL1 (the guest's register) around its walk. */
GUEST_MEM_INLINE bool guest_mem_translate(const struct vm *vm, uint64_t va, bool is_write,
                                          struct guest_mem_page *out)
{
	uint64_t par;

	if (is_write)
		__asm__ volatile("at s12e1w, %0" : : "r"(va) : "memory");
	else
		__asm__ volatile("at s12e1r, %0" : : "r"(va) : "memory");
	isb();
	par = read_sysreg(par_el1);
	out->pa = par & PAR_PA_MASK;
	out->is_cacheable = ((par >> PAR_ATTR_SHIFT) & PAR_ATTR_WB_MASK) == PAR_ATTR_WB_MASK;
	/* The boot VM's Stage 2 maps more than RAM (the UART): only its RAM is memory we copy. A
	 * vCPU built by hypercalls has no struct vm: its address space maps only memory-extent
	 * pages, all RAM. One compare tests the whole page: pa is page-aligned (PAR_PA_MASK), and
	 * so are the VM's ram_pa and ram_size (arch_vm_init maps that RAM with pgtable_map, which
	 * panics on anything else), so a page that starts in RAM lies in it whole; below ram_pa the
	 * subtraction wraps past ram_size. */
	return (par & PAR_F) == 0 && (vm == NULL || out->pa - vm->ram_pa < vm->ram_size);
}

/* Cache lines of [pa, pa + n) to the point of coherency (a guest that does not cache them). */
static void guest_mem_sync(paddr_t pa, size_t n)
{
	for (uint64_t line = ALIGN_DOWN(pa, 64); line < pa + n; line += 64)
		__asm__ volatile("dc civac, %0" : : "r"(line) : "memory");
	dsb(sy);
}

/*
 * guest_copy.S's guest_copy_bytes: n bytes (n <= 1024), any alignment, 16 a pair of registers.
 * Called from inline asm that names exactly what it clobbers (x0..x7, x30, the flags): a msgqueue
 * handler that copies then keeps its live values in x8..x17, where an ordinary call would make
 * it save and restore callee-saved registers on every message.
 */
GUEST_MEM_INLINE void guest_mem_move(uint8_t *dst, const uint8_t *src, size_t n)
{
	register uint64_t x0 __asm__("x0") = (uintptr_t)dst;
	register uint64_t x1 __asm__("x1") = (uintptr_t)src;
	register uint64_t x2 __asm__("x2") = n;

	__asm__ volatile("bl	guest_copy_bytes"
	                 : "+r"(x0), "+r"(x1), "+r"(x2)
	                 :
	                 : "x3", "x4", "x5", "x6", "x7", "x30", "cc", "memory");
}

/* [pa + off, + n) of the VM's RAM (identity-mapped at EL2) and the hypervisor's buffer. */
GUEST_MEM_INLINE void guest_mem_copy_page(const struct guest_mem_page *page, uint64_t off,
                                          uint8_t *host, size_t n, bool to_guest)
{
	uint8_t *g = (uint8_t *)(uintptr_t)(page->pa + off);

	if (to_guest) {
		guest_mem_move(g, host, n);
		if (!page->is_cacheable)
			guest_mem_sync(page->pa + off, n);
	} else {
		if (!page->is_cacheable)
			guest_mem_sync(page->pa + off, n);
		guest_mem_move(host, g, n);
	}
}

/* Both pages (or the one) are translated before a byte moves: all or nothing. */
GUEST_MEM_INLINE error_t guest_mem_copy(struct vcpu *vcpu, uint64_t va, uint8_t *host, size_t size,
                                        bool to_guest)
{
	struct guest_mem_page first, second;
	uint64_t off = va & (GUEST_MEM_PAGE - 1);
	bool is_split = off + size > GUEST_MEM_PAGE;
	uint64_t saved_par;
	bool is_mapped;

	if (size == 0)
		return OK;
	if (va + size < va || size > GUEST_MEM_MAX_COPY)
		return ERROR_ADDR_INVALID;
	saved_par = read_sysreg(par_el1);
	is_mapped = guest_mem_translate(vcpu->vm, va - off, to_guest, &first) &&
	            (!is_split ||
	             guest_mem_translate(vcpu->vm, va - off + GUEST_MEM_PAGE, to_guest, &second));
	write_sysreg(par_el1, saved_par);
	if (!is_mapped)
		return ERROR_ADDR_INVALID;
	if (!is_split) {
		guest_mem_copy_page(&first, off, host, size, to_guest);
	} else {
		size_t n = (size_t)(GUEST_MEM_PAGE - off);

		guest_mem_copy_page(&first, off, host, n, to_guest);
		guest_mem_copy_page(&second, 0, host + n, size - n, to_guest);
	}
	return OK;
}

error_t arch_copy_from_guest(struct vcpu *vcpu, void *dst, uint64_t va, size_t size)
{
	return guest_mem_copy(vcpu, va, dst, size, false);
}

error_t arch_copy_to_guest(struct vcpu *vcpu, uint64_t va, const void *src, size_t size)
{
	return guest_mem_copy(vcpu, va, (uint8_t *)(uintptr_t)src, size, true);
}

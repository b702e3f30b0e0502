/* guest_mem: copies to and from a guest's virtual addresses: AT S12E1R/W translates every page of
 * the range through the guest's stage 1 and its Stage 2 before a byte moves. */
#include "guest_mem.h"

#include "sysreg.h"
#include "vm.h"

#define GUEST_MEM_PAGE      0x1000ull
#define GUEST_MEM_MAX_PAGES (GUEST_MEM_MAX_COPY / 0x1000 + 1)
#define PAR_F               BIT(0)
#define PAR_PA_MASK         0x0000FFFFFFFFF000ull
#define PAR_ATTR_SHIFT      56
/* Normal memory, inner and outer write-back: the hypervisor's own view is coherent with it. */
#define PAR_ATTR_WB_MASK 0xCCu

struct guest_mem_page {
	paddr_t pa;
	bool is_cacheable;
};

/* One page of the guest's VA through both stages, as the guest would access it (EL1, read or
 * write). PAR_EL1 is the guest's register: it gets its value back. */
static bool guest_mem_translate(const struct vm *vm, uint64_t va, bool is_write,
                                struct guest_mem_page *out)
{
	uint64_t saved = read_sysreg(par_el1);
	uint64_t par;

	if (is_write)
		__asm__ volatile("at s12e1w, %0" : : "r"(va) : "memory");
	else
		__asm__ volatile("at s12e1r, %0" : : "r"(va) : "memory");
	isb();
	par = read_sysreg(par_el1);
	write_sysreg(par_el1, saved);
	if ((par & PAR_F) != 0)
		return false;
	out->pa = par & PAR_PA_MASK;
	out->is_cacheable = ((par >> PAR_ATTR_SHIFT) & PAR_ATTR_WB_MASK) == PAR_ATTR_WB_MASK;
	/* Stage 2 maps more than RAM (the UART): only the VM's RAM is memory we copy. */
	return range_within(out->pa, GUEST_MEM_PAGE, vm->ram_pa, vm->ram_size);
}

/* Every page of the range, or false (nothing to copy then). */
static bool guest_mem_walk(const struct vcpu *vcpu, uint64_t va, size_t size, bool is_write,
                           struct guest_mem_page pages[GUEST_MEM_MAX_PAGES], unsigned *count)
{
	uint64_t first = ALIGN_DOWN(va, GUEST_MEM_PAGE);

	if (size == 0 || va + size < va || size > GUEST_MEM_MAX_COPY)
		return size == 0;
	*count =
	    (unsigned)((ALIGN_DOWN(va + size - 1, GUEST_MEM_PAGE) - first) / GUEST_MEM_PAGE) + 1;
	for (unsigned i = 0; i < *count; i++) {
		if (!guest_mem_translate(vcpu->vm, first + i * GUEST_MEM_PAGE, is_write, &pages[i]))
			return false;
	}
	return true;
}

/* Cache lines of [pa, pa + n) to the point of coherency (a guest that does not cache them). */
static void guest_mem_sync(paddr_t pa, size_t n)
{
	for (uint64_t line = ALIGN_DOWN(pa, 64); line < pa + n; line += 64)
		__asm__ volatile("dc civac, %0" : : "r"(line) : "memory");
	dsb(sy);
}

static error_t guest_mem_copy(struct vcpu *vcpu, uint64_t va, void *host, size_t size,
                              bool to_guest)
{
	struct guest_mem_page pages[GUEST_MEM_MAX_PAGES];
	unsigned count = 0;
	uint8_t *p = host;

	if (!guest_mem_walk(vcpu, va, size, to_guest, pages, &count))
		return ERROR_ADDR_INVALID;
	for (unsigned i = 0; i < count; i++) {
		uint64_t off = i == 0 ? va & (GUEST_MEM_PAGE - 1) : 0;
		size_t n =
		    (size_t)(GUEST_MEM_PAGE - off) < size ? (size_t)(GUEST_MEM_PAGE - off) : size;
		uint8_t *g = (uint8_t *)(uintptr_t)(pages[i].pa + off); /* RAM is identity-mapped */

		if (to_guest) {
			memcpy(g, p, n);
			if (!pages[i].is_cacheable)
				guest_mem_sync(pages[i].pa + off, n);
		} else {
			if (!pages[i].is_cacheable)
				guest_mem_sync(pages[i].pa + off, n);
			memcpy(p, g, n);
		}
		p += n;
		size -= n;
	}
	return OK;
}

error_t arch_copy_from_guest(struct vcpu *vcpu, void *dst, uint64_t va, size_t size)
{
	return guest_mem_copy(vcpu, va, dst, size, false);
}

error_t arch_copy_to_guest(struct vcpu *vcpu, uint64_t va, const void *src, size_t size)
{
	return guest_mem_copy(vcpu, va, (void *)(uintptr_t)src, size, true);
}

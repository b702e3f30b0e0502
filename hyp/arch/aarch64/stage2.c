/* stage2: a VM's guest-physical address space (Stage-2 tables, VTCR/VTTBR) and its devices. */
#include "arch.h"
#include "arch_stage2.h"
#include "gic.h"
#include "gicv2_frame.h"
#include "log.h"
#include "pgtable.h"
#include "sysreg.h"
#include "vgic.h"
#include "vm.h"

#define VTCR_EL2_RES1 BIT(31)
#define VTCR_WBWA_IS  ((1ull << 8) | (1ull << 10) | (3ull << 12))
#define VTCR_EL2_VS   BIT(19)

static struct pgtable stage2_pt;

uint64_t *arch_vm_stage2_root(void)
{
	return stage2_pt.root;
}

void arch_vm_init(struct vm *vm, const struct machine *m)
{
	pgtable_init(&stage2_pt, pgtable_stage2_ipa_bits());
	/* RAM: normal write-back, read/write/execute. */
	pgtable_map(
	    &stage2_pt, vm->ram_ipa, vm->ram_pa, vm->ram_size,
	    pte_s2_attrs((struct pte_perm){.mem = PTE_MEM_NORMAL, .write = true, .exec = true}));
	/* The console UART's pages pass through, as upstream lets its primary VM use its UART. */
	struct machine_range uart = machine_pages(m->uart);

	pgtable_map(
	    &stage2_pt, uart.base, uart.base, uart.size,
	    pte_s2_attrs((struct pte_perm){.mem = PTE_MEM_DEVICE, .write = true, .exec = false}));
	/* The PL061 too: the guest drives the line of the SPI it may bind as an hwirq. */
	if (m->gpio.size != 0)
		pgtable_map(&stage2_pt, m->gpio.base, m->gpio.base, 0x1000,
		            pte_s2_attrs((struct pte_perm){
		                .mem = PTE_MEM_DEVICE, .write = true, .exec = false}));
	/* The GIC's distributor (and GICv3's redistributors) stay unmapped: accesses trap to
	 * vgic_mmio; anything else unmapped aborts. GICv2: the hardware's virtual CPU interface
	 * (GICV) is the VM's CPU interface, where its DT puts GICC (the machine's address). */
	for (uint64_t off = 0, g; gic_version() == 2 && off < m->gicc.size; off += GICV2_PAGE) {
		/* Page by page: a GIC-400's 64 KiB-aliased frames on either side (gicv2_frame.h).
		 */
		if (gicv2_frame_backing(m->gicc.size, m->gicv.size, off, &g))
			pgtable_map(&stage2_pt, m->gicc.base + off, m->gicv.base + g, GICV2_PAGE,
			            pte_s2_attrs((struct pte_perm){
			                .mem = PTE_MEM_DEVICE, .write = true, .exec = false}));
	}

	uint64_t sl0 = stage2_pt.start_level == 0 ? 2 : 1;
	/* 16-bit VMIDs where the CPU has them: address spaces take any VMID up to 0xFFFF. */
	uint64_t vs = arch_stage2_vmid_limit() > 256 ? VTCR_EL2_VS : 0;
	write_sysreg(vtcr_el2, VTCR_EL2_RES1 | (uint64_t)pgtable_pa_range_field() << 16 | vs |
	                           VTCR_WBWA_IS | sl0 << 6 | pgtable_tcr_t0sz(&stage2_pt));
	write_sysreg(vttbr_el2, (uint64_t)vm->vmid << 48 | (uint64_t)(uintptr_t)stage2_pt.root);
	isb();
	dsb(ishst);
	__asm__ volatile("tlbi vmalls12e1is" ::: "memory");
	dsb(ish);
	isb();
	vgic_init(m, 0, vm->vic);
	log_printf("humpy: VM %u stage-2: %u-bit IPA, RAM IPA 0x%lx+0x%lx, UART 0x%lx\n", vm->vmid,
	           stage2_pt.va_bits, vm->ram_ipa, vm->ram_size, m->uart.base);
}

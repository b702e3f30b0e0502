/* main: the boot flow on the boot CPU, from the first C code to entering the primary VM. */
#include "arch.h"
#include "arch_stage2.h"
#include "cpu_local.h"
#include "fdt.h"
#include "log.h"
#include "payload.h"
#include "plat.h"
#include "platform.h"
#include "root.h"
#include "root_dt.h"
#include "root_memory.h"
#include "thread.h"
#include "vm.h"

/* The hypervisor's memory image, from the linker script; humpy.bin's payload follows it. */
extern char __hyp_start[], __hyp_end[];
/* The Resource Manager's image and boot DT, carried in the hypervisor's (hyp/rm/rm.mk). */
extern const char rm_image_start[], rm_image_end[], rm_dtb_start[], rm_dtb_end[];

#define HYP_DTB_MAX_SIZE (2u << 20)

/* A DT address from the bootloader is used only if it lies in RAM the boot map covers. */
static const void *hyp_find_dtb(uint64_t boot_x0)
{
	if (boot_x0 != 0 && IS_ALIGNED(boot_x0, 8) &&
	    range_within(boot_x0, HYP_DTB_MAX_SIZE, PLAT_DRAM_BASE, PLAT_DRAM_MAX_SIZE) &&
	    fdt_has_magic((const void *)(uintptr_t)boot_x0))
		return (const void *)(uintptr_t)boot_x0;
	return (const void *)(uintptr_t)PLAT_DTB_DEFAULT;
}

static void hyp_check_machine(const struct machine *m, const struct vm *vm)
{
	paddr_t hyp = (paddr_t)(uintptr_t)__hyp_start;
	uint64_t hyp_size = (uint64_t)(uintptr_t)__hyp_end - hyp;

	/* GICv3 needs its redistributors, GICv2 its CPU and virtual interfaces (GICC/GICH/GICV). */
	bool gic_ok = m->gic_version == 3 ? m->gicr.size != 0
	                                  : m->gic_version == 2 && m->gicc.size != 0 &&
	                                        m->gich.size != 0 && m->gicv.size != 0;

	if (m->mem.size == 0 || m->gicd.size == 0 || !gic_ok || m->uart.size == 0 ||
	    m->timer_virt_intid == 0)
		panic("device tree lacks memory, a GICv3 or GICv2 (with GICH/GICV), a UART, or the "
		      "timer");
	if (!range_within(m->mem.base, m->mem.size, PLAT_DRAM_BASE, PLAT_DRAM_MAX_SIZE))
		panic("memory 0x%lx+0x%lx outside the platform's RAM window", m->mem.base,
		      m->mem.size);
	if (!range_within(hyp, hyp_size, m->mem.base, m->mem.size) ||
	    !range_within(vm->ram_pa, vm->ram_size, m->mem.base, m->mem.size))
		panic("memory 0x%lx+0x%lx does not hold the hypervisor and the VM", m->mem.base,
		      m->mem.size);
	if (range_overlaps(hyp, hyp_size, vm->ram_pa, vm->ram_size))
		panic("VM RAM overlaps the hypervisor");
	if (!range_within(machine_pages(m->uart).base, machine_pages(m->uart).size, PLAT_MMIO_BASE,
	                  PLAT_MMIO_SIZE) ||
	    !range_within(m->gicd.base, m->gicd.size, PLAT_MMIO_BASE, PLAT_MMIO_SIZE) ||
	    !range_within(m->gicr.base, m->gicr.size, PLAT_MMIO_BASE, PLAT_MMIO_SIZE) ||
	    !range_within(m->gicc.base, m->gicc.size, PLAT_MMIO_BASE, PLAT_MMIO_SIZE) ||
	    !range_within(m->gich.base, m->gich.size, PLAT_MMIO_BASE, PLAT_MMIO_SIZE) ||
	    !range_within(m->gicv.base, m->gicv.size, PLAT_MMIO_BASE, PLAT_MMIO_SIZE))
		panic("UART or GIC outside the platform's MMIO window");
}

/* Bytes of hypervisor memory the root partition owns (objects, cap tables, message buffers). */
#define HYP_ROOT_HEAP_SIZE (1u << 20)
/* With the RM as the root VM the root partition owns the primary VM's 1 GiB as well: its memdb
 * table (2 MiB) and that VM's Stage-2 tables (about 2 MiB, page leaves) come from its heap too,
 * PLAT_RM_HEAP_SIZE of RAM beside the RM's (no VM maps it), not from the image's BSS: humpy.bin
 * carries its BSS as zeros. */

/*
 * The root profile: the VM's boot vCPU gets the root partition and cspace, and their cap IDs go
 * into the /chosen slots of its device tree when it has them (conformance/spec/ROOT_PROFILE.md).
 */
/*
 * The root partition's physical memory (ROOT_PROFILE.md): the platform's window, if the DT's
 * memory holds it and it is clear of the hypervisor (image, payload), the VM's RAM and the boot DT.
 */
static void hyp_root_memory(struct root_objects *root, const struct vm *vm, const struct machine *m,
                            const void *boot_dtb)
{
	uint64_t hyp = (uint64_t)(uintptr_t)__hyp_start;
	/* The payload behind __hyp_end is copied out at boot; a generous bound on its size. */
	uint64_t hyp_size = (uint64_t)(uintptr_t)__hyp_end - hyp + (64u << 20);
	uint64_t base = PLAT_ROOT_MEM_BASE, size = PLAT_ROOT_MEM_SIZE;

	if (!range_within(base, size, m->mem.base, m->mem.size) ||
	    range_overlaps(base, size, hyp, hyp_size) ||
	    range_overlaps(base, size, vm->ram_pa, vm->ram_size) ||
	    range_overlaps(base, size, (uint64_t)(uintptr_t)boot_dtb, HYP_DTB_MAX_SIZE))
		size = 0;
	if (root_memory_init(root->partition, mem_pa(base), size, vm->vmid) != OK)
		panic("root memory: no room for the memdb");
	if (size != 0) {
		root->memory_base = base;
		root->memory_size = size;
	}
	log_printf("humpy: root memory 0x%lx+0x%lx\n", base, size);
}

/*
 * With the RM as the root VM, the root partition also owns the primary VM's RAM and the UART page
 * (so the RM can make extents over them and grant them), and the RM is told where they are, where
 * the primary VM starts and where its virtual GIC is (hyp/README.md, "The Resource Manager").
 */
static void hyp_root_rm_memory(struct root_objects *root, const struct vm *hlos,
                               const struct machine *m)
{
	if (root_memory_add(root->partition, mem_pa(hlos->ram_pa), hlos->ram_size) != OK ||
	    root_memory_add(root->partition, mem_pa(machine_pages(m->uart).base),
	                    machine_pages(m->uart).size) != OK ||
	    (root->gpio_intid != 0 &&
	     root_memory_add(root->partition, mem_pa(m->gpio.base), 0x1000) != OK))
		panic("root memory: no room for the primary VM's memdb");
	root->hlos_memory_base = hlos->ram_pa;
	root->hlos_memory_size = hlos->ram_size;
	root->hlos_entry = hlos->entry;
	root->hlos_dtb = hlos->dtb;
	root->uart_base = machine_pages(m->uart).base;
	root->uart_size = machine_pages(m->uart).size;
	root->gicd_base = m->gicd.base;
	root->gicr_base = m->gicr.base;
	log_printf("humpy: root memory + primary VM RAM 0x%lx+0x%lx + UART 0x%lx\n", hlos->ram_pa,
	           hlos->ram_size, m->uart.base);
}

/* Returns the root VM's own address space, to be handed the boot Stage-2 once it exists. */
static struct addrspace *hyp_root_init(struct vm *vm, struct thread **boot_thread,
                                       const struct machine *m, const void *boot_dtb,
                                       const struct vm *hlos)
{
	static uint8_t heap[HYP_ROOT_HEAP_SIZE] __attribute__((aligned(16)));
	paddr_t dtb_pa = vm->ram_pa + (vm->dtb - vm->ram_ipa);
	uint64_t dtb_max = vm->ram_ipa + vm->ram_size - vm->dtb;

	struct root_objects root =
	    root_create(hlos != NULL ? (void *)(uintptr_t)PLAT_RM_HEAP_BASE : heap,
	                hlos != NULL ? PLAT_RM_HEAP_SIZE : sizeof(heap), arch_boot_entropy());
	*boot_thread = root.vcpu;
	vm->vic = root.vic;
	/* The PL061's SPI as an hwirq the guest may bind (its page is in the VM's Stage-2); under
	 * the RM, the RM gives both to the primary VM (the page then owned by the root partition).
	 */
	if (m->gpio.size != 0 && m->gpio_intid != 0) {
		root_add_hwirq(&root, m->gpio_intid);
		if (hlos != NULL) {
			root.gpio_base = m->gpio.base;
			root.gpio_intid = m->gpio_intid;
		}
	}
	hyp_root_memory(&root, vm, m, boot_dtb);
	if (hlos != NULL)
		hyp_root_rm_memory(&root, hlos, m);
	root_add_addrspace(&root, (uint16_t)vm->vmid);
	root.hyp_base = (uint64_t)(uintptr_t)__hyp_start;
	root.hyp_size = (uint64_t)(uintptr_t)__hyp_end - root.hyp_base;
	if (dtb_max > HYP_DTB_MAX_SIZE)
		dtb_max = HYP_DTB_MAX_SIZE;
	unsigned slots = root_dt_publish((void *)(uintptr_t)dtb_pa, dtb_max, &root);
	arch_dcache_clean(dtb_pa, dtb_max);
	log_printf(
	    "humpy: root partition cap 0x%lx, cspace cap 0x%lx, vic cap 0x%lx, vcpu cap 0x%lx "
	    "(%u DT slots filled)\n",
	    root.partition_cap, root.cspace_cap, root.vic_cap, root.vcpu_cap, slots);
	return root.addrspace;
}

_Noreturn void hyp_main(uint64_t boot_x0);

_Noreturn void hyp_main(uint64_t boot_x0)
{
	/*
	 * What there is one of per machine, owned here and passed down by pointer (no module keeps
	 * it behind an accessor). Static storage, not the stack: this stack is reused by the trap
	 * handlers once the guest runs.
	 */
	static struct machine machine;
	static struct vm primary_vm;
	static struct vm hlos_vm;
	static struct cpu_local boot_cpu;
	struct thread *boot_thread = NULL;
	struct vm *vm = &primary_vm;
	/* With the RM as the root VM: the primary VM it builds (not run by the hypervisor itself).
	 */
	struct vm *hlos = NULL;

	arch_mmu_init();

	/* No console until the DT names one (a board's UART is no fixed address): a tree that
	 * cannot be read stops the boot silently. */
	const void *dtb = hyp_find_dtb(boot_x0);
	struct fdt_result r = fdt_read_machine(dtb, HYP_DTB_MAX_SIZE, &machine);
	if (r.error != 0)
		panic("device tree at %p: %s", dtb, r.why);
	if (machine.uart.size != 0)
		plat_console_init(&machine);
	log_printf("humpy: hypervisor at EL2, image 0x%lx-0x%lx, boot x0 0x%lx\n",
	           (uint64_t)(uintptr_t)__hyp_start, (uint64_t)(uintptr_t)__hyp_end, boot_x0);
	arch_firmware_probe();
	vm_init_primary(vm);
#ifdef HUMPY_BREAK_NO_RM /* proof build (harness/qemu_tests): humpy.root=rm is ignored */
	machine.root_vm = MACHINE_ROOT_GUEST;
#endif
	if (machine.root_vm == MACHINE_ROOT_RM) {
		/* The boot VM is the RM, in its own RAM; the loaded guest becomes the primary VM
		 * it builds (hlos describes that VM's RAM, entry and DT for the RM). */
		hlos_vm = primary_vm;
		hlos = &hlos_vm;
		vm->ram_ipa = PLAT_RM_RAM_BASE;
		vm->ram_pa = PLAT_RM_RAM_BASE;
		vm->ram_size = PLAT_RM_RAM_SIZE;
		vm->entry = PLAT_RM_RAM_BASE;
		vm->dtb = PLAT_RM_RAM_BASE + PLAT_RM_DTB_OFFSET;
	}
	/* Under the RM the boot options grant the primary VM instead (arch vcpu.c, hlos_vm). */
	vm->grants = hlos != NULL ? 0 : machine.guest_grants;
	hyp_check_machine(&machine, vm);
	if (hlos != NULL &&
	    (range_overlaps(vm->ram_pa, vm->ram_size, hlos->ram_pa, hlos->ram_size) ||
	     !range_within(hlos->ram_pa, hlos->ram_size, machine.mem.base, machine.mem.size) ||
	     !range_within(PLAT_RM_HEAP_BASE, PLAT_RM_HEAP_SIZE, machine.mem.base,
	                   machine.mem.size)))
		panic(
		    "the RM's RAM, its heap and the primary VM's do not fit the machine's memory");
	log_printf(
	    "humpy: DT %p: RAM 0x%lx+0x%lx GICD 0x%lx GICR 0x%lx+0x%lx UART 0x%lx vtimer %u\n", dtb,
	    machine.mem.base, machine.mem.size, machine.gicd.base, machine.gicr.base,
	    machine.gicr.size, machine.uart.base, machine.timer_virt_intid);
	if (machine.gic_version == 2)
		log_printf("humpy: GICv2: GICC 0x%lx GICH 0x%lx GICV 0x%lx+0x%lx\n",
		           machine.gicc.base, machine.gich.base, machine.gicv.base,
		           machine.gicv.size);

	arch_gic_init(&machine);

	uint64_t avail = machine.mem.base + machine.mem.size - (uint64_t)(uintptr_t)__hyp_end;
	/* humpy.bin's images are the loaded guest's: the primary VM's under the RM. */
	if (payload_load(__hyp_end, avail, hlos != NULL ? hlos : vm) < 0)
		panic("malformed payload behind the hypervisor image");
	if (hlos != NULL &&
	    payload_load_rm(rm_image_start,
	                    (uint64_t)(uintptr_t)rm_image_end - (uint64_t)(uintptr_t)rm_image_start,
	                    rm_dtb_start,
	                    (uint64_t)(uintptr_t)rm_dtb_end - (uint64_t)(uintptr_t)rm_dtb_start,
	                    vm) != 0)
		panic("the RM image does not fit its RAM at 0x%lx (relink it there: hyp/rm/rm.mk)",
		      vm->ram_ipa);

	struct addrspace *root_as = hyp_root_init(vm, &boot_thread, &machine, dtb, hlos);
	arch_vm_init(vm, &machine);
	root_adopt_stage2(root_as, arch_vm_stage2_root(), arch_stage2_ipa_bits());
	log_printf("humpy: entering VM %u at 0x%lx, x0 = 0x%lx\n", vm->vmid, vm->entry, vm->dtb);
	/* The root thread is the boot VM's vCPU 0: this CPU's first vCPU to run. */
	arch_cpu_init(&boot_cpu, &machine);
	vm_boot_vcpu(vm, thread_boot_vcpu(boot_thread, vm), &boot_cpu);
	arch_vcpu_start(&boot_cpu);
}

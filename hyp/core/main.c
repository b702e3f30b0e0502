/* main: the boot flow on the boot CPU, from the first C code to entering the primary VM. */
#include "arch.h"
#include "arch_stage2.h"
#include "cpu_local.h"
#include "fdt.h"
#include "log.h"
#include "payload.h"
#include "plat.h"
#include "root.h"
#include "root_dt.h"
#include "root_memory.h"
#include "thread.h"
#include "vm.h"
#include "vm_ram.h"

/* The hypervisor's memory image, from the linker script; humpy.bin's payload follows it. */
extern char __hyp_start[], __hyp_end[];
/* The Resource Manager's image and boot DT, carried in the hypervisor's (hyp/rm/rm.mk). */
extern const char rm_image_start[], rm_image_end[], rm_dtb_start[], rm_dtb_end[];

#define HYP_DTB_MAX_SIZE (2u << 20)
/* The payload behind __hyp_end is copied out at boot; a generous bound on its size. */
#define HYP_PAYLOAD_MAX_SIZE (64u << 20)
/* The root partition's physical memory (ROOT_PROFILE.md humpy,root-memory). */
#define HYP_ROOT_MEM_SIZE (16u << 20)
/* The root partition's heap when the RM is the root VM (hypervisor memory: no VM maps it). */
#define HYP_RM_HEAP_SIZE (8u << 20)

/* The hypervisor's image and the payload behind it, wherever the loader put them. */
static struct machine_range hyp_image_range(void)
{
	paddr_t hyp = (paddr_t)(uintptr_t)__hyp_start;

	return (struct machine_range){hyp,
	                              (uint64_t)(uintptr_t)__hyp_end - hyp + HYP_PAYLOAD_MAX_SIZE};
}

static bool hyp_in_ram(const struct machine *m, struct machine_range r)
{
	for (uint32_t b = 0; b < m->bank_count && b < MACHINE_MAX_BANKS; b++)
		if (range_within(r.base, r.size, m->bank[b].base, m->bank[b].size))
			return true;
	return false;
}

static bool hyp_touches_ram(const struct machine *m, struct machine_range r)
{
	for (uint32_t b = 0; b < m->bank_count && b < MACHINE_MAX_BANKS; b++)
		if (r.size != 0 && range_overlaps(r.base, r.size, m->bank[b].base, m->bank[b].size))
			return true;
	return false;
}

/* Bytes of RAM from addr to the end of the bank that holds it. */
static uint64_t hyp_ram_after(const struct machine *m, uint64_t addr)
{
	for (uint32_t b = 0; b < m->bank_count && b < MACHINE_MAX_BANKS; b++)
		if (addr >= m->bank[b].base && addr - m->bank[b].base < m->bank[b].size)
			return m->bank[b].size - (addr - m->bank[b].base);
	return 0;
}

static void hyp_check_machine(const struct machine *m)
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
	if (!hyp_in_ram(m, (struct machine_range){hyp, hyp_size}))
		panic("the hypervisor at 0x%lx+0x%lx lies outside the DT's memory", hyp, hyp_size);
	/* Device registers are mapped as Device memory, RAM as Normal: one range cannot be both. */
	if (hyp_touches_ram(m, machine_pages(m->uart)) || hyp_touches_ram(m, m->gicd) ||
	    hyp_touches_ram(m, m->gicr) || hyp_touches_ram(m, m->gicc) ||
	    hyp_touches_ram(m, m->gich) || hyp_touches_ram(m, m->gicv))
		panic("UART or GIC registers inside the DT's memory");
}

/*
 * Puts a VM's RAM: where its own layout has it (IPA = PA, the guest is linked for it) when the
 * DT's memory holds that range clear of reserved and taken memory, else the largest free piece
 * vm_ram_pick finds (at most the layout's size), the VM's addresses then mapped onto it.
 */
static void hyp_place_vm_ram(const struct machine *m, const struct machine_range *taken,
                             uint32_t taken_count, struct vm *vm, const char *what)
{
	struct machine_range r = {vm->ram_ipa, vm->ram_size};

	if (!vm_ram_is_free(m, taken, taken_count, r) &&
	    !vm_ram_pick(m, taken, taken_count, vm->ram_size, &r))
		panic("no free RAM for the %s (0x%lx bytes)", what, vm->ram_size);
	vm->ram_pa = r.base;
	vm->ram_size = r.size;
	log_printf("humpy: %s RAM at IPA 0x%lx+0x%lx: PA 0x%lx%s\n", what, vm->ram_ipa,
	           vm->ram_size, vm->ram_pa, vm->ram_pa == vm->ram_ipa ? " (IPA = PA)" : "");
}

/* A piece of hypervisor-owned RAM (no VM maps it) of exactly size bytes, or {0, 0}. */
static struct machine_range hyp_pick_ram(const struct machine *m, const struct machine_range *taken,
                                         uint32_t taken_count, uint64_t size)
{
	struct machine_range r;

	if (!vm_ram_pick(m, taken, taken_count, size, &r) || r.size != size)
		return (struct machine_range){0, 0};
	return r;
}

/* Bytes of hypervisor memory the root partition owns (objects, cap tables, message buffers). */
#define HYP_ROOT_HEAP_SIZE (1u << 20)
/* With the RM as the root VM the root partition owns the primary VM's 1 GiB as well: its memdb
 * table (2 MiB) and that VM's Stage-2 tables (about 2 MiB, page leaves) come from its heap too,
 * HYP_RM_HEAP_SIZE of RAM picked beside the RM's (no VM maps it), not from the image's BSS:
 * humpy.bin carries its BSS as zeros. */

/*
 * The root profile: the VM's boot vCPU gets the root partition and cspace, and their cap IDs go
 * into the /chosen slots of its device tree when it has them (conformance/spec/ROOT_PROFILE.md).
 */
/*
 * The root partition's physical memory (ROOT_PROFILE.md): picked by hyp_main from the DT's memory
 * clear of the hypervisor (image, payload), the VMs' RAM, the RM's heap and the boot DT; none
 * (size 0) when no piece that large is left.
 */
static void hyp_root_memory(struct root_objects *root, const struct vm *vm,
                            struct machine_range mem)
{
	uint64_t base = mem.base, size = mem.size;

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
	root->uart_kind = m->uart_kind;
	root->gicd_base = m->gicd.base;
	root->gicr_base = m->gicr.base;
	root->gicc_base = m->gicc.base;
	log_printf("humpy: root memory + primary VM RAM 0x%lx+0x%lx + UART 0x%lx\n", hlos->ram_pa,
	           hlos->ram_size, m->uart.base);
}

/* Returns the root VM's own address space, to be handed the boot Stage-2 once it exists. */
static struct addrspace *hyp_root_init(struct vm *vm, struct thread **boot_thread,
                                       const struct machine *m, struct machine_range root_mem,
                                       const struct vm *hlos, struct machine_range rm_heap)
{
	static uint8_t heap[HYP_ROOT_HEAP_SIZE] __attribute__((aligned(16)));
	paddr_t dtb_pa = vm->ram_pa + (vm->dtb - vm->ram_ipa);
	uint64_t dtb_max = vm->ram_ipa + vm->ram_size - vm->dtb;

	struct root_objects root =
	    root_create(hlos != NULL ? (void *)(uintptr_t)rm_heap.base : heap,
	                hlos != NULL ? rm_heap.size : sizeof(heap), arch_boot_entropy());
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
	hyp_root_memory(&root, vm, root_mem);
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
	/* RAM the VMs and the root memory must not get: the image and its payload, the VMs' RAM,
	 * the RM's heap, the boot DT (last: the primary VM may have it, it is read before). */
	struct machine_range taken[5];
	uint32_t n_taken = 0;
	struct machine_range rm_heap = {0, 0};

	/*
	 * The MMU stays off until the DT has said where RAM and the devices are: the tree is read
	 * as Device memory (aligned accesses only: -mstrict-align). No console until the DT names
	 * one (a board's UART is no fixed address): a tree that cannot be read stops the boot
	 * silently.
	 */
	const struct plat_board *probed_for;
	const void *dtb = plat_boot_dtb(boot_x0, &probed_for);
	if (dtb == NULL)
		panic(
		    "no device tree: x0 (0x%lx) holds none and no board's loader leaves one where "
		    "its description says",
		    boot_x0);
	struct fdt_result r = fdt_read_machine(dtb, HYP_DTB_MAX_SIZE, &machine);
	if (r.error != 0)
		panic("device tree at %p: %s", dtb, r.why);
	/* The board's description (hyp/platform/<board>): the UART to keep when the tree names
	 * none. */
	const struct plat_board *board = plat_board_match(&machine);
	if (board != NULL && board->console_alias != NULL && machine.uart_named == 0)
		(void)fdt_take_console_alias(dtb, HYP_DTB_MAX_SIZE, board->console_alias, &machine);
	if (machine.uart.size != 0)
		plat_console_init(&machine);
	log_printf("humpy: hypervisor at EL2, image 0x%lx-0x%lx, boot x0 0x%lx\n",
	           (uint64_t)(uintptr_t)__hyp_start, (uint64_t)(uintptr_t)__hyp_end, boot_x0);
	/* A tree found where one board's loader leaves it, not passed in x0, is trusted only when
	 * it is that board's (elsewhere the place may hold stale bytes, or be no RAM at all). */
	if (probed_for != NULL && board != probed_for)
		panic("x0 held no device tree, and the one at %p (where %s's loader leaves it) is "
		      "not "
		      "%s's (root compatible lacks \"%s\"): boot with the DT in x0 (booti)",
		      dtb, probed_for->name, probed_for->name, probed_for->compatible);
	log_printf("humpy: board %s\n",
	           board != NULL ? board->name
	                         : "not described (hyp/platform): the device tree alone");
	hyp_check_machine(&machine);
	arch_mmu_init(&machine);
	arch_firmware_probe();
	vm_init_primary(vm);
	taken[n_taken++] = hyp_image_range();
#ifdef HUMPY_BREAK_NO_RM /* proof build (harness/qemu_tests): humpy.root=rm is ignored */
	machine.root_vm = MACHINE_ROOT_GUEST;
#endif
	if (machine.root_vm == MACHINE_ROOT_RM) {
		/* The boot VM is the RM, in its own RAM; the loaded guest becomes the primary VM
		 * it builds (hlos describes that VM's RAM, entry and DT for the RM). */
		hlos_vm = primary_vm;
		hlos = &hlos_vm;
		vm_init_rm(vm);
		hyp_place_vm_ram(&machine, taken, n_taken, hlos, "primary VM");
		taken[n_taken++] = (struct machine_range){hlos->ram_pa, hlos->ram_size};
	}
	hyp_place_vm_ram(&machine, taken, n_taken, vm, hlos != NULL ? "RM" : "primary VM");
	taken[n_taken++] = (struct machine_range){vm->ram_pa, vm->ram_size};
	if (hlos != NULL) {
		taken[n_taken] = (struct machine_range){(uint64_t)(uintptr_t)dtb, HYP_DTB_MAX_SIZE};
		rm_heap = hyp_pick_ram(&machine, taken, n_taken + 1, HYP_RM_HEAP_SIZE);
		if (rm_heap.size == 0)
			panic("no free RAM for the RM's heap (0x%x bytes)", HYP_RM_HEAP_SIZE);
		taken[n_taken++] = rm_heap;
	}
	taken[n_taken++] = (struct machine_range){(uint64_t)(uintptr_t)dtb, HYP_DTB_MAX_SIZE};
	struct machine_range root_mem = hyp_pick_ram(&machine, taken, n_taken, HYP_ROOT_MEM_SIZE);
	/* Under the RM the boot options grant the primary VM instead (arch vcpu.c, hlos_vm). */
	vm->grants = hlos != NULL ? 0 : machine.guest_grants;
	log_printf(
	    "humpy: DT %p: RAM 0x%lx+0x%lx GICD 0x%lx GICR 0x%lx+0x%lx UART 0x%lx vtimer %u\n", dtb,
	    machine.mem.base, machine.mem.size, machine.gicd.base, machine.gicr.base,
	    machine.gicr.size, machine.uart.base, machine.timer_virt_intid);
	if (machine.gic_version == 2)
		log_printf("humpy: GICv2: GICC 0x%lx GICH 0x%lx GICV 0x%lx+0x%lx\n",
		           machine.gicc.base, machine.gich.base, machine.gicv.base,
		           machine.gicv.size);

	arch_gic_init(&machine);

	uint64_t avail = hyp_ram_after(&machine, (uint64_t)(uintptr_t)__hyp_end);
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

	struct addrspace *root_as =
	    hyp_root_init(vm, &boot_thread, &machine, root_mem, hlos, rm_heap);
	arch_vm_init(vm, &machine);
	root_adopt_stage2(root_as, arch_vm_stage2_root(), arch_stage2_ipa_bits());
	log_printf("humpy: entering VM %u at 0x%lx, x0 = 0x%lx\n", vm->vmid, vm->entry, vm->dtb);
	/* The root thread is the boot VM's vCPU 0: this CPU's first vCPU to run. */
	arch_cpu_init(&boot_cpu, &machine);
	vm_boot_vcpu(vm, thread_boot_vcpu(boot_thread, vm), &boot_cpu);
	arch_vcpu_start(&boot_cpu);
}

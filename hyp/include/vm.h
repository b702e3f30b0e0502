/* vm: the boot VM's bookkeeping (its RAM, entry, emulated GIC) and what happens to a vCPU that can
 * never run again. vCPUs themselves are vcpu.h's. */
#ifndef VM_H
#define VM_H

#include "util.h"
#include "vcpu.h"

struct vic;
struct cpu_local;

struct vm {
	uint16_t vmid;
	ipa_t ram_ipa;  /* guest-physical base of its RAM */
	paddr_t ram_pa; /* where that RAM lives physically */
	uint64_t ram_size;
	ipa_t entry; /* first instruction of the boot vCPU */
	ipa_t dtb;   /* x0 at entry (arm64 Linux boot protocol) */
	/* Its interrupt controller (hyp/core vic.h): the SPIs its emulated distributor shows. */
	struct vic *vic;
	uint32_t grants; /* MACHINE_GRANT_*: what its boot options let it own (PMU, debug, timer) */
};

/*
 * The boot VMs' layout in their own address space: what the guest and the RM are linked for, so
 * addresses of the VM, not of a board. The primary VM is upstream Gunyah's QEMU layout (reference
 * §10): 1 GiB of RAM at 1 GiB, its DT 15 MiB in, its entry 16 MiB in. The RM (humpy.root=rm) runs
 * in 2 MiB at its link address (hyp/rm/rm.mk RM_BASE), its boot DT 1 MiB in. Where that RAM lies
 * physically is the boot's choice from the DT's memory (hyp_main): IPA = PA when it can.
 */
#define VM_RAM_IPA       0x40000000ULL
#define VM_RAM_SIZE      0x40000000ULL
#define VM_DTB_IPA       0x40F00000ULL
#define VM_ENTRY_IPA     0x41000000ULL
#define VM_RM_RAM_IPA    0xA1000000ULL
#define VM_RM_RAM_SIZE   0x00200000ULL
#define VM_RM_DTB_OFFSET 0x00100000ULL

/* Fill in the primary VM of that layout (ram_pa = ram_ipa until the boot places it). */
void vm_init_primary(struct vm *vm);
/* Turn vm into the RM's boot VM of that layout (its vmid and grants kept). */
void vm_init_rm(struct vm *vm);

/* The boot VM's vCPU @vcpu powered on at its entry (x0 = its DT) on @cpu. */
void vm_boot_vcpu(struct vm *vm, struct vcpu *vcpu, struct cpu_local *cpu);

/*
 * A vCPU that can never run again (e.g. it faults in its own exception vector) is stopped alone,
 * with the reason on the console; the CPU runs the next vCPU once the trap returns. With nothing
 * else to run, the machine is powered off so the failure is visible.
 */
void vm_vcpu_stop(struct vcpu *vcpu, const char *why);

#endif

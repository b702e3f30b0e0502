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

/* Fill in the primary VM of upstream Gunyah's QEMU layout. */
void vm_init_primary(struct vm *vm);

/* The boot VM's vCPU @vcpu powered on at its entry (x0 = its DT) on @cpu. */
void vm_boot_vcpu(struct vm *vm, struct vcpu *vcpu, struct cpu_local *cpu);

/*
 * A vCPU that can never run again (e.g. it faults in its own exception vector) is stopped alone,
 * with the reason on the console; the CPU runs the next vCPU once the trap returns. With nothing
 * else to run, the machine is powered off so the failure is visible.
 */
void vm_vcpu_stop(struct vcpu *vcpu, const char *why);

#endif

/* arch: what the architecture layer (hyp/arch/<arch>/) offers portable code. */
#ifndef ARCH_H
#define ARCH_H

#include "machine.h"

struct vm;
struct vcpu;

/* A boot-time seed for the root partition's generator (cap ID obfuscation); unpredictable where
 * the CPU can make it so. */
uint64_t arch_boot_entropy(void);

/* Powers the machine off (PSCI SYSTEM_OFF to firmware); never returns. */
_Noreturn void arch_system_off(void);

/* The hypervisor's own address space: identity map of the boot window, caches on. */
void arch_mmu_init(void);

/* Makes [base, base+size) visible to an observer with caches off (a guest with its MMU off). */
void arch_dcache_clean(paddr_t base, uint64_t size);

/* Physical interrupt controller and this CPU's interface, from the DT's addresses. */
void arch_gic_init(const struct machine *m);

/* Stage-2 translation and emulated devices of a VM. */
void arch_vm_init(struct vm *vm, const struct machine *m);
/* The root table of the Stage-2 arch_vm_init built (the root VM's own address space adopts it). */
uint64_t *arch_vm_stage2_root(void);

/* Enters a vCPU for the first time at its VM's entry point; never returns. */
_Noreturn void arch_vcpu_start(struct vcpu *vcpu);

/* The vCPU this CPU runs (the one arch_vcpu_start entered): whom a trap comes from. */
struct vcpu *arch_vcpu_current(void);

#endif

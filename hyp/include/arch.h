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

/*
 * The firmware below EL2 (SMCCC over SMC): its answer to SMCCC_ARCH_FEATURES for @fid, one of the
 * SMCCC_ARCH_WORKAROUND_* IDs (0: implemented and needed, 1: not needed on this CPU, negative: not
 * implemented), as arch_firmware_probe asked it at boot; NOT_SUPPORTED (-1) when the firmware's
 * SMCCC is older than 1.1 or the ID is not a workaround. arch_firmware_arch_call makes that call
 * (x1 = @arg) in firmware.
 */
void arch_firmware_probe(void);
int32_t arch_firmware_arch_feature(uint32_t fid);
void arch_firmware_arch_call(uint32_t fid, uint32_t arg);

/* The hypervisor's own address space, caches on: an identity map of the DT's RAM (the image W^X)
 * and of the devices it drives (machine.h). */
struct machine;
void arch_mmu_init(const struct machine *m);

/* Makes [base, base+size) visible to an observer with caches off (a guest with its MMU off). */
void arch_dcache_clean(paddr_t base, uint64_t size);

/* Physical interrupt controller and this CPU's interface, from the DT's addresses. */
void arch_gic_init(const struct machine *m);

/* Stage-2 translation and emulated devices of a VM. */
void arch_vm_init(struct vm *vm, const struct machine *m);
/* The root table of the Stage-2 arch_vm_init built (the root VM's own address space adopts it). */
uint64_t *arch_vm_stage2_root(void);

struct cpu_local;
/* This CPU's per-CPU data (reached through TPIDR_EL2 from now on), its scheduler empty, and the EL2
 * controls every vCPU shares; the timeslice timer's interrupt from the DT. */
void arch_cpu_init(struct cpu_local *cpu, const struct machine *m);

/* Runs the vCPU @cpu's scheduler picks (idles until there is one); never returns. */
_Noreturn void arch_vcpu_start(struct cpu_local *cpu);

/* The vCPU this CPU runs: whom a trap comes from (NULL once it powered itself off in this trap). */
struct vcpu *arch_vcpu_current(void);

#endif

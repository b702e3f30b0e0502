/* vm: the bookkeeping of virtual machines and their vCPUs (one primary VM for now). */
#ifndef VM_H
#define VM_H

#include "util.h"

struct vic;

struct vm {
	uint16_t vmid;
	ipa_t ram_ipa;  /* guest-physical base of its RAM */
	paddr_t ram_pa; /* where that RAM lives physically */
	uint64_t ram_size;
	ipa_t entry; /* first instruction of the boot vCPU */
	ipa_t dtb;   /* x0 at entry (arm64 Linux boot protocol) */
	/* Its interrupt controller (hyp/core vic.h): the SPIs its emulated distributor shows. */
	struct vic *vic;
};

struct cspace;

struct vcpu {
	struct vm *vm;
	unsigned index;
	struct cspace *cspace; /* where its hypercalls name caps (hyp/core); NULL: it holds none */
};

/* Fill in the primary VM of upstream Gunyah's QEMU layout and its one vCPU; the caller (boot) owns
 * both and passes them on (the arch layer finds the running vCPU with arch_vcpu_current). */
void vm_init_primary(struct vm *vm, struct vcpu *vcpu);

/* A vCPU that can never run again (e.g. it faults in its own exception vector). With no other
 * vCPU to run, the machine is powered off so the failure is visible. */
_Noreturn void vm_vcpu_stop(struct vcpu *vcpu, const char *why);

#endif

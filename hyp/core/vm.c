/* vm: the primary VM and its boot vCPU (its own layout: vm.h, reference §10). */
#include "arch.h"
#include "cpu_local.h"
#include "log.h"
#include "vm.h"

void vm_init_primary(struct vm *vm)
{
	*vm = (struct vm){
	    .vmid = 1,
	    .ram_ipa = VM_RAM_IPA,
	    .ram_pa = VM_RAM_IPA, /* 1:1, as upstream gives its primary VM, until placed */
	    .ram_size = VM_RAM_SIZE,
	    .entry = VM_ENTRY_IPA,
	    .dtb = VM_DTB_IPA,
	};
}

void vm_init_rm(struct vm *vm)
{
	vm->ram_ipa = VM_RM_RAM_IPA;
	vm->ram_pa = VM_RM_RAM_IPA;
	vm->ram_size = VM_RM_RAM_SIZE;
	vm->entry = VM_RM_RAM_IPA;
	vm->dtb = VM_RM_RAM_IPA + VM_RM_DTB_OFFSET;
}

void vm_boot_vcpu(struct vm *vm, struct vcpu *vcpu, struct cpu_local *cpu)
{
	vcpu->vmid = vm->vmid;
	vcpu->regs.x[0] = vm->dtb;
	vcpu->regs.pc = vm->entry;
	vcpu->regs.pstate = arch_vcpu_reset_pstate();
	vcpu->cpu = cpu;
	vcpu->power = VCPU_POWER_ON;
	sched_wake(&cpu->sched, vcpu);
}

static bool vm_any_vcpu(const struct vcpu *v, const void *arg)
{
	(void)v;
	(void)arg;
	return true;
}

void vm_vcpu_stop(struct vcpu *vcpu, const char *why)
{
	struct sched *s = &vcpu->cpu->sched;

	/* The boot vCPU's line is what a log parser knows; a vCPU made by hypercalls says so. */
	log_printf("humpy: VM %u vCPU %u%s stopped: %s\n", vcpu->vmid, vcpu->index,
	           vcpu->vm != NULL ? "" : " (created by hypercall)", why);
	vcpu->power = VCPU_POWER_KILLED;
	vcpu->is_faulted = true; /* a vcpu_run of it answers FAULT */
	sched_block(s, vcpu);
	if (sched_count(s, vm_any_vcpu, NULL) == 0) {
		log_printf("humpy: no vCPU left to run: powering off\n");
		arch_system_off();
	}
}

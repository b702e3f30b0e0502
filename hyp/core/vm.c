/* vm: the primary VM and its boot vCPU (memory layout from the platform, reference §10). */
#include "arch.h"
#include "log.h"
#include "platform.h"
#include "vm.h"

void vm_init_primary(struct vm *vm, struct vcpu *vcpu)
{
	*vm = (struct vm){
	    .vmid = 1,
	    .ram_ipa = PLAT_VM_RAM_BASE,
	    .ram_pa = PLAT_VM_RAM_BASE, /* 1:1, as upstream gives its primary VM */
	    .ram_size = PLAT_VM_RAM_SIZE,
	    .entry = PLAT_VM_ENTRY,
	    .dtb = PLAT_VM_DTB,
	};
	*vcpu = (struct vcpu){.vm = vm, .index = 0};
}

_Noreturn void vm_vcpu_stop(struct vcpu *vcpu, const char *why)
{
	log_printf("humpy: VM %u vCPU %u stopped: %s\n", vcpu->vm->vmid, vcpu->index, why);
	log_printf("humpy: no vCPU left to run: powering off\n");
	arch_system_off();
}

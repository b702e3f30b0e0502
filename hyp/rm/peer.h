/* peer: VMs the RM builds on request (VM_ALLOCATE .. VM_DEALLOCATE, vm_lifecycle.c): their
 * hypercall objects and their configured image. One entry per allocated VMID of 0x80..0xBF. */
#ifndef RM_PEER_H
#define RM_PEER_H

#include <stdbool.h>
#include <stdint.h>

#define PEER_MAX         4U
#define PEER_VMID_FIRST  0x80U
#define PEER_VMID_LAST   0xBFU
#define PEER_CSPACE_CAPS 16U
#define PEER_VIC_VIRQS   64U

struct peer_vm {
	bool is_used;
	uint16_t vmid;
	/* VM_CONFIG_IMAGE: a parcel the owner lent or donated to the VM, and where in it the image
	 * (entry) and its DT (x0) are. */
	bool is_configured;
	uint32_t mem_handle;
	uint64_t image_offset, image_size, dtb_offset, dtb_size;
	/* VM_INIT: the parcel mapped as the VM's RAM (IPA), and its objects (caps in the RM's
	 * cspace); 0: not made. */
	bool is_built;
	uint64_t ram_ipa, ram_size;
	uint64_t cspace, addrspace, vic, vcpu;
};

/* The boot information the handlers need (the RM's root caps): set once by rm.c. */
struct rm_boot_info;
void peer_init(const struct rm_boot_info *boot);

#endif

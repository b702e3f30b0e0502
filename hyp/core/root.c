/* root: the objects the hypervisor makes at boot for the root VM (partition, cspace) and the caps
 * it gets. */
#include "root.h"

#include "hwirq.h"
#include "log.h"

struct root_objects root_create(void *base, size_t size, uint64_t seed)
{
	struct root_objects root = {.hwirq_cap = CAP_ID_INVALID, .addrspace_cap = CAP_ID_INVALID};
	struct obj_result made;

	root.partition = partition_init_root(base, size, seed);
	made = object_create(root.partition, OBJ_CSPACE);
	if (made.error != OK) {
		panic("root_create: cspace: error %d", (int)made.error);
	}
	root.cspace = (struct cspace *)made.obj;
	if (cspace_configure(root.cspace, CSPACE_MAX_CAPS) != OK ||
	    object_activate(&root.cspace->hdr) != OK) {
		panic("root_create: cannot activate the root cspace");
	}
	/*
	 * The cspace names itself, so it is never destroyed (as upstream's root cspace); the boot
	 * references pass to the master caps.
	 */
	object_get(&root.partition->hdr);
	/* The boot vCPU names caps here: its reference keeps the cspace alive when the guest
	 * deletes the cspace's cap (its next hypercall would use freed memory). */
	object_get(&root.cspace->hdr);
	root.partition_cap = cspace_insert_master(root.cspace, &root.partition->hdr);
	root.cspace_cap = cspace_insert_master(root.cspace, &root.cspace->hdr);

	made = object_create(root.partition, OBJ_VIC);
	if (made.error != OK) {
		panic("root_create: vic: error %d", (int)made.error);
	}
	root.vic = (struct vic *)made.obj;
	if (vic_configure(root.vic, 1U, ROOT_VIC_MAX_VIRQS, 0U, 0U) != OK ||
	    object_activate(&root.vic->hdr) != OK) {
		panic("root_create: cannot activate the root VIC");
	}
	/* The VM and its interrupt delivery use the VIC for as long as the machine runs. */
	object_get(&root.vic->hdr);
	root.vic_cap = cspace_insert_master(root.cspace, &root.vic->hdr);

	made = object_create(root.partition, OBJ_THREAD);
	if (made.error != OK) {
		panic("root_create: thread: error %d", (int)made.error);
	}
	root.vcpu = (struct thread *)made.obj;
	thread_attach_cspace(root.vcpu, root.cspace);
	if (vic_attach_vcpu(root.vic, root.vcpu, 0U) != OK) {
		panic("root_create: cannot attach the boot vCPU to its VIC");
	}
	/* The boot vCPU exists and runs already: its object is ACTIVE from the start (a thread the
	 * guest makes cannot activate, deviation thread_activate). */
	root.vcpu->hdr.state = OBJ_STATE_ACTIVE;
	object_get(&root.vcpu->hdr);
	root.vcpu_cap = cspace_insert_master(root.cspace, &root.vcpu->hdr);
	return root;
}

void root_add_hwirq(struct root_objects *root, uint32_t pintid)
{
	struct obj_result made = object_create(root->partition, OBJ_HWIRQ);
	struct hwirq *hwirq;

	if (made.error != OK) {
		panic("root_add_hwirq: error %d", (int)made.error);
	}
	hwirq = (struct hwirq *)made.obj;
	hwirq->pintid = pintid;
	hwirq->source.hw_pintid = pintid;
	/* Nothing to configure: it is ACTIVE from the start, as upstream's boot-time hwirqs. */
	hwirq->hdr.state = OBJ_STATE_ACTIVE;
	root->hwirq_cap = cspace_insert_master(root->cspace, &hwirq->hdr);
}

void root_add_addrspace(struct root_objects *root, uint16_t vmid)
{
	struct obj_result made = object_create(root->partition, OBJ_ADDRSPACE);

	if (made.error != OK) {
		panic("root_add_addrspace: error %d", (int)made.error);
	}
	root->addrspace = (struct addrspace *)made.obj;
	if (addrspace_configure(root->addrspace, vmid) != OK) {
		panic("root_add_addrspace: VMID %u refused", (unsigned)vmid);
	}
	/* Never destroyed: the boot Stage-2 it will hold is not the partition's to free. */
	object_get(&root->addrspace->hdr);
	root->addrspace_cap = cspace_insert_master(root->cspace, &root->addrspace->hdr);
}

void root_adopt_stage2(struct addrspace *as, uint64_t *table, unsigned ipa_bits)
{
	struct partition *p = as->hdr.partition;

	if (as->hdr.state != OBJ_STATE_INIT || as->table_count != 0U || table == NULL) {
		panic("root_adopt_stage2: address space already active or no table");
	}
	as->tables[0] = table;
	as->table_count = 1U;
	as->ipa_bits = ipa_bits;
	/* The VMID is the boot VM's, reserved in the bitmap when the root memory was set up. */
	as->vmid_used = p->vmid_used;
	as->hdr.state = OBJ_STATE_ACTIVE;
}

/* root: the objects the hypervisor makes at boot for the root VM (partition, cspace) and the caps
 * it gets. */
#include "root.h"

#include "log.h"

struct root_objects root_create(void *base, size_t size, uint64_t seed)
{
	struct root_objects root = {0};
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
	return root;
}

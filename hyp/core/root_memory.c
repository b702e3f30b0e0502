/* root_memory: sets up the root partition's memdb and VMID bitmap (see root_memory.h). */
#include "root_memory.h"

#include "addrspace.h"
#include "memdb.h"

error_t root_memory_init(struct partition *root, mem_pa_t base, uint64_t size,
                         uint16_t reserved_vmid)
{
	uint64_t pages = size >> MEM_PAGE_SHIFT;
	struct partition_alloc_result db, owners = {.error = OK, .ptr = NULL}, vmids;

	if (!mem_is_page_aligned(base.bits) || !mem_is_page_aligned(size)) {
		return ERROR_ARGUMENT_ALIGNMENT;
	}
	db = partition_alloc(root, sizeof(struct memdb));
	if (db.error != OK) {
		return db.error;
	}
	if (pages != 0U) {
		owners = partition_alloc(root, pages * sizeof(struct object *));
	}
	vmids = partition_alloc(root, ADDRSPACE_VMID_WORDS * sizeof(uint64_t));
	if (owners.error != OK || vmids.error != OK) {
		if (vmids.error == OK) {
			partition_free(root, vmids.ptr, ADDRSPACE_VMID_WORDS * sizeof(uint64_t));
		}
		if (owners.error == OK && owners.ptr != NULL) {
			partition_free(root, owners.ptr, pages * sizeof(struct object *));
		}
		partition_free(root, db.ptr, sizeof(struct memdb));
		return ERROR_NOMEM;
	}
	memdb_init(db.ptr, base, pages, owners.ptr, &root->hdr);
	root->memdb = db.ptr;
	root->vmid_used = vmids.ptr;
	root->vmid_used[0] |= BIT(0);
	root->vmid_used[reserved_vmid / 64U] |= BIT(reserved_vmid % 64U);
	root->vmid_used[ADDRSPACE_ROOT_VM_VMID / 64U] |= BIT(ADDRSPACE_ROOT_VM_VMID % 64U);
	return OK;
}

error_t root_memory_add(struct partition *root, mem_pa_t base, uint64_t size)
{
	uint64_t pages = size >> MEM_PAGE_SHIFT;
	struct partition_alloc_result range, owners;

	if (root->memdb == NULL || pages == 0U || !mem_is_page_aligned(base.bits) ||
	    !mem_is_page_aligned(size)) {
		return ERROR_ARGUMENT_INVALID;
	}
	range = partition_alloc(root, sizeof(struct memdb));
	if (range.error != OK) {
		return range.error;
	}
	owners = partition_alloc(root, pages * sizeof(struct object *));
	if (owners.error != OK) {
		partition_free(root, range.ptr, sizeof(struct memdb));
		return ERROR_NOMEM;
	}
	memdb_add_range(root->memdb, range.ptr, base, pages, owners.ptr, &root->hdr);
	return OK;
}

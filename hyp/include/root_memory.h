/* root_memory: the physical memory and VMIDs the root partition hands out (memory extents, address
 * spaces): its memdb and its VMID bitmap, shared with the partitions made under it. */
#ifndef ROOT_MEMORY_H
#define ROOT_MEMORY_H

#include "mem.h"
#include "partition.h"

/*
 * Gives @root (the root partition) [base, base+size) of physical RAM (page aligned; size 0: none)
 * and the VMID bitmap, with VMID 0 and @reserved_vmid (the boot VM's) taken. The tables come from
 * the partition's own heap: NOMEM when it cannot hold them (nothing changes then).
 */
error_t root_memory_init(struct partition *root, mem_pa_t base, uint64_t size,
                         uint16_t reserved_vmid);

/*
 * Gives @root (after root_memory_init) one more range of physical memory, [base, base+size) (page
 * aligned, size > 0, disjoint from what it has): the RM's boot gives it the primary VM's RAM and
 * the UART page this way, so it can make memory extents over them. NOMEM when the partition's
 * heap cannot hold the range's owner table (nothing changes then).
 */
error_t root_memory_add(struct partition *root, mem_pa_t base, uint64_t size);

#endif

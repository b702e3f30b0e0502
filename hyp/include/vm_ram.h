/* vm_ram: where the boot VM's RAM goes, from the machine's RAM description (hyp/README.md). */
#ifndef VM_RAM_H
#define VM_RAM_H

#include "machine.h"

/* The VM's RAM is 2 MiB aligned at both ends (Stage-2 block mappings, the Linux boot protocol). */
#define VM_RAM_ALIGN 0x200000ULL

/*
 * Picks the VM's RAM: the first bank of m that holds a free VM_RAM_ALIGN-aligned piece, and there
 * the largest such piece (the lowest of equals), at most cap bytes from its start. Free means
 * outside m's reserved ranges and outside the taken ranges the caller adds (the hypervisor's
 * image, the root partition's memory, a DT the VM must not overwrite). False when no bank has one.
 */
bool vm_ram_pick(const struct machine *m, const struct machine_range *taken, uint32_t taken_count,
                 uint64_t cap, struct machine_range *out);

/* True when want lies whole in one bank of m and outside m's reserved ranges and the taken ones:
 * the VM's RAM can stay where its own layout puts it (IPA = PA). */
bool vm_ram_is_free(const struct machine *m, const struct machine_range *taken,
                    uint32_t taken_count, struct machine_range want);

#endif

/* hyp/rm/fdt_patch.h: adds the /hypervisor node (gunyah-abi.md §6, §10, §13) to the primary VM's
 * flattened device tree, in place. Pure C, no hypercalls, no libc: the RM image and the host tests
 * build the same file. */
#ifndef RM_FDT_PATCH_H
#define RM_FDT_PATCH_H

#include <stddef.h>
#include <stdint.h>

/* What the primary VM learns about the RM: its VMID and the RPC message-queue pair. "tx" is the
 * queue the VM sends on (the RM receives), "rx" the one it receives on (§6 Transport). */
struct rm_fdt_hyp_node {
	uint64_t tx_cap;
	uint64_t rx_cap;
	uint32_t tx_virq; /* GIC INTID of the TX queue's VIRQ: an SPI, 32..1019 */
	uint32_t rx_virq;
	uint16_t vmid; /* the VM's own VMID: 3 for the primary VM */
};

enum rm_fdt_result {
	RM_FDT_OK = 0,
	RM_FDT_ERR_ARG = -1,      /* a NULL pointer or a VIRQ that is not an SPI */
	RM_FDT_ERR_BAD_BLOB = -2, /* not a well-formed FDT v17 blob inside capacity */
	RM_FDT_ERR_NO_ROOM = -3,  /* the grown blob would not fit in capacity */
	RM_FDT_ERR_EXISTS = -4,   /* the root already has a "hypervisor" child */
};

/* Inserts /hypervisor into the blob at `blob`, of which `capacity` bytes may be written (the blob's
 * totalsize plus the room the caller owns past it; the RM owns 16 KiB at the primary VM's DT, §13).
 * On success the blob's totalsize has grown by what was added; on any failure not a byte of
 * `blob` was written. */
enum rm_fdt_result rm_fdt_patch_hypervisor(void *blob, size_t capacity,
                                           const struct rm_fdt_hyp_node *node);

#endif

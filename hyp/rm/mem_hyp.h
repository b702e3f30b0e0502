/* hyp/rm/mem_hyp.h: the hypervisor side of memory parcels in the RM image (struct rm_mem_ops
 * over hypercalls). A VM's RAM is kept as "pieces": extents each mapped once at IPA = its base.
 * Lending a range out of a piece derives an extent over the range and two over what is left
 * around it, maps the two in place of the piece, and so takes exactly the range away from the
 * owner (humpy's addrspace_unmap removes whole mappings only). */
#ifndef RM_MEM_HYP_H
#define RM_MEM_HYP_H

#include <stdbool.h>
#include <stdint.h>

#include "boot_info.h"
#include "memparcel.h"
#include "primary.h"

#define RM_MEM_HYP_MAX_VMS    8U
#define RM_MEM_HYP_MAX_PIECES 640U
/* The primary's RAM is mapped in pieces of this size from the start: a lend remaps one piece, and
 * the remap (unmap the piece, map the parts around the range) must fit in a fresh timeslice, since
 * the primary VM may run as soon as the RM is preempted (2 MiB: ~1 ms under TCG on an idle host,
 * 1 GiB: 0.55 s). The RM does not outrank the primary VM yet (a WFI does not block a vCPU), so a
 * loaded host can still stretch the remap past the slice: a lender must then not need the piece
 * around the lent range meanwhile. */
#define RM_MEM_HYP_PIECE_SIZE 0x200000ULL
#define RM_MEM_HYP_MAX_RANGES 32U
#define RM_MEM_HYP_MAX_GIFTS  8U
#define RM_MEM_HYP_IPA_POOL   0x100000000ULL /* where MEM_ACCEPT without an SGL maps (4 GiB up) */

struct rm_vms;

struct rm_mem_hyp_vm {
	bool is_used;
	uint16_t vmid;
	uint64_t addrspace; /* cap in the RM's cspace */
	uint64_t next_ipa;  /* the IPA pool's bump pointer */
};

struct rm_mem_hyp_piece {
	bool is_used;
	uint16_t vmid;
	uint64_t extent;
	uint64_t base; /* PA = the owner's IPA */
	uint64_t size;
	bool is_original; /* the extent the VM was built with: its cap is not ours to delete */
};

/* The extent over one range of a parcel, from prepare to forget. */
struct rm_mem_hyp_range {
	bool is_used;
	uint32_t handle;
	uint16_t index;
	uint64_t extent;
	bool is_piece; /* mapped as RAM of a VM (reclaimed, or donated): it outlives the parcel */
	uint64_t borrower_ipa; /* where the last borrower_map put it (a donation's recipient) */
};

/* A range donated to a peer VM: mapped there until the VM is torn down (rm_mem_vm_remove), when it
 * leaves that VM and its extent is deleted; the memory stays with the RM, never back with the
 * donor (a donation is final). */
struct rm_mem_hyp_gift {
	bool is_used;
	uint16_t vmid;
	uint64_t extent;
	uint64_t ipa;
};

struct rm_mem_hyp {
	uint64_t partition; /* the RM's root caps */
	uint64_t cspace;
	uint64_t rm_addrspace; /* the RM's own Stage-2 (IPA = PA): sanitizing maps ranges there */
	struct rm_vms *vms;
	struct rm_mem_hyp_vm vm[RM_MEM_HYP_MAX_VMS];
	struct rm_mem_hyp_piece piece[RM_MEM_HYP_MAX_PIECES];
	struct rm_mem_hyp_range range[RM_MEM_HYP_MAX_RANGES];
	struct rm_mem_hyp_gift gift[RM_MEM_HYP_MAX_GIFTS];
};

void rm_mem_hyp_init(struct rm_mem_hyp *h, uint64_t partition, uint64_t cspace,
                     uint64_t rm_addrspace, struct rm_vms *vms);
/* A VM parcels can be mapped into (and lent from, once it has RAM pieces). */
bool rm_mem_hyp_add_vm(struct rm_mem_hyp *h, uint16_t vmid, uint64_t addrspace);
/* RAM of vmid: the activated extent `extent` over [base, base + size), mapped RWX at IPA base
 * and nowhere else, with no extent derived from it. */
bool rm_mem_hyp_add_ram(struct rm_mem_hyp *h, uint16_t vmid, uint64_t extent, uint64_t base,
                        uint64_t size);

/* ctx: a struct rm_mem_hyp. */
extern const struct rm_mem_ops rm_mem_hyp_ops;

/* Boot, before the primary VM runs: maps its RAM (ram_me, activated, over hlos_memory) into its
 * address space at IPA = PA as RM_MEM_HYP_PIECE_SIZE pieces derived from ram_me; the DT window
 * extent dt_me (derived from ram_me over [dt_base, dt_base + dt_size)) is mapped as the piece of
 * that window. False (nothing usable mapped) when the hypervisor refuses a step. */
bool rm_mem_premap(const struct rm_boot_info *b, uint64_t addrspace, uint64_t ram_me,
                   uint64_t dt_me, uint64_t dt_base, uint64_t dt_size);

/* VM lifecycle (peers): the peer's address space, so parcels can be mapped into it. */
bool rm_mem_vm_add(uint16_t vmid, uint64_t addrspace);
/* VM_CONFIG_IMAGE: accepts parcel `handle` on vmid's behalf, as MEM_ACCEPT from vmid would (all of
 * its checks), mapped at the owner's IPA; the parcel must be one range, LEND or DONATE, with RWX
 * for vmid (else DENIED). Returns the RM error; on RM_OK *ipa and *size say where. */
uint32_t rm_mem_accept_for(uint32_t handle, uint16_t vmid, uint64_t *ipa, uint64_t *size);

/* VM_RESET / a failed VM_INIT (peers): every parcel vmid accepted is released (its ranges leave
 * vmid's address space, as MEM_RELEASE from vmid would), every range donated to it is unmapped
 * and dropped (struct rm_mem_hyp_gift), then vmid's address space is forgotten, so the owner can
 * reclaim and the VMID can be built again (no mapping keeps the address space alive). */
void rm_mem_vm_remove(uint16_t vmid);
/* Maps (is_map) or unmaps the one range of parcel `handle` into the RM's own Stage-2 at the
 * owner's IPA (the RM runs with VA = IPA = PA), read-write: how the RM writes a peer's DT. */
bool rm_mem_map_in_rm(uint32_t handle, bool is_map);

/* Boot, once the primary VM runs: parcels of its RAM from then on, through the MEM_* handlers. */
void rm_mem_start(const struct rm_boot_info *b, const struct primary_vm *p, struct rm_vms *vms);

#endif

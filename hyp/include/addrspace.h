/* addrspace: an address space (a VM's guest-physical view): its VMID, its Stage-2 tables, and the
 * mappings of memory extents into it. */
#ifndef ADDRSPACE_H
#define ADDRSPACE_H

#include "mem.h"
#include "memextent.h"
#include "object.h"

/* addrspace_map attributes (reference §2): user access 2:0, kernel access 6:4, memory type 23:16.
 */
#define ADDRSPACE_ATTR_USER_SHIFT    0U
#define ADDRSPACE_ATTR_KERNEL_SHIFT  4U
#define ADDRSPACE_ATTR_MEMTYPE_SHIFT 16U
#define ADDRSPACE_ATTR_ACCESS_MASK   0x77U
#define ADDRSPACE_ATTRS_VALID        (ADDRSPACE_ATTR_ACCESS_MASK | (0xFFU << 16))
#define ADDRSPACE_ACCESS_R           4U
#define ADDRSPACE_ACCESS_W           2U
#define ADDRSPACE_ACCESS_X           1U

/* map_flags: bit 0 partial (sparse extents only), bit 31 no_sync; the rest reserved. */
#define ADDRSPACE_MAP_PARTIAL 0x1U
#define ADDRSPACE_MAP_NO_SYNC 0x80000000U

/* VMIDs: 16 bits (up to arch_stage2_vmid_limit()); 0 is never used, the boot VM holds its own and
 * 255 is upstream's ROOT_VM_VMID (reserved too). */
#define ADDRSPACE_VMID_LIMIT   65536U
#define ADDRSPACE_VMID_WORDS   (ADDRSPACE_VMID_LIMIT / 64U)
#define ADDRSPACE_ROOT_VM_VMID 255U

/* Stage-2 table pages one address space may hold (the root included): NOMEM past it. Mappings are
 * page leaves, so 1 GiB takes 512 leaf tables: the primary VM's RAM (the RM maps all of it) plus
 * its UART and room for what it is lent. */
#define ADDRSPACE_MAX_TABLES 544U

/* addrspace_configure_vmmio (reference section 2): ops, the ranges one address space holds
 * (upstream's ADDRSPACE_MAX_VMMIO_RANGES: NORESOURCES past it) and the end no range passes
 * (upstream keeps them in a 52-bit table: ARGUMENT_SIZE past it). */
#define ADDRSPACE_VMMIO_OP_ADD     0U
#define ADDRSPACE_VMMIO_OP_REMOVE  1U
#define ADDRSPACE_MAX_VMMIO_RANGES 128U
#define ADDRSPACE_VMMIO_END        (1ULL << 52)

/* An IPA range a proxy (vcpu_run) emulates: [base, base+size), bytes, no alignment. */
struct addrspace_vmmio_range {
	uint64_t base;
	uint64_t size;
};

struct addrspace {
	struct object hdr;
	bool is_configured;
	uint16_t vmid;
	unsigned ipa_bits;
	uint64_t *vmid_used; /* the partition tree's VMID bitmap (ADDRSPACE_VMID_WORDS words) */
	unsigned table_count;
	uint64_t *tables[ADDRSPACE_MAX_TABLES]; /* tables[0] is the root, once active */
	unsigned vmmio_count;
	struct addrspace_vmmio_range vmmio[ADDRSPACE_MAX_VMMIO_RANGES]; /* [0, vmmio_count) */
};

struct addrspace_lookup_result {
	error_t error;
	uint64_t offset;
	uint64_t size;
	uint64_t map_attrs;
};

error_t addrspace_configure(struct addrspace *as, uint64_t vmid);
error_t addrspace_map(struct addrspace *as, struct memextent *me, uint64_t vbase,
                      uint64_t map_attrs, uint64_t map_flags, uint64_t offset, uint64_t size);
error_t addrspace_unmap(struct addrspace *as, struct memextent *me, uint64_t vbase,
                        uint64_t map_flags, uint64_t offset, uint64_t size);
error_t addrspace_update_access(struct addrspace *as, struct memextent *me, uint64_t vbase,
                                uint64_t access_attrs, uint64_t map_flags, uint64_t offset,
                                uint64_t size);
struct addrspace_lookup_result addrspace_lookup(const struct addrspace *as,
                                                const struct memextent *me, uint64_t vbase,
                                                uint64_t size);

/*
 * addrspace_configure_vmmio's add (@op 0) or remove (1) of [base, base+size), as upstream: an
 * unknown op UNIMPLEMENTED; size 0 ARGUMENT_SIZE; a wrap ADDR_OVERFLOW; a 129th range NORESOURCES;
 * past ADDRSPACE_VMMIO_END ARGUMENT_SIZE; an add overlapping a range, or a remove that is not
 * exactly an added range, BUSY. Mappings are not looked at: a mapped IPA never faults, so it never
 * exits.
 */
error_t addrspace_configure_vmmio(struct addrspace *as, uint64_t base, uint64_t size, uint64_t op);
/* Whether one VMMIO range of @as holds all of [ipa, ipa+size). */
bool addrspace_vmmio_covers(const struct addrspace *as, uint64_t ipa, uint64_t size);

/*
 * Maps [ipa, ipa+size) of @as (ACTIVE) to the device pages at @pa, read/write, Device-nGnRE: a
 * frame the hypervisor itself gives a VM (GICv2's virtual CPU interface, vgic_v2.c), owned by no
 * memory extent, so no unmap or lookup sees it; it goes with the tables. EXISTING_MAPPING when a
 * page is mapped already (nothing then stays mapped), NOMEM without a table page.
 */
error_t addrspace_map_device(struct addrspace *as, uint64_t ipa, uint64_t pa, uint64_t size);

/* Unmaps one mapping of @me and releases its reference on the address space (through *dead when
 * called from a cleanup, else NULL). */
void addrspace_remove_mapping(struct memextent *me, struct memextent_mapping *m,
                              struct object **dead);

extern const struct obj_ops addrspace_ops;

#endif

/* addrspace: address spaces: VMID, Stage-2 tables, and the mappings of memory extents into them. */
#include "addrspace.h"

#include "arch_stage2.h"
#include "partition.h"

error_t addrspace_configure(struct addrspace *as, uint64_t vmid)
{
	/* 0 is never a guest's VMID; 16 bits where the CPU has them (VTCR_EL2.VS), else 8. */
	if (vmid == 0U || vmid >= arch_stage2_vmid_limit()) {
		return ERROR_ARGUMENT_INVALID;
	}
	as->vmid = (uint16_t)vmid;
	as->is_configured = true;
	return OK;
}

static bool addrspace_vmid_is_used(const uint64_t *used, uint16_t vmid)
{
	return (used[vmid / 64U] & BIT(vmid % 64U)) != 0U;
}

/* A table page from the address space's partition: 8 KiB taken, the aligned 4 KiB kept, the rest
 * given back at once (the heap frees any 16-byte-aligned run). */
static uint64_t *addrspace_table_alloc(void *ctx)
{
	struct addrspace *as = ctx;
	struct partition *p = as->hdr.partition;
	struct partition_alloc_result got;
	uintptr_t raw, page;

	if (as->table_count >= ADDRSPACE_MAX_TABLES) {
		return NULL;
	}
	got = partition_alloc(p, 2U * MEM_PAGE_SIZE);
	if (got.error != OK) {
		return NULL;
	}
	raw = (uintptr_t)got.ptr;
	page = (uintptr_t)ALIGN_UP(raw, MEM_PAGE_SIZE);
	if (page != raw) {
		partition_free(p, got.ptr, page - raw);
	}
	if (raw + 2U * MEM_PAGE_SIZE != page + MEM_PAGE_SIZE) {
		partition_free(p, (void *)(page + MEM_PAGE_SIZE),
		               raw + 2U * MEM_PAGE_SIZE - (page + MEM_PAGE_SIZE));
	}
	as->tables[as->table_count++] = (uint64_t *)page;
	return (uint64_t *)page;
}

static void addrspace_cleanup(struct object *obj, struct object **dead)
{
	struct addrspace *as = (struct addrspace *)obj;

	(void)dead;
	/* Every mapping held a reference, so none is left; the TLBs were invalidated by each unmap.
	 */
	for (unsigned i = 0; i < as->table_count; i++) {
		partition_free(obj->partition, as->tables[i], MEM_PAGE_SIZE);
	}
	if (as->table_count != 0U && as->vmid_used != NULL) {
		as->vmid_used[as->vmid / 64U] &= ~BIT(as->vmid % 64U);
	}
}

/* Takes the VMID (BUSY when another address space holds it) and the root table. */
static error_t addrspace_activate(struct object *obj)
{
	struct addrspace *as = (struct addrspace *)obj;
	uint64_t *used = obj->partition->vmid_used;

	if (!as->is_configured || used == NULL) {
		return ERROR_OBJECT_CONFIG;
	}
	if (addrspace_vmid_is_used(used, as->vmid)) {
		return ERROR_BUSY;
	}
	if (addrspace_table_alloc(as) == NULL) {
		return ERROR_NOMEM;
	}
	as->ipa_bits = arch_stage2_ipa_bits();
	as->vmid_used = used;
	used[as->vmid / 64U] |= BIT(as->vmid % 64U);
	return OK;
}

const struct obj_ops addrspace_ops = {
    .size = sizeof(struct addrspace),
    .all_rights = RIGHT_OBJECT_ACTIVATE | RIGHT_ADDRSPACE_ATTACH | RIGHT_ADDRSPACE_MAP |
                  RIGHT_ADDRSPACE_LOOKUP | RIGHT_ADDRSPACE_ADD_VMMIO_RANGE,
    .activate = addrspace_activate,
    .cleanup = addrspace_cleanup,
};

/* Device types 0..3, or Normal with outer and inner each non-cacheable, write-through or -back. */
static bool addrspace_memtype_ok(uint32_t t)
{
	return t <= 3U || (t <= 0xFU && (t >> 2) != 0U && (t & 3U) != 0U);
}

/* Whether an extent of @memtype may be mapped with the Stage-2 type @t. */
static bool addrspace_memtype_fits(enum memextent_memtype memtype, uint32_t t)
{
	switch (memtype) {
	case MEMEXTENT_MEMTYPE_DEVICE:
		return t <= 3U;
	case MEMEXTENT_MEMTYPE_UNCACHED:
		return t == 5U; /* Normal, outer and inner non-cacheable */
	case MEMEXTENT_MEMTYPE_CACHED:
		return t > 3U && t != 5U;
	default:
		return true;
	}
}

static struct arch_s2_perm addrspace_perm(uint32_t map_attrs)
{
	/* Stage 2 cannot tell EL0 from EL1 for reads and writes: either's right grants it. */
	uint32_t any = (map_attrs | (map_attrs >> ADDRSPACE_ATTR_KERNEL_SHIFT)) & 7U;

	return (struct arch_s2_perm){
	    .read = (any & ADDRSPACE_ACCESS_R) != 0U,
	    .write = (any & ADDRSPACE_ACCESS_W) != 0U,
	    .exec = (any & ADDRSPACE_ACCESS_X) != 0U,
	    .memtype = (uint8_t)(map_attrs >> ADDRSPACE_ATTR_MEMTYPE_SHIFT),
	};
}

/* Access 3 (write and execute without read) is not a value of the access enumeration. */
static bool addrspace_access_ok(uint64_t attrs)
{
	return ((attrs >> ADDRSPACE_ATTR_USER_SHIFT) & 7U) != 3U &&
	       ((attrs >> ADDRSPACE_ATTR_KERNEL_SHIFT) & 7U) != 3U;
}

/* The user and kernel rights of @access_attrs, each at most the extent's. */
static bool addrspace_access_fits(const struct memextent *me, uint64_t access_attrs)
{
	uint32_t user = (uint32_t)(access_attrs >> ADDRSPACE_ATTR_USER_SHIFT) & 7U;
	uint32_t kernel = (uint32_t)(access_attrs >> ADDRSPACE_ATTR_KERNEL_SHIFT) & 7U;

	return ((user | kernel) & ~me->access) == 0U;
}

/*
 * The checks map, unmap and update_access share, in this order: flags, the range of the extent
 * (all of it unless partial, which only sparse extents take), alignment, wrap-around and the IPA
 * size. On OK, *offset and *size are the range to use.
 */
static error_t addrspace_check_range(const struct addrspace *as, const struct memextent *me,
                                     uint64_t vbase, uint64_t map_flags, uint64_t *offset,
                                     uint64_t *size)
{
	if ((map_flags & ~(uint64_t)(ADDRSPACE_MAP_PARTIAL | ADDRSPACE_MAP_NO_SYNC)) != 0U) {
		return ERROR_ARGUMENT_INVALID;
	}
	if ((map_flags & ADDRSPACE_MAP_PARTIAL) == 0U) {
		*offset = 0U;
		*size = me->size;
	} else if (me->type != MEMEXTENT_TYPE_SPARSE) {
		return ERROR_ARGUMENT_INVALID;
	}
	if (!mem_is_page_aligned(vbase) || !mem_is_page_aligned(*offset) ||
	    !mem_is_page_aligned(*size)) {
		return ERROR_ARGUMENT_ALIGNMENT;
	}
	if (*size == 0U) {
		return ERROR_ARGUMENT_INVALID;
	}
	if (vbase + *size < vbase || *offset + *size < *offset ||
	    !range_within(vbase, *size, 0U, BIT(as->ipa_bits))) {
		return ERROR_ADDR_OVERFLOW;
	}
	if (!range_within(*offset, *size, 0U, me->size)) {
		return ERROR_ARGUMENT_INVALID;
	}
	return OK;
}

error_t addrspace_map(struct addrspace *as, struct memextent *me, uint64_t vbase,
                      uint64_t map_attrs, uint64_t map_flags, uint64_t offset, uint64_t size)
{
	uint32_t memtype = (uint32_t)(map_attrs >> ADDRSPACE_ATTR_MEMTYPE_SHIFT) & 0xFFU;
	struct memextent_mapping *slot = NULL;
	error_t err = addrspace_check_range(as, me, vbase, map_flags, &offset, &size);

	if (err != OK) {
		return err;
	}
	if ((map_attrs & ~(uint64_t)ADDRSPACE_ATTRS_VALID) != 0U ||
	    !addrspace_memtype_ok(memtype) || !addrspace_access_ok(map_attrs)) {
		return ERROR_ARGUMENT_INVALID;
	}
	/* Never more than the extent grants, and only pages it (or an extent derived from it) owns.
	 */
	if (!addrspace_access_fits(me, map_attrs) ||
	    !addrspace_memtype_fits(me->memtype, memtype)) {
		return ERROR_DENIED;
	}
#if HUMPY_PLANT_BUG != 14 /* planted bug 14 drops this: maps pages the extent does not own */
	if (!memextent_owns_range(me, offset, size)) {
		return ERROR_DENIED;
	}
#endif
	for (unsigned i = 0; i < MEMEXTENT_MAX_MAPS && slot == NULL; i++) {
		slot = me->maps[i].addrspace == NULL ? &me->maps[i] : NULL;
	}
	if (slot == NULL) {
		return ERROR_MEMEXTENT_MAPPINGS_FULL;
	}
	err = arch_stage2_map(as->tables[0], as->ipa_bits, as->vmid, mem_ipa(vbase),
	                      mem_pa(me->base.bits + offset), size,
	                      addrspace_perm((uint32_t)map_attrs), addrspace_table_alloc, as);
	if (err == ERROR_EXISTING_MAPPING) {
		err = ERROR_DENIED; /* the IPA range is in use: not a documented result of map */
	}
	if (err != OK) {
		return err;
	}
	object_get(&as->hdr);
	*slot = (struct memextent_mapping){
	    .addrspace = as,
	    .vbase = mem_ipa(vbase),
	    .offset = offset,
	    .size = size,
	    .map_attrs = (uint32_t)map_attrs,
	};
	return OK;
}

/* Stage-2 MemAttr Device-nGnRE: what a device register page a VM reaches directly is mapped as. */
#define ADDRSPACE_DEVICE_NGNRE 1U

error_t addrspace_map_device(struct addrspace *as, uint64_t ipa, uint64_t pa, uint64_t size)
{
	struct arch_s2_perm perm = {.read = true, .write = true, .memtype = ADDRSPACE_DEVICE_NGNRE};

	if (as->table_count == 0U || size == 0U || !IS_ALIGNED(ipa | pa | size, MEM_PAGE_SIZE) ||
	    !range_within(ipa, size, 0U, BIT(as->ipa_bits))) {
		return ERROR_ARGUMENT_INVALID;
	}
	return arch_stage2_map(as->tables[0], as->ipa_bits, as->vmid, mem_ipa(ipa), mem_pa(pa),
	                       size, perm, addrspace_table_alloc, as);
}

/* The mapping of @me in @as that is exactly [vbase, vbase+size) at @offset, or NULL. */
static struct memextent_mapping *addrspace_find(const struct addrspace *as, struct memextent *me,
                                                uint64_t vbase, uint64_t offset, uint64_t size)
{
	for (unsigned i = 0; i < MEMEXTENT_MAX_MAPS; i++) {
		struct memextent_mapping *m = &me->maps[i];

		if (m->addrspace == as && m->vbase.bits == vbase && m->offset == offset &&
		    m->size == size) {
			return m;
		}
	}
	return NULL;
}

void addrspace_remove_mapping(struct memextent *me, struct memextent_mapping *m,
                              struct object **dead)
{
	struct addrspace *as = m->addrspace;

	(void)me;
	arch_stage2_unmap(as->tables[0], as->ipa_bits, as->vmid, m->vbase, m->size);
	*m = (struct memextent_mapping){0};
	if (dead != NULL) {
		object_put_deferred(&as->hdr, dead);
	} else {
		object_put(&as->hdr);
	}
}

error_t addrspace_unmap(struct addrspace *as, struct memextent *me, uint64_t vbase,
                        uint64_t map_flags, uint64_t offset, uint64_t size)
{
	struct memextent_mapping *m;
	error_t err = addrspace_check_range(as, me, vbase, map_flags, &offset, &size);

	if (err != OK) {
		return err;
	}
	/* Only a whole mapping is removed (spec deviation addrspace_exact_ranges). */
	m = addrspace_find(as, me, vbase, offset, size);
	if (m == NULL) {
		return ERROR_ARGUMENT_INVALID;
	}
	addrspace_remove_mapping(me, m, NULL);
	return OK;
}

error_t addrspace_update_access(struct addrspace *as, struct memextent *me, uint64_t vbase,
                                uint64_t access_attrs, uint64_t map_flags, uint64_t offset,
                                uint64_t size)
{
	struct memextent_mapping *m;
	uint32_t attrs;
	error_t err = addrspace_check_range(as, me, vbase, map_flags, &offset, &size);

	if (err != OK) {
		return err;
	}
	if ((access_attrs & ~(uint64_t)ADDRSPACE_ATTR_ACCESS_MASK) != 0U ||
	    !addrspace_access_ok(access_attrs)) {
		return ERROR_ARGUMENT_INVALID;
	}
	if (!addrspace_access_fits(me, access_attrs)) {
		return ERROR_DENIED;
	}
	m = addrspace_find(as, me, vbase, offset, size);
	if (m == NULL) {
		return ERROR_ARGUMENT_INVALID;
	}
	attrs = (m->map_attrs & ~ADDRSPACE_ATTR_ACCESS_MASK) | (uint32_t)access_attrs;
	arch_stage2_update(as->tables[0], as->ipa_bits, as->vmid, m->vbase, m->size,
	                   addrspace_perm(attrs));
	m->map_attrs = attrs;
	return OK;
}

struct addrspace_lookup_result addrspace_lookup(const struct addrspace *as,
                                                const struct memextent *me, uint64_t vbase,
                                                uint64_t size)
{
	if (!mem_is_page_aligned(vbase) || !mem_is_page_aligned(size) || size == 0U ||
	    vbase + size < vbase) {
		return (struct addrspace_lookup_result){.error = ERROR_ARGUMENT_INVALID};
	}
	for (unsigned i = 0; i < MEMEXTENT_MAX_MAPS; i++) {
		const struct memextent_mapping *m = &me->maps[i];

		if (m->addrspace == as && range_within(vbase, size, m->vbase.bits, m->size)) {
			return (struct addrspace_lookup_result){
			    .error = OK,
			    .offset = m->offset + (vbase - m->vbase.bits),
			    .size = size,
			    .map_attrs = m->map_attrs,
			};
		}
	}
	return (struct addrspace_lookup_result){.error = ERROR_ADDR_INVALID};
}

error_t addrspace_configure_vmmio(struct addrspace *as, uint64_t base, uint64_t size, uint64_t op)
{
	unsigned i;

	if (op != ADDRSPACE_VMMIO_OP_ADD && op != ADDRSPACE_VMMIO_OP_REMOVE) {
		return ERROR_UNIMPLEMENTED;
	}
	if (size == 0U) {
		return ERROR_ARGUMENT_SIZE;
	}
	if (base + size < base) {
		return ERROR_ADDR_OVERFLOW;
	}
	if (op == ADDRSPACE_VMMIO_OP_ADD && as->vmmio_count == ADDRSPACE_MAX_VMMIO_RANGES) {
		return ERROR_NORESOURCES;
	}
	if (base + size > ADDRSPACE_VMMIO_END) {
		return ERROR_ARGUMENT_SIZE;
	}
	for (i = 0; i < as->vmmio_count; i++) {
		const struct addrspace_vmmio_range *r = &as->vmmio[i];

		if (op == ADDRSPACE_VMMIO_OP_ADD && range_overlaps(base, size, r->base, r->size)) {
			return ERROR_BUSY;
		}
		if (op == ADDRSPACE_VMMIO_OP_REMOVE && r->base == base && r->size == size) {
			/* The last range fills the hole: the table stays dense. */
			as->vmmio[i] = as->vmmio[--as->vmmio_count];
			return OK;
		}
	}
	if (op == ADDRSPACE_VMMIO_OP_REMOVE) {
		return ERROR_BUSY;
	}
	as->vmmio[as->vmmio_count++] = (struct addrspace_vmmio_range){.base = base, .size = size};
	return OK;
}

bool addrspace_vmmio_covers(const struct addrspace *as, uint64_t ipa, uint64_t size)
{
	for (unsigned i = 0; i < as->vmmio_count; i++) {
		if (range_within(ipa, size, as->vmmio[i].base, as->vmmio[i].size)) {
			return true;
		}
	}
	return false;
}

/* memextent: memory extents: configuration, derivation, donation and the pages they own (memdb). */
#include "memextent.h"

#include "addrspace.h"
#include "arch_stage2.h"
#include "partition.h"

static bool memextent_memtype_ok(uint32_t memtype)
{
	return memtype <= MEMEXTENT_MEMTYPE_CACHED;
}

/* Checks shared by configure and configure_derive: reserved bits, the type, the memory type. */
static error_t memextent_check_attrs(uint64_t attrs)
{
	uint32_t type = (uint32_t)((attrs & MEMEXTENT_ATTR_TYPE_MASK) >> MEMEXTENT_ATTR_TYPE_SHIFT);

	/* list-append (bit 31) needs extent lists humpy does not have: refused as reserved. */
	/* Access 3 (write and execute without read) is not a value of the access enumeration. */
	if ((attrs & ~(uint64_t)MEMEXTENT_ATTRS_VALID) != 0U || type > MEMEXTENT_TYPE_SPARSE ||
	    (attrs & MEMEXTENT_ATTR_ACCESS_MASK) == 3U) {
		return ERROR_ARGUMENT_INVALID;
	}
	return OK;
}

static void memextent_set_attrs(struct memextent *me, uint64_t attrs)
{
	me->access = (uint32_t)(attrs & MEMEXTENT_ATTR_ACCESS_MASK);
	me->memtype = (enum memextent_memtype)((attrs & MEMEXTENT_ATTR_MEMTYPE_MASK) >>
	                                       MEMEXTENT_ATTR_MEMTYPE_SHIFT);
	me->type =
	    (enum memextent_type)((attrs & MEMEXTENT_ATTR_TYPE_MASK) >> MEMEXTENT_ATTR_TYPE_SHIFT);
}

error_t memextent_configure(struct memextent *me, uint64_t phys_base, uint64_t size, uint64_t attrs)
{
	error_t err = memextent_check_attrs(attrs);

	if (err != OK) {
		return err;
	}
	if (!mem_is_page_aligned(phys_base) || !mem_is_page_aligned(size)) {
		return ERROR_ARGUMENT_ALIGNMENT;
	}
	if (size == 0U || phys_base + size < phys_base) {
		return ERROR_ARGUMENT_SIZE;
	}
	memextent_set_attrs(me, attrs);
	me->base = mem_pa(phys_base);
	me->size = size;
	if (me->parent != NULL) { /* configured again: it was derived before */
		object_put(me->parent);
	}
	me->parent = &me->hdr.partition->hdr;
	object_get(me->parent);
	me->memdb = me->hdr.partition->memdb;
	me->is_configured = true;
	return OK;
}

error_t memextent_configure_derive(struct memextent *me, struct memextent *parent, uint64_t offset,
                                   uint64_t size, uint64_t attrs)
{
	error_t err = memextent_check_attrs(attrs);
	uint32_t memtype =
	    (uint32_t)((attrs & MEMEXTENT_ATTR_MEMTYPE_MASK) >> MEMEXTENT_ATTR_MEMTYPE_SHIFT);

	if (err != OK) {
		return err;
	}
	if (!mem_is_page_aligned(offset) || !mem_is_page_aligned(size)) {
		return ERROR_ARGUMENT_ALIGNMENT;
	}
	if (size == 0U || !range_within(offset, size, 0U, parent->size)) {
		return ERROR_ARGUMENT_SIZE;
	}
	/* At most the parent's rights, and its memory type unless it left the type open. */
	if (((uint32_t)attrs & MEMEXTENT_ATTR_ACCESS_MASK & ~parent->access) != 0U ||
	    !memextent_memtype_ok(memtype) ||
	    (parent->memtype != MEMEXTENT_MEMTYPE_ANY && memtype != (uint32_t)parent->memtype)) {
		return ERROR_ARGUMENT_INVALID;
	}
	memextent_set_attrs(me, attrs);
	me->base = mem_pa(parent->base.bits + offset);
	me->size = size;
	if (me->parent != NULL) {
		object_put(me->parent);
	}
	me->parent = &parent->hdr;
	object_get(me->parent);
	me->memdb = parent->memdb;
	me->is_configured = true;
	return OK;
}

/* A basic extent takes all its pages from its parent now; a sparse one starts empty. */
static error_t memextent_activate(struct object *obj)
{
	struct memextent *me = (struct memextent *)obj;

	if (!me->is_configured) {
		return ERROR_OBJECT_CONFIG;
	}
	if (me->type == MEMEXTENT_TYPE_SPARSE) {
		return OK;
	}
	return memdb_transfer(me->memdb, me->base, me->size, me->parent, obj);
}

/* Every mapping removed, every page it still owns back to its parent, the parent released. */
static void memextent_cleanup(struct object *obj, struct object **dead)
{
	struct memextent *me = (struct memextent *)obj;

	for (unsigned i = 0; i < MEMEXTENT_MAX_MAPS; i++) {
		if (me->maps[i].addrspace != NULL) {
			addrspace_remove_mapping(me, &me->maps[i], dead);
		}
	}
	if (me->parent != NULL) {
		memdb_transfer_owned(me->memdb, me->base, me->size, obj, me->parent);
		object_put_deferred(me->parent, dead);
	}
}

const struct obj_ops memextent_ops = {
    .size = sizeof(struct memextent),
    .all_rights = RIGHT_OBJECT_ACTIVATE | RIGHT_MEMEXTENT_MAP | RIGHT_MEMEXTENT_DERIVE |
                  RIGHT_MEMEXTENT_ATTACH | RIGHT_MEMEXTENT_LOOKUP | RIGHT_MEMEXTENT_DONATE,
    .activate = memextent_activate,
    .cleanup = memextent_cleanup,
};

/* True when @owner is @me or an extent derived from it (directly or not). */
static bool memextent_is_self_or_descendant(const struct memextent *me, const struct object *owner)
{
	while (owner != NULL && owner->type == OBJ_MEMEXTENT) {
		if (owner == &me->hdr) {
			return true;
		}
		owner = ((const struct memextent *)owner)->parent;
	}
	return false;
}

bool memextent_owns_range(const struct memextent *me, uint64_t offset, uint64_t size)
{
	if (size == 0U || !range_within(offset, size, 0U, me->size)) {
		return false;
	}
	for (uint64_t off = offset; off < offset + size; off += MEM_PAGE_SIZE) {
		if (!memextent_is_self_or_descendant(
		        me, memdb_owner(me->memdb, mem_pa(me->base.bits + off)))) {
			return false;
		}
	}
	return true;
}

/* True when any mapping of @me reaches a page of [offset, offset+size) of it. */
static bool memextent_is_mapped(const struct memextent *me, uint64_t offset, uint64_t size)
{
	for (unsigned i = 0; i < MEMEXTENT_MAX_MAPS; i++) {
		const struct memextent_mapping *m = &me->maps[i];

		if (m->addrspace != NULL && offset < m->offset + m->size &&
		    m->offset < offset + size) {
			return true;
		}
	}
	return false;
}

static struct memextent *memextent_of(struct object *obj)
{
	return obj->type == OBJ_MEMEXTENT ? (struct memextent *)obj : NULL;
}

error_t memextent_donate(unsigned type, struct object *from, struct object *to, uint64_t offset,
                         uint64_t size)
{
	struct memextent *child, *src;
	struct memextent *range; /* the extent @offset counts from */
	mem_pa_t pa;

	if (type == MEMEXTENT_DONATE_TO_CHILD) {
		child = memextent_of(to);
		if (child == NULL) {
			return ERROR_CSPACE_WRONG_OBJECT_TYPE;
		}
		if (child->parent != from) {
			return ERROR_ARGUMENT_INVALID;
		}
		range = child;
	} else if (type == MEMEXTENT_DONATE_TO_PARENT) {
		child = memextent_of(from);
		if (child == NULL) {
			return ERROR_CSPACE_WRONG_OBJECT_TYPE;
		}
		if (child->parent != to) {
			return ERROR_ARGUMENT_INVALID;
		}
		range = child;
	} else {
		struct memextent *dst = memextent_of(to);

		child = memextent_of(from);
		if (child == NULL || dst == NULL) {
			return ERROR_CSPACE_WRONG_OBJECT_TYPE;
		}
		if (child == dst || child->parent != dst->parent ||
		    dst->type != MEMEXTENT_TYPE_SPARSE) {
			return ERROR_ARGUMENT_INVALID;
		}
		range = child;
		/* The pages must lie inside the receiving extent too. */
		if (size == 0U ||
		    !range_within(child->base.bits + offset, size, dst->base.bits, dst->size)) {
			return ERROR_ARGUMENT_SIZE;
		}
	}
	/* Only sparse extents take and give single pages; a basic one owns its range whole. */
	if (child->type != MEMEXTENT_TYPE_SPARSE || !object_is_active(&child->hdr)) {
		return ERROR_ARGUMENT_INVALID;
	}
	if (!mem_is_page_aligned(offset) || !mem_is_page_aligned(size)) {
		return ERROR_ARGUMENT_INVALID;
	}
	if (size == 0U || !range_within(offset, size, 0U, range->size)) {
		return ERROR_ARGUMENT_SIZE;
	}
	pa = mem_pa(range->base.bits + offset);
	/* Pages leave an extent only unmapped: no mapping may outlive the ownership behind it. */
	src = memextent_of(from);
#if HUMPY_PLANT_BUG == 13 /* planted bug 13: donated pages stay mapped */
	src = NULL;
#endif
	if (src != NULL && memextent_is_mapped(src, pa.bits - src->base.bits, size)) {
		return ERROR_ARGUMENT_INVALID;
	}
#if HUMPY_PLANT_BUG == 15 /* planted bug 15: donate leaves the pages with the giver */
	if (memdb_is_owned_by(range->memdb, pa, size, from)) {
		return OK;
	}
#endif
	return memdb_transfer(range->memdb, pa, size, from, to);
}

static enum arch_phys_op memextent_phys_op(uint64_t op)
{
	return op == MEMEXTENT_MODIFY_ZERO_RANGE        ? ARCH_PHYS_ZERO
	       : op == MEMEXTENT_MODIFY_ZERO_RANGE + 1U ? ARCH_PHYS_CLEAN
	                                                : ARCH_PHYS_FLUSH;
}

error_t memextent_modify(struct memextent *me, uint64_t flags, uint64_t offset, uint64_t size)
{
	uint64_t op = flags & MEMEXTENT_MODIFY_OP_MASK;
	bool no_sync = (flags & MEMEXTENT_MODIFY_NO_SYNC) != 0U;

	if ((flags & ~(uint64_t)(MEMEXTENT_MODIFY_OP_MASK | MEMEXTENT_MODIFY_NO_SYNC)) != 0U) {
		return ERROR_ARGUMENT_INVALID;
	}
	if (op == MEMEXTENT_MODIFY_UNMAP_ALL) {
		for (unsigned i = 0; i < MEMEXTENT_MAX_MAPS; i++) {
			if (me->maps[i].addrspace != NULL) {
				addrspace_remove_mapping(me, &me->maps[i], NULL);
			}
		}
		return OK;
	}
	if (op == MEMEXTENT_MODIFY_SYNC_ALL) {
		/* Every change is synchronous already (TLBs invalidated before the call returns).
		 */
		return no_sync ? ERROR_ARGUMENT_INVALID : OK;
	}
	if (op > MEMEXTENT_MODIFY_FLUSH_LAST || !no_sync) {
		return ERROR_ARGUMENT_INVALID;
	}
	if (!mem_is_page_aligned(offset) || !mem_is_page_aligned(size) || size == 0U ||
	    !range_within(offset, size, 0U, me->size)) {
		return ERROR_ARGUMENT_SIZE;
	}
	/* Only the pages the extent (or one derived from it) owns: a sparse extent's others belong
	 * to someone else. */
	for (uint64_t off = offset; off < offset + size; off += MEM_PAGE_SIZE) {
		if (memextent_owns_range(me, off, MEM_PAGE_SIZE)) {
			arch_phys_page_op(memextent_phys_op(op), mem_pa(me->base.bits + off));
		}
	}
	return OK;
}

/* cspace: cap tables, obfuscated cap IDs, lookup with rights and state, copy/delete/revoke. */
#include "cspace.h"

#include "log.h"
#include "partition.h"

/*
 * Cap IDs: visible ID = (slot index * id_mult) ^ id_base, with id_mult a random non-zero 16-bit
 * value and id_base a random 64-bit value whose top 32 bits are below 0xffffff00 (so no valid ID is
 * CAP_ID_INVALID or near it). Each cspace draws its own on activation from the generator of the
 * partition it was made from, so a guest cannot guess or count IDs. Decoding demands an exact
 * multiple and an index inside the table.
 */
static void cspace_draw_id_key(struct cspace *cspace)
{
#ifdef HYP_CAP_ID_PLAIN
	cspace->id_mult = 1U;
	cspace->id_base = 0U;
#else
	uint64_t base;

	do {
		base = partition_random(cspace->hdr.partition);
	} while ((base >> 32) >= 0xffffff00U);
	do {
		cspace->id_mult = partition_random(cspace->hdr.partition) & 0xffffU;
	} while (cspace->id_mult == 0U);
	cspace->id_base = base;
#endif
}

cap_id_t cspace_id_of(const struct cspace *cspace, uint32_t index)
{
	return ((uint64_t)index * cspace->id_mult) ^ cspace->id_base;
}

struct cap *cspace_slot_of(const struct cspace *cspace, cap_id_t id)
{
	return cspace_slot_decode(cspace, id);
}

/* The state of a decoded slot as a lookup error (OK when valid). */
static error_t cap_check(const struct cap *cap)
{
	if (cap == NULL) {
		return ERROR_ARGUMENT_INVALID;
	}
	if (cap->state == CAP_STATE_NULL) {
		return ERROR_CSPACE_CAP_NULL;
	}
	if (cap->state == CAP_STATE_REVOKED) {
		return ERROR_CSPACE_CAP_REVOKED;
	}
	return OK;
}

struct cap_lookup_result cap_lookup_failed(const struct cap *cap, enum obj_type type,
                                           rights_t rights, enum cap_want want)
{
	struct cap_lookup_result ret = {.error = OK, .obj = NULL};

	ret.error = cap_check(cap);
	if (ret.error != OK) {
		goto out;
	}
	if (type != OBJ_ANY && cap->type != type) {
		ret.error = ERROR_CSPACE_WRONG_OBJECT_TYPE;
		goto out;
	}
	if ((cap->rights & rights) != rights) {
		ret.error = ERROR_CSPACE_INSUFFICIENT_RIGHTS;
		goto out;
	}
	if ((want == CAP_WANT_ACTIVE && cap->obj->state != OBJ_STATE_ACTIVE) ||
	    (want == CAP_WANT_INIT && cap->obj->state != OBJ_STATE_INIT)) {
		ret.error = ERROR_OBJECT_STATE;
		goto out;
	}
	ret.obj = cap->obj;
out:
	return ret;
}

static struct cap *cspace_free_slot(const struct cspace *cspace)
{
	if (cspace->count >= cspace->max_caps) {
		return NULL;
	}
	for (uint32_t i = 0; i < cspace->max_caps; i++) {
		if (cspace->slots[i].state == CAP_STATE_NULL) {
			return &cspace->slots[i];
		}
	}
	panic("cspace: count %u below max_caps %u but no free slot", cspace->count,
	      cspace->max_caps);
}

bool cspace_has_free_slot(const struct cspace *cspace)
{
	return cspace->count < cspace->max_caps;
}

static cap_id_t cspace_slot_id(const struct cspace *cspace, const struct cap *cap)
{
	return cspace_id_of(cspace, (uint32_t)(cap - cspace->slots));
}

/* Link a VALID cap into its object's list: the master first, copies after it. */
static void cap_link(struct cap *cap)
{
	struct object *obj = cap->obj;

	if (cap->is_master || obj->caps == NULL) {
		cap->obj_prev = NULL;
		cap->obj_next = obj->caps;
		if (obj->caps != NULL) {
			obj->caps->obj_prev = cap;
		}
		obj->caps = cap;
	} else {
		cap->obj_prev = obj->caps;
		cap->obj_next = obj->caps->obj_next;
		if (cap->obj_next != NULL) {
			cap->obj_next->obj_prev = cap;
		}
		obj->caps->obj_next = cap;
	}
}

static void cap_unlink(struct cap *cap)
{
	if (cap->obj_prev != NULL) {
		cap->obj_prev->obj_next = cap->obj_next;
	} else {
		cap->obj->caps = cap->obj_next;
	}
	if (cap->obj_next != NULL) {
		cap->obj_next->obj_prev = cap->obj_prev;
	}
	cap->obj_next = NULL;
	cap->obj_prev = NULL;
}

/* VALID -> REVOKED: the slot stays taken, the object loses this cap's reference. */
static void cap_revoke(struct cap *cap)
{
	struct object *obj = cap->obj;

#if HUMPY_PLANT_BUG != 9 /* planted bug 9 leaves it linked: use after revoke */
	cap_unlink(cap);
#endif
	cap->state = CAP_STATE_REVOKED;
	cap->obj = NULL;
	cap->rights = 0U;
	object_put(obj);
}

cap_id_t cspace_insert_master(struct cspace *cspace, struct object *obj)
{
	struct cap *cap = cspace_free_slot(cspace);
	cap_id_t id = CAP_ID_INVALID;

	/* (if/else rather than an early panic, so static checkers need not know panic never
	 * returns) */
	if (cap == NULL) {
		panic("cspace_insert_master: no free slot (callers check first)");
	} else {
		cap->obj = obj;
		cap->type = obj->type;
		cap->rights = object_ops(obj->type)->all_rights;
		cap->state = CAP_STATE_VALID;
		cap->is_master = true;
		cap_link(cap);
		cspace->count++;
		id = cspace_slot_id(cspace, cap);
	}
	return id;
}

struct cap_id_result cspace_copy_cap(struct cspace *dest, const struct cspace *src, cap_id_t src_id,
                                     rights_t rights_mask)
{
	struct cap_id_result ret = {.error = ERROR_CSPACE_FULL, .id = CAP_ID_INVALID};
	const struct cap *from;
	struct cap *to;

	/* Same order as upstream: a full destination wins over a bad source. */
	to = cspace_free_slot(dest);
	if (to == NULL) {
		goto out;
	}
	from = cspace_slot_of(src, src_id);
	ret.error = cap_check(from);
	if (ret.error != OK) {
		goto out;
	}
	if ((from->rights & rights_mask) == 0U) {
		ret.error = ERROR_CSPACE_INSUFFICIENT_RIGHTS;
		goto out;
	}
	to->obj = from->obj;
	to->type = from->type;
#if HUMPY_PLANT_BUG == 8 /* planted bug 8: copy ignores the source rights */
	to->rights = rights_mask & object_ops(from->type)->all_rights;
#else
	to->rights = from->rights & rights_mask;
#endif
	to->state = CAP_STATE_VALID;
	to->is_master = false;
	object_get(to->obj);
	cap_link(to);
	dest->count++;
	ret.id = cspace_slot_id(dest, to);
out:
	return ret;
}

error_t cspace_delete_cap(struct cspace *cspace, cap_id_t id)
{
	struct cap *cap = cspace_slot_of(cspace, id);
	struct object *obj = NULL;
	error_t err = cap_check(cap);

	if (err != OK && err != ERROR_CSPACE_CAP_REVOKED) {
		goto out;
	}
	if (cap->state == CAP_STATE_VALID) {
		obj = cap->obj;
		cap_unlink(cap);
	}
#if HUMPY_PLANT_BUG != 5 /* planted bug 5 keeps the slot: double delete */
	*cap = (struct cap){0};
#endif
	cspace->count--;
	/* Last: destroying the object may free memory this cspace's caller still walks. */
	if (obj != NULL) {
		object_put(obj);
	}
	err = OK;
out:
	return err;
}

error_t cspace_revoke_cap(struct cspace *cspace, cap_id_t id)
{
	struct cap *cap = cspace_slot_of(cspace, id);
	error_t err = cap_check(cap);

	if (err != OK) {
		goto out;
	}
	if (cap->is_master) {
		err = ERROR_CSPACE_INSUFFICIENT_RIGHTS;
		goto out;
	}
	cap_revoke(cap);
out:
	return err;
}

error_t cspace_revoke_caps(struct cspace *cspace, cap_id_t master_id)
{
	struct cap *master = cspace_slot_of(cspace, master_id);
	error_t err = cap_check(master);

	if (err != OK) {
		goto out;
	}
	if (!master->is_master) {
		err = ERROR_CSPACE_INSUFFICIENT_RIGHTS;
		goto out;
	}
	/* The master keeps its reference, so the object outlives the loop. */
	while (master->obj_next != NULL) {
		cap_revoke(master->obj_next);
	}
out:
	return err;
}

error_t cspace_configure(struct cspace *cspace, uint64_t max_caps)
{
#if HUMPY_PLANT_BUG == 6 /* planted bug 6: missing overflow check (truncation) */
	if ((uint32_t)max_caps > CSPACE_MAX_CAPS) {
#else
	if (max_caps > CSPACE_MAX_CAPS) {
#endif
		return ERROR_ARGUMENT_INVALID;
	}
	cspace->max_caps = (uint32_t)max_caps;
	return OK;
}

static error_t cspace_activate(struct object *obj)
{
	struct cspace *cspace = (struct cspace *)obj;
	struct partition_alloc_result mem;

	if (cspace->max_caps == 0U) {
		return ERROR_OBJECT_CONFIG;
	}
	mem = partition_alloc(obj->partition, (size_t)cspace->max_caps * sizeof(struct cap));
	if (mem.error != OK) {
		return mem.error;
	}
	cspace->slots = mem.ptr;
	cspace->count = 0U;
	cspace_draw_id_key(cspace);
	return OK;
}

/* Objects whose last cap goes here join *dead (object_put destroys them after this returns); none
 * of them can be this cspace (it is unreferenced). */
static void cspace_cleanup(struct object *obj, struct object **dead)
{
	struct cspace *cspace = (struct cspace *)obj;

	if (cspace->slots == NULL) {
		return;
	}
	for (uint32_t i = 0; i < cspace->max_caps; i++) {
		struct cap *cap = &cspace->slots[i];

		if (cap->state == CAP_STATE_VALID) {
			struct object *target = cap->obj;

			cap_unlink(cap);
			*cap = (struct cap){0};
			object_put_deferred(target, dead);
		}
	}
	partition_free(obj->partition, cspace->slots,
	               (size_t)cspace->max_caps * sizeof(struct cap));
	cspace->slots = NULL;
}

const struct obj_ops cspace_ops = {
    .size = sizeof(struct cspace),
    .all_rights = RIGHT_OBJECT_ACTIVATE | RIGHT_CSPACE_CAP_CREATE | RIGHT_CSPACE_CAP_DELETE |
                  RIGHT_CSPACE_CAP_COPY | RIGHT_CSPACE_ATTACH | RIGHT_CSPACE_CAP_REVOKE,
    .activate = cspace_activate,
    .cleanup = cspace_cleanup,
};

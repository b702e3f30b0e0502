/* cspace: a table of caps (object + rights) a guest names by obfuscated cap ID; lookup, copy,
 * delete, revoke. */
#ifndef CSPACE_H
#define CSPACE_H

#include <stdbool.h>
#include <stdint.h>

#include "object.h"

typedef uint64_t cap_id_t;

#define CAP_ID_INVALID ((cap_id_t)-1)

/* Largest max_caps cspace_configure accepts (spec limit cspace_max_caps). */
#define CSPACE_MAX_CAPS 1024U

enum cap_state {
	CAP_STATE_NULL = 0,
	CAP_STATE_VALID,
	CAP_STATE_REVOKED, /* still occupies its slot until deleted */
};

struct cspace;

struct cap {
	struct object *obj; /* NULL unless VALID */
	rights_t rights;
	enum cap_state state;
	enum obj_type type;
	bool is_master;
	/* Links in obj->caps (VALID caps only). */
	struct cap *obj_next;
	struct cap *obj_prev;
};

struct cspace {
	struct object hdr;
	uint32_t max_caps; /* set by cspace_configure while INIT */
	uint32_t count;    /* occupied slots (valid or revoked) */
	struct cap *slots; /* max_caps entries, allocated on activation */
	/* Visible ID = (index * id_mult) ^ id_base; see cspace.c. */
	uint64_t id_mult;
	uint64_t id_base;
};

/* What a lookup wants of the object besides type and rights. */
enum cap_want {
	CAP_WANT_ACTIVE, /* OBJECT_STATE unless ACTIVE */
	CAP_WANT_INIT,   /* OBJECT_STATE unless INIT */
	CAP_WANT_ANY,
};

struct cap_lookup_result {
	error_t error;
	struct object *obj; /* borrowed: valid while the caller holds the core lock */
};

struct cap_id_result {
	error_t error;
	cap_id_t id;
};

/*
 * The slot @id names in @cspace, or NULL when it does not decode (not an exact multiple, or past
 * max_caps; see cspace.c). Inline: every cap a hypercall names goes through it.
 */
static inline struct cap *cspace_slot_decode(const struct cspace *cspace, cap_id_t id)
{
	uint64_t r = id ^ cspace->id_base;
	uint64_t index;

	/* r >= 2^32 needs no test of its own: with id_mult <= 0xffff it divides to an index of at
	 * least 0x10001, past any max_caps. */
	_Static_assert(CSPACE_MAX_CAPS <= 0x10000U, "an ID of 2^32 or more decodes past max_caps");
	if (cspace->slots == NULL || r % cspace->id_mult != 0U) {
		return NULL;
	}
	index = r / cspace->id_mult;
#if HUMPY_PLANT_BUG == 2 /* planted bug 2: cap index off by one */
	if (index > cspace->max_caps) {
#else
	if (index >= cspace->max_caps) {
#endif
		return NULL;
	}
	return &cspace->slots[index];
}

/*
 * The error of a lookup of @cap (NULL: the ID did not decode) that did not pass cap_lookup's
 * test, found by the checks in their documented order (cap_lookup); OK and the object if it
 * passes after all. Cold: the compiler lays every inline lookup out with its good case straight
 * through.
 */
__attribute__((cold)) struct cap_lookup_result
cap_lookup_failed(const struct cap *cap, enum obj_type type, rights_t rights, enum cap_want want);

/*
 * Decode @id in @cspace and check it names a valid cap of @type (or OBJ_ANY) with all of @rights
 * and an object in the wanted state. Errors, in the order they are checked: ARGUMENT_INVALID (does
 * not decode), CSPACE_CAP_NULL, CSPACE_CAP_REVOKED, CSPACE_WRONG_OBJECT_TYPE,
 * CSPACE_INSUFFICIENT_RIGHTS, OBJECT_STATE.
 *
 * Inline, as one test of everything a good lookup needs (the arguments are constants at almost
 * every call site, so it folds to a few compares); only a lookup that fails pays for telling its
 * errors apart, out of line in cap_lookup_failed. The two agree by construction: the test is the
 * conjunction of the ordered checks, and cap_lookup_failed runs all of them again.
 */
static inline struct cap_lookup_result cap_lookup(const struct cspace *cspace, cap_id_t id,
                                                  enum obj_type type, rights_t rights,
                                                  enum cap_want want)
{
	const struct cap *cap = cspace_slot_decode(cspace, id);

	if (cap != NULL && cap->state == CAP_STATE_VALID &&
	    (type == OBJ_ANY || cap->type == type) && (cap->rights & rights) == rights &&
	    (want == CAP_WANT_ANY ||
	     cap->obj->state == (want == CAP_WANT_ACTIVE ? OBJ_STATE_ACTIVE : OBJ_STATE_INIT))) {
		return (struct cap_lookup_result){.error = OK, .obj = cap->obj};
	}
	return cap_lookup_failed(cap, type, rights, want);
}

/* True when cspace_insert_master would find a free slot. */
bool cspace_has_free_slot(const struct cspace *cspace);
/* Put the master cap of a new object (all rights) in a free slot; takes over the caller's
 * reference. */
cap_id_t cspace_insert_master(struct cspace *cspace, struct object *obj);

/* The cap operations behind the cspace_* hypercalls; each checks everything before it changes
 * anything. */
struct cap_id_result cspace_copy_cap(struct cspace *dest, const struct cspace *src, cap_id_t src_id,
                                     rights_t rights_mask);
error_t cspace_delete_cap(struct cspace *cspace, cap_id_t id);
error_t cspace_revoke_cap(struct cspace *cspace, cap_id_t id);
error_t cspace_revoke_caps(struct cspace *cspace, cap_id_t master_id);
/* While INIT: ARGUMENT_INVALID when max_caps > CSPACE_MAX_CAPS (0 is accepted; activation refuses
 * it). */
error_t cspace_configure(struct cspace *cspace, uint64_t max_caps);

/*
 * Cap ID obfuscation: each cspace draws its multiplier and base on activation from the generator of
 * the partition it was made from (partition_random); with HYP_CAP_ID_PLAIN defined, IDs are the
 * plain slot index. The ID of slot @index, and the slot @id names (NULL when it does not decode:
 * not an exact multiple, or past max_caps); the lookups above go through the latter.
 */
cap_id_t cspace_id_of(const struct cspace *cspace, uint32_t index);
struct cap *cspace_slot_of(const struct cspace *cspace, cap_id_t id);

extern const struct obj_ops cspace_ops;

#endif

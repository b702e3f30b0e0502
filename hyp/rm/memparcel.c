/* hyp/rm/memparcel.c: the memory parcel state machine behind MEM_SHARE, LEND, DONATE, APPEND,
 * ACCEPT, RELEASE, RECLAIM and NOTIFY (gunyah-abi.md §6). Every count and length comes from a VM
 * and is checked against the payload before it is used; a request is decoded and validated
 * completely before the first call into the hypervisor side, and a failing hypervisor step undoes
 * the steps before it, so a refused request leaves the parcel as it was. */
#include "memparcel.h"

#include "rm_abi.h"

#define ACL_ENTRY_SIZE  4U
#define SGL_ENTRY_SIZE  16U
#define ATTR_ENTRY_SIZE 4U
#define VMID_ENTRY_SIZE 4U
#define SECTION_HDR     4U /* each list starts with a count word */
#define CREATE_HDR      8U /* mem_type, res, flags, res, label */
#define ACCEPT_HDR      12U
#define HANDLE_REQ      8U  /* handle, flags, 3 reserved: RELEASE, RECLAIM, APPEND */
#define NOTIFY_HDR      12U /* handle, flags, 3 reserved, mem_info_tag */
#define CREATE_FLAGS    (RM_MEM_CREATE_SANITIZE | RM_MEM_CREATE_APPEND_FOLLOW)
#define ACCEPT_FLAGS                                                                               \
	(RM_MEM_ACCEPT_VALIDATE_SANITIZED | RM_MEM_ACCEPT_VALIDATE_ACL_ATTR |                      \
	 RM_MEM_ACCEPT_VALIDATE_LABEL | RM_MEM_ACCEPT_MAP_OTHER | RM_MEM_ACCEPT_MAP_CONTIGUOUS |   \
	 RM_MEM_ACCEPT_SANITIZE | RM_MEM_ACCEPT_DONE)

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | ((uint64_t)get32(p + 4) << 32);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

/* The three lists of a create or accept request, located and length-checked, not yet judged. */
struct mp_lists {
	uint32_t n_acl;
	const uint8_t *acl;
	uint32_t n_sgl;
	uint16_t sgl_word; /* the SGL count word's upper half: MEM_ACCEPT's map_vmid */
	const uint8_t *sgl;
	uint32_t n_attrs;
	const uint8_t *attrs;
};

/* A count word then count entries of entry_size, inside [*pos, len). */
static bool take_section(const uint8_t *req, size_t len, size_t *pos, uint32_t count,
                         uint32_t entry_size, const uint8_t **entries)
{
	if ((uint64_t)count * entry_size > len - *pos) {
		return false;
	}
	*entries = req + *pos;
	*pos += (size_t)count * entry_size;
	return true;
}

/* ACL (u32 count), SGL (u16 count, u16), attributes (u16 count, u16), ending exactly at len. */
static uint32_t parse_lists(const uint8_t *req, size_t len, size_t pos, struct mp_lists *l)
{
	if (len - pos < SECTION_HDR) {
		return RM_ERROR_MSG_INVALID;
	}
	l->n_acl = get32(req + pos);
	pos += SECTION_HDR;
	if (!take_section(req, len, &pos, l->n_acl, ACL_ENTRY_SIZE, &l->acl) ||
	    len - pos < SECTION_HDR) {
		return RM_ERROR_MSG_INVALID;
	}
	l->n_sgl = get16(req + pos);
	l->sgl_word = get16(req + pos + 2);
	pos += SECTION_HDR;
	if (!take_section(req, len, &pos, l->n_sgl, SGL_ENTRY_SIZE, &l->sgl) ||
	    len - pos < SECTION_HDR) {
		return RM_ERROR_MSG_INVALID;
	}
	l->n_attrs = get16(req + pos);
	pos += SECTION_HDR;
	if (!take_section(req, len, &pos, l->n_attrs, ATTR_ENTRY_SIZE, &l->attrs) || pos != len) {
		return RM_ERROR_MSG_INVALID;
	}
	return RM_OK;
}

static int parcel_index(const struct rm_mem *mem, uint32_t handle)
{
	for (unsigned i = 0; i < RM_MP_MAX_PARCELS; i++) {
		if (mem->parcels[i].is_used && mem->parcels[i].handle == handle) {
			return (int)i;
		}
	}
	return -1;
}

static struct rm_memparcel *find_parcel(struct rm_mem *mem, uint32_t handle)
{
	int i = parcel_index(mem, handle);
	return i < 0 ? NULL : &mem->parcels[i];
}

const struct rm_memparcel *rm_mem_lookup(const struct rm_mem *mem, uint32_t handle)
{
	int i = parcel_index(mem, handle);
	return i < 0 ? NULL : &mem->parcels[i];
}

static struct rm_mp_acl *find_acl(struct rm_memparcel *mp, uint16_t vmid)
{
	for (uint32_t i = 0; i < mp->n_acl; i++) {
		if (mp->acl[i].vmid == vmid) {
			return &mp->acl[i];
		}
	}
	return NULL;
}

static struct rm_mem_range range_of(const struct rm_memparcel *mp, uint32_t i)
{
	struct rm_mem_range r = {
	    .handle = mp->handle,
	    .index = (uint16_t)i,
	    .owner = mp->owner,
	    .mem_type = mp->mem_type,
	    .trans_type = mp->trans_type,
	    .owner_ipa = mp->sgl_ipa[i],
	    .size = mp->sgl_size[i],
	};
	return r;
}

void rm_mem_init(struct rm_mem *mem, const struct rm_mem_ops *ops, void *ctx)
{
	for (unsigned i = 0; i < RM_MP_MAX_PARCELS; i++) {
		mem->parcels[i].is_used = false;
	}
	mem->ops = ops;
	mem->ctx = ctx;
	mem->next_handle = 1;
}

/* A handle no live parcel has, never 0 or RM_MP_HANDLE_INVALID. */
static uint32_t new_handle(struct rm_mem *mem)
{
	for (;;) {
		uint32_t h = mem->next_handle++;
		if (h != 0 && h != RM_MP_HANDLE_INVALID && parcel_index(mem, h) < 0) {
			return h;
		}
	}
}

static bool ranges_overlap(uint64_t a, uint64_t a_size, uint64_t b, uint64_t b_size)
{
	return a < b + b_size && b < a + a_size;
}

/* Checks SGL entries [0, n) at sgl for a parcel of owner: page-aligned, non-empty, no wrap
 * (ARGUMENT_INVALID); not overlapping each other or any live parcel of the same owner, the one
 * being appended to included (MEM_INUSE). */
static uint32_t check_sgl(const struct rm_mem *mem, uint16_t owner, const uint8_t *sgl, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		uint64_t ipa = get64(sgl + SGL_ENTRY_SIZE * i);
		uint64_t size = get64(sgl + SGL_ENTRY_SIZE * i + 8);
		if (size == 0 || ipa % RM_MP_PAGE_SIZE != 0 || size % RM_MP_PAGE_SIZE != 0 ||
		    ipa + size < ipa) {
			return RM_ERROR_ARGUMENT_INVALID;
		}
		for (uint32_t j = 0; j < i; j++) {
			if (ranges_overlap(ipa, size, get64(sgl + SGL_ENTRY_SIZE * j),
			                   get64(sgl + SGL_ENTRY_SIZE * j + 8))) {
				return RM_ERROR_MEM_INUSE;
			}
		}
		for (unsigned p = 0; p < RM_MP_MAX_PARCELS; p++) {
			const struct rm_memparcel *other = &mem->parcels[p];
			if (!other->is_used || other->owner != owner) {
				continue;
			}
			for (uint32_t k = 0; k < other->n_sgl; k++) {
				if (ranges_overlap(ipa, size, other->sgl_ipa[k],
				                   other->sgl_size[k])) {
					return RM_ERROR_MEM_INUSE;
				}
			}
		}
	}
	return RM_OK;
}

static bool is_rights_valid(uint8_t rights)
{
	/* Readable: R, RX, RW, RWX (a mapping without read access is not offered). */
	return (rights & RM_MEM_RIGHT_R) != 0 && (rights & ~RM_MEM_RIGHT_RWX) == 0;
}

/* Takes ranges [first, mp->n_sgl) of mp from the owner: prepare each, unmap it from the owner for
 * LEND and DONATE, sanitize when asked. On a failure everything this call did is undone. */
static uint32_t take_ranges(struct rm_mem *mem, struct rm_memparcel *mp, uint32_t first,
                            bool is_sanitize)
{
	const struct rm_mem_ops *ops = mem->ops;
	bool is_unmapped = mp->trans_type != RM_TRANS_SHARE;
	uint32_t err = RM_OK;
	uint32_t i = first;
	uint32_t stage = 0; /* how far range i got: 1 prepared, 2 unmapped */

	for (; i < mp->n_sgl; i++) {
		struct rm_mem_range r = range_of(mp, i);
		stage = 0;
		err = ops->prepare(mem->ctx, &r);
		if (err != RM_OK) {
			break;
		}
		stage = 1;
		if (is_unmapped) {
			err = ops->owner_unmap(mem->ctx, &r);
			if (err != RM_OK) {
				break;
			}
			stage = 2;
		}
		if (is_sanitize) {
			err = ops->sanitize(mem->ctx, &r);
			if (err != RM_OK) {
				break;
			}
		}
	}
	if (err == RM_OK) {
		return RM_OK;
	}
	/* Undo range i as far as it got, then every whole range before it. */
	for (uint32_t j = i + 1; j-- > first;) {
		struct rm_mem_range r = range_of(mp, j);
		uint32_t reached = j == i ? stage : 2;
		if (reached >= 2 && is_unmapped) {
			(void)ops->owner_map(mem->ctx, &r);
		}
		if (reached >= 1) {
			ops->forget(mem->ctx, &r);
		}
	}
	return err;
}

uint32_t rm_mem_create(struct rm_mem *mem, uint8_t trans_type, uint16_t caller, const uint8_t *req,
                       size_t len, uint8_t *reply, size_t reply_cap, size_t *reply_len)
{
	struct mp_lists l;
	if (len < CREATE_HDR) {
		return RM_ERROR_MSG_INVALID;
	}
	uint32_t err = parse_lists(req, len, CREATE_HDR, &l);
	if (err != RM_OK) {
		return err;
	}
	uint8_t mem_type = req[0];
	uint8_t flags = req[2];
	uint32_t label = get32(req + 4);
	bool is_donate = trans_type == RM_TRANS_DONATE;

	if (mem_type > RM_MEM_TYPE_IO || (flags & ~CREATE_FLAGS) != 0 ||
	    ((flags & RM_MEM_CREATE_SANITIZE) != 0 && mem_type == RM_MEM_TYPE_IO) || l.n_acl == 0 ||
	    l.n_sgl == 0 || (is_donate && l.n_acl > 1)) {
		return RM_ERROR_ARGUMENT_INVALID;
	}
	/* A donation moves one range of normal memory. */
	if (is_donate && (l.n_sgl > 1 || mem_type != RM_MEM_TYPE_NORMAL)) {
		return RM_ERROR_DENIED;
	}
	if (l.n_acl > RM_MP_MAX_ACL || l.n_sgl > RM_MP_MAX_SGL || l.n_attrs > RM_MP_MAX_ATTRS) {
		return RM_ERROR_NOMEM;
	}
	struct rm_memparcel *mp = NULL;
	for (unsigned i = 0; i < RM_MP_MAX_PARCELS && mp == NULL; i++) {
		if (!mem->parcels[i].is_used) {
			mp = &mem->parcels[i];
		}
	}
	if (mp == NULL) {
		return RM_ERROR_NOMEM;
	}

	bool is_owner_listed = false;
	for (uint32_t i = 0; i < l.n_acl; i++) {
		uint16_t vmid = get16(l.acl + ACL_ENTRY_SIZE * i);
		uint8_t rights = l.acl[ACL_ENTRY_SIZE * i + 2];
		for (uint32_t j = 0; j < i; j++) {
			if (get16(l.acl + ACL_ENTRY_SIZE * j) == vmid) {
				return RM_ERROR_ARGUMENT_INVALID;
			}
		}
		if (!mem->ops->vm_exists(mem->ctx, vmid) || !is_rights_valid(rights) ||
		    (mem_type == RM_MEM_TYPE_IO && (rights & RM_MEM_RIGHT_X) != 0)) {
			return RM_ERROR_ARGUMENT_INVALID;
		}
		/* Donations go to or come from the primary VM, with every right. */
		if (is_donate && ((caller != RM_VMID_PRIMARY && vmid != RM_VMID_PRIMARY) ||
		                  rights != RM_MEM_RIGHT_RWX)) {
			return RM_ERROR_DENIED;
		}
		is_owner_listed = is_owner_listed || vmid == caller;
	}
	/* The owner is in the ACL of a share (with its own rights) and of nothing else. */
	if (is_owner_listed != (trans_type == RM_TRANS_SHARE)) {
		return RM_ERROR_ARGUMENT_INVALID;
	}
	for (uint32_t i = 0; i < l.n_attrs; i++) {
		uint16_t attr = get16(l.attrs + ATTR_ENTRY_SIZE * i);
		uint16_t vmid = get16(l.attrs + ATTR_ENTRY_SIZE * i + 2);
		for (uint32_t j = 0; j < i; j++) {
			if (get16(l.attrs + ATTR_ENTRY_SIZE * j + 2) == vmid) {
				return RM_ERROR_ARGUMENT_INVALID;
			}
		}
		if (attr > RM_MEM_ATTR_CACHED || (is_donate && attr != RM_MEM_ATTR_NORMAL)) {
			return RM_ERROR_ARGUMENT_INVALID;
		}
		bool is_listed = false;
		for (uint32_t j = 0; j < l.n_acl; j++) {
			is_listed = is_listed || get16(l.acl + ACL_ENTRY_SIZE * j) == vmid;
		}
		if (!is_listed) {
			return RM_ERROR_VMID_INVALID;
		}
	}
	err = check_sgl(mem, caller, l.sgl, l.n_sgl);
	if (err != RM_OK) {
		return err;
	}
	if (reply_cap < 4) {
		return RM_ERROR_NOMEM;
	}

	/* Decoded and valid: fill the parcel, then the hypervisor steps. */
	mp->handle = new_handle(mem);
	mp->owner = caller;
	mp->trans_type = trans_type;
	mp->mem_type = mem_type;
	mp->label = label;
	mp->is_appending = (flags & RM_MEM_CREATE_APPEND_FOLLOW) != 0;
	mp->is_sanitized = (flags & RM_MEM_CREATE_SANITIZE) != 0;
	mp->is_sanitize_on_reclaim = false;
	mp->has_tag = false;
	mp->mem_info_tag = 0;
	mp->n_accepted = 0;
	mp->n_acl = l.n_acl;
	mp->n_sgl = l.n_sgl;
	mp->n_attrs = l.n_attrs;
	for (uint32_t i = 0; i < l.n_acl; i++) {
		struct rm_mp_acl *a = &mp->acl[i];
		a->vmid = get16(l.acl + ACL_ENTRY_SIZE * i);
		a->rights = l.acl[ACL_ENTRY_SIZE * i + 2];
		a->attr = mem_type == RM_MEM_TYPE_IO ? RM_MEM_ATTR_DEVICE : RM_MEM_ATTR_NORMAL;
		a->is_accepted = false;
	}
	for (uint32_t i = 0; i < l.n_attrs; i++) {
		mp->attrs[i].attr = get16(l.attrs + ATTR_ENTRY_SIZE * i);
		mp->attrs[i].vmid = get16(l.attrs + ATTR_ENTRY_SIZE * i + 2);
		find_acl(mp, mp->attrs[i].vmid)->attr = (uint8_t)mp->attrs[i].attr;
	}
	for (uint32_t i = 0; i < l.n_sgl; i++) {
		mp->sgl_ipa[i] = get64(l.sgl + SGL_ENTRY_SIZE * i);
		mp->sgl_size[i] = get64(l.sgl + SGL_ENTRY_SIZE * i + 8);
	}
	err = take_ranges(mem, mp, 0, mp->is_sanitized);
	if (err != RM_OK) {
		return err;
	}
	mp->is_used = true;
	put32(reply, mp->handle);
	*reply_len = 4;
	return RM_OK;
}

uint32_t rm_mem_append(struct rm_mem *mem, uint16_t caller, const uint8_t *req, size_t len)
{
	if (len < HANDLE_REQ + SECTION_HDR) {
		return RM_ERROR_MSG_INVALID;
	}
	struct rm_memparcel *mp = find_parcel(mem, get32(req));
	uint8_t flags = req[4];
	uint32_t n = get16(req + HANDLE_REQ);
	const uint8_t *sgl = NULL;
	size_t pos = HANDLE_REQ + SECTION_HDR;
	if (!take_section(req, len, &pos, n, SGL_ENTRY_SIZE, &sgl) || pos != len) {
		return RM_ERROR_MSG_INVALID;
	}
	if (mp == NULL) {
		return RM_ERROR_HANDLE_INVALID;
	}
	if (caller != mp->owner) {
		return RM_ERROR_DENIED;
	}
	if (!mp->is_appending || (flags & ~RM_MEM_APPEND_LAST) != 0 ||
	    (n == 0 && (flags & RM_MEM_APPEND_LAST) == 0)) {
		return RM_ERROR_ARGUMENT_INVALID;
	}
	if (n > RM_MP_MAX_SGL - mp->n_sgl) {
		return RM_ERROR_NOMEM;
	}
	uint32_t err = check_sgl(mem, mp->owner, sgl, n);
	if (err != RM_OK) {
		return err;
	}
	uint32_t first = mp->n_sgl;
	for (uint32_t i = 0; i < n; i++) {
		mp->sgl_ipa[first + i] = get64(sgl + SGL_ENTRY_SIZE * i);
		mp->sgl_size[first + i] = get64(sgl + SGL_ENTRY_SIZE * i + 8);
	}
	mp->n_sgl = first + n;
	err = take_ranges(mem, mp, first, mp->is_sanitized);
	if (err != RM_OK) {
		mp->n_sgl = first;
		return err;
	}
	if ((flags & RM_MEM_APPEND_LAST) != 0) {
		mp->is_appending = false;
	}
	return RM_OK;
}

/* Unmaps ranges [0, n) of mp from borrower a. */
static void unmap_borrower(struct rm_mem *mem, struct rm_memparcel *mp, const struct rm_mp_acl *a,
                           uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		struct rm_mem_range r = range_of(mp, i);
		struct rm_mem_borrow b = {a->vmid, a->ipa[i], a->rights, a->attr};
		(void)mem->ops->borrower_unmap(mem->ctx, &r, &b);
	}
}

/* The parcel is over: every range forgotten, the slot free. */
static void delete_parcel(struct rm_mem *mem, struct rm_memparcel *mp)
{
	for (uint32_t i = 0; i < mp->n_sgl; i++) {
		struct rm_mem_range r = range_of(mp, i);
		mem->ops->forget(mem->ctx, &r);
	}
	mp->is_used = false;
}

/* MEM_ACCEPT's checks of the caller's copy of the ACL and attributes (VALIDATE_ACL_ATTR). */
static bool is_acl_attr_same(const struct rm_memparcel *mp, const struct mp_lists *l)
{
	if (l->n_acl != mp->n_acl || l->n_attrs != mp->n_attrs) {
		return false;
	}
	for (uint32_t i = 0; i < l->n_acl; i++) {
		if (get16(l->acl + ACL_ENTRY_SIZE * i) != mp->acl[i].vmid ||
		    l->acl[ACL_ENTRY_SIZE * i + 2] != mp->acl[i].rights) {
			return false;
		}
	}
	for (uint32_t i = 0; i < l->n_attrs; i++) {
		if (get16(l->attrs + ATTR_ENTRY_SIZE * i) != mp->attrs[i].attr ||
		    get16(l->attrs + ATTR_ENTRY_SIZE * i + 2) != mp->attrs[i].vmid) {
			return false;
		}
	}
	return true;
}

/* Where the borrower maps each range: from its SGL (same count and sizes as the parcel), one
 * contiguous range, or IPAs the RM picks. */
static uint32_t place_ranges(struct rm_mem *mem, const struct rm_memparcel *mp, uint16_t vmid,
                             const struct mp_lists *l, bool is_contiguous, uint64_t *ipa)
{
	uint64_t total = 0;
	for (uint32_t i = 0; i < mp->n_sgl; i++) {
		total += mp->sgl_size[i];
	}
	if (is_contiguous) {
		uint64_t base;
		if (l->n_sgl == 0) {
			if (mem->ops->alloc_ipa(mem->ctx, vmid, total, &base) != RM_OK) {
				return RM_ERROR_NORESOURCE;
			}
		} else if (l->n_sgl == 1 && get64(l->sgl + 8) == total &&
		           get64(l->sgl) % RM_MP_PAGE_SIZE == 0 && get64(l->sgl) + total > total) {
			base = get64(l->sgl);
		} else {
			return RM_ERROR_ARGUMENT_INVALID;
		}
		for (uint32_t i = 0; i < mp->n_sgl; i++) {
			ipa[i] = base;
			base += mp->sgl_size[i];
		}
		return RM_OK;
	}
	if (l->n_sgl == 0) {
		for (uint32_t i = 0; i < mp->n_sgl; i++) {
			if (mem->ops->alloc_ipa(mem->ctx, vmid, mp->sgl_size[i], &ipa[i]) !=
			    RM_OK) {
				return RM_ERROR_NORESOURCE;
			}
		}
		return RM_OK;
	}
	if (l->n_sgl != mp->n_sgl) {
		return RM_ERROR_ARGUMENT_INVALID;
	}
	for (uint32_t i = 0; i < mp->n_sgl; i++) {
		ipa[i] = get64(l->sgl + SGL_ENTRY_SIZE * i);
		uint64_t size = get64(l->sgl + SGL_ENTRY_SIZE * i + 8);
		if (size != mp->sgl_size[i] || ipa[i] % RM_MP_PAGE_SIZE != 0 ||
		    ipa[i] + size < ipa[i]) {
			return RM_ERROR_ARGUMENT_INVALID;
		}
	}
	return RM_OK;
}

uint32_t rm_mem_accept(struct rm_mem *mem, uint16_t caller, const uint8_t *req, size_t len,
                       uint8_t *reply, size_t reply_cap, size_t *reply_len)
{
	struct mp_lists l;
	if (len < ACCEPT_HDR) {
		return RM_ERROR_MSG_INVALID;
	}
	uint32_t err = parse_lists(req, len, ACCEPT_HDR, &l);
	if (err != RM_OK) {
		return err;
	}
	struct rm_memparcel *mp = find_parcel(mem, get32(req));
	uint8_t mem_type = req[4];
	uint8_t trans_type = req[5];
	uint8_t flags = req[6];
	uint32_t label = get32(req + 8);
	uint16_t map_vmid = l.sgl_word;

	if (mp == NULL) {
		return RM_ERROR_HANDLE_INVALID;
	}
	if (mem_type != mp->mem_type || trans_type != mp->trans_type ||
	    (flags & ~ACCEPT_FLAGS) != 0) {
		return RM_ERROR_ARGUMENT_INVALID;
	}
	/* Only whole parcels are accepted in one request, and only complete ones. */
	if ((flags & RM_MEM_ACCEPT_DONE) == 0 || mp->is_appending) {
		return RM_ERROR_DENIED;
	}
	if (((flags & RM_MEM_ACCEPT_VALIDATE_SANITIZED) != 0 && !mp->is_sanitized) ||
	    ((flags & RM_MEM_ACCEPT_VALIDATE_LABEL) != 0 && label != mp->label) ||
	    ((flags & RM_MEM_ACCEPT_VALIDATE_ACL_ATTR) != 0 && !is_acl_attr_same(mp, &l))) {
		return RM_ERROR_VALIDATE_FAILED;
	}
	/* A VM maps a parcel into itself only. */
	if ((flags & RM_MEM_ACCEPT_MAP_OTHER) != 0) {
		return RM_ERROR_DENIED;
	}
	bool is_contiguous = (flags & RM_MEM_ACCEPT_MAP_CONTIGUOUS) != 0;
	if (map_vmid != 0 || (is_contiguous && mp->mem_type != RM_MEM_TYPE_NORMAL)) {
		return RM_ERROR_ARGUMENT_INVALID;
	}
	struct rm_mp_acl *a = find_acl(mp, caller);
	if (a == NULL) {
		return RM_ERROR_VMID_INVALID;
	}
	bool is_sanitize = (flags & RM_MEM_ACCEPT_SANITIZE) != 0;
	if (is_sanitize && (mp->mem_type == RM_MEM_TYPE_IO || (a->rights & RM_MEM_RIGHT_W) == 0)) {
		return RM_ERROR_ARGUMENT_INVALID;
	}
	if (caller == mp->owner) {
		return RM_ERROR_DENIED;
	}
	if (a->is_accepted) {
		return RM_ERROR_MEM_INUSE;
	}
	bool is_sgl_reply = l.n_sgl == 0;
	size_t reply_size = 4 + (is_contiguous ? 1 : mp->n_sgl) * (size_t)SGL_ENTRY_SIZE;
	if (is_sgl_reply && reply_cap < reply_size) {
		return RM_ERROR_NOMEM;
	}
	uint64_t ipa[RM_MP_MAX_SGL];
	err = place_ranges(mem, mp, caller, &l, is_contiguous, ipa);
	if (err != RM_OK) {
		return err;
	}

	for (uint32_t i = 0; i < mp->n_sgl; i++) {
		a->ipa[i] = ipa[i];
		struct rm_mem_range r = range_of(mp, i);
		struct rm_mem_borrow b = {caller, ipa[i], a->rights, a->attr};
		err = mem->ops->borrower_map(mem->ctx, &r, &b);
		if (err != RM_OK) {
			unmap_borrower(mem, mp, a, i);
			return err;
		}
	}
	if (mp->trans_type == RM_TRANS_DONATE) {
		/* One range (create checked): the memory changes hands and the parcel ends. */
		struct rm_mem_range r = range_of(mp, 0);
		err = mem->ops->donate(mem->ctx, &r, caller);
		if (err != RM_OK) {
			unmap_borrower(mem, mp, a, mp->n_sgl);
			return err;
		}
	}
	if (is_sgl_reply) {
		uint32_t n = is_contiguous ? 1 : mp->n_sgl;
		put16(reply, (uint16_t)n);
		put16(reply + 2, 0);
		for (uint32_t i = 0; i < n; i++) {
			uint64_t size = mp->sgl_size[i];
			if (is_contiguous) {
				size = 0;
				for (uint32_t k = 0; k < mp->n_sgl; k++) {
					size += mp->sgl_size[k];
				}
			}
			put64(reply + 4 + SGL_ENTRY_SIZE * i, ipa[i]);
			put64(reply + 4 + SGL_ENTRY_SIZE * i + 8, size);
		}
		*reply_len = reply_size;
	} else {
		*reply_len = 0;
	}
	if (mp->trans_type == RM_TRANS_DONATE) {
		delete_parcel(mem, mp);
		return RM_OK;
	}
	a->is_accepted = true;
	mp->n_accepted++;
	if (is_sanitize) {
		mp->is_sanitize_on_reclaim = true;
	}
	return RM_OK;
}

uint32_t rm_mem_release(struct rm_mem *mem, uint16_t caller, const uint8_t *req, size_t len)
{
	if (len < HANDLE_REQ) {
		return RM_ERROR_MSG_INVALID;
	}
	struct rm_memparcel *mp = find_parcel(mem, get32(req));
	uint8_t flags = req[4];
	if (mp == NULL) {
		return RM_ERROR_HANDLE_INVALID;
	}
	struct rm_mp_acl *a = find_acl(mp, caller);
	if (a == NULL) {
		return RM_ERROR_HANDLE_INVALID;
	}
	if (caller == mp->owner) {
		return RM_ERROR_DENIED;
	}
	if (!a->is_accepted) {
		return RM_ERROR_MEM_RELEASED;
	}
	bool is_sanitize = (flags & RM_MEM_RELEASE_SANITIZE) != 0;
	if ((flags & ~RM_MEM_RELEASE_SANITIZE) != 0 ||
	    (is_sanitize &&
	     (mp->mem_type == RM_MEM_TYPE_IO || (a->rights & RM_MEM_RIGHT_W) == 0))) {
		return RM_ERROR_ARGUMENT_INVALID;
	}
	unmap_borrower(mem, mp, a, mp->n_sgl);
	a->is_accepted = false;
	mp->n_accepted--;
	if (is_sanitize) {
		mp->is_sanitize_on_reclaim = true;
	}
	return RM_OK;
}

uint32_t rm_mem_release_all(struct rm_mem *mem, uint16_t vmid)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < RM_MP_MAX_PARCELS; i++) {
		struct rm_memparcel *mp = &mem->parcels[i];
		struct rm_mp_acl *a = mp->is_used ? find_acl(mp, vmid) : NULL;
		if (a == NULL || !a->is_accepted) {
			continue;
		}
		unmap_borrower(mem, mp, a, mp->n_sgl);
		a->is_accepted = false;
		mp->n_accepted--;
		n++;
	}
	return n;
}

uint32_t rm_mem_reclaim(struct rm_mem *mem, uint16_t caller, const uint8_t *req, size_t len)
{
	if (len < HANDLE_REQ) {
		return RM_ERROR_MSG_INVALID;
	}
	struct rm_memparcel *mp = find_parcel(mem, get32(req));
	uint8_t flags = req[4];
	if (mp == NULL) {
		return RM_ERROR_HANDLE_INVALID;
	}
	if (caller != mp->owner) {
		return RM_ERROR_DENIED;
	}
	if (mp->n_accepted != 0) {
		return RM_ERROR_MEM_INUSE;
	}
	if ((flags & ~RM_MEM_RELEASE_SANITIZE) != 0 ||
	    ((flags & RM_MEM_RELEASE_SANITIZE) != 0 && mp->mem_type == RM_MEM_TYPE_IO)) {
		return RM_ERROR_ARGUMENT_INVALID;
	}
	bool is_sanitize = mp->is_sanitize_on_reclaim || (flags & RM_MEM_RELEASE_SANITIZE) != 0;
	for (uint32_t i = 0; i < mp->n_sgl; i++) {
		struct rm_mem_range r = range_of(mp, i);
		uint32_t err = is_sanitize ? mem->ops->sanitize(mem->ctx, &r) : RM_OK;
		if (err == RM_OK && mp->trans_type != RM_TRANS_SHARE) {
			err = mem->ops->owner_map(mem->ctx, &r);
		}
		if (err != RM_OK) {
			/* Back out of the ranges already returned: the parcel stays whole. */
			for (uint32_t j = 0; j < i && mp->trans_type != RM_TRANS_SHARE; j++) {
				struct rm_mem_range back = range_of(mp, j);
				(void)mem->ops->owner_unmap(mem->ctx, &back);
			}
			return err;
		}
	}
	delete_parcel(mem, mp);
	return RM_OK;
}

/* MEM_SHARED {handle, mem_type, trans_type, flags, res, owner, res, label, mem_info_tag, ACL
 * section, u16 count + u16 res + each range's u64 size, attribute section} to each listed VM. */
static uint32_t notify_shared(struct rm_mem *mem, struct rm_memparcel *mp, uint16_t caller,
                              const uint8_t *req, size_t len, uint32_t tag)
{
	if (caller != mp->owner) {
		return RM_ERROR_DENIED;
	}
	if (len < NOTIFY_HDR + SECTION_HDR) {
		return RM_ERROR_MSG_INVALID;
	}
	uint32_t n = get16(req + NOTIFY_HDR);
	const uint8_t *vmids = NULL;
	size_t pos = NOTIFY_HDR + SECTION_HDR;
	if (n == 0) {
		return RM_ERROR_ARGUMENT_INVALID;
	}
	if (!take_section(req, len, &pos, n, VMID_ENTRY_SIZE, &vmids)) {
		return RM_ERROR_MSG_INVALID;
	}
	if (n > mp->n_acl) {
		return RM_ERROR_ARGUMENT_INVALID;
	}
	for (uint32_t i = 0; i < n; i++) {
		uint16_t vmid = get16(vmids + VMID_ENTRY_SIZE * i);
		if (!mem->ops->vm_exists(mem->ctx, vmid)) {
			return RM_ERROR_VMID_INVALID;
		}
		if (find_acl(mp, vmid) == NULL) {
			return RM_ERROR_ARGUMENT_INVALID;
		}
	}
	if (!mp->has_tag) {
		mp->has_tag = true;
		mp->mem_info_tag = tag;
	}

	uint8_t msg[24 + RM_MP_MAX_ACL * ACL_ENTRY_SIZE + SECTION_HDR + RM_MP_MAX_SGL * 8 +
	            SECTION_HDR + RM_MP_MAX_ATTRS * ATTR_ENTRY_SIZE];
	size_t at = 0;
	put32(msg, mp->handle);
	msg[4] = mp->mem_type;
	msg[5] = mp->trans_type;
	msg[6] = mp->is_sanitized ? 1 : 0;
	msg[7] = 0;
	put16(msg + 8, mp->owner);
	put16(msg + 10, 0);
	put32(msg + 12, mp->label);
	put32(msg + 16, mp->mem_info_tag);
	put32(msg + 20, mp->n_acl);
	at = 24;
	for (uint32_t i = 0; i < mp->n_acl; i++, at += ACL_ENTRY_SIZE) {
		put16(msg + at, mp->acl[i].vmid);
		msg[at + 2] = mp->acl[i].rights;
		msg[at + 3] = 0;
	}
	put32(msg + at, mp->n_sgl);
	at += SECTION_HDR;
	for (uint32_t i = 0; i < mp->n_sgl; i++, at += 8) {
		put64(msg + at, mp->sgl_size[i]);
	}
	put32(msg + at, mp->n_attrs);
	at += SECTION_HDR;
	for (uint32_t i = 0; i < mp->n_attrs; i++, at += ATTR_ENTRY_SIZE) {
		put16(msg + at, mp->attrs[i].attr);
		put16(msg + at + 2, mp->attrs[i].vmid);
	}
	for (uint32_t i = 0; i < n; i++) {
		mem->ops->notify(mem->ctx, get16(vmids + VMID_ENTRY_SIZE * i), RM_NOTIFY_MEM_SHARED,
		                 msg, at);
	}
	return RM_OK;
}

uint32_t rm_mem_notify(struct rm_mem *mem, uint16_t caller, const uint8_t *req, size_t len)
{
	if (len < NOTIFY_HDR) {
		return RM_ERROR_MSG_INVALID;
	}
	struct rm_memparcel *mp = find_parcel(mem, get32(req));
	uint8_t flags = req[4];
	uint32_t tag = get32(req + 8);
	if (mp == NULL) {
		return RM_ERROR_HANDLE_INVALID;
	}
	if (mp->has_tag && tag != mp->mem_info_tag) {
		return RM_ERROR_ARGUMENT_INVALID;
	}
	if (mp->is_appending) {
		return RM_ERROR_DENIED;
	}
	if (flags == RM_MEM_NOTIFY_SHARED) {
		return notify_shared(mem, mp, caller, req, len, tag);
	}
	if (flags != RM_MEM_NOTIFY_RELEASED && flags != RM_MEM_NOTIFY_ACCEPTED) {
		return RM_ERROR_ARGUMENT_INVALID;
	}
	/* A borrower tells the owner it accepted or released: only what is true. */
	const struct rm_mp_acl *a = find_acl(mp, caller);
	if (a == NULL) {
		return RM_ERROR_HANDLE_INVALID;
	}
	bool is_accepted = flags == RM_MEM_NOTIFY_ACCEPTED;
	if (is_accepted != a->is_accepted) {
		return a->is_accepted ? RM_ERROR_MEM_INUSE : RM_ERROR_MEM_RELEASED;
	}
	uint8_t msg[12];
	put32(msg, mp->handle);
	put16(msg + 4, caller);
	put16(msg + 6, 0);
	put32(msg + 8, mp->mem_info_tag);
	mem->ops->notify(mem->ctx, mp->owner,
	                 is_accepted ? RM_NOTIFY_MEM_ACCEPTED : RM_NOTIFY_MEM_RELEASED, msg,
	                 sizeof(msg));
	return RM_OK;
}

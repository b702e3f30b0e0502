/* hyp/rm/test/test_memparcel.c: host test of the memory parcel decoder and state machine
 * (hyp/rm/memparcel.c) against a model of every VM's Stage-2: which owner pages the owner still
 * maps, and each borrower mapping. Every answer is an exact RM error code; every refused request
 * is checked to have left the model untouched. */
#include "memparcel.h"
#include "rm_abi.h"
#include "rmmem_check.h"
#include "rpc_handlers.h"

#include <string.h>

#define HLOS   3U
#define PEER   0x80U
#define PEER2  0x81U
#define NOBODY 0x90U /* a VMID no VM has */
#define PAGE   0x1000ULL
#define RAM    0x40000000ULL /* every VM's own RAM: [RAM, RAM + 1 GiB) */

/* The model. */
#define MAX_UNMAPPED 64
#define MAX_BORROWS  64
#define MAX_NOTES    16
struct borrow {
	uint16_t vmid;
	uint64_t ipa, size, owner_ipa;
	uint16_t owner;
	uint8_t rights;
};
struct note {
	uint16_t vmid;
	uint32_t id;
	size_t len;
	uint8_t bytes[256];
};
static struct {
	uint16_t unmapped_owner[MAX_UNMAPPED];
	uint64_t unmapped_page[MAX_UNMAPPED];
	unsigned n_unmapped;
	struct borrow borrows[MAX_BORROWS];
	unsigned n_borrows;
	unsigned prepared; /* ranges prepared and not yet forgotten */
	unsigned calls;    /* every op call that could change something */
	unsigned donated;
	unsigned sanitized;
	int fail_op_after; /* the next n changing calls succeed, then one fails (-1: never) */
	uint32_t fail_with;
	uint64_t next_ipa;
	struct note notes[MAX_NOTES];
	unsigned n_notes;
} model;

static struct rm_mem mem;

static uint32_t maybe_fail(void)
{
	model.calls++;
	if (model.fail_op_after == 0) {
		model.fail_op_after = -1;
		return model.fail_with;
	}
	if (model.fail_op_after > 0) {
		model.fail_op_after--;
	}
	return RM_OK;
}

static bool is_owner_unmapped(uint16_t vmid, uint64_t page)
{
	for (unsigned i = 0; i < model.n_unmapped; i++) {
		if (model.unmapped_owner[i] == vmid && model.unmapped_page[i] == page) {
			return true;
		}
	}
	return false;
}

/* Can vmid reach the page at ipa, and through which owner page? */
static bool can_access(uint16_t vmid, uint64_t ipa, uint64_t *owner_page)
{
	for (unsigned i = 0; i < model.n_borrows; i++) {
		const struct borrow *b = &model.borrows[i];
		if (b->vmid == vmid && ipa >= b->ipa && ipa < b->ipa + b->size) {
			*owner_page = b->owner_ipa + (ipa - b->ipa);
			return true;
		}
	}
	*owner_page = ipa;
	return ipa >= RAM && ipa < RAM + 0x40000000ULL &&
	       !is_owner_unmapped(vmid, ipa & ~(PAGE - 1));
}

static bool owner_sees(uint16_t vmid, uint64_t ipa)
{
	uint64_t page;
	return can_access(vmid, ipa, &page) && page == ipa;
}

static bool op_vm_exists(void *ctx, uint16_t vmid)
{
	(void)ctx;
	return vmid == HLOS || vmid == PEER || vmid == PEER2;
}

static uint32_t op_prepare(void *ctx, const struct rm_mem_range *r)
{
	(void)ctx;
	uint32_t err = maybe_fail();
	if (err == RM_OK) {
		/* Only the owner's own RAM can go into a parcel. */
		if (r->owner_ipa < RAM || r->owner_ipa + r->size > RAM + 0x40000000ULL) {
			return RM_ERROR_MEM_INVALID;
		}
		model.prepared++;
	}
	return err;
}

static void op_forget(void *ctx, const struct rm_mem_range *r)
{
	(void)ctx;
	(void)r;
	model.calls++;
	model.prepared--;
}

static uint32_t op_owner_unmap(void *ctx, const struct rm_mem_range *r)
{
	(void)ctx;
	uint32_t err = maybe_fail();
	if (err != RM_OK) {
		return err;
	}
	for (uint64_t p = r->owner_ipa; p < r->owner_ipa + r->size; p += PAGE) {
		if (is_owner_unmapped(r->owner, p) || model.n_unmapped == MAX_UNMAPPED) {
			return RM_ERROR_MEM_INVALID; /* the model's own invariant broke */
		}
		model.unmapped_owner[model.n_unmapped] = r->owner;
		model.unmapped_page[model.n_unmapped++] = p;
	}
	return RM_OK;
}

static uint32_t op_owner_map(void *ctx, const struct rm_mem_range *r)
{
	(void)ctx;
	uint32_t err = maybe_fail();
	if (err != RM_OK) {
		return err;
	}
	for (uint64_t p = r->owner_ipa; p < r->owner_ipa + r->size; p += PAGE) {
		bool found = false;
		for (unsigned i = 0; i < model.n_unmapped && !found; i++) {
			if (model.unmapped_owner[i] == r->owner && model.unmapped_page[i] == p) {
				model.n_unmapped--;
				model.unmapped_owner[i] = model.unmapped_owner[model.n_unmapped];
				model.unmapped_page[i] = model.unmapped_page[model.n_unmapped];
				found = true;
			}
		}
		if (!found) {
			return RM_ERROR_MEM_INVALID;
		}
	}
	return RM_OK;
}

static uint32_t op_borrower_map(void *ctx, const struct rm_mem_range *r,
                                const struct rm_mem_borrow *b)
{
	(void)ctx;
	uint32_t err = maybe_fail();
	if (err != RM_OK) {
		return err;
	}
	if (model.n_borrows == MAX_BORROWS) {
		return RM_ERROR_NOMEM;
	}
	model.borrows[model.n_borrows++] = (struct borrow){
	    b->vmid, b->ipa, r->size, r->owner_ipa, r->owner, b->rights,
	};
	return RM_OK;
}

static uint32_t op_borrower_unmap(void *ctx, const struct rm_mem_range *r,
                                  const struct rm_mem_borrow *b)
{
	(void)ctx;
	model.calls++;
	for (unsigned i = 0; i < model.n_borrows; i++) {
		struct borrow *m = &model.borrows[i];
		if (m->vmid == b->vmid && m->ipa == b->ipa && m->owner_ipa == r->owner_ipa) {
			model.borrows[i] = model.borrows[--model.n_borrows];
			return RM_OK;
		}
	}
	return RM_ERROR_ARGUMENT_INVALID;
}

static uint32_t op_donate(void *ctx, const struct rm_mem_range *r, uint16_t to)
{
	(void)ctx;
	(void)r;
	(void)to;
	uint32_t err = maybe_fail();
	if (err == RM_OK) {
		model.donated++;
	}
	return err;
}

static uint32_t op_sanitize(void *ctx, const struct rm_mem_range *r)
{
	(void)ctx;
	(void)r;
	uint32_t err = maybe_fail();
	if (err == RM_OK) {
		model.sanitized++;
	}
	return err;
}

static uint32_t op_alloc_ipa(void *ctx, uint16_t vmid, uint64_t size, uint64_t *ipa)
{
	(void)ctx;
	(void)vmid;
	*ipa = model.next_ipa;
	model.next_ipa += size;
	return RM_OK;
}

static void op_notify(void *ctx, uint16_t vmid, uint32_t id, const uint8_t *payload, size_t len)
{
	(void)ctx;
	if (model.n_notes < MAX_NOTES && len <= sizeof(model.notes[0].bytes)) {
		struct note *n = &model.notes[model.n_notes++];
		n->vmid = vmid;
		n->id = id;
		n->len = len;
		memcpy(n->bytes, payload, len);
	}
}

static const struct rm_mem_ops ops = {
    .vm_exists = op_vm_exists,
    .prepare = op_prepare,
    .forget = op_forget,
    .owner_unmap = op_owner_unmap,
    .owner_map = op_owner_map,
    .borrower_map = op_borrower_map,
    .borrower_unmap = op_borrower_unmap,
    .donate = op_donate,
    .sanitize = op_sanitize,
    .alloc_ipa = op_alloc_ipa,
    .notify = op_notify,
};

static void reset(void)
{
	memset(&model, 0, sizeof(model));
	model.fail_op_after = -1;
	model.next_ipa = 0xC0000000ULL;
	rm_mem_init(&mem, &ops, NULL);
}

/* Little request builder. */
struct req {
	uint8_t b[1024];
	size_t len;
};
static void u8(struct req *r, uint8_t v)
{
	r->b[r->len++] = v;
}
static void u16(struct req *r, uint16_t v)
{
	u8(r, (uint8_t)v);
	u8(r, (uint8_t)(v >> 8));
}
static void u32(struct req *r, uint32_t v)
{
	u16(r, (uint16_t)v);
	u16(r, (uint16_t)(v >> 16));
}
static void u64(struct req *r, uint64_t v)
{
	u32(r, (uint32_t)v);
	u32(r, (uint32_t)(v >> 32));
}

struct acl_e {
	uint16_t vmid;
	uint8_t rights;
};
struct sgl_e {
	uint64_t ipa, size;
};
struct attr_e {
	uint16_t attr, vmid;
};

static void lists(struct req *r, const struct acl_e *acl, unsigned n_acl, uint16_t sgl_word,
                  const struct sgl_e *sgl, unsigned n_sgl, const struct attr_e *attr,
                  unsigned n_attr)
{
	u32(r, n_acl);
	for (unsigned i = 0; i < n_acl; i++) {
		u16(r, acl[i].vmid);
		u8(r, acl[i].rights);
		u8(r, 0);
	}
	u16(r, (uint16_t)n_sgl);
	u16(r, sgl_word);
	for (unsigned i = 0; i < n_sgl; i++) {
		u64(r, sgl[i].ipa);
		u64(r, sgl[i].size);
	}
	u16(r, (uint16_t)n_attr);
	u16(r, 0);
	for (unsigned i = 0; i < n_attr; i++) {
		u16(r, attr[i].attr);
		u16(r, attr[i].vmid);
	}
}

static struct req create_req(uint8_t mem_type, uint8_t flags, uint32_t label,
                             const struct acl_e *acl, unsigned n_acl, const struct sgl_e *sgl,
                             unsigned n_sgl, const struct attr_e *attr, unsigned n_attr)
{
	struct req r = {.len = 0};
	u8(&r, mem_type);
	u8(&r, 0);
	u8(&r, flags);
	u8(&r, 0);
	u32(&r, label);
	lists(&r, acl, n_acl, 0, sgl, n_sgl, attr, n_attr);
	return r;
}

static struct req accept_req(uint32_t handle, uint8_t mem_type, uint8_t trans, uint8_t flags,
                             uint32_t label, const struct sgl_e *sgl, unsigned n_sgl)
{
	struct req r = {.len = 0};
	u32(&r, handle);
	u8(&r, mem_type);
	u8(&r, trans);
	u8(&r, flags);
	u8(&r, 0);
	u32(&r, label);
	lists(&r, NULL, 0, 0, sgl, n_sgl, NULL, 0);
	return r;
}

static struct req handle_req(uint32_t handle, uint8_t flags)
{
	struct req r = {.len = 0};
	u32(&r, handle);
	u8(&r, flags);
	u8(&r, 0);
	u8(&r, 0);
	u8(&r, 0);
	return r;
}

static uint8_t reply[512];
static size_t reply_len;

static uint32_t create(uint8_t trans, uint16_t caller, const struct req *r)
{
	reply_len = 0;
	return rm_mem_create(&mem, trans, caller, r->b, r->len, reply, sizeof(reply), &reply_len);
}

static uint32_t accept(uint16_t caller, const struct req *r)
{
	reply_len = 0;
	return rm_mem_accept(&mem, caller, r->b, r->len, reply, sizeof(reply), &reply_len);
}

static uint32_t reply_u32(size_t at)
{
	return (uint32_t)reply[at] | ((uint32_t)reply[at + 1] << 8) |
	       ((uint32_t)reply[at + 2] << 16) | ((uint32_t)reply[at + 3] << 24);
}

static uint64_t reply_u64(size_t at)
{
	return (uint64_t)reply_u32(at) | ((uint64_t)reply_u32(at + 4) << 32);
}

static const struct acl_e acl_peer_rw[] = {{PEER, 6}};
static const struct sgl_e one_page[] = {{RAM + 0x100000, PAGE}};

/* A lend of one HLOS page to a peer: the lender loses the page at once, the borrower reaches it
 * only between accept and release, reclaim while accepted is MEM_INUSE, and reclaim afterwards
 * gives it back to the lender and ends the handle. (Issue 11: a lent page left mapped.) */
static void test_lend_cycle(void)
{
	reset();
	struct req r = create_req(0, 0, 0x1234, acl_peer_rw, 1, one_page, 1, NULL, 0);
	CHECK(owner_sees(HLOS, RAM + 0x100000));
	CHECK_EQ(create(RM_TRANS_LEND, HLOS, &r), RM_OK);
	CHECK_EQ(reply_len, 4);
	uint32_t h = reply_u32(0);
	CHECK_EQ(h, 1);
	CHECK(!owner_sees(HLOS, RAM + 0x100000));
	CHECK(owner_sees(HLOS, RAM + 0x100000 - PAGE)); /* only the lent page */
	CHECK(owner_sees(HLOS, RAM + 0x100000 + PAGE));
	uint64_t page;
	CHECK(!can_access(PEER, 0x90000000ULL, &page));

	const struct sgl_e at[] = {{0x90000000ULL, PAGE}};
	struct req a = accept_req(h, 0, RM_TRANS_LEND, RM_MEM_ACCEPT_DONE, 0, at, 1);
	CHECK_EQ(accept(PEER, &a), RM_OK);
	CHECK_EQ(reply_len, 0);
	CHECK(can_access(PEER, 0x90000000ULL, &page));
	CHECK_EQ(page, RAM + 0x100000);
	CHECK(!owner_sees(HLOS, RAM + 0x100000));
	CHECK_EQ(accept(PEER, &a), RM_ERROR_MEM_INUSE); /* double accept */

	struct req rc = handle_req(h, 0);
	CHECK_EQ(rm_mem_reclaim(&mem, HLOS, rc.b, rc.len), RM_ERROR_MEM_INUSE);
	CHECK_EQ(rm_mem_reclaim(&mem, PEER, rc.b, rc.len), RM_ERROR_DENIED);
	/* Neither the lender nor a VM outside the ACL is a borrower. */
	CHECK_EQ(rm_mem_release(&mem, HLOS, rc.b, rc.len), RM_ERROR_HANDLE_INVALID);
	CHECK_EQ(rm_mem_release(&mem, PEER2, rc.b, rc.len), RM_ERROR_HANDLE_INVALID);
	CHECK_EQ(rm_mem_release(&mem, PEER, rc.b, rc.len), RM_OK);
	CHECK(!can_access(PEER, 0x90000000ULL, &page));
	CHECK(!owner_sees(HLOS, RAM + 0x100000));
	CHECK_EQ(rm_mem_release(&mem, PEER, rc.b, rc.len), RM_ERROR_MEM_RELEASED);
	CHECK_EQ(rm_mem_reclaim(&mem, HLOS, rc.b, rc.len), RM_OK);
	CHECK(owner_sees(HLOS, RAM + 0x100000));
	CHECK_EQ(model.prepared, 0);
	CHECK_EQ(model.n_unmapped, 0);
	CHECK_EQ(model.n_borrows, 0);
	CHECK(rm_mem_lookup(&mem, h) == NULL);
	CHECK_EQ(rm_mem_reclaim(&mem, HLOS, rc.b, rc.len), RM_ERROR_HANDLE_INVALID);
	CHECK_EQ(accept(PEER, &a), RM_ERROR_HANDLE_INVALID);
	/* Handles are not reused. */
	CHECK_EQ(create(RM_TRANS_LEND, HLOS, &r), RM_OK);
	CHECK_EQ(reply_u32(0), 2);
}

/* A share keeps the owner's mapping all along; the owner is in the ACL and cannot accept. */
static void test_share_cycle(void)
{
	reset();
	const struct acl_e acl[] = {{HLOS, 7}, {PEER, 4}};
	struct req r = create_req(0, 0, 7, acl, 2, one_page, 1, NULL, 0);
	CHECK_EQ(create(RM_TRANS_SHARE, HLOS, &r), RM_OK);
	uint32_t h = reply_u32(0);
	CHECK(owner_sees(HLOS, RAM + 0x100000));
	CHECK_EQ(model.n_unmapped, 0);
	/* No SGL: the RM picks the IPA and says where. */
	struct req a = accept_req(h, 0, RM_TRANS_SHARE, RM_MEM_ACCEPT_DONE, 0, NULL, 0);
	CHECK_EQ(accept(HLOS, &a), RM_ERROR_DENIED);
	CHECK_EQ(accept(PEER, &a), RM_OK);
	CHECK_EQ(reply_len, 4 + 16);
	CHECK_EQ(reply_u32(0), 1); /* count 1, reserved 0 */
	CHECK_EQ(reply_u64(4), 0xC0000000ULL);
	CHECK_EQ(reply_u64(12), PAGE);
	uint64_t page;
	CHECK(can_access(PEER, 0xC0000000ULL, &page));
	CHECK_EQ(page, RAM + 0x100000);
	CHECK_EQ(model.borrows[0].rights, 4);
	CHECK(owner_sees(HLOS, RAM + 0x100000));
	struct req rc = handle_req(h, 0);
	CHECK_EQ(rm_mem_release(&mem, HLOS, rc.b, rc.len), RM_ERROR_DENIED); /* in its ACL */
	CHECK_EQ(rm_mem_release(&mem, PEER, rc.b, rc.len), RM_OK);
	CHECK_EQ(rm_mem_reclaim(&mem, HLOS, rc.b, rc.len), RM_OK);
	CHECK(owner_sees(HLOS, RAM + 0x100000));
	CHECK_EQ(model.prepared, 0);
}

/* VM_RESET's release of everything a VM holds (rm_mem_release_all): a lend and a share accepted by
 * PEER are both released and unmapped from it; PEER2's hold of the share stays (the owner still
 * cannot reclaim it) until its own release_all; the owner then reclaims both; nothing is left. */
static void test_release_all(void)
{
	reset();
	const struct acl_e share_acl[] = {{HLOS, 7}, {PEER, 6}, {PEER2, 4}};
	const struct sgl_e share_page[] = {{RAM + 0x200000, PAGE}};
	struct req lend = create_req(0, 0, 0, acl_peer_rw, 1, one_page, 1, NULL, 0);
	struct req share = create_req(0, 0, 0, share_acl, 3, share_page, 1, NULL, 0);
	uint64_t page;

	CHECK_EQ(create(RM_TRANS_LEND, HLOS, &lend), RM_OK);
	uint32_t hl = reply_u32(0);
	CHECK_EQ(create(RM_TRANS_SHARE, HLOS, &share), RM_OK);
	uint32_t hs = reply_u32(0);
	const struct sgl_e at_l[] = {{0x90000000ULL, PAGE}};
	const struct sgl_e at_s[] = {{0x90100000ULL, PAGE}};
	struct req al = accept_req(hl, 0, RM_TRANS_LEND, RM_MEM_ACCEPT_DONE, 0, at_l, 1);
	struct req as = accept_req(hs, 0, RM_TRANS_SHARE, RM_MEM_ACCEPT_DONE, 0, at_s, 1);
	CHECK_EQ(accept(PEER, &al), RM_OK);
	CHECK_EQ(accept(PEER, &as), RM_OK);
	CHECK_EQ(accept(PEER2, &as), RM_OK);
	CHECK(can_access(PEER, 0x90000000ULL, &page));
	CHECK(can_access(PEER, 0x90100000ULL, &page));

	CHECK_EQ(rm_mem_release_all(&mem, PEER), 2);
	CHECK(!can_access(PEER, 0x90000000ULL, &page));
	CHECK(!can_access(PEER, 0x90100000ULL, &page));
	CHECK(can_access(PEER2, 0x90100000ULL, &page));
	CHECK_EQ(rm_mem_release_all(&mem, PEER), 0);
	struct req rl = handle_req(hl, 0), rs = handle_req(hs, 0);
	CHECK_EQ(rm_mem_reclaim(&mem, HLOS, rl.b, rl.len), RM_OK);
	CHECK(owner_sees(HLOS, RAM + 0x100000));
	CHECK_EQ(rm_mem_reclaim(&mem, HLOS, rs.b, rs.len), RM_ERROR_MEM_INUSE);
	CHECK_EQ(rm_mem_release_all(&mem, PEER2), 1);
	CHECK(!can_access(PEER2, 0x90100000ULL, &page));
	CHECK_EQ(rm_mem_reclaim(&mem, HLOS, rs.b, rs.len), RM_OK);
	CHECK_EQ(model.prepared, 0);
	CHECK_EQ(model.n_borrows, 0);
}

/* A donation: one range, one VM, RWX; accept hands it over and ends the parcel. */
static void test_donate(void)
{
	reset();
	const struct acl_e rwx[] = {{PEER, 7}};
	struct req r = create_req(0, 0, 0, rwx, 1, one_page, 1, NULL, 0);
	CHECK_EQ(create(RM_TRANS_DONATE, HLOS, &r), RM_OK);
	uint32_t h = reply_u32(0);
	CHECK(!owner_sees(HLOS, RAM + 0x100000));
	const struct sgl_e at[] = {{0x90000000ULL, PAGE}};
	struct req a = accept_req(h, 0, RM_TRANS_DONATE, RM_MEM_ACCEPT_DONE, 0, at, 1);
	CHECK_EQ(accept(PEER, &a), RM_OK);
	CHECK_EQ(model.donated, 1);
	uint64_t page;
	CHECK(can_access(PEER, 0x90000000ULL, &page));
	CHECK(!owner_sees(HLOS, RAM + 0x100000));
	CHECK(rm_mem_lookup(&mem, h) == NULL);
	struct req rc = handle_req(h, 0);
	CHECK_EQ(rm_mem_reclaim(&mem, HLOS, rc.b, rc.len), RM_ERROR_HANDLE_INVALID);

	/* What a donation may not be. */
	const struct acl_e two[] = {{PEER, 7}, {PEER2, 7}};
	const struct acl_e rw[] = {{PEER, 6}};
	const struct sgl_e pages[] = {{RAM + 0x200000, PAGE}, {RAM + 0x300000, PAGE}};
	const struct attr_e dev[] = {{RM_MEM_ATTR_DEVICE, PEER}};
	struct req bad = create_req(0, 0, 0, two, 2, one_page, 1, NULL, 0);
	CHECK_EQ(create(RM_TRANS_DONATE, HLOS, &bad), RM_ERROR_ARGUMENT_INVALID);
	bad = create_req(0, 0, 0, rwx, 1, pages, 2, NULL, 0);
	CHECK_EQ(create(RM_TRANS_DONATE, HLOS, &bad), RM_ERROR_DENIED);
	bad = create_req(1, 0, 0, rwx, 1, pages, 1, NULL, 0);
	CHECK_EQ(create(RM_TRANS_DONATE, HLOS, &bad), RM_ERROR_DENIED);
	bad = create_req(0, 0, 0, rw, 1, pages, 1, NULL, 0);
	CHECK_EQ(create(RM_TRANS_DONATE, HLOS, &bad), RM_ERROR_DENIED);
	bad = create_req(0, 0, 0, rwx, 1, pages, 1, dev, 1);
	CHECK_EQ(create(RM_TRANS_DONATE, HLOS, &bad), RM_ERROR_ARGUMENT_INVALID);
	const struct acl_e to_peer2[] = {{PEER2, 7}};
	bad = create_req(0, 0, 0, to_peer2, 1, pages, 1, NULL, 0);
	CHECK_EQ(create(RM_TRANS_DONATE, PEER, &bad), RM_ERROR_DENIED); /* neither is the HLOS */
}

/* Every length short of a valid request, and one byte more, is MSG_INVALID; none touches the
 * model. */
static void test_create_lengths(void)
{
	reset();
	const struct acl_e acl[] = {{PEER, 6}, {PEER2, 4}};
	const struct sgl_e sgl[] = {{RAM, PAGE}, {RAM + 4 * PAGE, 2 * PAGE}};
	const struct attr_e attr[] = {{RM_MEM_ATTR_CACHED, PEER2}};
	struct req r = create_req(0, 0, 0, acl, 2, sgl, 2, attr, 1);
	unsigned wrong = 0;
	for (size_t len = 0; len < r.len; len++) {
		wrong += rm_mem_create(&mem, RM_TRANS_LEND, HLOS, r.b, len, reply, sizeof(reply),
		                       &reply_len) != RM_ERROR_MSG_INVALID;
	}
	CHECK_EQ(wrong, 0);
	r.b[r.len] = 0;
	CHECK_EQ(rm_mem_create(&mem, RM_TRANS_LEND, HLOS, r.b, r.len + 1, reply, sizeof(reply),
	                       &reply_len),
	         RM_ERROR_MSG_INVALID);
	/* Counts that disagree with the bytes: ACL count 3 (its high half set), SGL count 3. */
	struct req c = r;
	c.b[8] = 3;
	CHECK_EQ(create(RM_TRANS_LEND, HLOS, &c), RM_ERROR_MSG_INVALID);
	c = r;
	c.b[11] = 1;
	CHECK_EQ(create(RM_TRANS_LEND, HLOS, &c), RM_ERROR_MSG_INVALID);
	c = r;
	c.b[20] = 3;
	CHECK_EQ(create(RM_TRANS_LEND, HLOS, &c), RM_ERROR_MSG_INVALID);
	CHECK_EQ(model.calls, 0);
	CHECK_EQ(create(RM_TRANS_LEND, HLOS, &r), RM_OK);
	CHECK_EQ(model.prepared, 2);
	CHECK_EQ(model.n_unmapped, 3);
	/* The attribute reached the ACL entry it names. */
	const struct rm_memparcel *mp = rm_mem_lookup(&mem, reply_u32(0));
	CHECK(mp != NULL);
	if (mp != NULL) {
		CHECK_EQ(mp->acl[1].attr, RM_MEM_ATTR_CACHED);
		CHECK_EQ(mp->acl[0].attr, RM_MEM_ATTR_NORMAL);
	}
}

/* One invalid field at a time, each with its code and without a hypervisor call. */
static void test_create_fields(void)
{
	reset();
	const struct acl_e peer[] = {{PEER, 6}};
	const struct acl_e dup[] = {{PEER, 6}, {PEER, 4}};
	const struct acl_e nobody[] = {{NOBODY, 6}};
	const struct acl_e w_only[] = {{PEER, 2}};
	const struct acl_e none[] = {{PEER, 0}};
	const struct acl_e rwx[] = {{PEER, 7}};
	const struct acl_e high[] = {{PEER, 0xE}};
	const struct acl_e with_owner[] = {{PEER, 6}, {HLOS, 7}};
	const struct attr_e attr_other[] = {{RM_MEM_ATTR_NORMAL, PEER2}};
	const struct attr_e attr_bad[] = {{4, PEER}};
	const struct attr_e attr_dup[] = {{0, PEER}, {1, PEER}};
	const struct sgl_e unaligned[] = {{RAM + 0x10, PAGE}};
	const struct sgl_e odd_size[] = {{RAM, PAGE + 1}};
	const struct sgl_e empty[] = {{RAM, 0}};
	const struct sgl_e wrap[] = {{0xFFFFFFFFFFFFF000ULL, 2 * PAGE}};
	const struct sgl_e overlap[] = {{RAM, 2 * PAGE}, {RAM + PAGE, PAGE}};
	struct {
		const char *what;
		uint8_t trans, mem_type, flags;
		const struct acl_e *acl;
		unsigned n_acl;
		const struct sgl_e *sgl;
		unsigned n_sgl;
		const struct attr_e *attr;
		unsigned n_attr;
		uint32_t want;
	} cases[] = {
	    {"no ACL", RM_TRANS_LEND, 0, 0, peer, 0, one_page, 1, NULL, 0,
	     RM_ERROR_ARGUMENT_INVALID},
	    {"no SGL", RM_TRANS_LEND, 0, 0, peer, 1, one_page, 0, NULL, 0,
	     RM_ERROR_ARGUMENT_INVALID},
	    {"duplicate VMID", RM_TRANS_LEND, 0, 0, dup, 2, one_page, 1, NULL, 0,
	     RM_ERROR_ARGUMENT_INVALID},
	    {"unknown VMID", RM_TRANS_LEND, 0, 0, nobody, 1, one_page, 1, NULL, 0,
	     RM_ERROR_ARGUMENT_INVALID},
	    {"rights W", RM_TRANS_LEND, 0, 0, w_only, 1, one_page, 1, NULL, 0,
	     RM_ERROR_ARGUMENT_INVALID},
	    {"rights 0", RM_TRANS_LEND, 0, 0, none, 1, one_page, 1, NULL, 0,
	     RM_ERROR_ARGUMENT_INVALID},
	    {"rights bit 3", RM_TRANS_LEND, 0, 0, high, 1, one_page, 1, NULL, 0,
	     RM_ERROR_ARGUMENT_INVALID},
	    {"IO with X", RM_TRANS_LEND, 1, 0, rwx, 1, one_page, 1, NULL, 0,
	     RM_ERROR_ARGUMENT_INVALID},
	    {"mem_type 2", RM_TRANS_LEND, 2, 0, peer, 1, one_page, 1, NULL, 0,
	     RM_ERROR_ARGUMENT_INVALID},
	    {"flag bit 2", RM_TRANS_LEND, 0, 4, peer, 1, one_page, 1, NULL, 0,
	     RM_ERROR_ARGUMENT_INVALID},
	    {"sanitize IO", RM_TRANS_LEND, 1, 1, peer, 1, one_page, 1, NULL, 0,
	     RM_ERROR_ARGUMENT_INVALID},
	    {"owner in a lend's ACL", RM_TRANS_LEND, 0, 0, with_owner, 2, one_page, 1, NULL, 0,
	     RM_ERROR_ARGUMENT_INVALID},
	    {"owner missing from a share's ACL", RM_TRANS_SHARE, 0, 0, peer, 1, one_page, 1, NULL,
	     0, RM_ERROR_ARGUMENT_INVALID},
	    {"attr for a VM not in the ACL", RM_TRANS_LEND, 0, 0, peer, 1, one_page, 1, attr_other,
	     1, RM_ERROR_VMID_INVALID},
	    {"attr 4", RM_TRANS_LEND, 0, 0, peer, 1, one_page, 1, attr_bad, 1,
	     RM_ERROR_ARGUMENT_INVALID},
	    {"attr VMID twice", RM_TRANS_LEND, 0, 0, peer, 1, one_page, 1, attr_dup, 2,
	     RM_ERROR_ARGUMENT_INVALID},
	    {"unaligned IPA", RM_TRANS_LEND, 0, 0, peer, 1, unaligned, 1, NULL, 0,
	     RM_ERROR_ARGUMENT_INVALID},
	    {"unaligned size", RM_TRANS_LEND, 0, 0, peer, 1, odd_size, 1, NULL, 0,
	     RM_ERROR_ARGUMENT_INVALID},
	    {"size 0", RM_TRANS_LEND, 0, 0, peer, 1, empty, 1, NULL, 0, RM_ERROR_ARGUMENT_INVALID},
	    {"range wraps", RM_TRANS_LEND, 0, 0, peer, 1, wrap, 1, NULL, 0,
	     RM_ERROR_ARGUMENT_INVALID},
	    {"ranges overlap", RM_TRANS_LEND, 0, 0, peer, 1, overlap, 2, NULL, 0,
	     RM_ERROR_MEM_INUSE},
	};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct req r =
		    create_req(cases[i].mem_type, cases[i].flags, 0, cases[i].acl, cases[i].n_acl,
		               cases[i].sgl, cases[i].n_sgl, cases[i].attr, cases[i].n_attr);
		uint32_t got = create(cases[i].trans, HLOS, &r);
		if (got != cases[i].want) {
			printf("  case: %s\n", cases[i].what);
		}
		CHECK_EQ(got, cases[i].want);
	}
	CHECK_EQ(model.calls, 0);

	/* A range already in a parcel of the same owner. */
	struct req r = create_req(0, 0, 0, peer, 1, one_page, 1, NULL, 0);
	CHECK_EQ(create(RM_TRANS_LEND, HLOS, &r), RM_OK);
	unsigned calls = model.calls;
	CHECK_EQ(create(RM_TRANS_LEND, HLOS, &r), RM_ERROR_MEM_INUSE);
	const struct acl_e share_acl[] = {{HLOS, 7}, {PEER, 6}};
	struct req s = create_req(0, 0, 0, share_acl, 2, one_page, 1, NULL, 0);
	CHECK_EQ(create(RM_TRANS_SHARE, HLOS, &s), RM_ERROR_MEM_INUSE);
	CHECK_EQ(model.calls, calls);
	/* Memory that is not the owner's: the hypervisor side refuses, nothing stays behind. */
	const struct sgl_e not_ram[] = {{0x09000000ULL, PAGE}};
	struct req io = create_req(0, 0, 0, peer, 1, not_ram, 1, NULL, 0);
	CHECK_EQ(create(RM_TRANS_LEND, HLOS, &io), RM_ERROR_MEM_INVALID);
	CHECK_EQ(model.prepared, 1);
	/* The table fills at RM_MP_MAX_PARCELS. */
	for (unsigned i = 1; i < RM_MP_MAX_PARCELS; i++) {
		const struct sgl_e pg[] = {{RAM + 0x1000000 + i * PAGE, PAGE}};
		struct req p = create_req(0, 0, 0, peer, 1, pg, 1, NULL, 0);
		CHECK_EQ(create(RM_TRANS_LEND, HLOS, &p), RM_OK);
	}
	const struct sgl_e last[] = {{RAM + 0x2000000, PAGE}};
	struct req full = create_req(0, 0, 0, peer, 1, last, 1, NULL, 0);
	CHECK_EQ(create(RM_TRANS_LEND, HLOS, &full), RM_ERROR_NOMEM);
}

/* A hypervisor step failing half-way: everything done before it is undone. */
static void test_rollback(void)
{
	reset();
	const struct sgl_e three[] = {{RAM, PAGE}, {RAM + 2 * PAGE, PAGE}, {RAM + 4 * PAGE, PAGE}};
	/* prepare 0, unmap 0, prepare 1, unmap 1, prepare 2: the unmap of range 2 fails. */
	model.fail_op_after = 5;
	model.fail_with = RM_ERROR_MEM_INVALID;
	struct req r = create_req(0, 0, 0, acl_peer_rw, 1, three, 3, NULL, 0);
	CHECK_EQ(create(RM_TRANS_LEND, HLOS, &r), RM_ERROR_MEM_INVALID);
	CHECK_EQ(model.prepared, 0);
	CHECK_EQ(model.n_unmapped, 0);
	CHECK(owner_sees(HLOS, RAM));
	CHECK(rm_mem_lookup(&mem, 1) == NULL);

	CHECK_EQ(create(RM_TRANS_LEND, HLOS, &r), RM_OK);
	uint32_t h = reply_u32(0);
	/* The borrower's second map fails: the first is undone, the VM has not accepted. */
	model.fail_op_after = 1;
	model.fail_with = RM_ERROR_MAP_FAILED;
	struct req a = accept_req(h, 0, RM_TRANS_LEND, RM_MEM_ACCEPT_DONE, 0, NULL, 0);
	CHECK_EQ(accept(PEER, &a), RM_ERROR_MAP_FAILED);
	CHECK_EQ(model.n_borrows, 0);
	CHECK_EQ(rm_mem_lookup(&mem, h)->n_accepted, 0);
	CHECK_EQ(accept(PEER, &a), RM_OK);
	CHECK_EQ(model.n_borrows, 3);
	/* Reclaim after release: the second owner map fails, the first is undone, the parcel
	 * stays. */
	struct req rc = handle_req(h, 0);
	CHECK_EQ(rm_mem_release(&mem, PEER, rc.b, rc.len), RM_OK);
	model.fail_op_after = 1;
	model.fail_with = RM_ERROR_MAP_FAILED;
	CHECK_EQ(rm_mem_reclaim(&mem, HLOS, rc.b, rc.len), RM_ERROR_MAP_FAILED);
	CHECK_EQ(model.n_unmapped, 3);
	CHECK(rm_mem_lookup(&mem, h) != NULL);
	CHECK_EQ(rm_mem_reclaim(&mem, HLOS, rc.b, rc.len), RM_OK);
	CHECK_EQ(model.n_unmapped, 0);
}

/* MEM_ACCEPT's checks, in order, each with its code. */
static void test_accept_fields(void)
{
	reset();
	const struct acl_e acl[] = {{PEER, 6}, {PEER2, 4}};
	const struct sgl_e two[] = {{RAM, PAGE}, {RAM + 8 * PAGE, 2 * PAGE}};
	struct req r = create_req(0, 0, 0x55, acl, 2, two, 2, NULL, 0);
	CHECK_EQ(create(RM_TRANS_LEND, HLOS, &r), RM_OK);
	uint32_t h = reply_u32(0);
	const uint8_t done = RM_MEM_ACCEPT_DONE;
	const struct sgl_e at[] = {{0x90000000ULL, PAGE}, {0x90010000ULL, 2 * PAGE}};
	const struct sgl_e at_bad_size[] = {{0x90000000ULL, PAGE}, {0x90010000ULL, PAGE}};
	const struct sgl_e at_one[] = {{0x90000000ULL, 3 * PAGE}};
	struct req a;
	unsigned calls = model.calls;

	a = accept_req(h + 1, 0, RM_TRANS_LEND, done, 0, at, 2);
	CHECK_EQ(accept(PEER, &a), RM_ERROR_HANDLE_INVALID);
	a = accept_req(h, 0, RM_TRANS_SHARE, done, 0, at, 2);
	CHECK_EQ(accept(PEER, &a), RM_ERROR_ARGUMENT_INVALID);
	a = accept_req(h, 1, RM_TRANS_LEND, done, 0, at, 2);
	CHECK_EQ(accept(PEER, &a), RM_ERROR_ARGUMENT_INVALID);
	a = accept_req(h, 0, RM_TRANS_LEND, 0, 0, at, 2);
	CHECK_EQ(accept(PEER, &a), RM_ERROR_DENIED);
	a = accept_req(h, 0, RM_TRANS_LEND, done | 0x40, 0, at, 2);
	CHECK_EQ(accept(PEER, &a), RM_ERROR_ARGUMENT_INVALID);
	a = accept_req(h, 0, RM_TRANS_LEND, done | RM_MEM_ACCEPT_VALIDATE_LABEL, 0x56, at, 2);
	CHECK_EQ(accept(PEER, &a), RM_ERROR_VALIDATE_FAILED);
	a = accept_req(h, 0, RM_TRANS_LEND, done | RM_MEM_ACCEPT_VALIDATE_SANITIZED, 0, at, 2);
	CHECK_EQ(accept(PEER, &a), RM_ERROR_VALIDATE_FAILED);
	a = accept_req(h, 0, RM_TRANS_LEND, done | RM_MEM_ACCEPT_VALIDATE_ACL_ATTR, 0, at, 2);
	CHECK_EQ(accept(PEER, &a), RM_ERROR_VALIDATE_FAILED); /* its ACL is empty */
	a = accept_req(h, 0, RM_TRANS_LEND, done | RM_MEM_ACCEPT_MAP_OTHER, 0, at, 2);
	CHECK_EQ(accept(PEER, &a), RM_ERROR_DENIED);
	a = accept_req(h, 0, RM_TRANS_LEND, done, 0, at, 2);
	a.b[18] = PEER; /* map_vmid without MAP_OTHER */
	CHECK_EQ(accept(PEER, &a), RM_ERROR_ARGUMENT_INVALID);
	a = accept_req(h, 0, RM_TRANS_LEND, done, 0, at, 2);
	CHECK_EQ(accept(NOBODY, &a), RM_ERROR_VMID_INVALID);
	CHECK_EQ(accept(HLOS, &a), RM_ERROR_VMID_INVALID); /* a lender is not in its ACL */
	a = accept_req(h, 0, RM_TRANS_LEND, done | RM_MEM_ACCEPT_SANITIZE, 0, at, 2);
	CHECK_EQ(accept(PEER2, &a), RM_ERROR_ARGUMENT_INVALID); /* read-only borrower */
	a = accept_req(h, 0, RM_TRANS_LEND, done, 0, at_bad_size, 2);
	CHECK_EQ(accept(PEER, &a), RM_ERROR_ARGUMENT_INVALID);
	a = accept_req(h, 0, RM_TRANS_LEND, done, 0, at, 1);
	CHECK_EQ(accept(PEER, &a), RM_ERROR_ARGUMENT_INVALID);
	CHECK_EQ(model.calls, calls);

	/* A matching copy of the ACL validates; contiguous puts both ranges at one base. */
	struct req v = {.len = 0};
	u32(&v, h);
	u8(&v, 0);
	u8(&v, RM_TRANS_LEND);
	u8(&v, done | RM_MEM_ACCEPT_VALIDATE_ACL_ATTR | RM_MEM_ACCEPT_VALIDATE_LABEL |
	           RM_MEM_ACCEPT_MAP_CONTIGUOUS);
	u8(&v, 0);
	u32(&v, 0x55);
	lists(&v, acl, 2, 0, at_one, 1, NULL, 0);
	CHECK_EQ(accept(PEER, &v), RM_OK);
	CHECK_EQ(reply_len, 0);
	uint64_t page;
	CHECK(can_access(PEER, 0x90000000ULL, &page));
	CHECK_EQ(page, RAM);
	CHECK(can_access(PEER, 0x90000000ULL + 2 * PAGE, &page));
	CHECK_EQ(page, RAM + 9 * PAGE);
	/* The second borrower, with RM-chosen contiguous IPAs: one SGL entry back. */
	a = accept_req(h, 0, RM_TRANS_LEND, done | RM_MEM_ACCEPT_MAP_CONTIGUOUS, 0, NULL, 0);
	CHECK_EQ(accept(PEER2, &a), RM_OK);
	CHECK_EQ(reply_len, 20);
	CHECK_EQ(reply_u32(0), 1);
	CHECK_EQ(reply_u64(4), 0xC0000000ULL);
	CHECK_EQ(reply_u64(12), 3 * PAGE);
	CHECK_EQ(rm_mem_lookup(&mem, h)->n_accepted, 2);
	struct req rc = handle_req(h, 0);
	CHECK_EQ(rm_mem_release(&mem, PEER, rc.b, rc.len), RM_OK);
	CHECK_EQ(rm_mem_reclaim(&mem, HLOS, rc.b, rc.len), RM_ERROR_MEM_INUSE);
	struct req rs = handle_req(h, RM_MEM_RELEASE_SANITIZE);
	CHECK_EQ(rm_mem_release(&mem, PEER2, rs.b, rs.len), RM_ERROR_ARGUMENT_INVALID); /* R only */
	CHECK_EQ(rm_mem_release(&mem, PEER2, rc.b, rc.len), RM_OK);
	CHECK_EQ(rm_mem_release(&mem, HLOS, rc.b, 7), RM_ERROR_MSG_INVALID);
	CHECK_EQ(rm_mem_reclaim(&mem, HLOS, rc.b, 7), RM_ERROR_MSG_INVALID);
	CHECK_EQ(rm_mem_reclaim(&mem, HLOS, rc.b, rc.len), RM_OK);
	CHECK_EQ(model.n_borrows, 0);
	CHECK_EQ(model.n_unmapped, 0);
}

/* Sanitize: at create (VALIDATE_SANITIZED then passes), and at reclaim after a sanitizing
 * release. */
static void test_sanitize(void)
{
	reset();
	struct req r =
	    create_req(0, RM_MEM_CREATE_SANITIZE, 0, acl_peer_rw, 1, one_page, 1, NULL, 0);
	CHECK_EQ(create(RM_TRANS_LEND, HLOS, &r), RM_OK);
	uint32_t h = reply_u32(0);
	CHECK_EQ(model.sanitized, 1);
	struct req a = accept_req(
	    h, 0, RM_TRANS_LEND, RM_MEM_ACCEPT_DONE | RM_MEM_ACCEPT_VALIDATE_SANITIZED, 0, NULL, 0);
	CHECK_EQ(accept(PEER, &a), RM_OK);
	struct req rs = handle_req(h, RM_MEM_RELEASE_SANITIZE);
	CHECK_EQ(rm_mem_release(&mem, PEER, rs.b, rs.len), RM_OK);
	struct req rc = handle_req(h, 0);
	CHECK_EQ(rm_mem_reclaim(&mem, HLOS, rc.b, rc.len), RM_OK);
	CHECK_EQ(model.sanitized, 2);
}

/* APPEND: a parcel created with APPEND_FOLLOW grows until the last append and cannot be accepted
 * or announced before. */
static void test_append(void)
{
	reset();
	struct req r =
	    create_req(0, RM_MEM_CREATE_APPEND_FOLLOW, 0, acl_peer_rw, 1, one_page, 1, NULL, 0);
	CHECK_EQ(create(RM_TRANS_LEND, HLOS, &r), RM_OK);
	uint32_t h = reply_u32(0);
	struct req a = accept_req(h, 0, RM_TRANS_LEND, RM_MEM_ACCEPT_DONE, 0, NULL, 0);
	CHECK_EQ(accept(PEER, &a), RM_ERROR_DENIED);

	struct req ap = handle_req(h, 0);
	u16(&ap, 1);
	u16(&ap, 0);
	u64(&ap, RAM + 0x200000);
	u64(&ap, PAGE);
	CHECK_EQ(rm_mem_append(&mem, HLOS, ap.b, ap.len - 1), RM_ERROR_MSG_INVALID);
	CHECK_EQ(rm_mem_append(&mem, PEER, ap.b, ap.len), RM_ERROR_DENIED);
	CHECK_EQ(rm_mem_append(&mem, HLOS, ap.b, ap.len), RM_OK);
	CHECK(!owner_sees(HLOS, RAM + 0x200000));
	CHECK_EQ(rm_mem_append(&mem, HLOS, ap.b, ap.len), RM_ERROR_MEM_INUSE); /* same range */
	struct req last = handle_req(h, RM_MEM_APPEND_LAST);
	u16(&last, 1);
	u16(&last, 0);
	u64(&last, RAM + 0x300000);
	u64(&last, 2 * PAGE);
	CHECK_EQ(rm_mem_append(&mem, HLOS, last.b, last.len), RM_OK);
	CHECK_EQ(rm_mem_lookup(&mem, h)->n_sgl, 3);
	CHECK_EQ(rm_mem_append(&mem, HLOS, last.b, last.len), RM_ERROR_ARGUMENT_INVALID);
	CHECK_EQ(accept(PEER, &a), RM_OK);
	CHECK_EQ(reply_u32(0), 3);
	CHECK_EQ(model.n_borrows, 3);
	struct req none = handle_req(h + 7, RM_MEM_APPEND_LAST);
	u32(&none, 0);
	CHECK_EQ(rm_mem_append(&mem, HLOS, none.b, none.len), RM_ERROR_HANDLE_INVALID);
}

static uint32_t note_u32(const struct note *n, size_t at)
{
	return (uint32_t)n->bytes[at] | ((uint32_t)n->bytes[at + 1] << 8) |
	       ((uint32_t)n->bytes[at + 2] << 16) | ((uint32_t)n->bytes[at + 3] << 24);
}

static struct req notify_req(uint32_t h, uint8_t flags, uint32_t tag, const uint16_t *vmids,
                             unsigned n)
{
	struct req r = handle_req(h, flags);
	u32(&r, tag);
	if (vmids != NULL) {
		u16(&r, (uint16_t)n);
		u16(&r, 0);
		for (unsigned i = 0; i < n; i++) {
			u16(&r, vmids[i]);
			u16(&r, 0);
		}
	}
	return r;
}

/* MEM_NOTIFY: SHARED from the owner sends MEM_SHARED with the parcel's exact description;
 * ACCEPTED and RELEASED from a borrower reach the owner only when true. */
static void test_notify(void)
{
	reset();
	const struct acl_e acl[] = {{HLOS, 7}, {PEER, 6}};
	const struct sgl_e two[] = {{RAM, PAGE}, {RAM + 8 * PAGE, 2 * PAGE}};
	const struct attr_e attr[] = {{RM_MEM_ATTR_UNCACHED, PEER}};
	struct req r = create_req(0, 0, 0xABCD, acl, 2, two, 2, attr, 1);
	CHECK_EQ(create(RM_TRANS_SHARE, HLOS, &r), RM_OK);
	uint32_t h = reply_u32(0);
	const uint16_t to_peer[] = {PEER};
	const uint16_t to_nobody[] = {NOBODY};
	const uint16_t to_peer2[] = {PEER2};
	const uint16_t three[] = {PEER, HLOS, PEER2};
	struct req n;

	n = notify_req(h, RM_MEM_NOTIFY_SHARED, 0x77, to_peer, 1);
	CHECK_EQ(rm_mem_notify(&mem, HLOS, n.b, 11), RM_ERROR_MSG_INVALID);
	CHECK_EQ(rm_mem_notify(&mem, HLOS, n.b, 12), RM_ERROR_MSG_INVALID); /* no VMID list */
	CHECK_EQ(rm_mem_notify(&mem, HLOS, n.b, n.len - 1), RM_ERROR_MSG_INVALID);
	CHECK_EQ(rm_mem_notify(&mem, PEER, n.b, n.len), RM_ERROR_DENIED);
	struct req bad = notify_req(h, RM_MEM_NOTIFY_SHARED, 0x77, to_peer, 0);
	CHECK_EQ(rm_mem_notify(&mem, HLOS, bad.b, bad.len), RM_ERROR_ARGUMENT_INVALID);
	bad = notify_req(h, RM_MEM_NOTIFY_SHARED, 0x77, to_nobody, 1);
	CHECK_EQ(rm_mem_notify(&mem, HLOS, bad.b, bad.len), RM_ERROR_VMID_INVALID);
	bad = notify_req(h, RM_MEM_NOTIFY_SHARED, 0x77, to_peer2, 1);
	CHECK_EQ(rm_mem_notify(&mem, HLOS, bad.b, bad.len), RM_ERROR_ARGUMENT_INVALID);
	bad = notify_req(h, RM_MEM_NOTIFY_SHARED, 0x77, three, 3);
	CHECK_EQ(rm_mem_notify(&mem, HLOS, bad.b, bad.len), RM_ERROR_ARGUMENT_INVALID);
	bad = notify_req(h, 3, 0x77, to_peer, 1);
	CHECK_EQ(rm_mem_notify(&mem, HLOS, bad.b, bad.len), RM_ERROR_ARGUMENT_INVALID);
	bad = notify_req(h + 1, RM_MEM_NOTIFY_SHARED, 0x77, to_peer, 1);
	CHECK_EQ(rm_mem_notify(&mem, HLOS, bad.b, bad.len), RM_ERROR_HANDLE_INVALID);
	CHECK_EQ(model.n_notes, 0);

	CHECK_EQ(rm_mem_notify(&mem, HLOS, n.b, n.len), RM_OK);
	CHECK_EQ(model.n_notes, 1);
	const struct note *sh = &model.notes[0];
	CHECK_EQ(sh->vmid, PEER);
	CHECK_EQ(sh->id, RM_NOTIFY_MEM_SHARED);
	static const uint8_t want[] = {
	    1,    0,    0,    0,                            /* handle */
	    0,                                              /* mem_type normal */
	    2,                                              /* share */
	    0,    0,                                        /* flags, reserved */
	    3,    0,    0,    0,                            /* owner, reserved */
	    0xCD, 0xAB, 0,    0,                            /* label */
	    0x77, 0,    0,    0,                            /* mem_info_tag */
	    2,    0,    0,    0,                            /* ACL count */
	    3,    0,    7,    0, 0x80, 0, 6, 0,             /* ACL */
	    2,    0,    0,    0,                            /* range count */
	    0,    0x10, 0,    0, 0,    0, 0, 0,             /* sizes */
	    0,    0x20, 0,    0, 0,    0, 0, 0, 1, 0, 0, 0, /* attribute count */
	    2,    0,    0x80, 0,                            /* uncached for the peer */
	};
	CHECK_EQ(sh->len, sizeof(want));
	CHECK_EQ(memcmp(sh->bytes, want, sizeof(want)), 0);
	/* The tag is fixed now. */
	struct req other_tag = notify_req(h, RM_MEM_NOTIFY_SHARED, 0x78, to_peer, 1);
	CHECK_EQ(rm_mem_notify(&mem, HLOS, other_tag.b, other_tag.len), RM_ERROR_ARGUMENT_INVALID);

	struct req acc = notify_req(h, RM_MEM_NOTIFY_ACCEPTED, 0x77, NULL, 0);
	struct req rel = notify_req(h, RM_MEM_NOTIFY_RELEASED, 0x77, NULL, 0);
	CHECK_EQ(rm_mem_notify(&mem, PEER, acc.b, acc.len), RM_ERROR_MEM_RELEASED);
	CHECK_EQ(rm_mem_notify(&mem, PEER2, acc.b, acc.len), RM_ERROR_HANDLE_INVALID);
	struct req a = accept_req(h, 0, RM_TRANS_SHARE, RM_MEM_ACCEPT_DONE, 0, NULL, 0);
	CHECK_EQ(accept(PEER, &a), RM_OK);
	CHECK_EQ(model.borrows[0].rights, 6);
	CHECK_EQ(rm_mem_notify(&mem, PEER, rel.b, rel.len), RM_ERROR_MEM_INUSE);
	CHECK_EQ(rm_mem_notify(&mem, PEER, acc.b, acc.len), RM_OK);
	CHECK_EQ(model.n_notes, 2);
	const struct note *an = &model.notes[1];
	CHECK_EQ(an->vmid, HLOS);
	CHECK_EQ(an->id, RM_NOTIFY_MEM_ACCEPTED);
	CHECK_EQ(an->len, 12);
	CHECK_EQ(note_u32(an, 0), h);
	CHECK_EQ(note_u32(an, 4), PEER);
	CHECK_EQ(note_u32(an, 8), 0x77);
	struct req rc = handle_req(h, 0);
	CHECK_EQ(rm_mem_release(&mem, PEER, rc.b, rc.len), RM_OK);
	CHECK_EQ(rm_mem_notify(&mem, PEER, rel.b, rel.len), RM_OK);
	CHECK_EQ(model.notes[2].id, RM_NOTIFY_MEM_RELEASED);
	CHECK_EQ(model.notes[2].vmid, HLOS);
}

/* The RPC handlers: UNIMPLEMENTED until a table is attached, then the table's answer with the
 * reply data in the call. */
static void test_rpc_handlers(void)
{
	reset();
	struct req r = create_req(0, 0, 0, acl_peer_rw, 1, one_page, 1, NULL, 0);
	uint8_t out[64] = {0};
	struct rm_rpc_call call = {
	    .caller_vmid = HLOS,
	    .msg_id = RM_MEM_LEND,
	    .req = r.b,
	    .req_len = r.len,
	    .reply = out,
	    .reply_cap = sizeof(out),
	};
	rm_mem_rpc_attach(NULL);
	CHECK_EQ(rm_handle_mem_lend(&call), RM_ERROR_UNIMPLEMENTED);
	CHECK_EQ(model.calls, 0);
	rm_mem_rpc_attach(&mem);
	CHECK_EQ(rm_handle_mem_share(&call), RM_ERROR_ARGUMENT_INVALID); /* owner not listed */
	CHECK_EQ(rm_handle_mem_lend(&call), RM_OK);
	CHECK_EQ(call.reply_len, 4);
	CHECK_EQ(out[0], 1);
	CHECK(!owner_sees(HLOS, RAM + 0x100000));
	struct req a = accept_req(1, 0, RM_TRANS_LEND, RM_MEM_ACCEPT_DONE, 0, NULL, 0);
	struct rm_rpc_call acc = call;
	acc.caller_vmid = PEER;
	acc.req = a.b;
	acc.req_len = a.len;
	CHECK_EQ(rm_handle_mem_accept(&acc), RM_OK);
	CHECK_EQ(acc.reply_len, 20);
	struct req h = handle_req(1, 0);
	acc.req = h.b;
	acc.req_len = h.len;
	CHECK_EQ(rm_handle_mem_release(&acc), RM_OK);
	call.req = h.b;
	call.req_len = h.len;
	CHECK_EQ(rm_handle_mem_reclaim(&call), RM_OK);
	CHECK(owner_sees(HLOS, RAM + 0x100000));
	rm_mem_rpc_attach(NULL);
}

int main(void)
{
	RUN(test_lend_cycle);
	RUN(test_share_cycle);
	RUN(test_release_all);
	RUN(test_donate);
	RUN(test_create_lengths);
	RUN(test_create_fields);
	RUN(test_rollback);
	RUN(test_accept_fields);
	RUN(test_sanitize);
	RUN(test_append);
	RUN(test_notify);
	RUN(test_rpc_handlers);
	return rmmem_summary("test_memparcel");
}

/* Memory parcels over RM RPC (reference §6 MEM_*): what a primary VM can see of them on its own
 * pages. A share keeps the owner's access; a lend takes the page out of the lender's Stage-2 (a
 * synchronous external abort with exact ESR/FAR, section 8) until it is reclaimed. */
#include <humpy/fault.h>
#include <humpy/plat.h>
#include <humpy/rm_rpc.h>

/*
 * Three pages of the guest's own RAM (VA = IPA, identity map): the middle one is shared or lent,
 * the other two must stay reachable. They are the last three pages of the first RAM range, far from
 * the guest's image: while an RM takes a lent page out of the lender's Stage-2, the lender may run
 * (it shares the CPU) and must not need the memory being remapped around it (humpy's RM remaps the
 * 2 MiB piece holding the page; hyp/README.md, The Resource Manager).
 */
#define MEM_PAGE_SIZE 4096U
#define MEM_PATTERN   0x5eed1e57U
/* A handle the RM never gave: humpy's count from 1, upstream's from 0, neither reaches ~0. */
#define MEM_NO_HANDLE 0xffffffffU

static u64 mem_page_ipa(unsigned i)
{
	return plat.ram_base[0] + plat.ram_size[0] - (3 - i) * (u64)MEM_PAGE_SIZE;
}

/* MEM_SHARE / LEND / DONATE with one ACL entry per vmids[i] (rights[i]), one range, no
 * attributes; `extra` bytes of zeros appended and `cut` bytes taken off the end. */
static u32 mem_create_req(u8 *req, const u16 *vmids, const u8 *rights, u32 n_acl, u64 ipa, u64 size,
                          u32 label)
{
	u32 at = 0;

	req[0] = GH_RM_MEM_TYPE_NORMAL;
	req[1] = 0;
	req[2] = 0;
	req[3] = 0;
	rm_put32(req + 4, label);
	at = GH_RM_MEM_CREATE_HEADER;
	rm_put32(req + at, n_acl);
	at += 4;
	for (u32 i = 0; i < n_acl; i++, at += GH_RM_MEM_ACL_ENTRY) {
		rm_put16(req + at, vmids[i]);
		req[at + 2] = rights[i];
		req[at + 3] = 0;
	}
	rm_put16(req + at, 1);
	rm_put16(req + at + 2, 0);
	at += 4;
	rm_put64(req + at, ipa);
	rm_put64(req + at + 8, size);
	at += GH_RM_MEM_SGL_ENTRY;
	rm_put16(req + at, 0);
	rm_put16(req + at + 2, 0);
	return at + 4;
}

/* handle, flags, 3 reserved: MEM_RELEASE and MEM_RECLAIM. */
static u32 mem_handle_req(u8 *req, u32 handle)
{
	rm_put32(req, handle);
	rm_put32(req + 4, 0);
	return GH_RM_MEM_HANDLE_REQUEST;
}

/* The page at ipa reads without a fault (and gives the word read). */
static bool mem_readable(const char *what, u64 ipa, u32 *value)
{
	if (!probe_try_read32(ipa, value)) {
		test_fail("%s: reading 0x%lx faulted", what, ipa);
		return false;
	}
	return true;
}

/* A request answered with a reply led by `err` and `reply_len` payload bytes in all. */
static bool mem_call(const char *what, u32 id, const u8 *req, u32 len, u32 err, u32 reply_len,
                     struct rm_msg *m)
{
	return rm_expect_call(what, id, req, len, err, reply_len, m);
}

/*
 * MEM_NOTIFY(SHARED, tag) of the owner's own parcel to the owner, and the MEM_SHARED it gets
 * checked byte for byte: handle, normal, share, flags 0, res, owner, res, label, tag, ACL {owner
 * RWX}, n_pages ranges of one page each, no attributes. False (the test failed) otherwise.
 */
static bool mem_notify_self_shared(u32 handle, u16 vmid, u32 label, u32 tag, u32 n_pages)
{
	u8 req[20], shared[64];
	struct rm_msg m;
	const struct rm_notif *n;
	u32 at = 32;

	rm_put32(req, handle);
	req[4] = GH_RM_MEM_NOTIFY_SHARED;
	req[5] = req[6] = req[7] = 0;
	rm_put32(req + 8, tag);
	rm_put16(req + 12, 1);
	rm_put16(req + 14, 0);
	rm_put16(req + 16, vmid);
	rm_put16(req + 18, 0);
	if (!mem_call("MEM_NOTIFY(SHARED) to self", GH_RM_IDS_MEM_NOTIFY, req, 20, GH_RM_ERRORS_OK,
	              4, &m))
		return false;
	n = rm_notif_wait(GH_RM_NOTIFICATIONS_MEM_SHARED, RM_REPLY_MS);
	if (n == NULL) {
		test_fail("no MEM_SHARED notification after MEM_NOTIFY(SHARED)");
		return false;
	}
	rm_put32(shared, handle);
	shared[4] = GH_RM_MEM_TYPE_NORMAL;
	shared[5] = GH_RM_MEM_TRANS_SHARE;
	shared[6] = shared[7] = 0;
	rm_put16(shared + 8, vmid);
	rm_put16(shared + 10, 0);
	rm_put32(shared + 12, label);
	rm_put32(shared + 16, tag);
	rm_put32(shared + 20, 1);
	rm_put16(shared + 24, vmid);
	shared[26] = GH_RM_MEM_RIGHT_R | GH_RM_MEM_RIGHT_W | GH_RM_MEM_RIGHT_X;
	shared[27] = 0;
	rm_put32(shared + 28, n_pages);
	for (u32 i = 0; i < n_pages; i++, at += 8)
		rm_put64(shared + at, MEM_PAGE_SIZE);
	rm_put32(shared + at, 0);
	at += 4;
	if (n->len != at) {
		test_fail("MEM_SHARED length: expected 0x%x got 0x%x", at, n->len);
		return false;
	}
	return rm_expect_bytes("MEM_SHARED", n->payload, shared, at);
}

/* Proves a share whose ACL names only the owner (RWX) is a parcel (§6): MEM_SHARE answers OK and a
 * handle, the page stays readable and writable, MEM_NOTIFY(SHARED) to the owner itself sends it
 * MEM_SHARED describing the parcel byte for byte, the owner can neither accept nor release it
 * (DENIED), MEM_RECLAIM ends it and a second reclaim finds no handle (HANDLE_INVALID). */
RM_TEST(mem_share_self)
{
	u8 req[64];
	struct rm_msg m;
	const u16 vmid = (u16)rm->vmid;
	const u8 rwx = GH_RM_MEM_RIGHT_R | GH_RM_MEM_RIGHT_W | GH_RM_MEM_RIGHT_X;
	const u64 ipa = mem_page_ipa(1);
	u32 len = mem_create_req(req, &vmid, &rwx, 1, ipa, MEM_PAGE_SIZE, 0x1234);
	u32 handle, word;

	if (!mem_call("MEM_SHARE {self RWX}", GH_RM_IDS_MEM_SHARE, req, len, GH_RM_ERRORS_OK, 8,
	              &m))
		return;
	handle = rm_get32(m.payload + 4);
	probe_write32(ipa, MEM_PATTERN);
	if (!mem_readable("shared page", ipa, &word))
		return;
	ASSERT_EQ32("shared page after a write", word, MEM_PATTERN);

	if (!mem_notify_self_shared(handle, vmid, 0x1234, 0x77, 1))
		return;

	/* MEM_ACCEPT by the owner: handle, normal, share, DONE, label, empty lists. */
	rm_put32(req, handle);
	req[4] = GH_RM_MEM_TYPE_NORMAL;
	req[5] = GH_RM_MEM_TRANS_SHARE;
	req[6] = GH_RM_MEM_ACCEPT_DONE;
	req[7] = 0;
	rm_put32(req + 8, 0);
	rm_put32(req + 12, 0);
	rm_put32(req + 16, 0);
	rm_put32(req + 20, 0);
	if (!mem_call("MEM_ACCEPT by the owner", GH_RM_IDS_MEM_ACCEPT, req, 24, GH_RM_ERRORS_DENIED,
	              4, &m))
		return;
	len = mem_handle_req(req, handle);
	if (!mem_call("MEM_RELEASE by the owner", GH_RM_IDS_MEM_RELEASE, req, len,
	              GH_RM_ERRORS_DENIED, 4, &m) ||
	    !mem_call("MEM_RECLAIM", GH_RM_IDS_MEM_RECLAIM, req, len, GH_RM_ERRORS_OK, 4, &m) ||
	    !mem_call("MEM_RECLAIM again", GH_RM_IDS_MEM_RECLAIM, req, len,
	              GH_RM_ERRORS_HANDLE_INVALID, 4, &m))
		return;
	if (!mem_readable("page after the reclaim", ipa, &word))
		return;
	ASSERT_EQ32("page after the reclaim", word, MEM_PATTERN);
}

/* Proves MEM_APPEND grows a parcel created with append-follows (§6): MEM_SHARE {self RWX} of one
 * page with that flag answers a handle, MEM_APPEND(last) of a second page OK, a further MEM_APPEND
 * ARGUMENT_INVALID (the parcel is complete); MEM_NOTIFY(SHARED) then describes both ranges byte for
 * byte, and one MEM_RECLAIM ends the whole parcel. */
RM_TEST(mem_share_append)
{
	u8 req[64];
	struct rm_msg m;
	const u16 vmid = (u16)rm->vmid;
	const u8 rwx = GH_RM_MEM_RIGHT_R | GH_RM_MEM_RIGHT_W | GH_RM_MEM_RIGHT_X;
	u32 len = mem_create_req(req, &vmid, &rwx, 1, mem_page_ipa(0), MEM_PAGE_SIZE, 0x4321);
	u32 handle;

	req[2] = GH_RM_MEM_CREATE_APPEND_FOLLOW;
	if (!mem_call("MEM_SHARE {self RWX} append-follows", GH_RM_IDS_MEM_SHARE, req, len,
	              GH_RM_ERRORS_OK, 8, &m))
		return;
	handle = rm_get32(m.payload + 4);

	/* handle, last, 3 res, SGL {1, res, {page 2, one page}}. */
	rm_put32(req, handle);
	req[4] = GH_RM_MEM_APPEND_LAST;
	req[5] = req[6] = req[7] = 0;
	rm_put16(req + 8, 1);
	rm_put16(req + 10, 0);
	rm_put64(req + 12, mem_page_ipa(2));
	rm_put64(req + 20, MEM_PAGE_SIZE);
	len = 12 + GH_RM_MEM_SGL_ENTRY;
	if (!mem_call("MEM_APPEND(last)", GH_RM_IDS_MEM_APPEND, req, len, GH_RM_ERRORS_OK, 4, &m) ||
	    !mem_call("MEM_APPEND after the last", GH_RM_IDS_MEM_APPEND, req, len,
	              GH_RM_ERRORS_ARGUMENT_INVALID, 4, &m))
		return;

	if (!mem_notify_self_shared(handle, vmid, 0x4321, 0x78, 2))
		return;

	len = mem_handle_req(req, handle);
	if (!mem_call("MEM_RECLAIM", GH_RM_IDS_MEM_RECLAIM, req, len, GH_RM_ERRORS_OK, 4, &m))
		return;
	mem_call("MEM_RECLAIM again", GH_RM_IDS_MEM_RECLAIM, req, len, GH_RM_ERRORS_HANDLE_INVALID,
	         4, &m);
}

/* Proves MEM_LEND's refusals leave the page with its lender (§6): lending to itself (an owner in
 * its lend's ACL) or to a VMID no VM has is ARGUMENT_INVALID, a request one byte short or long
 * MSG_INVALID, an empty ACL ARGUMENT_INVALID; the page reads without a fault after each. */
RM_TEST(mem_lend_refused)
{
	u8 req[64];
	struct rm_msg m;
	const u16 self = (u16)rm->vmid, nobody = GH_RM_VMID_DYNAMIC_LAST;
	const u8 rw = GH_RM_MEM_RIGHT_R | GH_RM_MEM_RIGHT_W;
	const u64 ipa = mem_page_ipa(1);
	u32 len, word;

	len = mem_create_req(req, &self, &rw, 1, ipa, MEM_PAGE_SIZE, 0);
	if (!mem_call("MEM_LEND to itself", GH_RM_IDS_MEM_LEND, req, len,
	              GH_RM_ERRORS_ARGUMENT_INVALID, 4, &m) ||
	    !mem_readable("page after MEM_LEND to itself", ipa, &word))
		return;
	len = mem_create_req(req, &nobody, &rw, 1, ipa, MEM_PAGE_SIZE, 0);
	if (!mem_call("MEM_LEND to a VMID no VM has", GH_RM_IDS_MEM_LEND, req, len,
	              GH_RM_ERRORS_ARGUMENT_INVALID, 4, &m) ||
	    !mem_call("MEM_LEND one byte short", GH_RM_IDS_MEM_LEND, req, len - 1,
	              GH_RM_ERRORS_MSG_INVALID, 4, &m))
		return;
	req[len] = 0;
	if (!mem_call("MEM_LEND one byte long", GH_RM_IDS_MEM_LEND, req, len + 1,
	              GH_RM_ERRORS_MSG_INVALID, 4, &m))
		return;
	len = mem_create_req(req, &nobody, &rw, 0, ipa, MEM_PAGE_SIZE, 0);
	if (!mem_call("MEM_LEND with an empty ACL", GH_RM_IDS_MEM_LEND, req, len,
	              GH_RM_ERRORS_ARGUMENT_INVALID, 4, &m))
		return;
	mem_readable("page after the refused lends", ipa, &word);
}

/* Proves every MEM_* call on a handle the RM never gave answers HANDLE_INVALID (§6). */
RM_TEST(mem_unknown_handle)
{
	u8 req[32];
	struct rm_msg m;
	u32 len = mem_handle_req(req, MEM_NO_HANDLE);

	if (!mem_call("MEM_RELEASE", GH_RM_IDS_MEM_RELEASE, req, len, GH_RM_ERRORS_HANDLE_INVALID,
	              4, &m) ||
	    !mem_call("MEM_RECLAIM", GH_RM_IDS_MEM_RECLAIM, req, len, GH_RM_ERRORS_HANDLE_INVALID,
	              4, &m))
		return;
	rm_put32(req + 8, 0); /* mem_info_tag */
	req[4] = GH_RM_MEM_NOTIFY_ACCEPTED;
	if (!mem_call("MEM_NOTIFY(ACCEPTED)", GH_RM_IDS_MEM_NOTIFY, req, GH_RM_MEM_NOTIFY_HEADER,
	              GH_RM_ERRORS_HANDLE_INVALID, 4, &m))
		return;
	rm_put32(req, MEM_NO_HANDLE);
	req[4] = GH_RM_MEM_TYPE_NORMAL;
	req[5] = GH_RM_MEM_TRANS_LEND;
	req[6] = GH_RM_MEM_ACCEPT_DONE;
	req[7] = 0;
	rm_put32(req + 8, 0);
	rm_put32(req + 12, 0);
	rm_put32(req + 16, 0);
	rm_put32(req + 20, 0);
	mem_call("MEM_ACCEPT", GH_RM_IDS_MEM_ACCEPT, req, 24, GH_RM_ERRORS_HANDLE_INVALID, 4, &m);
}

/* A VM to lend to: VM_ALLOCATE {0 = any VMID}; 0 and a SKIP when the RM offers none. */
static u16 mem_peer_allocate(void)
{
	u8 req[4] = {0, 0, 0, 0};
	struct rm_msg m;
	u16 seq = rm_next_seq();

	if (!rm_expect_io("VM_ALLOCATE", rm_call(GH_RM_IDS_VM_ALLOCATE, seq, req, 4, &m)))
		return 0;
	if (m.len >= 4 && rm_get32(m.payload) != GH_RM_ERRORS_OK) {
		test_skip("no VM to lend to: VM_ALLOCATE answered 0x%x", rm_get32(m.payload));
		return 0;
	}
	if (!rm_expect_reply("VM_ALLOCATE", &m, GH_RM_IDS_VM_ALLOCATE, seq, GH_RM_ERRORS_OK, 8))
		return 0;
	return rm_get16(m.payload + 4);
}

static void mem_peer_free(u16 vmid)
{
	u8 req[4];
	struct rm_msg m;

	rm_put16(req, vmid);
	rm_put16(req + 2, 0);
	(void)rm_call(GH_RM_IDS_VM_DEALLOCATE, rm_next_seq(), req, 4, &m);
}

/* Loads and stores of the lent page, each a synchronous external abort at exactly its address;
 * *ok says whether both were. */
static void mem_lent_faults(u64 ipa, bool *ok)
{
	struct exc_record rec;

	*ok = false;
	exc_expect_begin();
	(void)probe_read32(ipa);
	rec = exc_expect_end();
	ASSERT_FAULT("load from the lent page", rec, FAULT_ESR_DABT, ipa,
	             (u64)(uintptr_t)probe_read32_insn);
	exc_expect_begin();
	probe_write32(ipa + 8, 1);
	rec = exc_expect_end();
	ASSERT_FAULT("store to the lent page", rec, FAULT_ESR_DABT, ipa + 8,
	             (u64)(uintptr_t)probe_write32_insn);
	*ok = true;
}

/* Proves MEM_LEND takes exactly the lent page out of the lender's Stage-2 (§6, section 8): a load
 * or store there is a synchronous external abort (ESR DABT/SEA, FAR the address, ELR the access)
 * while the pages on either side still read, MEM_RECLAIM (nothing accepted it) gives it back with
 * its contents, and the handle is gone afterwards. */
RM_TEST(mem_lend_unmaps_lender)
{
	u8 req[64];
	struct rm_msg m;
	const u8 rw = GH_RM_MEM_RIGHT_R | GH_RM_MEM_RIGHT_W;
	const u64 ipa = mem_page_ipa(1);
	u16 peer = mem_peer_allocate();
	u32 len, handle = 0, word;
	bool is_lent = false, is_faulting;

	if (peer == 0)
		return;
	probe_write32(ipa, MEM_PATTERN);
	len = mem_create_req(req, &peer, &rw, 1, ipa, MEM_PAGE_SIZE, 0);
	if (!mem_call("MEM_LEND of one page", GH_RM_IDS_MEM_LEND, req, len, GH_RM_ERRORS_OK, 8, &m))
		goto out;
	handle = rm_get32(m.payload + 4);
	is_lent = true;
	mem_lent_faults(ipa, &is_faulting);
	if (!is_faulting || !mem_readable("the page below", mem_page_ipa(0), &word) ||
	    !mem_readable("the page above", mem_page_ipa(2), &word))
		goto out;
	len = mem_handle_req(req, handle);
	if (!mem_call("MEM_RECLAIM", GH_RM_IDS_MEM_RECLAIM, req, len, GH_RM_ERRORS_OK, 4, &m))
		goto out;
	is_lent = false;
	if (!mem_readable("page after the reclaim", ipa, &word))
		goto out;
	ASSERT_EQ32("page contents after the reclaim", word, MEM_PATTERN);
	mem_call("MEM_RECLAIM again", GH_RM_IDS_MEM_RECLAIM, req, len, GH_RM_ERRORS_HANDLE_INVALID,
	         4, &m);
out:
	if (is_lent) {
		len = mem_handle_req(req, handle);
		(void)rm_call(GH_RM_IDS_MEM_RECLAIM, rm_next_seq(), req, len, &m);
	}
	mem_peer_free(peer);
}

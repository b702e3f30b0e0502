/* Memory parcels over RM RPC (reference §6 MEM_*): what a primary VM can see of them on its own
 * pages. A share keeps the owner's access; a lend takes the page out of the lender's Stage-2 (a
 * synchronous external abort with exact ESR/FAR, section 8) until it is reclaimed. */
#include <humpy/fault.h>
#include <humpy/libc.h>
#include <humpy/peer.h>
#include <humpy/plat.h>
#include <humpy/rm_rpc.h>

#include "peer_owner.h"

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

/* Loads and stores of a page that left this VM (lent or donated: `load` and `store` name them),
 * each a synchronous external abort at exactly its address; *ok says whether both were. */
static void mem_gone_faults(const char *load, const char *store, u64 ipa, bool *ok)
{
	struct exc_record rec;

	*ok = false;
	exc_expect_begin();
	(void)probe_read32(ipa);
	rec = exc_expect_end();
	ASSERT_FAULT(load, rec, FAULT_ESR_DABT, ipa, (u64)(uintptr_t)probe_read32_insn);
	exc_expect_begin();
	probe_write32(ipa + 8, 1);
	rec = exc_expect_end();
	ASSERT_FAULT(store, rec, FAULT_ESR_DABT, ipa + 8, (u64)(uintptr_t)probe_write32_insn);
	*ok = true;
}

static void mem_lent_faults(u64 ipa, bool *ok)
{
	mem_gone_faults("load from the lent page", "store to the lent page", ipa, ok);
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

/* The donation test's run: what the owner saw, the peer's report. */
#define DONATE_OWNER0 0x0d0a7e0d0a7e0001ULL
#define DONATE_OWNER1 0x0d0a7e0d0a7e0002ULL
#define DONATE_LABEL  0xd0a7eU

/* Stops, resets and deallocates the peer and reclaims what may still be lent or offered, after a
 * donation run that stopped early. Errors are expected and ignored. */
static void mem_donate_cleanup(u16 peer, u32 ram_handle, u32 handle)
{
	struct rm_msg m;
	u8 req[8] = {0};

	rm_put16(req, peer);
	req[2] = 1; /* FORCE */
	(void)rm_call(GH_RM_IDS_VM_STOP, rm_next_seq(), req, 8, &m);
	(void)rm_call(GH_RM_IDS_VM_RESET, rm_next_seq(), req, 4, &m);
	if (ram_handle != 0)
		(void)peer_mem_handle_call(GH_RM_IDS_MEM_RECLAIM, ram_handle, &m);
	if (handle != 0)
		(void)peer_mem_handle_call(GH_RM_IDS_MEM_RECLAIM, handle, &m);
	mem_peer_free(peer);
}

/*
 * Proves MEM_DONATE hands a page to another VM for good (§6 MEM_DONATE, MEM_ACCEPT; section 8):
 * MEM_DONATE {normal, label, ACL {the peer RWX}, one page} answers OK and a handle (8 bytes); the
 * page leaves the donor's Stage-2 at once (load and store: ESR DABT/SEA, FAR the address, ELR the
 * access); a second MEM_DONATE of the same page is the spec's rm.mem.in_parcel (MEM_INUSE). The
 * peer (conformance/peer/ PEER_MODE_DONATE, lent its own RAM) accepts it as a donation (OK, 4
 * bytes), reads exactly the donor's two words, writes its own and reads them back, and then finds
 * no parcel for the handle (MEM_ACCEPT and MEM_RELEASE HANDLE_INVALID): the donation ended it. The
 * donor can no longer reclaim it (HANDLE_INVALID), a further MEM_DONATE of the page is the spec's
 * rm.mem.not_owned (MEM_INVALID: not the donor's memory any more), and the page stays out of the
 * donor even after the peer's VM_RESET.
 */
RM_TEST(mem_donate_to_peer)
{
	static char problem[96];
	const u64 top = plat.ram_base[0] + plat.ram_size[0];
	/* Pieces (2 MiB) no other rm test uses: the donated page never comes back. */
	const u64 ram = top - 20 * 1024 * 1024, page = top - 18 * 1024 * 1024;
	const u8 rwx = GH_RM_MEM_RIGHT_R | GH_RM_MEM_RIGHT_W | GH_RM_MEM_RIGHT_X;
	volatile u64 *words = (volatile u64 *)(uintptr_t)page;
	u16 peer = mem_peer_allocate();
	u32 len, handle = 0, ram_handle = 0, exited_len;
	u8 req[64], exited[16];
	struct peer_report rep;
	struct rm_msg m;
	bool is_faulting;

	if (peer == 0)
		return;
	words[PEER_SH_OWNER] = DONATE_OWNER0;
	words[PEER_SH_OWNER + 1] = DONATE_OWNER1;
	peer_cache_clean(page, MEM_PAGE_SIZE); /* the peer runs with its caches off */
	len = mem_create_req(req, &peer, &rwx, 1, page, MEM_PAGE_SIZE, DONATE_LABEL);
	if (!mem_call("MEM_DONATE of one page", GH_RM_IDS_MEM_DONATE, req, len, GH_RM_ERRORS_OK, 8,
	              &m))
		goto fail;
	handle = rm_get32(m.payload + 4);
	mem_gone_faults("load from the donated page", "store to the donated page", page,
	                &is_faulting);
	if (!is_faulting || !mem_call("MEM_DONATE of the same page again", GH_RM_IDS_MEM_DONATE,
	                              req, len, GH_RM_MEM_IN_PARCEL, 4, &m))
		goto fail;

	problem[0] = '\0';
	peer_problem_to(problem);
	ram_handle = peer_launch(peer, ram, PEER_MODE_DONATE, handle, page, 0);
	if (problem[0] != '\0' || !peer_wait_exited(peer, exited, &exited_len)) {
		test_fail("peer run: %s", problem);
		goto fail;
	}
	rm_put16(req, peer);
	rm_put16(req + 2, 0);
	if (!mem_call("VM_RESET of the peer", GH_RM_IDS_VM_RESET, req, 4, GH_RM_ERRORS_OK, 4, &m))
		goto fail;
	len = mem_handle_req(req, ram_handle);
	if (!mem_call("MEM_RECLAIM of the peer's RAM", GH_RM_IDS_MEM_RECLAIM, req, len,
	              GH_RM_ERRORS_OK, 4, &m))
		goto fail;
	ram_handle = 0;
	peer_read_report(ram, &rep);

	/* The donor's side now: no parcel, and not its memory any more (the peer still exists, so
	 * the ACL is valid and the range is what is refused). */
	len = mem_handle_req(req, handle);
	if (!mem_call("MEM_RECLAIM of the donation", GH_RM_IDS_MEM_RECLAIM, req, len,
	              GH_RM_ERRORS_HANDLE_INVALID, 4, &m))
		goto fail;
	handle = 0;
	len = mem_create_req(req, &peer, &rwx, 1, page, MEM_PAGE_SIZE, DONATE_LABEL);
	if (!mem_call("MEM_DONATE of the donated page", GH_RM_IDS_MEM_DONATE, req, len,
	              GH_RM_MEM_NOT_OWNED, 4, &m))
		goto fail;
	mem_peer_free(peer);

	ASSERT_EQ("peer report magic", rep.magic, PEER_REPORT_MAGIC);
	ASSERT_EQ("peer problem", rep.problem, PEER_PROBLEM_NONE);
	ASSERT_EQ("peer step", rep.step, PEER_STEP_EXIT);
	ASSERT_EQ("peer's VM_GET_VMID", rep.vmid, peer);
	ASSERT_EQ("MEM_ACCEPT (donate) by the peer", rep.accept_err, GH_RM_ERRORS_OK);
	ASSERT_EQ("MEM_ACCEPT (donate) reply length", rep.accept_len, 4);
	ASSERT_EQ("donor word 0 as the peer read it", rep.read[0], DONATE_OWNER0);
	ASSERT_EQ("donor word 1 as the peer read it", rep.read[1], DONATE_OWNER1);
	ASSERT_EQ("peer word 0 read back", rep.readback[0], DONATE_OWNER0 ^ PEER_XOR);
	ASSERT_EQ("peer word 1 read back", rep.readback[1], PEER_VMID_TAG | peer);
	ASSERT_EQ("second MEM_ACCEPT by the peer", rep.accept2_err, GH_RM_ERRORS_HANDLE_INVALID);
	ASSERT_EQ("second MEM_ACCEPT reply length", rep.accept2_len, 4);
	ASSERT_EQ("MEM_RELEASE by the peer", rep.release_err, GH_RM_ERRORS_HANDLE_INVALID);
	mem_gone_faults("load from the donated page after the peer's reset",
	                "store to the donated page after the peer's reset", page, &is_faulting);
	return;
fail:
	if (peer != 0)
		mem_donate_cleanup(peer, ram_handle, handle);
}

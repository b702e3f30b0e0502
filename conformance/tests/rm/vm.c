/* Peer VM lifecycle over RM RPC (reference §6 VM management IDs, payload layouts, VM_STATUS and
 * VM_EXITED notifications): VM_ALLOCATE, VM_CONFIG_IMAGE, VM_INIT, VM_START, VM_STOP, VM_RESET,
 * VM_DEALLOCATE from the primary VM, the owner, with exact replies and notifications in order. */
#include <humpy/plat.h>
#include <humpy/rm_rpc.h>

/* The common VMID request {u16 vmid, u16 reserved}: a reply of err and reply_len bytes. */
static bool vmid_call(const char *what, u32 id, u16 vmid, u32 err, u32 reply_len, struct rm_msg *m)
{
	u8 req[4];

	rm_put16(req, vmid);
	rm_put16(req + 2, 0);
	return rm_expect_call(what, id, req, sizeof(req), err, reply_len, m);
}

/* VM_ALLOCATE(want): OK and the VMID the RM gave (want, or a dynamic one for 0), 0 on failure. */
static u16 allocate(u16 want)
{
	struct rm_msg m;
	u16 vmid;

	if (!vmid_call("VM_ALLOCATE", GH_RM_IDS_VM_ALLOCATE, want, GH_RM_ERRORS_OK, 8, &m))
		return 0;
	vmid = rm_get16(m.payload + 4);
	if (rm_get16(m.payload + 6) != 0) {
		test_fail("VM_ALLOCATE: padding 0x%x", rm_get16(m.payload + 6));
		return 0;
	}
	if (want ? vmid != want
	         : vmid < GH_RM_VMID_DYNAMIC_FIRST || vmid > GH_RM_VMID_DYNAMIC_LAST) {
		test_fail("VM_ALLOCATE(0x%x) gave VMID 0x%x", want, vmid);
		return 0;
	}
	return vmid;
}

static bool deallocate(u16 vmid)
{
	struct rm_msg m;

	return vmid_call("VM_DEALLOCATE", GH_RM_IDS_VM_DEALLOCATE, vmid, GH_RM_ERRORS_OK, 4, &m);
}

/* VM_GET_STATE(vmid): OK with exactly these statuses. */
static bool state_is(const char *what, u16 vmid, u8 vm_status, u8 os_status)
{
	struct rm_msg m;

	if (!vmid_call(what, GH_RM_IDS_VM_GET_STATE, vmid, GH_RM_ERRORS_OK, 8, &m))
		return false;
	if (m.payload[4] != vm_status || m.payload[5] != os_status ||
	    rm_get16(m.payload + 6) != 0) {
		test_fail("%s: vm_status %u os_status %u app 0x%x, expected %u %u 0", what,
		          m.payload[4], m.payload[5], rm_get16(m.payload + 6), vm_status,
		          os_status);
		return false;
	}
	return true;
}

/* Proves VM_ALLOCATE(0) gives a dynamic VMID (0x80..0xbf) as u16 vmid + u16 0, the new VM is INIT
 * to its owner's VM_GET_STATE with no notification, and VM_DEALLOCATE removes it: VM_GET_STATE then
 * finds no VM (NORESOURCE) (§6 VM_ALLOCATE, VMIDs). */
RM_TEST(vm_allocate_dynamic)
{
	struct rm_msg m;
	u16 vmid = allocate(0);

	RETURN_IF_FAILED();
	if (!state_is("VM_GET_STATE(new VM)", vmid, GH_RM_VM_STATUS_INIT, GH_RM_OS_STATUS_NONE))
		return;
	ASSERT_EQ("notifications after VM_ALLOCATE", rm_notif_count(), 0);
	if (!deallocate(vmid))
		return;
	vmid_call("VM_GET_STATE(deallocated VM)", GH_RM_IDS_VM_GET_STATE, vmid,
	          GH_RM_ERRORS_NORESOURCE, 4, &m);
}

/* Proves VM_ALLOCATE of an explicit free VMID (0xbf) gives exactly it, and a second VM_ALLOCATE of
 * it is IN_USE (§6 VM_ALLOCATE). */
RM_TEST(vm_allocate_explicit_in_use)
{
	struct rm_msg m;
	u16 vmid = allocate(GH_RM_VMID_DYNAMIC_LAST);

	RETURN_IF_FAILED();
	if (!vmid_call("VM_ALLOCATE(same VMID)", GH_RM_IDS_VM_ALLOCATE, vmid, GH_RM_ERRORS_IN_USE,
	               4, &m))
		return;
	deallocate(vmid);
}

/* Proves VM_ALLOCATE of a VMID outside 0x80..0xbf (the primary's 3, 0x7f, 0xc0, the RM's 0xff)
 * is VMID_INVALID (§6 VMIDs). */
RM_TEST(vm_allocate_vmid_out_of_range)
{
	static const u16 bad[] = {GH_RM_VMID_PRIMARY, GH_RM_VMID_DYNAMIC_FIRST - 1,
	                          GH_RM_VMID_DYNAMIC_LAST + 1, GH_RM_VMID_RM};
	struct rm_msg m;

	for (u32 i = 0; i < ARRAY_SIZE(bad); i++)
		if (!vmid_call("VM_ALLOCATE(reserved VMID)", GH_RM_IDS_VM_ALLOCATE, bad[i],
		               GH_RM_ERRORS_VMID_INVALID, 4, &m))
			return;
}

/* Proves VM_ALLOCATE of 0, 2 or 8 bytes is MSG_INVALID (§6: u16 vmid, u16 reserved). */
RM_TEST(vm_allocate_bad_length)
{
	static const u8 req[8];
	struct rm_msg m;

	if (!rm_expect_call("VM_ALLOCATE, 0 bytes", GH_RM_IDS_VM_ALLOCATE, NULL, 0,
	                    GH_RM_ERRORS_MSG_INVALID, 4, &m) ||
	    !rm_expect_call("VM_ALLOCATE, 2 bytes", GH_RM_IDS_VM_ALLOCATE, req, 2,
	                    GH_RM_ERRORS_MSG_INVALID, 4, &m))
		return;
	rm_expect_call("VM_ALLOCATE, 8 bytes", GH_RM_IDS_VM_ALLOCATE, req, 8,
	               GH_RM_ERRORS_MSG_INVALID, 4, &m);
}

/* Proves VM_DEALLOCATE of a VMID no VM has (0xbe) and of the primary itself is VMID_INVALID, and
 * VM_START of no VM, of the primary and of the RM, VM_STOP and VM_RESET of no VM likewise: only a
 * peer the caller allocated can be started (§6). */
RM_TEST(vm_calls_unknown_vmid)
{
	struct rm_msg m;
	u8 stop[8] = {0};

	rm_put16(stop, GH_RM_VMID_DYNAMIC_LAST - 1);
	if (!vmid_call("VM_DEALLOCATE(0xbe)", GH_RM_IDS_VM_DEALLOCATE, GH_RM_VMID_DYNAMIC_LAST - 1,
	               GH_RM_ERRORS_VMID_INVALID, 4, &m) ||
	    !vmid_call("VM_DEALLOCATE(primary)", GH_RM_IDS_VM_DEALLOCATE, GH_RM_VMID_PRIMARY,
	               GH_RM_ERRORS_VMID_INVALID, 4, &m) ||
	    !vmid_call("VM_START(0xbe)", GH_RM_IDS_VM_START, GH_RM_VMID_DYNAMIC_LAST - 1,
	               GH_RM_ERRORS_VMID_INVALID, 4, &m) ||
	    !vmid_call("VM_START(primary)", GH_RM_IDS_VM_START, GH_RM_VMID_PRIMARY,
	               GH_RM_ERRORS_VMID_INVALID, 4, &m) ||
	    !vmid_call("VM_START(RM)", GH_RM_IDS_VM_START, GH_RM_VMID_RM, GH_RM_ERRORS_VMID_INVALID,
	               4, &m) ||
	    !vmid_call("VM_RESET(0xbe)", GH_RM_IDS_VM_RESET, GH_RM_VMID_DYNAMIC_LAST - 1,
	               GH_RM_ERRORS_VMID_INVALID, 4, &m))
		return;
	rm_expect_call("VM_STOP(0xbe)", GH_RM_IDS_VM_STOP, stop, sizeof(stop),
	               GH_RM_ERRORS_VMID_INVALID, 4, &m);
}

/* Proves the lifecycle's order is enforced on a VM just allocated (INIT, no image): VM_START,
 * VM_STOP and VM_RESET are VM_STATE, VM_INIT without VM_CONFIG_IMAGE is VM_STATE, and the VM stays
 * INIT (§6; reference vm_status). */
RM_TEST(vm_order_enforced)
{
	struct rm_msg m;
	u8 stop[8] = {0};
	u16 vmid = allocate(0);

	RETURN_IF_FAILED();
	rm_put16(stop, vmid);
	if (vmid_call("VM_START before VM_INIT", GH_RM_IDS_VM_START, vmid, GH_RM_ERRORS_VM_STATE, 4,
	              &m) &&
	    rm_expect_call("VM_STOP of a VM not running", GH_RM_IDS_VM_STOP, stop, sizeof(stop),
	                   GH_RM_ERRORS_VM_STATE, 4, &m) &&
	    vmid_call("VM_RESET of a VM never started", GH_RM_IDS_VM_RESET, vmid,
	              GH_RM_ERRORS_VM_STATE, 4, &m) &&
	    vmid_call("VM_INIT without an image", GH_RM_IDS_VM_INIT, vmid, GH_RM_ERRORS_VM_STATE, 4,
	              &m))
		state_is("VM_GET_STATE after the refusals", vmid, GH_RM_VM_STATUS_INIT,
		         GH_RM_OS_STATUS_NONE);
	deallocate(vmid);
}

/* VM_CONFIG_IMAGE {u16 vmid, u16 auth, u32 mem_handle, u64 image_offset, u64 image_size,
 * u64 dtb_offset, u64 dtb_size} (§6). */
#define CONFIG_IMAGE_LEN 40U
static void config_image_req(u8 *req, u16 vmid, u16 auth, u32 handle, u64 image_off, u64 image_size,
                             u64 dtb_off, u64 dtb_size)
{
	rm_put16(req, vmid);
	rm_put16(req + 2, auth);
	rm_put32(req + 4, handle);
	rm_put64(req + 8, image_off);
	rm_put64(req + 16, image_size);
	rm_put64(req + 24, dtb_off);
	rm_put64(req + 32, dtb_size);
}

/* Proves VM_CONFIG_IMAGE's checks: one byte short or long MSG_INVALID, an auth mechanism other than
 * 0 (none) or an empty image ARGUMENT_INVALID, a VMID no VM has VMID_INVALID (§6 VM_CONFIG_IMAGE).
 */
RM_TEST(vm_config_image_refused)
{
	static u8 req[CONFIG_IMAGE_LEN + 1];
	struct rm_msg m;
	u16 vmid = allocate(0);

	RETURN_IF_FAILED();
	config_image_req(req, vmid, 0, 1, 0, 0x1000, 0x1000, 0x1000);
	if (rm_expect_call("VM_CONFIG_IMAGE, 39 bytes", GH_RM_IDS_VM_CONFIG_IMAGE, req,
	                   CONFIG_IMAGE_LEN - 1, GH_RM_ERRORS_MSG_INVALID, 4, &m) &&
	    rm_expect_call("VM_CONFIG_IMAGE, 41 bytes", GH_RM_IDS_VM_CONFIG_IMAGE, req,
	                   CONFIG_IMAGE_LEN + 1, GH_RM_ERRORS_MSG_INVALID, 4, &m)) {
		config_image_req(req, vmid, 1, 1, 0, 0x1000, 0x1000, 0x1000);
		if (rm_expect_call("VM_CONFIG_IMAGE, auth 1", GH_RM_IDS_VM_CONFIG_IMAGE, req,
		                   CONFIG_IMAGE_LEN, GH_RM_ERRORS_ARGUMENT_INVALID, 4, &m)) {
			config_image_req(req, vmid, 0, 1, 0, 0, 0x1000, 0x1000);
			if (rm_expect_call("VM_CONFIG_IMAGE, empty image",
			                   GH_RM_IDS_VM_CONFIG_IMAGE, req, CONFIG_IMAGE_LEN,
			                   GH_RM_ERRORS_ARGUMENT_INVALID, 4, &m)) {
				config_image_req(req, GH_RM_VMID_DYNAMIC_LAST - 1, 0, 1, 0, 0x1000,
				                 0x1000, 0x1000);
				rm_expect_call("VM_CONFIG_IMAGE, no such VM",
				               GH_RM_IDS_VM_CONFIG_IMAGE, req, CONFIG_IMAGE_LEN,
				               GH_RM_ERRORS_VMID_INVALID, 4, &m);
			}
		}
	}
	deallocate(vmid);
}

/*
 * The peer's RAM: two pages 4 MiB below the top of RAM, page 0 its image (wfi; b .-4), page 1 its
 * device tree (the root alone: the RM adds /hypervisor, the peer never reads it). Lent to the peer
 * for good (this test does not reclaim it: peer.c's peer_reset_frees_parcel does). Far from the
 * guest's image and stack, and in another 2 MiB piece than the mem tests' pages at the very top:
 * while the RM remaps the piece around a lent range, the lender must not need that piece
 * (hyp/README.md).
 */
#define PEER_PAGE    4096U
#define PEER_RAM_LEN (2 * PEER_PAGE)
static u64 peer_ram_ipa(void)
{
	return plat.ram_base[0] + plat.ram_size[0] - 4 * 1024 * 1024;
}

/* The smallest device tree (Devicetree Specification v0.4 §5): a header, an empty reservation
 * map, the root node alone, no strings. The RM adds /hypervisor to it at VM_INIT. */
static void empty_dt(u8 *dt)
{
	static const u32 words[] = {
	    0xd00dfeedU, 40 + 16 + 16,
	    40 + 16,     40 + 16 + 16,
	    40,          17,
	    16,          0,
	    0,           16, /* header */
	    0,           0,
	    0,           0, /* rsvmap */
	    1,           0,
	    2,           9, /* BEGIN_NODE "", END_NODE, END */
	};

	for (u32 i = 0; i < ARRAY_SIZE(words); i++) {
		dt[4 * i] = (u8)(words[i] >> 24);
		dt[4 * i + 1] = (u8)(words[i] >> 16);
		dt[4 * i + 2] = (u8)(words[i] >> 8);
		dt[4 * i + 3] = (u8)words[i];
	}
}

/* MEM_LEND of both pages to vmid with RWX: the handle, or 0 after a FAIL (§6 MEM_LEND layout). */
static u32 lend_ram(u16 vmid, u64 ipa, bool with_dt);

static u32 lend_peer_ram(u16 vmid)
{
	return lend_ram(vmid, peer_ram_ipa(), true);
}

/* MEM_LEND of the two pages at ipa (image, then the DT page: a minimal tree, or zeros). */
static u32 lend_ram(u16 vmid, u64 ipa, bool with_dt)
{
	u8 req[8 + 4 + 4 + 4 + 16 + 4];
	volatile u32 *image = (volatile u32 *)(uintptr_t)ipa; /* RAM is mapped VA = IPA */
	struct rm_msg m;

	image[0] = 0xd503207fU; /* wfi */
	image[1] = 0x17ffffffU; /* b .-4 */
	if (with_dt)
		empty_dt((u8 *)(uintptr_t)(ipa + PEER_PAGE));
	else
		memset((void *)(uintptr_t)(ipa + PEER_PAGE), 0, PEER_PAGE);
	for (u64 a = ipa; a < ipa + PEER_RAM_LEN; a += 64)
		__asm__ volatile("dc civac, %0" ::"r"(a) : "memory"); /* the peer starts uncached */
	__asm__ volatile("dsb sy" ::: "memory");
	memset(req, 0, sizeof(req));
	req[0] = 0;           /* normal memory */
	rm_put32(req + 8, 1); /* ACL: one entry */
	rm_put16(req + 12, vmid);
	req[14] = 7;           /* R | W | X */
	rm_put16(req + 16, 1); /* SGL: one range */
	rm_put64(req + 20, ipa);
	rm_put64(req + 28, PEER_RAM_LEN);
	/* attributes: none (u16 0, u16 0) */
	if (!rm_expect_call("MEM_LEND of the peer's RAM", GH_RM_IDS_MEM_LEND, req, sizeof(req),
	                    GH_RM_ERRORS_OK, 8, &m))
		return 0;
	return rm_get32(m.payload + 4);
}

/* FAILs unless the notifications kept since index `from` are exactly these VM_STATUS values for
 * vmid (and, when exited, a VM_EXITED {vmid, exit_type, reason size 0} after them). */
static bool notifs_are(const char *what, u32 from, u16 vmid, const u8 *statuses, u32 n, bool exited)
{
	u32 want = n + (exited ? 1 : 0);

	if (rm_notif_count() - from != want) {
		test_fail("%s: %u notifications, expected %u", what, rm_notif_count() - from, want);
		return false;
	}
	for (u32 i = 0; i < n; i++) {
		const struct rm_notif *nf = rm_notif_at(from + i);

		if (nf->id != GH_RM_NOTIFICATIONS_VM_STATUS || nf->len != 8 ||
		    rm_get16(nf->payload) != vmid || rm_get16(nf->payload + 2) != 0 ||
		    nf->payload[4] != statuses[i] || nf->payload[5] != 0 ||
		    rm_get16(nf->payload + 6) != 0) {
			test_fail(
			    "%s: notification %u id 0x%x len %u vmid 0x%x vm_status %u, expected "
			    "VM_STATUS vmid 0x%x vm_status %u",
			    what, i, nf->id, nf->len, rm_get16(nf->payload), nf->payload[4], vmid,
			    statuses[i]);
			return false;
		}
	}
	if (exited) {
		const struct rm_notif *nf = rm_notif_at(from + n);

		if (nf->id != GH_RM_NOTIFICATIONS_VM_EXITED || nf->len != 8 ||
		    rm_get16(nf->payload) != vmid ||
		    rm_get16(nf->payload + 2) != GH_RM_EXIT_TYPE_VM_STOP_FORCED ||
		    rm_get32(nf->payload + 4) != 0) {
			test_fail("%s: VM_EXITED id 0x%x len %u vmid 0x%x type %u reason size %u",
			          what, nf->id, nf->len, rm_get16(nf->payload),
			          rm_get16(nf->payload + 2), rm_get32(nf->payload + 4));
			return false;
		}
	}
	return true;
}

/*
 * Proves a peer's whole life from its owner: VM_ALLOCATE; MEM_LEND of two pages (an image that
 * waits in WFI, a DT page) to it; VM_CONFIG_IMAGE naming that parcel; VM_INIT (VM_STATUS READY);
 * VM_START (VM_STATUS RUNNING, VM_GET_STATE RUNNING); VM_STOP (VM_STATUS EXITED then VM_EXITED
 * VM_STOP_FORCED, reason size 0); VM_RESET (VM_STATUS RESETTING then RESET); VM_DEALLOCATE. Every
 * reply exact, every notification exact and in order, each before its call's reply (§6).
 */
RM_TEST(vm_lifecycle)
{
	static const u8 ready[] = {GH_RM_VM_STATUS_READY};
	static const u8 running[] = {GH_RM_VM_STATUS_RUNNING};
	static const u8 exited[] = {GH_RM_VM_STATUS_EXITED};
	static const u8 reset[] = {GH_RM_VM_STATUS_RESETTING, GH_RM_VM_STATUS_RESET};
	static u8 req[CONFIG_IMAGE_LEN];
	u8 stop[8] = {0};
	struct rm_msg m;
	u32 handle, n;
	u16 vmid = allocate(0);

	RETURN_IF_FAILED();
	handle = lend_peer_ram(vmid);
	RETURN_IF_FAILED();
	config_image_req(req, vmid, 0, handle, 0, PEER_PAGE, PEER_PAGE, PEER_PAGE);
	if (!rm_expect_call("VM_CONFIG_IMAGE", GH_RM_IDS_VM_CONFIG_IMAGE, req, sizeof(req),
	                    GH_RM_ERRORS_OK, 4, &m))
		return;
	n = rm_notif_count();
	if (!vmid_call("VM_INIT", GH_RM_IDS_VM_INIT, vmid, GH_RM_ERRORS_OK, 4, &m) ||
	    !notifs_are("VM_INIT", n, vmid, ready, 1, false))
		return;
	n = rm_notif_count();
	if (!vmid_call("VM_START", GH_RM_IDS_VM_START, vmid, GH_RM_ERRORS_OK, 4, &m) ||
	    !notifs_are("VM_START", n, vmid, running, 1, false) ||
	    !state_is("VM_GET_STATE(running peer)", vmid, GH_RM_VM_STATUS_RUNNING,
	              GH_RM_OS_STATUS_NONE))
		return;
	rm_put16(stop, vmid);
	stop[2] = 1; /* FORCE */
	rm_put32(stop + 4, 3);
	n = rm_notif_count();
	if (!rm_expect_call("VM_STOP", GH_RM_IDS_VM_STOP, stop, sizeof(stop), GH_RM_ERRORS_OK, 4,
	                    &m) ||
	    !notifs_are("VM_STOP", n, vmid, exited, 1, true))
		return;
	n = rm_notif_count();
	if (!vmid_call("VM_RESET", GH_RM_IDS_VM_RESET, vmid, GH_RM_ERRORS_OK, 4, &m) ||
	    !notifs_are("VM_RESET", n, vmid, reset, 2, false))
		return;
	deallocate(vmid);
}

/*
 * Proves a VM_INIT that fails after the RM took the peer's RAM gives it back: with a DT page that
 * holds no flattened device tree (the RM cannot add /hypervisor), VM_INIT answers the spec's
 * rm.vm_init.dt_not_fdt (ARGUMENT_INVALID) with one VM_STATUS INIT_FAILED, VM_GET_STATE says
 * INIT_FAILED, the owner's MEM_RECLAIM of the RAM is OK at once, and VM_RESET (RESETTING, RESET)
 * and VM_DEALLOCATE follow (§6 VM_INIT, vm_status). The pages are 10 MiB below the top of RAM, a
 * piece of their own.
 */
RM_TEST(vm_init_bad_dt)
{
	static const u8 failed[] = {GH_RM_VM_STATUS_INIT_FAILED};
	static const u8 reset[] = {GH_RM_VM_STATUS_RESETTING, GH_RM_VM_STATUS_RESET};
	static u8 req[CONFIG_IMAGE_LEN];
	const u64 ipa = plat.ram_base[0] + plat.ram_size[0] - 10 * 1024 * 1024;
	struct rm_msg m;
	u32 handle, n;
	u16 vmid = allocate(0);
	u8 rc[8] = {0};

	RETURN_IF_FAILED();
	handle = lend_ram(vmid, ipa, false);
	RETURN_IF_FAILED();
	config_image_req(req, vmid, 0, handle, 0, PEER_PAGE, PEER_PAGE, PEER_PAGE);
	n = rm_notif_count();
	if (!rm_expect_call("VM_CONFIG_IMAGE", GH_RM_IDS_VM_CONFIG_IMAGE, req, sizeof(req),
	                    GH_RM_ERRORS_OK, 4, &m) ||
	    !vmid_call("VM_INIT with no FDT", GH_RM_IDS_VM_INIT, vmid, GH_RM_VM_INIT_DT_NOT_FDT, 4,
	               &m) ||
	    !notifs_are("VM_INIT with no FDT", n, vmid, failed, 1, false) ||
	    !state_is("VM_GET_STATE after the failed VM_INIT", vmid, GH_RM_VM_STATUS_INIT_FAILED,
	              GH_RM_OS_STATUS_NONE))
		return;
	rm_put32(rc, handle);
	if (!rm_expect_call("MEM_RECLAIM after the failed VM_INIT", GH_RM_IDS_MEM_RECLAIM, rc,
	                    sizeof(rc), GH_RM_ERRORS_OK, 4, &m))
		return;
	n = rm_notif_count();
	if (!vmid_call("VM_RESET", GH_RM_IDS_VM_RESET, vmid, GH_RM_ERRORS_OK, 4, &m) ||
	    !notifs_are("VM_RESET", n, vmid, reset, 2, false))
		return;
	deallocate(vmid);
}

/*
 * A peer VM that is an RM client itself (conformance/peer/, humpy/peer.h): the primary VM, its
 * owner, allocates it, shares a page with it, lends it RAM holding the peer image and a device tree
 * (its UART and the script in /chosen; the RM adds /hypervisor at VM_INIT), starts it and plays its
 * own half while the peer accepts, reads and writes the page, accepts again, waits for the owner's
 * reclaim attempt, releases twice, touches the page and the UART (neither mapped any more / at
 * all) and exits. After VM_RESET the owner reclaims the RAM and reads the peer's report. One run
 * (peer_session) serves every test below; each checks its own part with exact values (reference §6
 * MEM_ACCEPT / RELEASE / RECLAIM, VM_EXIT, VM_EXITED; section 8 for the faults; spec rm.mem).
 */
#include <humpy/arch.h>
#include <humpy/fault.h>
#include <humpy/libc.h>
#include <humpy/peer.h>
#include <humpy/plat.h>
#include <humpy/rm_rpc.h>

#include "peer_owner.h"

extern const u8 peer_image_start[], peer_image_end[];

#define PEER_PAGE   4096U
#define PEER_OWNER0 0x0123456789abcdefULL
#define PEER_OWNER1 0xfedcba9876543210ULL
/* How long the owner waits for the peer's mark and for its VM_EXITED: the whole run (about 0.4 s)
 * must end inside the runner's 2 s time limit even when a wait runs out. */
#define PEER_WAIT_MS 700U

/* What the owner saw in one run, and the peer's report. */
struct peer_session {
	bool ran;
	bool done;              /* false: the run was abandoned (its test hit the time limit) */
	char problem[96];       /* non-empty: the first run stopped there */
	char again_problem[96]; /* the same for the second run */
	u16 vmid;
	u64 ram, shared;
	u32 ram_handle, share_handle;
	u32 share_handle_seen; /* share_handle's value (share_handle is 0 once it is reclaimed) */
	bool marked;           /* the peer's ACCEPTED mark came */
	u64 peer_words[2];     /* the peer's words in the shared page, as the owner read them */
	u32 reclaim_held_err;  /* MEM_RECLAIM of the share while the peer held it */
	u32 reclaim_held_len;
	u8 exited[16]; /* VM_EXITED payload */
	u32 exited_len;
	u8 chars[32]; /* the peer's console line as the owner got it: VM_CONSOLE_CHARS payload */
	u32 chars_len;
	u32 owner_write_err; /* the owner's VM_CONSOLE_WRITE into the peer's console */
	u32 tag_err;         /* the owner's MEM_NOTIFY(SHARED, PEER_MEM_TAG) to itself */
	u8 accepted[16];     /* MEM_ACCEPTED and MEM_RELEASED as the owner got them */
	u32 accepted_len;
	u8 released[16];
	u32 released_len;
	u32 ram_reclaim_err; /* MEM_RECLAIM of the peer's RAM after VM_RESET */
	u32 share_reclaim_err, share_reclaim2_err;
	struct peer_report rep;
	/* The same VMID and RAM a second time (PEER_MODE_EXIT). */
	u16 again_vmid;
	bool again_exited;
	u32 again_ram_reclaim_err;
	struct peer_report again_rep;
};

static struct peer_session ps;

void peer_cache_clean(u64 ipa, u64 len)
{
	for (u64 a = ipa; a < ipa + len; a += 64)
		__asm__ volatile("dc civac, %0" ::"r"(a) : "memory");
	__asm__ volatile("dsb sy" ::: "memory");
}

static void put_be32(u8 *p, u32 v)
{
	p[0] = (u8)(v >> 24);
	p[1] = (u8)(v >> 16);
	p[2] = (u8)(v >> 8);
	p[3] = (u8)v;
}

/* A flattened device tree (Devicetree Specification v0.4 §5) written into a fixed buffer. */
struct dtw {
	u8 st[1024];
	u32 st_len;
	char str[256];
	u32 str_len;
	bool overflow;
};

static void dtw_u32(struct dtw *w, u32 v)
{
	if (w->st_len + 4 > sizeof(w->st)) {
		w->overflow = true;
		return;
	}
	put_be32(w->st + w->st_len, v);
	w->st_len += 4;
}

static void dtw_bytes(struct dtw *w, const void *b, u32 n)
{
	u32 padded = (n + 3U) & ~3U;

	if (w->st_len + padded > sizeof(w->st)) {
		w->overflow = true;
		return;
	}
	memset(w->st + w->st_len, 0, padded);
	memcpy(w->st + w->st_len, b, n);
	w->st_len += padded;
}

static void dtw_begin(struct dtw *w, const char *name)
{
	dtw_u32(w, 1); /* FDT_BEGIN_NODE */
	dtw_bytes(w, name, (u32)strlen(name) + 1);
}

static void dtw_end(struct dtw *w)
{
	dtw_u32(w, 2); /* FDT_END_NODE */
}

static void dtw_prop(struct dtw *w, const char *name, const void *val, u32 len)
{
	u32 n = (u32)strlen(name) + 1;

	if (w->str_len + n > sizeof(w->str)) {
		w->overflow = true;
		return;
	}
	dtw_u32(w, 3); /* FDT_PROP */
	dtw_u32(w, len);
	dtw_u32(w, w->str_len);
	memcpy(w->str + w->str_len, name, n);
	w->str_len += n;
	dtw_bytes(w, val, len);
}

static void dtw_prop_u32(struct dtw *w, const char *name, u32 v)
{
	u8 b[4];

	put_be32(b, v);
	dtw_prop(w, name, b, 4);
}

static void dtw_prop_u64(struct dtw *w, const char *name, u64 v)
{
	u8 b[8];

	put_be32(b, (u32)(v >> 32));
	put_be32(b + 4, (u32)v);
	dtw_prop(w, name, b, 8);
}

/* The peer's tree at `at` (at most PEER_DT_SIZE): /chosen with the script and stdout-path, the
 * owner's own UART (address from the owner's DT, plat.uart) as the peer's console node; in
 * PEER_MODE_IRQ also the IRQ handle and the owner's GIC (distributor, the first redistributor) as
 * an arm,gic-v3 node (GICv2: distributor and CPU interface, an arm,cortex-a15-gic). The RM adds
 * /hypervisor. False if it does not fit. */
static bool peer_dt(u64 at, u32 mode, u32 share_handle, u64 share_ipa, u32 irq_handle)
{
	static struct dtw w;
	char serial[32];
	u8 reg[16];
	u8 *out = (u8 *)(uintptr_t)at;
	const u32 hdr = 40, rsv = 16, off_struct = hdr + rsv;
	u32 total;

	memset(&w, 0, sizeof(w));
	snprintf(serial, sizeof(serial), "/serial@%lx", plat.uart);
	dtw_begin(&w, "");
	dtw_prop_u32(&w, "#address-cells", 2);
	dtw_prop_u32(&w, "#size-cells", 2);
	dtw_begin(&w, "chosen");
	dtw_prop(&w, "stdout-path", serial, (u32)strlen(serial) + 1);
	dtw_prop_u32(&w, PEER_DT_MODE, mode);
	dtw_prop_u32(&w, PEER_DT_SHARE_HANDLE, share_handle);
	dtw_prop_u64(&w, PEER_DT_SHARE_IPA, share_ipa);
	if (mode == PEER_MODE_IRQ)
		dtw_prop_u32(&w, PEER_DT_IRQ_HANDLE, irq_handle);
	dtw_end(&w);
	if (mode == PEER_MODE_IRQ) {
		u8 gic[32];

		/* GICv2: the distributor and the CPU interface (8 KiB) of a cortex-a15-gic. */
		bool v2 = plat.gic_version == 2;
		u64 second = v2 ? plat.gicc : plat.gicr;

		dtw_begin(&w, "interrupt-controller");
		if (v2)
			dtw_prop(&w, "compatible", "arm,cortex-a15-gic", 19);
		else
			dtw_prop(&w, "compatible", "arm,gic-v3", 11);
		put_be32(gic, (u32)(plat.gicd >> 32));
		put_be32(gic + 4, (u32)plat.gicd);
		put_be32(gic + 8, 0);
		put_be32(gic + 12, 0x10000);
		put_be32(gic + 16, (u32)(second >> 32));
		put_be32(gic + 20, (u32)second);
		put_be32(gic + 24, 0);
		put_be32(gic + 28, v2 ? 0x2000 : 0x20000);
		dtw_prop(&w, "reg", gic, sizeof(gic));
		dtw_end(&w);
	}
	dtw_begin(&w, serial + 1);
	dtw_prop(&w, "compatible", "arm,pl011", 10);
	put_be32(reg, (u32)(plat.uart >> 32));
	put_be32(reg + 4, (u32)plat.uart);
	put_be32(reg + 8, 0);
	put_be32(reg + 12, PEER_PAGE);
	dtw_prop(&w, "reg", reg, sizeof(reg));
	dtw_end(&w);
	dtw_end(&w);
	dtw_u32(&w, 9); /* FDT_END */
	total = off_struct + w.st_len + w.str_len;
	if (w.overflow || total > PEER_DT_SIZE)
		return false;
	memset(out, 0, PEER_DT_SIZE);
	put_be32(out, 0xd00dfeedU);
	put_be32(out + 4, total);
	put_be32(out + 8, off_struct);
	put_be32(out + 12, off_struct + w.st_len);
	put_be32(out + 16, hdr);
	put_be32(out + 20, 17);
	put_be32(out + 24, 16);
	put_be32(out + 28, 0);
	put_be32(out + 32, w.str_len);
	put_be32(out + 36, w.st_len);
	memcpy(out + off_struct, w.st, w.st_len);
	memcpy(out + off_struct + w.st_len, w.str, w.str_len);
	return true;
}

/* Where fail_at writes: the problem of the run going on. */
static char *problem_of_run = ps.problem;

void peer_problem_to(char *buf)
{
	problem_of_run = buf;
}

/* Records the first thing that went wrong in the run. */
static bool fail_at(const char *what, u32 got)
{
	if (problem_of_run[0] == '\0')
		snprintf(problem_of_run, sizeof(ps.problem), "%s (0x%x)", what, got);
	return false;
}

/* A request and its reply; *err the RM error, false if no reply came. */
static bool call(const char *what, u32 id, const void *req, u32 len, u32 *err, struct rm_msg *m)
{
	if (rm_call(id, rm_next_seq(), req, len, m) != RM_IO_OK || m->len < 4)
		return fail_at(what, 0xffffffffU);
	*err = rm_get32(m->payload);
	return true;
}

/* A request that must answer OK with reply_len payload bytes in all. */
static bool call_ok(const char *what, u32 id, const void *req, u32 len, u32 reply_len,
                    struct rm_msg *m)
{
	u32 err;

	if (!call(what, id, req, len, &err, m))
		return false;
	if (err != GH_RM_ERRORS_OK || m->len != reply_len)
		return fail_at(what, err != GH_RM_ERRORS_OK ? err : m->len);
	return true;
}

static bool vmid_ok(const char *what, u32 id, u16 vmid, u32 reply_len, struct rm_msg *m)
{
	u8 req[4];

	rm_put16(req, vmid);
	rm_put16(req + 2, 0);
	return call_ok(what, id, req, sizeof(req), reply_len, m);
}

u32 peer_mem_handle_call(u32 id, u32 handle, struct rm_msg *m)
{
	u8 req[GH_RM_MEM_HANDLE_REQUEST];
	u32 err = 0xffffffffU;

	memset(req, 0, sizeof(req));
	rm_put32(req, handle);
	(void)call("MEM_RELEASE/RECLAIM", id, req, sizeof(req), &err, m);
	return err;
}

/* MEM_SHARE or MEM_LEND of [ipa, ipa + size) to vmid with `rights` (a share lists the owner too,
 * with every right: §6, upstream memparcel): the handle, 0 on failure. */
u32 peer_create_parcel(const char *what, u32 id, u16 vmid, u8 rights, u64 ipa, u64 size)
{
	u8 req[GH_RM_MEM_CREATE_HEADER + 4 + 2 * GH_RM_MEM_ACL_ENTRY + 4 + GH_RM_MEM_SGL_ENTRY + 4];
	const bool is_share = id == GH_RM_IDS_MEM_SHARE;
	u32 at = GH_RM_MEM_CREATE_HEADER;
	struct rm_msg m;

	memset(req, 0, sizeof(req));
	req[0] = GH_RM_MEM_TYPE_NORMAL;
	rm_put32(req + at, is_share ? 2 : 1);
	at += 4;
	if (is_share) {
		rm_put16(req + at, (u16)rm_chan_get()->vmid);
		req[at + 2] = GH_RM_MEM_RIGHT_R | GH_RM_MEM_RIGHT_W | GH_RM_MEM_RIGHT_X;
		at += GH_RM_MEM_ACL_ENTRY;
	}
	rm_put16(req + at, vmid);
	req[at + 2] = rights;
	at += GH_RM_MEM_ACL_ENTRY;
	rm_put16(req + at, 1);
	at += 4;
	rm_put64(req + at, ipa);
	rm_put64(req + at + 8, size);
	at += GH_RM_MEM_SGL_ENTRY + 4; /* no attributes */
	if (!call_ok(what, id, req, at, 8, &m))
		return 0;
	return rm_get32(m.payload + 4);
}

/* The peer image and its DT into [ram, ram + PEER_RAM_SIZE), then lent to vmid, configured,
 * initialised and started. The handle of the RAM's parcel, 0 on failure. */
u32 peer_launch(u16 vmid, u64 ram, u32 mode, u32 share_handle, u64 share_ipa, u32 irq_handle)
{
	const u64 image_len = (u64)(uintptr_t)peer_image_end - (u64)(uintptr_t)peer_image_start;
	u8 req[40];
	struct rm_msg m;
	u32 handle;

	if (image_len > PEER_IMAGE_MAX)
		return fail_at("peer image larger than PEER_IMAGE_MAX", (u32)image_len);
	memset((void *)(uintptr_t)ram, 0, PEER_RAM_SIZE);
	memcpy((void *)(uintptr_t)ram, peer_image_start, image_len);
	if (!peer_dt(ram + PEER_DT_OFFSET, mode, share_handle, share_ipa, irq_handle))
		return fail_at("peer DT does not fit", PEER_DT_SIZE);
	peer_cache_clean(ram, PEER_RAM_SIZE); /* the peer starts with its caches off */
	handle = peer_create_parcel("MEM_LEND of the peer's RAM", GH_RM_IDS_MEM_LEND, vmid,
	                            GH_RM_MEM_RIGHT_R | GH_RM_MEM_RIGHT_W | GH_RM_MEM_RIGHT_X, ram,
	                            PEER_RAM_SIZE);
	if (handle == 0 && problem_of_run[0] != '\0')
		return 0;
	rm_put16(req, vmid);
	rm_put16(req + 2, 0);
	rm_put32(req + 4, handle);
	rm_put64(req + 8, 0);
	rm_put64(req + 16, PEER_IMAGE_MAX);
	rm_put64(req + 24, PEER_DT_OFFSET);
	rm_put64(req + 32, PEER_DT_SIZE);
	if (!call_ok("VM_CONFIG_IMAGE", GH_RM_IDS_VM_CONFIG_IMAGE, req, sizeof(req), 4, &m) ||
	    !vmid_ok("VM_INIT", GH_RM_IDS_VM_INIT, vmid, 4, &m) ||
	    !vmid_ok("VM_START", GH_RM_IDS_VM_START, vmid, 4, &m))
		return 0;
	return handle;
}

/* Waits (bounded, yielding: the peer runs at the owner's priority) for the shared page's mark. */
bool peer_wait_mark(volatile u64 *sh)
{
	u64 end = timer_now() + timer_freq() / 1000 * PEER_WAIT_MS;

	while (timer_now() < end) {
		peer_cache_clean((u64)(uintptr_t)sh, PEER_PAGE);
		if (sh[PEER_SH_MAILBOX] == PEER_MB_ACCEPTED)
			return true;
		gh_native(GH_HVC_SCHEDULER_YIELD, NULL);
	}
	return false;
}

/* The VM_EXITED for vmid; its payload into out. */
bool peer_wait_exited(u16 vmid, u8 *out, u32 *len)
{
	const struct rm_notif *n = rm_notif_wait(GH_RM_NOTIFICATIONS_VM_EXITED, PEER_WAIT_MS);

	if (n == NULL || rm_get16(n->payload) != vmid)
		return fail_at("no VM_EXITED from the peer", n != NULL ? rm_get16(n->payload) : 0);
	*len = n->len;
	memcpy(out, n->payload, n->len < 16 ? n->len : 16);
	return true;
}

void peer_read_report(u64 ram, struct peer_report *rep)
{
	peer_cache_clean(ram + PEER_REPORT_OFFSET, sizeof(*rep));
	memcpy(rep, (const void *)(uintptr_t)(ram + PEER_REPORT_OFFSET), sizeof(*rep));
}

/* Stops, resets and deallocates vmid whatever state it is in, and reclaims its parcels: after a
 * run that stopped early, so the next test starts clean. Errors are expected and ignored. */
static void peer_cleanup(u16 vmid)
{
	struct rm_msg m;
	u8 req[8] = {0};

	rm_put16(req, vmid);
	req[2] = 1; /* FORCE */
	(void)rm_call(GH_RM_IDS_VM_STOP, rm_next_seq(), req, 8, &m);
	(void)rm_call(GH_RM_IDS_VM_RESET, rm_next_seq(), req, 4, &m);
	(void)rm_call(GH_RM_IDS_VM_DEALLOCATE, rm_next_seq(), req, 4, &m);
	if (ps.ram_handle != 0 &&
	    peer_mem_handle_call(GH_RM_IDS_MEM_RECLAIM, ps.ram_handle, &m) == GH_RM_ERRORS_OK)
		/* how far the peer got, for the FAIL line */
		peer_read_report(ps.ram, problem_of_run == ps.problem ? &ps.rep : &ps.again_rep);
	if (ps.share_handle != 0)
		(void)peer_mem_handle_call(GH_RM_IDS_MEM_RECLAIM, ps.share_handle, &m);
}

/* VM_CONSOLE_WRITE {target vmid, n, line} from the owner: the RM error (0xffffffff without a
 * reply). */
static u32 owner_console_write(u16 vmid, const char *line)
{
	u8 req[GH_RM_CONSOLE_WRITE_HEADER + 64];
	u32 n = (u32)strlen(line), err = 0xffffffffU;
	struct rm_msg m;

	rm_put16(req, vmid);
	rm_put16(req + 2, (u16)n);
	memcpy(req + GH_RM_CONSOLE_WRITE_HEADER, line, n);
	(void)call("VM_CONSOLE_WRITE into the peer's console", GH_RM_IDS_CONSOLE_WRITE, req,
	           GH_RM_CONSOLE_WRITE_HEADER + n, &err, &m);
	return err;
}

/* The first notification `id` to come within PEER_WAIT_MS: its payload (at most 16 bytes) into
 * out, its length into *len (0: none came). */
static void owner_notif(u32 id, u8 *out, u32 *len)
{
	const struct rm_notif *n = rm_notif_wait(id, PEER_WAIT_MS);

	*len = 0;
	if (n != NULL) {
		*len = n->len;
		memcpy(out, n->payload, n->len < 16 ? n->len : 16);
	}
}

/* MEM_NOTIFY(SHARED, PEER_MEM_TAG, {the owner}) of the share: the tag the peer's notifications
 * must carry (the owner is in the share's ACL; the MEM_SHARED it gets is consumed). */
static u32 owner_tag_share(u32 handle)
{
	u8 req[GH_RM_MEM_NOTIFY_HEADER + 8];
	u32 err = 0xffffffffU;
	struct rm_msg m;

	memset(req, 0, sizeof(req));
	rm_put32(req, handle);
	req[4] = GH_RM_MEM_NOTIFY_SHARED;
	rm_put32(req + 8, PEER_MEM_TAG);
	rm_put16(req + GH_RM_MEM_NOTIFY_HEADER, 1);
	rm_put16(req + GH_RM_MEM_NOTIFY_HEADER + 4, (u16)rm_chan_get()->vmid);
	(void)call("MEM_NOTIFY(SHARED) of the share to the owner", GH_RM_IDS_MEM_NOTIFY, req,
	           sizeof(req), &err, &m);
	(void)rm_notif_wait(GH_RM_NOTIFICATIONS_MEM_SHARED, PEER_WAIT_MS);
	return err;
}

/* The owner's half of the share script (humpy/peer.h). */
static bool peer_share_run(void)
{
	volatile u64 *sh;
	struct rm_msg m;

	if (!vmid_ok("VM_ALLOCATE", GH_RM_IDS_VM_ALLOCATE, 0, 8, &m))
		return false;
	ps.vmid = rm_get16(m.payload + 4);
	/* The owner's side of the peer's console: what the peer writes comes back as CHARS. */
	if (!vmid_ok("VM_CONSOLE_OPEN of the peer's console", GH_RM_IDS_CONSOLE_OPEN, ps.vmid, 4,
	             &m))
		return false;
	sh = (volatile u64 *)(uintptr_t)ps.shared;
	memset((void *)(uintptr_t)ps.shared, 0, PEER_PAGE);
	sh[PEER_SH_OWNER] = PEER_OWNER0;
	sh[PEER_SH_OWNER + 1] = PEER_OWNER1;
	peer_cache_clean(ps.shared, PEER_PAGE);
	ps.share_handle =
	    peer_create_parcel("MEM_SHARE to the peer", GH_RM_IDS_MEM_SHARE, ps.vmid,
	                       GH_RM_MEM_RIGHT_R | GH_RM_MEM_RIGHT_W, ps.shared, PEER_PAGE);
	if (ps.problem[0] != '\0')
		return false;
	ps.share_handle_seen = ps.share_handle;
	ps.tag_err = owner_tag_share(ps.share_handle);
	ps.ram_handle =
	    peer_launch(ps.vmid, ps.ram, PEER_MODE_SHARE, ps.share_handle, ps.shared, 0);
	if (ps.problem[0] != '\0')
		return false;
	ps.marked = peer_wait_mark(sh);
	if (!ps.marked)
		return fail_at("no ACCEPTED mark from the peer in the shared page", 0);
	ps.peer_words[0] = sh[PEER_SH_PEER];
	ps.peer_words[1] = sh[PEER_SH_PEER + 1];
	/* The peer's MEM_NOTIFY(ACCEPTED) came before its mark. */
	owner_notif(GH_RM_NOTIFICATIONS_MEM_ACCEPTED, ps.accepted, &ps.accepted_len);
	/* The peer holds the share now (or never took it): the owner tries to take it back. */
	ps.reclaim_held_err = peer_mem_handle_call(GH_RM_IDS_MEM_RECLAIM, ps.share_handle, &m);
	ps.reclaim_held_len = m.len;
	/* The peer opened its own console before it accepted: the owner's line reaches it as CHARS,
	 * queued before the reply to the peer's next request. */
	ps.owner_write_err = owner_console_write(ps.vmid, PEER_OWNER_LINE);
	sh[PEER_SH_GO] = PEER_MB_GO;
	peer_cache_clean(ps.shared, PEER_PAGE);
	if (!peer_wait_exited(ps.vmid, ps.exited, &ps.exited_len))
		return false;
	owner_notif(GH_RM_NOTIFICATIONS_MEM_RELEASED, ps.released, &ps.released_len);
	{
		const struct rm_notif *n =
		    rm_notif_wait(GH_RM_NOTIFICATIONS_CONSOLE_CHARS, PEER_WAIT_MS);

		if (n != NULL) {
			ps.chars_len = n->len;
			memcpy(ps.chars, n->payload,
			       n->len < sizeof(ps.chars) ? n->len : sizeof(ps.chars));
		}
	}
	if (!vmid_ok("VM_RESET", GH_RM_IDS_VM_RESET, ps.vmid, 4, &m))
		return false;
	ps.ram_reclaim_err = peer_mem_handle_call(GH_RM_IDS_MEM_RECLAIM, ps.ram_handle, &m);
	if (ps.ram_reclaim_err != GH_RM_ERRORS_OK)
		return fail_at("MEM_RECLAIM of the peer's RAM after VM_RESET", ps.ram_reclaim_err);
	ps.ram_handle = 0;
	peer_read_report(ps.ram, &ps.rep);
	ps.share_reclaim_err = peer_mem_handle_call(GH_RM_IDS_MEM_RECLAIM, ps.share_handle, &m);
	ps.share_reclaim2_err = peer_mem_handle_call(GH_RM_IDS_MEM_RECLAIM, ps.share_handle, &m);
	ps.share_handle = 0;
	return vmid_ok("VM_DEALLOCATE", GH_RM_IDS_VM_DEALLOCATE, ps.vmid, 4, &m);
}

/* The same VMID and the same RAM again: a peer that only asks its VMID and exits. */
static bool peer_again_run(void)
{
	struct rm_msg m;
	u8 exited[16];
	u32 len;

	if (!vmid_ok("VM_ALLOCATE of the same VMID", GH_RM_IDS_VM_ALLOCATE, ps.vmid, 8, &m))
		return false;
	ps.again_vmid = rm_get16(m.payload + 4);
	ps.ram_handle = peer_launch(ps.vmid, ps.ram, PEER_MODE_EXIT, 0, 0, 0);
	if (problem_of_run[0] != '\0')
		return false;
	ps.again_exited = peer_wait_exited(ps.vmid, exited, &len);
	if (!ps.again_exited || !vmid_ok("VM_RESET (again)", GH_RM_IDS_VM_RESET, ps.vmid, 4, &m))
		return false;
	ps.again_ram_reclaim_err = peer_mem_handle_call(GH_RM_IDS_MEM_RECLAIM, ps.ram_handle, &m);
	if (ps.again_ram_reclaim_err != GH_RM_ERRORS_OK)
		return fail_at("MEM_RECLAIM of the peer's RAM after the second VM_RESET",
		               ps.again_ram_reclaim_err);
	ps.ram_handle = 0;
	peer_read_report(ps.ram, &ps.again_rep);
	return vmid_ok("VM_DEALLOCATE (again)", GH_RM_IDS_VM_DEALLOCATE, ps.vmid, 4, &m);
}

/*
 * One run for all the peer tests. The peer's RAM is 8 MiB below the top of the first RAM range and
 * the shared page 6 MiB below it: other 2 MiB pieces than the lifecycle and mem tests' pages, far
 * from the guest's image (the RM remaps the piece around a lent range, hyp/README.md).
 */
static const struct peer_session *peer_session(void)
{
	if (ps.ran)
		return &ps;
	ps.ran = true;
	problem_of_run = ps.problem; /* irq.c or mem.c may have pointed it at theirs */
	ps.ram = plat.ram_base[0] + plat.ram_size[0] - 8 * 1024 * 1024;
	ps.shared = plat.ram_base[0] + plat.ram_size[0] - 6 * 1024 * 1024;
	if (!peer_share_run()) {
		peer_cleanup(ps.vmid);
	} else {
		problem_of_run = ps.again_problem;
		if (!peer_again_run())
			peer_cleanup(ps.vmid);
	}
	ps.done = true;
	return &ps;
}

/* FAILs the test when the first run was abandoned or stopped early (the second run's problems are
 * peer_reset_frees_parcel's alone). */
#define PEER_SESSION(s)                                                                            \
	const struct peer_session *s = peer_session();                                             \
	do {                                                                                       \
		if (!s->done) {                                                                    \
			test_fail("peer run abandoned at its time limit (in an earlier test)");    \
			return;                                                                    \
		}                                                                                  \
		if (s->problem[0] != '\0') {                                                       \
			test_fail("peer run: %s; peer report step %lu problem %lu", s->problem,    \
			          s->rep.step, s->rep.problem);                                    \
			return;                                                                    \
		}                                                                                  \
	} while (0)

#define ASSERT_FAULT_AT(what, f, far_, elr_)                                                       \
	do {                                                                                       \
		ASSERT_EQ(what " count", (f).count, 1);                                            \
		ASSERT_EQ(what " ESR_EL1", (f).esr, FAULT_ESR_DABT);                               \
		ASSERT_EQ(what " FAR_EL1", (f).far, (far_));                                       \
		ASSERT_EQ(what " ELR_EL1", (f).elr, (elr_));                                       \
	} while (0)

/* Proves a peer finds the RM as the primary VM does: the /hypervisor node the RM wrote into its DT
 * names a queue pair on which VM_GET_VMID answers OK with its own VMID; it ran its whole script
 * (no problem, no stray exception) and its VM_EXIT reached the owner as VM_EXITED {vmid, VM_EXIT,
 * reason size 4, reason flags 0 | code 0 << 16}, 12 bytes (§6 Transport, VM_GET_VMID, VM_EXIT). */
RM_TEST(peer_finds_rm)
{
	PEER_SESSION(s);

	ASSERT_EQ("report magic", s->rep.magic, PEER_REPORT_MAGIC);
	ASSERT_EQ("peer problem", s->rep.problem, PEER_PROBLEM_NONE);
	ASSERT_EQ("peer step", s->rep.step, PEER_STEP_EXIT);
	ASSERT_EQ("peer stray exceptions", s->rep.stray.count, 0);
	ASSERT_EQ("VM_GET_VMID error (peer)", s->rep.vmid_err, GH_RM_ERRORS_OK);
	ASSERT_EQ("VM_GET_VMID (peer)", s->rep.vmid, s->vmid);
	ASSERT_TRUE("peer's TX and RX caps distinct", s->rep.rpc_tx_cap != s->rep.rpc_rx_cap);
	ASSERT_EQ("VM_EXITED length", s->exited_len, 12);
	ASSERT_EQ("VM_EXITED vmid", rm_get16(s->exited), s->vmid);
	ASSERT_EQ("VM_EXITED exit_type", rm_get16(s->exited + 2), GH_RM_EXIT_TYPE_VM_EXIT);
	ASSERT_EQ("VM_EXITED reason size", rm_get32(s->exited + 4), 4);
	ASSERT_EQ("VM_EXITED reason (flags 0 | code 0 << 16)", rm_get32(s->exited + 8), 0);
}

/* Proves a peer's console reaches its owner: the peer's VM_CONSOLE_OPEN (target 0) and
 * VM_CONSOLE_WRITE of PEER_CONSOLE_LINE answer OK, and the owner, which opened the peer's console
 * (target = its VMID), gets exactly one VM_CONSOLE_CHARS {from the peer's VMID, the line's length,
 * the line's bytes} (§6 console layouts; upstream RM console rules). */
RM_TEST(peer_console_to_owner)
{
	static const char line[] = PEER_CONSOLE_LINE;
	u8 want[4 + sizeof(line) - 1];
	PEER_SESSION(s);

	ASSERT_EQ("peer's VM_CONSOLE_OPEN", s->rep.console_open_err, GH_RM_ERRORS_OK);
	ASSERT_EQ("peer's VM_CONSOLE_WRITE", s->rep.console_write_err, GH_RM_ERRORS_OK);
	ASSERT_EQ("VM_CONSOLE_CHARS length", s->chars_len, sizeof(want));
	rm_put16(want, s->vmid);
	rm_put16(want + 2, sizeof(line) - 1);
	memcpy(want + 4, line, sizeof(line) - 1);
	rm_expect_bytes("VM_CONSOLE_CHARS", s->chars, want, sizeof(want));
}

/* Proves an owner's console writes reach its peer: the owner's VM_CONSOLE_WRITE {the peer's VMID,
 * n, PEER_OWNER_LINE} (its side of the peer's console open) answers OK, and the peer, which opened
 * its own side, receives exactly one VM_CONSOLE_CHARS {from the owner's VMID, n, the line's bytes}
 * (§6 console layouts; humpy's RM names the owner as the sender, upstream's sends 0: spec
 * rm.console). */
RM_TEST(peer_console_from_owner)
{
	static const char line[] = PEER_OWNER_LINE;
	u8 want[4 + sizeof(line) - 1];
	PEER_SESSION(s);

	ASSERT_EQ("owner's VM_CONSOLE_WRITE (target the peer)", s->owner_write_err,
	          GH_RM_ERRORS_OK);
	ASSERT_EQ("VM_CONSOLE_CHARS the peer received", s->rep.chars_seen, 1);
	ASSERT_EQ("VM_CONSOLE_CHARS length (peer)", s->rep.chars_len, sizeof(want));
	rm_put16(want, (u16)rm->vmid);
	rm_put16(want + 2, sizeof(line) - 1);
	memcpy(want + 4, line, sizeof(line) - 1);
	rm_expect_bytes("VM_CONSOLE_CHARS (peer)", (const u8 *)s->rep.chars, want, sizeof(want));
}

/* Proves MEM_NOTIFY's borrower side (§6 MEM_NOTIFY; upstream memparcel_msg.h
 * memparcel_owner_notif_t): with the share tagged PEER_MEM_TAG by the owner's MEM_NOTIFY(SHARED)
 * (OK), the peer's MEM_NOTIFY(ACCEPTED) after its accept and MEM_NOTIFY(RELEASED) after its release
 * answer OK, and the owner gets exactly MEM_ACCEPTED and MEM_RELEASED {u32 handle, u16 the peer's
 * VMID, u16 0, u32 tag}, 12 bytes each. */
RM_TEST(peer_mem_notify_owner)
{
	u8 want[12];
	PEER_SESSION(s);

	ASSERT_EQ("owner's MEM_NOTIFY(SHARED) to itself", s->tag_err, GH_RM_ERRORS_OK);
	ASSERT_EQ("peer's MEM_NOTIFY(ACCEPTED)", s->rep.notify_accepted_err, GH_RM_ERRORS_OK);
	ASSERT_EQ("peer's MEM_NOTIFY(RELEASED)", s->rep.notify_released_err, GH_RM_ERRORS_OK);
	rm_put32(want, s->share_handle_seen);
	rm_put16(want + 4, s->vmid);
	rm_put16(want + 6, 0);
	rm_put32(want + 8, PEER_MEM_TAG);
	ASSERT_EQ("MEM_ACCEPTED length", s->accepted_len, sizeof(want));
	if (!rm_expect_bytes("MEM_ACCEPTED", s->accepted, want, sizeof(want)))
		return;
	ASSERT_EQ("MEM_RELEASED length", s->released_len, sizeof(want));
	rm_expect_bytes("MEM_RELEASED", s->released, want, sizeof(want));
}

/* Proves only a VM's owner starts it (§6 VM_START; humpy's RM: owner-only VM calls): the running
 * peer's VM_START of its own VMID, a VM the primary owns, is DENIED. */
RM_TEST(peer_start_not_owner)
{
	PEER_SESSION(s);

	ASSERT_EQ("peer's VM_START of itself", s->rep.start_self_err, GH_RM_ERRORS_DENIED);
}

/* Proves share -> the peer accepts, reads and writes: MEM_ACCEPT (with the owner's IPA as its SGL)
 * answers OK alone (4 bytes), the peer read exactly the owner's two words, and the owner reads
 * exactly the peer's two words (the first owner word ^ PEER_XOR, then its VMID tagged) (§6
 * MEM_SHARE, MEM_ACCEPT). */
RM_TEST(peer_share_accept_read_write)
{
	PEER_SESSION(s);

	ASSERT_EQ("MEM_ACCEPT error", s->rep.accept_err, GH_RM_ERRORS_OK);
	ASSERT_EQ("MEM_ACCEPT reply length", s->rep.accept_len, 4);
	ASSERT_EQ("owner word 0 as the peer read it", s->rep.read[0], PEER_OWNER0);
	ASSERT_EQ("owner word 1 as the peer read it", s->rep.read[1], PEER_OWNER1);
	ASSERT_TRUE("the peer's ACCEPTED mark reached the owner", s->marked);
	ASSERT_EQ("peer word 0 as the owner read it", s->peer_words[0], PEER_OWNER0 ^ PEER_XOR);
	ASSERT_EQ("peer word 1 as the owner read it", s->peer_words[1], PEER_VMID_TAG | s->vmid);
}

/* Proves a second MEM_ACCEPT of a parcel the peer already holds is refused with the spec's error
 * (rm.mem.accept_held: MEM_INUSE), a standard 4-byte reply (§6 MEM_ACCEPT). */
RM_TEST(peer_double_accept)
{
	PEER_SESSION(s);

	ASSERT_EQ("first MEM_ACCEPT", s->rep.accept_err, GH_RM_ERRORS_OK);
	ASSERT_EQ("second MEM_ACCEPT error", s->rep.accept2_err, GH_RM_MEM_ACCEPT_HELD);
	ASSERT_EQ("second MEM_ACCEPT reply length", s->rep.accept2_len, 4);
}

/* Proves the owner cannot reclaim a parcel the peer holds: MEM_RECLAIM then is the spec's error
 * (rm.mem.reclaim_held: MEM_INUSE, a 4-byte reply); after the peer's MEM_RELEASE (OK) the same
 * MEM_RECLAIM is OK and a second one HANDLE_INVALID (§6 MEM_RECLAIM, MEM_RELEASE). */
RM_TEST(peer_reclaim_while_accepted)
{
	PEER_SESSION(s);

	ASSERT_TRUE("the peer held the share", s->marked);
	ASSERT_EQ("MEM_RECLAIM while held", s->reclaim_held_err, GH_RM_MEM_RECLAIM_HELD);
	ASSERT_EQ("MEM_RECLAIM while held, reply length", s->reclaim_held_len, 4);
	ASSERT_EQ("MEM_RELEASE by the peer", s->rep.release_err, GH_RM_ERRORS_OK);
	ASSERT_EQ("MEM_RECLAIM after the release", s->share_reclaim_err, GH_RM_ERRORS_OK);
	ASSERT_EQ("second MEM_RECLAIM", s->share_reclaim2_err, GH_RM_ERRORS_HANDLE_INVALID);
}

/* Proves MEM_RELEASE takes the page out of the peer's Stage-2 and ends its hold: a load there is a
 * synchronous external abort (ESR DABT/SEA, FAR the page, ELR the load at PEER_LOAD_OFFSET of the
 * image) and a second MEM_RELEASE is the spec's rm.mem.release_not_held (MEM_RELEASED) (§6, section
 * 8). */
RM_TEST(peer_release_unmaps)
{
	PEER_SESSION(s);

	ASSERT_EQ("MEM_RELEASE", s->rep.release_err, GH_RM_ERRORS_OK);
	ASSERT_EQ("second MEM_RELEASE", s->rep.release2_err, GH_RM_MEM_RELEASE_NOT_HELD);
	ASSERT_FAULT_AT("load after release:", s->rep.gone_fault, s->shared,
	                s->ram + PEER_LOAD_OFFSET);
}

/* Proves a VM without a console grant cannot reach the UART: the peer's store to the UART its DT
 * names (the owner's own UART, from the owner's DT) is a synchronous external abort with ESR
 * DABT/SEA, FAR the UART's address and ELR the store at PEER_STORE_OFFSET (issue 11 point 4,
 * section 8). */
RM_TEST(peer_uart_stage2_fault)
{
	PEER_SESSION(s);

	ASSERT_EQ("UART address in the peer's DT", s->rep.uart, plat.uart);
	ASSERT_FAULT_AT("store to the UART:", s->rep.uart_fault, plat.uart,
	                s->ram + PEER_STORE_OFFSET);
}

/* Proves VM_RESET gives the peer's parcels back and frees its VMID: after it the owner reclaims
 * the peer's RAM (OK) and reads its report; VM_DEALLOCATE is OK; VM_ALLOCATE of the same VMID gives
 * it, and the same RAM lent again runs a second peer through VM_INIT and VM_START to its own
 * VM_EXIT (VM_GET_VMID OK, the same VMID), after whose VM_RESET the RAM is reclaimed again (§6
 * VM_RESET, VM_ALLOCATE). */
RM_TEST(peer_reset_frees_parcel)
{
	PEER_SESSION(s);

	ASSERT_EQ("MEM_RECLAIM of the RAM after VM_RESET", s->ram_reclaim_err, GH_RM_ERRORS_OK);
	if (s->again_problem[0] != '\0') {
		test_fail("second run: %s; its report step %lu problem %lu", s->again_problem,
		          s->again_rep.step, s->again_rep.problem);
		return;
	}
	ASSERT_EQ("VM_ALLOCATE of the same VMID", s->again_vmid, s->vmid);
	ASSERT_TRUE("the second peer's VM_EXITED", s->again_exited);
	ASSERT_EQ("second peer's report magic", s->again_rep.magic, PEER_REPORT_MAGIC);
	ASSERT_EQ("second peer's VM_GET_VMID error", s->again_rep.vmid_err, GH_RM_ERRORS_OK);
	ASSERT_EQ("second peer's VMID", s->again_rep.vmid, s->vmid);
	ASSERT_EQ("second peer's step", s->again_rep.step, PEER_STEP_EXIT);
	ASSERT_EQ("MEM_RECLAIM after the second VM_RESET", s->again_ram_reclaim_err,
	          GH_RM_ERRORS_OK);
}

/*
 * The peer: a VM an owner builds through the RM (VM_ALLOCATE .. VM_START) that is itself an RM
 * client (peer/README.md). It finds its RPC channel in the /hypervisor node the RM wrote into its
 * DT, as the primary VM does (reference §6 Transport, §10), runs what /chosen asks and leaves an
 * exact report in its RAM for the owner to read once it has its pages back. Everything else it
 * knows comes from the spec (GH_*) and humpy/peer.h.
 */
#include <gunyah_spec.h>
#include <humpy/fdt.h>
#include <humpy/libc.h>
#include <humpy/peer.h>

void peer_main(u64 dtb, u64 base);
void peer_store32(u64 addr, u32 value);
u64 peer_load64(u64 addr);

/* start.S: exceptions taken (count, ESR, FAR, ELR of the last). */
extern volatile u64 peer_exc[4];

static volatile struct peer_report *report;
static u64 tx_cap, rx_cap;
static u16 seq;

struct peer_ret {
	u64 x[4];
};

/* A native hypercall with up to four inputs (the rest zero, as res0 wants: reference §1a). */
static struct peer_ret peer_hvc(u32 call, u64 a0, u64 a1, u64 a2, u64 a3)
{
	register u64 r0 __asm__("x0") = a0;
	register u64 r1 __asm__("x1") = a1;
	register u64 r2 __asm__("x2") = a2;
	register u64 r3 __asm__("x3") = a3;
	register u64 r4 __asm__("x4") = 0;
	register u64 r5 __asm__("x5") = 0;
	register u64 r6 __asm__("x6") = 0;
	register u64 r7 __asm__("x7") = 0;
	struct peer_ret out;

	switch (call) {
#define PEER_HVC_CASE(n)                                                                           \
	case n:                                                                                    \
		__asm__ volatile("hvc %[imm]"                                                      \
		                 : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4), "+r"(r5),     \
		                   "+r"(r6), "+r"(r7)                                              \
		                 : [imm] "i"(GH_HVC_NATIVE_BASE + (n))                             \
		                 : "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16",    \
		                   "x17", "memory");                                               \
		break;
		PEER_HVC_CASE(GH_HVC_MSGQUEUE_SEND)
		PEER_HVC_CASE(GH_HVC_MSGQUEUE_RECEIVE)
		PEER_HVC_CASE(GH_HVC_SCHEDULER_YIELD)
	default:
		r0 = ~0ULL;
		break;
	}
	out.x[0] = r0;
	out.x[1] = r1;
	out.x[2] = r2;
	out.x[3] = r3;
	return out;
}

static void yield(void)
{
	(void)peer_hvc(GH_HVC_SCHEDULER_YIELD, 0, 0, 0, 0);
}

static u64 now_ticks(void)
{
	u64 t;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(t));
	return t;
}

static u64 ms_ticks(u32 ms)
{
	u64 f;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
	return f / 1000U * ms;
}

static void put16(u8 *p, u16 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
}

static void put32(u8 *p, u32 v)
{
	put16(p, (u16)v);
	put16(p + 2, (u16)(v >> 16));
}

static void put64(u8 *p, u64 v)
{
	put32(p, (u32)v);
	put32(p + 4, (u32)(v >> 32));
}

static u32 get32(const u8 *p)
{
	return (u32)p[0] | ((u32)p[1] << 8) | ((u32)p[2] << 16) | ((u32)p[3] << 24);
}

/* An IRQ_LENT notification {u16 owner, u16 reserved, u32 handle, u32 label} into the report (the
 * first one only): the IRQ script checks the owner's VM_IRQ_NOTIFY reached it. */
static void note_lent(const u8 *msg, u32 n)
{
	const u8 *p = msg + GH_RM_HEADER_SIZE;

	if (n != GH_RM_HEADER_SIZE + 12 ||
	    (msg[1] & GH_RM_HEADER_TYPE_MASK) != GH_RM_MSG_TYPE_NOTIFICATION ||
	    get32(msg + GH_RM_HEADER_ID_OFFSET) != GH_RM_NOTIFICATIONS_IRQ_LENT ||
	    report->lent_seen++ != 0)
		return;
	report->lent_owner = (u64)p[0] | ((u64)p[1] << 8);
	report->lent_handle = get32(p + 4);
	report->lent_label = get32(p + 8);
}

/* A VM_CONSOLE_CHARS notification {u16 from, u16 n, bytes}: counted, the first one kept in the
 * report (its payload length and first PEER_CHARS_MAX bytes) for the owner to compare. */
static void note_chars(const u8 *msg, u32 n)
{
	u32 len = n - GH_RM_HEADER_SIZE;

	if (n < GH_RM_HEADER_SIZE ||
	    (msg[1] & GH_RM_HEADER_TYPE_MASK) != GH_RM_MSG_TYPE_NOTIFICATION ||
	    get32(msg + GH_RM_HEADER_ID_OFFSET) != GH_RM_NOTIFICATIONS_CONSOLE_CHARS ||
	    report->chars_seen++ != 0)
		return;
	report->chars_len = len;
	for (u32 i = 0; i < len && i < PEER_CHARS_MAX; i++)
		report->chars[i] = msg[GH_RM_HEADER_SIZE + i];
}

/*
 * One request of at most one message and its reply (one message too: every reply the peer asks
 * for is short). Notifications on the way are noted (IRQ_LENT, VM_CONSOLE_CHARS), then dropped,
 * as is anything else. Returns false when no reply came in PEER_REPLY_MS; else *err is the reply's
 * RM error and *len its payload bytes.
 */
static bool rpc_call(u32 id, const u8 *req, u32 req_len, u32 *err, u32 *len, u8 *data, u32 cap)
{
	static u8 msg[GH_RM_MESSAGE_SIZE];
	u16 my_seq = seq++;
	u64 end;

	if (req_len > GH_RM_MESSAGE_SIZE - GH_RM_HEADER_SIZE)
		return false;
	msg[0] = GH_RM_HEADER_BYTE0;
	msg[1] = GH_RM_MSG_TYPE_REQUEST; /* no continuation */
	put16(msg + GH_RM_HEADER_SEQ_OFFSET, my_seq);
	put32(msg + GH_RM_HEADER_ID_OFFSET, id);
	if (req_len != 0)
		memcpy(msg + GH_RM_HEADER_SIZE, req, req_len);
	end = now_ticks() + ms_ticks(PEER_REPLY_MS);
	while (
	    peer_hvc(GH_HVC_MSGQUEUE_SEND, tx_cap, GH_RM_HEADER_SIZE + req_len, (u64)msg, 1).x[0] !=
	    GH_ERROR_OK) {
		if (now_ticks() > end)
			return false;
		yield();
	}
	while (now_ticks() <= end) {
		struct peer_ret r =
		    peer_hvc(GH_HVC_MSGQUEUE_RECEIVE, rx_cap, (u64)msg, sizeof(msg), 0);
		u32 n = (u32)r.x[1];

		if (r.x[0] != GH_ERROR_OK) {
			yield();
			continue;
		}
		note_lent(msg, n);
		note_chars(msg, n);
		if (n < GH_RM_HEADER_SIZE + 4 || n > sizeof(msg) ||
		    (msg[1] & GH_RM_HEADER_TYPE_MASK) != GH_RM_MSG_TYPE_REPLY ||
		    (msg[GH_RM_HEADER_SEQ_OFFSET] | (msg[GH_RM_HEADER_SEQ_OFFSET + 1] << 8)) !=
		        my_seq ||
		    get32(msg + GH_RM_HEADER_ID_OFFSET) != id)
			continue;
		*err = get32(msg + GH_RM_HEADER_SIZE);
		*len = n - GH_RM_HEADER_SIZE;
		if (data != NULL)
			memcpy(data, msg + GH_RM_HEADER_SIZE, *len < cap ? *len : cap);
		return true;
	}
	return false;
}

/* Ends the run: the report says why (PEER_PROBLEM_NONE: it ran through), then VM_EXIT {flags 0,
 * exit code 0, 0}, after which the owner gets VM_STATUS EXITED and VM_EXITED and this vCPU never
 * runs again. Should the exit not take, it waits in WFI for the owner's VM_STOP. */
static _Noreturn void stop(u64 problem)
{
	u8 req[4] = {0, 0, 0, 0};
	u32 err, len;

	report->problem = problem;
	if (problem != PEER_PROBLEM_NO_DT && problem != PEER_PROBLEM_NO_RPC) {
		report->step = PEER_STEP_EXIT;
		(void)rpc_call(GH_RM_IDS_VM_EXIT, req, sizeof(req), &err, &len, NULL, 0);
	}
	for (;;)
		__asm__ volatile("wfi");
}

static void fault_probe(volatile struct peer_fault *f, u64 before)
{
	f->count = peer_exc[0] - before;
	f->esr = peer_exc[1];
	f->far = peer_exc[2];
	f->elr = peer_exc[3];
}

/* MEM_ACCEPT {handle, normal, trans_type (share or donate), DONE, label 0, no ACL, one range at ipa
 * (map_vmid 0), no attributes} (reference §6 MEM_ACCEPT; spec rm.mem). */
static bool accept_as(u32 handle, u8 trans_type, u64 ipa, u32 *err, u32 *len)
{
	u8 req[GH_RM_MEM_ACCEPT_HEADER + 4 + 4 + GH_RM_MEM_SGL_ENTRY + 4];
	u32 at = GH_RM_MEM_ACCEPT_HEADER;

	memset(req, 0, sizeof(req));
	put32(req, handle);
	req[4] = GH_RM_MEM_TYPE_NORMAL;
	req[5] = trans_type;
	req[6] = GH_RM_MEM_ACCEPT_DONE;
	put32(req + at, 0); /* ACL: none */
	at += 4;
	put16(req + at, 1); /* SGL: one range, map_vmid 0 */
	at += 4;
	put64(req + at, ipa);
	put64(req + at + 8, 4096);
	return rpc_call(GH_RM_IDS_MEM_ACCEPT, req, sizeof(req), err, len, NULL, 0);
}

static bool accept(u32 handle, u64 ipa, u32 *err, u32 *len)
{
	return accept_as(handle, GH_RM_MEM_TRANS_SHARE, ipa, err, len);
}

/* MEM_NOTIFY {handle, flags (ACCEPTED or RELEASED: to the owner), 3 res, mem_info_tag}. */
static bool mem_notify(u32 handle, u8 flags, u32 *err)
{
	u8 req[GH_RM_MEM_NOTIFY_HEADER];
	u32 len;

	memset(req, 0, sizeof(req));
	put32(req, handle);
	req[4] = flags;
	put32(req + 8, PEER_MEM_TAG);
	return rpc_call(GH_RM_IDS_MEM_NOTIFY, req, sizeof(req), err, &len, NULL, 0);
}

static bool release(u32 handle, u32 *err)
{
	u8 req[GH_RM_MEM_HANDLE_REQUEST];
	u32 len;

	memset(req, 0, sizeof(req));
	put32(req, handle);
	return rpc_call(GH_RM_IDS_MEM_RELEASE, req, sizeof(req), err, &len, NULL, 0);
}

/* The RPC node's caps (reference §6 Transport: reg = TX cap, RX cap under #address-cells 2). */
static bool find_channel(void)
{
	int node = fdt_find_compatible(-1, GH_RM_DT_COMPATIBLE);
	u64 size;

	if (node < 0 || !fdt_reg(node, 0, &tx_cap, &size) || !fdt_reg(node, 1, &rx_cap, &size))
		return false;
	report->rpc_tx_cap = tx_cap;
	report->rpc_rx_cap = rx_cap;
	return true;
}

/* The UART /chosen/stdout-path names. */
static bool find_uart(u64 *uart)
{
	const char *path = fdt_prop_str(fdt_path_offset("/chosen"), "stdout-path");
	u64 size;

	return path != NULL && fdt_reg(fdt_path_offset(path), 0, uart, &size);
}

/* Its own console (target 0): VM_CONSOLE_OPEN {0, 0}, then VM_CONSOLE_WRITE {0, n, the line}
 * (§6 console layouts). */
static void console_step(void)
{
	static const char line[] = PEER_CONSOLE_LINE;
	u8 req[GH_RM_CONSOLE_WRITE_HEADER + sizeof(line) - 1];
	u32 err, len;

	report->step = PEER_STEP_CONSOLE;
	memset(req, 0, sizeof(req));
	if (!rpc_call(GH_RM_IDS_CONSOLE_OPEN, req, 4, &err, &len, NULL, 0))
		stop(PEER_PROBLEM_TIMEOUT);
	report->console_open_err = err;
	put16(req + 2, sizeof(line) - 1);
	memcpy(req + GH_RM_CONSOLE_WRITE_HEADER, line, sizeof(line) - 1);
	if (!rpc_call(GH_RM_IDS_CONSOLE_WRITE, req, sizeof(req), &err, &len, NULL, 0))
		stop(PEER_PROBLEM_TIMEOUT);
	report->console_write_err = err;
}

static void share_script(u16 vmid)
{
	int chosen = fdt_path_offset("/chosen");
	u32 handle, err, len, cells;
	const u8 *ipa_prop = fdt_prop(chosen, PEER_DT_SHARE_IPA, &cells);
	volatile u64 *sh;
	u64 ipa, uart, before, end;
	u8 vmid_req[4] = {0, 0, 0, 0};

	if (!fdt_prop_u32(chosen, PEER_DT_SHARE_HANDLE, &handle) || ipa_prop == NULL ||
	    cells != 8 || !find_uart(&uart))
		stop(PEER_PROBLEM_NO_SCRIPT);
	ipa = ((u64)fdt_be32(ipa_prop) << 32) | fdt_be32(ipa_prop + 4);
	sh = (volatile u64 *)ipa;
	report->uart = uart;
	console_step();

	/* Only a VM's owner starts it: this VM is the primary's, not its own. */
	put16(vmid_req, vmid);
	if (!rpc_call(GH_RM_IDS_VM_START, vmid_req, sizeof(vmid_req), &err, &len, NULL, 0))
		stop(PEER_PROBLEM_TIMEOUT);
	report->start_self_err = err;

	report->step = PEER_STEP_ACCEPT;
	if (!accept(handle, ipa, &err, &len))
		stop(PEER_PROBLEM_TIMEOUT);
	report->accept_err = err;
	report->accept_len = len;
	if (err == GH_RM_ERRORS_OK) {
		report->read[0] = sh[PEER_SH_OWNER];
		report->read[1] = sh[PEER_SH_OWNER + 1];
		sh[PEER_SH_PEER] = report->read[0] ^ PEER_XOR;
		sh[PEER_SH_PEER + 1] = PEER_VMID_TAG | vmid;
		if (!mem_notify(handle, GH_RM_MEM_NOTIFY_ACCEPTED, &err))
			stop(PEER_PROBLEM_TIMEOUT);
		report->notify_accepted_err = err;
	}

	report->step = PEER_STEP_ACCEPT2;
	if (!accept(handle, ipa, &err, &len))
		stop(PEER_PROBLEM_TIMEOUT);
	report->accept2_err = err;
	report->accept2_len = len;

	/* Tell the owner, then wait while it tries to reclaim what this VM holds. */
	report->step = PEER_STEP_GO;
	sh[PEER_SH_MAILBOX] = PEER_MB_ACCEPTED;
	end = now_ticks() + ms_ticks(PEER_GO_MS);
	while (sh[PEER_SH_GO] != PEER_MB_GO) {
		if (now_ticks() > end)
			stop(PEER_PROBLEM_NO_GO);
		yield();
	}

	report->step = PEER_STEP_RELEASE;
	if (!release(handle, &err))
		stop(PEER_PROBLEM_TIMEOUT);
	report->release_err = err;
	if (!mem_notify(handle, GH_RM_MEM_NOTIFY_RELEASED, &err))
		stop(PEER_PROBLEM_TIMEOUT);
	report->notify_released_err = err;
	report->step = PEER_STEP_RELEASE2;
	if (!release(handle, &err))
		stop(PEER_PROBLEM_TIMEOUT);
	report->release2_err = err;

	/* Released: the page is gone from this VM's Stage-2. */
	report->step = PEER_STEP_GONE;
	before = peer_exc[0];
	(void)peer_load64(ipa);
	fault_probe(&report->gone_fault, before);

	/* No console grant: the UART is not in this VM's Stage-2. */
	report->step = PEER_STEP_UART;
	before = peer_exc[0];
	peer_store32(uart, 'P');
	fault_probe(&report->uart_fault, before);
}

/* The donation script (humpy/peer.h PEER_MODE_DONATE); the owner's half is tests/rm/mem.c. The
 * page is this VM's after the accept: the peer reads the owner's words and writes its own there,
 * and both later calls on the handle find no parcel. */
static void donate_script(u16 vmid)
{
	int chosen = fdt_path_offset("/chosen");
	u32 handle, err, len, cells;
	const u8 *ipa_prop = fdt_prop(chosen, PEER_DT_SHARE_IPA, &cells);
	volatile u64 *page;
	u64 ipa;

	if (!fdt_prop_u32(chosen, PEER_DT_SHARE_HANDLE, &handle) || ipa_prop == NULL || cells != 8)
		stop(PEER_PROBLEM_NO_SCRIPT);
	ipa = ((u64)fdt_be32(ipa_prop) << 32) | fdt_be32(ipa_prop + 4);
	page = (volatile u64 *)ipa;

	report->step = PEER_STEP_ACCEPT;
	if (!accept_as(handle, GH_RM_MEM_TRANS_DONATE, ipa, &err, &len))
		stop(PEER_PROBLEM_TIMEOUT);
	report->accept_err = err;
	report->accept_len = len;
	if (err == GH_RM_ERRORS_OK) {
		report->read[0] = page[PEER_SH_OWNER];
		report->read[1] = page[PEER_SH_OWNER + 1];
		page[PEER_SH_PEER] = report->read[0] ^ PEER_XOR;
		page[PEER_SH_PEER + 1] = PEER_VMID_TAG | vmid;
		report->readback[0] = page[PEER_SH_PEER];
		report->readback[1] = page[PEER_SH_PEER + 1];
	}

	report->step = PEER_STEP_ACCEPT2;
	if (!accept_as(handle, GH_RM_MEM_TRANS_DONATE, ipa, &err, &len))
		stop(PEER_PROBLEM_TIMEOUT);
	report->accept2_err = err;
	report->accept2_len = len;
	report->step = PEER_STEP_RELEASE;
	if (!release(handle, &err))
		stop(PEER_PROBLEM_TIMEOUT);
	report->release_err = err;
}

/* GICv3 distributor and redistributor registers (Arm GIC architecture specification v3/v4), and
 * GICv2's own: ITARGETSR and the memory-mapped CPU interface (GICC). */
#define GICD_CTLR         0x0000U
#define GICD_IGROUPR      0x0080U
#define GICD_ISENABLER    0x0100U
#define GICD_ICENABLER    0x0180U
#define GICD_IPRIORITYR   0x0400U
#define GICD_ITARGETSR    0x0800U
#define GICD_IROUTER      0x6000U
#define GICD_CTLR_ARE_NS  (1U << 4)
#define GICD_CTLR_GRP1_NS (1U << 1)
#define GICD_CTLR_V2_EN   0x3U /* GICv2: EnableGrp0, EnableGrp1 */
#define GICR_WAKER        0x0014U
#define GICR_WAKER_SLEEP  (1U << 1)
#define GICC_CTLR         0x0000U
#define GICC_PMR          0x0004U
#define GICC_IAR          0x000CU
#define GICC_EOIR         0x0010U
#define GICC_CTLR_EN      0x7U   /* EnableGrp0, EnableGrp1, AckCtl */
#define GICC_IAR_ID       0x3FFU /* INTID 9:0 */
#define GIC_SPURIOUS      1020U

static u64 gicd_base;
static u64 gicc_base; /* GICv2's CPU interface; 0 with a GICv3 */

static void mmio_w32(u64 a, u32 v)
{
	*(volatile u32 *)a = v;
	__asm__ volatile("dsb sy" ::: "memory");
}

static u32 mmio_r32(u64 a)
{
	return *(volatile u32 *)a;
}

/* GICv2 (the DT's arm,cortex-a15-gic or arm,gic-400: reg is GICD, then GICC): the SPI to CPU
 * interface 0 (the peer's one vCPU) by ITARGETSR, the CPU interface taking both groups. */
static bool gic_v2_on(int node, u32 intid)
{
	u64 size, targets;

	if (!fdt_reg(node, 0, &gicd_base, &size) || !fdt_reg(node, 1, &gicc_base, &size))
		return false;
	targets = gicd_base + GICD_ITARGETSR + (intid & ~3U);
	mmio_w32(gicd_base + GICD_CTLR, GICD_CTLR_V2_EN);
	mmio_w32(gicd_base + GICD_IGROUPR + intid / 32 * 4,
	         mmio_r32(gicd_base + GICD_IGROUPR + intid / 32 * 4) | (1U << (intid % 32)));
	*(volatile u8 *)(gicd_base + GICD_IPRIORITYR + intid) = 0xa0;
	mmio_w32(targets,
	         (mmio_r32(targets) & ~(0xffU << (8 * (intid % 4)))) | (1U << (8 * (intid % 4))));
	mmio_w32(gicd_base + GICD_ISENABLER + intid / 32 * 4, 1U << (intid % 32));
	mmio_w32(gicc_base + GICC_PMR, 0xff);
	mmio_w32(gicc_base + GICC_CTLR, GICC_CTLR_EN);
	return true;
}

/* The SPI `intid` routed to this vCPU, group 1, enabled; the CPU interface taking group 1 at any
 * priority, through the GIC the DT names. The peer never unmasks PSTATE.I: it takes the interrupt
 * by reading ICC_IAR1_EL1 (GICv2: GICC_IAR). */
static bool gic_on(u32 intid)
{
	int node = fdt_find_compatible(-1, "arm,gic-v3");
	u64 gicr, size;

	gicc_base = 0;
	if (intid >= GIC_SPURIOUS)
		return false;
	if (node < 0) {
		node = fdt_find_compatible(-1, "arm,cortex-a15-gic");
		if (node < 0)
			node = fdt_find_compatible(-1, "arm,gic-400");
		return node >= 0 && gic_v2_on(node, intid);
	}
	if (!fdt_reg(node, 0, &gicd_base, &size) || !fdt_reg(node, 1, &gicr, &size))
		return false;
	mmio_w32(gicr + GICR_WAKER, mmio_r32(gicr + GICR_WAKER) & ~GICR_WAKER_SLEEP);
	mmio_w32(gicd_base + GICD_CTLR, GICD_CTLR_ARE_NS | GICD_CTLR_GRP1_NS);
	mmio_w32(gicd_base + GICD_IGROUPR + intid / 32 * 4,
	         mmio_r32(gicd_base + GICD_IGROUPR + intid / 32 * 4) | (1U << (intid % 32)));
	*(volatile u8 *)(gicd_base + GICD_IPRIORITYR + intid) = 0xa0;
	*(volatile u64 *)(gicd_base + GICD_IROUTER + intid * 8) = 0;
	mmio_w32(gicd_base + GICD_ISENABLER + intid / 32 * 4, 1U << (intid % 32));
	__asm__ volatile("msr S3_0_C12_C12_5, %0; isb" ::"r"(7ULL) : "memory"); /* ICC_SRE_EL1 */
	__asm__ volatile("msr S3_0_C4_C6_0, %0" ::"r"(0xffULL));                /* ICC_PMR_EL1 */
	__asm__ volatile("msr S3_0_C12_C12_7, %0; isb" ::"r"(1ULL) : "memory"); /* ICC_IGRPEN1 */
	return true;
}

/* The highest pending interrupt acknowledged: its INTID (>= GIC_SPURIOUS for none). */
static u64 gic_ack(void)
{
	u64 iar;

	if (gicc_base != 0)
		return mmio_r32(gicc_base + GICC_IAR) & GICC_IAR_ID;
	__asm__ volatile("mrs %0, S3_0_C12_C12_0" : "=r"(iar)); /* ICC_IAR1_EL1 */
	return iar & 0xffffffU;
}

static void gic_eoi(u64 intid)
{
	if (gicc_base != 0)
		mmio_w32(gicc_base + GICC_EOIR, (u32)intid);
	else
		__asm__ volatile("msr S3_0_C12_C12_1, %0; isb" ::"r"(intid) : "memory"); /* EOIR1 */
}

/* Takes every interrupt for PEER_IRQ_MS: acknowledged, recorded, its SPI disabled (a level line
 * still high would come back at once) and ended. */
static void irq_take(void)
{
	u64 end = now_ticks() + ms_ticks(PEER_IRQ_MS);

	while (now_ticks() <= end) {
		u64 iar = gic_ack();

		if (iar >= GIC_SPURIOUS) {
			yield();
			continue;
		}
		report->irq_taken_intid = iar;
		report->irq_taken_count++;
		mmio_w32(gicd_base + GICD_ICENABLER + (u32)iar / 32 * 4, 1U << (iar % 32));
		gic_eoi(iar);
	}
}

/* VM_IRQ_NOTIFY {handle, flags} (ACCEPTED or RELEASED: to the owner). */
static bool irq_notify(u32 handle, u32 flags, u32 *err)
{
	u8 req[8];
	u32 len;

	put32(req, handle);
	put32(req + 4, flags);
	return rpc_call(GH_RM_IDS_VM_IRQ_NOTIFY, req, sizeof(req), err, &len, NULL, 0);
}

static bool irq_release(u32 handle, u32 *err)
{
	u8 req[4];
	u32 len;

	put32(req, handle);
	return rpc_call(GH_RM_IDS_VM_IRQ_RELEASE, req, sizeof(req), err, &len, NULL, 0);
}

/* The IRQ script (humpy/peer.h PEER_MODE_IRQ); the owner's half is tests/rm/irq.c. */
static void irq_script(void)
{
	int chosen = fdt_path_offset("/chosen");
	u32 handle, share, err, len, cells;
	const u8 *ipa_prop = fdt_prop(chosen, PEER_DT_SHARE_IPA, &cells);
	u8 req[8], data[8];
	volatile u64 *sh;
	u64 ipa, end;

	if (!fdt_prop_u32(chosen, PEER_DT_IRQ_HANDLE, &handle) ||
	    !fdt_prop_u32(chosen, PEER_DT_SHARE_HANDLE, &share) || ipa_prop == NULL || cells != 8)
		stop(PEER_PROBLEM_NO_SCRIPT);
	ipa = ((u64)fdt_be32(ipa_prop) << 32) | fdt_be32(ipa_prop + 4);
	sh = (volatile u64 *)ipa;

	report->step = PEER_STEP_ACCEPT;
	if (!accept(share, ipa, &err, &len))
		stop(PEER_PROBLEM_TIMEOUT);
	report->accept_err = err;
	if (err != GH_RM_ERRORS_OK)
		return;

	/* VM_IRQ_ACCEPT {handle, 0xffffffff: the owner's number} -> {error, u32 virq}. */
	report->step = PEER_STEP_IRQ_ACCEPT;
	put32(req, handle);
	put32(req + 4, 0xffffffffU);
	if (!rpc_call(GH_RM_IDS_VM_IRQ_ACCEPT, req, sizeof(req), &err, &len, data, sizeof(data)))
		stop(PEER_PROBLEM_TIMEOUT);
	report->irq_accept_err = err;
	report->irq_accept_len = len;
	report->irq_virq = len == 8 ? get32(data + 4) : ~0ULL;
	if (err != GH_RM_ERRORS_OK || !gic_on((u32)report->irq_virq))
		return;
	if (!irq_notify(handle, GH_RM_IRQ_NOTIFY_ACCEPTED, &err))
		stop(PEER_PROBLEM_TIMEOUT);
	report->irq_notify_accepted_err = err;

	/* Tell the owner; its go comes once it has raised the line. */
	report->step = PEER_STEP_GO;
	sh[PEER_SH_MAILBOX] = PEER_MB_ACCEPTED;
	end = now_ticks() + ms_ticks(PEER_GO_MS);
	while (sh[PEER_SH_GO] != PEER_MB_GO) {
		if (now_ticks() > end)
			stop(PEER_PROBLEM_NO_GO);
		yield();
	}
	report->step = PEER_STEP_IRQ_TAKE;
	irq_take();

	report->step = PEER_STEP_IRQ_RELEASE;
	if (!irq_release(handle, &err))
		stop(PEER_PROBLEM_TIMEOUT);
	report->irq_release_err = err;
	if (!irq_notify(handle, GH_RM_IRQ_NOTIFY_RELEASED, &err))
		stop(PEER_PROBLEM_TIMEOUT);
	report->irq_notify_released_err = err;
	if (!irq_release(handle, &err))
		stop(PEER_PROBLEM_TIMEOUT);
	report->irq_release2_err = err;

	report->step = PEER_STEP_RELEASE;
	if (!release(share, &err))
		stop(PEER_PROBLEM_TIMEOUT);
	report->release_err = err;
}

void peer_main(u64 dtb, u64 base)
{
	u32 err, len, mode;
	u8 data[8];
	u64 strays;

	report = (volatile struct peer_report *)(base + PEER_REPORT_OFFSET);
	report->magic = PEER_REPORT_MAGIC;
	report->step = PEER_STEP_DT;
	if (!fdt_init((const void *)dtb, PEER_DT_SIZE))
		stop(PEER_PROBLEM_NO_DT);
	if (!find_channel())
		stop(PEER_PROBLEM_NO_RPC);
	if (!fdt_prop_u32(fdt_path_offset("/chosen"), PEER_DT_MODE, &mode))
		stop(PEER_PROBLEM_NO_SCRIPT);

	report->step = PEER_STEP_VMID;
	if (!rpc_call(GH_RM_IDS_VM_GET_VMID, NULL, 0, &err, &len, data, sizeof(data)))
		stop(PEER_PROBLEM_TIMEOUT);
	report->vmid_err = err;
	report->vmid = len == 8 ? get32(data + 4) : ~0ULL;

	strays = peer_exc[0];
	if (mode == PEER_MODE_SHARE)
		share_script((u16)report->vmid);
	else if (mode == PEER_MODE_IRQ)
		irq_script();
	else if (mode == PEER_MODE_DONATE)
		donate_script((u16)report->vmid);
	strays = peer_exc[0] - strays - report->gone_fault.count - report->uart_fault.count;
	if (strays != 0) {
		report->stray.count = strays;
		stop(PEER_PROBLEM_STRAY);
	}

	stop(PEER_PROBLEM_NONE);
}

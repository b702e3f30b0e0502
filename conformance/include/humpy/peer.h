/*
 * The RM-client peer image (conformance/peer/, peer/README.md) and the hlos tests that run it
 * (tests/rm/peer.c) share this header: the layout of the RAM the owner lends it, the /chosen
 * properties that tell it what to do, the words it exchanges through a shared page and the report
 * it leaves in its RAM. Nothing here is a hypervisor or RM constant: those come from the spec
 * (GH_RM_*) and from the peer's device tree.
 */
#ifndef HUMPY_PEER_H
#define HUMPY_PEER_H

#ifndef __ASSEMBLER__
#include <humpy/types.h>
#endif

/* The peer's RAM, one parcel: the image (code, data, BSS, stack) from offset 0, its DT (x0), and
 * the report page. The image is position independent (linked at 0, loaded at any 4 KiB boundary:
 * conformance.mk checks two links at different addresses give the same bytes). */
#define PEER_RAM_SIZE      0x10000U
#define PEER_IMAGE_MAX     0xC000U
#define PEER_DT_OFFSET     0xC000U
#define PEER_DT_SIZE       0x2000U
#define PEER_REPORT_OFFSET 0xE000U
/* Fixed places in the image (start.S): the store that touches the UART and the load that touches
 * the shared page after its release, so the owner knows each fault's ELR. */
#define PEER_STORE_OFFSET 0x40U
#define PEER_LOAD_OFFSET  0x48U

/* /chosen of the peer's DT: what to do (PEER_MODE_*), the share's handle and IPA (u32, u64). The
 * UART it must not reach is /chosen/stdout-path's node, as the owner's own tree describes it. */
#define PEER_DT_MODE         "humpy,peer-mode"
#define PEER_DT_SHARE_HANDLE "humpy,share-handle"
#define PEER_DT_SHARE_IPA    "humpy,share-ipa"
#define PEER_MODE_EXIT       0U /* VM_GET_VMID, then VM_EXIT */
#define PEER_MODE_SHARE      1U /* the share script below, then VM_EXIT */
/* The IRQ script (tests/rm/irq.c): the share (the mailbox page) accepted, VM_IRQ_ACCEPT of
 * /chosen humpy,irq-handle, the interrupt taken through the GIC its DT names (arm,gic-v3), then
 * VM_IRQ_RELEASE; VM_EXIT. */
#define PEER_MODE_IRQ      2U
#define PEER_DT_IRQ_HANDLE "humpy,irq-handle"
/* The donation script (tests/rm/mem.c): MEM_ACCEPT (DONATE) of the page named by the share
 * handle and IPA, the owner's two words read, the peer's two written and read back, a second
 * MEM_ACCEPT and a MEM_RELEASE of the same handle (the parcel ended with the donation), then
 * VM_EXIT. */
#define PEER_MODE_DONATE 3U

/* The shared page (u64 words): the owner's two words, the peer's two (owner word 0 ^ PEER_XOR,
 * then PEER_VMID_TAG | its VMID), the peer's "accepted" mark and the owner's "go". */
#define PEER_SH_OWNER    0U
#define PEER_SH_PEER     2U
#define PEER_SH_MAILBOX  256U
#define PEER_SH_GO       257U
#define PEER_XOR         0xa5a5a5a55a5a5a5aULL
#define PEER_VMID_TAG    0x7065657200000000ULL
#define PEER_MB_ACCEPTED 0x41434345505444ULL /* "ACCEPTD" */
#define PEER_MB_GO       0x474f474f474fULL   /* "GOGOGO" */
/* How long the peer waits for the owner's go, and for each RM reply (ms). */
#define PEER_GO_MS    300U
#define PEER_REPLY_MS 500U

/* Why the peer stopped early (report.problem). */
#define PEER_PROBLEM_NONE      0U
#define PEER_PROBLEM_NO_DT     1U /* x0 is no device tree */
#define PEER_PROBLEM_NO_RPC    2U /* no RPC node under /hypervisor, or its reg is not two caps */
#define PEER_PROBLEM_TIMEOUT   3U /* an RM reply did not come (report.step says which) */
#define PEER_PROBLEM_NO_SCRIPT 4U /* /chosen lacks a property the mode needs */
#define PEER_PROBLEM_NO_GO     5U /* the owner's go did not come */
#define PEER_PROBLEM_STRAY     6U /* an exception outside a probe */

/* Steps, in order (report.step: the last one begun). */
#define PEER_STEP_DT          1U
#define PEER_STEP_VMID        2U
#define PEER_STEP_ACCEPT      3U
#define PEER_STEP_ACCEPT2     4U
#define PEER_STEP_GO          5U
#define PEER_STEP_RELEASE     6U
#define PEER_STEP_RELEASE2    7U
#define PEER_STEP_GONE        8U
#define PEER_STEP_UART        9U
#define PEER_STEP_EXIT        10U /* the run ended (report.problem says how) */
#define PEER_STEP_IRQ_ACCEPT  11U
#define PEER_STEP_IRQ_TAKE    12U
#define PEER_STEP_IRQ_RELEASE 13U
/* The owner's "go" in the IRQ script comes after it raised the line: the peer then waits this long
 * for the interrupt. */
#define PEER_IRQ_MS 50U
/* PEER_MODE_SHARE's first step: its own console opened (VM_CONSOLE_OPEN target 0) and this line
 * written to it (VM_CONSOLE_WRITE); the owner, which opened its side, gets it as CHARS. */
#define PEER_STEP_CONSOLE 14U
#define PEER_CONSOLE_LINE "peer: console up\n"
/* What the owner writes into the peer's console (VM_CONSOLE_WRITE, target = the peer's VMID) once
 * the peer's ACCEPTED mark is in the shared page; the peer reads it as VM_CONSOLE_CHARS. */
#define PEER_OWNER_LINE "owner: hello, peer\n"
/* PEER_MODE_SHARE: the mem_info_tag the owner gives the share (its MEM_NOTIFY(SHARED) to itself
 * before the peer starts) and the peer names in its MEM_NOTIFY(ACCEPTED) after the first accept
 * and MEM_NOTIFY(RELEASED) after the first release; the owner gets MEM_ACCEPTED / MEM_RELEASED. */
#define PEER_MEM_TAG   0x7a6e7a01U
#define PEER_CHARS_MAX 32U

#define PEER_REPORT_MAGIC 0x7065657272657074ULL /* "peerrept" */

#ifndef __ASSEMBLER__
/* A fault the peer provoked: exceptions taken by it (0 or 1), ESR_EL1, FAR_EL1, ELR_EL1. */
struct peer_fault {
	u64 count, esr, far, elr;
};

struct peer_report {
	u64 magic;
	u64 step;
	u64 problem;
	u64 vmid_err, vmid;         /* VM_GET_VMID: RM error, the reply's u32 */
	u64 rpc_tx_cap, rpc_rx_cap; /* what its /hypervisor node said */
	u64 accept_err, accept_len; /* MEM_ACCEPT: RM error, reply payload bytes (error included) */
	u64 read[2];                /* the owner's words as the peer read them */
	u64 accept2_err, accept2_len;  /* the second MEM_ACCEPT */
	u64 release_err, release2_err; /* MEM_RELEASE, twice */
	u64 uart;                      /* the UART address from its DT */
	struct peer_fault uart_fault;  /* the store to the UART */
	struct peer_fault gone_fault;  /* the load from the shared page after its release */
	struct peer_fault stray;       /* the first exception outside a probe */
	/* PEER_MODE_IRQ: the IRQ_LENT notification seen before the accept (count, then its
	 * payload's owner VMID, handle, label), VM_IRQ_ACCEPT (error, reply bytes, the VIRQ),
	 * VM_IRQ_NOTIFY ACCEPTED, what ICC_IAR1_EL1 gave (the INTID of each interrupt taken, how
	 * many), VM_IRQ_RELEASE, VM_IRQ_NOTIFY RELEASED, a second VM_IRQ_RELEASE. */
	u64 lent_seen, lent_owner, lent_handle, lent_label;
	u64 irq_accept_err, irq_accept_len, irq_virq;
	u64 irq_notify_accepted_err;
	u64 irq_taken_intid, irq_taken_count;
	u64 irq_release_err, irq_notify_released_err, irq_release2_err;
	/* PEER_MODE_SHARE: VM_CONSOLE_OPEN and VM_CONSOLE_WRITE of its own console (RM errors). */
	u64 console_open_err, console_write_err;
	/* Every VM_CONSOLE_CHARS notification the peer received (count), the first one's payload
	 * length and its first PEER_CHARS_MAX bytes ({u16 from, u16 n, bytes}). */
	u64 chars_seen, chars_len;
	u8 chars[PEER_CHARS_MAX];
	/* PEER_MODE_DONATE: the peer's words read back from the donated page after writing them. */
	u64 readback[2];
	/* PEER_MODE_SHARE: MEM_NOTIFY(ACCEPTED) and MEM_NOTIFY(RELEASED) (RM errors). */
	u64 notify_accepted_err, notify_released_err;
	/* PEER_MODE_SHARE: VM_START {its own VMID}: a VM it does not own (RM error). */
	u64 start_self_err;
};
#endif

#endif

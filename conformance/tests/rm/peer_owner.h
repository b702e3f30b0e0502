/* The owner's side of a peer run (tests/rm/peer.c), for other rm tests that run the peer image
 * with a script of their own (tests/rm/irq.c: PEER_MODE_IRQ). Failures are recorded, the first one
 * only, in the buffer peer_problem_to named. */
#ifndef RM_PEER_OWNER_H
#define RM_PEER_OWNER_H

#include <humpy/peer.h>
#include <humpy/rm_rpc.h>

/* Where the next failure is written (a 96-byte buffer; peer.c's own run otherwise). */
void peer_problem_to(char *buf);
/* Cleans (and invalidates) [ipa, ipa + len) to the point of coherency: the peer runs caches off. */
void peer_cache_clean(u64 ipa, u64 len);
/* MEM_SHARE or MEM_LEND of [ipa, ipa + size) to vmid with rights: the handle, 0 on failure. */
u32 peer_create_parcel(const char *what, u32 id, u16 vmid, u8 rights, u64 ipa, u64 size);
/* MEM_RELEASE / MEM_RECLAIM {handle}: the RM error (0xffffffff without a reply). */
u32 peer_mem_handle_call(u32 id, u32 handle, struct rm_msg *m);
/* The peer image and its DT (the script: mode, the share, the IRQ handle) into its RAM, lent to
 * vmid, configured, initialised and started: the RAM parcel's handle, 0 on failure. */
u32 peer_launch(u16 vmid, u64 ram, u32 mode, u32 share_handle, u64 share_ipa, u32 irq_handle);
/* Waits (bounded) for the peer's ACCEPTED mark in the shared page. */
bool peer_wait_mark(volatile u64 *sh);
/* Waits (bounded) for VM_EXITED of vmid; its payload (at most 16 bytes) into out. */
bool peer_wait_exited(u16 vmid, u8 *out, u32 *len);
/* The peer's report from its RAM (after the owner reclaimed it). */
void peer_read_report(u64 ram, struct peer_report *rep);

#endif

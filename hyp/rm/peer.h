/* peer: VMs the RM builds on request (VM_ALLOCATE .. VM_DEALLOCATE, vm_lifecycle.c): their
 * hypercall objects, their configured image and their own RPC channel to the RM (peer_chan.c).
 * One entry per allocated VMID of 0x80..0xBF. */
#ifndef RM_PEER_H
#define RM_PEER_H

#include <stdbool.h>
#include <stdint.h>

#define PEER_MAX         4U
#define PEER_VMID_FIRST  0x80U
#define PEER_VMID_LAST   0xBFU
#define PEER_CSPACE_CAPS 16U
#define PEER_VIC_VIRQS   64U
/* The primary VM's priority (primary.h): a peer and its owner share the CPU round robin, and the
 * RM (one above) still answers either at once. At the RM's priority a peer that polls would keep
 * its owner from ever running. */
#define PEER_PRIORITY 31U
/* The peer's RPC queues: upstream's depth and message size for a VM's RM channel (§6). */
#define PEER_MSGQ_DEPTH 8U
#define PEER_MSGQ_SIZE  240U
/* The peer's own VIRQs for its queues (INTIDs of its VIC; its DT says them). */
#define PEER_TX_VIRQ 64U /* VM -> RM queue has room */
#define PEER_RX_VIRQ 65U /* RM -> VM queue not empty */
/* The RM's VIRQs for peer slot i: RX (VM -> RM not empty) and TX (RM -> VM has room), after the
 * primary's 32 and 33 (primary.h), inside the RM's 64 SPIs. */
#define PEER_RM_VIRQ_BASE 34U

struct rm_rpc;
struct rm_vms;

struct peer_vm {
	bool is_used;
	uint16_t vmid;
	/* VM_CONFIG_IMAGE: a parcel the owner lent or donated to the VM, and where in it the image
	 * (entry) and its DT (x0) are. */
	bool is_configured;
	uint32_t mem_handle;
	uint64_t image_offset, image_size, dtb_offset, dtb_size;
	/* VM_INIT: the parcel mapped as the VM's RAM (IPA), and its objects (caps in the RM's
	 * cspace); 0: not made. */
	bool is_built;
	uint64_t ram_ipa, ram_size;
	uint64_t cspace, addrspace, vic, vcpu;
	/* The RPC channel (peer_chan.c): the queues (caps in the RM's cspace; tx = VM -> RM), the
	 * RM's VIRQs for them, the VM's own caps; rpc is non-NULL while the channel is served. */
	uint64_t tx_queue, rx_queue;
	uint32_t rm_rx_virq, rm_tx_virq;
	uint64_t vm_tx_cap, vm_rx_cap;
	struct rm_rpc *rpc;
};

/* The boot information the handlers need (the RM's root caps): set once by rm.c. */
struct rm_boot_info;
void peer_init(const struct rm_boot_info *boot);

/* peer_chan.c. The channel of peer p (slot `slot` of PEER_MAX): the queue pair with its VIRQs on
 * both VICs, the VM's caps, its resource entries, the /hypervisor node in its DT (inside its RAM,
 * which VM_INIT mapped), the RPC server. Returns an RM error; on failure what was made stays in p
 * for peer_chan_close. */
uint32_t peer_chan_open(const struct rm_boot_info *boot, struct rm_vms *vms, struct peer_vm *p,
                        unsigned slot);
/* Undoes peer_chan_open (any part of it): no VIRQ stays bound, no queue cap stays with the RM. */
void peer_chan_close(const struct rm_boot_info *boot, struct rm_vms *vms, struct peer_vm *p);
/* Every message each peer queued, in order, to its RPC server (the RM's loop). */
void peer_chan_drain(void);

#endif

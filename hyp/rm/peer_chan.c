/* peer_chan: a peer VM's own RPC channel to the RM, made at VM_INIT like the primary VM's
 * (primary.c): a message-queue pair (depth 8, 240-byte messages), its VIRQs on the peer's VIC and
 * on the RM's, the peer's send and receive caps, the two VM_GET_HYP_RESOURCES entries and the
 * /hypervisor node in the peer's DT (§6 Transport, §10), so a peer finds the RM as the primary
 * does. Its requests go to the same handlers with the peer as caller; its notifications (as an
 * owner) come back on this channel. */
#include "boot_info.h"
#include "console.h"
#include "fdt_patch.h"
#include "gic.h"
#include "hvc.h"
#include "mem_hyp.h"
#include "peer.h"
#include "rm_abi.h"
#include "rpc.h"
#include "vm_state.h"

/* Not in hvc.h (the calls the boot path makes): reference §2. */
#define PEER_HVC_MSGQUEUE_UNBIND_SEND_VIRQ    0x19U
#define PEER_HVC_MSGQUEUE_UNBIND_RECEIVE_VIRQ 0x1AU
/* A message for a peer whose queue stays full is given up after this many waits for room: each
 * wait is a WFI that any request (the primary's too) ends, and while the RM waits it serves no one,
 * so a peer that does not drain its queue must not hold it for long. */
#define PEER_SEND_WAITS 16U

/* One server per slot (~29 KiB each: static). open[i] is the peer slot i serves, or NULL. */
static struct rm_rpc peer_rpc[PEER_MAX];
static struct peer_vm *open[PEER_MAX];

static int peer_send(void *ctx, const void *msg, size_t len)
{
	const struct peer_vm *p = ctx;

	return hvc_msgqueue_send_waiting(p->rx_queue, p->rm_tx_virq, PEER_SEND_WAITS, msg, len);
}

/* VM_EXIT from the peer itself: its one vCPU stops. */
static uint32_t peer_vm_exit(void *ctx, uint16_t vmid)
{
	const struct peer_vm *p = ctx;

	if (vmid != p->vmid) {
		return RM_ERROR_VMID_INVALID;
	}
	return hvc_err(HVC_VCPU_KILL, p->vcpu, 0, 0) == HVC_OK ? RM_OK : RM_ERROR_DENIED;
}

static const struct rm_rpc_ops peer_ops = {
    .send = peer_send,
    .console_write = console_write_bytes,
    .vm_exit = peer_vm_exit,
};

static bool ok(uint64_t err)
{
	return err == HVC_OK;
}

static bool make_queue(const struct rm_boot_info *b, uint64_t *q)
{
	uint64_t err;

	*q = hvc_create(HVC_PARTITION_CREATE_MSGQUEUE, b->partition, b->cspace, &err);
	if (!ok(err)) {
		*q = 0;
		return false;
	}
	return ok(hvc_err(HVC_MSGQUEUE_CONFIGURE, *q,
	                  HVC_MSGQUEUE_INFO(PEER_MSGQ_DEPTH, PEER_MSGQ_SIZE), 0)) &&
	       ok(hvc_err(HVC_OBJECT_ACTIVATE, *q, 0, 0));
}

static bool copy_cap(const struct rm_boot_info *b, uint64_t cap, uint64_t to, uint64_t rights,
                     uint64_t *out)
{
	const uint64_t a[4] = {b->cspace, cap, to, rights};
	struct hvc_ret r = hvc_call(HVC_CSPACE_COPY_CAP_FROM, a, 4);

	*out = r.x[1];
	return ok(r.x[0]);
}

/* The /hypervisor node in the DT inside the peer's RAM, through a temporary mapping in the RM. */
static uint32_t patch_dt(const struct peer_vm *p)
{
	const struct rm_fdt_hyp_node node = {
	    .tx_cap = p->vm_tx_cap,
	    .rx_cap = p->vm_rx_cap,
	    .tx_virq = PEER_TX_VIRQ,
	    .rx_virq = PEER_RX_VIRQ,
	    .vmid = p->vmid,
	};
	enum rm_fdt_result res;

	if (!rm_mem_map_in_rm(p->mem_handle, true)) {
		return RM_ERROR_MAP_FAILED;
	}
	res = rm_fdt_patch_hypervisor((void *)(uintptr_t)(p->ram_ipa + p->dtb_offset),
	                              (size_t)p->dtb_size, &node);
	(void)rm_mem_map_in_rm(p->mem_handle, false);
	if (res != RM_FDT_OK) {
		rm_printf("rm: VM %u: /hypervisor node not added: error %d\n", p->vmid, (int)res);
		return RM_ERROR_ARGUMENT_INVALID;
	}
	return RM_OK;
}

static bool add_resources(struct rm_vm *vm, const struct peer_vm *p)
{
	const struct rm_resource tx = {
	    .type = RM_RES_MSGQ_TX,
	    .partner_vmid = RM_VMID_RM,
	    .cap_id = p->vm_tx_cap,
	    .virq = PEER_TX_VIRQ,
	};
	const struct rm_resource rx = {
	    .type = RM_RES_MSGQ_RX,
	    .partner_vmid = RM_VMID_RM,
	    .cap_id = p->vm_rx_cap,
	    .virq = PEER_RX_VIRQ,
	};

	return rm_vm_add_resource(vm, &tx) && rm_vm_add_resource(vm, &rx);
}

uint32_t peer_chan_open(const struct rm_boot_info *b, struct rm_vms *vms, struct peer_vm *p,
                        unsigned slot)
{
	struct rm_vm *vm = rm_vm_lookup(vms, p->vmid);
	uint32_t err;

	if (slot >= PEER_MAX || open[slot] != NULL || vm == NULL) {
		return RM_ERROR_NORESOURCE;
	}
	p->rm_rx_virq = PEER_RM_VIRQ_BASE + 2U * slot;
	p->rm_tx_virq = p->rm_rx_virq + 1U;
	if (!make_queue(b, &p->tx_queue) || !make_queue(b, &p->rx_queue) ||
	    !ok(hvc_err(HVC_MSGQUEUE_BIND_SEND_VIRQ, p->tx_queue, p->vic, PEER_TX_VIRQ)) ||
	    !ok(hvc_err(HVC_MSGQUEUE_BIND_RECEIVE_VIRQ, p->rx_queue, p->vic, PEER_RX_VIRQ)) ||
	    !ok(hvc_err(HVC_MSGQUEUE_BIND_RECEIVE_VIRQ, p->tx_queue, b->vic, p->rm_rx_virq)) ||
	    !ok(hvc_err(HVC_MSGQUEUE_BIND_SEND_VIRQ, p->rx_queue, b->vic, p->rm_tx_virq)) ||
	    !copy_cap(b, p->tx_queue, p->cspace, HVC_RIGHT_MSGQUEUE_SEND, &p->vm_tx_cap) ||
	    !copy_cap(b, p->rx_queue, p->cspace, HVC_RIGHT_MSGQUEUE_RECEIVE, &p->vm_rx_cap)) {
		return RM_ERROR_NOMEM;
	}
	err = patch_dt(p);
	if (err != RM_OK) {
		return err;
	}
	if (!add_resources(vm, p)) {
		return RM_ERROR_NORESOURCE;
	}
	p->rpc = &peer_rpc[slot];
	open[slot] = p;
	rm_rpc_init(p->rpc, p->vmid, vms, &rm_rpc_dispatch, &peer_ops, p);
	gic_enable_spi(p->rm_rx_virq);
	return RM_OK;
}

void peer_chan_close(const struct rm_boot_info *b, struct rm_vms *vms, struct peer_vm *p)
{
	struct rm_vm *vm = rm_vm_lookup(vms, p->vmid);

	for (unsigned i = 0; i < PEER_MAX; i++) {
		if (open[i] == p) {
			gic_disable_spi(p->rm_rx_virq);
			open[i] = NULL;
		}
	}
	if (vm != NULL) {
		vm->rpc = NULL;
		vm->n_resources = 0;
	}
	p->rpc = NULL;
	/* Unbinding a VIRQ never bound is refused harmlessly. The queues die with their last cap
	 * (the peer's cspace copies go with its cspace). */
	if (p->tx_queue != 0) {
		(void)hvc_err(PEER_HVC_MSGQUEUE_UNBIND_SEND_VIRQ, p->tx_queue, 0, 0);
		(void)hvc_err(PEER_HVC_MSGQUEUE_UNBIND_RECEIVE_VIRQ, p->tx_queue, 0, 0);
		(void)hvc_err(HVC_CSPACE_DELETE_CAP_FROM, b->cspace, p->tx_queue, 0);
	}
	if (p->rx_queue != 0) {
		(void)hvc_err(PEER_HVC_MSGQUEUE_UNBIND_SEND_VIRQ, p->rx_queue, 0, 0);
		(void)hvc_err(PEER_HVC_MSGQUEUE_UNBIND_RECEIVE_VIRQ, p->rx_queue, 0, 0);
		(void)hvc_err(HVC_CSPACE_DELETE_CAP_FROM, b->cspace, p->rx_queue, 0);
	}
	p->tx_queue = p->rx_queue = 0;
	p->vm_tx_cap = p->vm_rx_cap = 0;
}

void peer_chan_drain(void)
{
	static uint8_t msg[PEER_MSGQ_SIZE];

	for (unsigned i = 0; i < PEER_MAX; i++) {
		/* A handler may close a channel (VM_RESET of a peer by its owner): re-read open[i]
		 * before each message. */
		while (open[i] != NULL) {
			const uint64_t a[3] = {open[i]->tx_queue, (uint64_t)(uintptr_t)msg,
			                       sizeof(msg)};
			struct hvc_ret r = hvc_call(HVC_MSGQUEUE_RECEIVE, a, 3);

			if (r.x[0] != HVC_OK) {
				break;
			}
			rm_rpc_receive(open[i]->rpc, msg,
			               r.x[1] <= sizeof(msg) ? (size_t)r.x[1] : 0U);
		}
	}
}

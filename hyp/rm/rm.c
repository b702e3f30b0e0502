/* rm: the RM's boot (read what the hypervisor gave it, build and start the primary VM) and its
 * loop: sleep until the primary VM's queue raises the RM's VIRQ, hand each message to the RPC
 * server, send its replies on the RM -> VM queue. */
#include "boot_info.h"
#include "console.h"
#include "gic.h"
#include "hvc.h"
#include "peer.h"
#include "mem_hyp.h"
#include "primary.h"
#include "rm_abi.h"
#include "rpc.h"
#include "vm_state.h"

/* A reply the VM does not drain is given up after this many waits for room (each a WFI until the
 * send VIRQ says there is room). */
#define RM_SEND_WAITS 100000U

void rm_main(const void *dtb);
_Noreturn void rm_exception(uint64_t kind, uint64_t esr, uint64_t elr, uint64_t far);

static struct rm_boot_info boot;
static struct primary_vm primary;
static struct rm_vms vms;
/* The primary VM's RPC channel (~29 KiB of buffers: static, not on the stack). */
static struct rm_rpc primary_rpc;

/*
 * Waits for the VM: WFI, which blocks the RM's vCPU until one of its enabled VIRQs is pending, so
 * the primary VM (one priority below) runs meanwhile; its next request wakes the RM at once.
 */
static void rm_wait(void)
{
	__asm__ volatile("wfi" ::: "memory");
}

static int rm_send(void *ctx, const void *msg, size_t len)
{
	const struct primary_vm *vm = ctx;

	return hvc_msgqueue_send_waiting(vm->rx_queue, RM_RPC_TX_VIRQ, RM_SEND_WAITS, msg, len);
}

static uint32_t rm_vm_exit(void *ctx, uint16_t vmid)
{
	const struct primary_vm *vm = ctx;

	if (vmid != PRIMARY_VMID) {
		return RM_ERROR_VMID_INVALID;
	}
	return hvc_err(HVC_VCPU_KILL, vm->vcpu, 0, 0) == HVC_OK ? RM_OK : RM_ERROR_DENIED;
}

static const struct rm_rpc_ops rm_ops = {
    .send = rm_send,
    .console_write = console_write_bytes,
    .vm_exit = rm_vm_exit,
};

/* The primary VM in the RPC server's table: what VM_GET_HYP_RESOURCES reports of it. */
static void rm_register_primary(void)
{
	struct rm_vm *vm = rm_vm_add(&vms, PRIMARY_VMID, RM_VMID_RM);
	const struct rm_resource tx = {
	    .type = RM_RES_MSGQ_TX,
	    .partner_vmid = RM_VMID_RM,
	    .cap_id = primary.vm_tx_cap,
	    .virq = primary.vm_tx_virq,
	};
	const struct rm_resource rx = {
	    .type = RM_RES_MSGQ_RX,
	    .partner_vmid = RM_VMID_RM,
	    .cap_id = primary.vm_rx_cap,
	    .virq = primary.vm_rx_virq,
	};

	if (vm != NULL && rm_vm_add_resource(vm, &tx) && rm_vm_add_resource(vm, &rx)) {
		vm->priv = &primary;
		rm_rpc_init(&primary_rpc, PRIMARY_VMID, &vms, &rm_rpc_dispatch, &rm_ops, &primary);
		rm_vm_set_status(&vms, vm, RM_VM_STATUS_RUNNING);
		return;
	}
	rm_panic("cannot register the primary VM and its RPC queues with the RPC server");
}

/* Every message the VM queued, in order, to the RPC server. */
static void rm_drain(void)
{
	static uint8_t msg[PRIMARY_MSGQ_SIZE];

	for (;;) {
		const uint64_t a[3] = {primary.tx_queue, (uint64_t)(uintptr_t)msg, sizeof(msg)};
		struct hvc_ret r = hvc_call(HVC_MSGQUEUE_RECEIVE, a, 3);

		if (r.x[0] != HVC_OK) {
			return;
		}
		rm_rpc_receive(&primary_rpc, msg, r.x[1] <= sizeof(msg) ? (size_t)r.x[1] : 0U);
	}
}

void rm_main(const void *dtb)
{
	const char *missing = rm_boot_info_read(dtb, &boot);
	const char *failed;

	/* Without a UART it drives the RM prints nothing and serves its VMs as before. */
	if (boot.uart.base != RM_BOOT_NONE) {
		(void)console_init(boot.uart.base, boot.uart_compatible);
	}
	rm_printf("rm: Resource Manager at EL1, boot DT %p, console %s\n", dtb,
	          boot.uart_compatible);
	if (missing != NULL) {
		rm_panic("boot DT lacks %s", missing);
	}
	rm_printf("rm: partition cap 0x%lx cspace 0x%lx; primary RAM 0x%lx+0x%lx, entry 0x%lx, DT "
	          "0x%lx\n",
	          boot.partition, boot.cspace, boot.hlos_memory.base, boot.hlos_memory.size,
	          boot.hlos_entry, boot.hlos_dtb);
	gic_init(&boot);
	gic_enable_spi(RM_RPC_RX_VIRQ);
	rm_vms_init(&vms);
	peer_init(&boot);
	failed = primary_build(&boot, &primary);
	if (failed != NULL) {
		rm_panic("the primary VM was not started (%s)", failed);
	}
	/* The last line before the VM's own: from here the UART is the primary VM's (as upstream's
	 * RM stops printing), the RM writes only what a VM's console carries. */
	rm_printf("rm: primary VM %u started at 0x%lx, x0 = 0x%lx; RPC tx cap 0x%lx rx cap 0x%lx, "
	          "VIRQs %u %u\n",
	          PRIMARY_VMID, boot.hlos_entry, boot.hlos_dtb, primary.vm_tx_cap,
	          primary.vm_rx_cap, primary.vm_tx_virq, primary.vm_rx_virq);
	rm_register_primary();
	rm_mem_start(&boot, &primary, &vms);
	for (;;) {
		(void)gic_ack();
		rm_drain();
		peer_chan_drain();
		rm_wait();
	}
}

_Noreturn void rm_exception(uint64_t kind, uint64_t esr, uint64_t elr, uint64_t far)
{
	rm_panic("exception %lu: ESR 0x%lx ELR 0x%lx FAR 0x%lx", kind, esr, elr, far);
}

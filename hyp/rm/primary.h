/* primary: the primary VM (VMID 3), built entirely through hypercalls from the root partition: its
 * cspace, address space, RAM and UART, VIC, one vCPU and the RM RPC message-queue pair; its device
 * tree patched with the /hypervisor node; its vCPU powered on at the Linux entry. */
#ifndef RM_PRIMARY_H
#define RM_PRIMARY_H

#include <stdint.h>

#include "boot_info.h"

#define PRIMARY_VMID 3U
/* The RM RPC queues: depth and message size of upstream's primary VM (gunyah-abi.md §4, §6). */
#define PRIMARY_MSGQ_DEPTH 8U
#define PRIMARY_MSGQ_SIZE  240U
/* One below the RM's (the default, 32): the RM runs whenever it has work, so a remap of the
 * primary's Stage-2 is never interrupted by the primary itself; it gives the CPU back by WFI. */
#define PRIMARY_PRIORITY 31U
/* SPIs of the primary VM's VIC the queues raise (INTIDs; the DT says them, no test assumes them),
 * and of the RM's own VIC. */
#define PRIMARY_VIC_VIRQS 64U
#define PRIMARY_TX_VIRQ   64U /* VM -> RM queue has room: the VM may send */
#define PRIMARY_RX_VIRQ   65U /* RM -> VM queue not empty: the VM has a message */
#define RM_RPC_RX_VIRQ    32U /* VM -> RM queue not empty */
#define RM_RPC_TX_VIRQ    33U /* RM -> VM queue has room again */
/* The primary's cspace: its two queue caps and room for what the RM grants later. */
#define PRIMARY_CSPACE_CAPS 64U
/* The RM may rewrite up to 16 KiB past the DT the loader placed (gunyah-abi.md §13). */
#define PRIMARY_DT_ROOM   (16U * 1024U)
#define PRIMARY_DT_WINDOW (1024U * 1024U) /* mapped into the RM while it patches */
/* A hardware IRQ (the PL061's SPI) is bound at its own INTID: one of the VIC's SPIs, below the
 * queues' VIRQs. */
#define PRIMARY_HWIRQ_FIRST 32U
#define PRIMARY_HWIRQ_END   PRIMARY_TX_VIRQ
#define PRIMARY_DEVICE_PAGE 0x1000U

struct primary_vm {
	/* Caps in the root (RM's) cspace. */
	uint64_t cspace, addrspace, vic, vcpu;
	uint64_t ram_me, dt_me, uart_me, gpio_me;
	uint64_t tx_queue; /* VM -> RM: the RM receives on it */
	uint64_t rx_queue; /* RM -> VM: the RM sends on it */
	/* What the VM itself holds (caps in its own cspace) and sees (INTIDs of its VIC). */
	uint64_t vm_tx_cap, vm_rx_cap;
	uint32_t vm_tx_virq, vm_rx_virq;
	uint32_t hwirq_virq; /* the PL061's SPI, bound at this INTID of its VIC; 0: none */
};

/* Builds the primary VM and powers its vCPU on. NULL on success, else the step that failed (it is
 * printed with the hypercall's error). */
const char *primary_build(const struct rm_boot_info *b, struct primary_vm *vm);

#endif

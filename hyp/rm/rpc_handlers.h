/* hyp/rm/rpc_handlers.h: every RPC handler the RM's dispatch table (rpc_dispatch.c) names, one
 * line each, grouped by the file that defines it. A handler is an rm_rpc_handler_fn (rpc.h). */
#ifndef RM_RPC_HANDLERS_H
#define RM_RPC_HANDLERS_H

#include "rpc.h"

/* vm_rpc.c: a VM's questions about itself and its own status. */
uint32_t rm_handle_vm_get_vmid(struct rm_rpc_call *call);
uint32_t rm_handle_vm_get_hyp_resources(struct rm_rpc_call *call);
uint32_t rm_handle_vm_get_state(struct rm_rpc_call *call);
uint32_t rm_handle_vm_set_status(struct rm_rpc_call *call);
uint32_t rm_handle_vm_exit(struct rm_rpc_call *call);

/* vm_lifecycle.c: peer VMs, from VM_ALLOCATE to VM_DEALLOCATE. */
uint32_t rm_handle_vm_allocate(struct rm_rpc_call *call);
uint32_t rm_handle_vm_deallocate(struct rm_rpc_call *call);
uint32_t rm_handle_vm_config_image(struct rm_rpc_call *call);
uint32_t rm_handle_vm_init(struct rm_rpc_call *call);
uint32_t rm_handle_vm_start(struct rm_rpc_call *call);
uint32_t rm_handle_vm_stop(struct rm_rpc_call *call);
uint32_t rm_handle_vm_reset(struct rm_rpc_call *call);

/* console_rpc.c: the paravirtualized console. */
uint32_t rm_handle_console_open(struct rm_rpc_call *call);
uint32_t rm_handle_console_close(struct rm_rpc_call *call);
uint32_t rm_handle_console_write(struct rm_rpc_call *call);
uint32_t rm_handle_console_flush(struct rm_rpc_call *call);

/* memparcel_rpc.c: memory parcels (memparcel.c). */
uint32_t rm_handle_mem_share(struct rm_rpc_call *call);
uint32_t rm_handle_mem_lend(struct rm_rpc_call *call);
uint32_t rm_handle_mem_donate(struct rm_rpc_call *call);
uint32_t rm_handle_mem_accept(struct rm_rpc_call *call);
uint32_t rm_handle_mem_append(struct rm_rpc_call *call);
uint32_t rm_handle_mem_release(struct rm_rpc_call *call);
uint32_t rm_handle_mem_reclaim(struct rm_rpc_call *call);
uint32_t rm_handle_mem_notify(struct rm_rpc_call *call);

/* irq_lend_rpc.c: VIRQ lending (irq_lend.c). */
uint32_t rm_handle_vm_irq_lend(struct rm_rpc_call *call);
uint32_t rm_handle_vm_irq_accept(struct rm_rpc_call *call);
uint32_t rm_handle_vm_irq_release(struct rm_rpc_call *call);
uint32_t rm_handle_vm_irq_reclaim(struct rm_rpc_call *call);
uint32_t rm_handle_vm_irq_notify(struct rm_rpc_call *call);

/* The handlers of vm_rpc.c and console_rpc.c as one table (rpc_table_host.c, host only): the RPC
 * host tests and the decoder fuzzer dispatch through it. */
extern const struct rm_rpc_table rm_rpc_pure_table;

#endif

/* hyp/rm/rpc_dispatch.c: the RM image's RPC dispatch table, one row per message ID. A message ID
 * without a row is answered RM_ERROR_UNIMPLEMENTED by rpc.c. Add a row here and the handler's
 * declaration to rpc_handlers.h. */
#include "rm_abi.h"
#include "rpc_handlers.h"

static const struct rm_rpc_handler rm_rpc_rows[] = {
    {RM_VM_GET_VMID, rm_handle_vm_get_vmid},
    {RM_VM_GET_HYP_RESOURCES, rm_handle_vm_get_hyp_resources},
    {RM_VM_GET_STATE, rm_handle_vm_get_state},
    {RM_VM_SET_STATUS, rm_handle_vm_set_status},
    {RM_VM_EXIT, rm_handle_vm_exit},
    {RM_VM_ALLOCATE, rm_handle_vm_allocate},
    {RM_VM_DEALLOCATE, rm_handle_vm_deallocate},
    {RM_VM_CONFIG_IMAGE, rm_handle_vm_config_image},
    {RM_VM_INIT, rm_handle_vm_init},
    {RM_VM_START, rm_handle_vm_start},
    {RM_VM_STOP, rm_handle_vm_stop},
    {RM_VM_RESET, rm_handle_vm_reset},
    {RM_VM_CONSOLE_OPEN, rm_handle_console_open},
    {RM_VM_CONSOLE_CLOSE, rm_handle_console_close},
    {RM_VM_CONSOLE_WRITE, rm_handle_console_write},
    {RM_VM_CONSOLE_FLUSH, rm_handle_console_flush},
    {RM_MEM_SHARE, rm_handle_mem_share},
    {RM_MEM_LEND, rm_handle_mem_lend},
    {RM_MEM_DONATE, rm_handle_mem_donate},
    {RM_MEM_ACCEPT, rm_handle_mem_accept},
    {RM_MEM_APPEND, rm_handle_mem_append},
    {RM_MEM_RELEASE, rm_handle_mem_release},
    {RM_MEM_RECLAIM, rm_handle_mem_reclaim},
    {RM_MEM_NOTIFY, rm_handle_mem_notify},
    {RM_VM_IRQ_LEND, rm_handle_vm_irq_lend},
    {RM_VM_IRQ_ACCEPT, rm_handle_vm_irq_accept},
    {RM_VM_IRQ_RELEASE, rm_handle_vm_irq_release},
    {RM_VM_IRQ_RECLAIM, rm_handle_vm_irq_reclaim},
    {RM_VM_IRQ_NOTIFY, rm_handle_vm_irq_notify},
};

const struct rm_rpc_table rm_rpc_dispatch = {rm_rpc_rows,
                                             sizeof(rm_rpc_rows) / sizeof(rm_rpc_rows[0])};

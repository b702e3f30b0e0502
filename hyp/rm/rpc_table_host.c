/* hyp/rm/rpc_table_host.c: the handlers that need no hypercalls, as one table: the host tests and
 * the decoder fuzzer dispatch through it (the RM image uses rpc_dispatch.c's full table). */
#include "rm_abi.h"
#include "rpc_handlers.h"

static const struct rm_rpc_handler rm_rpc_pure_rows[] = {
    {RM_VM_GET_VMID, rm_handle_vm_get_vmid},
    {RM_VM_GET_HYP_RESOURCES, rm_handle_vm_get_hyp_resources},
    {RM_VM_GET_STATE, rm_handle_vm_get_state},
    {RM_VM_SET_STATUS, rm_handle_vm_set_status},
    {RM_VM_EXIT, rm_handle_vm_exit},
    {RM_VM_CONSOLE_OPEN, rm_handle_console_open},
    {RM_VM_CONSOLE_CLOSE, rm_handle_console_close},
    {RM_VM_CONSOLE_WRITE, rm_handle_console_write},
    {RM_VM_CONSOLE_FLUSH, rm_handle_console_flush},
};

const struct rm_rpc_table rm_rpc_pure_table = {rm_rpc_pure_rows, sizeof(rm_rpc_pure_rows) /
                                                                     sizeof(rm_rpc_pure_rows[0])};

/* hypercall_handlers: the native table's handlers, one family a file
 * (hyp/core/hypercall_<family>.c).
 */
#ifndef HYPERCALL_HANDLERS_H
#define HYPERCALL_HANDLERS_H

#include "hypercall.h"

/* hypercall.c */
HYPERCALL_HANDLER_DECL(hypervisor_identify);

/* hypercall_object.c: partition creates and the object lifecycle. */
HYPERCALL_HANDLER_DECL(partition_create_partition);
HYPERCALL_HANDLER_DECL(partition_create_cspace);
HYPERCALL_HANDLER_DECL(partition_create_thread);
HYPERCALL_HANDLER_DECL(object_activate);
HYPERCALL_HANDLER_DECL(object_activate_from);
HYPERCALL_HANDLER_DECL(object_reset);
HYPERCALL_HANDLER_DECL(object_reset_from);

/* hypercall_cspace.c */
HYPERCALL_HANDLER_DECL(cspace_delete_cap_from);
HYPERCALL_HANDLER_DECL(cspace_copy_cap_from);
HYPERCALL_HANDLER_DECL(cspace_revoke_cap_from);
HYPERCALL_HANDLER_DECL(cspace_configure);
HYPERCALL_HANDLER_DECL(cspace_attach_thread);
HYPERCALL_HANDLER_DECL(cspace_revoke_caps_from);

/* hypercall_vic.c */
HYPERCALL_HANDLER_DECL(partition_create_vic);
HYPERCALL_HANDLER_DECL(vic_configure);
HYPERCALL_HANDLER_DECL(vic_attach_vcpu);
HYPERCALL_HANDLER_DECL(hwirq_bind_virq);
HYPERCALL_HANDLER_DECL(hwirq_unbind_virq);
HYPERCALL_HANDLER_DECL(vic_bind_msi_source);
HYPERCALL_HANDLER_DECL(vgic_set_mpidr_mapping);

/* hypercall_doorbell.c */
HYPERCALL_HANDLER_DECL(partition_create_doorbell);
HYPERCALL_HANDLER_DECL(doorbell_bind_virq);
HYPERCALL_HANDLER_DECL(doorbell_unbind_virq);
HYPERCALL_HANDLER_DECL(doorbell_send);
HYPERCALL_HANDLER_DECL(doorbell_receive);
HYPERCALL_HANDLER_DECL(doorbell_reset);
HYPERCALL_HANDLER_DECL(doorbell_mask);

/* hypercall_msgqueue.c */
HYPERCALL_HANDLER_DECL(partition_create_msgqueue);
HYPERCALL_HANDLER_DECL(msgqueue_configure);
HYPERCALL_HANDLER_DECL(msgqueue_bind_send_virq);
HYPERCALL_HANDLER_DECL(msgqueue_bind_receive_virq);
HYPERCALL_HANDLER_DECL(msgqueue_unbind_send_virq);
HYPERCALL_HANDLER_DECL(msgqueue_unbind_receive_virq);
HYPERCALL_HANDLER_DECL(msgqueue_send);
HYPERCALL_HANDLER_DECL(msgqueue_receive);
HYPERCALL_HANDLER_DECL(msgqueue_flush);
HYPERCALL_HANDLER_DECL(msgqueue_configure_send);
HYPERCALL_HANDLER_DECL(msgqueue_configure_receive);

/* hypercall_memextent.c */
HYPERCALL_HANDLER_DECL(partition_create_memextent);
HYPERCALL_HANDLER_DECL(memextent_configure);
HYPERCALL_HANDLER_DECL(memextent_configure_derive);
HYPERCALL_HANDLER_DECL(memextent_modify);
HYPERCALL_HANDLER_DECL(memextent_donate);

/* hypercall_addrspace.c */
HYPERCALL_HANDLER_DECL(partition_create_addrspace);
HYPERCALL_HANDLER_DECL(addrspace_configure);
HYPERCALL_HANDLER_DECL(addrspace_attach_thread);
HYPERCALL_HANDLER_DECL(addrspace_map);
HYPERCALL_HANDLER_DECL(addrspace_unmap);
HYPERCALL_HANDLER_DECL(addrspace_update_access);
HYPERCALL_HANDLER_DECL(addrspace_lookup);
HYPERCALL_HANDLER_DECL(addrspace_attach_vdma);
HYPERCALL_HANDLER_DECL(addrspace_configure_info_area);
HYPERCALL_HANDLER_DECL(addrspace_configure_vmmio);
HYPERCALL_HANDLER_DECL(addrspace_attach_vdevice);

/* hypercall_vcpu.c */
HYPERCALL_HANDLER_DECL(vcpu_configure);
HYPERCALL_HANDLER_DECL(vcpu_poweron);
HYPERCALL_HANDLER_DECL(vcpu_poweroff);
HYPERCALL_HANDLER_DECL(vcpu_kill);
HYPERCALL_HANDLER_DECL(scheduler_yield);
HYPERCALL_HANDLER_DECL(vcpu_set_priority);
HYPERCALL_HANDLER_DECL(vcpu_set_timeslice);
HYPERCALL_HANDLER_DECL(vcpu_bind_virq);
HYPERCALL_HANDLER_DECL(vcpu_unbind_virq);
HYPERCALL_HANDLER_DECL(vcpu_register_write);
HYPERCALL_HANDLER_DECL(vcpu_set_affinity);
HYPERCALL_HANDLER_DECL(vcpu_run);
HYPERCALL_HANDLER_DECL(vcpu_run_check);

#endif

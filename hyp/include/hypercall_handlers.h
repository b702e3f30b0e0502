/* hypercall_handlers: the native table's handlers, one family a file
 * (hyp/core/hypercall_<family>.c).
 */
#ifndef HYPERCALL_HANDLERS_H
#define HYPERCALL_HANDLERS_H

#include "hypercall.h"

/* hypercall.c */
HYPERCALL_HANDLER(hypervisor_identify);

/* hypercall_object.c: partition creates and the object lifecycle. */
HYPERCALL_HANDLER(partition_create_partition);
HYPERCALL_HANDLER(partition_create_cspace);
HYPERCALL_HANDLER(partition_create_thread);
HYPERCALL_HANDLER(object_activate);
HYPERCALL_HANDLER(object_activate_from);
HYPERCALL_HANDLER(object_reset);
HYPERCALL_HANDLER(object_reset_from);

/* hypercall_cspace.c */
HYPERCALL_HANDLER(cspace_delete_cap_from);
HYPERCALL_HANDLER(cspace_copy_cap_from);
HYPERCALL_HANDLER(cspace_revoke_cap_from);
HYPERCALL_HANDLER(cspace_configure);
HYPERCALL_HANDLER(cspace_attach_thread);
HYPERCALL_HANDLER(cspace_revoke_caps_from);

/* hypercall_vic.c */
HYPERCALL_HANDLER(partition_create_vic);
HYPERCALL_HANDLER(vic_configure);
HYPERCALL_HANDLER(vic_attach_vcpu);
HYPERCALL_HANDLER(hwirq_bind_virq);
HYPERCALL_HANDLER(hwirq_unbind_virq);
HYPERCALL_HANDLER(vic_bind_msi_source);
HYPERCALL_HANDLER(vgic_set_mpidr_mapping);

/* hypercall_doorbell.c */
HYPERCALL_HANDLER(partition_create_doorbell);
HYPERCALL_HANDLER(doorbell_bind_virq);
HYPERCALL_HANDLER(doorbell_unbind_virq);
HYPERCALL_HANDLER(doorbell_send);
HYPERCALL_HANDLER(doorbell_receive);
HYPERCALL_HANDLER(doorbell_reset);
HYPERCALL_HANDLER(doorbell_mask);

/* hypercall_msgqueue.c */
HYPERCALL_HANDLER(partition_create_msgqueue);
HYPERCALL_HANDLER(msgqueue_configure);
HYPERCALL_HANDLER(msgqueue_bind_send_virq);
HYPERCALL_HANDLER(msgqueue_bind_receive_virq);
HYPERCALL_HANDLER(msgqueue_unbind_send_virq);
HYPERCALL_HANDLER(msgqueue_unbind_receive_virq);
HYPERCALL_HANDLER(msgqueue_send);
HYPERCALL_HANDLER(msgqueue_receive);
HYPERCALL_HANDLER(msgqueue_flush);
HYPERCALL_HANDLER(msgqueue_configure_send);
HYPERCALL_HANDLER(msgqueue_configure_receive);

/* hypercall_memextent.c */
HYPERCALL_HANDLER(partition_create_memextent);
HYPERCALL_HANDLER(memextent_configure);
HYPERCALL_HANDLER(memextent_configure_derive);
HYPERCALL_HANDLER(memextent_modify);
HYPERCALL_HANDLER(memextent_donate);

/* hypercall_addrspace.c */
HYPERCALL_HANDLER(partition_create_addrspace);
HYPERCALL_HANDLER(addrspace_configure);
HYPERCALL_HANDLER(addrspace_attach_thread);
HYPERCALL_HANDLER(addrspace_map);
HYPERCALL_HANDLER(addrspace_unmap);
HYPERCALL_HANDLER(addrspace_update_access);
HYPERCALL_HANDLER(addrspace_lookup);
HYPERCALL_HANDLER(addrspace_attach_vdma);
HYPERCALL_HANDLER(addrspace_configure_info_area);
HYPERCALL_HANDLER(addrspace_configure_vmmio);
HYPERCALL_HANDLER(addrspace_attach_vdevice);

/* hypercall_vcpu.c */
HYPERCALL_HANDLER(vcpu_configure);
HYPERCALL_HANDLER(vcpu_poweron);
HYPERCALL_HANDLER(vcpu_poweroff);
HYPERCALL_HANDLER(vcpu_kill);
HYPERCALL_HANDLER(scheduler_yield);
HYPERCALL_HANDLER(vcpu_set_priority);
HYPERCALL_HANDLER(vcpu_set_timeslice);
HYPERCALL_HANDLER(vcpu_bind_virq);
HYPERCALL_HANDLER(vcpu_unbind_virq);
HYPERCALL_HANDLER(vcpu_register_write);
HYPERCALL_HANDLER(vcpu_set_affinity);

#endif

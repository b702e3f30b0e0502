/* mem_calls: the memextent_* and addrspace_* hypercalls as core calls (cap lookups, then the object
 * calls of memextent.h and addrspace.h), called the same way by the dispatcher and host programs.
 */
#ifndef MEM_CALLS_H
#define MEM_CALLS_H

#include "addrspace.h"
#include "core_call.h"

/* memextent_calls.c */
error_t core_memextent_configure(const struct core_ctx *ctx, cap_id_t me_cap, uint64_t phys_base,
                                 uint64_t size, uint64_t attrs);
error_t core_memextent_configure_derive(const struct core_ctx *ctx, cap_id_t me_cap,
                                        cap_id_t parent_cap, uint64_t offset, uint64_t size,
                                        uint64_t attrs);
error_t core_memextent_modify(const struct core_ctx *ctx, cap_id_t me_cap, uint64_t flags,
                              uint64_t offset, uint64_t size);
error_t core_memextent_donate(const struct core_ctx *ctx, uint64_t options, cap_id_t from_cap,
                              cap_id_t to_cap, uint64_t offset, uint64_t size);

/* addrspace_calls.c */
error_t core_addrspace_configure(const struct core_ctx *ctx, cap_id_t as_cap, uint64_t vmid);
error_t core_addrspace_attach_thread(const struct core_ctx *ctx, cap_id_t as_cap,
                                     cap_id_t thread_cap);
error_t core_addrspace_map(const struct core_ctx *ctx, cap_id_t as_cap, cap_id_t me_cap,
                           uint64_t vbase, uint64_t map_attrs, uint64_t map_flags, uint64_t offset,
                           uint64_t size);
error_t core_addrspace_unmap(const struct core_ctx *ctx, cap_id_t as_cap, cap_id_t me_cap,
                             uint64_t vbase, uint64_t map_flags, uint64_t offset, uint64_t size);
error_t core_addrspace_update_access(const struct core_ctx *ctx, cap_id_t as_cap, cap_id_t me_cap,
                                     uint64_t vbase, uint64_t access_attrs, uint64_t map_flags,
                                     uint64_t offset, uint64_t size);
struct addrspace_lookup_result core_addrspace_lookup(const struct core_ctx *ctx, cap_id_t as_cap,
                                                     cap_id_t me_cap, uint64_t vbase,
                                                     uint64_t size);
/* addrspace_configure_vmmio: the ranges whose faults a proxy-scheduled vCPU's vcpu_run reports. */
error_t core_addrspace_configure_vmmio(const struct core_ctx *ctx, cap_id_t as_cap, uint64_t base,
                                       uint64_t size, uint64_t op);
/*
 * addrspace_attach_vdma, _configure_info_area, _attach_vdevice: the address space cap is checked
 * (@rights; INIT when @is_configure), then UNIMPLEMENTED: humpy has no DMA devices, info areas or
 * attachable virtual devices (spec deviation addrspace_unbuilt_calls).
 */
error_t core_addrspace_unbuilt(const struct core_ctx *ctx, cap_id_t as_cap, rights_t rights,
                               bool is_configure);

#endif

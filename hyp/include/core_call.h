/* core_call: the object/cap hypercalls as portable core functions, called the same way by arch and
 * fuzzers. */
#ifndef CORE_CALL_H
#define CORE_CALL_H

#include "cspace.h"
#include "object.h"

/*
 * Who is calling. The core runs one call at a time, so lookups may borrow objects without taking
 * references. Today that holds without a lock: one physical CPU runs, and EL2 runs with interrupts
 * masked, so nothing enters the core while a call (or a trap's VIC update) is in it.
 *
 * Lock discipline, written down now so SMP only has to populate it (hyp/README.md, "Locking"):
 *  1. the core lock: one for the whole object core (objects, caps, VICs, queues, memdb), taken by
 *     hypercall_dispatch around the handler and by the trap path around a VIC change; held by
 *     whoever borrows an object from a lookup;
 *  2. a CPU's scheduler (cpu_local.h sched): only its own CPU changes it; another CPU that wakes or
 *     blocks one of its vCPUs asks it by IPI (none yet: one CPU) instead of taking a lock;
 *  3. a vCPU's context (vcpu.h regs, vcpu_context) belongs to the CPU that runs it, and is touched
 *     elsewhere only while the vCPU is off (vcpu_register_write: BUSY otherwise).
 * Order: the core lock before anything else; nothing is held across the return to a guest or the
 * idle loop's WFI.
 */
struct vcpu;

struct core_ctx {
	struct cspace *cspace; /* the calling thread's cspace */
	/* The calling vCPU, for what only the arch layer can do for it (copies through its
	 * translation, delivering its interrupts); opaque to the core. */
	struct vcpu *vcpu;
};

/* x0 = error, x1 = value, x2 = value2 (0 unless the call has such an output and succeeded). */
struct core_result {
	error_t error;
	uint64_t value;
	uint64_t value2;
};

/* partition_create_* (0x01-0x0b, 0x48): a new object of @type in INIT, its master cap in
 * @cspace_cap. */
struct core_result core_partition_create(const struct core_ctx *ctx, enum obj_type type,
                                         cap_id_t partition_cap, cap_id_t cspace_cap);

error_t core_object_activate(const struct core_ctx *ctx, cap_id_t cap);
error_t core_object_activate_from(const struct core_ctx *ctx, cap_id_t cspace_cap, cap_id_t cap);
/* object_reset / object_reset_from: UNIMPLEMENTED, as upstream. */
error_t core_object_reset(const struct core_ctx *ctx, cap_id_t cspace_cap, cap_id_t cap);

error_t core_cspace_delete_cap_from(const struct core_ctx *ctx, cap_id_t cspace_cap, cap_id_t cap);
struct core_result core_cspace_copy_cap_from(const struct core_ctx *ctx, cap_id_t src_cspace_cap,
                                             cap_id_t src_cap, cap_id_t dest_cspace_cap,
                                             uint64_t rights_mask);
error_t core_cspace_revoke_cap_from(const struct core_ctx *ctx, cap_id_t cspace_cap, cap_id_t cap);
error_t core_cspace_revoke_caps_from(const struct core_ctx *ctx, cap_id_t cspace_cap,
                                     cap_id_t master_cap);
error_t core_cspace_configure(const struct core_ctx *ctx, cap_id_t cspace_cap, uint64_t max_caps);
error_t core_cspace_attach_thread(const struct core_ctx *ctx, cap_id_t cspace_cap,
                                  cap_id_t thread_cap);
error_t core_msgqueue_configure(const struct core_ctx *ctx, cap_id_t msgqueue_cap,
                                uint64_t create_info);

/* vic_calls.c: the VIC and its sources. */
error_t core_vic_configure(const struct core_ctx *ctx, cap_id_t vic_cap, uint64_t max_vcpus,
                           uint64_t max_virqs, uint64_t vic_options, uint64_t max_msis);
error_t core_vic_attach_vcpu(const struct core_ctx *ctx, cap_id_t vic_cap, cap_id_t thread_cap,
                             uint64_t index);
/*
 * The common part of every *_bind_virq: the object (@type, @rights: its bind right) and the VIC
 * (BIND_SOURCE, ACTIVE) are looked up, then @pick gives the source of the object to bind.
 */
struct virq_source;
typedef struct virq_source *(*core_virq_pick_fn)(struct object *obj);
error_t core_virq_bind(const struct core_ctx *ctx, cap_id_t cap, enum obj_type type,
                       rights_t rights, core_virq_pick_fn pick, cap_id_t vic_cap, uint64_t virq);
error_t core_virq_unbind(const struct core_ctx *ctx, cap_id_t cap, enum obj_type type,
                         rights_t rights, core_virq_pick_fn pick);
error_t core_hwirq_bind_virq(const struct core_ctx *ctx, cap_id_t hwirq_cap, cap_id_t vic_cap,
                             uint64_t virq);
error_t core_hwirq_unbind_virq(const struct core_ctx *ctx, cap_id_t hwirq_cap);
error_t core_vic_bind_msi_source(const struct core_ctx *ctx, cap_id_t vic_cap, cap_id_t msi_cap);
error_t core_vgic_set_mpidr_mapping(const struct core_ctx *ctx, cap_id_t vic_cap, uint64_t mask,
                                    const uint64_t shifts[4], uint64_t mt);

/* doorbell_calls.c */
error_t core_doorbell_bind_virq(const struct core_ctx *ctx, cap_id_t db_cap, cap_id_t vic_cap,
                                uint64_t virq);
error_t core_doorbell_unbind_virq(const struct core_ctx *ctx, cap_id_t db_cap);
/* value = the flags before */
struct core_result core_doorbell_send(const struct core_ctx *ctx, cap_id_t db_cap,
                                      uint64_t new_flags);
struct core_result core_doorbell_receive(const struct core_ctx *ctx, cap_id_t db_cap,
                                         uint64_t clear_flags);
error_t core_doorbell_reset(const struct core_ctx *ctx, cap_id_t db_cap);
error_t core_doorbell_mask(const struct core_ctx *ctx, cap_id_t db_cap, uint64_t enable_mask,
                           uint64_t ack_mask);

/* msgqueue_calls.c: copies go through ctx->vcpu's translation (guest_mem.h). */
error_t core_msgqueue_bind(const struct core_ctx *ctx, cap_id_t mq_cap, bool is_send,
                           cap_id_t vic_cap, uint64_t virq);
error_t core_msgqueue_unbind(const struct core_ctx *ctx, cap_id_t mq_cap, bool is_send);
/* value = not_full */
struct core_result core_msgqueue_send(const struct core_ctx *ctx, cap_id_t mq_cap, uint64_t size,
                                      uint64_t data, uint64_t flags);
/* value = size, value2 = not_empty */
struct core_result core_msgqueue_receive(const struct core_ctx *ctx, cap_id_t mq_cap,
                                         uint64_t buffer, uint64_t buf_size);
error_t core_msgqueue_flush(const struct core_ctx *ctx, cap_id_t mq_cap);
error_t core_msgqueue_configure_send(const struct core_ctx *ctx, cap_id_t mq_cap,
                                     uint64_t threshold, uint64_t delay);
error_t core_msgqueue_configure_receive(const struct core_ctx *ctx, cap_id_t mq_cap,
                                        uint64_t threshold, uint64_t delay);

/* vcpu_calls.c: vCPUs (threads once ACTIVE) and the scheduler. */
error_t core_vcpu_configure(const struct core_ctx *ctx, cap_id_t cap, uint64_t options);
error_t core_vcpu_poweron(const struct core_ctx *ctx, cap_id_t cap, uint64_t entry,
                          uint64_t context, uint64_t flags);
/* Only the caller itself; on success it does not run again until powered on. */
error_t core_vcpu_poweroff(const struct core_ctx *ctx, cap_id_t cap, uint64_t flags);
error_t core_vcpu_kill(const struct core_ctx *ctx, cap_id_t cap);
error_t core_vcpu_set_priority(const struct core_ctx *ctx, cap_id_t cap, uint64_t priority);
error_t core_vcpu_set_timeslice(const struct core_ctx *ctx, cap_id_t cap, uint64_t timeslice_ns);
error_t core_vcpu_set_affinity(const struct core_ctx *ctx, cap_id_t cap, uint64_t cpu_index);
error_t core_vcpu_register_write(const struct core_ctx *ctx, cap_id_t cap, uint64_t regset,
                                 uint64_t index, uint64_t value);
error_t core_vcpu_bind_virq(const struct core_ctx *ctx, cap_id_t cap, cap_id_t vic_cap,
                            uint64_t virq, uint64_t virq_type);
error_t core_vcpu_unbind_virq(const struct core_ctx *ctx, cap_id_t cap, uint64_t virq_type);
/* vcpu_run / vcpu_run_check (reference section 9): x0 error, x1 state, x2..x4 state data. */
struct core_run_result {
	error_t error;
	uint64_t state;
	uint64_t data[3];
};
struct core_run_result core_vcpu_run(const struct core_ctx *ctx, cap_id_t cap,
                                     uint64_t resume_data_0);
struct core_run_result core_vcpu_run_check(const struct core_ctx *ctx, cap_id_t cap);
error_t core_scheduler_yield(const struct core_ctx *ctx, uint64_t control, uint64_t arg1);

#endif

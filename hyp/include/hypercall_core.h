/* hypercall_core: the native-table handlers of the object/cspace calls, adapting registers to
 * hyp/core. */
#ifndef HYPERCALL_CORE_H
#define HYPERCALL_CORE_H

#include "hypercall.h"

struct vcpu;

#define HYPERCALL_CORE_HANDLER(name)                                                               \
	struct hypercall_result hypercall_core_##name(struct vcpu *vcpu,                           \
	                                              const struct hypercall_regs *in)

HYPERCALL_CORE_HANDLER(partition_create_partition);
HYPERCALL_CORE_HANDLER(partition_create_cspace);
HYPERCALL_CORE_HANDLER(partition_create_thread);
HYPERCALL_CORE_HANDLER(object_activate);
HYPERCALL_CORE_HANDLER(object_activate_from);
HYPERCALL_CORE_HANDLER(object_reset);
HYPERCALL_CORE_HANDLER(object_reset_from);
HYPERCALL_CORE_HANDLER(cspace_delete_cap_from);
HYPERCALL_CORE_HANDLER(cspace_copy_cap_from);
HYPERCALL_CORE_HANDLER(cspace_revoke_cap_from);
HYPERCALL_CORE_HANDLER(cspace_configure);
HYPERCALL_CORE_HANDLER(cspace_attach_thread);
HYPERCALL_CORE_HANDLER(cspace_revoke_caps_from);

/*
 * Rows for the native table (handler, inputs, res0 mask, res1 mask), in the layout of
 * struct hypercall_desc; hypercall.c places them at their numbers.
 */
#define HYPERCALL_CORE_ROWS                                                                        \
	[HYP_CALL_PARTITION_CREATE_PARTITION] = {hypercall_core_partition_create_partition, 3,     \
	                                         0x4, 0},                                          \
	[HYP_CALL_PARTITION_CREATE_CSPACE] = {hypercall_core_partition_create_cspace, 3, 0x4, 0},  \
	[HYP_CALL_PARTITION_CREATE_THREAD] = {hypercall_core_partition_create_thread, 3, 0x4, 0},  \
	[HYP_CALL_OBJECT_ACTIVATE] = {hypercall_core_object_activate, 2, 0x2, 0},                  \
	[HYP_CALL_OBJECT_ACTIVATE_FROM] = {hypercall_core_object_activate_from, 3, 0x4, 0},        \
	[HYP_CALL_OBJECT_RESET] = {hypercall_core_object_reset, 2, 0x2, 0},                        \
	[HYP_CALL_OBJECT_RESET_FROM] = {hypercall_core_object_reset_from, 3, 0x4, 0},              \
	[HYP_CALL_CSPACE_DELETE_CAP_FROM] = {hypercall_core_cspace_delete_cap_from, 3, 0x4, 0},    \
	[HYP_CALL_CSPACE_COPY_CAP_FROM] = {hypercall_core_cspace_copy_cap_from, 5, 0x10, 0},       \
	[HYP_CALL_CSPACE_REVOKE_CAP_FROM] = {hypercall_core_cspace_revoke_cap_from, 3, 0x4, 0},    \
	[HYP_CALL_CSPACE_CONFIGURE] = {hypercall_core_cspace_configure, 3, 0x4, 0},                \
	[HYP_CALL_CSPACE_ATTACH_THREAD] = {hypercall_core_cspace_attach_thread, 3, 0x4, 0},        \
	[HYP_CALL_CSPACE_REVOKE_CAPS_FROM] = {hypercall_core_cspace_revoke_caps_from, 3, 0x4, 0},

#endif

/*
 * abi: hyp's own hand-written copy of the Gunyah guest ABI numbers it serves (reference §1, §2).
 * Deliberately independent of conformance/spec/: a host test compares the two encodings.
 * Usable from assembly (numbers only below the __ASSEMBLER__ guard).
 */
#ifndef ABI_H
#define ABI_H

/* Native path: hvc #(HYP_HVC_IMM_BASE + n), arguments and results in x0..x7. */
#define HYP_HVC_IMM_BASE  0x6000
#define HYP_HVC_IMM_LIMIT 0x61FF /* the immediate range Gunyah reserves */

/*
 * The native table spans upstream's numbers 0x00..0x68: a number inside it without a handler is
 * a hole (x0 = UNIMPLEMENTED, x1..x7 and x9..x17 zeroed); a number past it takes the ordinary
 * trap path (x0 = -1, every other register preserved), as upstream does.
 */
#define HYP_CALL_COUNT 0x69

/*
 * Every hypercall number of the Gunyah ABI (reference §2), typed here by hand so that a wrong
 * number cannot hide in a header shared with the conformance suite; hyp/test/test_abi_spec.c
 * compares this list and the dispatch table with conformance/spec/ name by name.
 */
#define HYP_CALL_HYPERVISOR_IDENTIFY                  0x00
#define HYP_CALL_PARTITION_CREATE_PARTITION           0x01
#define HYP_CALL_PARTITION_CREATE_CSPACE              0x02
#define HYP_CALL_PARTITION_CREATE_ADDRSPACE           0x03
#define HYP_CALL_PARTITION_CREATE_MEMEXTENT           0x04
#define HYP_CALL_PARTITION_CREATE_THREAD              0x05
#define HYP_CALL_PARTITION_CREATE_DOORBELL            0x06
#define HYP_CALL_PARTITION_CREATE_MSGQUEUE            0x07
#define HYP_CALL_PARTITION_CREATE_WATCHDOG            0x09
#define HYP_CALL_PARTITION_CREATE_VIC                 0x0A
#define HYP_CALL_PARTITION_CREATE_VPM_GROUP           0x0B
#define HYP_CALL_OBJECT_ACTIVATE                      0x0C
#define HYP_CALL_OBJECT_ACTIVATE_FROM                 0x0D
#define HYP_CALL_OBJECT_RESET                         0x0E
#define HYP_CALL_OBJECT_RESET_FROM                    0x0F
#define HYP_CALL_DOORBELL_BIND_VIRQ                   0x10
#define HYP_CALL_DOORBELL_UNBIND_VIRQ                 0x11
#define HYP_CALL_DOORBELL_SEND                        0x12
#define HYP_CALL_DOORBELL_RECEIVE                     0x13
#define HYP_CALL_DOORBELL_RESET                       0x14
#define HYP_CALL_DOORBELL_MASK                        0x15
#define HYP_CALL_MSGQUEUE_BIND_SEND_VIRQ              0x17
#define HYP_CALL_MSGQUEUE_BIND_RECEIVE_VIRQ           0x18
#define HYP_CALL_MSGQUEUE_UNBIND_SEND_VIRQ            0x19
#define HYP_CALL_MSGQUEUE_UNBIND_RECEIVE_VIRQ         0x1A
#define HYP_CALL_MSGQUEUE_SEND                        0x1B
#define HYP_CALL_MSGQUEUE_RECEIVE                     0x1C
#define HYP_CALL_MSGQUEUE_FLUSH                       0x1D
#define HYP_CALL_MSGQUEUE_CONFIGURE_SEND              0x1F
#define HYP_CALL_MSGQUEUE_CONFIGURE_RECEIVE           0x20
#define HYP_CALL_MSGQUEUE_CONFIGURE                   0x21
#define HYP_CALL_CSPACE_DELETE_CAP_FROM               0x22
#define HYP_CALL_CSPACE_COPY_CAP_FROM                 0x23
#define HYP_CALL_CSPACE_REVOKE_CAP_FROM               0x24
#define HYP_CALL_CSPACE_CONFIGURE                     0x25
#define HYP_CALL_HWIRQ_BIND_VIRQ                      0x26
#define HYP_CALL_HWIRQ_UNBIND_VIRQ                    0x27
#define HYP_CALL_VIC_CONFIGURE                        0x28
#define HYP_CALL_VIC_ATTACH_VCPU                      0x29
#define HYP_CALL_ADDRSPACE_ATTACH_THREAD              0x2A
#define HYP_CALL_ADDRSPACE_MAP                        0x2B
#define HYP_CALL_ADDRSPACE_UNMAP                      0x2C
#define HYP_CALL_ADDRSPACE_UPDATE_ACCESS              0x2D
#define HYP_CALL_ADDRSPACE_CONFIGURE                  0x2E
#define HYP_CALL_ADDRSPACE_ATTACH_VDMA                0x2F
#define HYP_CALL_MEMEXTENT_MODIFY                     0x30
#define HYP_CALL_MEMEXTENT_CONFIGURE                  0x31
#define HYP_CALL_MEMEXTENT_CONFIGURE_DERIVE           0x32
#define HYP_CALL_VCPU_CONFIGURE                       0x34
#define HYP_CALL_VCPU_POWERON                         0x38
#define HYP_CALL_VCPU_POWEROFF                        0x39
#define HYP_CALL_VCPU_KILL                            0x3A
#define HYP_CALL_SCHEDULER_YIELD                      0x3B
#define HYP_CALL_VPM_GROUP_ATTACH_VCPU                0x3C
#define HYP_CALL_VCPU_SET_AFFINITY                    0x3D
#define HYP_CALL_CSPACE_ATTACH_THREAD                 0x3E
#define HYP_CALL_TRACE_UPDATE_CLASS_FLAGS             0x3F
#define HYP_CALL_WATCHDOG_ATTACH_VCPU                 0x40
#define HYP_CALL_WATCHDOG_BIND_VIRQ                   0x41
#define HYP_CALL_WATCHDOG_UNBIND_VIRQ                 0x42
#define HYP_CALL_VPM_GROUP_BIND_VIRQ                  0x43
#define HYP_CALL_VPM_GROUP_UNBIND_VIRQ                0x44
#define HYP_CALL_VPM_GROUP_GET_STATE                  0x45
#define HYP_CALL_VCPU_SET_PRIORITY                    0x46
#define HYP_CALL_VCPU_SET_TIMESLICE                   0x47
#define HYP_CALL_PARTITION_CREATE_VIRTIO_MMIO         0x48
#define HYP_CALL_VIRTIO_MMIO_CONFIGURE                0x49
#define HYP_CALL_VIRTIO_MMIO_BACKEND_BIND_VIRQ        0x4A
#define HYP_CALL_VIRTIO_MMIO_BACKEND_UNBIND_VIRQ      0x4B
#define HYP_CALL_VIRTIO_MMIO_FRONTEND_BIND_VIRQ       0x4C
#define HYP_CALL_VIRTIO_MMIO_FRONTEND_UNBIND_VIRQ     0x4D
#define HYP_CALL_VIRTIO_MMIO_BACKEND_ASSERT_VIRQ      0x4E
#define HYP_CALL_VIRTIO_MMIO_BACKEND_SET_DEV_FEATURES 0x4F
#define HYP_CALL_VIRTIO_MMIO_BACKEND_SET_QUEUE_NUM_MAX 0x50
#define HYP_CALL_VIRTIO_MMIO_BACKEND_GET_DRV_FEATURES 0x51
#define HYP_CALL_VIRTIO_MMIO_BACKEND_GET_QUEUE_INFO   0x52
#define HYP_CALL_VIRTIO_MMIO_BACKEND_GET_NOTIFICATION 0x53
#define HYP_CALL_VIRTIO_MMIO_BACKEND_ACKNOWLEDGE_RESET 0x54
#define HYP_CALL_VIRTIO_MMIO_BACKEND_UPDATE_STATUS    0x55
#define HYP_CALL_VIC_BIND_MSI_SOURCE                  0x56
#define HYP_CALL_PRNG_GET_ENTROPY                     0x57
#define HYP_CALL_WATCHDOG_CONFIGURE                   0x58
#define HYP_CALL_CSPACE_REVOKE_CAPS_FROM              0x59
#define HYP_CALL_ADDRSPACE_LOOKUP                     0x5A
#define HYP_CALL_ADDRSPACE_CONFIGURE_INFO_AREA        0x5B
#define HYP_CALL_VCPU_BIND_VIRQ                       0x5C
#define HYP_CALL_VCPU_UNBIND_VIRQ                     0x5D
#define HYP_CALL_VIRTIO_INPUT_CONFIGURE               0x5E
#define HYP_CALL_VIRTIO_INPUT_SET_DATA                0x5F
#define HYP_CALL_ADDRSPACE_CONFIGURE_VMMIO            0x60
#define HYP_CALL_MEMEXTENT_DONATE                     0x61
#define HYP_CALL_ADDRSPACE_ATTACH_VDEVICE             0x62
#define HYP_CALL_WATCHDOG_MANAGE                      0x63
#define HYP_CALL_VCPU_REGISTER_WRITE                  0x64
#define HYP_CALL_VCPU_RUN                             0x65
#define HYP_CALL_VPM_GROUP_CONFIGURE                  0x66
#define HYP_CALL_VGIC_SET_MPIDR_MAPPING               0x67
#define HYP_CALL_VCPU_RUN_CHECK                       0x68

/* X(NAME) per call above, for the host cross-check against the spec. */
#define HYP_CALL_NAMES(X)                                                                          \
	X(HYPERVISOR_IDENTIFY) X(PARTITION_CREATE_PARTITION) X(PARTITION_CREATE_CSPACE)            \
	X(PARTITION_CREATE_ADDRSPACE) X(PARTITION_CREATE_MEMEXTENT) X(PARTITION_CREATE_THREAD)     \
	X(PARTITION_CREATE_DOORBELL) X(PARTITION_CREATE_MSGQUEUE) X(PARTITION_CREATE_WATCHDOG)     \
	X(PARTITION_CREATE_VIC) X(PARTITION_CREATE_VPM_GROUP) X(OBJECT_ACTIVATE)                   \
	X(OBJECT_ACTIVATE_FROM) X(OBJECT_RESET) X(OBJECT_RESET_FROM) X(DOORBELL_BIND_VIRQ)         \
	X(DOORBELL_UNBIND_VIRQ) X(DOORBELL_SEND) X(DOORBELL_RECEIVE) X(DOORBELL_RESET)             \
	X(DOORBELL_MASK) X(MSGQUEUE_BIND_SEND_VIRQ) X(MSGQUEUE_BIND_RECEIVE_VIRQ)                  \
	X(MSGQUEUE_UNBIND_SEND_VIRQ) X(MSGQUEUE_UNBIND_RECEIVE_VIRQ) X(MSGQUEUE_SEND)              \
	X(MSGQUEUE_RECEIVE) X(MSGQUEUE_FLUSH) X(MSGQUEUE_CONFIGURE_SEND)                           \
	X(MSGQUEUE_CONFIGURE_RECEIVE) X(MSGQUEUE_CONFIGURE) X(CSPACE_DELETE_CAP_FROM)              \
	X(CSPACE_COPY_CAP_FROM) X(CSPACE_REVOKE_CAP_FROM) X(CSPACE_CONFIGURE) X(HWIRQ_BIND_VIRQ)   \
	X(HWIRQ_UNBIND_VIRQ) X(VIC_CONFIGURE) X(VIC_ATTACH_VCPU) X(ADDRSPACE_ATTACH_THREAD)        \
	X(ADDRSPACE_MAP) X(ADDRSPACE_UNMAP) X(ADDRSPACE_UPDATE_ACCESS) X(ADDRSPACE_CONFIGURE)      \
	X(ADDRSPACE_ATTACH_VDMA) X(MEMEXTENT_MODIFY) X(MEMEXTENT_CONFIGURE)                        \
	X(MEMEXTENT_CONFIGURE_DERIVE) X(VCPU_CONFIGURE) X(VCPU_POWERON) X(VCPU_POWEROFF)           \
	X(VCPU_KILL) X(SCHEDULER_YIELD) X(VPM_GROUP_ATTACH_VCPU) X(VCPU_SET_AFFINITY)              \
	X(CSPACE_ATTACH_THREAD) X(TRACE_UPDATE_CLASS_FLAGS) X(WATCHDOG_ATTACH_VCPU)                \
	X(WATCHDOG_BIND_VIRQ) X(WATCHDOG_UNBIND_VIRQ) X(VPM_GROUP_BIND_VIRQ)                       \
	X(VPM_GROUP_UNBIND_VIRQ) X(VPM_GROUP_GET_STATE) X(VCPU_SET_PRIORITY) X(VCPU_SET_TIMESLICE) \
	X(PARTITION_CREATE_VIRTIO_MMIO) X(VIRTIO_MMIO_CONFIGURE) X(VIRTIO_MMIO_BACKEND_BIND_VIRQ)  \
	X(VIRTIO_MMIO_BACKEND_UNBIND_VIRQ) X(VIRTIO_MMIO_FRONTEND_BIND_VIRQ)                       \
	X(VIRTIO_MMIO_FRONTEND_UNBIND_VIRQ) X(VIRTIO_MMIO_BACKEND_ASSERT_VIRQ)                     \
	X(VIRTIO_MMIO_BACKEND_SET_DEV_FEATURES) X(VIRTIO_MMIO_BACKEND_SET_QUEUE_NUM_MAX)           \
	X(VIRTIO_MMIO_BACKEND_GET_DRV_FEATURES) X(VIRTIO_MMIO_BACKEND_GET_QUEUE_INFO)              \
	X(VIRTIO_MMIO_BACKEND_GET_NOTIFICATION) X(VIRTIO_MMIO_BACKEND_ACKNOWLEDGE_RESET)           \
	X(VIRTIO_MMIO_BACKEND_UPDATE_STATUS) X(VIC_BIND_MSI_SOURCE) X(PRNG_GET_ENTROPY)            \
	X(WATCHDOG_CONFIGURE) X(CSPACE_REVOKE_CAPS_FROM) X(ADDRSPACE_LOOKUP)                       \
	X(ADDRSPACE_CONFIGURE_INFO_AREA) X(VCPU_BIND_VIRQ) X(VCPU_UNBIND_VIRQ)                     \
	X(VIRTIO_INPUT_CONFIGURE) X(VIRTIO_INPUT_SET_DATA) X(ADDRSPACE_CONFIGURE_VMMIO)            \
	X(MEMEXTENT_DONATE) X(ADDRSPACE_ATTACH_VDEVICE) X(WATCHDOG_MANAGE) X(VCPU_REGISTER_WRITE)  \
	X(VCPU_RUN) X(VPM_GROUP_CONFIGURE) X(VGIC_SET_MPIDR_MAPPING) X(VCPU_RUN_CHECK)

/* hypervisor_identify: api_info = version 1, 64-bit, little-endian, variant QUALCOMM (0x51). */
#define HYP_API_VERSION    1
#define HYP_API_INFO_64BIT (1 << 15)
#define HYP_API_VARIANT    0x51
#define HYP_API_INFO       0x5100000000008001
#define HYP_API_INFO_LO16  0x8001 /* the halves the fast path builds with movz/movk */
#define HYP_API_INFO_HI16  0x5100
/* api_flags_0: one bit per built-in module. Bits 31:28 scheduler (0 trivial). */
#define HYP_API_FLAG0_PARTITION_CSPACE (1 << 0) /* hyp/core object and cspace calls */
#define HYP_API_FLAG0_DOORBELL         (1 << 1)
#define HYP_API_FLAG0_MSGQUEUE         (1 << 2)
#define HYP_API_FLAG0_VIC              (1 << 3) /* VIC objects, VIRQ binding, hwirq */
#define HYP_API_FLAG0_VCPU             (1 << 5) /* vCPU calls and scheduler_yield */
#define HYP_API_FLAG0_MEMEXTENT        (1 << 6) /* memory extents and address spaces */
#define HYP_API_FLAG0_VCPU_RUN         (1 << 11) /* proxy scheduling: vcpu_run, vcpu_run_check */
#define HYP_API_FLAG0_SCHED_FPRR       (1 << 28) /* scheduler: fixed priority, round robin */
#define HYP_API_FLAGS0                 (HYP_API_FLAG0_PARTITION_CSPACE | HYP_API_FLAG0_DOORBELL | HYP_API_FLAG0_MSGQUEUE |   \
	 HYP_API_FLAG0_VIC | HYP_API_FLAG0_VCPU | HYP_API_FLAG0_MEMEXTENT | HYP_API_FLAG0_VCPU_RUN | HYP_API_FLAG0_SCHED_FPRR)
#define HYP_API_FLAGS1 0
#define HYP_API_FLAGS2 0

/* Error codes (reference §3). */
#define HYP_OK                     0
#define HYP_ERROR_UNIMPLEMENTED    (-1)
#define HYP_ERROR_ARGUMENT_INVALID 1

/* SMCCC function identifiers. */
#define SMCCC_FAST_CALL          0x80000000u
#define SMCCC_SMC64              0x40000000u
#define SMCCC_OWNER_SHIFT        24
#define SMCCC_OWNER_MASK         0x3Fu
#define SMCCC_RES0_MASK          0x00FE0000u /* bits 23:17 must be zero */
#define SMCCC_FUNC_MASK          0xFFFFu
#define SMCCC_OWNER_ARCH         0
#define SMCCC_OWNER_STANDARD     4
#define SMCCC_OWNER_VENDOR_HYP   6
#define SMCCC_UNKNOWN_FUNCTION64 (-1)
#define SMCCC_UNKNOWN_FUNCTION32 0xFFFFFFFFu

#define SMCCC_VERSION_FN       0x80000000u
#define SMCCC_ARCH_FEATURES_FN 0x80000001u
#define SMCCC_VERSION_1_3      0x10003u

/* Firmware mitigations (SMCCC 1.1+): CVE-2017-5715, CVE-2018-3639, CVE-2022-23960. */
#define SMCCC_ARCH_WORKAROUND_1_FN 0x80008000u
#define SMCCC_ARCH_WORKAROUND_2_FN 0x80007FFFu
#define SMCCC_ARCH_WORKAROUND_3_FN 0x80003FFFu
#define SMCCC_VERSION_1_1          0x10001u

/* Vendor-hyp function field: bits 15:14 call class, 13:0 number (reference §1b). */
#define SMCCC_VH_CLASS_SHIFT        14
#define SMCCC_VH_CLASS_PLATFORM     0
#define SMCCC_VH_CLASS_HYPERCALL    2
#define SMCCC_VH_CLASS_SERVICE      3
#define SMCCC_VH_NUM_MASK           0x3FFFu
#define SMCCC_VH_SERVICE_CALL_COUNT 0x3F00u
#define SMCCC_VH_SERVICE_CALL_UID   0x3F01u
#define SMCCC_VH_SERVICE_REVISION   0x3F03u
#define SMCCC_HYPERCALL_BASE        0xC6008000u /* fast | SMC64 | vendor hyp | class hypercall */

/* Gunyah's vendor-hyp UID c1d58fcd-a453-5fdb-9265-ce36673d5f14, as SMCCC returns it. */
#define GUNYAH_UID0 0xcd8fd5c1u
#define GUNYAH_UID1 0xdb5f53a4u
#define GUNYAH_UID2 0x36ce6592u
#define GUNYAH_UID3 0x145f3d67u

/* PSCI (function IDs are SMC32 fast calls of the standard-secure owner). */
#define PSCI_VERSION_FN    0x84000000u
#define PSCI_SYSTEM_OFF_FN 0x84000008u
#define PSCI_FEATURES_FN   0x8400000Au
#define PSCI_VERSION_1_1   0x10001u
#define PSCI_SUCCESS       0
#define PSCI_NOT_SUPPORTED (-1)

#endif

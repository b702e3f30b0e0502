/* hyp/rm/rm_abi.h: the RM's own copy of the RM RPC numbers (gunyah-abi.md §6): message IDs, RM
 * error codes, VMIDs, resource types and VM status values. The conformance guest takes its copy
 * from conformance/spec; the two are written independently on purpose. Freestanding C. */
#ifndef RM_ABI_H
#define RM_ABI_H

/* RM error codes: the first 32-bit little-endian word of every reply. */
#define RM_OK                     0x0U
#define RM_ERROR_NOMEM            0x1U
#define RM_ERROR_NORESOURCE       0x2U
#define RM_ERROR_DENIED           0x3U
#define RM_ERROR_MSG_INVALID      0x4U
#define RM_ERROR_BUSY             0x5U
#define RM_ERROR_ARGUMENT_INVALID 0x6U
#define RM_ERROR_HANDLE_INVALID   0x7U
#define RM_ERROR_VALIDATE_FAILED  0x8U
#define RM_ERROR_MAP_FAILED       0x9U
#define RM_ERROR_MEM_INVALID      0xAU
#define RM_ERROR_MEM_INUSE        0xBU
#define RM_ERROR_MEM_RELEASED     0xCU
#define RM_ERROR_VMID_INVALID     0xDU
#define RM_ERROR_LOOKUP_FAILED    0xEU
#define RM_ERROR_IRQ_INVALID      0xFU
#define RM_ERROR_IRQ_INUSE        0x10U
#define RM_ERROR_IRQ_RELEASED     0x11U
#define RM_ERROR_IN_USE           0x12U
#define RM_ERROR_IRQ_NOT_MAPPED   0x13U
#define RM_ERROR_VM_STATE         0x14U
#define RM_ERROR_UNIMPLEMENTED    0xFFFFFFFFU

/* VMIDs the RM gives fixed meanings. */
#define RM_VMID_HYP          0x0U
#define RM_VMID_PRIMARY      0x3U
#define RM_VMID_DYNAMIC_BASE 0x80U
#define RM_VMID_DYNAMIC_LAST 0xBFU
#define RM_VMID_RM           0xFFU

/* Memory parcels. */
#define RM_MEM_DONATE  0x51000010U
#define RM_MEM_ACCEPT  0x51000011U
#define RM_MEM_LEND    0x51000012U
#define RM_MEM_SHARE   0x51000013U
#define RM_MEM_RELEASE 0x51000014U
#define RM_MEM_RECLAIM 0x51000015U
#define RM_MEM_NOTIFY  0x51000017U
#define RM_MEM_APPEND  0x51000018U
/* Memory notifications. */
#define RM_NOTIFY_MEM_SHARED   0x51100011U
#define RM_NOTIFY_MEM_RELEASED 0x51100012U
#define RM_NOTIFY_MEM_ACCEPTED 0x51100013U
#define RM_NOTIFY_MEM_RECALL   0x51100014U

/* VM management. */
#define RM_VM_ALLOCATE          0x56000001U
#define RM_VM_DEALLOCATE        0x56000002U
#define RM_VM_START             0x56000004U
#define RM_VM_STOP              0x56000005U
#define RM_VM_RESET             0x56000006U
#define RM_VM_CONFIG_IMAGE      0x56000009U
#define RM_VM_INIT              0x5600000BU
#define RM_VM_GET_STATE         0x56000017U
#define RM_VM_GET_HYP_RESOURCES 0x56000020U
#define RM_VM_GET_VMID          0x56000024U
#define RM_VM_SET_STATUS        0x56000080U
#define RM_VM_EXIT              0x56000085U
/* VM notifications. */
#define RM_NOTIFY_VM_EXITED   0x56100001U
#define RM_NOTIFY_VM_SHUTDOWN 0x56100002U
#define RM_NOTIFY_VM_STATUS   0x56100008U

/* IRQ lending. */
#define RM_VM_IRQ_ACCEPT  0x56000050U
#define RM_VM_IRQ_LEND    0x56000051U
#define RM_VM_IRQ_RELEASE 0x56000052U
#define RM_VM_IRQ_RECLAIM 0x56000053U
#define RM_VM_IRQ_NOTIFY  0x56000054U
/* IRQ notifications. */
#define RM_NOTIFY_IRQ_LENT     0x56100011U
#define RM_NOTIFY_IRQ_RELEASED 0x56100012U
#define RM_NOTIFY_IRQ_ACCEPTED 0x56100013U

/* Console. */
#define RM_VM_CONSOLE_OPEN         0x56000081U
#define RM_VM_CONSOLE_CLOSE        0x56000082U
#define RM_VM_CONSOLE_WRITE        0x56000083U
#define RM_VM_CONSOLE_FLUSH        0x56000084U
#define RM_NOTIFY_VM_CONSOLE_CHARS 0x56100080U

/* VM_GET_HYP_RESOURCES entry types. */
#define RM_RES_DOORBELL_TX 0U
#define RM_RES_DOORBELL_RX 1U
#define RM_RES_MSGQ_TX     2U
#define RM_RES_MSGQ_RX     3U
#define RM_RES_VCPU        4U
#define RM_RES_VPM         5U
#define RM_RES_VIRTIO_MMIO 6U
#define RM_RES_VRTC        7U
#define RM_RES_WATCHDOG    8U

/* vm_status of VM_STATUS and VM_GET_STATE. */
#define RM_VM_STATUS_NONE        0U
#define RM_VM_STATUS_INIT        1U
#define RM_VM_STATUS_READY       2U
#define RM_VM_STATUS_RUNNING     3U
#define RM_VM_STATUS_PAUSED      4U
#define RM_VM_STATUS_LOAD        5U
#define RM_VM_STATUS_AUTH        6U
#define RM_VM_STATUS_INIT_FAILED 8U
#define RM_VM_STATUS_EXITED      9U
#define RM_VM_STATUS_RESETTING   10U
#define RM_VM_STATUS_RESET       11U

/* os_status. */
#define RM_OS_STATUS_NONE       0U
#define RM_OS_STATUS_EARLY_BOOT 1U
#define RM_OS_STATUS_BOOT       2U
#define RM_OS_STATUS_INIT       3U
#define RM_OS_STATUS_RUN        4U
#define RM_OS_STATUS_SHUTDOWN   5U
#define RM_OS_STATUS_HALTED     6U
#define RM_OS_STATUS_CRASHED    7U

/* VM_EXITED exit_type. */
#define RM_EXIT_TYPE_VM_EXIT        0U
#define RM_EXIT_TYPE_PLATFORM_OFF   1U
#define RM_EXIT_TYPE_PLATFORM_RESET 2U
#define RM_EXIT_TYPE_PSCI_RESET2    3U
#define RM_EXIT_TYPE_WATCHDOG_BITE  4U
#define RM_EXIT_TYPE_SOFTWARE_ERROR 5U
#define RM_EXIT_TYPE_ASYNC_HW_ERROR 6U
#define RM_EXIT_TYPE_VM_STOP_FORCED 7U

/* VM_EXIT exit codes (the request's third byte; upstream RM accepts these four). */
#define RM_EXIT_CODE_NORMAL         0U
#define RM_EXIT_CODE_SOFTWARE_ERROR 1U
#define RM_EXIT_CODE_BUS_ERROR      2U
#define RM_EXIT_CODE_DEVICE_ERROR   3U

#endif

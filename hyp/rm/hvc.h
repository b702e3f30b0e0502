/* hvc: the RM's own view of the hypervisor's ABI (gunyah-abi.md §1b, §2): call numbers, the
 * attribute encodings it uses, and the one SMCCC-path wrapper every call goes through. Written
 * from the reference, not shared with hyp/: the RM is a guest like any other. */
#ifndef RM_HVC_H
#define RM_HVC_H

#include <stddef.h>
#include <stdint.h>

/* Hypercall numbers (call_num: SMCCC function ID 0xC6008000 + n). */
#define HVC_IDENTIFY                   0x00U
#define HVC_PARTITION_CREATE_CSPACE    0x02U
#define HVC_PARTITION_CREATE_ADDRSPACE 0x03U
#define HVC_PARTITION_CREATE_MEMEXTENT 0x04U
#define HVC_PARTITION_CREATE_THREAD    0x05U
#define HVC_PARTITION_CREATE_MSGQUEUE  0x07U
#define HVC_PARTITION_CREATE_VIC       0x0AU
#define HVC_OBJECT_ACTIVATE            0x0CU
#define HVC_MSGQUEUE_BIND_SEND_VIRQ    0x17U
#define HVC_MSGQUEUE_BIND_RECEIVE_VIRQ 0x18U
#define HVC_MSGQUEUE_SEND              0x1BU
#define HVC_MSGQUEUE_RECEIVE           0x1CU
#define HVC_MSGQUEUE_CONFIGURE         0x21U
#define HVC_CSPACE_DELETE_CAP_FROM     0x22U
#define HVC_CSPACE_COPY_CAP_FROM       0x23U
#define HVC_CSPACE_CONFIGURE           0x25U
#define HVC_HWIRQ_BIND_VIRQ            0x26U
#define HVC_HWIRQ_UNBIND_VIRQ          0x27U
#define HVC_VIC_CONFIGURE              0x28U
#define HVC_VIC_ATTACH_VCPU            0x29U
#define HVC_ADDRSPACE_ATTACH_THREAD    0x2AU
#define HVC_ADDRSPACE_MAP              0x2BU
#define HVC_ADDRSPACE_UNMAP            0x2CU
#define HVC_ADDRSPACE_CONFIGURE        0x2EU
#define HVC_MEMEXTENT_CONFIGURE        0x31U
#define HVC_MEMEXTENT_CONFIGURE_DERIVE 0x32U
#define HVC_VCPU_CONFIGURE             0x34U
#define HVC_VCPU_POWERON               0x38U
#define HVC_VCPU_KILL                  0x3AU
#define HVC_SCHEDULER_YIELD            0x3BU
#define HVC_CSPACE_ATTACH_THREAD       0x3EU
#define HVC_VCPU_SET_PRIORITY          0x46U

/* Error codes (§3) the RM names. */
#define HVC_OK                   0U
#define HVC_ERROR_ARGUMENT       1U
#define HVC_ERROR_BUSY           31U
#define HVC_ERROR_VIRQ_BOUND     40U
#define HVC_ERROR_MSGQUEUE_EMPTY 60U
#define HVC_ERROR_MSGQUEUE_FULL  61U

/* Rights (§7) of the caps the RM copies into a VM's cspace. */
#define HVC_RIGHT_MSGQUEUE_SEND    0x1U
#define HVC_RIGHT_MSGQUEUE_RECEIVE 0x2U

/* memextent_configure attrs: bits 2:0 access, 9:8 memtype, 17:16 type (basic 0). */
#define HVC_ACCESS_RW              6U
#define HVC_ACCESS_RWX             7U
#define HVC_MEMEXTENT_MEMTYPE_ANY  (0U << 8)
#define HVC_MEMEXTENT_MEMTYPE_DEV  (1U << 8)
#define HVC_MEMEXTENT_ATTRS(a, mt) ((uint64_t)(a) | (mt))

/* addrspace_map attrs: bits 2:0 user access, 6:4 kernel access, 23:16 Stage-2 memory type. */
#define HVC_S2_DEVICE_NGNRE  0x01U
#define HVC_S2_NORMAL_WB     0x0FU
#define HVC_MAP_ATTRS(a, mt) ((uint64_t)(a) | ((uint64_t)(a) << 4) | ((uint64_t)(mt) << 16))

/* msgqueue_configure create_info: bits 15:0 depth, 31:16 maximum message size. */
#define HVC_MSGQUEUE_INFO(depth, size) ((uint64_t)(depth) | ((uint64_t)(size) << 16))
/* msgqueue_send flags: bit 0 push (raise the receive VIRQ now). */
#define HVC_MSGQUEUE_PUSH 0x1U

/* vcpu_configure option flags: bit 63 marks the HLOS VM's vCPU. */
#define HVC_VCPU_OPTION_HLOS_VM (1ULL << 63)

struct hvc_ret {
	uint64_t x[8];
};

/* Hypercall @num with inputs a[0..n-1] (n <= 7; the rest are passed as zero, as res0 wants). */
struct hvc_ret hvc_call(uint32_t num, const uint64_t *a, unsigned n);

/* The common shapes. */
uint64_t hvc_err(uint32_t num, uint64_t a0, uint64_t a1, uint64_t a2);
/* Creates an object of @create_call from @partition with its cap in @cspace: the cap, or ~0 with
 * the error in *err. */
uint64_t hvc_create(uint32_t create_call, uint64_t partition, uint64_t cspace, uint64_t *err);
/* msgqueue_send of @msg on @queue (pushed), waiting in WFI for room at most @max_waits times: the
 * queue's send VIRQ @room_virq (level, asserted while it has room) is enabled only while waiting,
 * or every WFI would end at once. 0 when sent, -1 on an error or when the queue stayed full. */
int hvc_msgqueue_send_waiting(uint64_t queue, uint32_t room_virq, unsigned max_waits,
                              const void *msg, size_t len);

#endif

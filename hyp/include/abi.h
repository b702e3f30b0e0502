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

/* Hypercall numbers served so far. */
#define HYP_CALL_HYPERVISOR_IDENTIFY 0x00

/* hypervisor_identify: api_info = version 1, 64-bit, little-endian, variant QUALCOMM (0x51). */
#define HYP_API_VERSION    1
#define HYP_API_INFO_64BIT (1 << 15)
#define HYP_API_VARIANT    0x51
#define HYP_API_INFO       0x5100000000008001
#define HYP_API_INFO_LO16  0x8001 /* the halves the fast path builds with movz/movk */
#define HYP_API_INFO_HI16  0x5100
/* api_flags_0: one bit per built-in module; none are built yet. Bits 31:28 scheduler (0 trivial).
 */
#define HYP_API_FLAGS0 0
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

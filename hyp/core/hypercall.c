/* hypercall: decodes a trapped HVC/SMC into a native hypercall, an SMCCC/PSCI call, or -1. */
#include "abi.h"
#include "arch.h"
#include "hypercall.h"
#include "hypercall_handlers.h"
#include "log.h"
#include "vm.h"

/* The SMCCC path's identify (the native one is answered in the vector, vectors.S). */
HYPERCALL_HANDLER(hypervisor_identify)
{
	(void)ctx;
	(void)in;
	return (struct hypercall_result){
	    .x = {HYP_API_INFO, HYP_API_FLAGS0, HYP_API_FLAGS1, HYP_API_FLAGS2},
	    .count = 4,
	};
}

/* regs->x[from..8) = 0 (each row's native entry has its own constant from: a few stores). */
static inline __attribute__((always_inline)) void hypercall_zero_from(struct hypercall_regs *regs,
                                                                      unsigned from)
{
	switch (from) {
	case 0:
		regs->x[0] = 0;
		/* fall through */
	case 1:
		regs->x[1] = 0;
		/* fall through */
	case 2:
		regs->x[2] = 0;
		/* fall through */
	case 3:
		regs->x[3] = 0;
		/* fall through */
	case 4:
		regs->x[4] = 0;
		/* fall through */
	case 5:
		regs->x[5] = 0;
		/* fall through */
	case 6:
		regs->x[6] = 0;
		/* fall through */
	case 7:
		regs->x[7] = 0;
		/* fall through */
	default:
		break;
	}
}

/*
 * The native table, as a list: ROW(NAME, handler, inputs...) for each call, ROW0 for one without
 * inputs. Indexed by call number; a number without a row is a hole (UNIMPLEMENTED). Each row
 * lists its inputs in register order as the spec does: HC_CAP a cap in the caller's cspace, HC_VAL
 * a value, HC_RES0 / HC_RES1 reserved (hyp/test/test_abi_spec.c compares every row with the spec).
 * Expanded twice: once into each row's native entry (below), once into the table.
 */
#define HYPERCALL_TABLE(ROW, ROW0)                                                                 \
	ROW0(HYPERVISOR_IDENTIFY, hypervisor_identify)                                             \
	/* hypercall_object.c */                                                                   \
	ROW(PARTITION_CREATE_PARTITION, partition_create_partition, HC_CAP, HC_CAP, HC_RES0)       \
	ROW(PARTITION_CREATE_CSPACE, partition_create_cspace, HC_CAP, HC_CAP, HC_RES0)             \
	ROW(PARTITION_CREATE_THREAD, partition_create_thread, HC_CAP, HC_CAP, HC_RES0)             \
	ROW(OBJECT_ACTIVATE, object_activate, HC_CAP, HC_RES0)                                     \
	ROW(OBJECT_ACTIVATE_FROM, object_activate_from, HC_CAP, HC_VAL, HC_RES0)                   \
	/* Unimplemented as upstream, whatever the caps: nothing is looked up. */                  \
	ROW(OBJECT_RESET, object_reset, HC_VAL, HC_RES0)                                           \
	ROW(OBJECT_RESET_FROM, object_reset_from, HC_VAL, HC_VAL, HC_RES0)                         \
	/* hypercall_cspace.c (a cap named in another cspace is an HC_VAL: the core looks it up)   \
	 */                                                                                        \
	ROW(CSPACE_DELETE_CAP_FROM, cspace_delete_cap_from, HC_CAP, HC_VAL, HC_RES0)               \
	ROW(CSPACE_COPY_CAP_FROM, cspace_copy_cap_from, HC_CAP, HC_VAL, HC_CAP, HC_VAL, HC_RES0)   \
	ROW(CSPACE_REVOKE_CAP_FROM, cspace_revoke_cap_from, HC_CAP, HC_VAL, HC_RES0)               \
	ROW(CSPACE_CONFIGURE, cspace_configure, HC_CAP, HC_VAL, HC_RES0)                           \
	ROW(CSPACE_ATTACH_THREAD, cspace_attach_thread, HC_CAP, HC_CAP, HC_RES0)                   \
	ROW(CSPACE_REVOKE_CAPS_FROM, cspace_revoke_caps_from, HC_CAP, HC_VAL, HC_RES0)             \
	/* hypercall_vic.c */                                                                      \
	ROW(PARTITION_CREATE_VIC, partition_create_vic, HC_CAP, HC_CAP, HC_RES0)                   \
	ROW(VIC_CONFIGURE, vic_configure, HC_CAP, HC_VAL, HC_VAL, HC_VAL, HC_VAL)                  \
	ROW(VIC_ATTACH_VCPU, vic_attach_vcpu, HC_CAP, HC_CAP, HC_VAL, HC_RES0)                     \
	ROW(HWIRQ_BIND_VIRQ, hwirq_bind_virq, HC_CAP, HC_CAP, HC_VAL, HC_RES0)                     \
	ROW(HWIRQ_UNBIND_VIRQ, hwirq_unbind_virq, HC_CAP, HC_RES0)                                 \
	ROW(VIC_BIND_MSI_SOURCE, vic_bind_msi_source, HC_CAP, HC_CAP, HC_RES0)                     \
	ROW(VGIC_SET_MPIDR_MAPPING, vgic_set_mpidr_mapping, HC_CAP, HC_VAL, HC_VAL, HC_VAL,        \
	    HC_VAL, HC_VAL, HC_VAL)                                                                \
	/* hypercall_doorbell.c */                                                                 \
	ROW(PARTITION_CREATE_DOORBELL, partition_create_doorbell, HC_CAP, HC_CAP, HC_RES0)         \
	ROW(DOORBELL_BIND_VIRQ, doorbell_bind_virq, HC_CAP, HC_CAP, HC_VAL, HC_RES0)               \
	ROW(DOORBELL_UNBIND_VIRQ, doorbell_unbind_virq, HC_CAP, HC_RES0)                           \
	ROW(DOORBELL_SEND, doorbell_send, HC_CAP, HC_VAL, HC_RES0)                                 \
	ROW(DOORBELL_RECEIVE, doorbell_receive, HC_CAP, HC_VAL, HC_RES0)                           \
	ROW(DOORBELL_RESET, doorbell_reset, HC_CAP, HC_RES0)                                       \
	ROW(DOORBELL_MASK, doorbell_mask, HC_CAP, HC_VAL, HC_VAL, HC_RES0)                         \
	/* hypercall_msgqueue.c */                                                                 \
	ROW(PARTITION_CREATE_MSGQUEUE, partition_create_msgqueue, HC_CAP, HC_CAP, HC_RES0)         \
	ROW(MSGQUEUE_CONFIGURE, msgqueue_configure, HC_CAP, HC_VAL, HC_RES0)                       \
	ROW(MSGQUEUE_BIND_SEND_VIRQ, msgqueue_bind_send_virq, HC_CAP, HC_CAP, HC_VAL, HC_RES0)     \
	ROW(MSGQUEUE_BIND_RECEIVE_VIRQ, msgqueue_bind_receive_virq, HC_CAP, HC_CAP, HC_VAL,        \
	    HC_RES0)                                                                               \
	ROW(MSGQUEUE_UNBIND_SEND_VIRQ, msgqueue_unbind_send_virq, HC_CAP, HC_RES0)                 \
	ROW(MSGQUEUE_UNBIND_RECEIVE_VIRQ, msgqueue_unbind_receive_virq, HC_CAP, HC_RES0)           \
	ROW(MSGQUEUE_SEND, msgqueue_send, HC_CAP, HC_VAL, HC_VAL, HC_VAL, HC_RES0)                 \
	ROW(MSGQUEUE_RECEIVE, msgqueue_receive, HC_CAP, HC_VAL, HC_VAL, HC_RES0)                   \
	ROW(MSGQUEUE_FLUSH, msgqueue_flush, HC_CAP, HC_RES0)                                       \
	ROW(MSGQUEUE_CONFIGURE_SEND, msgqueue_configure_send, HC_CAP, HC_VAL, HC_VAL, HC_RES1)     \
	ROW(MSGQUEUE_CONFIGURE_RECEIVE, msgqueue_configure_receive, HC_CAP, HC_VAL, HC_VAL,        \
	    HC_RES1)                                                                               \
	/* hypercall_memextent.c (donate's caps are partitions or extents: the core looks them up) \
	 */                                                                                        \
	ROW(PARTITION_CREATE_MEMEXTENT, partition_create_memextent, HC_CAP, HC_CAP, HC_RES0)       \
	ROW(MEMEXTENT_CONFIGURE, memextent_configure, HC_CAP, HC_VAL, HC_VAL, HC_VAL, HC_RES0)     \
	ROW(MEMEXTENT_CONFIGURE_DERIVE, memextent_configure_derive, HC_CAP, HC_CAP, HC_VAL,        \
	    HC_VAL, HC_VAL, HC_RES0)                                                               \
	ROW(MEMEXTENT_MODIFY, memextent_modify, HC_CAP, HC_VAL, HC_VAL, HC_VAL)                    \
	ROW(MEMEXTENT_DONATE, memextent_donate, HC_VAL, HC_VAL, HC_VAL, HC_VAL, HC_VAL, HC_RES0)   \
	/* hypercall_addrspace.c */                                                                \
	ROW(PARTITION_CREATE_ADDRSPACE, partition_create_addrspace, HC_CAP, HC_CAP, HC_RES0)       \
	ROW(ADDRSPACE_CONFIGURE, addrspace_configure, HC_CAP, HC_VAL, HC_RES0)                     \
	ROW(ADDRSPACE_ATTACH_THREAD, addrspace_attach_thread, HC_CAP, HC_CAP, HC_RES0)             \
	ROW(ADDRSPACE_MAP, addrspace_map, HC_CAP, HC_CAP, HC_VAL, HC_VAL, HC_VAL, HC_VAL, HC_VAL)  \
	ROW(ADDRSPACE_UNMAP, addrspace_unmap, HC_CAP, HC_CAP, HC_VAL, HC_VAL, HC_VAL, HC_VAL)      \
	ROW(ADDRSPACE_UPDATE_ACCESS, addrspace_update_access, HC_CAP, HC_CAP, HC_VAL, HC_VAL,      \
	    HC_VAL, HC_VAL, HC_VAL)                                                                \
	ROW(ADDRSPACE_LOOKUP, addrspace_lookup, HC_CAP, HC_CAP, HC_VAL, HC_VAL, HC_RES0)           \
	ROW(ADDRSPACE_ATTACH_VDMA, addrspace_attach_vdma, HC_CAP, HC_VAL, HC_VAL, HC_RES0)         \
	ROW(ADDRSPACE_CONFIGURE_INFO_AREA, addrspace_configure_info_area, HC_CAP, HC_VAL, HC_VAL,  \
	    HC_RES0)                                                                               \
	ROW(ADDRSPACE_CONFIGURE_VMMIO, addrspace_configure_vmmio, HC_CAP, HC_VAL, HC_VAL, HC_VAL,  \
	    HC_RES0)                                                                               \
	ROW(ADDRSPACE_ATTACH_VDEVICE, addrspace_attach_vdevice, HC_CAP, HC_VAL, HC_VAL, HC_VAL,    \
	    HC_VAL, HC_VAL)                                                                        \
	/* hypercall_vcpu.c (scheduler_yield's arg1 is a thread cap only for one hint) */          \
	ROW(VCPU_CONFIGURE, vcpu_configure, HC_CAP, HC_VAL, HC_RES0)                               \
	ROW(VCPU_POWERON, vcpu_poweron, HC_CAP, HC_VAL, HC_VAL, HC_VAL)                            \
	ROW(VCPU_POWEROFF, vcpu_poweroff, HC_CAP, HC_VAL)                                          \
	ROW(VCPU_KILL, vcpu_kill, HC_CAP, HC_RES0)                                                 \
	ROW(SCHEDULER_YIELD, scheduler_yield, HC_VAL, HC_VAL, HC_RES0)                             \
	ROW(VCPU_SET_AFFINITY, vcpu_set_affinity, HC_CAP, HC_VAL, HC_RES1)                         \
	ROW(VCPU_SET_PRIORITY, vcpu_set_priority, HC_CAP, HC_VAL)                                  \
	ROW(VCPU_SET_TIMESLICE, vcpu_set_timeslice, HC_CAP, HC_VAL)                                \
	ROW(VCPU_BIND_VIRQ, vcpu_bind_virq, HC_CAP, HC_CAP, HC_VAL, HC_VAL, HC_RES0)               \
	ROW(VCPU_UNBIND_VIRQ, vcpu_unbind_virq, HC_CAP, HC_VAL, HC_RES0)                           \
	ROW(VCPU_REGISTER_WRITE, vcpu_register_write, HC_CAP, HC_VAL, HC_VAL, HC_VAL, HC_RES0)     \
	ROW(VCPU_RUN, vcpu_run, HC_CAP, HC_VAL, HC_VAL, HC_VAL, HC_RES0)                           \
	ROW(VCPU_RUN_CHECK, vcpu_run_check, HC_CAP, HC_RES0)                                       \
	/* end of the table */

/*
 * The native path of one row, in place: its reserved inputs checked (res0 must be 0, res1 all
 * ones), a caller without a cspace refused when the row names a cap (it can name none: every cap
 * it passes fails to decode), the inputs past the row's count zeroed right in the caller's
 * registers (the handler sees only its own), then the handler, which stores all eight result
 * words there (x[count..8) are zero in every result, hypercall.h). Instantiated once a row with
 * the row's constants (HYPERCALL_NATIVE_ENTRY): every test folds to the few instructions that
 * row needs, and the handler is a tail call with its arguments already in place (the entry takes
 * the handler's own (io, cspace, vcpu)). What is common stays written once, here; the row only
 * says which inputs are which.
 */
static inline __attribute__((always_inline)) void
hypercall_native_row(struct hypercall_regs *regs, struct cspace *cspace, struct vcpu *vcpu,
                     hypercall_handler_t handler, unsigned inputs, unsigned res0_mask,
                     unsigned res1_mask, unsigned cap_mask)
{
	bool is_reserved_ok = true;

#pragma GCC unroll 8
	for (unsigned i = 0; i < 8; i++) {
		if ((res0_mask & (1U << i)) != 0 && regs->x[i] != 0)
			is_reserved_ok = false;
		if ((res1_mask & (1U << i)) != 0 && regs->x[i] != UINT64_MAX)
			is_reserved_ok = false;
	}
	if (!is_reserved_ok || (cap_mask != 0 && cspace == NULL)) {
		(void)hypercall_regs_put(regs, hypercall_error(ERROR_ARGUMENT_INVALID));
		return;
	}
	hypercall_zero_from(regs, inputs);
	(void)handler(regs, cspace, vcpu);
}

#define HYPERCALL_NATIVE_ENTRY(NAME, fn, ...)                                                      \
	static void hypercall_native_##fn(struct hypercall_regs *regs, struct cspace *cspace,      \
	                                  struct vcpu *vcpu)                                       \
	{                                                                                          \
		hypercall_native_row(regs, cspace, vcpu, hypercall_##fn, HC_COUNT(__VA_ARGS__),    \
		                     HC_MASK(HC_RES0, __VA_ARGS__), HC_MASK(HC_RES1, __VA_ARGS__), \
		                     HC_MASK(HC_CAP, __VA_ARGS__));                                \
	}
#define HYPERCALL_NATIVE_ENTRY0(NAME, fn)                                                          \
	static void hypercall_native_##fn(struct hypercall_regs *regs, struct cspace *cspace,      \
	                                  struct vcpu *vcpu)                                       \
	{                                                                                          \
		hypercall_native_row(regs, cspace, vcpu, hypercall_##fn, 0, 0, 0, 0);              \
	}
HYPERCALL_TABLE(HYPERCALL_NATIVE_ENTRY, HYPERCALL_NATIVE_ENTRY0)

/* The native entry of a number without a row. */
static void hypercall_native_unimplemented(struct hypercall_regs *regs, struct cspace *cspace,
                                           struct vcpu *vcpu)
{
	(void)cspace;
	(void)vcpu;
	(void)hypercall_regs_put(regs, hypercall_error(ERROR_UNIMPLEMENTED));
}

#define HYPERCALL_TABLE_ROW(NAME, fn, ...) HYPERCALL_ROW(NAME, fn, __VA_ARGS__),
#define HYPERCALL_TABLE_ROW0(NAME, fn)     HYPERCALL_ROW0(NAME, fn),
static const struct hypercall_desc hypercall_table[HYP_CALL_COUNT] = {
    HYPERCALL_TABLE(HYPERCALL_TABLE_ROW, HYPERCALL_TABLE_ROW0)};

/*
 * The rows' native entries alone, indexed by number, a hole's UNIMPLEMENTED: vectors.S loads one
 * pointer and calls it, with no test of the number's row (every slot holds an entry). The holes
 * are filled by the range first, then the rows override their slots (the warning for that is
 * what this initializer is written to do).
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
#define HYPERCALL_ENTRY_SLOT(NAME, fn, ...) [HYP_CALL_##NAME] = hypercall_native_##fn,
#define HYPERCALL_ENTRY_SLOT0(NAME, fn)     [HYP_CALL_##NAME] = hypercall_native_##fn,
const hypercall_native_fn hypercall_native_entries[HYP_CALL_COUNT] = {
    [0 ... HYP_CALL_COUNT - 1] = hypercall_native_unimplemented,
    HYPERCALL_TABLE(HYPERCALL_ENTRY_SLOT, HYPERCALL_ENTRY_SLOT0)};
#pragma GCC diagnostic pop

unsigned hypercall_table_size(void)
{
	return ARRAY_SIZE(hypercall_table);
}

const struct hypercall_desc *hypercall_desc_of(unsigned num)
{
	return num < ARRAY_SIZE(hypercall_table) ? &hypercall_table[num] : NULL;
}

/*
 * What every call shares, done once from the row: the caller's context, and a caller without a
 * cspace names no caps (every cap it passes fails to decode). io: the inputs in, the results out;
 * returns the result's count.
 */
static inline __attribute__((always_inline)) unsigned
hypercall_invoke(struct vcpu *vcpu, const struct hypercall_desc *desc, struct hypercall_regs *io)
{
	struct core_ctx ctx = {.cspace = vcpu->cspace, .vcpu = vcpu};

	if (desc->cap_mask != 0 && ctx.cspace == NULL)
		return hypercall_regs_put(io, hypercall_error(ERROR_ARGUMENT_INVALID));
	return desc->handler(io, ctx.cspace, ctx.vcpu);
}

static struct hypercall_result hypercall_x0(uint64_t x0)
{
	return (struct hypercall_result){.x = {x0}, .count = 1};
}

/*
 * The SMCCC path's result into the caller's registers: x0..x(count-1), the rest as they were.
 * Unrolled, element by element: a 72-byte struct copy is a memcpy call.
 */
static void hypercall_put(struct hypercall_regs *regs, const struct hypercall_result *r)
{
#pragma GCC unroll 8
	for (unsigned i = 0; i < 8; i++) {
		if (i < r->count)
			regs->x[i] = r->x[i];
	}
}

/* The native path of a number in the table: the row's own entry (hypercall_native_row),
 * UNIMPLEMENTED for a hole. */
static inline __attribute__((always_inline)) void hypercall_native(struct vcpu *vcpu, uint64_t num,
                                                                   struct hypercall_regs *regs)
{
	hypercall_native_entries[num](regs, vcpu->cspace, vcpu);
}

/* SMCCC path for a Gunyah hypercall: inputs shifted to x1..x7, outputs from x0, rest untouched. */
static struct hypercall_result hypercall_smccc_call(struct vcpu *vcpu, unsigned num,
                                                    const struct hypercall_regs *in)
{
	struct hypercall_regs args = {0};
	const struct hypercall_desc *desc;
	struct hypercall_result res = {0};

	if (num >= ARRAY_SIZE(hypercall_table) || hypercall_table[num].handler == NULL)
		return hypercall_x0((uint64_t)SMCCC_UNKNOWN_FUNCTION64);
	desc = &hypercall_table[num];
	for (unsigned i = 0; i < desc->inputs && i < 7; i++)
		args.x[i] = in->x[i + 1];
	res.count = hypercall_invoke(vcpu, desc, &args);
	for (unsigned i = 0; i < 8; i++)
		res.x[i] = args.x[i];
#ifdef HUMPY_BREAK_SMCCC_X2 /* proof build (harness/qemu_tests): the SMCCC path's x2 is wrong */
	res.x[2] ^= 0x10;
	res.count = res.count > 3 ? res.count : 3;
#endif
	return res;
}

static struct hypercall_result hypercall_vendor_hyp(struct vcpu *vcpu, uint32_t fid,
                                                    const struct hypercall_regs *in)
{
	bool is_fast = (fid & SMCCC_FAST_CALL) != 0;
	bool is_smc64 = (fid & SMCCC_SMC64) != 0;
	uint32_t func = fid & SMCCC_FUNC_MASK;
	uint32_t num = func & SMCCC_VH_NUM_MASK;

	switch (func >> SMCCC_VH_CLASS_SHIFT) {
	case SMCCC_VH_CLASS_HYPERCALL:
		if (is_fast && is_smc64)
			return hypercall_smccc_call(vcpu, num, in);
		break;
	case SMCCC_VH_CLASS_SERVICE:
		if (!is_fast || is_smc64)
			break;
		if (num == SMCCC_VH_SERVICE_CALL_UID)
			return (struct hypercall_result){
			    .x = {GUNYAH_UID0, GUNYAH_UID1, GUNYAH_UID2, GUNYAH_UID3},
			    .count = 4,
			};
		if (num == SMCCC_VH_SERVICE_REVISION)
			return hypercall_x0(HYP_API_INFO);
		break; /* CALL_COUNT is deprecated: unknown */
	default:
		break;
	}
	return hypercall_x0((uint64_t)SMCCC_UNKNOWN_FUNCTION64);
}

static bool hypercall_psci_implements(uint32_t fid)
{
	return fid == PSCI_VERSION_FN || fid == PSCI_FEATURES_FN || fid == PSCI_SYSTEM_OFF_FN ||
	       fid == SMCCC_VERSION_FN;
}

/*
 * SMC32 services (SMCCC arch calls, PSCI). Like upstream, results are 32-bit: x0..x3 come back
 * zero-extended, and those a call does not set keep the low 32 bits of what the caller passed.
 * Returns false when nobody serves the ID.
 */
static bool hypercall_smc32(uint32_t fid, const uint32_t arg[4], uint32_t ret[4])
{
	switch (fid) {
	case SMCCC_VERSION_FN:
		ret[0] = SMCCC_VERSION_1_3;
		return true;
	case SMCCC_ARCH_FEATURES_FN:
		/* The workarounds are the firmware's to apply: its own answer for this CPU. */
		ret[0] = arg[1] == SMCCC_ARCH_FEATURES_FN
		             ? 0
		             : (uint32_t)arch_firmware_arch_feature(arg[1]);
		return true;
	case SMCCC_ARCH_WORKAROUND_1_FN:
	case SMCCC_ARCH_WORKAROUND_2_FN:
	case SMCCC_ARCH_WORKAROUND_3_FN:
		if (arch_firmware_arch_feature(fid) < 0)
			return false;
		arch_firmware_arch_call(fid, arg[1]);
		return true;
	case PSCI_VERSION_FN:
		ret[0] = PSCI_VERSION_1_1;
		return true;
	case PSCI_FEATURES_FN:
		ret[0] =
		    hypercall_psci_implements(arg[1]) ? PSCI_SUCCESS : (uint32_t)PSCI_NOT_SUPPORTED;
		return true;
	case PSCI_SYSTEM_OFF_FN:
		log_printf("humpy: PSCI SYSTEM_OFF from VM\n");
		arch_system_off();
	default:
		return false;
	}
}

static struct hypercall_result hypercall_smccc(struct vcpu *vcpu, const struct hypercall_regs *in)
{
	uint32_t fid = (uint32_t)in->x[0];
	uint32_t owner = (fid >> SMCCC_OWNER_SHIFT) & SMCCC_OWNER_MASK;

	if ((fid & SMCCC_RES0_MASK) != 0)
		return hypercall_x0((uint64_t)SMCCC_UNKNOWN_FUNCTION64);
	if (owner == SMCCC_OWNER_VENDOR_HYP)
		return hypercall_vendor_hyp(vcpu, fid, in);
	if ((fid & SMCCC_FAST_CALL) != 0 && (fid & SMCCC_SMC64) == 0) {
		uint32_t arg[4];
		uint32_t ret[4];
		for (unsigned i = 0; i < 4; i++)
			arg[i] = ret[i] = (uint32_t)in->x[i];
		if (hypercall_smc32(fid, arg, ret))
			return (struct hypercall_result){.x = {ret[0], ret[1], ret[2], ret[3]},
			                                 .count = 4};
	}
	return hypercall_x0((uint64_t)SMCCC_UNKNOWN_FUNCTION64);
}

/* SMCCC conduits (hvc #0, smc #0): out of line, so the native path's frame stays small. */
static __attribute__((noinline)) void hypercall_smccc_dispatch(struct vcpu *vcpu,
                                                               struct hypercall_regs *regs)
{
	struct hypercall_result r = hypercall_smccc(vcpu, regs);

	hypercall_put(regs, &r);
}

bool hypercall_dispatch(struct vcpu *vcpu, bool is_hvc, uint16_t imm, struct hypercall_regs *regs)
{
	/* Below the base the 16-bit difference wraps far past the table. */
	uint16_t num = (uint16_t)(imm - HYP_HVC_IMM_BASE);

	if (imm == 0) {
		hypercall_smccc_dispatch(vcpu, regs);
		return false;
	}
	/* Native numbers past the table take the ordinary trap path, as upstream: x0 = -1 only. */
	if (!is_hvc || num >= ARRAY_SIZE(hypercall_table)) {
		regs->x[0] = (uint64_t)HYP_ERROR_UNIMPLEMENTED;
		return false;
	}
	hypercall_native(vcpu, num, regs);
	return true;
}

struct hypercall_result hypercall_trap(struct vcpu *vcpu, bool is_hvc, uint16_t imm,
                                       const struct hypercall_regs *in)
{
	struct hypercall_regs regs = *in;
	struct hypercall_result res = {.count = 8};

	res.zero_scratch = hypercall_dispatch(vcpu, is_hvc, imm, &regs);
	for (unsigned i = 0; i < 8; i++)
		res.x[i] = regs.x[i];
	return res;
}

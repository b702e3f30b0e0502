/* hypercall: decodes a trapped HVC/SMC into a native hypercall, an SMCCC/PSCI call, or -1. */
#include "abi.h"
#include "arch.h"
#include "hypercall.h"
#include "hypercall_core.h"
#include "log.h"

static struct hypercall_result hypercall_identify(struct vcpu *vcpu,
                                                  const struct hypercall_regs *in)
{
	(void)vcpu;
	(void)in;
	return (struct hypercall_result){
	    .x = {HYP_API_INFO, HYP_API_FLAGS0, HYP_API_FLAGS1, HYP_API_FLAGS2},
	    .count = 4,
	};
}

/* Indexed by call number; a row without a handler is a hole (UNIMPLEMENTED). */
static const struct hypercall_desc hypercall_table[HYP_CALL_COUNT] = {
    [HYP_CALL_HYPERVISOR_IDENTIFY] = {.handler = hypercall_identify, .inputs = 0},
    /* The object and cspace calls of hyp/core (hypercall_core.c). */
    HYPERCALL_CORE_ROWS};

unsigned hypercall_table_size(void)
{
	return ARRAY_SIZE(hypercall_table);
}

const struct hypercall_desc *hypercall_desc_of(unsigned num)
{
	return num < ARRAY_SIZE(hypercall_table) ? &hypercall_table[num] : NULL;
}

static struct hypercall_result hypercall_x0(uint64_t x0)
{
	return (struct hypercall_result){.x = {x0}, .count = 1};
}

/*
 * Native path: inputs beyond the call's count are ignored, reserved inputs checked, and all of
 * x0..x7 (unused results zero) and x9..x17 (zero) go back.
 */
static struct hypercall_result hypercall_native(struct vcpu *vcpu, unsigned num,
                                                const struct hypercall_regs *in)
{
	struct hypercall_result res = {.count = 8, .zero_scratch = true};
	const struct hypercall_desc *desc = &hypercall_table[num];
	struct hypercall_regs args = {0};

	if (desc->handler == NULL) {
		res.x[0] = (uint64_t)HYP_ERROR_UNIMPLEMENTED;
		goto out;
	}
	for (unsigned i = 0; i < desc->inputs; i++)
		args.x[i] = in->x[i];
	for (unsigned i = 0; i < desc->inputs; i++) {
		bool bad0 = (desc->res0_mask & BIT(i)) != 0 && args.x[i] != 0;
		bool bad1 = (desc->res1_mask & BIT(i)) != 0 && args.x[i] != UINT64_MAX;
		if (bad0 || bad1) {
			res.x[0] = HYP_ERROR_ARGUMENT_INVALID;
			goto out;
		}
	}
	struct hypercall_result call = desc->handler(vcpu, &args);
	for (unsigned i = 0; i < call.count && i < 8; i++)
		res.x[i] = call.x[i];
out:
	return res;
}

/* SMCCC path for a Gunyah hypercall: inputs shifted to x1..x7, outputs from x0, rest untouched. */
static struct hypercall_result hypercall_smccc_call(struct vcpu *vcpu, unsigned num,
                                                    const struct hypercall_regs *in)
{
	struct hypercall_regs args = {0};

	if (num >= ARRAY_SIZE(hypercall_table) || hypercall_table[num].handler == NULL)
		return hypercall_x0((uint64_t)SMCCC_UNKNOWN_FUNCTION64);
	for (unsigned i = 0; i < hypercall_table[num].inputs && i < 7; i++)
		args.x[i] = in->x[i + 1];
	return hypercall_table[num].handler(vcpu, &args);
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
		ret[0] = arg[1] == SMCCC_ARCH_FEATURES_FN ? 0 : SMCCC_UNKNOWN_FUNCTION32;
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

struct hypercall_result hypercall_trap(struct vcpu *vcpu, bool is_hvc, uint16_t imm,
                                       const struct hypercall_regs *in)
{
	if (imm == 0)
		return hypercall_smccc(vcpu, in);
	/* Native numbers past the table take the ordinary trap path, as upstream: x0 = -1 only. */
	if (is_hvc && imm >= HYP_HVC_IMM_BASE &&
	    (unsigned)(imm - HYP_HVC_IMM_BASE) < ARRAY_SIZE(hypercall_table))
		return hypercall_native(vcpu, imm - HYP_HVC_IMM_BASE, in);
	return hypercall_x0((uint64_t)HYP_ERROR_UNIMPLEMENTED);
}

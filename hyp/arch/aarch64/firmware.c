/* firmware: what the firmware at EL3 says about itself through SMCCC (its version, then which
 * SMCCC_ARCH_WORKAROUND_* it implements for this CPU), asked once and kept for the guests' queries.
 */
#include "abi.h"
#include "arch.h"
#include "log.h"

static const uint32_t firmware_workarounds[] = {
    SMCCC_ARCH_WORKAROUND_1_FN,
    SMCCC_ARCH_WORKAROUND_2_FN,
    SMCCC_ARCH_WORKAROUND_3_FN,
};

/* The answers, in firmware_workarounds' order; valid once is_probed. */
static struct {
	bool is_probed;
	int32_t answer[ARRAY_SIZE(firmware_workarounds)];
} firmware;

static uint64_t firmware_smc(uint64_t fid, uint64_t arg)
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = arg;

	/* SMCCC 1.1: x0-x3 are results, x4-x17 preserved; SMCCC 1.0 firmware may clobber x4-x17. */
	__asm__ volatile("smc #0"
	                 : "+r"(x0), "+r"(x1)
	                 :
	                 : "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
	                   "x13", "x14", "x15", "x16", "x17", "memory");
	return x0;
}

/*
 * The discovery SMCCC prescribes: PSCI_VERSION (PSCI 1.0 has PSCI_FEATURES), PSCI_FEATURES of
 * SMCCC_VERSION (absent: SMCCC 1.0, no ARCH_FEATURES), SMCCC_VERSION >= 1.1, then ARCH_FEATURES of
 * each workaround. Every call here is a PSCI or SMCCC one any PSCI firmware (or QEMU's emulation
 * of it) answers; nothing newer is called before the firmware said it has it.
 */
void arch_firmware_probe(void)
{
	for (unsigned i = 0; i < ARRAY_SIZE(firmware.answer); i++)
		firmware.answer[i] = SMCCC_UNKNOWN_FUNCTION64;
	firmware.is_probed = true;

	uint32_t psci = (uint32_t)firmware_smc(PSCI_VERSION_FN, 0);
	uint32_t version = 0x10000; /* SMCCC 1.0 unless the firmware says otherwise */
	if ((int32_t)psci >= 0 && (psci >> 16) >= 1 &&
	    (int32_t)firmware_smc(PSCI_FEATURES_FN, SMCCC_VERSION_FN) >= 0)
		version = (uint32_t)firmware_smc(SMCCC_VERSION_FN, 0);
	if ((int32_t)version >= 0 && version >= SMCCC_VERSION_1_1)
		for (unsigned i = 0; i < ARRAY_SIZE(firmware_workarounds); i++)
			firmware.answer[i] =
			    (int32_t)firmware_smc(SMCCC_ARCH_FEATURES_FN, firmware_workarounds[i]);
	log_printf("humpy: firmware PSCI 0x%x SMCCC 0x%x: ARCH_WORKAROUND_1/2/3 %d %d %d\n", psci,
	           version, firmware.answer[0], firmware.answer[1], firmware.answer[2]);
}

int32_t arch_firmware_arch_feature(uint32_t fid)
{
	if (!firmware.is_probed)
		arch_firmware_probe();
	for (unsigned i = 0; i < ARRAY_SIZE(firmware_workarounds); i++)
		if (firmware_workarounds[i] == fid)
			return firmware.answer[i];
	return SMCCC_UNKNOWN_FUNCTION64;
}

void arch_firmware_arch_call(uint32_t fid, uint32_t arg)
{
	(void)firmware_smc(fid, arg);
}

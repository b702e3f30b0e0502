/* test_smccc_firmware: SMCCC_ARCH_FEATURES answers for the ARCH_WORKAROUND calls what the firmware
 * answered, and a guest's workaround call reaches the firmware only when the firmware has it. */
#include "abi.h"
#include "hypercall.h"
#include "test.h"

/* One SMC32 call through the SMCCC conduit (hvc #0), as a guest makes it. */
static uint64_t smccc(uint32_t fid, uint64_t x1)
{
	struct hypercall_regs regs = {.x = {fid, x1}};

	hypercall_dispatch(NULL, true, 0, &regs);
	return regs.x[0];
}

TEST(arch_features_gives_the_firmwares_answer_per_workaround)
{
	(void)arena;
	host_firmware = (struct host_firmware){.answer = {0, 1, -1}};
	CHECK_EQ(0, smccc(SMCCC_ARCH_FEATURES_FN, SMCCC_ARCH_WORKAROUND_1_FN));
	CHECK_EQ(1, smccc(SMCCC_ARCH_FEATURES_FN, SMCCC_ARCH_WORKAROUND_2_FN));
	CHECK_EQ(0xFFFFFFFFu, smccc(SMCCC_ARCH_FEATURES_FN, SMCCC_ARCH_WORKAROUND_3_FN));
	host_firmware = (struct host_firmware){.answer = {-1, -1, 0}};
	CHECK_EQ(0xFFFFFFFFu, smccc(SMCCC_ARCH_FEATURES_FN, SMCCC_ARCH_WORKAROUND_1_FN));
	CHECK_EQ(0, smccc(SMCCC_ARCH_FEATURES_FN, SMCCC_ARCH_WORKAROUND_3_FN));
	/* Not a workaround: unknown as before; ARCH_FEATURES itself: implemented. */
	CHECK_EQ(0xFFFFFFFFu, smccc(SMCCC_ARCH_FEATURES_FN, 0x80001234u));
	CHECK_EQ(0, smccc(SMCCC_ARCH_FEATURES_FN, SMCCC_ARCH_FEATURES_FN));
	CHECK_EQ(0, host_firmware.calls);
	host_firmware = (struct host_firmware){.answer = {-1, -1, -1}};
}

TEST(workaround_call_reaches_firmware_only_when_implemented)
{
	(void)arena;
	host_firmware = (struct host_firmware){.answer = {-1, 0, -1}};
	CHECK_EQ((uint64_t)SMCCC_UNKNOWN_FUNCTION64, smccc(SMCCC_ARCH_WORKAROUND_1_FN, 0));
	CHECK_EQ(0, host_firmware.calls);
	smccc(SMCCC_ARCH_WORKAROUND_2_FN, 1);
	CHECK_EQ(1, host_firmware.calls);
	CHECK_EQ(SMCCC_ARCH_WORKAROUND_2_FN, host_firmware.last_fid);
	CHECK_EQ(1, host_firmware.last_arg);
	host_firmware = (struct host_firmware){.answer = {-1, -1, -1}};
}

/* PSCI for the primary VM through both conduits, smc #0 and hvc #0 (§13; issue 2 item 4). */
#include <humpy/test.h>

/* PSCI_FEATURES of this ID must be NOT_SUPPORTED: the last ID of the PSCI range, never assigned. */
#define PSCI_UNASSIGNED_FID (GH_PSCI_VERSION_FID + 0x1f)

typedef struct gh_ret (*conduit_fn)(u64 fid, const u64 args[7]);

static u64 psci_w0(conduit_fn call, u64 fid, u64 arg)
{
	const u64 args[7] = {arg};

	return call(fid, args).x[0];
}

/* Proves PSCI_VERSION through smc #0 is PSCI 1.1, 0x10001 (§13). */
TEST(psci, version_smc)
{
	ASSERT_EQ32("w0", psci_w0(gh_smccc_smc, GH_PSCI_VERSION_FID, 0), GH_PSCI_VERSION_EXPECTED);
}

/* Proves PSCI_VERSION through hvc #0 is PSCI 1.1, 0x10001 (§13). */
TEST(psci, version_hvc)
{
	ASSERT_EQ32("w0", psci_w0(gh_smccc_hvc, GH_PSCI_VERSION_FID, 0), GH_PSCI_VERSION_EXPECTED);
}

static void psci_features(conduit_fn call)
{
	ASSERT_EQ32("PSCI_FEATURES(SYSTEM_OFF) w0",
	            psci_w0(call, GH_PSCI_FEATURES_FID, GH_PSCI_SYSTEM_OFF_FID), 0);
	ASSERT_EQ32("PSCI_FEATURES(0x8400001f) w0",
	            psci_w0(call, GH_PSCI_FEATURES_FID, PSCI_UNASSIGNED_FID),
	            GH_PSCI_NOT_SUPPORTED);
}

/* Proves PSCI_FEATURES through smc #0: SYSTEM_OFF supported (0), an unassigned ID -1 (§13). */
TEST(psci, features_smc)
{
	psci_features(gh_smccc_smc);
}

/* Proves PSCI_FEATURES through hvc #0: SYSTEM_OFF supported (0), an unassigned ID -1 (§13). */
TEST(psci, features_hvc)
{
	psci_features(gh_smccc_hvc);
}

/* hypervisor_identify (reference §1d): the api_info word and the feature flags, on both paths. */
#include <humpy/spec.h>
#include <humpy/test.h>

/* identify takes no inputs: every input register carries a pattern it must overwrite. */
static struct gh_ret identify_native(void)
{
	u64 args[8];

	gh_patterned_args(args);
	return gh_native(GH_HVC_HYPERVISOR_IDENTIFY, args);
}

static struct gh_ret identify_smccc(void)
{
	u64 args[8];

	gh_patterned_args(args);
	return gh_smccc_hvc(GH_SMCCC_HVC_BASE + GH_HVC_HYPERVISOR_IDENTIFY, args);
}

/* Proves api_info is exactly 0x5100000000008001: API 1, LE, 64-bit, variant 0x51 (§1d). */
TEST(identify, api_info)
{
	u64 info = identify_native().x[0];

	ASSERT_EQ("api_info version", info & GH_API_VERSION_MASK, GH_API_VERSION);
	ASSERT_EQ("api_info big-endian bit", info & GH_API_IS_BIG_ENDIAN, 0);
	ASSERT_EQ("api_info 64-bit bit", info & GH_API_IS_64BIT, GH_API_IS_64BIT);
	ASSERT_EQ("api_info variant", info >> GH_API_VARIANT_SHIFT, GH_API_VARIANT_QUALCOMM);
	ASSERT_EQ("x0 (api_info)", info, GH_API_INFO_EXPECTED);
}

/* Proves flags1 and flags2 are zero and no reserved bit of flags0 is set (§1d). */
TEST(identify, flags_reserved)
{
	struct gh_ret r = identify_native();

	ASSERT_EQ("x1 (flags0) reserved bits", r.x[1] & GH_API_FLAG0_RESERVED_MASK, 0);
	ASSERT_EQ("x2 (flags1)", r.x[2], 0);
	ASSERT_EQ("x3 (flags2)", r.x[3], 0);
}

/* Proves the native and SMCCC paths give the same identify results, x0..x3 (§1a, §1b). */
TEST(identify, smccc_matches_native)
{
	struct gh_ret n = identify_native();
	struct gh_ret s = identify_smccc();
	static const char *const what[4] = {"smccc x0 (api_info)", "smccc x1 (flags0)",
	                                    "smccc x2 (flags1)", "smccc x3 (flags2)"};
	unsigned i;

	for (i = 0; i < 4; i++)
		ASSERT_EQ(what[i], s.x[i], n.x[i]);
}

/*
 * A feature bit is honest when a call of that feature is answered (anything but -1) exactly
 * when the bit is set. The probe call gets GH_CAP_INVALID for every cap (it can never name an
 * object, so nothing changes), zero for other values, and its reserved inputs as required.
 */
struct feature_probe {
	const char *name;
	u64 bit;
	u32 call;
	u32 cap_inputs; /* bit i: input i is a cap */
};

static void feature_check(const struct feature_probe *f)
{
	const struct spec_call *call = spec_call_find(f->call);
	bool flag = (identify_native().x[1] & f->bit) != 0;
	u64 args[8] = {0};
	struct gh_ret r;
	unsigned i;

	if (!call) {
		test_error("call 0x%x missing from the spec table", f->call);
		return;
	}
	for (i = 0; i < 8; i++) {
		if (f->cap_inputs & (1U << i))
			args[i] = GH_CAP_INVALID;
	}
	spec_fix_reserved(call, args);
	r = gh_native(f->call, args);
	if (flag && r.x[0] == (u64)GH_ERROR_UNIMPLEMENTED)
		test_fail("flags0 %s bit set but %s answered x0 0x%lx (unimplemented)", f->name,
		          call->name, r.x[0]);
	else if (!flag && r.x[0] != (u64)GH_ERROR_UNIMPLEMENTED)
		test_fail("flags0 %s bit clear but %s: x0 expected 0x%lx got 0x%lx", f->name,
		          call->name, (u64)GH_ERROR_UNIMPLEMENTED, r.x[0]);
}

#define FEATURE(flag, call, caps)                                                                  \
	do {                                                                                       \
		static const struct feature_probe f_ = {#flag, GH_API_FLAG0_##flag, GH_HVC_##call, \
		                                        (caps)};                                   \
		feature_check(&f_);                                                                \
	} while (0)

/* Proves flags0 PARTITION_CSPACE is set iff object_activate is answered (§1d, §2). */
TEST(identify, feature_partition_cspace)
{
	FEATURE(PARTITION_CSPACE, OBJECT_ACTIVATE, 0x1);
}

/* Proves flags0 DOORBELL is set iff doorbell_send is answered (§1d, §2). */
TEST(identify, feature_doorbell)
{
	FEATURE(DOORBELL, DOORBELL_SEND, 0x1);
}

/* Proves flags0 MSGQUEUE is set iff msgqueue_flush is answered (§1d, §2). */
TEST(identify, feature_msgqueue)
{
	FEATURE(MSGQUEUE, MSGQUEUE_FLUSH, 0x1);
}

/* Proves flags0 VIC is set iff vic_attach_vcpu is answered (§1d, §2). */
TEST(identify, feature_vic)
{
	FEATURE(VIC, VIC_ATTACH_VCPU, 0x3);
}

/* Proves flags0 VPM is set iff vpm_group_get_state is answered (§1d, §2). */
TEST(identify, feature_vpm)
{
	FEATURE(VPM, VPM_GROUP_GET_STATE, 0x1);
}

/* Proves flags0 VCPU is set iff vcpu_configure is answered (§1d, §2). */
TEST(identify, feature_vcpu)
{
	FEATURE(VCPU, VCPU_CONFIGURE, 0x1);
}

/* Proves flags0 MEMEXTENT is set iff addrspace_lookup is answered (§1d, §2). */
TEST(identify, feature_memextent)
{
	FEATURE(MEMEXTENT, ADDRSPACE_LOOKUP, 0x3);
}

/* Proves flags0 TRACE_CTRL is set iff trace_update_class_flags(0, 0) is answered (§1d, §2). */
TEST(identify, feature_trace_ctrl)
{
	FEATURE(TRACE_CTRL, TRACE_UPDATE_CLASS_FLAGS, 0x0);
}

/* Proves flags0 WATCHDOG is set iff watchdog_configure is answered (§1d, §2). */
TEST(identify, feature_watchdog)
{
	FEATURE(WATCHDOG, WATCHDOG_CONFIGURE, 0x1);
}

/* Proves flags0 VIRTIO_MMIO is set iff backend_get_notification is answered (§1d). */
TEST(identify, feature_virtio_mmio)
{
	FEATURE(VIRTIO_MMIO, VIRTIO_MMIO_BACKEND_GET_NOTIFICATION, 0x1);
}

/* Proves flags0 PRNG is set iff prng_get_entropy(0 bytes) is answered (§1d, §2). */
TEST(identify, feature_prng)
{
	FEATURE(PRNG, PRNG_GET_ENTROPY, 0x0);
}

/* Proves flags0 VCPU_RUN is set iff vcpu_run_check is answered (§1d, §9). */
TEST(identify, feature_vcpu_run)
{
	FEATURE(VCPU_RUN, VCPU_RUN_CHECK, 0x1);
}

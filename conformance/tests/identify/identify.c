/* hypervisor_identify (reference §1d): the api_info word and the feature flags, on both paths. */
#include <humpy/arch.h>
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

/* Proves no reserved bit of flags0, flags1 (all but bit 0, SVE) or flags2 is set (§1d). */
TEST(identify, flags_reserved)
{
	struct gh_ret r = identify_native();

	ASSERT_EQ("x1 (flags0) reserved bits", r.x[1] & GH_API_FLAG0_RESERVED_MASK, 0);
	ASSERT_EQ("x2 (flags1) reserved bits", r.x[2] & GH_API_FLAG1_RESERVED_MASK, 0);
	ASSERT_EQ("x3 (flags2) reserved bits", r.x[3] & GH_API_FLAG2_RESERVED_MASK, 0);
}

#define ID_AA64PFR0_SVE_SHIFT 32
#define CPACR_ZEN_FPEN        ((3ULL << 16) | (3ULL << 20)) /* no EL1/EL0 trap of SVE, FP/SIMD */
#define INSN_RDVL_X0_1        ".inst 0x04bf5020"            /* rdvl x0, #1 (SVE) */

/*
 * Whether this VM can use SVE: the ID register says the CPU has it and RDVL runs without a trap
 * once EL1 stops trapping it (a hypervisor that withholds SVE traps it at EL2). why says which.
 */
static bool identify_sve_usable(char *why, size_t n)
{
	u64 pfr0 = sysreg_read(id_aa64pfr0_el1), cpacr, vl;
	struct exc_record rec;

	if (((pfr0 >> ID_AA64PFR0_SVE_SHIFT) & 0xf) == 0) {
		snprintf(why, n, "ID_AA64PFR0_EL1.SVE is 0");
		return false;
	}
	cpacr = sysreg_read(cpacr_el1);
	sysreg_write(cpacr_el1, cpacr | CPACR_ZEN_FPEN);
	isb();
	exc_expect_begin();
	__asm__ volatile("mov x0, xzr\n\t" INSN_RDVL_X0_1 "\n\tmov %0, x0" : "=r"(vl)::"x0");
	rec = exc_expect_end();
	sysreg_write(cpacr_el1, cpacr);
	isb();
	if (rec.taken) {
		snprintf(why, n, "ID_AA64PFR0_EL1.SVE is %lu but RDVL traps (ESR_EL1 0x%lx)",
		         (pfr0 >> ID_AA64PFR0_SVE_SHIFT) & 0xf, rec.esr);
		return false;
	}
	snprintf(why, n, "RDVL runs: %lu-byte vectors", vl);
	return true;
}

/* Proves flags1 bit 0 (SVE) is set exactly when this VM can use SVE (ID register, RDVL) (§1d). */
TEST(identify, flags_sve)
{
	char why[96];
	bool usable = identify_sve_usable(why, sizeof(why));
	bool flag = (identify_native().x[2] & GH_API_FLAG1_SVE) != 0;

	if (flag != usable)
		test_fail("x2 (flags1) SVE bit %s, but %s", flag ? "set" : "clear", why);
}

/* identify's results on one path against the spec: api_info exact, no reserved flag bit set. */
static void identify_check_path(const char *path, struct gh_ret r)
{
	if (r.x[0] != GH_API_INFO_EXPECTED)
		test_fail("%s x0 (api_info): expected 0x%llx got 0x%lx", path, GH_API_INFO_EXPECTED,
		          r.x[0]);
	else if (r.x[1] & GH_API_FLAG0_RESERVED_MASK)
		test_fail("%s x1 (flags0): reserved bits 0x%lx set", path,
		          (u64)(r.x[1] & GH_API_FLAG0_RESERVED_MASK));
	else if (r.x[2] & GH_API_FLAG1_RESERVED_MASK)
		test_fail("%s x2 (flags1): reserved bits 0x%lx set", path,
		          (u64)(r.x[2] & GH_API_FLAG1_RESERVED_MASK));
	else if (r.x[3] & GH_API_FLAG2_RESERVED_MASK)
		test_fail("%s x3 (flags2): reserved bits 0x%lx set", path,
		          (u64)(r.x[3] & GH_API_FLAG2_RESERVED_MASK));
}

/*
 * Proves identify on each path answers as the spec says (api_info exact, no reserved flag bit),
 * and the flags agree: both paths reach one call table (§1a, §1b, §1d).
 */
TEST(identify, smccc_matches_native)
{
	struct gh_ret n = identify_native();
	struct gh_ret s = identify_smccc();
	static const char *const what[4] = {"x0 (api_info)", "x1 (flags0)", "x2 (flags1)",
	                                    "x3 (flags2)"};
	unsigned i;

	identify_check_path("native", n);
	identify_check_path("SMCCC", s);
	RETURN_IF_FAILED();
	for (i = 1; i < 4; i++) {
		if (s.x[i] != n.x[i]) {
			test_fail("%s: native 0x%lx but SMCCC 0x%lx", what[i], n.x[i], s.x[i]);
			return;
		}
	}
}

/*
 * A feature bit is honest when a call of that feature answers exactly what the spec says for the
 * probe (every cap GH_CAP_INVALID, reserved inputs as required, the rest 0: it names no object, so
 * nothing changes) when the bit is set, and exactly a hole's -1 when it is clear; on both paths.
 */
static void feature_check(u64 bit, u32 call)
{
	u64 flags0 = identify_native().x[1];
	const struct spec_probe *p = spec_probe_find(call);
	char why[200];

	if (!p || p->feature < 0 || (1ULL << p->feature) != bit) {
		test_error("call 0x%x is not in that feature in the spec table", call);
		return;
	}
	if (!spec_probe_check(call, GH_PATH_NATIVE, flags0, why, sizeof(why)) ||
	    !spec_probe_check(call, GH_PATH_SMCCC, flags0, why, sizeof(why)))
		test_fail("%s", why);
}

#define FEATURE(flag, call) feature_check(GH_API_FLAG0_##flag, GH_HVC_##call)

/* Proves flags0 PARTITION_CSPACE: object_activate answers its probe (ARGUMENT_INVALID) iff set
 * (§1d, §2). */
TEST(identify, feature_partition_cspace)
{
	FEATURE(PARTITION_CSPACE, OBJECT_ACTIVATE);
}

/* Proves flags0 DOORBELL: doorbell_send answers its probe (ARGUMENT_INVALID) iff set (§1d, §2). */
TEST(identify, feature_doorbell)
{
	FEATURE(DOORBELL, DOORBELL_SEND);
}

/* Proves flags0 MSGQUEUE: msgqueue_flush answers its probe (ARGUMENT_INVALID) iff set (§1d, §2). */
TEST(identify, feature_msgqueue)
{
	FEATURE(MSGQUEUE, MSGQUEUE_FLUSH);
}

/* Proves flags0 VIC: vic_attach_vcpu answers its probe (ARGUMENT_INVALID) iff set (§1d, §2). */
TEST(identify, feature_vic)
{
	FEATURE(VIC, VIC_ATTACH_VCPU);
}

/* Proves flags0 VPM: vpm_group_get_state answers its probe (ARGUMENT_INVALID) iff set (§1d, §2). */
TEST(identify, feature_vpm)
{
	FEATURE(VPM, VPM_GROUP_GET_STATE);
}

/* Proves flags0 VCPU: vcpu_configure answers its probe (ARGUMENT_INVALID) iff set (§1d, §2). */
TEST(identify, feature_vcpu)
{
	FEATURE(VCPU, VCPU_CONFIGURE);
}

/* Proves flags0 MEMEXTENT: addrspace_lookup answers its probe (ARGUMENT_INVALID) iff set (§1d, §2).
 */
TEST(identify, feature_memextent)
{
	FEATURE(MEMEXTENT, ADDRSPACE_LOOKUP);
}

/* Proves flags0 TRACE_CTRL: trace_update_class_flags(0, 0) answers OK iff set (§1d, §2). */
TEST(identify, feature_trace_ctrl)
{
	FEATURE(TRACE_CTRL, TRACE_UPDATE_CLASS_FLAGS);
}

/* Proves flags0 WATCHDOG: watchdog_configure answers its probe (ARGUMENT_INVALID) iff set (§1d). */
TEST(identify, feature_watchdog)
{
	FEATURE(WATCHDOG, WATCHDOG_CONFIGURE);
}

/* Proves flags0 VIRTIO_MMIO: backend_get_notification answers ARGUMENT_INVALID iff set (§1d). */
TEST(identify, feature_virtio_mmio)
{
	FEATURE(VIRTIO_MMIO, VIRTIO_MMIO_BACKEND_GET_NOTIFICATION);
}

/* Proves flags0 PRNG: prng_get_entropy(0 bytes) answers ARGUMENT_SIZE iff set (§1d, §2). */
TEST(identify, feature_prng)
{
	FEATURE(PRNG, PRNG_GET_ENTROPY);
}

/* Proves flags0 VCPU_RUN: vcpu_run_check answers its probe (ARGUMENT_INVALID) iff set (§1d, §9). */
TEST(identify, feature_vcpu_run)
{
	FEATURE(VCPU_RUN, VCPU_RUN_CHECK);
}

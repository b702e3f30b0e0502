/* vic_bind_msi_source (0x56) and vgic_set_mpidr_mapping (0x67): every result a VIC made from the
 * root partition can reach (§2 cap lookup, §7; spec deviation vic_no_msi_sources: humpy has no MSI
 * source objects, so the bind never succeeds and is never BUSY). */
#include <humpy/ipc.h>

#define VIC_TEST(name) IPC_TEST(vic, name, GH_API_FLAG0_VIC, "vic", false)

/* The MPIDR map a one-cluster machine uses: vCPU index bits 0..7 into Aff0, the other levels at
 * the next byte each, no MT bit (§2 0x67: mask, aff0..aff3 shifts, mt). */
#define MPIDR_MASK 0xffULL
#define MPIDR_AFF0 0ULL
#define MPIDR_AFF1 8ULL
#define MPIDR_AFF2 16ULL
#define MPIDR_AFF3 24ULL

/* All seven inputs (hc() passes only five: aff3_shift and mt would be 0). */
static struct gh_ret mpidr_call(u64 vic, u64 mask, u64 aff3, u64 mt)
{
	const u64 args[8] = {vic, mask, MPIDR_AFF0, MPIDR_AFF1, MPIDR_AFF2, aff3, mt, 0};

	return gh_native(GH_HVC_VGIC_SET_MPIDR_MAPPING, args);
}

/* Proves vgic_set_mpidr_mapping on a VIC still in INIT (created, and again once configured) is OK
 * with x1..x7 zero, and the VIC then configures and activates as usual (§2 0x67, 0x28, 0x0c). */
VIC_TEST(mpidr_mapping_init)
{
	u64 v = root_create(rc, GH_HVC_PARTITION_CREATE_VIC, rc->partition);

	RETURN_IF_FAILED();
	ASSERT_RESULT("mapping on a new VIC", mpidr_call(v, MPIDR_MASK, MPIDR_AFF3, 0), 0, 0);
	ASSERT_RESULT("vic_configure", hc(GH_HVC_VIC_CONFIGURE, v, 1, 8, 0, 0), 0, 0);
	ASSERT_RESULT("mapping on the configured VIC", mpidr_call(v, MPIDR_MASK, MPIDR_AFF3, 0), 0,
	              0);
	RETURN_IF_FAILED();
	ASSERT_EQ("activate", hc_err(GH_HVC_OBJECT_ACTIVATE, v, 0, 0), 0);
	ASSERT_RESULT("mapping once active", mpidr_call(v, MPIDR_MASK, MPIDR_AFF3, 0),
	              E(OBJECT_STATE), 0);
}

/* Proves every cap-lookup error of vgic_set_mpidr_mapping's VIC input: all ones and undecodable,
 * revoked, another type, no object_activate right, an active VIC (wrong state), an empty slot
 * (§2 0x67 needs a VIC in INIT, §7). */
VIC_TEST(mpidr_mapping_cap_errors)
{
	u64 v = root_create(rc, GH_HVC_PARTITION_CREATE_VIC, rc->partition);
	u64 active = vic_make(rc, 1, 8, true);
	const u64 args[5] = {v, MPIDR_MASK, MPIDR_AFF0, MPIDR_AFF1, MPIDR_AFF2};

	RETURN_IF_FAILED();
	ipc_cap_errors(rc, GH_HVC_VGIC_SET_MPIDR_MAPPING, args, 0, rc->cspace,
	               GH_RIGHT_VIC_OBJECT_ACTIVATE, active);
}

/* Proves an object that is not an MSI source (a cspace, a partition, a thread, a VIC) given as
 * vic_bind_msi_source's source is CSPACE_WRONG_OBJECT_TYPE with x1..x7 zero (§2 0x56: the source
 * is looked up as any type, then its type is checked). */
VIC_TEST(msi_source_not_msi)
{
	u64 v = vic_make(rc, 1, 8, true);
	u64 t = root_create(rc, GH_HVC_PARTITION_CREATE_THREAD, rc->partition);
	const u64 sources[4] = {rc->cspace, rc->partition, t, v};

	RETURN_IF_FAILED();
	for (unsigned i = 0; i < 4; i++)
		ASSERT_RESULT("bind a non-MSI object",
		              hc(GH_HVC_VIC_BIND_MSI_SOURCE, v, sources[i], 0, 0, 0),
		              E(CSPACE_WRONG_OBJECT_TYPE), 0);
}

/* Proves every cap-lookup error of vic_bind_msi_source's VIC input, the VIC looked up before the
 * source: the source is an empty slot, so only the VIC's own error can be each answer; a VIC in
 * INIT is the wrong state (§2 0x56 needs bind_source on an active VIC, §7). */
VIC_TEST(msi_vic_cap_errors)
{
	u64 v = vic_make(rc, 1, 8, true);
	u64 idle = vic_make(rc, 1, 8, false);
	u64 empty = root_null(rc);
	const u64 args[5] = {v, empty, 0, 0, 0};

	RETURN_IF_FAILED();
	ASSERT_RESULT("source in an empty slot", hc(GH_HVC_VIC_BIND_MSI_SOURCE, v, empty, 0, 0, 0),
	              E(CSPACE_CAP_NULL), 0);
	RETURN_IF_FAILED();
	ipc_cap_errors(rc, GH_HVC_VIC_BIND_MSI_SOURCE, args, 0, rc->cspace,
	               GH_RIGHT_VIC_BIND_SOURCE, idle);
}

/* Proves every cap-lookup error of vic_bind_msi_source's source input, looked up as any type with
 * no right needed: all ones and undecodable, revoked, an empty slot, and a cspace (not an MSI
 * source) is the wrong type (§2 0x56, §7). */
VIC_TEST(msi_source_cap_errors)
{
	u64 v = vic_make(rc, 1, 8, true);
	u64 t = root_create(rc, GH_HVC_PARTITION_CREATE_THREAD, rc->partition);
	const u64 args[5] = {v, t, 0, 0, 0};

	RETURN_IF_FAILED();
	ipc_cap_errors(rc, GH_HVC_VIC_BIND_MSI_SOURCE, args, 1, rc->cspace, 0, GH_CAP_INVALID);
}

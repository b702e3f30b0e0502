/* partition_create_vic (0x0a), vic_configure (0x28), vic_attach_vcpu (0x29), and VIRQ ranges of a
 * VIC made from the root partition (§2; limits vic_max_virqs, vic_options_valid). */
#include <humpy/ipc.h>

#define VIC_TEST(name)      IPC_TEST(vic, name, GH_API_FLAG0_VIC, "vic", false)
#define VIC_SELF_TEST(name) IPC_TEST(vic, name, GH_API_FLAG0_VIC, "vic", true)

static void vic_cfg_expect(u64 vic, u64 vcpus, u64 virqs, u64 options, u64 msis, u64 err)
{
	ASSERT_RESULT("vic_configure", hc(GH_HVC_VIC_CONFIGURE, vic, vcpus, virqs, options, msis),
	              err, 0);
}

static u64 vic_new(const struct root_caps *rc)
{
	return root_create(rc, GH_HVC_PARTITION_CREATE_VIC, rc->partition);
}

/* Proves partition_create_vic returns OK and a new cap (x2..x7 zero) that configures and
 * activates (§2 0x0a, 0x28, 0x0c). */
VIC_TEST(create_configure_activate)
{
	struct gh_ret r = hc(GH_HVC_PARTITION_CREATE_VIC, rc->partition, rc->cspace, 0, 0, 0);

	ASSERT_EQ("create (x0)", r.x[0], 0);
	root_track(r.x[1]);
	ASSERT_NE("create (x1, the new cap)", r.x[1], GH_CAP_INVALID);
	ASSERT_EQ("create (x2)", r.x[2], 0);
	vic_cfg_expect(r.x[1], 1, 64, 0, 0, 0);
	RETURN_IF_FAILED();
	ASSERT_EQ("activate", hc_err(GH_HVC_OBJECT_ACTIVATE, r.x[1], 0, 0), 0);
}

/* Proves max_vcpus 0 is ARGUMENT_INVALID (§2 vic_configure; upstream: 1..platform cores). */
VIC_TEST(configure_vcpus_0)
{
	u64 v = vic_new(rc);

	RETURN_IF_FAILED();
	vic_cfg_expect(v, 0, 64, 0, 0, E(ARGUMENT_INVALID));
}

/* Proves a max_vcpus beyond any platform (65536, 2^32 + 1) is ARGUMENT_INVALID (§2 vic_configure).
 */
VIC_TEST(configure_vcpus_huge)
{
	u64 v = vic_new(rc);

	RETURN_IF_FAILED();
	vic_cfg_expect(v, 0x10000, 64, 0, 0, E(ARGUMENT_INVALID));
	vic_cfg_expect(v, 0x100000001ULL, 64, 0, 0, E(ARGUMENT_INVALID));
}

/* Proves max_virqs up to 988 (every SPI) is accepted and 989 is ARGUMENT_INVALID
 * (limits.vic_max_virqs). */
VIC_TEST(configure_virqs_limit)
{
	u64 v = vic_new(rc);

	RETURN_IF_FAILED();
	vic_cfg_expect(v, 1, GH_LIMIT_VIC_MAX_VIRQS + 1, 0, 0, E(ARGUMENT_INVALID));
	vic_cfg_expect(v, 1, ~0ULL, 0, 0, E(ARGUMENT_INVALID));
	vic_cfg_expect(v, 1, GH_LIMIT_VIC_MAX_VIRQS, 0, 0, 0);
	vic_cfg_expect(v, 1, 0, 0, 0, 0);
}

/* Proves a reserved vic_options bit (2, 31, 63) is ARGUMENT_INVALID (§2: bits above 1 res0). */
VIC_TEST(configure_options_reserved)
{
	u64 v = vic_new(rc);

	RETURN_IF_FAILED();
	vic_cfg_expect(v, 1, 64, (u64)GH_LIMIT_VIC_OPTIONS_VALID + 1, 0, E(ARGUMENT_INVALID));
	vic_cfg_expect(v, 1, 64, 1ULL << 31, 0, E(ARGUMENT_INVALID));
	vic_cfg_expect(v, 1, 64, 1ULL << 63, 0, E(ARGUMENT_INVALID));
	vic_cfg_expect(v, 1, 64, 0, 0, 0);
}

/* Proves vic_configure of an active VIC is OBJECT_STATE (§2: configure while INIT). */
VIC_TEST(configure_active)
{
	u64 v = vic_make(rc, 1, 8, true);

	RETURN_IF_FAILED();
	vic_cfg_expect(v, 1, 16, 0, 0, E(OBJECT_STATE));
}

/* Proves vic_configure on a cspace cap is CSPACE_WRONG_OBJECT_TYPE (§2 cap lookup). */
VIC_TEST(configure_wrong_type)
{
	u64 cs = root_cspace(rc, 0, false);

	RETURN_IF_FAILED();
	vic_cfg_expect(cs, 1, 8, 0, 0, E(CSPACE_WRONG_OBJECT_TYPE));
}

/* Proves vic_configure needs OBJECT_ACTIVATE on the VIC: CSPACE_INSUFFICIENT_RIGHTS without it
 * (§2 spec rights). */
VIC_TEST(configure_needs_activate_right)
{
	u64 v = vic_new(rc);
	u64 weak = root_copy(rc, v, ~(u64)GH_RIGHT_VIC_OBJECT_ACTIVATE);

	RETURN_IF_FAILED();
	vic_cfg_expect(weak, 1, 8, 0, 0, E(CSPACE_INSUFFICIENT_RIGHTS));
}

/* Proves vic_attach_vcpu takes an INIT thread at index 0 of a 2-vCPU VIC and index 1 too (§2 0x29).
 */
VIC_TEST(attach_vcpu_ok)
{
	u64 v = vic_make(rc, 2, 8, true);
	u64 t0 = root_create(rc, GH_HVC_PARTITION_CREATE_THREAD, rc->partition);
	u64 t1 = root_create(rc, GH_HVC_PARTITION_CREATE_THREAD, rc->partition);

	RETURN_IF_FAILED();
	ASSERT_RESULT("attach index 0", hc(GH_HVC_VIC_ATTACH_VCPU, v, t0, 0, 0, 0), 0, 0);
	ASSERT_RESULT("attach index 1", hc(GH_HVC_VIC_ATTACH_VCPU, v, t1, 1, 0, 0), 0, 0);
}

/* Proves an index at or past max_vcpus is ARGUMENT_INVALID (§2 vic_attach_vcpu). */
VIC_TEST(attach_vcpu_index)
{
	u64 v = vic_make(rc, 2, 8, true);
	u64 t = root_create(rc, GH_HVC_PARTITION_CREATE_THREAD, rc->partition);

	RETURN_IF_FAILED();
	ASSERT_RESULT("attach index 2 of 2", hc(GH_HVC_VIC_ATTACH_VCPU, v, t, 2, 0, 0),
	              E(ARGUMENT_INVALID), 0);
	ASSERT_RESULT("attach index ~0", hc(GH_HVC_VIC_ATTACH_VCPU, v, t, ~0ULL, 0, 0),
	              E(ARGUMENT_INVALID), 0);
	ASSERT_RESULT("attach index 2^32", hc(GH_HVC_VIC_ATTACH_VCPU, v, t, 1ULL << 32, 0, 0),
	              E(ARGUMENT_INVALID), 0);
}

/* Proves vic_attach_vcpu on a VIC that is not active is OBJECT_STATE (§2: caps of active objects).
 */
VIC_TEST(attach_vcpu_vic_inactive)
{
	u64 v = vic_make(rc, 1, 8, false);
	u64 t = root_create(rc, GH_HVC_PARTITION_CREATE_THREAD, rc->partition);

	RETURN_IF_FAILED();
	ASSERT_RESULT("attach", hc(GH_HVC_VIC_ATTACH_VCPU, v, t, 0, 0, 0), E(OBJECT_STATE), 0);
}

/* Proves vic_attach_vcpu of an active vCPU (the guest's own) is OBJECT_STATE (§2: thread in INIT).
 */
VIC_SELF_TEST(attach_vcpu_active_thread)
{
	u64 v = vic_make(rc, 1, 8, true);

	RETURN_IF_FAILED();
	if (self->vcpu == GH_CAP_INVALID)
		SKIP("no own vCPU cap (/chosen humpy,root-vcpu-cap absent or all ones)");
	ASSERT_RESULT("attach the running vCPU", hc(GH_HVC_VIC_ATTACH_VCPU, v, self->vcpu, 0, 0, 0),
	              E(OBJECT_STATE), 0);
}

/* Proves vic_attach_vcpu rights: the VIC without ATTACH_VCPU, the thread without OBJECT_ACTIVATE
 * are CSPACE_INSUFFICIENT_RIGHTS; a doorbell as the thread is CSPACE_WRONG_OBJECT_TYPE (§2). */
IPC_TEST(vic, attach_vcpu_rights, GH_API_FLAG0_VIC | GH_API_FLAG0_DOORBELL, "vic and doorbell",
         false)
{
	u64 v = vic_make(rc, 1, 8, true);
	u64 t = root_create(rc, GH_HVC_PARTITION_CREATE_THREAD, rc->partition);
	u64 db = db_make(rc);
	u64 weak_v = root_copy(rc, v, ~(u64)GH_RIGHT_VIC_ATTACH_VCPU);
	u64 weak_t = root_copy(rc, t, ~(u64)GH_RIGHT_THREAD_OBJECT_ACTIVATE);

	RETURN_IF_FAILED();
	ASSERT_RESULT("VIC without ATTACH_VCPU", hc(GH_HVC_VIC_ATTACH_VCPU, weak_v, t, 0, 0, 0),
	              E(CSPACE_INSUFFICIENT_RIGHTS), 0);
	ASSERT_RESULT("thread without OBJECT_ACTIVATE",
	              hc(GH_HVC_VIC_ATTACH_VCPU, v, weak_t, 0, 0, 0), E(CSPACE_INSUFFICIENT_RIGHTS),
	              0);
	ASSERT_RESULT("a doorbell as the thread", hc(GH_HVC_VIC_ATTACH_VCPU, v, db, 0, 0, 0),
	              E(CSPACE_WRONG_OBJECT_TYPE), 0);
	ASSERT_RESULT("attach (still possible)", hc(GH_HVC_VIC_ATTACH_VCPU, v, t, 0, 0, 0), 0, 0);
}

/* Proves a bind's VIRQ must lie in the VIC's own shared range: with max_virqs 4, VIRQs 32..35 bind
 * and 36 is ARGUMENT_INVALID (§2: (virq - 32) < max_virqs). */
IPC_TEST(vic, bind_range_of_vic, GH_API_FLAG0_VIC | GH_API_FLAG0_DOORBELL, "vic and doorbell",
         false)
{
	u64 v = vic_make(rc, 1, 4, true);
	u64 a = db_make(rc), b = db_make(rc);

	RETURN_IF_FAILED();
	ASSERT_RESULT("bind VIRQ 36", hc(GH_HVC_DOORBELL_BIND_VIRQ, a, v, 36, 0, 0),
	              E(ARGUMENT_INVALID), 0);
	ASSERT_RESULT("bind VIRQ 31 (a PPI)", hc(GH_HVC_DOORBELL_BIND_VIRQ, a, v, 31, 0, 0),
	              E(ARGUMENT_INVALID), 0);
	ASSERT_RESULT("bind VIRQ 35", hc(GH_HVC_DOORBELL_BIND_VIRQ, a, v, 35, 0, 0), 0, 0);
	ipc_bound(GH_HVC_DOORBELL_UNBIND_VIRQ, a);
	ASSERT_RESULT("bind VIRQ 32", hc(GH_HVC_DOORBELL_BIND_VIRQ, b, v, 32, 0, 0), 0, 0);
	ipc_bound(GH_HVC_DOORBELL_UNBIND_VIRQ, b);
	ASSERT_RESULT("send a (no vCPU to deliver to)", hc(GH_HVC_DOORBELL_SEND, a, 1, 0, 0, 0), 0,
	              0);
}

/* Proves a VIC with max_virqs 0 takes no shared VIRQ at all (§2). */
IPC_TEST(vic, bind_no_virqs, GH_API_FLAG0_VIC | GH_API_FLAG0_DOORBELL, "vic and doorbell", false)
{
	u64 v = vic_make(rc, 1, 0, true);
	u64 a = db_make(rc);

	RETURN_IF_FAILED();
	ASSERT_RESULT("bind VIRQ 32", hc(GH_HVC_DOORBELL_BIND_VIRQ, a, v, 32, 0, 0),
	              E(ARGUMENT_INVALID), 0);
}

/* Proves a bind to a VIC that is not active is OBJECT_STATE (§2: caps of active objects). */
IPC_TEST(vic, bind_vic_inactive, GH_API_FLAG0_VIC | GH_API_FLAG0_DOORBELL, "vic and doorbell",
         false)
{
	u64 v = vic_make(rc, 1, 8, false);
	u64 a = db_make(rc);

	RETURN_IF_FAILED();
	ASSERT_RESULT("bind", hc(GH_HVC_DOORBELL_BIND_VIRQ, a, v, 32, 0, 0), E(OBJECT_STATE), 0);
}

/* Proves the own VIC's range is what GICD_TYPER says (ROOT_PROFILE.md): its last shared VIRQ binds,
 * the next one is ARGUMENT_INVALID, and the range is at least the IPC tests' VIRQs. */
IPC_TEST(vic, own_range, GH_API_FLAG0_VIC | GH_API_FLAG0_DOORBELL, "vic and doorbell", true)
{
	u64 a = db_make(rc);

	RETURN_IF_FAILED();
	ASSERT_TRUE("GICD_TYPER covers the tests' VIRQs",
	            ipc_virq_end() > IPC_VIRQ(IPC_VIRQ_COUNT));
	ASSERT_RESULT("bind one past the range",
	              hc(GH_HVC_DOORBELL_BIND_VIRQ, a, self->vic, ipc_virq_end(), 0, 0),
	              E(ARGUMENT_INVALID), 0);
	ipc_bind(self, GH_HVC_DOORBELL_BIND_VIRQ, GH_HVC_DOORBELL_UNBIND_VIRQ, a,
	         ipc_virq_end() - 1);
	RETURN_IF_FAILED();
	ASSERT_RESULT("send", hc(GH_HVC_DOORBELL_SEND, a, 1, 0, 0, 0), 0, 0);
	ASSERT_TAKEN("last VIRQ of the range", ipc_virq_end() - 1, 1);
}

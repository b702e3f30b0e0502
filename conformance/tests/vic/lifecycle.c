/* A VIC's memory over its life: what activation takes from its partition comes back when the VIC is
 * destroyed (§2: objects are made from a partition; the last cap's deletion destroys the object),
 * so a partition can make, activate and delete VICs any number of times. */
#include <humpy/ipc.h>

#define VLC_TEST(name) IPC_TEST(vic, name, GH_API_FLAG0_VIC, "vic", false)
#define VLC_ROUNDS     8 /* far more full-size VICs than fit in a partition at once */

/* Proves a destroyed VIC gives its VIRQ state back: from one child partition, a VIC with every SPI
 * (max_virqs = limits.vic_max_virqs) is created, configured, activated (OK) and deleted (OK) again
 * and again, then the empty partition is deleted (OK) and the hypervisor still serves calls. */
VLC_TEST(deleted_vic_gives_memory_back)
{
	u64 child = root_partition(rc, 0, true);
	u64 err;

	RETURN_IF_FAILED();
	for (unsigned round = 0; round < VLC_ROUNDS; round++) {
		u64 v = root_create(rc, GH_HVC_PARTITION_CREATE_VIC, child);

		RETURN_IF_FAILED();
		err = hc(GH_HVC_VIC_CONFIGURE, v, 1, GH_LIMIT_VIC_MAX_VIRQS, 0, 0).x[0];
		ASSERT_EQ("vic_configure (1 vCPU, every SPI)", err, 0);
		err = hc_err(GH_HVC_OBJECT_ACTIVATE, v, 0, 0);
		if (round == 0 && err == E(NOMEM))
			SKIP("a child partition cannot hold one VIC of %u VIRQs (NOMEM)",
			     (unsigned)GH_LIMIT_VIC_MAX_VIRQS);
		if (err != 0) {
			test_fail("round %u: object_activate(vic): x0 expected 0x0 got 0x%lx",
			          round, err);
			return;
		}
		ASSERT_EQ("delete the VIC", root_del(rc, v), 0);
	}
	ASSERT_EQ("delete the emptied partition", root_del(rc, child), 0);
	ASSERT_TRUE("alive", root_alive(rc, "deleting a partition after its VICs"));
}

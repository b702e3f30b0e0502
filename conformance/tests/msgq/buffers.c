/* msgqueue_send/receive buffers through the caller's stage 1 and stage 2: unmapped, read-only,
 * Device, straddling pages (§4; deviation msgqueue_copy_errors). */
#include <humpy/arch.h>
#include <humpy/ipc.h>
#include <humpy/plat.h>

#define MQ_TEST(name) IPC_TEST(msgq, name, GH_API_FLAG0_MSGQUEUE, "msgqueue", false)
#define BUF_SIZE      GH_LIMIT_MSGQUEUE_RM_MSG_SIZE
#define BUF_STRADDLE  16 /* bytes of the buffer before the page boundary */

static u8 buf_tx[BUF_SIZE];

/* A queue holding one message of pattern seed (so a bad receive can be seen not to take it). */
static u64 buf_queue_with_msg(const struct root_caps *rc, u32 seed)
{
	u64 q = mq_make(rc, 2, BUF_SIZE);
	struct gh_ret r;

	if (q == GH_CAP_INVALID)
		return q;
	ipc_pattern(buf_tx, BUF_SIZE, seed);
	r = mq_send(q, BUF_SIZE, buf_tx, 0);
	if (r.x[0] != 0) {
		test_fail("fixture: send: x0 expected 0x0 got 0x%lx", r.x[0]);
		return GH_CAP_INVALID;
	}
	return q;
}

/* The first IPA past RAM that no DT node describes: unmapped at stage 2, Device at stage 1. */
static u64 buf_stage2_hole(void)
{
	u64 end = 0;
	unsigned i;

	for (i = 0; i < plat.n_ram; i++) {
		if (plat.ram_base[i] + plat.ram_size[i] > end)
			end = plat.ram_base[i] + plat.ram_size[i];
	}
	if (end == 0 || end + MMU_PAGE > MMU_IDENT_LIMIT || plat_addr_described(end, MMU_PAGE)) {
		test_error("no IPA past RAM that the device tree leaves undescribed");
		return 0;
	}
	return end;
}

/* Send from va must be ADDR_INVALID and queue nothing. */
static void buf_send_refused(const struct root_caps *rc, u64 va)
{
	u64 q = mq_make(rc, 2, BUF_SIZE);
	u8 rx[BUF_SIZE];

	RETURN_IF_FAILED();
	ASSERT_EQ("send", hc(GH_HVC_MSGQUEUE_SEND, q, BUF_SIZE, va, 0, 0).x[0], E(ADDR_INVALID));
	ASSERT_RESULT2("receive after", mq_recv(q, rx, BUF_SIZE), E(MSGQUEUE_EMPTY), 0, 0);
}

/* Receive into va must be ADDR_INVALID and leave the message queued. */
static void buf_receive_refused(const struct root_caps *rc, u64 va)
{
	u64 q = buf_queue_with_msg(rc, 41);

	RETURN_IF_FAILED();
	ASSERT_EQ("receive", hc(GH_HVC_MSGQUEUE_RECEIVE, q, va, BUF_SIZE, 0, 0).x[0],
	          E(ADDR_INVALID));
	if (!mq_expect_msg("receive the kept message", q, BUF_SIZE, 41, 0))
		return;
}

/* Proves a send buffer unmapped at stage 1 is ADDR_INVALID, nothing queued (§4). */
MQ_TEST(send_unmapped_stage1)
{
	mmu_test_map(0, 0, MMU_TEST_UNMAPPED);
	buf_send_refused(rc, mmu_test_va(0));
}

/* Proves a receive buffer unmapped at stage 1 is ADDR_INVALID, the message kept (§4). */
MQ_TEST(receive_unmapped_stage1)
{
	mmu_test_map(0, 0, MMU_TEST_UNMAPPED);
	buf_receive_refused(rc, mmu_test_va(0));
}

/* Proves a send buffer whose IPA stage 2 does not map is ADDR_INVALID, nothing queued (§4). */
MQ_TEST(send_unmapped_stage2)
{
	u64 ipa = buf_stage2_hole();

	if (ipa)
		buf_send_refused(rc, ipa);
}

/* Proves a receive buffer whose IPA stage 2 does not map is ADDR_INVALID, the message kept (§4). */
MQ_TEST(receive_unmapped_stage2)
{
	u64 ipa = buf_stage2_hole();

	if (ipa)
		buf_receive_refused(rc, ipa);
}

/* Proves a send buffer that runs from a mapped page into an unmapped one is ADDR_INVALID (§4). */
MQ_TEST(send_straddle_unmapped)
{
	mmu_test_map(1, 1, MMU_TEST_UNMAPPED);
	ipc_pattern(mmu_test_backing(0) + MMU_PAGE - BUF_STRADDLE, BUF_STRADDLE, 1);
	buf_send_refused(rc, mmu_test_va(1) - BUF_STRADDLE);
}

/* Proves a receive buffer that runs into an unmapped page is ADDR_INVALID, the message kept (§4).
 */
MQ_TEST(receive_straddle_unmapped)
{
	mmu_test_map(1, 1, MMU_TEST_UNMAPPED);
	buf_receive_refused(rc, mmu_test_va(1) - BUF_STRADDLE);
}

/* Proves a read-only receive buffer is ADDR_INVALID, the message kept, the page unchanged (§4). */
MQ_TEST(receive_readonly)
{
	memset(mmu_test_backing(2), IPC_POISON, MMU_PAGE);
	mmu_test_map(2, 2, MMU_TEST_RO);
	buf_receive_refused(rc, mmu_test_va(2));
	RETURN_IF_FAILED();
	if (!ipc_bytes_are("read-only page after", mmu_test_backing(2), BUF_SIZE, IPC_POISON))
		return;
}

/* Proves a read-only send buffer is fine: the message arrives byte-exact (§4: send only reads). */
MQ_TEST(send_readonly)
{
	u64 q = mq_make(rc, 2, BUF_SIZE);

	RETURN_IF_FAILED();
	ipc_pattern(mmu_test_backing(2), BUF_SIZE, 42);
	mmu_test_map(2, 2, MMU_TEST_RO);
	ASSERT_RESULT("send", hc(GH_HVC_MSGQUEUE_SEND, q, BUF_SIZE, mmu_test_va(2), 0, 0), 0, 1);
	if (!mq_expect_msg("receive", q, BUF_SIZE, 42, 0))
		return;
}

/* Proves the copy follows the caller's stage 1, not VA = IPA: a send buffer across two window
 * pages mapped to non-adjacent RAM pages arrives byte-exact (§4). */
MQ_TEST(send_straddle_mapped)
{
	u64 q = mq_make(rc, 2, BUF_SIZE);

	RETURN_IF_FAILED();
	ipc_pattern(buf_tx, BUF_SIZE, 43);
	mmu_test_map(0, 5, MMU_TEST_RW);
	mmu_test_map(1, 3, MMU_TEST_RW);
	memcpy(mmu_test_backing(5) + MMU_PAGE - BUF_STRADDLE, buf_tx, BUF_STRADDLE);
	memcpy(mmu_test_backing(3), buf_tx + BUF_STRADDLE, BUF_SIZE - BUF_STRADDLE);
	ASSERT_RESULT("send",
	              hc(GH_HVC_MSGQUEUE_SEND, q, BUF_SIZE, mmu_test_va(1) - BUF_STRADDLE, 0, 0), 0,
	              1);
	if (!mq_expect_msg("receive", q, BUF_SIZE, 43, 0))
		return;
}

/* Proves a receive buffer across two window pages mapped to non-adjacent RAM pages gets the
 * message split exactly at the page boundary (§4). */
MQ_TEST(receive_straddle_mapped)
{
	u64 q = buf_queue_with_msg(rc, 44);

	RETURN_IF_FAILED();
	mmu_test_map(0, 6, MMU_TEST_RW);
	mmu_test_map(1, 4, MMU_TEST_RW);
	memset(mmu_test_backing(6), IPC_POISON, MMU_PAGE);
	memset(mmu_test_backing(4), IPC_POISON, MMU_PAGE);
	ASSERT_RESULT2(
	    "receive",
	    hc(GH_HVC_MSGQUEUE_RECEIVE, q, mmu_test_va(1) - BUF_STRADDLE, BUF_SIZE, 0, 0), 0,
	    BUF_SIZE, 0);
	ipc_pattern(buf_tx, BUF_SIZE, 44);
	ASSERT_TRUE("first part (RAM page 6)", memcmp(mmu_test_backing(6) + MMU_PAGE - BUF_STRADDLE,
	                                              buf_tx, BUF_STRADDLE) == 0);
	ASSERT_TRUE("second part (RAM page 4)", memcmp(mmu_test_backing(4), buf_tx + BUF_STRADDLE,
	                                               BUF_SIZE - BUF_STRADDLE) == 0);
	ASSERT_EQ("byte before", mmu_test_backing(6)[MMU_PAGE - BUF_STRADDLE - 1], IPC_POISON);
	ASSERT_EQ("byte after", mmu_test_backing(4)[BUF_SIZE - BUF_STRADDLE], IPC_POISON);
}

/* Proves a send buffer mapped Device at stage 1 (over RAM) is copied byte-exact (deviation
 * msgqueue_copy_errors: translation as any other). */
MQ_TEST(send_device)
{
	u64 q = mq_make(rc, 2, BUF_SIZE);

	RETURN_IF_FAILED();
	ipc_pattern(mmu_test_backing(2), BUF_SIZE, 45);
	dsb(sy);
	mmu_test_map(2, 2, MMU_TEST_DEVICE);
	ASSERT_RESULT("send", hc(GH_HVC_MSGQUEUE_SEND, q, BUF_SIZE, mmu_test_va(2), 0, 0), 0, 1);
	if (!mq_expect_msg("receive", q, BUF_SIZE, 45, 0))
		return;
}

/* Proves a receive buffer mapped Device at stage 1 (over RAM) gets the message byte-exact
 * (deviation msgqueue_copy_errors). */
MQ_TEST(receive_device)
{
	u64 q = buf_queue_with_msg(rc, 46);

	RETURN_IF_FAILED();
	memset(mmu_test_backing(2), IPC_POISON, MMU_PAGE);
	mmu_test_map(2, 2, MMU_TEST_DEVICE);
	ASSERT_RESULT2("receive", hc(GH_HVC_MSGQUEUE_RECEIVE, q, mmu_test_va(2), BUF_SIZE, 0, 0), 0,
	               BUF_SIZE, 0);
	if (!ipc_pattern_ok("received", mmu_test_backing(2), BUF_SIZE, 46))
		return;
	ASSERT_EQ("byte after", mmu_test_backing(2)[BUF_SIZE], IPC_POISON);
}

/* Proves a send buffer in an emulated device's frame (the GIC distributor, not memory) is
 * ADDR_INVALID and queues nothing (§4: copies only from guest memory). */
MQ_TEST(send_device_mmio)
{
	buf_send_refused(rc, plat.gicd);
}

/* Proves a send buffer in a device the VM owns (its console UART, mapped at stage 2 but not
 * memory) is ADDR_INVALID and queues nothing: the hypervisor never reads a device on the guest's
 * behalf (a PL011 read of DR would take a character from the guest's console). */
MQ_TEST(send_device_passthrough)
{
	buf_send_refused(rc, plat.uart);
}

/* Proves a receive buffer in the VM's own console UART is ADDR_INVALID and the message stays
 * queued: nothing is written to the device. */
MQ_TEST(receive_device_passthrough)
{
	buf_receive_refused(rc, plat.uart);
}

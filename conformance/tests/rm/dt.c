/* The /hypervisor node the RM writes into the primary VM's device tree (reference §6 Transport,
 * §10, §13): compatibles, the cap IDs in reg and the VIRQs in interrupts, each checked by use. */
#include <humpy/fdt.h>
#include <humpy/ipc.h>
#include <humpy/plat.h>
#include <humpy/rm_rpc.h>

/* FAILs unless node's compatible list holds compat. */
#define ASSERT_COMPATIBLE(what, node, compat)                                                      \
	ASSERT_TRUE(what " is not compatible with \"" compat "\"",                                 \
	            fdt_is_compatible((node), (compat)))

/* Proves /hypervisor is "qcom,gunyah-hypervisor" with #address-cells 2, #size-cells 0 (§10). */
RM_TEST(dt_hypervisor_node)
{
	u32 ac = 0, sc = 1;

	ASSERT_COMPATIBLE("/hypervisor", rm->hyp, GH_RM_DT_HYPERVISOR_COMPATIBLE);
	ASSERT_TRUE("/hypervisor has no #address-cells",
	            fdt_prop_u32(rm->hyp, "#address-cells", &ac));
	ASSERT_TRUE("/hypervisor has no #size-cells", fdt_prop_u32(rm->hyp, "#size-cells", &sc));
	ASSERT_EQ("/hypervisor #address-cells", ac, GH_RM_DT_CELLS_ADDRESS);
	ASSERT_EQ("/hypervisor #size-cells", sc, GH_RM_DT_CELLS_SIZE);
}

/* Proves the RM started this VM as the boot protocol says (conformance/PROTOCOL.md; reference §10,
 * §13: x0 = the device tree's IPA): x0 at entry was the address of the tree this /hypervisor node
 * is in, so the guest did not need its fixed-address fallback. */
RM_TEST(dt_passed_in_x0)
{
	ASSERT_TRUE("a device tree was found", plat.dtb != 0);
	ASSERT_EQ("x0 at entry (the device tree's address)", plat.boot_x0, plat.dtb);
}

/* Proves the RPC node carries all three compatibles and sits under /hypervisor (§6 Transport). */
RM_TEST(dt_rpc_compatible)
{
	ASSERT_COMPATIBLE("the RPC node", rm->node, GH_RM_DT_COMPATIBLE);
	ASSERT_COMPATIBLE("the RPC node", rm->node, GH_RM_DT_COMPATIBLE_VERSIONED);
	ASSERT_COMPATIBLE("the RPC node", rm->node, GH_RM_DT_COMPATIBLE_GUNYAH);
	ASSERT_EQ("parent of the RPC node", fdt_parent(rm->node), rm->hyp);
}

/* Proves reg is exactly two 64-bit cap IDs, distinct and of a form a cspace can hand out (§6, §7).
 */
RM_TEST(dt_reg_two_caps)
{
	u32 len = 0;

	ASSERT_TRUE("the RPC node has no reg", fdt_prop(rm->node, "reg", &len) != NULL);
	ASSERT_EQ("reg length (two caps of 2 cells)", len, 2 * GH_RM_DT_CELLS_ADDRESS * 4);
	ASSERT_NE("TX cap = RX cap", rm->tx_cap, rm->rx_cap);
	ASSERT_TRUE("TX cap is in the never-valid range",
	            (rm->tx_cap >> 32) < GH_CAP_NEVER_VALID_HIGH32_MIN);
	ASSERT_TRUE("RX cap is in the never-valid range",
	            (rm->rx_cap >> 32) < GH_CAP_NEVER_VALID_HIGH32_MIN);
}

/* Proves reg[0] names a message queue this VM may send on whose messages hold exactly
 * qcom,tx-message-size bytes: one byte more is ARGUMENT_SIZE, which comes only after the cap lookup
 * with the send right succeeded, and queues nothing (§4, §2 msgqueue_send). */
RM_TEST(dt_tx_cap_sends)
{
	static u8 big[GH_LIMIT_MSGQUEUE_MAX_MSG_SIZE + 1];
	struct gh_ret r;

	ASSERT_EQ("qcom,tx-message-size", rm->tx_msg_size, GH_RM_MESSAGE_SIZE);
	rm_header(big, GH_RM_MSG_TYPE_REQUEST, 0, rm_next_seq(), GH_RM_IDS_VM_GET_VMID);
	r = hc(GH_HVC_MSGQUEUE_SEND, rm->tx_cap, rm->tx_msg_size + 1, (u64)(uintptr_t)big, 1, 0);
	ASSERT_EQ("msgqueue_send(TX cap, message size + 1 bytes) x0", r.x[0], E(ARGUMENT_SIZE));
	ASSERT_TRUE("the RM answered a message the queue refused", rm_quiet(RM_QUIET_MS));
	rm_expect_alive("after the refused send");
}

/* Proves reg[1] names a message queue this VM receives from: with nothing pending, receive is
 * MSGQUEUE_EMPTY with size 0 and not_empty 0 (§4). */
RM_TEST(dt_rx_cap_receives)
{
	static u8 buf[GH_RM_MESSAGE_SIZE];

	ASSERT_RESULT2(
	    "msgqueue_receive(RX cap) on an idle channel",
	    hc(GH_HVC_MSGQUEUE_RECEIVE, rm->rx_cap, (u64)(uintptr_t)buf, sizeof(buf), 0, 0),
	    E(MSGQUEUE_EMPTY), 0, 0);
}

/* Proves a message put on the TX cap reaches the RM and its answer comes back on the RX cap: the
 * caps are the two ends of one channel, TX first (§6 Transport). */
RM_TEST(dt_caps_are_a_pair)
{
	struct rm_msg m;
	u16 seq = rm_next_seq();

	if (!rm_expect_io("VM_GET_VMID over reg[0] / reg[1]",
	                  rm_call(GH_RM_IDS_VM_GET_VMID, seq, NULL, 0, &m)))
		return;
	rm_expect_reply("VM_GET_VMID", &m, GH_RM_IDS_VM_GET_VMID, seq, GH_RM_ERRORS_OK, 8);
}

/* Proves interrupts holds two SPIs, TX then RX, distinct, inside the GIC's SPI range, level-high
 * or edge-rising (§6 Transport, §13: two SPIs). */
RM_TEST(dt_virqs_in_range)
{
	u64 end = ipc_virq_end();

	ASSERT_EQ("TX VIRQ cell 0 (SPI)", rm->irq_cells[0][0], GH_RM_DT_CELLS_SPI_TYPE);
	ASSERT_EQ("RX VIRQ cell 0 (SPI)", rm->irq_cells[1][0], GH_RM_DT_CELLS_SPI_TYPE);
	ASSERT_NE("TX VIRQ = RX VIRQ", rm->tx_intid, rm->rx_intid);
	ASSERT_TRUE("TX VIRQ past the GIC's last SPI", rm->tx_intid < end);
	ASSERT_TRUE("RX VIRQ past the GIC's last SPI", rm->rx_intid < end);
	ASSERT_TRUE("TX VIRQ trigger is neither edge-rising (1) nor level-high (4)",
	            rm->irq_cells[0][2] == 1 || rm->irq_cells[0][2] == 4);
	ASSERT_TRUE("RX VIRQ trigger is neither edge-rising (1) nor level-high (4)",
	            rm->irq_cells[1][2] == 1 || rm->irq_cells[1][2] == 4);
}

/* FAILs if the RX VIRQ was taken with nothing in the RX queue (§4: the receive VIRQ is level,
 * pending only while the queue holds at least the not-empty threshold). */
static bool rx_virq_quiet(const struct rm_chan *rm, const char *when)
{
	static u8 buf[GH_RM_MESSAGE_SIZE];
	struct gh_ret r;

	irq_settle(IPC_IRQ_QUIET_MS);
	if (irq_count(rm->rx_intid) == 0)
		return true;
	r = hc(GH_HVC_MSGQUEUE_RECEIVE, rm->rx_cap, (u64)(uintptr_t)buf, sizeof(buf), 0, 0);
	if (r.x[0] == E(MSGQUEUE_EMPTY))
		test_fail(
		    "RX VIRQ taken %u time(s) %s with the RX queue empty (§4: level, pending only "
		    "while the queue holds a message)",
		    irq_count(rm->rx_intid), when);
	else
		test_fail("RX VIRQ taken %s: a message was waiting (receive x0 0x%lx)", when,
		          r.x[0]);
	return false;
}

/* Proves the RX VIRQ of the tree is the one the RM's reply asserts: enabled in the guest's GIC with
 * the queue empty it is not taken; once a request is answered it is, and the reply is then in the
 * queue (§4, §6 Transport). */
RM_TEST(rx_virq_on_reply)
{
	struct rm_msg m;
	u16 seq = rm_next_seq();

	ASSERT_TRUE(IPC_NO_IRQ_REASON, irq_ready());
	ASSERT_TRUE("irq_enable(RX VIRQ)", irq_enable(rm->rx_intid));
	if (!rx_virq_quiet(rm, "before any request"))
		return;
	if (!rm_expect_io("send VM_GET_VMID",
	                  rm_send(GH_RM_MSG_TYPE_REQUEST, GH_RM_IDS_VM_GET_VMID, seq, NULL, 0)))
		return;
	ASSERT_TRUE("RX VIRQ not taken within RM_REPLY_MS of the request",
	            irq_wait(rm->rx_intid, 1, RM_REPLY_MS));
	if (!rm_expect_io("receive the reply", rm_recv(&m, RM_REPLY_MS)))
		return;
	rm_expect_reply("VM_GET_VMID", &m, GH_RM_IDS_VM_GET_VMID, seq, GH_RM_ERRORS_OK, 8);
}

/* Proves a reply received while the RX VIRQ is disabled leaves nothing pending: enabled after the
 * queue is drained, the VIRQ is not taken (§4: level semantics). */
RM_TEST(rx_virq_clears_when_drained)
{
	ASSERT_TRUE(IPC_NO_IRQ_REASON, irq_ready());
	if (!rm_expect_alive("VM_GET_VMID with the RX VIRQ disabled"))
		return;
	ASSERT_TRUE("irq_enable(RX VIRQ)", irq_enable(rm->rx_intid));
	rx_virq_quiet(rm, "after the reply was received");
}

/* Proves the queue properties: message size 240 both ways, depths, full duplex (§10). */
RM_TEST(dt_queue_properties)
{
	u32 depth = 0;

	ASSERT_EQ("qcom,tx-message-size", rm->tx_msg_size, GH_RM_MESSAGE_SIZE);
	ASSERT_EQ("qcom,rx-message-size", rm->rx_msg_size, GH_RM_MESSAGE_SIZE);
	ASSERT_TRUE("no qcom,tx-queue-depth",
	            fdt_prop_u32(rm->node, GH_RM_DT_TX_QUEUE_DEPTH, &depth));
	ASSERT_EQ("qcom,tx-queue-depth", depth, GH_RM_MESSAGE_QUEUE_DEPTH);
	ASSERT_TRUE("no qcom,rx-queue-depth",
	            fdt_prop_u32(rm->node, GH_RM_DT_RX_QUEUE_DEPTH, &depth));
	ASSERT_EQ("qcom,rx-queue-depth", depth, GH_RM_MESSAGE_QUEUE_DEPTH);
	ASSERT_TRUE("no qcom,is-full-duplex",
	            fdt_prop(rm->node, GH_RM_DT_FULL_DUPLEX, &depth) != NULL);
}

/* Proves the vm-id node: compatible "qcom,gunyah-vm-id", qcom,vmid 3 (the primary VM), vendor
 * "Qualcomm" (§10, §13). */
RM_TEST(dt_vm_id_node)
{
	const char *vendor;

	ASSERT_TRUE("no node compatible with " GH_RM_DT_VM_ID_COMPATIBLE, rm->vmid_node >= 0);
	ASSERT_EQ("parent of the vm-id node", fdt_parent(rm->vmid_node), rm->hyp);
	ASSERT_EQ(GH_RM_DT_VMID_PROP, rm->vmid, GH_RM_VMID_PRIMARY);
	vendor = fdt_prop_str(rm->vmid_node, GH_RM_DT_VENDOR_PROP);
	ASSERT_TRUE("no " GH_RM_DT_VENDOR_PROP " string", vendor != NULL);
	ASSERT_STREQ(GH_RM_DT_VENDOR_PROP, vendor, GH_RM_DT_VENDOR);
}

/* Proves the node names §10 gives: the RPC node "qcom,resource-manager-rpc@<TX cap in hex>", the
 * vm-id node "qcom,gunyah-vm", and /hypervisor also "simple-bus" so its children are devices. */
RM_TEST(dt_node_names)
{
	char want[64];

	snprintf(want, sizeof(want), "%s%lx", GH_RM_DT_RPC_NODE_PREFIX, rm->tx_cap);
	ASSERT_STREQ("RPC node name", fdt_node_name(rm->node), want);
	ASSERT_TRUE("no node compatible with " GH_RM_DT_VM_ID_COMPATIBLE, rm->vmid_node >= 0);
	ASSERT_STREQ("vm-id node name", fdt_node_name(rm->vmid_node), GH_RM_DT_VM_NODE_NAME);
	ASSERT_COMPATIBLE("/hypervisor", rm->hyp, GH_RM_DT_HYPERVISOR_BUS);
}

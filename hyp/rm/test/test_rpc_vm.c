/* hyp/rm/test/test_rpc_vm.c: VM_GET_VMID, VM_GET_HYP_RESOURCES, VM_GET_STATE, VM_SET_STATUS,
 * VM_EXIT and the VM_STATUS / VM_EXITED notifications, with exact reply bytes. */
#include "rpc_test.h"

static void vmid_req(uint8_t *req, uint16_t vmid, uint16_t reserved)
{
	rm_rpc_put16(req, vmid);
	rm_rpc_put16(req + 2, reserved);
}

/* VM_GET_VMID takes no payload: one byte more is MSG_INVALID. */
RPC_TEST(vm_get_vmid_payload_invalid)
{
	struct rt_world *w = rt_world_new(&rm_rpc_pure_table);
	uint8_t req[4] = {0};

	CHECK_EQ(RM_ERROR_MSG_INVALID, rt_call(w, 0, RM_VM_GET_VMID, req, 1, NULL, 0, NULL));
	CHECK_EQ(RM_ERROR_MSG_INVALID, rt_call(w, 0, RM_VM_GET_VMID, req, 4, NULL, 0, NULL));
	rt_world_free(w);
}

/* The primary's resources, each 44-byte entry byte for byte (§6 field order). */
RPC_TEST(vm_get_hyp_resources_exact_bytes)
{
	struct rt_world *w = rt_world_new(&rm_rpc_pure_table);
	uint8_t req[4], out[4 + 16 * 44];
	size_t len = 0;
	static const uint8_t want_tx[44] = {RM_RES_MSGQ_TX,
	                                    0,
	                                    0xFF,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0x44,
	                                    0x44,
	                                    0x33,
	                                    0x33,
	                                    0x22,
	                                    0x22,
	                                    0x11,
	                                    0x11, /* cap_id */
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    45,
	                                    0,
	                                    0,
	                                    0, /* virq_handle, virq */
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0};
	static const uint8_t want_db[44] = {RM_RES_DOORBELL_TX,
	                                    0,
	                                    0x80,
	                                    0,
	                                    7,
	                                    0,
	                                    0,
	                                    0,
	                                    0xCD,
	                                    0xAB,
	                                    0,
	                                    0,
	                                    0xAA,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0,
	                                    0};

	vmid_req(req, 0, 0);
	CHECK_EQ(RM_OK, rt_call(w, 0, RM_VM_GET_HYP_RESOURCES, req, 4, out, sizeof(out), &len));
	CHECK_EQ(4 + 4 * 44, len);
	CHECK_EQ(4, rm_rpc_get32(out));
	CHECK_BYTES(want_tx, out + 4, 44);
	CHECK_EQ(RM_RES_MSGQ_RX, out[4 + 44]);
	CHECK_EQ(0x5555666677778888ull, rm_rpc_get64(out + 4 + 44 + 12));
	CHECK_EQ(46, rm_rpc_get32(out + 4 + 44 + 24));
	CHECK_EQ(RM_RES_VCPU, out[4 + 88]);
	CHECK_EQ(0x99, rm_rpc_get64(out + 4 + 88 + 12));
	CHECK_BYTES(want_db, out + 4 + 132, 44);
	/* Its own VMID names the same list. */
	vmid_req(req, RT_PRIMARY, 0);
	CHECK_EQ(RM_OK, rt_call(w, 0, RM_VM_GET_HYP_RESOURCES, req, 4, out, sizeof(out), &len));
	CHECK_EQ(4 + 4 * 44, len);
	/* The peer's VMID: only the entries whose partner it is. */
	vmid_req(req, RT_PEER, 0);
	CHECK_EQ(RM_OK, rt_call(w, 0, RM_VM_GET_HYP_RESOURCES, req, 4, out, sizeof(out), &len));
	CHECK_EQ(4 + 44, len);
	CHECK_EQ(1, rm_rpc_get32(out));
	CHECK_BYTES(want_db, out + 4, 44);
	/* The peer holds nothing. */
	vmid_req(req, 0, 0);
	CHECK_EQ(RM_OK, rt_call(w, 1, RM_VM_GET_HYP_RESOURCES, req, 4, out, sizeof(out), &len));
	CHECK_EQ(4, len);
	CHECK_EQ(0, rm_rpc_get32(out));
	rt_world_free(w);
}

/* VM_GET_HYP_RESOURCES: length must be 4; an unknown VMID is VMID_INVALID. */
RPC_TEST(vm_get_hyp_resources_errors)
{
	struct rt_world *w = rt_world_new(&rm_rpc_pure_table);
	uint8_t req[8] = {0};

	CHECK_EQ(RM_ERROR_MSG_INVALID,
	         rt_call(w, 0, RM_VM_GET_HYP_RESOURCES, req, 0, NULL, 0, NULL));
	CHECK_EQ(RM_ERROR_MSG_INVALID,
	         rt_call(w, 0, RM_VM_GET_HYP_RESOURCES, req, 3, NULL, 0, NULL));
	CHECK_EQ(RM_ERROR_MSG_INVALID,
	         rt_call(w, 0, RM_VM_GET_HYP_RESOURCES, req, 5, NULL, 0, NULL));
	CHECK_EQ(RM_ERROR_MSG_INVALID,
	         rt_call(w, 0, RM_VM_GET_HYP_RESOURCES, req, 8, NULL, 0, NULL));
	vmid_req(req, 0x42, 0);
	CHECK_EQ(RM_ERROR_VMID_INVALID,
	         rt_call(w, 0, RM_VM_GET_HYP_RESOURCES, req, 4, NULL, 0, NULL));
	vmid_req(req, 0xFFFF, 0);
	CHECK_EQ(RM_ERROR_VMID_INVALID,
	         rt_call(w, 0, RM_VM_GET_HYP_RESOURCES, req, 4, NULL, 0, NULL));
	rt_world_free(w);
}

/* VM_GET_STATE: u32 vm_status | os << 8 | app << 16 for itself (0 or own VMID) and for a VM it
 * owns; DENIED for a VM it neither is nor owns; NORESOURCE for an unknown VMID. */
RPC_TEST(vm_get_state)
{
	struct rt_world *w = rt_world_new(&rm_rpc_pure_table);
	struct rm_vm *peer = rm_vm_lookup(&w->vms, RT_PEER);
	uint8_t req[4], out[4];
	size_t len = 0;

	peer->os_status = RM_OS_STATUS_BOOT;
	peer->app_status = 0xBEEF;
	vmid_req(req, 0, 0);
	CHECK_EQ(RM_OK, rt_call(w, 0, RM_VM_GET_STATE, req, 4, out, 4, &len));
	CHECK_EQ(4, len);
	CHECK_EQ(0x00000003, rm_rpc_get32(out));
	vmid_req(req, RT_PEER, 0);
	CHECK_EQ(RM_OK, rt_call(w, 0, RM_VM_GET_STATE, req, 4, out, 4, &len));
	CHECK_EQ(0xBEEF0203, rm_rpc_get32(out));
	vmid_req(req, 0, 0);
	CHECK_EQ(RM_OK, rt_call(w, 1, RM_VM_GET_STATE, req, 4, out, 4, &len));
	CHECK_EQ(0xBEEF0203, rm_rpc_get32(out));
	vmid_req(req, RT_PRIMARY, 0);
	CHECK_EQ(RM_ERROR_DENIED, rt_call(w, 1, RM_VM_GET_STATE, req, 4, NULL, 0, NULL));
	vmid_req(req, 0x42, 0);
	CHECK_EQ(RM_ERROR_NORESOURCE, rt_call(w, 0, RM_VM_GET_STATE, req, 4, NULL, 0, NULL));
	CHECK_EQ(RM_ERROR_MSG_INVALID, rt_call(w, 0, RM_VM_GET_STATE, req, 2, NULL, 0, NULL));
	rt_world_free(w);
}

/* VM_SET_STATUS: os/app status stored (os 0 keeps the old one, byte 0 ignored) and reported to
 * the owner as VM_STATUS {vmid, 0, vm, os, app}; os > 7 is ARGUMENT_INVALID and changes nothing.
 */
RPC_TEST(vm_set_status_notifies_owner)
{
	struct rt_world *w = rt_world_new(&rm_rpc_pure_table);
	struct rm_vm *peer = rm_vm_lookup(&w->vms, RT_PEER);
	uint8_t req[4] = {RM_VM_STATUS_EXITED, RM_OS_STATUS_RUN, 0x34, 0x12};
	uint8_t out[16];
	static const uint8_t want[8] = {0x80, 0x00, 0x00, 0x00, 0x03, 0x04, 0x34, 0x12};
	size_t at = 0;

	CHECK_EQ(RM_OK, rt_call(w, 1, RM_VM_SET_STATUS, req, 4, NULL, 0, NULL));
	CHECK_EQ(RM_VM_STATUS_RUNNING, peer->vm_status);
	CHECK_EQ(RM_OS_STATUS_RUN, peer->os_status);
	CHECK_EQ(0x1234, peer->app_status);
	CHECK_EQ(1, w->chan[0].n);
	CHECK_EQ(8, rt_take(&w->chan[0], &at, RM_RPC_TYPE_NOTIFICATION, 0, RM_NOTIFY_VM_STATUS, out,
	                    sizeof(out)));
	CHECK_BYTES(want, out, 8);
	/* os 0: unchanged; app replaced. */
	req[1] = RM_OS_STATUS_NONE;
	req[2] = 0x01;
	req[3] = 0x00;
	CHECK_EQ(RM_OK, rt_call(w, 1, RM_VM_SET_STATUS, req, 4, NULL, 0, NULL));
	CHECK_EQ(RM_OS_STATUS_RUN, peer->os_status);
	CHECK_EQ(1, peer->app_status);
	CHECK_EQ(8, rt_take(&w->chan[0], &at, RM_RPC_TYPE_NOTIFICATION, 1, RM_NOTIFY_VM_STATUS, out,
	                    sizeof(out)));
	/* Invalid os status, wrong lengths. */
	req[1] = 8;
	CHECK_EQ(RM_ERROR_ARGUMENT_INVALID, rt_call(w, 1, RM_VM_SET_STATUS, req, 4, NULL, 0, NULL));
	CHECK_EQ(RM_ERROR_MSG_INVALID, rt_call(w, 1, RM_VM_SET_STATUS, req, 3, NULL, 0, NULL));
	CHECK_EQ(RM_OS_STATUS_RUN, peer->os_status);
	CHECK_EQ(2, w->chan[0].n);
	/* The primary's owner is the RM: its own status changes notify nobody, GET_STATE shows
	 * them.
	 */
	req[1] = RM_OS_STATUS_BOOT;
	CHECK_EQ(RM_OK, rt_call(w, 0, RM_VM_SET_STATUS, req, 4, NULL, 0, NULL));
	vmid_req(req, 0, 0);
	CHECK_EQ(RM_OK, rt_call(w, 0, RM_VM_GET_STATE, req, 4, out, 4, NULL));
	CHECK_EQ(0x00010203, rm_rpc_get32(out));
	CHECK_EQ(4, w->chan[1].n); /* the peer's four replies, no notification */
	rt_world_free(w);
}

/* VM_EXIT from the peer: ops->vm_exit stops it, the owner gets VM_STATUS (exited) then
 * VM_EXITED {0x80, VM_EXIT, 4, flags | code << 16}; a second exit is VM_STATE. */
RPC_TEST(vm_exit_notifies_owner)
{
	struct rt_world *w = rt_world_new(&rm_rpc_pure_table);
	struct rm_vm *peer = rm_vm_lookup(&w->vms, RT_PEER);
	uint8_t req[4] = {0x02, 0x01, RM_EXIT_CODE_BUS_ERROR, 0};
	uint8_t out[32];
	static const uint8_t want_status[8] = {0x80, 0, 0, 0, RM_VM_STATUS_EXITED, 0, 0, 0};
	static const uint8_t want_exited[12] = {0x80, 0, 0, 0, 4, 0, 0, 0, 0x02, 0x01, 0x02, 0};
	size_t at = 0;

	CHECK_EQ(RM_OK, rt_call(w, 1, RM_VM_EXIT, req, 4, NULL, 0, NULL));
	CHECK_EQ(1, w->exits);
	CHECK_EQ(RT_PEER, w->exit_vmid);
	CHECK_EQ(RM_VM_STATUS_EXITED, peer->vm_status);
	CHECK_EQ(2, w->chan[0].n);
	CHECK_EQ(8, rt_take(&w->chan[0], &at, RM_RPC_TYPE_NOTIFICATION, 0, RM_NOTIFY_VM_STATUS, out,
	                    sizeof(out)));
	CHECK_BYTES(want_status, out, 8);
	CHECK_EQ(12, rt_take(&w->chan[0], &at, RM_RPC_TYPE_NOTIFICATION, 1, RM_NOTIFY_VM_EXITED,
	                     out, sizeof(out)));
	CHECK_BYTES(want_exited, out, 12);
	CHECK_EQ(RM_ERROR_VM_STATE, rt_call(w, 1, RM_VM_EXIT, req, 4, NULL, 0, NULL));
	CHECK_EQ(1, w->exits);
	CHECK_EQ(2, w->chan[0].n);
	rt_world_free(w);
}

/* VM_EXIT: malformed requests change nothing; a refused stop is passed on and the VM runs on. */
RPC_TEST(vm_exit_errors)
{
	struct rt_world *w = rt_world_new(&rm_rpc_pure_table);
	struct rm_vm *peer = rm_vm_lookup(&w->vms, RT_PEER);
	uint8_t req[4] = {0, 0, 4, 0};

	CHECK_EQ(RM_ERROR_MSG_INVALID, rt_call(w, 1, RM_VM_EXIT, req, 4, NULL, 0, NULL));
	req[2] = 0;
	req[3] = 1;
	CHECK_EQ(RM_ERROR_MSG_INVALID, rt_call(w, 1, RM_VM_EXIT, req, 4, NULL, 0, NULL));
	req[3] = 0;
	CHECK_EQ(RM_ERROR_MSG_INVALID, rt_call(w, 1, RM_VM_EXIT, req, 0, NULL, 0, NULL));
	CHECK_EQ(0, w->exits);
	w->exit_err = RM_ERROR_DENIED;
	CHECK_EQ(RM_ERROR_DENIED, rt_call(w, 1, RM_VM_EXIT, req, 4, NULL, 0, NULL));
	CHECK_EQ(1, w->exits);
	CHECK_EQ(RM_VM_STATUS_RUNNING, peer->vm_status);
	CHECK_EQ(0, w->chan[0].n);
	rt_world_free(w);
}

/* The table: add, lookup, remove, full; status changes of a VM with an owner channel notify it.
 */
RPC_TEST(vm_table_bookkeeping)
{
	struct rt_world *w = rt_world_new(&rm_rpc_pure_table);
	struct rm_vm *vm;
	struct rm_resource r = {0};
	size_t at = 0;
	uint8_t out[8];

	CHECK(rm_vm_add(&w->vms, RT_PEER, RT_PRIMARY) == NULL);
	vm = rm_vm_add(&w->vms, 0x81, RT_PRIMARY);
	CHECK(vm != NULL);
	CHECK(rm_vm_lookup(&w->vms, 0x81) == vm);
	rm_vm_set_status(&w->vms, vm, RM_VM_STATUS_READY);
	CHECK_EQ(8, rt_take(&w->chan[0], &at, RM_RPC_TYPE_NOTIFICATION, 0, RM_NOTIFY_VM_STATUS, out,
	                    sizeof(out)));
	CHECK_EQ(0x81, rm_rpc_get16(out));
	CHECK_EQ(RM_VM_STATUS_READY, out[4]);
	for (unsigned i = 0; i < RM_VM_MAX_RESOURCES; i++) {
		CHECK(rm_vm_add_resource(vm, &r));
	}
	CHECK(!rm_vm_add_resource(vm, &r));
	rm_vm_remove(&w->vms, vm);
	CHECK(rm_vm_lookup(&w->vms, 0x81) == NULL);
	for (unsigned i = 0; i < RM_VM_MAX - 2; i++) {
		CHECK(rm_vm_add(&w->vms, (uint16_t)(0x90 + i), RT_PRIMARY) != NULL);
	}
	CHECK(rm_vm_add(&w->vms, 0xA0, RT_PRIMARY) == NULL);
	rt_world_free(w);
}

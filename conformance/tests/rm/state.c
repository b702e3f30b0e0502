/* VM_GET_STATE, VM_SET_STATUS and the checks of VM_EXIT that leave the VM running (reference §6
 * Payload layouts: vm_status, os_status, app_status). */
#include <humpy/rm_rpc.h>

/* VM_SET_STATUS {u8 vm_status, u8 os_status, u16 app_status}: a 4-byte reply err. */
static bool set_status(const char *what, u8 vm_status, u8 os_status, u16 app, u32 err)
{
	u8 req[4];
	struct rm_msg m;

	req[0] = vm_status;
	req[1] = os_status;
	rm_put16(req + 2, app);
	return rm_expect_call(what, GH_RM_IDS_VM_SET_STATUS, req, sizeof(req), err, 4, &m);
}

/*
 * The first VM_SET_STATUS of a test: an RM that lets only secondary VMs report their status
 * answers the primary DENIED (the spec's rm.vm_set_status_primary; upstream does), and the test
 * SKIPs with RM_SET_STATUS_DENIED; anything else but OK FAILs.
 */
#define RM_SET_STATUS_DENIED "VM_SET_STATUS is DENIED to this VM"
static bool set_status_first(const char *what, u8 os_status, u16 app)
{
	u8 req[4];
	struct rm_msg m;
	u16 seq = rm_next_seq();

	req[0] = 0;
	req[1] = os_status;
	rm_put16(req + 2, app);
	if (!rm_expect_io(what, rm_call(GH_RM_IDS_VM_SET_STATUS, seq, req, sizeof(req), &m)))
		return false;
	if (m.type == GH_RM_MSG_TYPE_REPLY && m.len == 4 &&
	    rm_get32(m.payload) == GH_RM_ERRORS_DENIED &&
	    GH_RM_VM_SET_STATUS_PRIMARY_DENIED_ALLOWED) {
		test_skip(RM_SET_STATUS_DENIED);
		return false;
	}
	return rm_expect_reply(what, &m, GH_RM_IDS_VM_SET_STATUS, seq, GH_RM_ERRORS_OK, 4);
}

/* VM_GET_STATE {u16 vmid, u16 reserved}: OK, then u8 vm_status, u8 os_status, u16 app_status. */
static bool get_state(const char *what, u16 vmid, u8 vm_status, u8 os_status, u16 app)
{
	u8 req[4];
	struct rm_msg m;

	rm_put16(req, vmid);
	rm_put16(req + 2, 0);
	if (!rm_expect_call(what, GH_RM_IDS_VM_GET_STATE, req, sizeof(req), GH_RM_ERRORS_OK, 8, &m))
		return false;
	if (m.payload[4] != vm_status || m.payload[5] != os_status ||
	    rm_get16(m.payload + 6) != app) {
		test_fail("%s: vm_status %u os_status %u app_status 0x%x, expected %u %u 0x%x",
		          what, m.payload[4], m.payload[5], rm_get16(m.payload + 6), vm_status,
		          os_status, app);
		return false;
	}
	return true;
}

/* Proves VM_GET_STATE for this VM (VMID 0 = the caller) says RUNNING with the OS and application
 * status it last reported: VM_SET_STATUS(BOOT, 0x1234) then (RUN, 0) are read back exactly (§6). */
RM_TEST(vm_get_state_self)
{
	if (!set_status_first("VM_SET_STATUS(boot, 0x1234)", GH_RM_OS_STATUS_BOOT, 0x1234))
		return;
	if (!get_state("VM_GET_STATE(0)", 0, GH_RM_VM_STATUS_RUNNING, GH_RM_OS_STATUS_BOOT, 0x1234))
		return;
	if (!set_status("VM_SET_STATUS(run, 0)", 0, GH_RM_OS_STATUS_RUN, 0, GH_RM_ERRORS_OK))
		return;
	get_state("VM_GET_STATE(0)", 0, GH_RM_VM_STATUS_RUNNING, GH_RM_OS_STATUS_RUN, 0);
}

/* Proves VM_GET_STATE with the VM's own VMID answers as VMID 0 does (§6). */
RM_TEST(vm_get_state_own_vmid)
{
	if (!set_status_first("VM_SET_STATUS(run, 0x77)", GH_RM_OS_STATUS_RUN, 0x77))
		return;
	get_state("VM_GET_STATE(own VMID)", (u16)rm->vmid, GH_RM_VM_STATUS_RUNNING,
	          GH_RM_OS_STATUS_RUN, 0x77);
}

/* Proves os_status 0 (none) in VM_SET_STATUS keeps the OS status and still sets app_status (§6). */
RM_TEST(vm_set_status_os_none_keeps)
{
	if (!set_status_first("VM_SET_STATUS(init, 1)", GH_RM_OS_STATUS_INIT, 1))
		return;
	if (!set_status("VM_SET_STATUS(none, 5)", 0, GH_RM_OS_STATUS_NONE, 5, GH_RM_ERRORS_OK))
		return;
	get_state("VM_GET_STATE(0)", 0, GH_RM_VM_STATUS_RUNNING, GH_RM_OS_STATUS_INIT, 5);
}

/* Proves a VM cannot set its own vm_status: byte 0 of VM_SET_STATUS (here EXITED) is ignored and
 * the VM stays RUNNING (§6: vm_status is the RM's). */
RM_TEST(vm_set_status_vm_status_ignored)
{
	if (!set_status_first("VM_SET_STATUS(run, 0)", GH_RM_OS_STATUS_RUN, 0))
		return;
	if (!set_status("VM_SET_STATUS(vm_status exited, run, 0)", GH_RM_VM_STATUS_EXITED,
	                GH_RM_OS_STATUS_RUN, 0, GH_RM_ERRORS_OK))
		return;
	get_state("VM_GET_STATE(0)", 0, GH_RM_VM_STATUS_RUNNING, GH_RM_OS_STATUS_RUN, 0);
}

/* Proves an os_status past CRASHED (8) is ARGUMENT_INVALID and changes nothing (§6 os_status). */
RM_TEST(vm_set_status_os_invalid)
{
	if (!set_status_first("VM_SET_STATUS(run, 0x99)", GH_RM_OS_STATUS_RUN, 0x99))
		return;
	if (!set_status("VM_SET_STATUS(os 8)", 0, GH_RM_OS_STATUS_CRASHED + 1, 0x55,
	                GH_RM_ERRORS_ARGUMENT_INVALID))
		return;
	get_state("VM_GET_STATE(0)", 0, GH_RM_VM_STATUS_RUNNING, GH_RM_OS_STATUS_RUN, 0x99);
}

/* Proves VM_SET_STATUS of 3 or 5 bytes is MSG_INVALID (§6: 4 bytes). */
RM_TEST(vm_set_status_bad_length)
{
	static const u8 req[5] = {0, GH_RM_OS_STATUS_RUN, 0, 0, 0};
	struct rm_msg m;

	if (!rm_expect_call("VM_SET_STATUS, 3 bytes", GH_RM_IDS_VM_SET_STATUS, req, 3,
	                    GH_RM_ERRORS_MSG_INVALID, 4, &m))
		return;
	rm_expect_call("VM_SET_STATUS, 5 bytes", GH_RM_IDS_VM_SET_STATUS, req, 5,
	               GH_RM_ERRORS_MSG_INVALID, 4, &m);
}

/* Proves VM_GET_STATE of 0 or 2 bytes is MSG_INVALID (§6: u16 vmid, u16 reserved). */
RM_TEST(vm_get_state_bad_length)
{
	static const u8 req[4];
	struct rm_msg m;

	if (!rm_expect_call("VM_GET_STATE, 0 bytes", GH_RM_IDS_VM_GET_STATE, NULL, 0,
	                    GH_RM_ERRORS_MSG_INVALID, 4, &m))
		return;
	rm_expect_call("VM_GET_STATE, 2 bytes", GH_RM_IDS_VM_GET_STATE, req, 2,
	               GH_RM_ERRORS_MSG_INVALID, 4, &m);
}

/* Proves VM_EXIT of the wrong length is MSG_INVALID and the VM goes on running (§6). */
RM_TEST(vm_exit_bad_length)
{
	static const u8 req[8];
	struct rm_msg m;

	if (!rm_expect_call("VM_EXIT, 0 bytes", GH_RM_IDS_VM_EXIT, NULL, 0,
	                    GH_RM_ERRORS_MSG_INVALID, 4, &m))
		return;
	if (!rm_expect_call("VM_EXIT, 8 bytes", GH_RM_IDS_VM_EXIT, req, 8, GH_RM_ERRORS_MSG_INVALID,
	                    4, &m))
		return;
	rm_expect_alive("after the refused VM_EXITs");
}

/* Proves VM_EXIT with its reserved byte set is MSG_INVALID and the VM goes on running (§6). */
RM_TEST(vm_exit_reserved_byte)
{
	static const u8 req[4] = {0, 0, 0, 1};
	struct rm_msg m;

	if (!rm_expect_call("VM_EXIT, reserved byte 1", GH_RM_IDS_VM_EXIT, req, sizeof(req),
	                    GH_RM_ERRORS_MSG_INVALID, 4, &m))
		return;
	rm_expect_alive("after the refused VM_EXIT");
}

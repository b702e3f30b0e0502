"""gen.py must reject a spec that is inconsistent, naming the problem; and accept the real one."""

import copy
import os
import sys

import pytest
import yaml

sys.path.insert(0, os.path.dirname(__file__))
import gen  # noqa: E402

SPEC = os.path.join(os.path.dirname(__file__), "gunyah.yaml")


@pytest.fixture(scope="module")
def raw():
    with open(SPEC, encoding="utf-8") as f:
        return yaml.safe_load(f)


def call(spec, name):
    return next(c for c in spec["calls"] if c["name"] == name)


def test_real_spec_is_accepted(raw):
    spec = gen.check(copy.deepcopy(raw))
    assert spec["hvc_max"] == 0x68
    assert len(spec["calls"]) + len(spec["holes"]) == 0x69
    send = call(spec, "msgqueue_send")
    assert send["num"] == 0x1B and len(send["inputs"]) == 5 and send["res0_mask"] == 0x10
    assert send["errors"][:5] == gen.CAP_LOOKUP_ERRORS
    cfg = call(spec, "msgqueue_configure_send")
    assert cfg["res1_mask"] == 0x8 and cfg["res0_mask"] == 0
    ident = call(spec, "hypervisor_identify")
    assert ident["n_outputs"] == 4 and ident["errors"] == []
    copy_cap = call(spec, "cspace_copy_cap_from")
    assert copy_cap["inputs"][0]["rights_mask"] == 0x4 and copy_cap["inputs"][2]["rights_mask"] == 0x1
    assert "OBJECT_STATE" not in call(spec, "object_reset")["errors"]
    # An any-type cap cannot be of the wrong type; a typed cap of the same call still can.
    assert "CSPACE_WRONG_OBJECT_TYPE" not in call(spec, "object_activate")["errors"]
    assert "CSPACE_WRONG_OBJECT_TYPE" in call(spec, "object_activate_from")["errors"]
    assert "CSPACE_WRONG_OBJECT_TYPE" in call(spec, "memextent_donate")["errors"]


def _broken(raw, edit):
    spec = copy.deepcopy(raw)
    edit(spec)
    with pytest.raises(gen.SpecError) as e:
        gen.check(spec)
    return str(e.value)


def test_duplicate_number(raw):
    msg = _broken(raw, lambda s: call(s, "msgqueue_receive").update(num=0x1B))
    assert "0x1b" in msg


def test_missing_number(raw):
    msg = _broken(raw, lambda s: s["holes"].pop(0x16))
    assert "0x16" in msg and "neither" in msg


def test_call_on_a_hole(raw):
    msg = _broken(raw, lambda s: s["holes"].update({0x1B: "x"}))
    assert "0x1b" in msg and "both" in msg


def test_unknown_right(raw):
    msg = _broken(raw, lambda s: call(s, "doorbell_send")["inputs"][0].update(rights=["receive_all"]))
    assert "receive_all" in msg


def test_unknown_error(raw):
    msg = _broken(raw, lambda s: call(s, "msgqueue_send").update(errors=["NO_SUCH"]))
    assert "NO_SUCH" in msg


def test_too_many_inputs(raw):
    msg = _broken(raw, lambda s: call(s, "addrspace_map")["inputs"].append("res0"))
    assert "SMCCC" in msg


def test_lookup_in_a_later_input(raw):
    msg = _broken(raw, lambda s: call(s, "cspace_copy_cap_from")["inputs"][1].update({"in": "dest_cspace"}))
    assert "not an earlier input" in msg


def test_rights_bits_distinct(raw):
    msg = _broken(raw, lambda s: s["rights"]["doorbell"].update(bind=0x1))
    assert "doorbell" in msg


def test_deviation_needs_reason(raw):
    msg = _broken(raw, lambda s: s["deviations"][0].pop("why"))
    assert "why" in msg


def test_unreachable_error_must_be_documented(raw):
    def edit(s):
        dev = next(d for d in s["deviations"] if d["id"] == "cspace_copy_nomem")
        dev["unreachable"] = ["MSGQUEUE_FULL"]
    msg = _broken(raw, edit)
    assert "MSGQUEUE_FULL" in msg and "cspace_copy_cap_from" in msg


def test_unreachable_ok_only_where_a_call_can_succeed(raw):
    spec = gen.check(copy.deepcopy(raw))
    dev = next(d for d in spec["deviations"] if d["id"] == "vic_no_msi_sources")
    assert dev["unreachable"] == ["OK", "BUSY"]
    assert "humpy never succeeds. humpy never returns: BUSY." in gen.abi_page(spec)

    def edit(s):
        next(d for d in s["deviations"] if d["id"] == "cspace_copy_nomem")["calls"] = ["object_reset"]
        next(d for d in s["deviations"] if d["id"] == "cspace_copy_nomem")["unreachable"] = ["OK"]
    msg = _broken(raw, edit)
    assert "OK unreachable for object_reset" in msg


def test_probes_upstream_unimplemented_and_gaps(raw):
    spec = gen.check(copy.deepcopy(raw))
    assert call(spec, "object_activate")["probe"] == "ARGUMENT_INVALID"
    assert call(spec, "object_reset")["probe"] == "UNIMPLEMENTED"
    assert call(spec, "prng_get_entropy")["probe"] == "ARGUMENT_SIZE"
    assert call(spec, "hypervisor_identify")["probe"] == "api_info"
    for name in ("partition_create_partition", "cspace_revoke_cap_from"):
        c = call(spec, name)
        assert c["upstream_unimplemented"] and "UNIMPLEMENTED" in c["errors"]
    assert "UNIMPLEMENTED" not in call(spec, "partition_create_cspace")["errors"]
    assert call(spec, "cspace_attach_thread")["unobserved"]
    assert spec["unimplemented_x0"]["call"]["native"] == [0xFFFFFFFF, (1 << 64) - 1]
    header = gen.guest_header(spec)
    assert "#define GH_UNIMPL_CALL_NATIVE(X) X(0xffffffffULL) X(0xffffffffffffffffULL)" in header
    assert "#define GH_API_FLAG1_RESERVED_MASK 0xfffffffffffffffeULL" in header
    assert "\tX(0x57, 10, 0, 0x0U, 0x2ULL, 0) \\" in header  # prng(0 bytes): ARGUMENT_SIZE
    assert "\tX(0x1, 0, 1, 0x3U, 0x1ULL, 0) \\" in header  # optional in partition_cspace


def test_probe_must_be_given_without_a_looked_up_cap(raw):
    msg = _broken(raw, lambda s: call(s, "scheduler_yield").pop("probe"))
    assert "scheduler_yield" in msg and "probe" in msg


def test_probe_must_be_documented(raw):
    msg = _broken(raw, lambda s: call(s, "prng_get_entropy").update(probe="MSGQUEUE_FULL"))
    assert "MSGQUEUE_FULL" in msg


def test_upstream_unimplemented_needs_a_deviation(raw):
    def edit(s):
        next(d for d in s["deviations"] if d["id"] == "cspace_revoke_cap_from").pop("unreachable")
    msg = _broken(raw, edit)
    assert "cspace_revoke_cap_from" in msg and "unreachable" in msg


def test_unimplemented_widths_per_path_and_case(raw):
    msg = _broken(raw, lambda s: s["unimplemented_x0"]["call"].pop("smccc"))
    assert "unimplemented_x0.call" in msg
    msg = _broken(raw, lambda s: s["unimplemented_x0"]["hole"].update(native=[1 << 64]))
    assert "unimplemented_x0.hole.native" in msg


def test_register_rules(raw):
    msg = _broken(raw, lambda s: s["abi"]["registers"].update(native_clobbered=[9, 18]))
    assert "native_clobbered" in msg


def test_abi_page_states_registers_widths_and_gaps(raw):
    page = gen.abi_page(gen.check(copy.deepcopy(raw)))
    assert "x9..x17 are clobbered: the caller finds its own value or zero there" in page
    assert ("| call (a defined call whose handler answers UNIMPLEMENTED) | 0x00000000ffffffff or "
            "0xffffffffffffffff | 0xffffffffffffffff |") in page
    assert "*(optional: upstream's handler always answers UNIMPLEMENTED" in page
    assert "*(gap: the attachment's effect" in page
    assert "**unimplemented_width** (object_reset, object_reset_from)" in page


def test_rm_section(raw):
    header = gen.guest_header(gen.check(copy.deepcopy(raw)))
    assert '#define GH_RM_DT_COMPATIBLE "qcom,resource-manager"' in header
    assert "#define GH_RM_MESSAGE_MAX_PAYLOAD 0x3918U" in header  # 14 616 = 63 x 232
    assert "#define GH_RM_ERRORS_UNIMPLEMENTED 0xffffffffU" in header
    assert "#define GH_RM_IDS_VM_GET_VMID 0x56000024U" in header
    assert "#define GH_RM_RESOURCE_ENTRY_SIZE 0x2cU" in header  # 44, not the reference's 40


def test_rm_limits_consistent(raw):
    msg = _broken(raw, lambda s: s["rm"]["message"].update(max_payload=14617))
    assert "max_payload" in msg
    msg = _broken(raw, lambda s: s["rm"]["message"].update(payload=240))
    assert "rm.message.payload" in msg
    msg = _broken(raw, lambda s: s["rm"]["message"].update(max_fragments=64, max_payload=65 * 232))
    assert "fragment field" in msg
    msg = _broken(raw, lambda s: s["rm"]["header"].update(byte0=0x12))
    assert "rm.header" in msg


def test_rm_ids_distinct(raw):
    msg = _broken(raw, lambda s: s["rm"]["ids"].update(vm_start=0x56000024))
    assert "rm.ids" in msg
    msg = _broken(raw, lambda s: s["rm"]["notifications"].update(vm_status=0x56000024))
    assert "0x56000024" in msg and "notification" in msg
    msg = _broken(raw, lambda s: s["rm"]["errors"].update(BUSY=1 << 32))
    assert "rm.errors.BUSY" in msg

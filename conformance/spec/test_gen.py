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

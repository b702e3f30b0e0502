#!/usr/bin/python3
"""Turns conformance/spec/gunyah.yaml into what the other parts build from.

Outputs (each optional): the guest's constants header, the fuzzers' call table, the readable ABI page and
a JSON copy of the checked spec (for the harness's spec coverage). The spec is validated first; any
inconsistency stops the build with one line naming the call and the problem.
"""

import argparse
import json
import os
import sys

import yaml

CAP_LOOKUP_ERRORS = [
    "ARGUMENT_INVALID",
    "CSPACE_CAP_NULL",
    "CSPACE_CAP_REVOKED",
    "CSPACE_WRONG_OBJECT_TYPE",
    "CSPACE_INSUFFICIENT_RIGHTS",
]
RESERVED = ("res0", "res1")
STATES = ("active", "init", "any")


class SpecError(Exception):
    pass


def _input(call, index, raw):
    """Normalise one input entry to a dict with name, kind (value|res0|res1|cap) and cap details."""
    if isinstance(raw, str):
        kind = raw if raw in RESERVED else "value"
        return {"index": index, "name": raw, "kind": kind}
    if not isinstance(raw, dict) or "name" not in raw:
        raise SpecError(f"{call}: input {index} must be a name or a mapping with name:")
    unknown = set(raw) - {"name", "cap", "rights", "state", "in", "lookup"}
    if unknown:
        raise SpecError(f"{call}: input {raw['name']} has unknown keys {sorted(unknown)}")
    if "cap" not in raw:
        raise SpecError(f"{call}: input {raw['name']} is a mapping without cap:")
    return {
        "index": index,
        "name": raw["name"],
        "kind": "cap",
        "cap": raw["cap"],
        "rights": list(raw.get("rights", [])),
        "state": raw.get("state", "active"),
        "in": raw.get("in"),
        "lookup": bool(raw.get("lookup", True)),
    }


def load(path):
    with open(path, encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    return check(spec)


def check(spec):
    """Validate the spec and return it with each call normalised and its full error list computed."""
    errors = spec["errors"]
    if errors.get("OK") != 0 or errors.get("UNIMPLEMENTED") != -1:
        raise SpecError("errors: OK must be 0 and UNIMPLEMENTED -1")
    if len(set(errors.values())) != len(errors):
        raise SpecError("errors: two names share a value")
    features = spec["abi"]["api_flags0"]
    rights = spec["rights"]
    generic = spec["generic_rights"]
    for otype, bits in rights.items():
        values = list(bits.values()) + list(generic.values())
        if len(set(values)) != len(values) or any(v & (v - 1) for v in values):
            raise SpecError(f"rights.{otype}: bits must be distinct single bits")
    max_in = spec["abi"]["smccc_input_regs"]

    calls = []
    seen_num, seen_name = {}, set()
    for raw in spec["calls"]:
        name = raw["name"]
        num = raw["num"]
        if name in seen_name:
            raise SpecError(f"{name}: defined twice")
        if num in seen_num:
            raise SpecError(f"{name}: number {num:#x} already used by {seen_num[num]}")
        seen_name.add(name)
        seen_num[num] = name
        unknown = set(raw) - {"num", "name", "feature", "inputs", "outputs", "errors", "no_error",
                              "unverified", "no_success", "upstream_unimplemented", "probe",
                              "unobserved"}
        if unknown:
            raise SpecError(f"{name}: unknown keys {sorted(unknown)}")
        feature = raw.get("feature")
        if feature is not None and feature not in features:
            raise SpecError(f"{name}: unknown feature {feature}")
        inputs = [_input(name, i, x) for i, x in enumerate(raw.get("inputs", []))]
        if len(inputs) > max_in:
            raise SpecError(f"{name}: {len(inputs)} inputs do not fit the SMCCC path (x1..x7)")
        names = [x["name"] for x in inputs if x["kind"] not in RESERVED]
        if len(set(names)) != len(names):
            raise SpecError(f"{name}: two inputs share a name")
        res0 = res1 = 0
        call_errors = []
        for x in inputs:
            if x["kind"] == "res0":
                res0 |= 1 << x["index"]
            elif x["kind"] == "res1":
                res1 |= 1 << x["index"]
            elif x["kind"] == "cap":
                if x["cap"] != "any" and x["cap"] not in rights:
                    raise SpecError(f"{name}: input {x['name']} has unknown object type {x['cap']}")
                if x["state"] not in STATES:
                    raise SpecError(f"{name}: input {x['name']} has unknown state {x['state']}")
                if x["in"] is not None and x["in"] not in names[: names.index(x["name"])]:
                    raise SpecError(f"{name}: input {x['name']} is looked up in {x['in']}, "
                                    "which is not an earlier input")
                valid = set(generic) | (set(rights[x["cap"]]) if x["cap"] != "any" else set())
                for r in x["rights"]:
                    if r not in valid:
                        raise SpecError(f"{name}: input {x['name']} needs unknown right {r}")
                mask = 0
                for r in x["rights"]:
                    mask |= generic.get(r) or rights[x["cap"]][r]
                x["rights_mask"] = mask
                if x["lookup"]:
                    # An any-type lookup never checks the type (upstream cspace_lookup_object_any):
                    # a call that checks it afterwards lists CSPACE_WRONG_OBJECT_TYPE itself.
                    call_errors += [e for e in CAP_LOOKUP_ERRORS
                                    if x["cap"] != "any" or e != "CSPACE_WRONG_OBJECT_TYPE"]
                    if x["state"] != "any":
                        call_errors.append("OBJECT_STATE")
        if res0 or res1:
            call_errors.append("ARGUMENT_INVALID")
        for e in raw.get("errors", []):
            if e not in errors:
                raise SpecError(f"{name}: unknown error {e}")
            call_errors.append(e)
        if raw.get("upstream_unimplemented"):
            if feature is None:
                raise SpecError(f"{name}: upstream_unimplemented needs a feature to be optional in")
            call_errors.append("UNIMPLEMENTED")
        no_error = bool(raw.get("no_error", False))
        outputs = list(raw.get("outputs", []))
        probe = _probe(name, raw, inputs, call_errors, no_error)
        calls.append({
            "num": num,
            "name": name,
            "feature": feature,
            "inputs": inputs,
            "outputs": outputs,
            "no_error": no_error,
            "n_outputs": len(outputs) + (0 if no_error else 1),
            "res0_mask": res0,
            "res1_mask": res1,
            "errors": list(dict.fromkeys(call_errors)),
            "unverified": raw.get("unverified"),
            "no_success": raw.get("no_success"),
            "upstream_unimplemented": raw.get("upstream_unimplemented"),
            "probe": probe,
            "unobserved": raw.get("unobserved"),
        })
        if calls[-1]["n_outputs"] > 8:
            raise SpecError(f"{name}: more than 8 result registers")

    calls.sort(key=lambda c: c["num"])
    hvc_max = calls[-1]["num"]
    holes = spec.get("holes", {})
    for n in range(hvc_max + 1):
        if (n in seen_num) == (n in holes):
            what = "both a call and a hole" if n in holes else "neither a call nor a hole"
            raise SpecError(f"number {n:#x} is {what}")
    for n in holes:
        if n > hvc_max:
            raise SpecError(f"hole {n:#x} is above the highest call")
    abi = spec["abi"]
    if hvc_max > abi["native_last"] - abi["native_base"]:
        raise SpecError("calls do not fit the native immediate range")
    by_name = {c["name"]: c for c in calls}
    for d in spec.get("deviations", []):
        for c in d["calls"]:
            if c not in seen_name:
                raise SpecError(f"deviation {d['id']}: unknown call {c}")
            for e in d.get("unreachable", []):
                if e == "OK":  # humpy never succeeds where upstream can
                    if by_name[c]["no_error"] or by_name[c]["no_success"]:
                        raise SpecError(f"deviation {d['id']}: OK unreachable for {c}, which "
                                        "has no error word or never succeeds anyway")
                elif e not in by_name[c]["errors"]:
                    raise SpecError(f"deviation {d['id']}: {e} is not a documented error of {c}")
        for k in ("upstream", "humpy", "why"):
            if not d.get(k):
                raise SpecError(f"deviation {d['id']}: missing {k}")
    for c in calls:
        if c["upstream_unimplemented"]:
            devs = [d for d in spec.get("deviations", []) if c["name"] in d["calls"]
                    and "UNIMPLEMENTED" in d.get("unreachable", [])]
            if not devs:
                raise SpecError(f"{c['name']}: upstream_unimplemented but no deviation lists "
                                "UNIMPLEMENTED as unreachable for it (humpy implements it)")
    _check_registers(abi)
    _check_unimplemented(spec)
    _check_rm(spec)
    spec["calls"] = calls
    spec["hvc_max"] = hvc_max
    spec["holes"] = holes
    return spec


U64 = (1 << 64) - 1


def _probe(name, raw, inputs, call_errors, no_error):
    """x0 name of the feature probe (every cap GH_CAP_INVALID, other inputs 0): see gunyah.yaml."""
    if no_error:
        if "probe" in raw:
            raise SpecError(f"{name}: probe on a call without an error word")
        return "api_info"
    if "probe" in raw:
        probe = raw["probe"]
        if probe == "OK":
            if raw.get("no_success"):
                raise SpecError(f"{name}: probe OK but the call never succeeds (no_success)")
        elif probe not in call_errors:
            raise SpecError(f"{name}: probe {probe} is not a documented result of the call")
        return probe
    if any(x["kind"] == "cap" and x["lookup"] for x in inputs):
        return "ARGUMENT_INVALID"
    if raw.get("no_success"):
        return "UNIMPLEMENTED"
    raise SpecError(f"{name}: no cap input is looked up, so the spec must give its probe: result")


def _check_registers(abi):
    regs = abi.get("registers")
    if not isinstance(regs, dict):
        raise SpecError("abi.registers: missing")
    first, last = regs.get("native_clobbered", [None, None])
    if not (isinstance(first, int) and isinstance(last, int) and 8 <= first <= last <= 17):
        raise SpecError("abi.registers.native_clobbered: must be [first, last] within x8..x17")
    if regs.get("smccc_past_outputs") not in ("preserved", "zero"):
        raise SpecError("abi.registers.smccc_past_outputs: preserved or zero")


def _check_unimplemented(spec):
    u = spec.get("unimplemented_x0")
    if not isinstance(u, dict) or set(u) != {"hole", "call"}:
        raise SpecError("unimplemented_x0: needs exactly hole: and call:")
    for case, paths in u.items():
        if not isinstance(paths, dict) or set(paths) != {"native", "smccc"}:
            raise SpecError(f"unimplemented_x0.{case}: needs exactly native: and smccc:")
        for path, values in paths.items():
            if not values or any(not isinstance(v, int) or not 0 <= v <= U64 for v in values):
                raise SpecError(f"unimplemented_x0.{case}.{path}: a list of 64-bit values")


RM_NUMERIC = ("dt_cells", "header", "msg_type", "message", "errors", "ids", "notifications",
              "resource_entry", "resource_type", "vm_status", "os_status", "exit_type", "console", "vmid",
              "unhandled_ids", "vm_set_status", "mem", "irq_notify", "vm_init")


def _check_rm(spec):
    """The RM RPC section (reference §6): every value a 32-bit number (dt: strings), IDs and errors
    distinct, and the message limits consistent with the header."""
    rm = spec.get("rm")
    if rm is None:
        return
    unknown = set(rm) - set(RM_NUMERIC) - {"dt"}
    if unknown:
        raise SpecError(f"rm: unknown groups {sorted(unknown)}")
    for k, v in rm.get("dt", {}).items():
        if not isinstance(v, str) or '"' in v or "\\" in v:
            raise SpecError(f"rm.dt.{k}: a plain string")
    for group in RM_NUMERIC:
        for k, v in rm.get(group, {}).items():
            if not isinstance(v, int) or not 0 <= v <= 0xFFFFFFFF:
                raise SpecError(f"rm.{group}.{k}: a 32-bit unsigned number")
    for group in ("errors", "ids", "notifications", "msg_type", "resource_type"):
        values = list(rm.get(group, {}).values())
        if len(set(values)) != len(values):
            raise SpecError(f"rm.{group}: two names share a value")
    clash = set(rm.get("ids", {}).values()) & set(rm.get("notifications", {}).values())
    if clash:
        both = ", ".join(f"{v:#x}" for v in sorted(clash))
        raise SpecError(f"rm: {both} both a request and a notification")
    hdr, msg = rm["header"], rm["message"]
    byte0 = hdr["version"] | (hdr["words"] << hdr["words_shift"])
    if hdr["byte0"] != byte0 or hdr["words"] * 4 != hdr["size"]:
        raise SpecError("rm.header: byte0 must be version | words << words_shift, and size words * 4")
    if msg["payload"] != msg["size"] - hdr["size"]:
        raise SpecError("rm.message.payload: must be size - header.size")
    if msg["max_fragments"] > hdr["fragments_mask"]:
        raise SpecError("rm.message.max_fragments: does not fit the header's fragment field")
    if msg["max_payload"] != (msg["max_fragments"] + 1) * msg["payload"]:
        raise SpecError("rm.message.max_payload: must be (max_fragments + 1) * payload")
    entry = rm["resource_entry"]
    if max(v for k, v in entry.items() if k != "size") + 8 > entry["size"]:
        raise SpecError("rm.resource_entry: a field lies past the entry's size")


def _hex(v, suffix="U"):
    return f"0x{v:x}{suffix}"


def _err(v):
    return f"({v}L)"


def guest_header(spec):
    abi, smccc, psci = spec["abi"], spec["smccc"], spec["psci"]
    info = abi["api_info"]
    out = [
        "/* Generated by conformance/spec/gen.py from conformance/spec/gunyah.yaml. Do not edit. */",
        "/* The Gunyah hypercall ABI constants the conformance guest tests against. */",
        "#ifndef GUNYAH_SPEC_H",
        "#define GUNYAH_SPEC_H",
        "",
        "/* Entry paths: native hvc #(GH_HVC_NATIVE_BASE + n), SMCCC hvc #0 with x0 = GH_SMCCC_HVC_BASE + n. */",
        f"#define GH_HVC_NATIVE_BASE {_hex(abi['native_base'], '')}",
        f"#define GH_HVC_NATIVE_LAST {_hex(abi['native_last'], '')}",
        f"#define GH_SMCCC_HVC_BASE {_hex(abi['smccc_hvc_base'])}",
        f"#define GH_HVC_MAX {_hex(spec['hvc_max'], '')}",
        f"#define GH_HVC_NUM_CALLS {len(spec['calls'])}U",
        f"#define GH_HVC_NUM_HOLES {len(spec['holes'])}U",
        "",
        "/* Call numbers (no suffix, so assembly can use them too). */",
    ]
    for c in spec["calls"]:
        out.append(f"#define GH_HVC_{c['name'].upper()} {_hex(c['num'], '')}")
    out += [
        "",
        "/*",
        " * X(num, NAME, n_inputs, res0_mask, res1_mask, n_outputs) per defined call. Masks: bit i set when",
        " * input register i (x0 native, x1 SMCCC) must be 0 (res0) or ~0 (res1). n_outputs counts the",
        " * result registers the call writes, x0 (the error, or api_info for identify) included; the rest",
        " * up to x7 come back zero.",
        " */",
        "#define GH_CALL_TABLE(X) \\",
    ]
    for c in spec["calls"]:
        out.append(f"\tX({_hex(c['num'], '')}, {c['name'].upper()}, {len(c['inputs'])}U, "
                   f"{_hex(c['res0_mask'])}, {_hex(c['res1_mask'])}, {c['n_outputs']}U) \\")
    features = spec["abi"]["api_flags0"]
    out += [
        "",
        "/*",
        " * X(num, feature_bit, may_unimplemented, cap_mask, probe_x0, probe_unimplemented) per defined",
        " * call: the api_flags0 bit of the module that provides it (-1 for none: always present), 1 when",
        " * UNIMPLEMENTED (-1) is among its documented errors (upstream_unimplemented calls included), bit i",
        " * of cap_mask set when input i is a cap ID, and the x0 it answers to the probe (caps",
        " * GH_CAP_INVALID, reserved inputs as required, the rest 0) when its feature is present;",
        " * probe_unimplemented 1 when that answer is UNIMPLEMENTED (its width: GH_UNIMPL_CALL_*).",
        " */",
        "#define GH_CALL_FEATURES(X) \\",
    ]
    for c in spec["calls"]:
        bit = features[c["feature"]] if c["feature"] is not None else -1
        cap_mask = sum(1 << x["index"] for x in c["inputs"] if x["kind"] == "cap")
        unimpl = 1 if "UNIMPLEMENTED" in c["errors"] else 0
        if c["probe"] == "api_info":
            probe = info["expected"]
        else:
            probe = spec["errors"][c["probe"]] & U64
        out.append(f"\tX({_hex(c['num'], '')}, {bit}, {unimpl}, {_hex(cap_mask)}, "
                   f"{_hex(probe, 'ULL')}, {int(c['probe'] == 'UNIMPLEMENTED')}) \\")
    out += ["", "/* X(num) per number below GH_HVC_MAX that no call uses. */",
            "#define GH_CALL_HOLES(X) \\"]
    for n in sorted(spec["holes"]):
        out.append(f"\tX({_hex(n, '')}) \\")
    out += ["", "/* Error codes in x0 (signed). */"]
    for name, v in spec["errors"].items():
        out.append(f"#define GH_ERROR_{name} {_err(v)}")
    flags_reserved = 0xFFFFFFFFFFFFFFFF
    for bit in abi["api_flags0"].values():
        flags_reserved &= ~(1 << bit)
    sched = abi["api_flags0_scheduler"]
    flags_reserved &= ~(sched["mask"] << sched["shift"])
    out += [
        "",
        "/* hypervisor_identify: x0 = api_info, x1..x3 = api_flags0..2. */",
        f"#define GH_API_INFO_EXPECTED {_hex(info['expected'], 'ULL')}",
        f"#define GH_API_VERSION {info['version']}U",
        f"#define GH_API_VERSION_MASK {_hex(info['version_mask'], 'ULL')}",
        f"#define GH_API_IS_BIG_ENDIAN (1ULL << {info['big_endian_bit']})",
        f"#define GH_API_IS_64BIT (1ULL << {info['is_64bit_bit']})",
        f"#define GH_API_VARIANT_SHIFT {info['variant_shift']}U",
    ]
    for name, v in info["variants"].items():
        out.append(f"#define GH_API_VARIANT_{name.upper()} {_hex(v)}")
    for name, bit in abi["api_flags0"].items():
        out.append(f"#define GH_API_FLAG0_{name.upper()} (1ULL << {bit})")
    out += [
        f"#define GH_API_FLAG0_SCHEDULER_SHIFT {sched['shift']}U",
        f"#define GH_API_FLAG0_SCHEDULER_MASK {_hex(sched['mask'] << sched['shift'], 'ULL')}",
        f"#define GH_API_FLAG0_RESERVED_MASK {_hex(flags_reserved, 'ULL')}",
    ]
    flags1_reserved = U64
    for name, bit in abi["api_flags1"].items():
        out.append(f"#define GH_API_FLAG1_{name.upper()} (1ULL << {bit})")
        flags1_reserved &= ~(1 << bit)
    regs = abi["registers"]
    first, last = regs["native_clobbered"]
    out += [
        f"#define GH_API_FLAG1_RESERVED_MASK {_hex(flags1_reserved, 'ULL')}",
        f"#define GH_API_FLAG2_RESERVED_MASK {_hex(U64, 'ULL')}",
        "",
        "/*",
        " * Register rules. Native: x(first)..x(last) clobbered (the caller's value or zero after the call),",
        " * x8 checked or not; SMCCC: registers past a call's results preserved (1) or zeroed (0).",
        " */",
        f"#define GH_REGS_NATIVE_CLOBBER_FIRST {first}U",
        f"#define GH_REGS_NATIVE_CLOBBER_LAST {last}U",
        f"#define GH_REGS_NATIVE_X8_CHECKED {int(bool(regs.get('native_x8_checked')))}",
        f"#define GH_REGS_SMCCC_PAST_OUTPUTS_PRESERVED "
        f"{int(regs['smccc_past_outputs'] == 'preserved')}",
        "",
        "/* X(x0) for every value x0 may have when the call is not implemented, per case and path. */",
    ]
    for case, paths in spec["unimplemented_x0"].items():
        for path, values in paths.items():
            out.append(f"#define GH_UNIMPL_{case.upper()}_{path.upper()}(X) " +
                       " ".join(f"X({_hex(v, 'ULL')})" for v in values))
    out += [
        "",
        "/* SMCCC and PSCI. */",
        f"#define GH_SMCCC_VERSION_FID {_hex(smccc['version_fid'])}",
        f"#define GH_SMCCC_VERSION_EXPECTED {_hex(smccc['version_expected'])}",
        f"#define GH_SMCCC_UNKNOWN {_err(smccc['unknown'])}",
        f"#define GH_SMCCC_VENDOR_HYP_CALL_COUNT {_hex(smccc['vendor_hyp_call_count'])}",
        f"#define GH_SMCCC_VENDOR_HYP_UID {_hex(smccc['vendor_hyp_uid'])}",
        f"#define GH_SMCCC_VENDOR_HYP_REVISION {_hex(smccc['vendor_hyp_revision'])}",
    ]
    for i, w in enumerate(smccc["uid"]):
        out.append(f"#define GH_UID_W{i} {_hex(w)}")
    out += [
        f"#define GH_PSCI_VERSION_FID {_hex(psci['version_fid'])}",
        f"#define GH_PSCI_FEATURES_FID {_hex(psci['features_fid'])}",
        f"#define GH_PSCI_SYSTEM_OFF_FID {_hex(psci['system_off_fid'])}",
        f"#define GH_PSCI_VERSION_EXPECTED {_hex(psci['version_expected'])}",
        f"#define GH_PSCI_NOT_SUPPORTED {_err(psci['not_supported'])}",
        "",
        "/* Rights bits per object type (bit 31, OBJECT_ACTIVATE, is generic). */",
    ]
    for name, v in spec["generic_rights"].items():
        out.append(f"#define GH_RIGHT_{name.upper()} {_hex(v)}")
    for otype, bits in spec["rights"].items():
        mask = 0
        for name, v in bits.items():
            out.append(f"#define GH_RIGHT_{otype.upper()}_{name.upper()} {_hex(v)}")
            mask |= v
        for name, v in spec["generic_rights"].items():
            out.append(f"#define GH_RIGHT_{otype.upper()}_{name.upper()} {_hex(v)}")
            mask |= v
        out.append(f"#define GH_RIGHTS_{otype.upper()}_ALL {_hex(mask)}")
    out += ["", "/* Object states. */"]
    for name, v in spec["object_states"].items():
        out.append(f"#define GH_OBJECT_STATE_{name} {v}U")
    out += [
        "",
        "/* Cap IDs. */",
        f"#define GH_CAP_INVALID {_hex(spec['cap_ids']['invalid'] & 0xFFFFFFFFFFFFFFFF, 'ULL')}",
        f"#define GH_CAP_NEVER_VALID_HIGH32_MIN {_hex(spec['cap_ids']['never_valid_high32_min'])}",
        "",
        "/* Limits. */",
    ]
    for name, v in spec["limits"].items():
        out.append(f"#define GH_LIMIT_{name.upper()} {v}U")
    out += ["", "/* Memory extents and address spaces: bit layouts and values. */"]
    for group, values in spec.get("memory", {}).items():
        for name, v in values.items():
            out.append(f"#define GH_MEM_{group.upper()}_{name.upper()} {_hex(v)}")
    out += ["", "/* vCPUs and the scheduler: flag bits and values. */"]
    for group, values in spec.get("vcpu", {}).items():
        for name, v in values.items():
            out.append(f"#define GH_VCPU_{group.upper()}_{name.upper()} {_hex(v)}")
    rm = spec.get("rm")
    if rm is not None:
        out += ["", "/* Resource Manager RPC (reference §6): device-tree strings, then numbers. */"]
        for name, v in rm.get("dt", {}).items():
            out.append(f'#define GH_RM_DT_{name.upper()} "{v}"')
        for group in RM_NUMERIC:
            for name, v in rm.get(group, {}).items():
                out.append(f"#define GH_RM_{group.upper()}_{name.upper()} {_hex(v)}")
    out += ["", "#endif /* GUNYAH_SPEC_H */", ""]
    return "\n".join(out)


def fuzz_header(spec):
    types = ["none", "any"] + list(spec["rights"])
    out = [
        "/* Generated by conformance/spec/gen.py from conformance/spec/gunyah.yaml. Do not edit. */",
        "/* The hypercall table the fuzzers decode their input against. */",
        "#ifndef SPEC_CALLS_H",
        "#define SPEC_CALLS_H",
        "",
        "#include <stdint.h>",
        "",
        "/* Object type of each input: SPEC_OBJ_NONE for a plain value. */",
        "enum spec_obj {",
    ]
    for t in types:
        out.append(f"\tSPEC_OBJ_{t.upper()},")
    out += [
        "\tSPEC_OBJ_COUNT,",
        "};",
        "",
        "struct spec_call {",
        "\tuint16_t num;",
        "\tconst char *name;",
        "\tuint8_t n_inputs;",
        "\tuint8_t n_outputs;     /* result registers written, x0 included */",
        "\tuint8_t res0_mask;     /* bit i: input i must be 0 */",
        "\tuint8_t res1_mask;     /* bit i: input i must be ~0 */",
        "\tuint8_t cap_mask;      /* bit i: input i is a cap ID */",
        "\tuint8_t cap_type[8];   /* enum spec_obj per input */",
        "\tuint32_t cap_rights[8]; /* rights the call needs on each cap input */",
        "};",
        "",
        f"#define SPEC_HVC_MAX 0x{spec['hvc_max']:x}U",
        f"#define SPEC_NUM_CALLS {len(spec['calls'])}U",
        "",
        "static const struct spec_call spec_calls[] = {",
    ]
    for c in spec["calls"]:
        cap_mask = 0
        ctype = [0] * 8
        crights = [0] * 8
        for x in c["inputs"]:
            if x["kind"] == "cap":
                cap_mask |= 1 << x["index"]
                ctype[x["index"]] = types.index(x["cap"])
                crights[x["index"]] = x["rights_mask"]
        out.append(
            f"\t{{0x{c['num']:02x}, \"{c['name']}\", {len(c['inputs'])}, {c['n_outputs']}, "
            f"0x{c['res0_mask']:02x}, 0x{c['res1_mask']:02x}, 0x{cap_mask:02x}, "
            f"{{{', '.join(str(t) for t in ctype)}}}, "
            f"{{{', '.join(f'0x{r:x}' for r in crights)}}}}},")
    out += ["};", "", "static const uint16_t spec_holes[] = {"]
    out.append("\t" + ", ".join(f"0x{n:02x}" for n in sorted(spec["holes"])) + ",")
    out += ["};", "", "#endif /* SPEC_CALLS_H */", ""]
    return "\n".join(out)


def _md_input(x):
    if x["kind"] in RESERVED:
        return f"`{x['kind']}`"
    if x["kind"] == "value":
        return x["name"]
    where = f" in {x['in']}" if x["in"] else ""
    rights = "+".join(x["rights"]) or "no rights"
    if not x["lookup"]:
        return f"{x['name']} ({x['cap']} cap, not looked up)"
    state = "" if x["state"] == "active" else f", {x['state']}"
    return f"{x['name']} ({x['cap']} cap{where}: {rights}{state})"


def abi_page(spec):
    abi = spec["abi"]
    out = [
        "<!-- Generated by conformance/spec/gen.py from conformance/spec/gunyah.yaml. Do not edit. -->",
        "# The Gunyah hypercall ABI as humpy implements it",
        "",
        f"Native path: `hvc #(0x{abi['native_base']:x} + n)`, inputs x0..x7, results x0..x7. "
        f"SMCCC path: `hvc #0` with x0 = 0x{abi['smccc_hvc_base']:x} + n, inputs x1..x7, results x0..x7. "
        "Reserved inputs (`res0` must be 0, `res1` all ones) are checked on the native path only; a "
        "number with no call returns -1 on both paths (widths: below). Native result registers a call does not "
        "use come back 0.",
        "",
        "Cap inputs need an active object unless marked `init` (configure calls) or `any`; every looked-up "
        "cap can fail with ARGUMENT_INVALID (does not decode), CSPACE_CAP_NULL, CSPACE_CAP_REVOKED, "
        "CSPACE_WRONG_OBJECT_TYPE and CSPACE_INSUFFICIENT_RIGHTS.",
        "",
        "## Calls",
        "",
        "| n | name | feature | inputs | outputs | errors |",
        "|---|---|---|---|---|---|",
    ]
    by_num = {c["num"]: c for c in spec["calls"]}
    for n in range(spec["hvc_max"] + 1):
        if n in spec["holes"]:
            out.append(f"| 0x{n:02x} | *(none: {spec['holes'][n]})* | | | | UNIMPLEMENTED |")
            continue
        c = by_num[n]
        ins = ", ".join(_md_input(x) for x in c["inputs"]) or "-"
        outs = ", ".join(([] if c["no_error"] else ["error"]) + c["outputs"])
        errs = ", ".join(c["errors"]) or "-"
        note = f" *(unverified: {c['unverified']})*" if c["unverified"] else ""
        if c["upstream_unimplemented"]:
            note += f" *(optional: {c['upstream_unimplemented']})*"
        if c["unobserved"]:
            note += f" *(gap: {c['unobserved']})*"
        out.append(f"| 0x{n:02x} | {c['name']}{note} | {c['feature'] or '-'} | {ins} | {outs} | {errs} |")
    regs = abi["registers"]
    first, last = regs["native_clobbered"]
    out += ["", "## Registers", "",
            f"Native path: result registers the call does not use come back 0; x{first}..x{last} are "
            "clobbered: the caller finds its own value or zero there, never a value of the hypervisor's; "
            f"x8 {'is checked' if regs.get('native_x8_checked') else 'is not checked (caller-saved)'}; "
            "x18..x30 and SP are preserved. SMCCC path: registers past the call's results are "
            f"{regs['smccc_past_outputs']} (x4..x17 as SMCCC 1.1 requires), x18..x30 and SP preserved.",
            "", "## UNIMPLEMENTED in x0, per path and case", "", "| case | native | SMCCC |", "|---|---|---|"]
    for case, paths in spec["unimplemented_x0"].items():
        what = {"hole": "no call, a module not built, past the table",
                "call": "a defined call whose handler answers UNIMPLEMENTED"}[case]
        out.append(f"| {case} ({what}) | " + " | ".join(
            " or ".join(f"0x{v:016x}" for v in paths[p]) for p in ("native", "smccc")) + " |")
    out += ["", "## Errors", "", "| value | name |", "|---|---|"]
    for name, v in spec["errors"].items():
        out.append(f"| {v} | {name} |")
    out += ["", "## Rights", "", "| object | rights |", "|---|---|"]
    for otype, bits in spec["rights"].items():
        r = ", ".join(f"{k} 0x{v:x}" for k, v in bits.items())
        out.append(f"| {otype} | {r}, object_activate 0x80000000 |")
    out += ["", "## Identify", "",
            f"api_info expected 0x{abi['api_info']['expected']:016x}; api_flags0 bits: " +
            ", ".join(f"{b} {k}" for k, b in abi["api_flags0"].items()) + ".",
            "", "## Limits", "", "| limit | value |", "|---|---|"]
    for name, v in spec["limits"].items():
        out.append(f"| {name} | {v} |")
    out += ["", "## Where humpy differs from upstream Gunyah", ""]
    for d in spec.get("deviations", []):
        errs = [e for e in d.get("unreachable", []) if e != "OK"]
        never = (" humpy never succeeds." if "OK" in d.get("unreachable", []) else "") + \
            (f" humpy never returns: {', '.join(errs)}." if errs else "")
        out.append(f"- **{d['id']}** ({', '.join(d['calls'])}): upstream {d['upstream']} "
                   f"humpy {d['humpy']} Why: {d['why']}{never}")
    out.append("")
    return "\n".join(out)


def json_copy(spec):
    data = dict(spec)
    data["holes"] = {f"0x{n:02x}": v for n, v in spec["holes"].items()}
    return json.dumps(data, indent=1, sort_keys=True) + "\n"


def _write(path, text):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("spec", help="the YAML spec")
    ap.add_argument("--guest-header")
    ap.add_argument("--fuzz-header")
    ap.add_argument("--doc")
    ap.add_argument("--json")
    args = ap.parse_args(argv)
    try:
        spec = load(args.spec)
    except (SpecError, KeyError, TypeError) as e:
        print(f"{args.spec}: {e}", file=sys.stderr)
        return 1
    for path, fn in ((args.guest_header, guest_header), (args.fuzz_header, fuzz_header),
                     (args.doc, abi_page), (args.json, json_copy)):
        if path:
            _write(path, fn(spec))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""trace2seeds: turns the conformance guest's hypercall traces into hypercall_seq seeds.

Input: the TRACE lines of a run with bootarg humpy.trace (conformance/PROTOCOL.md), as
`python3 -m humpy_harness run --trace FILE` writes them. Each test's calls become one seed (the
first SEQ_MAX_CALLS of them; the fuzzer runs no more). Cap IDs are obfuscated differently on every
boot and on the host core, so a cap argument is written as a reference to the fuzzer's pool of live
caps, which grows the same way the trace does: 0 the root partition, 1 the root cspace (the `caps`
line), then each cap x1 returned by a successful create or copy. A value one bit away from a known
cap becomes that cap with the bit flipped. The guest's own VIC and vCPU caps (from /chosen, not on
the `caps` line) are recognised as the value a boot's tests pass most often as a VIC or thread cap
without any call having made it; they become the fuzzer's own-cap argument (the host root's VIC and
vCPU). Every other argument is written raw.
"""

import argparse
import hashlib
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "harness"))
import seqasm  # noqa: E402
from humpy_harness import protocol  # noqa: E402

SEQ_MAX_CALLS = 48  # fuzz/targets/hypercall_seq.c
SEQ_POOL_SIZE = 64
RAW_MAX_NUM = 0xFF  # a raw call number is one byte
TRACE = re.compile(protocol.TRACE_PATTERN)
# spec_calls.h: {num, "name", n_inputs, n_outputs, res0, res1, cap_mask, {cap_type x8}, ...}
CAP_TYPES_RE = re.compile(r'^\s*\{0x[0-9a-f]+, "([a-z0-9_]+)", \d+, \d+, 0x[0-9a-f]+, 0x[0-9a-f]+, '
                          r'0x[0-9a-f]+, \{([0-9, ]+)\}')
SPEC_OBJ_THREAD, SPEC_OBJ_VIC = 6, 9  # enum spec_obj in spec_calls.h
OWN_MIN_TESTS = 2  # a value counts as an own cap when this many tests pass it


def _returns_cap(name):
    """Calls whose x1 is a new cap on success (they grow the fuzzer's pool)."""
    return name.startswith("partition_create_") or name == "cspace_copy_cap_from"


class TestTrace:
    def __init__(self, test_id, roots):
        self.id = test_id
        self.roots = roots  # (partition, cspace) of the boot that ran it, or None
        self.calls = []  # (path, num, inputs, x0, x1)
        self.dropped = 0


def read_trace(lines):
    """TRACE lines -> [TestTrace] in order; other lines are ignored. A test id seen again (another
    boot) starts a new TestTrace."""
    tests, current, roots = [], {}, None
    for line in lines:
        start = line.find(protocol.PREFIX)
        if start < 0:
            continue
        m = TRACE.match(line[start:].rstrip())
        if m is None:
            continue
        if m["partition"] is not None:
            roots = (int(m["partition"], 16), int(m["cspace"], 16))
            current = {}
            continue
        t = current.get(m["test_case_id"])
        if t is None:
            t = current[m["test_case_id"]] = TestTrace(m["test_case_id"], roots)
            tests.append(t)
        if m["dropped"] is not None:
            t.dropped += int(m["dropped"])
            continue
        inputs = [int(v, 16) for v in m["inputs"].split()]
        t.calls.append((m["path"], int(m["call"], 16), inputs, int(m["x0"], 16), int(m["x1"], 16)))
    return tests


def cap_types(spec_calls_h):
    """call name -> [enum spec_obj per input] from the fuzzers' spec_calls.h."""
    out = {}
    with open(spec_calls_h) as f:
        for line in f:
            m = CAP_TYPES_RE.match(line)
            if m:
                out[m.group(1)] = [int(v) for v in m.group(2).split(",")]
    return out


def own_caps(tests, rows, types):
    """roots -> {value: True for the vCPU, False for the VIC}: per boot, the value its tests pass
    most often as a VIC (thread) cap that no create or copy of that boot returned."""
    by_num = {num: name for num, name, _ in rows}
    made, seen = {}, {}
    for t in tests:
        for _, num, inputs, x0, x1 in t.calls:
            name = by_num.get(num)
            if name is not None and x0 == 0 and _returns_cap(name):
                made.setdefault(t.roots, set()).add(x1)
    for t in tests:
        for _, num, inputs, _, _ in t.calls:
            kinds = types.get(by_num.get(num), [])
            for i, v in enumerate(inputs):
                if i < len(kinds) and kinds[i] in (SPEC_OBJ_VIC, SPEC_OBJ_THREAD):
                    key = (t.roots, kinds[i] == SPEC_OBJ_THREAD)
                    seen.setdefault(key, {}).setdefault(v, set()).add(t.id)
    out = {}
    for (roots, is_vcpu), values in seen.items():
        skip = made.get(roots, set()) | set(roots or ()) | {2**64 - 1}
        ranked = sorted(((len(ids), v) for v, ids in values.items() if v not in skip),
                        reverse=True)
        if ranked and ranked[0][0] >= OWN_MIN_TESTS:
            out.setdefault(roots, {})[ranked[0][1]] = is_vcpu
    return out


class Stats:
    def __init__(self):
        self.calls = self.caps = self.flips = self.raw = self.skipped = self.cut = 0
        self.own = 0


def seed_of(test, rows, stats, own=None):
    """The hypercall_seq input replaying test's calls; None when none can be written. own: value
    -> True (own vCPU) / False (own VIC) for the test's boot."""
    own = own or {}
    by_num = {num: name for num, name, _ in rows}
    n_inputs = {name: n for _, name, n in rows}
    pool = {}  # cap ID -> pool index (the newest index wins when an ID comes back)
    size = 0
    if test.roots is not None:
        pool = {test.roots[0]: 0, test.roots[1]: 1}
        size = 2
    seq = seqasm.Seq(rows)
    made = 0

    def arg(v):
        if v in own and v not in pool:
            stats.own += 1
            return seqasm.own(vcpu=own[v])
        if v in pool:
            stats.caps += 1
            return seqasm.anycap(pool[v])
        for cap, idx in pool.items():
            d = v ^ cap
            if d and d & (d - 1) == 0:
                stats.flips += 1
                return seqasm.flip(idx, d.bit_length() - 1)
        stats.raw += 1
        return seqasm.raw(v)

    for path, num, inputs, x0, x1 in test.calls:
        if made == SEQ_MAX_CALLS:
            stats.cut += 1
            break
        who = seqasm.who(smccc=path == "s")
        name = by_num.get(num)
        if name is not None:
            n = min(n_inputs[name], 7 if path == "s" else 8)
            seq.call(name, *[arg(v) for v in (inputs + [0] * n)[:n]], caller=who)
        elif num <= RAW_MAX_NUM:
            # Not in the spec: the fuzzer reads 8 inputs (7 on SMCCC); the trace has none.
            seq.raw_call(num, *[seqasm.val(0)] * (7 if path == "s" else 8), caller=who)
        else:
            stats.skipped += 1
            continue
        made += 1
        stats.calls += 1
        if name is not None and x0 == 0 and _returns_cap(name) and size < SEQ_POOL_SIZE:
            pool[x1] = size
            size += 1
    return seq.bytes() if made else None


SEED_PREFIX = "trace-"  # hand-made seeds (make_seeds.py) share the folder under other names


def seed_name(test_id):
    return SEED_PREFIX + test_id


def convert(lines, rows, out, types=None):
    """Writes one seed a test into out (identical inputs once), replacing the trace seeds already
    there; returns (tests, written, stats). types: cap_types() of the spec, to find own caps."""
    tests = read_trace(lines)
    owns = own_caps(tests, rows, types or {})
    stats = Stats()
    seen = set()
    written = 0
    os.makedirs(out, exist_ok=True)
    for name in os.listdir(out):
        if name.startswith(SEED_PREFIX):
            os.remove(os.path.join(out, name))
    for t in tests:
        data = seed_of(t, rows, stats, owns.get(t.roots))
        if data is None:
            continue
        digest = hashlib.sha1(data).digest()
        if digest in seen:
            continue
        seen.add(digest)
        with open(os.path.join(out, seed_name(t.id)), "wb") as f:
            f.write(data)
        written += 1
    return tests, written, stats


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trace", required=True, help="TRACE lines (humpy_harness run --trace)")
    ap.add_argument("--spec-calls", required=True, help="the fuzzers' generated spec_calls.h")
    ap.add_argument("--out", required=True, help="where the seeds go (hypercall_seq corpus)")
    args = ap.parse_args()

    rows = seqasm.spec_rows(args.spec_calls)
    with open(args.trace) as f:
        tests, written, s = convert(f, rows, args.out, cap_types(args.spec_calls))
    if not tests:
        raise SystemExit(f"{args.trace}: no TRACE lines of any test")
    no_roots = sum(1 for t in tests if t.roots is None)
    print(f"trace2seeds: {len(tests)} traced tests -> {written} seeds in {args.out} "
          f"({s.calls} calls; arguments: {s.caps} caps, {s.own} own VIC/vCPU caps, {s.flips} "
          f"flipped caps, {s.raw} raw; "
          f"{s.cut} tests cut at {SEQ_MAX_CALLS} calls, {s.skipped} calls past 0xff left out"
          + (f"; {no_roots} tests without root caps" if no_roots else "") + ")")


if __name__ == "__main__":
    main()

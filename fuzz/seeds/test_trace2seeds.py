"""trace2seeds on a canned trace: exact seed bytes, cap IDs mapped to the fuzzer's pool."""

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import trace2seeds  # noqa: E402
from seqasm import Seq, anycap, flip, own, raw, val, who  # noqa: E402

# (num, name, n_inputs) as in spec_calls.h; row order matters (the seed names rows).
ROWS = [(0x00, "hypervisor_identify", 0), (0x01, "partition_create_partition", 3),
        (0x02, "partition_create_cspace", 3), (0x0C, "object_activate", 2),
        (0x22, "cspace_delete_cap_from", 3), (0x23, "cspace_copy_cap_from", 5),
        (0x25, "cspace_configure", 3)]

PART, CSPACE, NEW_CS, COPY = 0xE6677440F63C12A3, 0xE6677440F63CFF80, 0xE6677440F63D0001, 0xE66774400000C0DE
CANNED = f"""\
[humpy] BEGIN profile=hlos tests=3
[humpy] TRACE caps partition={PART:x} cspace={CSPACE:x}
[humpy] RUN root.lifecycle
[humpy] TRACE root.lifecycle n 0x02 {PART:x} {CSPACE:x} 0 -> 0 {NEW_CS:x}
[humpy] TRACE root.lifecycle n 0x25 {NEW_CS:x} 4 0 -> 0 0
[humpy] TRACE root.lifecycle n 0x0c {NEW_CS ^ 0x10:x} 0 -> ffffffffffffffff 0
[humpy] TRACE root.lifecycle s 0x0c {NEW_CS:x} 0 -> 0 0
[humpy] TRACE root.lifecycle n 0x02 {PART:x} {CSPACE:x} 0 -> 34 0
[humpy] TRACE root.lifecycle n 0x23 {CSPACE:x} {PART:x} {CSPACE:x} 80000001 0 -> 0 {COPY:x}
[humpy] TRACE root.lifecycle n 0x22 {CSPACE:x} {COPY:x} 0 -> 0 0
[humpy] TRACE root.lifecycle n 0x22 {CSPACE:x} {NEW_CS:x} 0 -> 0 0
[humpy] TRACE root.lifecycle s 0x08 -> ffffffffffffffff 0
[humpy] TRACE root.lifecycle n 0x1ff -> ffffffffffffffff 0
[humpy] TRACE root.lifecycle dropped=3
[humpy] RESULT root.lifecycle PASS
[humpy] RUN identify.api_info
[humpy] TRACE identify.api_info n 0x00 -> 5100000000008001 1
[humpy] RESULT identify.api_info PASS
[humpy] RUN identify.again
[humpy] TRACE identify.again n 0x00 -> 5100000000008001 1
[humpy] RESULT identify.again PASS
[humpy] END pass=3 fail=0 skip=0 error=0
"""


def expected_lifecycle():
    s = Seq(ROWS)
    s.call("partition_create_cspace", anycap(0), anycap(1), raw(0))            # pool 2
    s.call("cspace_configure", anycap(2), raw(4), raw(0))
    s.call("object_activate", flip(2, 4), raw(0))
    s.call("object_activate", anycap(2), raw(0), caller=who(smccc=True))
    s.call("partition_create_cspace", anycap(0), anycap(1), raw(0))            # failed: no pool entry
    s.call("cspace_copy_cap_from", anycap(1), anycap(0), anycap(1), raw(0x80000001), raw(0))  # 3
    s.call("cspace_delete_cap_from", anycap(1), anycap(3), raw(0))
    s.call("cspace_delete_cap_from", anycap(1), anycap(2), raw(0))
    s.raw_call(0x08, *[val(0)] * 7, caller=who(smccc=True))
    return s.bytes()


def test_lifecycle_maps_root_and_returned_caps(tmp_path):
    tests, written, stats = trace2seeds.convert(CANNED.splitlines(), ROWS, str(tmp_path))
    assert [t.id for t in tests] == ["root.lifecycle", "identify.api_info", "identify.again"]
    assert tests[0].dropped == 3
    assert (tmp_path / "trace-root.lifecycle").read_bytes() == expected_lifecycle()
    assert (stats.calls, stats.caps, stats.flips, stats.skipped) == (11, 13, 1, 1)


def test_identical_seeds_written_once(tmp_path):
    _, written, _ = trace2seeds.convert(CANNED.splitlines(), ROWS, str(tmp_path))
    assert written == 2
    assert sorted(os.listdir(tmp_path)) == ["trace-identify.api_info", "trace-root.lifecycle"]
    s = Seq(ROWS)
    s.call("hypervisor_identify")
    assert (tmp_path / "trace-identify.api_info").read_bytes() == s.bytes()


def test_stale_trace_seeds_go_hand_made_stay(tmp_path):
    (tmp_path / "trace-gone.test").write_bytes(b"x")
    (tmp_path / "cspace_lifecycle").write_bytes(b"hand")
    trace2seeds.convert(CANNED.splitlines(), ROWS, str(tmp_path))
    assert not (tmp_path / "trace-gone.test").exists()
    assert (tmp_path / "cspace_lifecycle").read_bytes() == b"hand"


def test_each_boot_has_its_own_root_caps(tmp_path):
    """A second boot (another shard) obfuscates differently: its caps line restarts the map."""
    other = 0x1111222233334444
    text = CANNED + (f"[humpy] TRACE caps partition={other:x} cspace={other + 1:x}\n"
                     f"[humpy] TRACE root.shard n 0x0c {other + 1:x} {PART:x} -> 0 0\n")
    tests, _, _ = trace2seeds.convert(text.splitlines(), ROWS, str(tmp_path))
    s = Seq(ROWS)
    s.call("object_activate", anycap(1), raw(PART))  # the first boot's cap is just a number now
    assert (tmp_path / "trace-root.shard").read_bytes() == s.bytes()


def test_long_test_is_cut_at_the_fuzzers_limit(tmp_path):
    lines = [f"[humpy] TRACE caps partition={PART:x} cspace={CSPACE:x}"]
    lines += [f"[humpy] TRACE root.long n 0x0c {CSPACE:x} 0 -> 0 0"] * 60
    _, _, stats = trace2seeds.convert(lines, ROWS, str(tmp_path))
    s = Seq(ROWS)
    for _ in range(trace2seeds.SEQ_MAX_CALLS):
        s.call("object_activate", anycap(1), raw(0))
    assert (tmp_path / "trace-root.long").read_bytes() == s.bytes()
    assert stats.cut == 1


def test_no_root_caps_leaves_values_raw(tmp_path):
    lines = [f"[humpy] TRACE root.noroots n 0x0c {CSPACE:x} 0 -> 0 0"]
    tests, _, _ = trace2seeds.convert(lines, ROWS, str(tmp_path))
    assert tests[0].roots is None
    s = Seq(ROWS)
    s.call("object_activate", raw(CSPACE), raw(0))
    assert (tmp_path / "trace-root.noroots").read_bytes() == s.bytes()


def test_command_line_over_a_generated_header(tmp_path):
    header = tmp_path / "spec_calls.h"
    header.write_text("".join(f'\t{{0x{num:x}, "{name}", {n}, 1, 0x00, 0x00, 0x00, {{0}}, {{0}}}},\n'
                              for num, name, n in ROWS))
    trace = tmp_path / "conformance.trace"
    trace.write_text(CANNED)
    out = tmp_path / "seeds"
    proc = subprocess.run([sys.executable, trace2seeds.__file__, "--trace", str(trace),
                           "--spec-calls", str(header), "--out", str(out)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"trace2seeds: 3 traced tests -> 2 seeds in {out} (11 calls;")
    assert (out / "trace-root.lifecycle").read_bytes() == expected_lifecycle()
    trace.write_text("[humpy] BEGIN profile=hlos tests=0\n")
    proc = subprocess.run([sys.executable, trace2seeds.__file__, "--trace", str(trace),
                           "--spec-calls", str(header), "--out", str(out)],
                          capture_output=True, text=True)
    assert proc.returncode == 1 and "no TRACE lines" in proc.stderr


def test_own_vic_and_vcpu_become_own_cap_arguments(tmp_path):
    # The guest's own VIC and vCPU caps come from /chosen, not the `caps` line: two tests pass the
    # same values as a VIC and a thread cap that no call made, so they are the root's own caps.
    vic, vcpu, db = 0xE6677440F63C0B90, 0xE6677440F63CEE61, 0xE6677440F63D0D0B
    rows = ROWS + [(0x06, "partition_create_doorbell", 3), (0x10, "doorbell_bind_virq", 4),
                   (0x29, "vic_attach_vcpu", 4)]
    types = {"doorbell_bind_virq": [7, 9, 0, 0, 0, 0, 0, 0],
             "vic_attach_vcpu": [9, 6, 0, 0, 0, 0, 0, 0]}
    lines = [f"[humpy] TRACE caps partition={PART:x} cspace={CSPACE:x}"]
    for t in ("doorbell.a", "doorbell.b"):
        lines += [f"[humpy] TRACE {t} n 0x06 {PART:x} {CSPACE:x} 0 -> 0 {db:x}",
                  f"[humpy] TRACE {t} n 0x10 {db:x} {vic:x} 40 0 -> 0 0",
                  f"[humpy] TRACE {t} n 0x29 {vic:x} {vcpu:x} 0 0 -> 21 0"]
    tests, written, stats = trace2seeds.convert(lines, rows, str(tmp_path), types)
    assert (len(tests), written, stats.own) == (2, 1, 6)
    s = Seq(rows)
    s.call("partition_create_doorbell", anycap(0), anycap(1), raw(0))
    s.call("doorbell_bind_virq", anycap(2), own(), raw(0x40), raw(0))
    s.call("vic_attach_vcpu", own(), own(vcpu=True), raw(0), raw(0))
    assert (tmp_path / "trace-doorbell.a").read_bytes() == s.bytes()
    # Without the types (or seen in one test only) the values stay raw.
    _, _, stats = trace2seeds.convert(lines[:4], rows, str(tmp_path), types)
    assert stats.own == 0

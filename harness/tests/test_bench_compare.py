"""bench-compare (harness/humpy_harness/bench_compare.py): its rows from two benches, its table and
JSON over the fake QEMU, and one line for every way a side can fail."""

import json
import os
import shutil
import subprocess
import sys

from conftest import FAKE_QEMU, HARNESS, REPO, SCENARIOS

from humpy_harness.bench_compare import rows
from humpy_harness.model import Bench
from humpy_harness.qemu import PACKED_MAGIC

SCENARIO = """tests:
  - {id: identify.api_info, result: PASS}
profile: {name: root, reason: root caps in /chosen}
bench:
  - {name: identify.native, value: 40, unit: insns}
  - {name: identify.smccc, value: 50, unit: insns}
  - {name: vcpu.switch, na: no second vCPU}
"""


def compare(tmp_path, a, b, *extra, scenario=SCENARIO):
    guest = tmp_path / "guest.yaml"
    guest.write_text(scenario)
    argv = [sys.executable, "-m", "humpy_harness", "bench-compare", str(a), str(b),
            "--guest", str(guest), "--qemu", str(FAKE_QEMU), "--reports",
            str(tmp_path / "reports"), *extra]
    return subprocess.run(argv, capture_output=True, text=True, timeout=60, cwd=REPO,
                          env=dict(os.environ, PYTHONPATH=str(HARNESS)))


def test_rows_pair_by_name_and_say_why_a_row_has_no_ratio():
    a = [Bench("x", 10, "insns"), Bench("y", None, reason="no vCPU"), Bench("z", 5, "ticks"),
         Bench("zero", 0, "insns")]
    b = [Bench("w", 3, "insns"), Bench("z", 5, "insns"), Bench("x", 12, "insns"),
         Bench("zero", 7, "insns")]
    got = {r["name"]: r for r in rows(a, b)}
    assert [r["name"] for r in rows(a, b)] == ["x", "y", "z", "zero", "w"]  # A's order, then B's
    assert got["x"] == {"name": "x", "unit": "insns", "a": 10, "b": 12, "ratio": 1.2,
                        "reason": None}
    assert got["y"] == {"name": "y", "unit": None, "a": None, "b": None, "ratio": None,
                        "reason": "A: no vCPU; B: no such benchmark in that build"}
    assert got["z"]["ratio"] is None and got["z"]["reason"] == "units differ (ticks against insns)"
    assert got["zero"]["ratio"] is None and got["zero"]["reason"] == "A is 0"
    assert got["w"] == {"name": "w", "unit": "insns", "a": None, "b": 3, "ratio": None,
                        "reason": "A: no such benchmark in that build"}


def test_two_columns_ratio_and_json(tmp_path):
    a = SCENARIOS / "hyp.elf"
    b = tmp_path / "other.elf"
    shutil.copyfile(a, b)
    proc = compare(tmp_path, a, b)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[:2] == [f"A = {a}", f"B = {b}"]
    assert lines[2].split() == ["BENCHMARK", "A", "B", "B/A", "UNIT"]
    assert lines[3].split() == ["identify.native", "40", "40", "1.000", "insns"]
    assert lines[4].split() == ["identify.smccc", "50", "50", "1.000", "insns"]
    assert lines[5].split() == ["vcpu.switch", "n/a", "n/a", "n/a", "-", "A:", "no", "second",
                                "vCPU;", "B:", "no", "second", "vCPU"]
    assert lines[6] == ("humpy bench-compare: OK: 3 benchmark(s), 2 compared, 1 n/a; B/A from "
                        "1.000 to 1.000")
    reports = tmp_path / "reports"
    data = json.loads((reports / "bench-compare.json").read_text())
    assert data["schema"] == "humpy-bench-compare/1"
    assert data["a"]["hyp"] == str(a) and data["b"]["hyp"] == str(b)
    assert [(r["name"], r["a"], r["b"], r["ratio"]) for r in data["rows"]] == [
        ("identify.native", 40, 40, 1.0), ("identify.smccc", 50, 50, 1.0),
        ("vcpu.switch", None, None, None)]
    # Each side's own bench JSON, and each booted its own hypervisor under -icount shift=0.
    for side, hyp in (("a", a), ("b", b)):
        own = json.loads((reports / f"bench-compare-{side}.json").read_text())
        assert own["info"]["hyp"] == str(hyp)
        cmd = own["runs"][0]["command"]
        assert cmd[cmd.index("-kernel") + 1] == str(hyp) and cmd[-2:] == ["-icount", "shift=0"]


def one_line_error(proc, code, start):
    assert proc.returncode == code, proc.stdout + proc.stderr
    assert proc.stdout == "" and "Traceback" not in proc.stderr
    assert len(proc.stderr.splitlines()) == 1, proc.stderr
    assert proc.stderr.startswith("humpy_harness: error: " + start), proc.stderr


def test_every_failure_is_one_line(tmp_path):
    good = SCENARIOS / "hyp.elf"
    one_line_error(compare(tmp_path, good, tmp_path / "nope.elf"), 4,
                   f"B: hypervisor image {tmp_path / 'nope.elf'} not found")
    text = tmp_path / "notes.txt"
    text.write_text("not a kernel\n")
    one_line_error(compare(tmp_path, text, good), 4,
                   f"A: hypervisor image {text} is not an AArch64 ELF or Image")
    # A packed humpy.bin: an arm64 Image header with pack-image.py's payload a page further.
    packed = tmp_path / "humpy.bin"
    head = bytearray(4096)
    head[0x38:0x3C] = b"ARM\x64"
    packed.write_bytes(bytes(head) + PACKED_MAGIC + bytes(56))
    one_line_error(compare(tmp_path, good, packed), 4,
                   f"B: hypervisor image {packed}: humpy.bin carries its own payload")
    # Neither side boots before the missing file is named: nothing written.
    assert not (tmp_path / "reports" / "bench-compare.json").exists()
    # A build that never reaches the guest (an EL2 abort, then silence) ends its boot at the idle
    # limit: one line naming the side, the build and the log.
    proc = compare(tmp_path, good, good, "--idle-timeout", "1",
                   scenario=SCENARIO + "needs_smp: 8\n")
    one_line_error(proc, 1, f"A ({good}) gave no benchmarks: TIMEOUT: ")
    assert "(log " in proc.stderr and not (tmp_path / "reports" / "bench-compare.json").exists()


def make(*args):
    return subprocess.run(["make", "--no-print-directory", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=60)


def test_make_needs_both_builds(tmp_path):
    proc = make("bench-compare", "A=x", f"BUILD={tmp_path}")
    assert proc.returncode == 2 and proc.stdout == ""
    assert "make bench-compare: name both builds, A=path/to/hyp.elf B=path/to/other.elf" in \
        proc.stderr


def test_make_hyp_and_hyp_variant_name_the_image_booted(tmp_path):
    # HYP= boots any image (the guest stays ours); HYP_VARIANT= builds humpy into its own folder.
    b = f"BUILD={tmp_path}"
    for target in ("conformance-run", "bench"):
        out = make("-n", target, b).stdout
        assert f"--hyp {tmp_path}/hyp/hyp.elf --guest {tmp_path}/conformance/guest.bin" in out
        out = make("-n", target, b, "HYP=other/hyp.elf").stdout
        assert f"--hyp other/hyp.elf --guest {tmp_path}/conformance/guest.bin" in out
        out = make("-n", target, b, "HYP_VARIANT=clang-O0").stdout
        assert f"--hyp {tmp_path}/hyp-clang-O0/hyp.elf --guest {tmp_path}/conformance/guest.bin" \
            in out
    proc = make("-n", "hyp", b, "HYP_VARIANT=clang-O3-debug")
    cc = [line for line in proc.stdout.splitlines() if " -c -o " in line and "main.c" in line]
    assert len(cc) == 1 and cc[0].startswith("clang --target=aarch64-linux-gnu -std=gnu11 -O3 ")
    assert " -fsanitize=undefined -fsanitize-undefined-trap-on-error " in cc[0]
    assert f" -c -o {tmp_path}/hyp-clang-O3-debug/obj/hyp/core/main.c.o " in cc[0]
    proc = make("-n", "hyp", b, "HYP_VARIANT=gcc-fast")
    assert proc.returncode == 2 and "HYP_VARIANT=gcc-fast: unknown 'fast'" in proc.stderr
    # HYP_ELF= on the command line renames humpy's link output: make would overwrite that file.
    proc = make("-n", "conformance", b, "HYP_ELF=their/hypvm.elf")
    assert proc.returncode == 2 and proc.stdout == ""
    assert ("HYP_ELF=their/hypvm.elf would be overwritten by humpy's link; to run another build "
            "give HYP=their/hypvm.elf") in proc.stderr

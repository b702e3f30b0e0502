"""humpy built other ways passes the same suite (issue 12, point 3). hyp/hyp.mk's HYP_VARIANT (a
compiler, an optimisation level, debug or release) builds into $(BUILD)/hyp-<variant> beside the
tested build, whose guest it reuses; each variant here runs the whole suite against humpy's
expectations, then bench-compare puts its benchmarks beside the tested build's. Two variants, the
farthest from the default (gcc -O2): the other compiler at -O2, and the default compiler at -O0
(which once entered the guest at PC 0: boot.S's stack overlapped the guest frame). hyp/README.md
has the figures of every variant."""

import json
import os
import subprocess
import sys

import pytest

from conftest import BUILD, CROSS, EXPECT_HUMPY, GUEST, HARNESS, HYP, QEMU, REPO, compiled_tests, \
    verdicts

VARIANTS = ["clang-O2", "gcc-O0"]


def build_variant(variant):
    # A clean make environment: the outer make's jobserver does not reach this process.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    proc = subprocess.run(["make", "--no-print-directory", "-j2", f"BUILD={BUILD}",
                           f"HYP_VARIANT={variant}", "hyp"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return f"{BUILD}/hyp-{variant}/hyp.elf"


def producers(elf):
    """What compiled each C file of the ELF: the DWARF producers (gcc's with its options; hyp.ld
    discards .comment)."""
    info = subprocess.run([f"{CROSS}readelf", "--debug-dump=info", str(REPO / elf)],
                          capture_output=True, text=True, check=True).stdout
    return {line.split("DW_AT_producer", 1)[1] for line in info.splitlines()
            if "DW_AT_producer" in line and "GNU AS" not in line}


@pytest.mark.parametrize("variant", VARIANTS)
def test_variant_passes_the_suite_and_benches(harness, reports_dir, variant):
    elf = build_variant(variant)
    made_by = producers(elf)
    compiler, level = variant.split("-")
    assert made_by, elf
    if compiler == "clang":  # clang's producer names no options
        assert all("clang version" in p for p in made_by), made_by
    else:
        # GNU GIMPLE: the code link-time optimisation made (hyp.mk's HYP_LTO_FLAGS), same level.
        assert all(("GNU C11 " in p or "GNU GIMPLE " in p) and f" -{level} " in p
                   for p in made_by), made_by
    # The whole suite, as make conformance runs it: humpy's expectations, every test compiled
    # into the guest listed and run. -O0 runs slower under TCG than the default 60 s boot limit.
    proc, data = harness("run", "--expect", EXPECT_HUMPY, "--timeout", "400", hyp=elf,
                         timeout=500)
    got = verdicts(data)
    bad = {k: v for k, v in got.items() if v not in ("PASS", "SKIP")}
    assert not bad, f"{variant}: not PASS: {bad}; see {data['runs'][-1]['log']}"
    assert proc.returncode == 0 and data["expect"]["ok"], proc.stdout[-3000:]
    assert data["info"]["hyp"] == elf
    descs, selftests = compiled_tests(GUEST)
    assert len(got) == len(descs) - selftests
    assert data["profile"]["profile"] == "root"
    # The tested build (A) beside the variant (B): every benchmark measured on both.
    argv = [sys.executable, "-m", "humpy_harness", "bench-compare", HYP, elf, "--guest", GUEST,
            "--qemu", QEMU, "--reports", str(reports_dir)]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=300, cwd=REPO,
                          env=dict(os.environ, PYTHONPATH=str(HARNESS)))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    print(proc.stdout)  # the figures, for pytest -s
    data = json.loads((reports_dir / "bench-compare.json").read_text())
    rows = {r["name"]: r for r in data["rows"]}
    assert rows, proc.stdout
    for r in rows.values():  # what the tested build measures, the variant measures too
        if r["a"] is None:
            assert r["b"] is None and r["reason"].startswith("A: "), r
        else:
            assert r["ratio"] == round(r["b"] / r["a"], 4) and r["unit"] == "insns", r
    # The null hypercall is answered in vectors.S: no compiler or level changes it.
    assert rows["identify.native"]["a"] == rows["identify.native"]["b"] <= 30

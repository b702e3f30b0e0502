"""The pytest plugin as pytest users expect it (issue 12): collection without QEMU, markers per
area and profile, each item's JUnit time its own test's, the plugin loaded by `pytest_plugins`
or `-p`, and pytest-xdist giving each worker its share. Over the fake QEMU, with a guest image
whose test table is read statically (tests/static_guest.py)."""

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

import fdt_bootargs
import static_guest
from conftest import FAKE_QEMU, HARNESS, REPO, SCENARIOS

SCENARIO = """\
tests:
  - {id: identify.api_info, result: PASS}
  - {id: identify.flags, do: "sleep 0.6", result: PASS}
  - {id: msgq.send, result: PASS}
  - {id: msgq.recv, result: "SKIP msgq: no root caps"}
  - {id: root.sweep, result: PASS}
  - {id: psci.version, result: PASS}
  - {id: selftest.fail, result: "FAIL x0: expected 0x1 got 0x2", hidden: true}
"""
IDS = ["identify.api_info", "identify.flags", "msgq.send", "msgq.recv", "root.sweep",
       "psci.version", "selftest.fail"]
VISIBLE = sorted(IDS[:-1])  # the guest's order: visible tests by id
HLOS = """\
profile: hlos
skip:
  - tests: [msgq.*, root.*]
    except: [root.sweep]
    reason: "msgq: no root caps"
"""


@pytest.fixture
def guest(tmp_path):
    return static_guest.write(tmp_path / "image", SCENARIO, IDS)


def run(tmp_path, guest, *args, suite=None, timeout=120):
    """pytest over the suite (harness/suite, or a suite file loaded with -p); returns
    (CompletedProcess, {case: (kind, element)}, [argv of every QEMU started, dumpdtb included])."""
    junit, argv_log = tmp_path / "junit.xml", tmp_path / "argv.jsonl"
    for f in (junit, argv_log):
        f.unlink(missing_ok=True)
    argv = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rs"]
    argv += ["-p", "humpy_harness.pytest_plugin", str(suite)] if suite else [str(HARNESS / "suite")]
    # The "=" forms: pytest takes the common folder of the path-like arguments as its rootdir.
    argv += [f"--junitxml={junit}", f"--humpy-qemu={FAKE_QEMU}",
             f"--humpy-hyp={SCENARIOS / 'hyp.elf'}", f"--humpy-guest={guest}",
             f"--humpy-reports={tmp_path / 'reports'}", "--humpy-expect=none", *args]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, cwd=REPO,
                          env=dict(os.environ, PYTHONPATH=str(HARNESS),
                                   FAKE_QEMU_ARGV_LOG=str(argv_log)))
    cases = {}
    if junit.exists():
        for c in ET.parse(junit).getroot().iter("testcase"):
            kind = next((k for k in ("failure", "error", "skipped") if c.find(k) is not None),
                        "passed")
            cases[c.get("name")] = (kind, c)
    qemus = [json.loads(x) for x in argv_log.read_text().splitlines()] if argv_log.exists() else []
    return proc, cases, qemus


def ids(stdout):
    """The collected node ids of a -q --collect-only run, each from its file's name on."""
    return [line.rsplit("/", 1)[-1] for line in stdout.splitlines()]


def boots(qemus):
    """The guest boots among the QEMU processes (not the device-tree dumps), as their bootargs."""
    return [fdt_bootargs.of(q) for q in qemus if not any("dumpdtb" in a for a in q)]


def test_collect_only_starts_no_qemu(tmp_path, guest):
    proc, _, qemus = run(tmp_path, guest, "--collect-only")
    assert proc.returncode == 0, proc.stdout
    assert proc.stdout.splitlines()[:6] == ["harness/suite/conformance.humpy::" + t for t in VISIBLE]
    assert qemus == []  # not even the device-tree dump
    # The guest's selection rules without it: a hidden test only when named, and last.
    proc, _, qemus = run(tmp_path, guest, "--collect-only", "--humpy-tests",
                         "selftest.fail,identify.*")
    assert proc.stdout.splitlines()[:3] == ["harness/suite/conformance.humpy::" + t for t in
                                            ("identify.api_info", "identify.flags",
                                             "selftest.fail")]
    assert qemus == []
    assert not (tmp_path / "reports" / ".pytest-conformance.lock").exists()


def test_the_run_is_one_boot_when_the_first_item_runs(tmp_path, guest):
    proc, cases, qemus = run(tmp_path, guest, "-rA")
    assert proc.returncode == 0, proc.stdout
    assert {k: v[0] for k, v in cases.items()} == {
        t: "skipped" if t == "msgq.recv" else "passed" for t in VISIBLE}
    # No list boot: one boot, the whole list, so no humpy.tests at all.
    assert boots(qemus) == ["humpy.cover"]
    data = json.loads((tmp_path / "reports" / "pytest-conformance.json").read_text())
    assert [r["mode"] for r in data["runs"]] == ["run"]
    assert data["listed"] == VISIBLE
    assert "humpy: one QEMU run of 6 test(s), " in proc.stdout


def test_markers_select_areas_and_profiles_strictly(tmp_path, guest):
    proc, cases, qemus = run(tmp_path, guest, "--strict-markers", "-m", "msgq")
    assert proc.returncode == 0, proc.stdout
    assert sorted(cases) == ["msgq.recv", "msgq.send"]
    assert boots(qemus) == ["humpy.tests=msgq.recv,msgq.send humpy.cover"]
    proc, cases, _ = run(tmp_path, guest, "--strict-markers", "-m", "root or psci")
    assert sorted(cases) == ["psci.version", "root.sweep"]
    # Profiles come from the suite file's hlos_expect: the tests it lets SKIP need root.
    (tmp_path / "hlos.yaml").write_text(HLOS)
    suite = tmp_path / "mine.humpy"
    suite.write_text(f"hlos_expect: {tmp_path / 'hlos.yaml'}\n")
    proc, _, qemus = run(tmp_path, guest, "--strict-markers", "-m", "profile_root",
                         "--collect-only", suite=suite)
    assert proc.returncode == 0, proc.stdout
    # Node ids are relative to pytest's rootdir, which depends on where the checkout lies (a clone
    # under /tmp shares /tmp with tmp_path): compare from the suite file's name on.
    assert ids(proc.stdout)[:2] == [f"{suite.name}::msgq.recv", f"{suite.name}::msgq.send"]
    assert "2/6 tests collected (4 deselected)" in proc.stdout and qemus == []
    proc, _, _ = run(tmp_path, guest, "--strict-markers", "-m", "profile_hlos and not identify",
                     "--collect-only", suite=suite)
    assert ids(proc.stdout)[:2] == [f"{suite.name}::psci.version", f"{suite.name}::root.sweep"]
    # pytest --markers lists every area of the image and both profiles, before any collection.
    proc, _, qemus = run(tmp_path, guest, "--markers", suite=suite)
    listed = [line.split(":")[0] for line in proc.stdout.splitlines()
              if line.startswith("@pytest.mark.")]
    for name in ("identify", "msgq", "root", "psci", "selftest", "profile_root", "profile_hlos"):
        assert f"@pytest.mark.{name}" in listed, proc.stdout
    assert qemus == []


def test_junit_time_is_each_tests_own(tmp_path, guest):
    proc, cases, _ = run(tmp_path, guest, "--durations=0")
    assert proc.returncode == 0, proc.stdout
    times = {name: float(c.get("time")) for name, (_, c) in cases.items()}
    # identify.api_info runs first and waits for the whole boot (the device-tree dump and the
    # 0.6 s of identify.flags); its time is still its own test's RUN to RESULT.
    assert times["identify.api_info"] < 0.3, times
    assert 0.6 <= times["identify.flags"] < 1.5, times
    data = json.loads((tmp_path / "reports" / "pytest-conformance.json").read_text())
    own = {t["id"]: t["duration_s"] for t in data["tests"]}
    # JUnit adds the set-up and tear-down phases (milliseconds, more on a loaded machine).
    assert all(abs(times[t] - own[t]) < 0.05 for t in VISIBLE), (times, own)


def test_plugin_loaded_twice_registers_once(tmp_path, guest):
    # harness/suite/conftest.py names the plugin in pytest_plugins; -p as well is the same plugin.
    argv_extra = ("-p", "humpy_harness.pytest_plugin", "--collect-only")
    proc, _, _ = run(tmp_path, guest, *argv_extra)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "6 tests collected" in proc.stdout


def test_a_cached_list_boot_for_an_image_without_its_elf(tmp_path):
    # A YAML scenario has no ELF: the first collection boots in list mode, the next one reads the
    # cached answer (keyed by the images' bytes) and starts no QEMU.
    proc, _, qemus = run(tmp_path, SCENARIOS / "suite.yaml", "--collect-only")
    assert proc.returncode == 0, proc.stdout
    assert boots(qemus) == ["humpy.list"]
    proc, _, qemus = run(tmp_path, SCENARIOS / "suite.yaml", "--collect-only")
    assert proc.returncode == 0 and qemus == [], proc.stdout
    assert proc.stdout.splitlines()[0] == "harness/suite/conformance.humpy::identify.api_info"


def test_xdist_gives_each_worker_its_share(tmp_path, guest):
    pytest.importorskip("xdist")
    proc, cases, qemus = run(tmp_path, guest, "-n", "2", timeout=180)
    assert proc.returncode == 0, proc.stdout
    assert sorted(cases) == VISIBLE
    # Two boots, each told only its share: every other item of the collection, none twice.
    assert sorted(boots(qemus)) == [
        "humpy.tests=" + ",".join(VISIBLE[0::2]) + " humpy.cover",
        "humpy.tests=" + ",".join(VISIBLE[1::2]) + " humpy.cover"]
    for worker in ("gw0", "gw1"):
        data = json.loads((tmp_path / "reports" / f"pytest-conformance-{worker}.json").read_text())
        assert len(data["tests"]) == 3 and [r["mode"] for r in data["runs"]] == ["run"]
    assert "humpy [share 1/2, gw" in proc.stdout and "humpy [share 2/2, gw" in proc.stdout
    # A narrower selection is shared out the same way: one test each.
    proc, cases, qemus = run(tmp_path, guest, "-n", "2", "-m", "identify", timeout=180)
    assert sorted(cases) == ["identify.api_info", "identify.flags"]
    assert sorted(boots(qemus)) == ["humpy.tests=identify.api_info humpy.cover",
                                    "humpy.tests=identify.flags humpy.cover"]


def test_xdist_shares_still_find_stale_expectations(tmp_path, guest):
    pytest.importorskip("xdist")
    # One boot of everything fails on an entry that covers no test; the shares, each a narrowed
    # selection, must fail on it too (share 1 checks the entries against the whole list).
    exp = tmp_path / "exp.yaml"
    exp.write_text("profile: hlos\nskip:\n  - tests: msgq.recv\n    reason: 'msgq: no root caps'\n"
                   "  - tests: gone.*\n    reason: x\n")
    stale = "harness.expect FAIL: exp.yaml: stale entry gone.*: covers no test of the guest's list"
    for args in ((), ("-n", "2")):
        proc, cases, _ = run(tmp_path, guest, f"--humpy-expect={exp}", *args, timeout=180)
        assert proc.returncode == 1 and stale in proc.stdout, (args, proc.stdout)
        assert all(kind != "failure" for kind, _ in cases.values())
    # A narrowed selection is not judged for stale entries, with or without shares.
    proc, _, _ = run(tmp_path, guest, f"--humpy-expect={exp}", "-n", "2", "-m", "msgq",
                     timeout=180)
    assert proc.returncode == 0, proc.stdout
    assert "stale entries not checked (narrowed selection)" in proc.stdout

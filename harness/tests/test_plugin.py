"""The pytest plugin over the fake QEMU: items named by guest id, -k, verdict mapping, one boot."""

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

from conftest import FAKE_QEMU, HARNESS, REPO, SCENARIOS


def pytest_run(tmp_path, *args, guest="suite.yaml", expect="none"):
    # The suite file expects humpy's build (root profile); the fake guests run as hlos, so the
    # tests turn the check off unless they give a file.
    junit = tmp_path / "junit.xml"
    argv = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rs",
            str(HARNESS / "suite"), f"--junitxml={junit}", "--humpy-qemu", str(FAKE_QEMU),
            "--humpy-hyp", str(SCENARIOS / "hyp.elf"), "--humpy-guest", str(SCENARIOS / guest),
            "--humpy-reports", str(tmp_path / "reports"), *args]
    if expect:
        argv += ["--humpy-expect", expect]
    argv_log = tmp_path / "argv.jsonl"
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=60, cwd=REPO,
                          env=dict(os.environ, PYTHONPATH=str(HARNESS),
                                   FAKE_QEMU_ARGV_LOG=str(argv_log)))
    cases = {}
    if junit.exists():
        for c in ET.parse(junit).getroot().iter("testcase"):
            kind = next((k for k in ("failure", "error", "skipped") if c.find(k) is not None),
                        "passed")
            cases[c.get("name")] = (kind, c)
    boots = [json.loads(x) for x in argv_log.read_text().splitlines()] if argv_log.exists() else []
    boots = [b for b in boots if not any("dumpdtb" in a for a in b)]
    return proc, cases, boots


def test_items_are_guest_ids_and_k_selects(tmp_path):
    proc, cases, boots = pytest_run(tmp_path, "-k", "identify or vendor")
    assert proc.returncode == 0, proc.stdout
    assert {k: v[0] for k, v in cases.items()} == {
        "identify.api_info": "passed", "identify.flags": "passed", "smccc.vendor_uid": "passed"}
    assert len(boots) == 2  # the list boot, then one run for every selected item
    data = json.loads((tmp_path / "reports" / "pytest-conformance.json").read_text())
    assert data["runs"][1]["bootargs"] == (
        "humpy.tests=identify.api_info,identify.flags,smccc.vendor_uid humpy.cover")


def test_collect_only_boots_only_the_list(tmp_path):
    proc, _, boots = pytest_run(tmp_path, "--collect-only")
    assert proc.returncode == 0
    assert proc.stdout.splitlines()[:5] == [
        "harness/suite/conformance.humpy::" + t for t in
        ("identify.api_info", "identify.flags", "smccc.vendor_uid", "psci.version",
         "psci.features")]
    assert len(boots) == 1


def test_verdicts_map_to_outcomes(tmp_path):
    scenario = tmp_path / "mixed.yaml"
    scenario.write_text(
        "tests:\n"
        "  - {id: a.pass, result: PASS}\n"
        "  - {id: a.fail, result: 'FAIL x0: expected 0x1 got 0x2'}\n"
        "  - {id: a.skip, result: 'SKIP identify flags0 bit 2 (msgqueue) clear'}\n"
        "  - {id: a.error, result: 'ERROR time limit 2000 ms exceeded'}\n"
        "  - {id: a.crash, do: crash}\n"
        "  - {id: a.after, result: PASS}\n")
    proc, cases, boots = pytest_run(tmp_path, guest=str(scenario))
    assert proc.returncode == 1
    assert {k: v[0] for k, v in cases.items()} == {
        "a.pass": "passed", "a.fail": "failure", "a.skip": "skipped", "a.error": "failure",
        "a.crash": "failure", "a.after": "failure"}
    fail = cases["a.fail"][1].find("failure")
    assert fail.get("message").startswith("FAIL: x0: expected 0x1 got 0x2")
    assert "console log: " in fail.text and "-run.log line " in fail.text
    assert cases["a.skip"][1].find("skipped").get("message") == (
        "identify flags0 bit 2 (msgqueue) clear")
    assert cases["a.error"][1].find("failure").get("message").startswith(
        "ERROR: time limit 2000 ms exceeded")
    assert "CRASH: QEMU exited with status 0 without END" in (
        cases["a.crash"][1].find("failure").get("message"))
    assert cases["a.after"][1].find("failure").get("message").startswith(
        "NOTRUN: not run: the run ended early (crash)")
    assert len(boots) == 2


def test_timeout_in_the_plugin(tmp_path):
    proc, cases, _ = pytest_run(tmp_path, "--humpy-tests", "identify.api_info,selftest.hang",
                                "--humpy-timeout", "1")
    assert proc.returncode == 1
    assert cases["identify.api_info"][0] == "passed"
    assert cases["selftest.hang"][1].find("failure").get("message").startswith(
        "TIMEOUT: run exceeded its 1 s limit")


def test_crash_between_tests_fails_the_session(tmp_path):
    scenario = tmp_path / "between.yaml"
    scenario.write_text("console: between.console\n")
    (tmp_path / "between.console").write_text(
        "[humpy] BEGIN profile=hlos tests=1\n[humpy] TEST a.b\n"
        "[humpy] END pass=0 fail=0 skip=0 error=0\n")
    # The same canned console answers the list boot (a.b listed) and the run boot, where it
    # never RUNs a.b: a.b is NOTRUN and the END counts do not match. Both must fail.
    proc, cases, _ = pytest_run(tmp_path, guest=str(scenario))
    assert proc.returncode == 1
    assert cases["a.b"][0] == "failure"
    assert "humpy: harness.run ERROR: BEGIN announced tests=1 but 0 test(s) ran" in proc.stdout


def test_crash_after_the_last_result_fails_the_session(tmp_path):
    scenario = tmp_path / "late.yaml"
    scenario.write_text("list_console: list.console\nconsole: run.console\n")
    (tmp_path / "list.console").write_text(
        "[humpy] BEGIN profile=hlos tests=1\n[humpy] TEST a.b\n"
        "[humpy] END pass=0 fail=0 skip=0 error=0\n")
    (tmp_path / "run.console").write_text(
        "[humpy] BEGIN profile=hlos tests=1\n[humpy] RUN a.b\n[humpy] RESULT a.b PASS\n")
    # Every item passes, but the run died before END: no item carries that, the session must.
    proc, cases, _ = pytest_run(tmp_path, guest=str(scenario))
    assert cases["a.b"][0] == "passed"
    assert ("humpy: harness.run CRASH: QEMU exited with status 0 without END (between tests, "
            "after the RESULT of a.b)") in proc.stdout
    assert proc.returncode == 1


def test_missing_qemu_is_one_clear_collection_error(tmp_path):
    proc, cases, _ = pytest_run(tmp_path, "--humpy-qemu", "no-such-qemu")
    assert proc.returncode == 2  # pytest: interrupted by a collection error
    assert ("humpy: QEMU binary no-such-qemu not found on PATH (install qemu-system-arm, or pass "
            "--qemu)") in proc.stdout
    assert "Traceback" not in proc.stdout
    data = json.loads((tmp_path / "reports" / "pytest-conformance.json").read_text())
    assert data["tests"][0]["id"] == "harness.setup"


def test_suite_files_expectations_fail_the_session_naming_the_profile(tmp_path):
    # harness/suite/conformance.humpy names conformance/expect/humpy.yaml: the fake guest runs as
    # hlos, so every item passes and the session still fails, saying why.
    proc, cases, _ = pytest_run(tmp_path, "-k", "identify", expect=None)
    assert proc.returncode == 1, proc.stdout
    assert {k: v[0] for k, v in cases.items()} == {"identify.api_info": "passed",
                                                   "identify.flags": "passed"}
    assert ("humpy: harness.expect FAIL: humpy.yaml: profile: expected root, the guest runs as "
            "hlos (no root caps in /chosen)") in proc.stdout
    assert "humpy: profile hlos (no root caps in /chosen); expectations humpy.yaml: 1 problem(s)" \
        in proc.stdout
    data = json.loads((tmp_path / "reports" / "pytest-conformance.json").read_text())
    assert data["expect"]["file"] == str(REPO / "conformance" / "expect" / "humpy.yaml")
    # An upstream-like file on the command line: met (-k narrows, so stale entries are not judged).
    upstream = tmp_path / "up.yaml"
    upstream.write_text("profile: hlos\nskip: []\n")
    proc, _, _ = pytest_run(tmp_path, "-k", "identify", expect=str(upstream))
    assert proc.returncode == 0, proc.stdout
    assert "expectations up.yaml met (0 SKIP expected, stale entries not checked" in proc.stdout


# ---- issue 15: the plugin's bad values are refused under its own option names ----

def test_plugin_zero_timeout_and_jobs_are_refused_by_their_own_names(tmp_path):
    for option, text in (("--humpy-timeout", "--humpy-timeout must be positive (got 0)"),
                         ("--humpy-jobs", "--humpy-jobs must be at least 1 (got 0)"),
                         ("--humpy-smp", "--humpy-smp must be at least 1 (got 0)")):
        proc, cases, boots = pytest_run(tmp_path, option, "0")
        assert proc.returncode != 0 and not boots, proc.stdout
        assert [kind for kind, _ in cases.values()] == ["error"]
        assert f"humpy: {text}" in proc.stdout, proc.stdout
        assert "--timeout" not in proc.stdout.replace("--humpy-timeout", "")
        assert "--jobs" not in proc.stdout.replace("--humpy-jobs", "")


def test_plugin_extra_qemu_args_may_start_with_a_dash(tmp_path):
    # pytest's early parse (before any conftest) knows pytest's and pytest-xdist's short options
    # (-s, -d, -n...): a value starting with one of them needs the "=" form.
    proc, cases, boots = pytest_run(tmp_path, "--humpy-tests", "identify.api_info",
                                    "--humpy-extra-qemu-args", "-S",
                                    "--humpy-extra-qemu-args=-d guest_errors")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert boots and all(b[-3:] == ["-S", "-d", "guest_errors"] for b in boots)


def test_plugin_x_reports_only_the_tests_pytest_showed(tmp_path):
    proc, cases, _ = pytest_run(tmp_path, "-x", "--humpy-tests",
                                "identify.api_info,selftest.fail,selftest.slow")
    assert proc.returncode == 1
    assert set(cases) == {"identify.api_info", "selftest.fail"}
    data = json.loads((tmp_path / "reports" / "pytest-conformance.json").read_text())
    assert [t["id"] for t in data["tests"]] == ["identify.api_info", "selftest.fail"]


def test_plugin_refuses_report_names_another_run_holds(tmp_path):
    import fcntl
    reports = tmp_path / "reports"
    reports.mkdir()
    with open(reports / ".pytest-conformance.lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        lock.write("4242\n")
        lock.flush()
        proc, cases, boots = pytest_run(tmp_path)
    assert proc.returncode != 0 and not boots
    assert f"humpy: another run (pid 4242) is writing {reports}/pytest-conformance.*" in proc.stdout
    assert not (reports / "pytest-conformance.json").exists()

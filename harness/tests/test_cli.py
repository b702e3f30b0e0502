"""The command line over the fake QEMU: tables, exit codes, one-line errors, report files."""

import json
import subprocess
import xml.etree.ElementTree as ET

from conftest import FAKE_QEMU, SCENARIOS


def one_line_error(proc, text):
    assert proc.stderr.count("\n") == 1, proc.stderr
    assert proc.stderr.startswith("humpy_harness: error: ")
    assert text in proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr


def test_run_all_pass(cli, tmp_path):
    proc = cli("run")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].split() == ["VERDICT", "TEST", "TIME", "REASON"]
    assert [line.split()[:2] for line in lines[1:6]] == [
        ["PASS", "identify.api_info"], ["PASS", "identify.flags"], ["PASS", "smccc.vendor_uid"],
        ["PASS", "psci.version"], ["PASS", "psci.features"]]
    assert any(line.startswith("humpy run: OK: 5 guest test(s): 5 PASS, 0 FAIL in ")
               for line in lines)
    data = json.loads((tmp_path / "reports" / "conformance.json").read_text())
    assert data["ok"] is True and data["summary"]["PASS"] == 5
    suite = ET.parse(tmp_path / "reports" / "conformance.xml").getroot().find("testsuite")
    assert suite.get("tests") == "5" and suite.get("failures") == "0"
    assert (tmp_path / "reports" / "conformance.tap").read_text().startswith("TAP version 13\n1..5")


def test_fail_gives_exit_1_and_the_reason(cli):
    proc = cli("run", "--tests", "selftest.fail")
    assert proc.returncode == 1
    assert "FAIL     selftest.fail" in proc.stdout
    assert "x0: expected 0x1 got 0x2" in proc.stdout
    assert "humpy run: FAILED: 1 guest test(s): 0 PASS, 1 FAIL in" in proc.stdout


def test_skip_is_not_a_failure(cli, tmp_path):
    scenario = tmp_path / "skip.yaml"
    scenario.write_text("tests:\n  - {id: msgq.send, result: 'SKIP identify flags0 bit 2 clear'}\n"
                        "  - {id: psci.version, result: PASS}\n")
    proc = cli("run", "--guest", str(scenario))
    assert proc.returncode == 0, proc.stdout
    assert "SKIP     msgq.send" in proc.stdout


def test_error_timeout_crash_each_fail_the_run(cli):
    assert cli("run", "--tests", "selftest.timeout").returncode == 1
    proc = cli("run", "--tests", "identify.*,selftest.hang", "--timeout", "1")
    assert proc.returncode == 1
    assert "TIMEOUT  selftest.hang" in proc.stdout
    assert "PASS     identify.flags" in proc.stdout
    proc = cli("run", "--tests", "identify.*,selftest.crash")
    assert proc.returncode == 1
    assert "CRASH    selftest.crash" in proc.stdout and "PASS     identify.api_info" in proc.stdout


def test_missing_qemu(cli, tmp_path):
    proc = cli("run", qemu="no-such-qemu-binary")
    assert proc.returncode == 3
    one_line_error(proc, "QEMU binary no-such-qemu-binary not found on PATH")
    assert proc.stdout == ""
    # The report files still say what happened.
    data = json.loads((tmp_path / "reports" / "conformance.json").read_text())
    assert data["ok"] is False
    assert data["tests"][0]["id"] == "harness.setup"
    assert data["error"].startswith("QEMU binary no-such-qemu-binary not found")


def test_missing_and_unreadable_images(cli, tmp_path):
    proc = cli("run", guest="nope.bin")
    assert proc.returncode == 4
    one_line_error(proc, "guest image")
    proc = cli("run", "--hyp", str(tmp_path / "missing.elf"))
    assert proc.returncode == 4
    one_line_error(proc, "hypervisor image")
    proc = cli("run", "--hyp", str(tmp_path))
    assert proc.returncode == 4
    one_line_error(proc, "is not a file")


def test_bad_options(cli):
    for args in (["run", "--bogus"], ["frobnicate"], ["run", "--timeout", "soon"],
                 ["run", "--jobs", "0"], ["run", "--tests", "a b"], []):
        proc = cli(*args)
        assert proc.returncode == 2, (args, proc.stderr)
        one_line_error(proc, "")


def test_no_match(cli):
    proc = cli("run", "--tests", "nothing.*")
    assert proc.returncode == 1
    one_line_error(proc, "no guest test matches nothing.*")


def test_list(cli):
    proc = cli("list", "--tests", "psci.*")
    assert proc.returncode == 0
    assert proc.stdout.splitlines() == ["psci.version", "psci.features"]
    assert proc.stderr.startswith("humpy list: 2 test(s); profile hlos (no root caps in /chosen); "
                                  "log ")


def test_bench(cli, tmp_path):
    proc = cli("bench")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "identify.native" in proc.stdout and " insns" in proc.stdout
    data = json.loads((tmp_path / "reports" / "bench.json").read_text())
    assert [b["value"] for b in data["bench"]] == [44, 51]


def test_jobs_and_k(cli, tmp_path):
    proc = cli("run", "-j", "2", "-k", "identify", "-k", "psci")
    assert proc.returncode == 0, proc.stdout
    assert "humpy run: OK: 4 guest test(s)" in proc.stdout
    assert proc.stdout.count("-shard") == 2


def test_verbose_echoes_the_console(cli):
    proc = cli("run", "-v", "--tests", "psci.version")
    assert "[humpy] RESULT psci.version PASS" in proc.stdout


def test_garbled_console_fails_with_warnings(cli):
    proc = cli("run", "--no-list", guest="garbled.yaml")
    assert proc.returncode == 1
    assert "ERROR    identify.flags" in proc.stdout
    assert "warning: " in proc.stdout and "garbled protocol line" in proc.stdout


def test_empty_console_is_a_crash(cli):
    proc = cli("run", "--no-list", guest="empty.yaml")
    assert proc.returncode == 1
    assert "CRASH    harness.run" in proc.stdout


def test_dtb_given_gets_the_harness_bootargs(cli, tmp_path):
    # A tree of the user's own, with bootargs of its own (one a stale humpy token): the boots get
    # copies with its other tokens kept and the harness's appended, so list boot and selection work.
    dtb = tmp_path / "vm.dtb"
    subprocess.run(["dtc", "-I", "dts", "-O", "dtb", "-o", str(dtb), "-"], check=True, text=True,
                   input='/dts-v1/; / { model = "mine"; chosen { bootargs = "console=hvc0 '
                         'humpy.list"; }; };')
    before = dtb.read_bytes()
    argv_log = tmp_path / "argv.jsonl"
    proc = cli("run", "--dtb", str(dtb), "--tests", "psci.*", "--jobs", "2",
               env={"FAKE_QEMU_ARGV_LOG": str(argv_log)})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "humpy run: OK: 2 guest test(s): 2 PASS, 0 FAIL" in proc.stdout
    assert dtb.read_bytes() == before  # the given tree is never written
    data = json.loads((tmp_path / "reports" / "conformance.json").read_text())
    got = [(r["mode"], r["bootargs"]) for r in data["runs"]]
    assert got == [("list", "humpy.tests=psci.* humpy.list"),
                   ("run", "humpy.tests=psci.version humpy.cover"),
                   ("run", "humpy.tests=psci.features humpy.cover")]
    trees = [next(a.split("file=")[1].split(",")[0] for a in json.loads(line)
                  if a.startswith("loader,") and "0x40f00000" in a)
             for line in argv_log.read_text().splitlines()]
    args = [subprocess.run(["fdtget", "-t", "s", t, "/chosen", "bootargs"], check=True, text=True,
                           capture_output=True).stdout.strip() for t in trees]
    assert args[0] == "console=hvc0 humpy.tests=psci.* humpy.list"
    assert sorted(args[1:]) == ["console=hvc0 humpy.tests=psci.features humpy.cover",
                                "console=hvc0 humpy.tests=psci.version humpy.cover"]
    assert all(subprocess.run(["fdtget", t, "/", "model"], capture_output=True, text=True
                              ).stdout.strip() == "mine" for t in trees)
    # No such tree: one line, exit 4; not a device tree: one line, exit 5.
    proc = cli("run", "--dtb", str(tmp_path / "none.dtb"))
    assert proc.returncode == 4 and "device tree image" in proc.stderr
    bad = tmp_path / "bad.dtb"
    bad.write_bytes(b"not a tree")
    proc = cli("run", "--dtb", str(bad))
    assert proc.returncode == 5 and proc.stderr.startswith(
        f"humpy_harness: error: bootargs into a copy of {bad}: "), proc.stderr


def test_extra_qemu_args_reach_qemu(cli, tmp_path):
    argv_log = tmp_path / "argv.jsonl"
    proc = cli("run", "--no-list", "--extra-qemu-args", "-d 'int,guest_errors'",
               env={"FAKE_QEMU_ARGV_LOG": str(argv_log)})
    assert proc.returncode == 0
    boots = [json.loads(x) for x in argv_log.read_text().splitlines()]
    (boot,) = [b for b in boots if not any("dumpdtb" in a for a in b)]
    assert boot[-2:] == ["-d", "int,guest_errors"]
    assert boot[boot.index("-kernel") + 1] == str(SCENARIOS / "hyp.elf")


def test_fake_qemu_is_executable():
    assert FAKE_QEMU.stat().st_mode & 0o111


def test_sigterm_kills_qemu_and_keeps_results(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    from conftest import HARNESS, REPO
    reports = tmp_path / "reports"
    argv = [sys.executable, "-m", "humpy_harness", "run", "--qemu", str(FAKE_QEMU),
            "--hyp", str(SCENARIOS / "hyp.elf"), "--guest", str(SCENARIOS / "suite.yaml"),
            "--tests", "identify.api_info,selftest.hang", "--reports", str(reports)]
    proc = subprocess.Popen(argv, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=dict(os.environ, PYTHONPATH=str(HARNESS)))
    deadline = time.monotonic() + 20
    log = None
    while time.monotonic() < deadline:
        logs = list((reports / "logs").glob("*-run.log")) if (reports / "logs").exists() else []
        if logs and "[humpy] RUN selftest.hang" in logs[0].read_text():
            log = logs[0]
            break
        time.sleep(0.05)
    assert log is not None
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 130
    assert [line for line in err.splitlines() if not line.startswith("progress: ")] == [
        "humpy_harness: error: interrupted; QEMU killed"]
    assert "PASS     identify.api_info" in out and "ERROR    selftest.hang" in out
    data = json.loads((reports / "conformance.json").read_text())
    assert [(t["id"], t["verdict"], t["reason"]) for t in data["tests"]] == [
        ("identify.api_info", "PASS", ""), ("selftest.hang", "ERROR", "interrupted"),
        ("harness.interrupted", "ERROR", "interrupted (Ctrl-C or SIGTERM) before the run ended")]
    (pid,) = [int(line.split()[-1]) for line in log.read_text().splitlines()
              if line.startswith("fake-qemu: pid")]
    time.sleep(0.2)
    assert not os.path.exists(f"/proc/{pid}") or open(f"/proc/{pid}/stat").read().split(
        ") ")[1].startswith("Z")


def test_canned_mixed_console_table(cli):
    proc = cli("run", "--no-list", guest="mixed.yaml")
    assert proc.returncode == 1
    rows = [line.split(None, 3) for line in proc.stdout.splitlines()[1:6]]
    assert [(r[0], r[1]) for r in rows] == [
        ("PASS", "identify.api_info"), ("FAIL", "identify.flags"), ("SKIP", "msgq.send_recv"),
        ("ERROR", "psci.features"), ("PASS", "psci.version")]
    assert rows[1][3] == "x0: expected 0x1 got 0xffffffffffffffff"
    assert "humpy run: FAILED: 5 guest test(s): 2 PASS, 1 FAIL, 1 SKIP, 1 ERROR in " in proc.stdout

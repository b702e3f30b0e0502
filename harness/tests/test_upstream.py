"""The harness against a fake hypervisor that behaves the way upstream Gunyah (12/2023, QEMU) did
(scenarios/upstream.yaml): exactly 8 CPUs and an SVE CPU or an EL2 data abort, the guest as an
hlos primary VM whose root tests SKIP, bench counters that do not see EL2. And the options a user
needs for such a hypervisor: --preset, --cpu, --smp, --extra-qemu-args starting with -."""

import json
import subprocess

from conftest import REPO

UPSTREAM_EXPECT = str(REPO / "conformance" / "expect" / "gunyah-upstream.yaml")
HUMPY_EXPECT = str(REPO / "conformance" / "expect" / "humpy.yaml")


def boots(argv_log):
    return [json.loads(x) for x in argv_log.read_text().splitlines()
            if "dumpdtb" not in x]


def report(tmp_path, name="conformance"):
    return json.loads((tmp_path / "reports" / f"{name}.json").read_text())


def test_preset_runs_upstream_with_one_option(cli, tmp_path):
    argv_log = tmp_path / "argv.jsonl"
    proc = cli("run", "--preset", "gunyah-upstream", guest="upstream.yaml",
               env={"FAKE_QEMU_ARGV_LOG": str(argv_log)})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for argv in boots(argv_log):  # list boot and run boot
        assert argv[argv.index("-cpu") + 1] == "max,sve128=on"
        assert argv[argv.index("-smp") + 1] == "8"
        assert argv.count("-cpu") == 1 and argv.count("-smp") == 1
    assert ("humpy run: OK: 13 guest test(s): 6 PASS, 0 FAIL, 7 SKIP in " in proc.stdout)
    assert ("; profile hlos (/chosen has no humpy,root-partition-cap); expectations "
            "gunyah-upstream.yaml met (7 SKIP expected)") in proc.stdout
    data = report(tmp_path)
    assert data["expect"]["ok"] and data["expect"]["file"] == UPSTREAM_EXPECT
    assert data["expect"]["count"] == {"listed": 13, "ran": 13}
    assert data["info"]["cpu"] == "max,sve128=on" and data["info"]["smp"] == 8
    # x9: the guest decides (it accepts the caller's value); the harness only reports it.
    verdicts = {t["id"]: t["verdict"] for t in data["tests"]}
    assert verdicts["regs.native_hole"] == "PASS" and verdicts["root.sweep_smccc"] == "PASS"


def test_harness_defaults_never_reach_the_upstream_guest(cli):
    # -smp 4: upstream aborts at EL2 before the guest starts. The list boot times out and the
    # reason quotes the abort, so the user sees why (and the preset is the fix).
    proc = cli("run", "--idle-timeout", "1.5", "--timeout", "3", guest="upstream.yaml")
    assert proc.returncode == 1
    line = next(x for x in proc.stdout.splitlines() if x.startswith("TIMEOUT  harness.list"))
    assert "no protocol line for 1.5 s" in line
    assert "Unhandled EL2 data abort, ESR_EL2 0x97880010" in line and "got -smp 4 -cpu max" in line
    assert line.endswith("; the guest never started: check the machine options (--cpu, --smp; "
                         "--preset for a known hypervisor)")
    # Right CPU count, wrong CPU: the same abort.
    proc = cli("run", "--smp", "8", "--idle-timeout", "1.5", "--timeout", "3",
               guest="upstream.yaml")
    assert proc.returncode == 1 and "got -smp 8 -cpu max)" in proc.stdout


def test_cpu_and_smp_options_and_explicit_options_beat_the_preset(cli, tmp_path):
    argv_log = tmp_path / "argv.jsonl"
    proc = cli("run", "--cpu", "max,sve128=on", "--smp", "8", "--expect", UPSTREAM_EXPECT,
               guest="upstream.yaml", env={"FAKE_QEMU_ARGV_LOG": str(argv_log)})
    assert proc.returncode == 0, proc.stdout
    # The preset with humpy's expectations: the upstream build fails them, naming the profile.
    proc = cli("run", "--preset", "gunyah-upstream", "--expect", HUMPY_EXPECT,
               guest="upstream.yaml")
    assert proc.returncode == 1
    expect_line = next(x for x in proc.stdout.splitlines() if x.startswith("FAIL     harness.expect"))
    assert ("humpy.yaml: profile: expected root, the guest runs as hlos (/chosen has no "
            "humpy,root-partition-cap); root.create_cspace: SKIP not expected") in expect_line
    assert "; expectations humpy.yaml: " in proc.stdout
    problems = report(tmp_path)["expect"]["problems"]
    assert problems[0] == ("profile: expected root, the guest runs as hlos (/chosen has no "
                           "humpy,root-partition-cap)")
    assert ("root.copy_cap: SKIP not expected (no root caps (/chosen humpy,root-*-cap absent or "
            "all ones))") in problems
    # --expect '' turns the preset's file off: today's behaviour, and the summary says so.
    proc = cli("run", "--preset", "gunyah-upstream", "--expect", "", guest="upstream.yaml")
    assert proc.returncode == 0
    assert "SKIPs not checked (no expectations file)" in proc.stdout


def test_upstream_file_rejects_an_unexpected_skip_and_a_stale_entry(cli, tmp_path):
    text = (REPO / "harness" / "tests" / "scenarios" / "upstream.yaml").read_text()
    guest = tmp_path / "upstream-variant.yaml"
    # isolation.cspace_chain_teardown gone (its entry goes stale), a feature test SKIPs.
    guest.write_text(text.replace("  - {id: isolation.cspace_chain_teardown", "  # gone").replace(
        "{id: regs.native_identify, result: PASS}",
        "{id: regs.native_identify, result: SKIP identify flags0 bit 3 (vic) clear}"))
    proc = cli("run", "--preset", "gunyah-upstream", "--guest", str(guest))
    assert proc.returncode == 1
    problems = report(tmp_path)["expect"]["problems"]
    assert problems == [
        "regs.native_identify: SKIP not expected (identify flags0 bit 3 (vic) clear)",
        "stale entry isolation.cspace_chain_teardown: covers no test of the guest's list"]
    # Narrowed with -k, stale entries are not judged (the summary says so); the SKIP still is.
    proc = cli("run", "--preset", "gunyah-upstream", "-k", "root", "--guest", str(guest))
    assert proc.returncode == 0, proc.stdout
    assert ("expectations gunyah-upstream.yaml met (2 SKIP expected, stale entries not checked "
            "(narrowed selection))") in proc.stdout


def test_bench_under_upstream_says_n_a_never_0(cli, tmp_path):
    proc = cli("bench", "--preset", "gunyah-upstream", guest="upstream.yaml")
    assert proc.returncode == 0, proc.stdout
    rows = [x for x in proc.stdout.splitlines() if x.startswith("identify.")]
    assert rows == [
        "identify.native          n/a  -      PMU does not count EL2 and CNTVCT did not advance "
        "over 20000 calls",
        "identify.smccc           n/a  -      PMU does not count EL2 and CNTVCT did not advance "
        "over 20000 calls"]
    assert "2 benchmark(s) (0 measured, 2 n/a)" in proc.stdout
    data = report(tmp_path, "bench")
    assert [(b["value"], b["unit"]) for b in data["bench"]] == [(None, None), (None, None)]
    assert data["bench"][0]["reason"].startswith("PMU does not count EL2")


def test_guest_setup_error_fails_the_run_as_its_own_item(cli, tmp_path):
    text = (REPO / "harness" / "tests" / "scenarios" / "suite.yaml").read_text()
    guest = tmp_path / "setup-error.yaml"
    guest.write_text(text + "setup_errors:\n  - {component: timer, reason: "
                            "CNTFRQ_EL0 reads 0}\n")
    proc = cli("run", "--guest", str(guest))
    assert proc.returncode == 1
    assert ("ERROR    guest_setup.timer" in proc.stdout
            and "guest set-up of the timer failed: CNTFRQ_EL0 reads 0" in proc.stdout)
    assert "humpy run: FAILED: 5 guest test(s): 5 PASS, 0 FAIL, 1 ERROR in " in proc.stdout
    assert "; guest set-up failed: timer;" in proc.stdout
    data = report(tmp_path)
    assert data["setup_errors"] == [{"component": "timer", "reason": "CNTFRQ_EL0 reads 0",
                                     "line": 4}]
    assert [r["setup_errors"] for r in data["runs"]] == [
        [{"component": "timer", "reason": "CNTFRQ_EL0 reads 0", "line": 4}]] * 2
    # The list boot's copy is a warning; only the run boot's is an item.
    assert [t["id"] for t in data["tests"]].count("guest_setup.timer") == 1
    tap = (tmp_path / "reports" / "conformance.tap").read_text()
    assert "not ok 6 - guest_setup.timer" in tap


def test_extra_qemu_args_may_start_with_a_dash(cli, tmp_path):
    argv_log = tmp_path / "argv.jsonl"
    proc = cli("run", "--no-list", "--extra-qemu-args", "-s", "--extra-qemu-args", "-S -d int",
               env={"FAKE_QEMU_ARGV_LOG": str(argv_log)})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (argv,) = boots(argv_log)
    assert argv[-4:] == ["-s", "-S", "-d", "int"]


def test_dtb_with_the_preset_keeps_list_selection_and_coverage(cli, tmp_path):
    dtb = tmp_path / "gunyah.dtb"
    subprocess.run(["dtc", "-I", "dts", "-O", "dtb", "-o", str(dtb), "-"], check=True, text=True,
                   input='/dts-v1/; / { chosen { }; };')
    proc = cli("run", "--preset", "gunyah-upstream", "--dtb", str(dtb), "--tests", "root.*",
               guest="upstream.yaml")
    assert proc.returncode == 0, proc.stdout
    data = report(tmp_path)
    assert [r["mode"] for r in data["runs"]] == ["list", "run"]
    assert data["listed"] == ["root.sweep_native", "root.sweep_smccc", "root.create_cspace",
                              "root.copy_cap"]
    assert data["runs"][1]["bootargs"] == "humpy.tests=root.* humpy.cover"

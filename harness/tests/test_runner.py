"""The runner and the session over the fake QEMU: limits, process-group kill, streaming, sharding."""

import json
import os
import time

import pytest

from conftest import FAKE_QEMU, REPO, SCENARIOS
from humpy_harness import qemu as qemu_mod
from humpy_harness.errors import ImageMissing, NoTests, ToolMissing, UsageError
from humpy_harness.model import RUN_ID, Outcome, Verdict
from humpy_harness.parser import ConsoleParser
from humpy_harness.runner import Limits, run_console
from humpy_harness.session import Config, Session

P = Verdict.PASS


def session(tmp_path, guest="suite.yaml", **kw):
    kw = dict(dict(hyp=str(SCENARIOS / "hyp.elf"), qemu=str(FAKE_QEMU),
                   reports=str(tmp_path / "reports")), **kw)
    cfg = Config(guest=str(SCENARIOS / guest), **kw)
    s = Session(cfg)
    s.check()
    return s


def run(tmp_path, guest="suite.yaml", **kw):
    s = session(tmp_path, guest, **kw)
    report = s.new_report("run")
    s.run(report)
    return report


def verdicts(report):
    return [(r.id, r.verdict) for r in report.results]


def gone(pid, wait=3.0):
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        # A killed process may linger as a zombie until its parent (or init) reaps it.
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().split(") ")[1].startswith("Z"):
                    return True
        except FileNotFoundError:
            return True
        time.sleep(0.05)
    return False


def pids_in(log, word="pid"):
    with open(log) as f:
        return [int(line.split()[-1]) for line in f if line.startswith("fake-qemu:") and word in line]


def test_command_line_is_the_protocols():
    cmd = qemu_mod.qemu_command("q", "h.elf", "g.bin", "v.dtb", ["-s"])
    assert cmd == ["q", "-machine", "virt,virtualization=on,gic-version=3,highmem=off,mte=on",
                   "-cpu", "max", "-m", "2G", "-smp", "4", "-nographic", "-monitor", "none",
                   "-kernel", "h.elf", "-device", "loader,file=v.dtb,addr=0x40f00000,force-raw=on",
                   "-device", "loader,file=g.bin,addr=0x41000000,force-raw=on", "-s"]


def test_bootargs():
    assert qemu_mod.bootargs() == ""
    assert qemu_mod.bootargs(["identify.*", "psci.version"], list_mode=True, timeout_ms=500) == (
        "humpy.tests=identify.*,psci.version humpy.list humpy.timeout_ms=500")
    assert qemu_mod.bootargs(bench=True) == "humpy.bench"
    assert qemu_mod.bootargs(["psci.*"], trace=True, cover=True) == (
        "humpy.tests=psci.* humpy.trace humpy.cover")
    with pytest.raises(UsageError):
        qemu_mod.bootargs(["a b"])


def test_vm_dtb_carries_the_bootargs(tmp_path):
    out = qemu_mod.make_vm_dtb(str(tmp_path / "vm.dtb"), "humpy.tests=a.* humpy.list",
                               "qemu-system-aarch64")
    import subprocess
    got = subprocess.run(["fdtget", "-t", "s", out, "/chosen", "bootargs"], capture_output=True,
                         text=True, check=True).stdout.strip()
    assert got == "humpy.tests=a.* humpy.list"


def test_whole_suite_passes_with_list_first(tmp_path):
    report = run(tmp_path)
    assert verdicts(report) == [("identify.api_info", P), ("identify.flags", P),
                                ("smccc.vendor_uid", P), ("psci.version", P), ("psci.features", P)]
    assert report.ok
    assert [r.mode for r in report.runs] == ["list", "run"]
    # No globs given: the guest's default, all tests; the run boot asks for the COVER lines.
    assert report.runs[1].bootargs == "humpy.cover"
    assert report.runs[0].bootargs == "humpy.list"
    with open(report.runs[1].log) as f:
        log = f.read()
    assert log.startswith("### humpy-harness: command: ")
    assert "[humpy] END pass=5 fail=0 skip=0 error=0\n" in log
    assert "### humpy-harness: complete; exit status 0;" in log


def test_crash_keeps_earlier_results_and_names_the_rest_not_run(tmp_path):
    report = run(tmp_path, tests=["identify.*", "selftest.crash", "selftest.fail"])
    assert verdicts(report) == [("identify.api_info", P), ("identify.flags", P),
                                ("selftest.crash", Verdict.CRASH),
                                ("selftest.fail", Verdict.NOTRUN)]
    assert report.results[-1].reason == "not run: the run ended early (crash)"
    crash = next(r for r in report.results if r.id == "selftest.crash")
    assert crash.reason == ("QEMU exited with status 0 without END; console line 9: "
                            "'fake-qemu: guest took a fatal exception'")
    assert report.runs[-1].outcome == Outcome.CRASH
    assert not report.ok


def test_hang_is_timeout_and_qemu_is_killed(tmp_path):
    t0 = time.monotonic()
    report = run(tmp_path, tests=["identify.api_info", "selftest.hang"], timeout=1.5)
    took = time.monotonic() - t0
    assert verdicts(report) == [("identify.api_info", P), ("selftest.hang", Verdict.TIMEOUT)]
    assert report.results[1].reason == "run exceeded its 1.5 s limit"
    # Upper bounds here sit far below the wall limit the run would otherwise meet (60 s, or the
    # one given), and far above the limit under test, so a loaded CI machine cannot flip them.
    assert 1.5 <= took < 15
    (pid,) = pids_in(report.runs[-1].log)
    assert gone(pid)


def test_no_progress_limit_with_free_text_still_flowing(tmp_path):
    s = session(tmp_path, "chatty_hang.yaml", list_first=False, idle_timeout=1.0, timeout=30)
    report = s.new_report("run")
    t0 = time.monotonic()
    s.run(report)
    assert time.monotonic() - t0 < 15  # wall limit 30 s
    assert verdicts(report) == [("identify.api_info", Verdict.TIMEOUT)]
    assert report.results[0].reason == "no protocol line for 1 s"


def test_idle_limit_resets_on_each_protocol_line(tmp_path):
    # selftest.slow sleeps 1.5 s after its RUN: an idle limit of 1 s times it out, 3 s does not.
    report = run(tmp_path, tests=["selftest.slow"], idle_timeout=1.0)
    assert verdicts(report) == [("selftest.slow", Verdict.TIMEOUT)]
    report = run(tmp_path, tests=["selftest.slow"], idle_timeout=3.0)
    assert verdicts(report) == [("selftest.slow", P)]
    assert 1.4 < report.results[0].duration < 3


def test_child_holding_the_console_does_not_hang_the_harness(tmp_path):
    s = session(tmp_path, "child_holds_console.yaml", list_first=False)
    report = s.new_report("run")
    t0 = time.monotonic()
    s.run(report)
    assert time.monotonic() - t0 < 20  # wall limit 60 s
    assert verdicts(report) == [("identify.api_info", P), ("identify.flags", Verdict.CRASH)]
    (child,) = pids_in(report.runs[0].log, "child pid")
    assert gone(child)  # the whole process group was killed


def test_machine_that_does_not_power_off(tmp_path):
    parser = ConsoleParser("run", log=str(tmp_path / "x.log"))
    s = session(tmp_path, "no_poweroff.yaml")
    dtb = qemu_mod.make_vm_dtb(str(tmp_path / "x.dtb"), "", "qemu-system-aarch64")
    cmd = qemu_mod.qemu_command(str(FAKE_QEMU), s.cfg.hyp, s.cfg.guest, dtb)
    t0 = time.monotonic()
    result = run_console(cmd, str(tmp_path / "x.log"), parser, Limits(wall=20, poweroff=0.5))
    assert time.monotonic() - t0 < 10  # wall limit 20 s
    assert result.outcome == Outcome.COMPLETE and result.ok
    assert result.exit_status is None
    assert result.warnings == ["QEMU still running 0.5 s after END (SYSTEM_OFF did not power "
                               "off?); killed"]


def test_last_line_cut_mid_way(tmp_path):
    s = session(tmp_path, "cut_line.yaml", list_first=False)
    report = s.new_report("run")
    s.run(report)
    assert verdicts(report) == [("identify.api_info", P), ("identify.flags", Verdict.CRASH)]
    assert report.runs[0].warnings == [
        "line 6: garbled protocol line '[humpy] RESULT identify.flags PA'"]


def test_qemu_dying_at_start_shows_its_message(tmp_path):
    s = session(tmp_path, "qemu_error.yaml", list_first=False)
    report = s.new_report("run")
    s.run(report)
    assert verdicts(report) == [(RUN_ID, Verdict.CRASH)]
    assert report.results[0].reason == (
        "QEMU exited with status 1 without END (before BEGIN; last console line: "
        "'qemu-system-aarch64: -kernel hyp.elf: could not load kernel')")


def test_list_boot_failure_is_harness_list(tmp_path):
    report = run(tmp_path, guest="qemu_error.yaml")
    assert verdicts(report) == [("harness.list", Verdict.CRASH)]
    assert len(report.runs) == 1 and not report.ok


def test_keywords_filter_after_the_list(tmp_path):
    report = run(tmp_path, keywords=["psci", "uid"])
    assert verdicts(report) == [("smccc.vendor_uid", P), ("psci.version", P),
                                ("psci.features", P)]
    assert report.runs[1].bootargs == (
        "humpy.tests=smccc.vendor_uid,psci.version,psci.features humpy.cover")


def test_no_match_is_an_error(tmp_path):
    with pytest.raises(NoTests, match="no guest test matches nothing.*"):
        run(tmp_path, tests=["nothing.*"])


def test_shards_merge_in_list_order(tmp_path):
    argv_log = tmp_path / "argv.jsonl"
    os.environ["FAKE_QEMU_ARGV_LOG"] = str(argv_log)
    try:
        report = run(tmp_path, jobs=2, tests=["identify.*", "psci.*", "selftest.fail"])
    finally:
        del os.environ["FAKE_QEMU_ARGV_LOG"]
    assert verdicts(report) == [("identify.api_info", P), ("identify.flags", P),
                                ("psci.version", P), ("psci.features", P),
                                ("selftest.fail", Verdict.FAIL)]
    assert sorted(r.bootargs for r in report.runs if r.mode == "run") == [
        "humpy.tests=identify.api_info,psci.version,selftest.fail humpy.cover",
        "humpy.tests=identify.flags,psci.features humpy.cover"]
    boots = [json.loads(line) for line in argv_log.read_text().splitlines()]
    assert len([b for b in boots if not any("dumpdtb" in a for a in b)]) == 3  # list + 2 shards


def test_shard_crash_is_kept_per_shard(tmp_path):
    # List order api_info, flags, psci.version, selftest.crash; round robin puts the crash in
    # shard 2 after identify.flags, and shard 1 is unaffected.
    report = run(tmp_path, jobs=2, tests=["identify.*", "selftest.crash", "psci.version"])
    assert verdicts(report) == [("identify.api_info", P), ("identify.flags", P),
                                ("psci.version", P), ("selftest.crash", Verdict.CRASH)]
    assert [r.outcome for r in report.runs] == [Outcome.COMPLETE, Outcome.COMPLETE, Outcome.CRASH]
    assert not report.ok


def test_bench(tmp_path):
    s = session(tmp_path)
    report = s.new_report("bench")
    s.bench(report)
    assert [(b.name, b.value, b.unit) for b in report.bench] == [
        ("identify.native", 44, "insns"), ("identify.smccc", 51, "insns")]
    assert report.runs[0].command[-2:] == ["-icount", "shift=0"]
    assert report.runs[0].bootargs == "humpy.bench"
    assert report.ok


def test_bench_without_bench_lines_fails(tmp_path):
    s = session(tmp_path, "nobench.yaml")
    report = s.new_report("bench")
    s.bench(report)
    assert verdicts(report) == [(RUN_ID, Verdict.ERROR)]
    assert not report.ok


def test_checks_before_any_boot(tmp_path):
    with pytest.raises(ToolMissing, match="QEMU binary no-such-qemu not found on PATH"):
        session(tmp_path, qemu="no-such-qemu")
    with pytest.raises(ImageMissing, match=r"guest image .*nope.yaml not found"):
        session(tmp_path, guest="nope.yaml")
    empty = tmp_path / "empty.bin"
    empty.write_bytes(b"")
    with pytest.raises(ImageMissing, match="is empty"):
        session(tmp_path, hyp=str(empty))
    with pytest.raises(ImageMissing, match="device tree image .*empty.bin is empty"):
        session(tmp_path, dtb=str(empty), tests=["a.*"])
    with pytest.raises(UsageError, match="--smp must be at least 1"):
        session(tmp_path, smp=0)
    with pytest.raises(UsageError, match="--expect counts against the guest's own list"):
        session(tmp_path, expect=str(REPO / "conformance" / "expect" / "humpy.yaml"),
                list_first=False)
    with pytest.raises(UsageError, match="--jobs must be at least 1"):
        session(tmp_path, jobs=0)

"""The LAVA log converter on logs recorded from lava-run (tests/data/, made with a small stand-in
guest that prints the protocol): exact verdicts, reasons, and the harness's CRASH/NOTRUN rules."""

import json
import os
import xml.etree.ElementTree as ET

import yaml

from conftest import DATA
from humpy_lava import dispatch, results
from humpy_harness.model import Outcome

LISTED = ["demo.alpha", "demo.beta", "demo.gamma", "demo.delta"]


def table(report):
    return [(r.id, r.verdict.value, r.reason) for r in report.results]


def test_passing_qemu_job():
    report = results.convert(os.path.join(DATA, "qemu-pass.log"), LISTED)
    assert table(report) == [("demo.alpha", "PASS", ""),
                             ("demo.beta", "FAIL", "x0: expected 0x1 got 0x2"),
                             ("demo.gamma", "SKIP", "feature absent"),
                             ("demo.delta", "ERROR", "setup broke")]
    assert report.error is None
    assert report.runs[0].outcome == Outcome.COMPLETE
    assert report.info["lava_job"] == {"case": "job", "definition": "lava", "result": "pass"}
    assert report.info["lava_cases"] == 4


def test_emulated_uboot_board_job_reads_the_same():
    qemu = results.convert(os.path.join(DATA, "qemu-pass.log"), LISTED)
    board = results.convert(os.path.join(DATA, "qemu-uboot-pass.log"), LISTED)
    assert table(board) == table(qemu)
    assert results.compare(board, qemu) == []


def test_job_that_dies_mid_test_gives_crash_and_notrun():
    report = results.convert(os.path.join(DATA, "qemu-crash.log"), LISTED)
    assert table(report) == [
        ("demo.alpha", "PASS", ""),
        ("demo.beta", "FAIL", "x0: expected 0x1 got 0x2"),
        ("demo.gamma", "CRASH", "LAVA Infrastructure error: Connection closed"),
        ("demo.delta", "NOTRUN", "not run: the run ended early (crash)")]
    assert report.error == "LAVA Infrastructure error: Connection closed"
    assert not report.ok


def test_lava_missing_results_the_console_has_is_an_error():
    # Recorded with the monitor's start string unescaped: LAVA never started monitoring, so it
    # recorded no case although the console holds all four RESULTs.
    report = results.convert(os.path.join(DATA, "qemu-unescaped-start.log"), LISTED)
    monitor = report.results[-1]
    assert monitor.id == "lava.monitor" and monitor.verdict.value == "ERROR"
    assert monitor.reason == ("LAVA's monitor and the protocol disagree: "
                              "demo.alpha: PASS on the console, no LAVA result; "
                              "demo.beta: FAIL on the console, no LAVA result; "
                              "demo.gamma: SKIP on the console, no LAVA result; "
                              "demo.delta: ERROR on the console, no LAVA result")
    assert report.info["lava_cases"] == 0
    qemu = results.convert(os.path.join(DATA, "qemu-pass.log"), LISTED)
    assert results.compare(report, qemu) == ["lava.monitor: lava ERROR, harness absent"]


def test_lava_verdict_wins_and_disagreement_is_reported(tmp_path):
    # Flip one recorded LAVA result: the report carries LAVA's verdict and names the drift.
    text = open(os.path.join(DATA, "qemu-pass.log")).read()
    flipped = text.replace('"extra": {"test_case_id": "demo.alpha"}, "level": "3.1", '
                           '"result": "pass"', '"extra": {"test_case_id": "demo.alpha"}, '
                           '"level": "3.1", "result": "fail"')
    assert flipped != text
    log = tmp_path / "flipped.log"
    log.write_text(flipped)
    report = results.convert(str(log), LISTED)
    assert report.results[0].verdict.value == "FAIL"
    assert report.results[-1].reason == ("LAVA's monitor and the protocol disagree: demo.alpha: "
                                         "PASS on the console, LAVA recorded FAIL")


def test_server_log_format_from_lavacli(tmp_path):
    # `lavacli jobs logs --raw` prints "- {...}" per line with every scalar double-quoted.
    entries = dispatch.read_log(os.path.join(DATA, "qemu-pass.log"))
    lines = ["- " + yaml.dump(e, default_flow_style=True, default_style='"', width=10 ** 6)[:-1]
             for e in entries]
    log = tmp_path / "server.log"
    log.write_text("\n".join(lines) + "\n")
    a = results.convert(str(log), LISTED)
    b = results.convert(os.path.join(DATA, "qemu-pass.log"), LISTED)
    assert table(a) == table(b)


def test_reports_use_the_harness_writers(tmp_path):
    report = results.convert(os.path.join(DATA, "qemu-crash.log"), LISTED,
                             console_out=str(tmp_path / "qemu.console.log"))
    paths = results.write(report, str(tmp_path), "qemu", "lava-qemu")
    data = json.load(open(paths["json"]))
    assert data["schema"] == "humpy-results/1"
    assert [(t["id"], t["verdict"]) for t in data["tests"]] == [
        ("demo.alpha", "PASS"), ("demo.beta", "FAIL"), ("demo.gamma", "CRASH"),
        ("demo.delta", "NOTRUN")]
    assert data["tests"][1]["log"] == str(tmp_path / "qemu.console.log")
    console = open(tmp_path / "qemu.console.log").read().splitlines()
    assert console[data["tests"][1]["line"] - 1] == \
        "[humpy] RESULT demo.beta FAIL x0: expected 0x1 got 0x2"
    suite = ET.parse(paths["junit"]).getroot()
    assert (suite.get("name"), suite.get("tests"), suite.get("failures"), suite.get("errors")) == \
        ("lava-qemu", "4", "1", "2")


def test_compare_names_each_difference():
    a = results.convert(os.path.join(DATA, "qemu-pass.log"), LISTED)
    b = results.convert(os.path.join(DATA, "qemu-crash.log"), LISTED)
    assert results.compare(a, b, "pass", "crash") == [
        "demo.delta: pass ERROR, crash NOTRUN", "demo.gamma: pass SKIP, crash CRASH"]


def test_console_quotes_are_restored(tmp_path):
    # lava-run logs a console line `... FAIL got "x"` as `... FAIL got \"x\"` inside the YAML string.
    text = open(os.path.join(DATA, "qemu-pass.log")).read()
    old = '"msg": "[humpy] RESULT demo.beta FAIL x0: expected 0x1 got 0x2"'
    assert old in text
    log = tmp_path / "quotes.log"
    log.write_text(text.replace(old, r'"msg": "[humpy] RESULT demo.beta FAIL name \\\"x\\\" got \\\"y\\\""'))
    report = results.convert(str(log), LISTED)
    assert report.results[1].reason == 'name "x" got "y"'


def doctored(tmp_path, after_begin):
    """qemu-pass.log with console lines added right after BEGIN (as LAVA logs target lines)."""
    lines = open(os.path.join(DATA, "qemu-pass.log")).read().splitlines(keepends=True)
    k = next(i for i, line in enumerate(lines) if "[humpy] BEGIN " in line)
    stamp = json.loads(lines[k])["dt"]
    extra = [json.dumps({"dt": stamp, "lvl": "target", "msg": text}) + "\n" for text in after_begin]
    log = tmp_path / "doctored.log"
    log.write_text("".join(lines[:k + 1] + extra + lines[k + 1:]))
    return str(log)


def expectations(tmp_path, text):
    path = tmp_path / "expect.yaml"
    path.write_text(text)
    return str(path)


def test_profile_is_reported_and_expectations_are_the_harness_check(tmp_path):
    from humpy_harness import reports
    log = doctored(tmp_path, ["[humpy] PROFILE hlos no root caps in /chosen"])
    # The stand-in guest's own file: hlos, demo.gamma may SKIP. Met (demo.delta's ERROR still
    # fails the run, as it would without a file).
    met = expectations(tmp_path, "profile: hlos\nskip:\n  - {tests: demo.gamma, reason: feature "
                                 "absent}\n")
    report = results.convert(log, LISTED, expectations=met)
    assert report.runs[0].profile_reason == "no root caps in /chosen"
    assert report.expect["ok"] and report.expect["count"] == {"listed": 4, "ran": 4}
    assert [r.id for r in report.results] == LISTED  # no harness.expect, no lava.monitor
    assert reports.summary(report).endswith(
        "; profile hlos (no root caps in /chosen); expectations expect.yaml met (1 SKIP expected)")
    # A file like humpy's (root, no SKIP): the same job fails it, naming the profile.
    humpy_like = expectations(tmp_path, "profile: root\nskip: []\n")
    report = results.convert(log, LISTED, expectations=humpy_like)
    last = report.results[-1]
    assert (last.id, last.verdict.value) == ("harness.expect", "FAIL")
    assert report.expect["problems"] == [
        "profile: expected root, the guest runs as hlos (no root caps in /chosen)",
        "demo.gamma: SKIP not expected (feature absent)"]
    data = json.load(open(results.write(report, str(tmp_path), "q", "lava-q")["json"]))
    assert data["profile"] == {"profile": "hlos", "reason": "no root caps in /chosen"}
    assert data["expect"]["ok"] is False and data["info"]["expect"] == humpy_like


def test_expectations_fail_a_job_whose_count_differs_from_the_list(tmp_path):
    log = doctored(tmp_path, ["[humpy] PROFILE hlos no root caps in /chosen"])
    met = expectations(tmp_path, "profile: hlos\nskip:\n  - {tests: demo.gamma, reason: feature "
                                 "absent}\n")
    report = results.convert(log, LISTED + ["demo.epsilon"], expectations=met)
    assert report.expect["problems"] == [
        "demo.epsilon: listed by the guest but did not run",
        "count: 4 test(s) ran, the guest's list names 5"]
    # Without a PROFILE line (an older guest), the profile cannot be vouched for.
    report = results.convert(os.path.join(DATA, "qemu-pass.log"), LISTED, expectations=met)
    assert report.expect["problems"] == ["profile: expected hlos, the guest sent no PROFILE line "
                                         "(BEGIN said profile=hlos)"]


def test_setup_error_is_its_own_item_not_monitor_drift(tmp_path):
    log = doctored(tmp_path, ["[humpy] PROFILE hlos no root caps in /chosen",
                              "[humpy] SETUP_ERROR timer CNTFRQ_EL0 reads 0"])
    report = results.convert(log, LISTED)
    assert table(report)[-1] == ("guest_setup.timer", "ERROR",
                                 "guest set-up of the timer failed: CNTFRQ_EL0 reads 0")
    assert "lava.monitor" not in [r.id for r in report.results] and not report.ok


def test_convert_command_takes_expect(tmp_path):
    import subprocess
    import sys
    log = doctored(tmp_path, ["[humpy] PROFILE hlos no root caps in /chosen"])
    tests = tmp_path / "tests.txt"
    tests.write_text("\n".join(LISTED) + "\n")
    env = dict(os.environ, PYTHONPATH=os.path.join(os.path.dirname(os.path.dirname(DATA)), "tools"))
    argv = [sys.executable, "-m", "humpy_lava", "convert", log, "--out", str(tmp_path / "out"),
            "--tests-file", str(tests), "--name", "q"]
    humpy_like = expectations(tmp_path, "profile: root\nskip: []\n")
    proc = subprocess.run(argv + ["--expect", humpy_like], capture_output=True, text=True, env=env)
    assert proc.returncode == 1
    assert "; profile hlos (no root caps in /chosen); expectations expect.yaml: 2 problem(s)" in \
        proc.stdout
    proc = subprocess.run(argv + ["--expect", str(tmp_path / "none.yaml")], capture_output=True,
                          text=True, env=env)
    assert proc.returncode == 2 and proc.stderr.startswith("lava convert: expectations file ")

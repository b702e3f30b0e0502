"""The writers: JUnit XML parses with the right counts, JSON has its schema, TAP 13 is well formed."""

import json
import xml.etree.ElementTree as ET

from humpy_harness import reports
from humpy_harness.model import Report, TestResult, Verdict
from humpy_harness.parser import parse_log


def report_from(*runs, mode="run"):
    r = Report(mode=mode, started="2026-01-01T00:00:00+00:00", duration=1.5,
               info={"hyp": "h.elf", "guest": "g.bin", "qemu": "q"})
    for run in runs:
        r.runs.append(run)
        r.results.extend(run.results)
        r.bench.extend(run.bench)
    return r


def test_junit_counts_and_cases(tmp_path, log_path):
    report = report_from(parse_log(log_path("mixed.log")), parse_log(log_path("truncated.log")))
    path = reports.write_junit(report, tmp_path / "out" / "j.xml")
    root = ET.parse(path).getroot()
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    # mixed: PASS FAIL SKIP ERROR PASS; truncated: PASS PASS CRASH
    assert {k: suite.get(k) for k in ("tests", "failures", "errors", "skipped")} == {
        "tests": "8", "failures": "1", "errors": "2", "skipped": "1"}
    assert root.get("tests") == "8" and root.get("errors") == "2"
    cases = suite.findall("testcase")
    assert [(c.get("classname"), c.get("name")) for c in cases][:3] == [
        ("identify", "api_info"), ("identify", "flags"), ("msgq", "send_recv")]
    failure = cases[1].find("failure")
    assert failure.get("type") == "FAIL"
    assert failure.get("message") == "FAIL: x0: expected 0x1 got 0xffffffffffffffff"
    assert cases[2].find("skipped").get("message") == (
        "SKIP: identify flags0 bit 2 (msgqueue) clear")
    assert cases[3].find("error").get("type") == "ERROR"
    crash = cases[7].find("error")
    assert crash.get("type") == "CRASH"
    assert crash.get("message") == "CRASH: console ended without END"
    assert cases[7].find("system-out").text.endswith("truncated.log line 7")
    assert cases[0].find("failure") is None and cases[0].find("error") is None
    props = {p.get("name"): p.get("value") for p in suite.find("properties")}
    assert props == {"hyp": "h.elf", "guest": "g.bin", "qemu": "q", "profile": "hlos",
                     "profile_reason": "", "expectations": "none"}


def test_junit_survives_control_characters(tmp_path):
    report = report_from()
    report.results.append(TestResult("a.b", Verdict.FAIL, "bad \x01\x1b[0m byte"))
    root = ET.parse(reports.write_junit(report, tmp_path / "j.xml")).getroot()
    assert root.find("testsuite/testcase/failure").get("message") == (
        "FAIL: bad \\x01\\x1b[0m byte")


def test_json_schema(tmp_path, log_path):
    report = report_from(parse_log(log_path("mixed.log")))
    data = json.loads(open(reports.write_json(report, tmp_path / "r.json")).read())
    assert data["schema"] == "humpy-results/1"
    assert data["mode"] == "run" and data["ok"] is False and data["error"] is None
    assert data["summary"] == {"PASS": 2, "FAIL": 1, "SKIP": 1, "ERROR": 1, "TIMEOUT": 0,
                               "CRASH": 0, "NOTRUN": 0, "total": 5}
    assert set(data) == {"schema", "mode", "started", "duration_s", "ok", "error", "info",
                         "summary", "tests", "listed", "bench", "runs", "coverage", "profile",
                         "setup_errors", "expect"}
    assert data["profile"] == {"profile": "hlos", "reason": None}
    assert data["setup_errors"] == [] and data["expect"] is None
    assert data["coverage"] is None  # only set by the CLI and the plugin (coverage.for_report)
    for t in data["tests"]:
        assert set(t) == {"id", "verdict", "reason", "duration_s", "log", "line"}
        assert t["verdict"] in {"PASS", "FAIL", "SKIP", "ERROR", "TIMEOUT", "CRASH", "NOTRUN"}
    assert data["tests"][1] == {"id": "identify.flags", "verdict": "FAIL",
                                "reason": "x0: expected 0x1 got 0xffffffffffffffff",
                                "duration_s": None, "log": log_path("mixed.log"), "line": 7}
    (run,) = data["runs"]
    assert run["outcome"] == "complete"
    assert run["end_counts"] == {"pass": 2, "fail": 1, "skip": 1, "error": 1}


def test_clean_report_is_ok(tmp_path, log_path):
    report = report_from(parse_log(log_path("clean.log")))
    assert report.ok
    paths = reports.write_all(report, tmp_path, "conformance")
    assert sorted(paths) == ["json", "junit", "tap"]
    assert json.loads(open(paths["json"]).read())["ok"] is True
    assert reports.summary(report) == (
        "humpy run: OK: 4 guest test(s): 4 PASS, 0 FAIL in 1.5 s; profile hlos (the guest sent no "
        "PROFILE line); SKIPs not checked (no expectations file)")


def test_tap(log_path):
    report = report_from(parse_log(log_path("mixed.log")), parse_log(log_path("truncated.log")))
    lines = reports.to_tap(report).splitlines()
    assert lines[:2] == ["TAP version 13", "1..8"]
    assert lines[2] == "ok 1 - identify.api_info"
    assert lines[3:8] == ["not ok 2 - identify.flags", "  ---", "  verdict: FAIL",
                          "  reason: 'x0: expected 0x1 got 0xffffffffffffffff'",
                          f"  log: {log_path('mixed.log')}:7"]
    assert "ok 3 - msgq.send_recv # SKIP identify flags0 bit 2 (msgqueue) clear" in lines
    assert "not ok 8 - selftest.crash" in lines
    assert sum(1 for line in lines if line.startswith(("ok ", "not ok "))) == 8


def test_table_and_summary(log_path):
    report = report_from(parse_log(log_path("truncated.log")))
    assert reports.table(report).splitlines() == [
        "VERDICT  TEST                 TIME  REASON",
        "PASS     identify.api_info       -",
        "PASS     identify.flags          -",
        "CRASH    selftest.crash          -  console ended without END"]
    assert reports.summary(report) == ("humpy run: FAILED: 3 guest test(s): 2 PASS, 0 FAIL, "
                                       "1 CRASH in 1.5 s; profile hlos (the guest sent no "
                                       "PROFILE line); SKIPs not checked (no expectations file)")


def test_bench_json(tmp_path, log_path):
    report = report_from(parse_log(log_path("bench.log"), mode="bench"), mode="bench")
    data = json.loads(open(reports.write_bench_json(report, tmp_path / "b.json")).read())
    assert data["schema"] == "humpy-bench/1" and data["ok"] is True
    assert data["bench"] == [
        {"name": "identify.native", "value": 44, "unit": "insns", "reason": None},
        {"name": "identify.smccc", "value": 52, "unit": "insns", "reason": None},
        {"name": "identify.native_ticks", "value": 44.5, "unit": "ticks", "reason": None},
        {"name": "identify.el2_pmu", "value": None, "unit": None,
         "reason": "PMU does not count EL2 (count equals the baseline)"},
        {"name": "identify.zero", "value": None, "unit": "insns",
         "reason": "the guest's counter read 0 insns: it did not see the hypervisor"}]
    assert reports.bench_table(report).splitlines() == [
        "BENCHMARK                    VALUE  UNIT",
        "identify.native                 44  insns",
        "identify.smccc                  52  insns",
        "identify.native_ticks         44.5  ticks",
        "identify.el2_pmu               n/a  -      PMU does not count EL2 (count equals the "
        "baseline)",
        "identify.zero                  n/a  -      the guest's counter read 0 insns: it did not "
        "see the hypervisor"]
    assert all(row.split()[1] != "0" for row in reports.bench_table(report).splitlines()[1:])
    assert reports.summary(report) == (
        "humpy bench: OK: 5 benchmark(s) (3 measured, 2 n/a) in 1.5 s; profile hlos (no root caps "
        "(/chosen humpy,root-*-cap absent or all ones))")

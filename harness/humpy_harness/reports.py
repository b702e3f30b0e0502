"""Report files: JSON (the harness's own schema), JUnit XML (CI), TAP 13, and the bench JSON."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml

from . import coverage, expect
from .model import (BAD_VERDICTS, GUEST_SETUP_AREA, VERDICT_ORDER, Report, TestResult, Verdict,
                    is_pseudo)

JSON_SCHEMA = "humpy-results/1"
BENCH_SCHEMA = "humpy-bench/1"

# JUnit has three bad kinds: failure (the code under test is wrong), error (the test could not
# finish), skipped. FAIL is a failure; the harness's verdicts and ERROR are errors.
_JUNIT_KIND = {Verdict.FAIL: "failure", Verdict.ERROR: "error", Verdict.TIMEOUT: "error",
               Verdict.CRASH: "error", Verdict.NOTRUN: "error", Verdict.SKIP: "skipped"}


def _atomic_write(path: Path, data: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(data, encoding="utf-8")
    os.replace(tmp, path)
    return str(path)


def profile_text(report: Report) -> str:
    """`profile root (why)`, as the guest said it; `profile unknown` when no boot said it."""
    profile, reason = report.profile
    if profile is None:
        return "profile unknown"
    return f"profile {profile} ({reason or 'the guest sent no PROFILE line'})"


def to_json(report: Report) -> dict:
    counts = report.counts
    profile, reason = report.profile
    return {
        "schema": JSON_SCHEMA,
        "mode": report.mode,
        "started": report.started,
        "duration_s": round(report.duration, 3),
        "ok": report.ok,
        "error": report.error,
        "info": report.info,
        "summary": dict(counts, total=len(report.results)),
        "profile": {"profile": profile, "reason": reason},
        "setup_errors": [e for run in report.runs if run.mode != "list" for e in run.setup_errors],
        "expect": report.expect,
        "tests": [r.to_json() for r in report.results],
        "listed": list(report.listed),
        "bench": [b.to_json() for b in report.bench],
        "runs": [run.to_json() for run in report.runs],
        "coverage": report.coverage,
    }


def write_json(report: Report, path) -> str:
    return _atomic_write(Path(path), json.dumps(to_json(report), indent=2) + "\n")


def _clean(text: str) -> str:
    """XML 1.0 cannot carry most control characters, and a garbled console has them."""
    return "".join(c if c in "\t\n\r" or ord(c) >= 0x20 else f"\\x{ord(c):02x}" for c in text)


def _message(r: TestResult) -> str:
    return _clean(f"{r.verdict}: {r.reason}" if r.reason else str(r.verdict))


def to_junit(report: Report, suite: str = "humpy") -> ET.Element:
    counts = report.counts
    failures = counts[Verdict.FAIL.value]
    errors = sum(counts[v.value] for v, k in _JUNIT_KIND.items() if k == "error")
    skipped = counts[Verdict.SKIP.value]
    attrs = {"name": suite, "tests": str(len(report.results)), "failures": str(failures),
             "errors": str(errors), "skipped": str(skipped), "time": f"{report.duration:.3f}",
             "timestamp": report.started}
    root = ET.Element("testsuites", {k: attrs[k] for k in ("name", "tests", "failures", "errors",
                                                           "skipped", "time")})
    ts = ET.SubElement(root, "testsuite", attrs)
    props = ET.SubElement(ts, "properties")
    for key in ("hyp", "guest", "qemu"):
        if report.info.get(key):
            ET.SubElement(props, "property", name=key, value=_clean(str(report.info[key])))
    profile, reason = report.profile
    ET.SubElement(props, "property", name="profile", value=profile or "unknown")
    ET.SubElement(props, "property", name="profile_reason", value=_clean(reason or ""))
    ET.SubElement(props, "property", name="expectations",
                  value=_clean(report.expect["file"] if report.expect else "none"))
    for r in report.results:
        tc = ET.SubElement(ts, "testcase", classname=r.area, name=r.name,
                           time=f"{r.duration or 0:.3f}")
        kind = _JUNIT_KIND.get(r.verdict)
        if kind:
            ET.SubElement(tc, kind, message=_message(r), type=str(r.verdict)).text = (
                _clean(r.reason) or None)
        if r.log:
            where = f"console log: {r.log}" + (f" line {r.line}" if r.line else "")
            ET.SubElement(tc, "system-out").text = where
    return root


def write_junit(report: Report, path, suite: str = "humpy") -> str:
    root = to_junit(report, suite)
    ET.indent(root)
    data = ET.tostring(root, encoding="unicode", xml_declaration=True)
    return _atomic_write(Path(path), data + "\n")


def to_tap(report: Report) -> str:
    out = ["TAP version 13", f"1..{len(report.results)}"]
    for i, r in enumerate(report.results, 1):
        if r.verdict == Verdict.SKIP:
            out.append(f"ok {i} - {r.id} # SKIP {_clean(r.reason)}".rstrip())
            continue
        ok = r.verdict not in BAD_VERDICTS
        out.append(f"{'ok' if ok else 'not ok'} {i} - {r.id}")
        if not ok:
            block = {"verdict": str(r.verdict), "reason": _clean(r.reason)}
            if r.log:
                block["log"] = r.log + (f":{r.line}" if r.line else "")
            out.append("  ---")
            out.extend("  " + line for line in
                       yaml.safe_dump(block, sort_keys=False, width=1000).splitlines())
            out.append("  ...")
    out.append(f"# {_clean(profile_text(report))}")
    if report.mode == "run":
        out.append(f"# {_clean(expect.summary(report))}")
    if report.error:
        out.append(f"Bail out! {_clean(report.error)}")
    return "\n".join(out) + "\n"


def write_tap(report: Report, path) -> str:
    return _atomic_write(Path(path), to_tap(report))


def write_all(report: Report, directory, name: str) -> dict[str, str]:
    d = Path(directory)
    paths = {"json": write_json(report, d / f"{name}.json"),
             "junit": write_junit(report, d / f"{name}.xml"),
             "tap": write_tap(report, d / f"{name}.tap")}
    if report.coverage and not report.coverage.get("error"):
        paths["coverage"] = _atomic_write(d / f"{name}-coverage.md",
                                          coverage.markdown(report.coverage))
    return paths


def to_bench_json(report: Report) -> dict:
    return {"schema": BENCH_SCHEMA, "started": report.started, "ok": report.ok,
            "error": report.error, "info": report.info,
            "bench": [b.to_json() for b in report.bench],
            "runs": [run.to_json() for run in report.runs],
            "problems": [r.to_json() for r in report.results if r.verdict in BAD_VERDICTS]}


def write_bench_json(report: Report, path) -> str:
    return _atomic_write(Path(path), json.dumps(to_bench_json(report), indent=2) + "\n")


def table(report: Report) -> str:
    """The per-test table the CLI prints."""
    if not report.results:
        return ""
    width = max(len("TEST"), *(len(r.id) for r in report.results))
    lines = [f"{'VERDICT':8} {'TEST':{width}} {'TIME':>7}  REASON"]
    for r in report.results:
        t = f"{r.duration:.2f}s" if r.duration is not None else "-"
        lines.append(f"{str(r.verdict):8} {r.id:{width}} {t:>7}  {r.reason}".rstrip())
    return "\n".join(lines)


def bench_table(report: Report) -> str:
    """One row per BENCH line: value and unit, or n/a and the reason (never a 0)."""
    if not report.bench:
        return ""
    width = max(len("BENCHMARK"), *(len(b.name) for b in report.bench))
    lines = [f"{'BENCHMARK':{width}} {'VALUE':>12}  UNIT"]
    for b in report.bench:
        tail = b.unit if b.measured else f"-      {b.reason}"
        lines.append(f"{b.name:{width}} {b.shown():>12}  {tail}".rstrip())
    return "\n".join(lines)


def summary(report: Report) -> str:
    counts = report.counts
    parts = ", ".join(f"{counts[v.value]} {v}" for v in VERDICT_ORDER
                      if counts[v.value] or v in (Verdict.PASS, Verdict.FAIL))
    word = "OK" if report.ok else "FAILED"
    setup = [r.id.split(".", 1)[1] for r in report.results if r.id.startswith(GUEST_SETUP_AREA + ".")]
    tail = f"; {profile_text(report)}"
    if setup:
        tail += f"; guest set-up failed: {', '.join(setup)}"
    if report.mode == "bench":
        bad = f", {parts}" if report.results else ""
        na = sum(1 for b in report.bench if not b.measured)
        measured = f" ({len(report.bench) - na} measured, {na} n/a)" if na else ""
        return (f"humpy bench: {word}: {len(report.bench)} benchmark(s){measured}{bad} "
                f"in {report.duration:.1f} s{tail}")
    guest = sum(1 for r in report.results if not is_pseudo(r.id))
    if report.mode == "run":
        tail += f"; {expect.summary(report)}"
        if coverage.short(report.coverage):
            tail += f"; {coverage.short(report.coverage)}"
    return (f"humpy {report.mode}: {word}: {guest} guest test(s): {parts} "
            f"in {report.duration:.1f} s{tail}")

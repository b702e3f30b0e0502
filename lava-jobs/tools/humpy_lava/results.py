"""Turns a LAVA job log into the harness's results, so board and QEMU runs read the same.

The verdicts are LAVA's own: the `results` lines its monitor action recorded. The console (LAVA's
`target` lines) goes through the harness's parser too, for what LAVA does not keep: each failure's
reason, the test that was running when a job died (CRASH or TIMEOUT, like the harness), and the
listed tests that never started (NOTRUN), the guest's PROFILE and SETUP_ERROR lines. Where LAVA and
the parser read a verdict differently the report gets an ERROR on `lava.monitor`: the monitor pattern
and the protocol have drifted apart. With an expectations file (conformance/expect/*.yaml) the run is
checked by the harness's own code (humpy_harness.expect): the profile, the SKIPs, and the count
against the job's test list, exactly as `make conformance` checks a QEMU run."""

import dataclasses
import datetime
import os

from . import dispatch
from .render import lava_case_name
from humpy_harness import expect, protocol, reports
from humpy_harness.model import RUN_ID, Outcome, Report, TestResult, Verdict, is_pseudo
from humpy_harness.parser import parse_text

MONITOR_ID = "lava.monitor"
# LAVA's result names back to guest verdicts (the inverse of protocol.LAVA_FIXUP).
FROM_LAVA = {lava: Verdict(guest) for guest, lava in protocol.LAVA_FIXUP.items()}
GUEST_VERDICTS = tuple(Verdict(v) for v in protocol.GUEST_VERDICTS)
# Results only the harness's own list boot makes; a LAVA job has no list boot.
HARNESS_ONLY = ("harness.list", "harness.setup")


@dataclasses.dataclass
class LavaJob:
    """What one LAVA job log holds."""
    console: str
    cases: list  # the monitor's results: dicts with case, result, extra.test_case_id
    job: dict | None  # LAVA's verdict: {case: job, result, error_type, error_msg}
    errors: list
    started: str | None
    duration: float | None


def _timestamp(entry):
    try:
        return datetime.datetime.fromisoformat(str(entry.get("dt")))
    except (TypeError, ValueError):
        return None


def read_job(log_path, monitor_name="humpy"):
    entries = dispatch.read_log(log_path)
    console, cases, job = [], [], None
    for e in entries:
        msg = e.get("msg")
        if e.get("lvl") == "target" and isinstance(msg, str):
            # LAVA logs each console line with its CRs and escapes dropped and every '"' turned
            # into '\\"' (lava_dispatcher/shell.py); undo the quoting so reasons read as printed.
            console.append(msg.replace('\\"', '"'))
        elif e.get("lvl") == "results" and isinstance(msg, dict):
            if msg.get("definition") == "lava":
                if msg.get("case") == "job":
                    job = msg
            elif msg.get("definition") == monitor_name:
                cases.append(msg)
    times = [t for t in (_timestamp(e) for e in entries) if t is not None]
    started = times[0].isoformat(timespec="seconds") if times else None
    duration = (times[-1] - times[0]).total_seconds() if times else None
    return LavaJob("\n".join(console) + "\n", cases, job, dispatch.errors(entries), started,
                   duration)


def ending(job):
    """How the run ended, in the harness's terms, from LAVA's job verdict."""
    if job is None:
        return Outcome.CRASH, "LAVA log has no job result (lava-run killed?)"
    if job.get("result") == "pass":
        return Outcome.COMPLETE, ""
    msg = str(job.get("error_msg") or "job failed")
    kind = job.get("error_type") or "Job"
    if "timed out" in msg or "timeout" in msg.lower():
        return Outcome.TIMEOUT, f"LAVA {kind} error: {msg}"
    return Outcome.CRASH, f"LAVA {kind} error: {msg}"


def lava_verdicts(cases):
    """{test id: [Verdict, ...]} from the monitor's results, in console order."""
    out = {}
    for case in cases:
        test_id = str((case.get("extra") or {}).get("test_case_id") or case.get("case"))
        result = case.get("result")
        # The monitor only records pass/fail/skip/unknown; anything else is not a guest verdict.
        out.setdefault(test_id, []).append(FROM_LAVA.get(result, Verdict.ERROR))
    return out


def convert(log_path, expected=None, info=None, console_out=None, monitor_name="humpy",
            expectations=None):
    """The harness Report for one LAVA job log. expected: the listed tests (for NOTRUN).
    console_out: where to save the console rebuilt from the log (results point at its lines).
    expectations: an expect.Expectations (or a path) to check the run against; the job runs the
    whole list, so nothing is narrowed."""
    job = read_job(log_path, monitor_name)
    outcome, reason = ending(job.job)
    console_log = log_path
    if console_out:
        os.makedirs(os.path.dirname(console_out) or ".", exist_ok=True)
        with open(console_out, "w", encoding="utf-8") as f:
            f.write(job.console)
        console_log = console_out
    run = parse_text(job.console, "run", outcome, reason, expected=expected, log=console_log)
    lava = lava_verdicts(job.cases)
    drift = []
    results = []
    for r in run.results:
        got = lava.pop(r.id, None)
        from_result = (r.verdict in GUEST_VERDICTS and not is_pseudo(r.id)
                       and not r.reason.startswith("RUN without RESULT"))
        if from_result:
            if got is None:
                drift.append(f"{r.id}: {r.verdict} on the console, no LAVA result")
            elif len(got) == 1 and got[0] != r.verdict:
                drift.append(f"{r.id}: {r.verdict} on the console, LAVA recorded {got[0]}")
                r = dataclasses.replace(r, verdict=got[0])
        elif got is not None:
            drift.append(f"{r.id}: {r.verdict} by the console, LAVA recorded {got[-1]}")
        results.append(r)
    for test_id, got in lava.items():
        drift.append(f"{test_id}: LAVA recorded {got[-1]}, no RESULT on the console")
    if drift:
        results.append(TestResult(MONITOR_ID, Verdict.ERROR,
                                  "LAVA's monitor and the protocol disagree: " + "; ".join(drift),
                                  None, console_log))
    run.results = results
    info = dict(info or {})
    info.update({"lava_log": log_path, "lava_job": job.job, "lava_errors": job.errors,
                 "lava_cases": len(job.cases)})
    report = Report(mode="run", results=results, runs=[run], started=job.started or "",
                    duration=job.duration or 0.0, info=info)
    if outcome != Outcome.COMPLETE:
        report.error = reason
    if expectations is not None:
        if isinstance(expectations, str):
            expectations = expect.load(expectations)
        report.info["expect"] = expectations.path
        expect.apply(report, expectations, expected, narrowed=False)
    return report


def write(report, directory, name, suite):
    """JSON and JUnit with the harness's writers: {json: path, junit: path}."""
    os.makedirs(directory, exist_ok=True)
    return {"json": reports.write_json(report, os.path.join(directory, name + ".json")),
            "junit": reports.write_junit(report, os.path.join(directory, name + ".xml"), suite)}


def compare(a, b, a_name="lava", b_name="harness"):
    """Per-test verdict differences between two reports; [] when they agree test for test.
    A lava.monitor ERROR (LAVA and the console disagree) is a difference by itself."""
    def verdicts(report):
        return {r.id: r.verdict for r in report.results if r.id not in HARNESS_ONLY}

    va, vb = verdicts(a), verdicts(b)
    diffs = []
    for test_id in sorted(set(va) | set(vb)):
        x, y = va.get(test_id), vb.get(test_id)
        if x != y:
            diffs.append(f"{test_id}: {a_name} {x or 'absent'}, {b_name} {y or 'absent'}")
    return diffs


__all__ = ["convert", "write", "compare", "read_job", "lava_case_name"]

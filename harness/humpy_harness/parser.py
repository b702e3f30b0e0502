"""Incremental parser of a guest console: bytes in as they arrive, a RunResult out at the end.

Decisions on a console that breaks the protocol (each one tested in harness/tests/test_parser.py):
- A protocol line is `[humpy] ...` up to the end of the line. When free text and a protocol line
  share a console line (two writers on one UART), each `[humpy] ` starts a new candidate and the
  text before the first one is free text; this is a warning, the line is still used.
- A candidate that starts with `[humpy] ` but matches no pattern in full is garbled: warning, ignored.
  Only well-formed protocol lines count as progress for the harness's no-progress limit.
- The last line of a console that ends without a newline is parsed like any other line: a cut
  `RESULT` or `END` no longer matches in full and is treated as garbled.
- A RESULT repeated with the same verdict and reason: warning, kept once. A RESULT repeated with a
  different verdict or reason: the test gets ERROR naming both (the guest broke the contract).
- A RESULT for a test never RUN: warning, the result is kept.
- Lines after END: warning, ignored.
- A second BEGIN (the guest started again): the run gets an ERROR (`harness.run`).
- At the end, the test whose RUN is the last RUN and has no RESULT gets TIMEOUT or CRASH (by how the
  run ended); any other test RUN without RESULT gets ERROR (its RESULT was lost). If no test is open
  when a run times out or crashes, `harness.run` carries the TIMEOUT or CRASH, so it is never lost.
- After END the harness checks the guest's own counts: END's counts against the RESULT lines, and
  BEGIN's `tests=` against the tests seen; a mismatch is an ERROR on `harness.run` (lost lines).
- Tests that were expected (from a list-mode boot) and never started are NOTRUN.
- COVER lines are collected (counts of the same call and path add up); one with neither a value
  nor unrecorded= is garbled. COVER lines never change a verdict.
- TRACE lines (bootarg humpy.trace) are collected as they came, in console order, and never change
  a verdict; after END they are ignored like any other line.
- PROFILE (after BEGIN) gives the profile's reason; a PROFILE naming another profile than BEGIN's
  profile=, a second PROFILE, or one before BEGIN is an ERROR on `harness.run`.
- SETUP_ERROR: the guest's set-up step (timer, vGIC, MMU...) failed. In run and bench mode each
  becomes the item `guest_setup.<component>` with ERROR, so the run fails; in list mode a warning
  (the run boot that follows reports it again).
- BENCH with value 0: no counter measures a hypercall in 0, so the counter did not see it; kept as
  n/a with that reason (never shown as 0) and a warning.
"""

from __future__ import annotations

import codecs
import re
import time

from . import protocol
from .model import (GUEST_SETUP_AREA, RUN_ID, Bench, Cover, Outcome, RunResult, TestResult,
                    Verdict, is_pseudo)

_BEGIN = re.compile(protocol.BEGIN_PATTERN)
_RUN = re.compile(protocol.RUN_PATTERN)
_RESULT = re.compile(protocol.RESULT_PATTERN)
_END = re.compile(protocol.END_PATTERN)
_TEST = re.compile(protocol.TEST_PATTERN)
_BENCH = re.compile(protocol.BENCH_PATTERN)
_COVER = re.compile(protocol.COVER_PATTERN)
_TRACE = re.compile(protocol.TRACE_PATTERN)
_PROFILE = re.compile(protocol.PROFILE_PATTERN)
_SETUP_ERROR = re.compile(protocol.SETUP_ERROR_PATTERN)
_COVER_PAIR = re.compile(r" (" + protocol.COVER_VALUE + r")=([0-9]+)")

MODES = ("run", "list", "bench")
NOTE_PREFIX = "### humpy-harness: "  # the harness's own notes in a log (runner.LOG_NOTE)
# Free text that explains a TIMEOUT or CRASH better than the last line does (a hypervisor's panic
# banner is followed by a register dump). Only quoted in the reason; never a verdict by itself.
# "vCPU N stopped": the hypervisor gave up on the guest (humpy's vm_vcpu_stop); the power-off line
# after it says less.
ALARM = re.compile(r"(?i)\b(panic|fatal|unhandled|unexpected (sync|exception|abort)|"
                   r"assert(ion)? fail|vcpu \d+ stopped)")


def _show(text: str, limit: int = 100) -> str:
    text = text if len(text) <= limit else text[:limit] + "..."
    return repr(text)


class ConsoleParser:
    """Feed console bytes with feed(); call finish() once, when the run is over."""

    def __init__(self, mode: str = "run", clock=time.monotonic, log: str | None = None):
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        self.mode = mode
        self.log = log
        self._clock = clock
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._tail = ""
        self.lineno = 0
        self.profile: str | None = None
        self.profile_reason: str | None = None
        self.profile_line: int | None = None
        self.setup_errors: list[dict] = []  # {component, reason, line}
        self.begin_tests: int | None = None
        self.begin_line: int | None = None
        self.end_counts: dict | None = None
        self.end_seen = False
        self.results: dict[str, TestResult] = {}
        self._guest_verdicts: dict[str, Verdict] = {}  # first RESULT of each test, for END's counts
        self._open: dict[str, tuple[float | None, int]] = {}  # RUN without RESULT: (time, line)
        self._ran: set[str] = set()
        self._order: dict[str, int] = {}  # first appearance (RUN or RESULT) of each test
        self.last_run: str | None = None
        self.last_result: str | None = None
        self.listed: list[str] = []
        self.bench: list[Bench] = []
        self.cover = Cover()
        self.trace: list[str] = []  # TRACE lines, without anything before `[humpy] `
        self.warnings: list[str] = []
        self.run_errors: list[str] = []
        self.protocol_lines = 0
        self.last_text: str | None = None  # last free-text line: QEMU's own error, if it died early
        self.alarm: tuple[int, str] | None = None  # first panic-like free-text line
        self.last_progress: float | None = None
        self.finished = False

    # ---- input ----

    def feed(self, data: bytes | str) -> int:
        """Parses every complete line in data; returns how many well-formed protocol lines it held."""
        text = self._decoder.decode(data) if isinstance(data, (bytes, bytearray)) else data
        before = self.protocol_lines
        self._tail += text
        while True:
            nl = self._tail.find("\n")
            if nl < 0:
                break
            line, self._tail = self._tail[:nl], self._tail[nl + 1:]
            self._line(line)
        return self.protocol_lines - before

    def flush(self) -> int:
        """The console ended: parses a last line that had no newline."""
        before = self.protocol_lines
        rest = self._decoder.decode(b"", final=True)
        line, self._tail = self._tail + rest, ""
        if line:
            self._line(line)
        return self.protocol_lines - before

    def _now(self) -> float | None:
        return self._clock() if self._clock else None

    def _line(self, line: str) -> None:
        self.lineno += 1
        # A bare CR inside a line (a console overwriting itself) separates candidates too.
        for piece in line.split("\r"):
            start = piece.find(protocol.PREFIX)
            if start < 0:
                if piece.strip() and not piece.startswith(NOTE_PREFIX):
                    self.last_text = piece.strip()
                    if self.alarm is None and ALARM.search(piece):
                        self.alarm = (self.lineno, piece.strip())
                continue
            if piece[:start].strip():
                self.warnings.append(f"line {self.lineno}: protocol text after free text "
                                     f"{_show(piece[:start], 40)}")
            while start >= 0:
                nxt = piece.find(protocol.PREFIX, start + len(protocol.PREFIX))
                self._candidate(piece[start:nxt if nxt >= 0 else len(piece)].rstrip())
                start = nxt

    @staticmethod
    def _full(pattern: re.Pattern, text: str, prefix_ok: bool = False) -> re.Match | None:
        m = pattern.match(text)
        if m is None:
            return None
        if m.end() == len(text) or (prefix_ok and text[m.end()] == " "):
            return m
        return None

    def _candidate(self, text: str) -> None:
        n = self.lineno
        m = self._full(_RESULT, text)
        if m:
            return self._progress(self._on_result(n, m["test_case_id"], Verdict(m["result"]),
                                                  (m["reason"] or "").strip()))
        m = self._full(_RUN, text)
        if m:
            return self._progress(self._on_run(n, m["test_case_id"]))
        m = self._full(_BEGIN, text, prefix_ok=True)  # BEGIN may grow more key=value fields
        if m:
            return self._progress(self._on_begin(n, m["profile"], int(m["tests"])))
        m = self._full(_END, text)
        if m:
            counts = {k: int(m[k]) for k in ("pass", "fail", "skip", "error")}
            return self._progress(self._on_end(n, counts))
        m = self._full(_TEST, text)
        if m:
            return self._progress(self._on_test(n, m["test_case_id"]))
        m = self._full(_BENCH, text)
        if m:
            value = float(m["value"]) if m["value"] is not None else None
            return self._progress(self._on_bench(n, m["name"], value, m["unit"],
                                                 (m["reason"] or "").strip()))
        m = self._full(_PROFILE, text)
        if m:
            return self._progress(self._on_profile(n, m["profile"], m["reason"].strip()))
        m = self._full(_SETUP_ERROR, text)
        if m:
            return self._progress(self._on_setup_error(n, m["component"], m["reason"].strip()))
        m = self._full(_COVER, text)
        if m and (m["pairs"] or m["unrecorded"]):
            return self._progress(self._on_cover(n, m))
        m = self._full(_TRACE, text)
        if m:
            return self._progress(self._on_trace(n, text))
        self.warnings.append(f"line {n}: garbled protocol line {_show(text)}")

    def _progress(self, _accepted: bool) -> None:
        self.protocol_lines += 1
        self.last_progress = self._now()

    def _after_end(self, n: int, what: str) -> bool:
        if self.end_seen:
            self.warnings.append(f"line {n}: {what} after END ignored")
        return self.end_seen

    # ---- events ----

    def _on_begin(self, n: int, profile: str, tests: int) -> bool:
        if self._after_end(n, "BEGIN (the guest started again)"):
            return False
        if self.begin_line is not None:
            self.run_errors.append(f"second BEGIN at line {n} (first at line {self.begin_line}): "
                                   f"the guest started again")
            return True
        self.begin_line, self.profile, self.begin_tests = n, profile, tests
        return True

    def _on_run(self, n: int, test_id: str) -> bool:
        if self._after_end(n, f"RUN {test_id}"):
            return False
        if self.begin_line is None:
            self.warnings.append(f"line {n}: RUN {test_id} before BEGIN")
        if test_id in self._ran:
            self.warnings.append(f"line {n}: {test_id} RUN again")
        self._ran.add(test_id)
        self._order.setdefault(test_id, len(self._order))
        self._open[test_id] = (self._now(), n)
        self.last_run = test_id
        return True

    def _on_result(self, n: int, test_id: str, verdict: Verdict, reason: str) -> bool:
        if self._after_end(n, f"RESULT {test_id}"):
            return False
        old = self.results.get(test_id)
        if old is not None:
            first = self._guest_verdicts[test_id]
            if old.verdict == verdict and old.reason == reason:
                self.warnings.append(f"line {n}: duplicated RESULT {test_id} {verdict} (first at "
                                     f"line {old.line}) kept once")
            else:
                if not old.reason.startswith("conflicting RESULTs: "):
                    old.reason = f"conflicting RESULTs: line {old.line}: " + " ".join(
                        filter(None, (first.value, old.reason)))
                old.reason += f"; line {n}: " + " ".join(filter(None, (verdict.value, reason)))
                old.verdict = Verdict.ERROR
            self._open.pop(test_id, None)
            return True
        if test_id not in self._ran:
            self.warnings.append(f"line {n}: RESULT {test_id} without RUN")
        started = self._open.pop(test_id, (None, None))[0]
        now = self._now()
        duration = now - started if started is not None and now is not None else None
        self.results[test_id] = TestResult(test_id, verdict, reason, duration, self.log, n)
        self._order.setdefault(test_id, len(self._order))
        self._guest_verdicts[test_id] = verdict
        self.last_result = test_id
        return True

    def _on_test(self, n: int, test_id: str) -> bool:
        if self._after_end(n, f"TEST {test_id}"):
            return False
        if test_id in self.listed:
            self.warnings.append(f"line {n}: TEST {test_id} listed twice")
        else:
            self.listed.append(test_id)
        return True

    def _on_bench(self, n: int, name: str, value: float | None, unit: str | None,
                  reason: str) -> bool:
        if self._after_end(n, f"BENCH {name}"):
            return False
        if value == 0:
            reason = f"the guest's counter read 0 {unit}: it did not see the hypervisor"
            self.warnings.append(f"line {n}: BENCH {name} 0 {unit} is no measurement; shown n/a")
            value = None
        self.bench.append(Bench(name, value, unit, reason))
        return True

    def _on_profile(self, n: int, profile: str, reason: str) -> bool:
        if self._after_end(n, "PROFILE"):
            return False
        if self.begin_line is None:
            self.run_errors.append(f"PROFILE at line {n} before BEGIN")
        elif self.profile_line is not None:
            self.run_errors.append(f"second PROFILE at line {n} (first at line "
                                   f"{self.profile_line})")
            return True
        elif profile != self.profile:
            self.run_errors.append(f"PROFILE {profile} at line {n} but BEGIN said "
                                   f"profile={self.profile}")
        self.profile, self.profile_reason, self.profile_line = profile, reason, n
        return True

    def _on_setup_error(self, n: int, component: str, reason: str) -> bool:
        if self._after_end(n, f"SETUP_ERROR {component}"):
            return False
        self.setup_errors.append({"component": component, "reason": reason, "line": n})
        return True

    def _on_cover(self, n: int, m: re.Match) -> bool:
        if self._after_end(n, "COVER"):
            return False
        call = "past" if m["call"] == "past" else int(m["call"], 16)
        pairs = []
        for value, count in _COVER_PAIR.findall(m["pairs"]):
            x0 = int(value, 16) if value.startswith("0x") else int(value)
            if not -(1 << 63) <= x0 < (1 << 64):
                self.warnings.append(f"line {n}: COVER value {value} does not fit 64 bits, "
                                     f"line ignored")
                return False
            pairs.append((x0 - (1 << 64) if x0 >= (1 << 63) else x0, int(count)))
        for x0, count in pairs:
            self.cover.add(call, m["path"], x0, count)
        if m["unrecorded"]:
            self.cover.add_unrecorded(call, m["path"], int(m["unrecorded"]))
        self.cover.lines += 1
        return True

    def _on_trace(self, n: int, text: str) -> bool:
        if self._after_end(n, "TRACE"):
            return False
        self.trace.append(text)
        return True

    def _on_end(self, n: int, counts: dict) -> bool:
        if self._after_end(n, "END"):
            return False
        self.end_seen, self.end_counts = True, counts
        if self.begin_line is None:
            self.run_errors.append(f"END at line {n} without BEGIN")
        return True

    # ---- the verdict ----

    def _check_counts(self) -> None:
        if self.mode == "run":
            seen = {k: 0 for k in ("pass", "fail", "skip", "error")}
            for v in self._guest_verdicts.values():
                seen[v.value.lower()] += 1
            if self.end_counts != seen:
                fmt = " ".join(f"{k}={v}" for k, v in (self.end_counts or {}).items())
                got = " ".join(f"{k}={v}" for k, v in seen.items())
                self.run_errors.append(f"END says {fmt} but the console holds RESULTs {got} "
                                       f"(lost or garbled lines)")
            ids = set(self.results) | self._ran
            if self.begin_tests is not None and self.begin_tests != len(ids):
                self.run_errors.append(f"BEGIN announced tests={self.begin_tests} but "
                                       f"{len(ids)} test(s) ran")
        elif self.mode == "list":
            if self.begin_tests is not None and self.begin_tests != len(self.listed):
                self.run_errors.append(f"BEGIN announced tests={self.begin_tests} but "
                                       f"{len(self.listed)} TEST line(s) came")

    def finish(self, ending: Outcome, reason: str = "", expected: list[str] | None = None,
               **run_fields) -> RunResult:
        """Closes the run. ending: COMPLETE only if END was seen; otherwise how it stopped."""
        if self.finished:
            raise RuntimeError("finish() called twice")
        self.finished = True
        self.flush()
        if self.end_seen and ending != Outcome.COMPLETE:
            # END arrived (e.g. in the last unterminated line) before the run was cut.
            ending, reason = Outcome.COMPLETE, ""
        if not self.end_seen and ending == Outcome.COMPLETE:
            ending, reason = Outcome.CRASH, reason or "console ended without END"
        if not reason:
            reason = {Outcome.TIMEOUT: "run exceeded its time limit",
                      Outcome.CRASH: "console ended without END",
                      Outcome.ERROR: "the run could not start"}.get(ending, "")
        if ending in (Outcome.TIMEOUT, Outcome.CRASH) and self.alarm is not None:
            reason += f"; console line {self.alarm[0]}: {_show(self.alarm[1], 160)}"
        current = self.last_run if self.last_run in self._open else None
        for test_id, (_, n) in self._open.items():
            if test_id == current and ending != Outcome.COMPLETE:
                verdict, why = Verdict(ending.name), reason
            else:
                verdict = Verdict.ERROR
                why = "RUN without RESULT (its RESULT line was lost or garbled)"
            self.results[test_id] = TestResult(test_id, verdict, why, None, self.log, n)
        results = sorted(self.results.values(), key=lambda r: self._order[r.id])
        if ending in (Outcome.TIMEOUT, Outcome.CRASH, Outcome.ERROR) and current is None:
            if self.begin_line is None:
                where = "before BEGIN"
                if self.last_text and self.alarm is None:
                    where += f"; last console line: {_show(self.last_text, 160)}"
            elif self.last_result is None:
                where = "after BEGIN, before any test"
            else:
                where = f"between tests, after the RESULT of {self.last_result}"
            verdict = Verdict.ERROR if ending == Outcome.ERROR else Verdict(ending.name)
            results.append(TestResult(RUN_ID, verdict, f"{reason} ({where})", None, self.log,
                                      self.lineno or None))
        if ending == Outcome.COMPLETE:
            self._check_counts()
        if expected is not None:
            have = {r.id for r in results}
            for test_id in expected:
                if test_id not in have:
                    why = (f"not run: the run ended early ({ending})" if ending != Outcome.COMPLETE
                           else "not run: missing from the run")
                    results.append(TestResult(test_id, Verdict.NOTRUN, why, None, self.log))
            unexpected = sorted(t for t in have - set(expected) if not is_pseudo(t))
            if unexpected:
                self.warnings.append(f"tests not in the selection ran: {', '.join(unexpected)}")
        for err in self.setup_errors:
            what = f"guest set-up of the {err['component']} failed: {err['reason']}"
            if self.mode == "list":
                self.warnings.append(f"line {err['line']}: {what}")
            else:
                results.append(TestResult(f"{GUEST_SETUP_AREA}.{err['component']}", Verdict.ERROR,
                                          what, None, self.log, err["line"]))
        if self.run_errors:
            run = next((r for r in results if r.id == RUN_ID), None)
            if run is None:
                results.append(TestResult(RUN_ID, Verdict.ERROR, "; ".join(self.run_errors),
                                          None, self.log))
            else:
                run.reason = "; ".join([run.reason] + self.run_errors)
        return RunResult(outcome=ending, reason=reason if ending != Outcome.COMPLETE else "",
                         mode=self.mode,
                         results=results, listed=list(self.listed), bench=list(self.bench),
                         profile=self.profile, profile_reason=self.profile_reason,
                         setup_errors=list(self.setup_errors), begin_tests=self.begin_tests,
                         end_counts=self.end_counts, warnings=list(self.warnings), log=self.log,
                         cover=self.cover if self.cover.lines else None, trace=list(self.trace),
                         **run_fields)


def parse_text(text: str | bytes, mode: str = "run", ending: Outcome = Outcome.CRASH,
               reason: str = "", expected: list[str] | None = None, log: str | None = None
               ) -> RunResult:
    """Parses a whole console at once. ending is how the run stopped when there is no END."""
    parser = ConsoleParser(mode, clock=None, log=log)
    parser.feed(text)
    return parser.finish(ending, reason, expected)


def parse_log(path: str, mode: str = "run", ending: Outcome = Outcome.CRASH,
              expected: list[str] | None = None) -> RunResult:
    with open(path, "rb") as f:
        return parse_text(f.read(), mode, ending, expected=expected, log=path)

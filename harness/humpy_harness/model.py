"""Verdicts and results: what one guest test and one QEMU run came to."""

from __future__ import annotations

import dataclasses
import enum


class Verdict(str, enum.Enum):
    PASS = "PASS"
    FAIL = "FAIL"  # the hypervisor is wrong
    SKIP = "SKIP"  # the build lacks the feature
    ERROR = "ERROR"  # the test could not run (guest set-up, guest per-test limit, lost lines)
    TIMEOUT = "TIMEOUT"  # harness: the run hit its wall-clock or no-progress limit in this test
    CRASH = "CRASH"  # harness: QEMU exited or the console ended without END in this test
    NOTRUN = "NOTRUN"  # harness: selected but never started because the run ended early

    def __str__(self) -> str:
        return self.value


# Everything but PASS and SKIP fails a run. NOTRUN only appears next to a TIMEOUT or CRASH that
# already fails it, but a test that was asked for and never ran must not look green on its own.
BAD_VERDICTS = frozenset({Verdict.FAIL, Verdict.ERROR, Verdict.TIMEOUT, Verdict.CRASH, Verdict.NOTRUN})
VERDICT_ORDER = (Verdict.PASS, Verdict.FAIL, Verdict.SKIP, Verdict.ERROR, Verdict.TIMEOUT,
                 Verdict.CRASH, Verdict.NOTRUN)

# Pseudo-test ids (they match the protocol's id syntax) for failures no guest test can carry:
# the console ended between two tests, the END counts disagree, the harness could not start.
RUN_ID = "harness.run"
LIST_ID = "harness.list"
SETUP_ID = "harness.setup"
INTERRUPTED_ID = "harness.interrupted"  # the ERROR item of a run stopped by Ctrl-C/SIGTERM
EXPECT_ID = "harness.expect"  # the run does not match its expectations file (expect.py)
# A guest SETUP_ERROR line (its timer, vGIC, MMU... set-up failed) is an item of its own:
# guest_setup.<component>, an ERROR. Neither area is a guest test area.
GUEST_SETUP_AREA = "guest_setup"
PSEUDO_AREAS = ("harness", GUEST_SETUP_AREA)


def is_pseudo(test_id: str) -> bool:
    """True for the items the harness makes (harness.*, guest_setup.*), not the guest's tests."""
    return test_id.split(".", 1)[0] in PSEUDO_AREAS


class Outcome(str, enum.Enum):
    """How a QEMU run ended."""
    COMPLETE = "complete"  # END seen
    TIMEOUT = "timeout"  # killed by the harness at a time limit
    CRASH = "crash"  # QEMU exited (or the console closed) without END
    ERROR = "error"  # the harness could not run QEMU at all

    def __str__(self) -> str:
        return self.value


@dataclasses.dataclass
class TestResult:
    __test__ = False  # not a pytest test class, despite the name
    id: str
    verdict: Verdict
    reason: str = ""
    duration: float | None = None  # host seconds from RUN to RESULT, when both were seen
    log: str | None = None  # the console log this result was read from
    line: int | None = None  # 1-based console line of the RESULT (or of the RUN for harness verdicts)

    @property
    def area(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def name(self) -> str:
        return self.id.split(".", 1)[-1]

    def to_json(self) -> dict:
        return {"id": self.id, "verdict": self.verdict.value, "reason": self.reason,
                "duration_s": None if self.duration is None else round(self.duration, 4),
                "log": self.log, "line": self.line}


@dataclasses.dataclass
class Bench:
    """One BENCH line: a value with its unit, or (value None) n/a with the guest's reason."""
    name: str
    value: float | None
    unit: str | None = None
    reason: str = ""  # why there is no value (n/a), or why the harness refuses it

    @property
    def measured(self) -> bool:
        return self.value is not None

    def shown(self) -> str:
        if self.value is None:
            return "n/a"
        return str(int(self.value) if float(self.value).is_integer() else self.value)

    def to_json(self) -> dict:
        value = None
        if self.value is not None:
            value = int(self.value) if float(self.value).is_integer() else self.value
        return {"name": self.name, "value": value, "unit": self.unit, "reason": self.reason or None}


@dataclasses.dataclass
class Cover:
    """The guest's COVER lines: per (call, path), how often each x0 value came back.

    call is the hypercall number (int) or "past" (every number past the call table); path is "n"
    (native) or "s" (SMCCC). x0 values are signed 64-bit integers.
    """
    counts: dict = dataclasses.field(default_factory=dict)  # (call, path) -> {x0: count}
    unrecorded: dict = dataclasses.field(default_factory=dict)  # (call, path) -> count
    lines: int = 0

    def add(self, call, path: str, x0: int, count: int) -> None:
        row = self.counts.setdefault((call, path), {})
        row[x0] = row.get(x0, 0) + count

    def add_unrecorded(self, call, path: str, count: int) -> None:
        self.unrecorded[(call, path)] = self.unrecorded.get((call, path), 0) + count

    def merge(self, other: "Cover") -> "Cover":
        for (call, path), row in other.counts.items():
            for x0, n in row.items():
                self.add(call, path, x0, n)
        for (call, path), n in other.unrecorded.items():
            self.add_unrecorded(call, path, n)
        self.lines += other.lines
        return self

    def row(self, call, path: str) -> dict:
        return self.counts.get((call, path), {})

    def calls(self) -> set:
        return {call for call, _ in self.counts} | {call for call, _ in self.unrecorded}


@dataclasses.dataclass
class RunResult:
    """One QEMU boot (or one parsed log): its results in console order and how it ended."""
    outcome: Outcome
    reason: str = ""
    mode: str = "run"  # run, list or bench
    results: list[TestResult] = dataclasses.field(default_factory=list)
    listed: list[str] = dataclasses.field(default_factory=list)  # TEST lines (list mode)
    bench: list[Bench] = dataclasses.field(default_factory=list)  # BENCH lines (bench mode)
    profile: str | None = None  # BEGIN's profile=
    profile_reason: str | None = None  # the PROFILE line's reason (None: the guest sent none)
    begin_tests: int | None = None
    end_counts: dict | None = None
    warnings: list[str] = dataclasses.field(default_factory=list)
    log: str | None = None
    setup_errors: list[dict] = dataclasses.field(default_factory=list)  # SETUP_ERROR lines
    command: list[str] | None = None
    exit_status: int | None = None
    duration: float | None = None
    bootargs: str | None = None
    cover: Cover | None = None  # COVER lines (run mode), None when the console had none
    trace: list[str] = dataclasses.field(default_factory=list)  # TRACE lines (humpy.trace)

    def result(self, test_id: str) -> TestResult | None:
        for r in self.results:
            if r.id == test_id:
                return r
        return None

    def verdicts(self) -> dict[str, Verdict]:
        return {r.id: r.verdict for r in self.results}

    @property
    def ok(self) -> bool:
        return self.outcome == Outcome.COMPLETE and not any(r.verdict in BAD_VERDICTS
                                                            for r in self.results)

    def to_json(self) -> dict:
        return {"mode": self.mode, "outcome": self.outcome.value, "reason": self.reason, "log": self.log,
                "command": self.command, "bootargs": self.bootargs,
                "exit_status": self.exit_status,
                "duration_s": None if self.duration is None else round(self.duration, 3),
                "profile": self.profile, "profile_reason": self.profile_reason,
                "setup_errors": list(self.setup_errors), "begin_tests": self.begin_tests,
                "end_counts": self.end_counts, "warnings": list(self.warnings)}


def count(results) -> dict[str, int]:
    counts = {v.value: 0 for v in VERDICT_ORDER}
    for r in results:
        counts[r.verdict.value] += 1
    return counts


@dataclasses.dataclass
class Report:
    """What a harness invocation produced: one or more boots merged into one list of results."""
    mode: str  # run, list or bench
    results: list[TestResult] = dataclasses.field(default_factory=list)
    runs: list[RunResult] = dataclasses.field(default_factory=list)
    bench: list[Bench] = dataclasses.field(default_factory=list)
    listed: list[str] = dataclasses.field(default_factory=list)
    started: str = ""  # ISO 8601, UTC
    duration: float = 0.0
    info: dict = dataclasses.field(default_factory=dict)  # hyp, guest, qemu, selection...
    error: str | None = None  # the harness error that stopped it, if any
    exit_code: int | None = None  # set when the harness stopped on its own error
    coverage: dict | None = None  # the spec-coverage join (coverage.py), when computed
    expect: dict | None = None  # the expectations check (expect.py); None: no file given

    @property
    def profile(self) -> tuple[str | None, str | None]:
        """(profile, reason) the guest announced: from the last boot that ran tests (a run boot,
        else the list or bench boot); (None, None) when no boot got that far."""
        for run in sorted(self.runs, key=lambda r: r.mode != "run"):
            if run.profile is not None:
                return run.profile, run.profile_reason
        return None, None

    @property
    def cover(self) -> Cover | None:
        """The COVER lines of every run-mode boot added up (shards each count their own tests)."""
        covers = [run.cover for run in self.runs if run.mode == "run" and run.cover is not None]
        if not covers:
            return None
        total = Cover()
        for c in covers:
            total.merge(c)
        return total

    @property
    def counts(self) -> dict[str, int]:
        return count(self.results)

    @property
    def ok(self) -> bool:
        if self.error is not None or not self.runs:
            return False
        if self.mode == "bench" and not self.bench:
            return False
        return (all(run.outcome == Outcome.COMPLETE for run in self.runs)
                and not any(r.verdict in BAD_VERDICTS for r in self.results))

"""Expected results of one build (conformance/expect/*.yaml): the profile the guest must run as and
every test allowed to SKIP, with the reason. A SKIP exits 0, so without such a file a build that
lost a feature (or the root caps: 183 tests) passes as "OK"; with it, that build fails.

The file (YAML):

    build: humpy, default build (make)      what the file describes (shown in reports)
    profile: root                           root or hlos: the guest's PROFILE line must say this
    skip:                                   the tests allowed to SKIP; empty: none may
      - tests: root.*                       a glob or a list of globs over test ids
        except: [root.sweep_native]         ids the globs must not cover (optional)
        reason: "no root caps (...)"        the guest's SKIP reason, exactly (a glob if it has *);
                                            a list: any one of them
        why: ...                            free text for the reader (optional)

What fails a run (each is one problem on the item `harness.expect`, a FAIL):
- the guest's profile differs from the file's, or the guest sent no PROFILE line;
- a SKIP no entry covers, or a SKIP whose reason is not the entry's;
- a test of the guest's own list (the list boot) that has no verdict, a verdict for a test the
  list did not name, and a count of tests run that differs from the list's;
- an entry that covers no test of the guest's list (stale). Only checked when the whole list was
  selected: a run narrowed by --tests or -k says so instead.
A test an entry covers that PASSed is no failure (the entry says what may SKIP, and a build that
gained a feature is not broken): it is listed in `not_skipped` and the summary, so the entry can go.
The CLI (--expect), the pytest plugin (a suite file's `expect:`) and LAVA's result check
(lava-jobs/tools/humpy_lava/results.py) all call check(); there is no other copy.
"""

from __future__ import annotations

import dataclasses
import fnmatch
from pathlib import Path

import yaml

from . import protocol
from .errors import UsageError
from .model import EXPECT_ID, Report, TestResult, Verdict, is_pseudo

_KEYS = {"build", "profile", "skip"}
_ENTRY_KEYS = {"tests", "except", "reason", "why"}
# Most problems printed in the harness.expect reason; the JSON keeps all of them.
_REASON_PROBLEMS = 8


@dataclasses.dataclass
class Entry:
    tests: list[str]
    reasons: list[str]
    excepted: list[str] = dataclasses.field(default_factory=list)
    why: str = ""

    def covers(self, test_id: str) -> bool:
        return (test_id not in self.excepted
                and any(fnmatch.fnmatchcase(test_id, g) for g in self.tests))

    def reason_ok(self, reason: str) -> bool:
        return any(fnmatch.fnmatchcase(reason, r) if "*" in r else reason == r
                   for r in self.reasons)

    @property
    def reason(self) -> str:
        return " | ".join(self.reasons)

    @property
    def label(self) -> str:
        return ",".join(self.tests)


@dataclasses.dataclass
class Expectations:
    path: str
    build: str
    profile: str
    entries: list[Entry]

    @property
    def name(self) -> str:
        return Path(self.path).name

    def entry_for(self, test_id: str) -> Entry | None:
        return next((e for e in self.entries if e.covers(test_id)), None)


def _strings(value, what: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise UsageError(f"{what}: give a glob or a list of globs")
    return list(value)


def load(path: str) -> Expectations:
    """Reads and validates an expectations file; a bad file is a one-line UsageError."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise UsageError(f"expectations file {path}: {e.strerror}") from None
    except yaml.YAMLError as e:
        raise UsageError(f"expectations file {path}: not YAML: {e}") from None
    if not isinstance(data, dict) or set(data) - _KEYS or "profile" not in data:
        raise UsageError(f"expectations file {path}: a mapping with profile and optional build, "
                         f"skip")
    if data["profile"] not in protocol.PROFILES:
        raise UsageError(f"expectations file {path}: profile must be one of "
                         f"{', '.join(protocol.PROFILES)}, not {data['profile']!r}")
    entries = []
    for k, item in enumerate(data.get("skip") or [], 1):
        where = f"expectations file {path}: skip entry {k}"
        if not isinstance(item, dict) or set(item) - _ENTRY_KEYS or not {"tests", "reason"} <= set(item):
            raise UsageError(f"{where}: needs tests and reason (optional except, why)")
        reasons = item["reason"] if isinstance(item["reason"], list) else [item["reason"]]
        if not reasons or not all(isinstance(r, str) and r.strip() for r in reasons):
            raise UsageError(f"{where}: reason must be the guest's SKIP reason (or a list)")
        excepted = _strings(item["except"], f"{where}: except") if "except" in item else []
        entries.append(Entry(_strings(item["tests"], f"{where}: tests"),
                             [r.strip() for r in reasons], excepted,
                             str(item.get("why") or "").strip()))
    return Expectations(str(path), str(data.get("build") or "").strip(), data["profile"], entries)


def check(exp: Expectations, results: list[TestResult], selected: list[str] | None,
          profile: str | None, profile_reason: str | None, narrowed: bool) -> dict:
    """The expectations against one run. selected: the guest's own list of the selected tests
    (None: no list, which is a problem by itself). Returns the JSON-able outcome."""
    problems = []
    got = {r.id: r for r in results if not is_pseudo(r.id)}
    # Profile honesty: the guest says which profile it runs as and why, on its own line.
    if profile_reason is None:
        problems.append(f"profile: expected {exp.profile}, the guest sent no PROFILE line"
                        + (f" (BEGIN said profile={profile})" if profile else ""))
    elif profile != exp.profile:
        problems.append(f"profile: expected {exp.profile}, the guest runs as {profile} "
                        f"({profile_reason})")
    skips, unexpected, wrong_reason, not_skipped = 0, [], [], []
    for r in got.values():
        entry = exp.entry_for(r.id)
        if r.verdict == Verdict.SKIP:
            skips += 1
            if entry is None:
                unexpected.append(r.id)
                problems.append(f"{r.id}: SKIP not expected ({r.reason})")
            elif not entry.reason_ok(r.reason):
                wrong_reason.append(r.id)
                problems.append(f"{r.id}: SKIP reason {r.reason!r}, expected {entry.reason!r}")
        elif entry is not None and r.verdict == Verdict.PASS:
            not_skipped.append(r.id)  # a note, not a problem (see above)
    missing, extra = [], []
    ran = [t for t, r in got.items() if r.verdict != Verdict.NOTRUN]
    if selected is None:
        problems.append("no list boot: the guest's own test list is unknown, nothing to count "
                        "against")
    else:
        chosen = set(selected)
        missing = [t for t in selected if t not in got or got[t].verdict == Verdict.NOTRUN]
        extra = [t for t in ran if t not in chosen]
        for t in missing:
            problems.append(f"{t}: listed by the guest but did not run")
        for t in extra:
            problems.append(f"{t}: ran but the guest's list did not name it")
        if len(ran) != len(selected):
            problems.append(f"count: {len(ran)} test(s) ran, the guest's list names "
                            f"{len(selected)}")
    stale = []
    if selected is not None and not narrowed:
        for e in exp.entries:
            if not any(e.covers(t) for t in selected):
                stale.append(e.label)
                problems.append(f"stale entry {e.label}: covers no test of the guest's list")
            for x in e.excepted:
                if x not in selected:
                    stale.append(f"{e.label} except {x}")
                    problems.append(f"stale entry {e.label}: except names {x}, no test of the "
                                    f"guest's list")
    return {"file": exp.path, "build": exp.build, "ok": not problems,
            "profile": {"expected": exp.profile, "got": profile, "reason": profile_reason},
            "skips": skips, "unexpected_skips": unexpected, "wrong_reason": wrong_reason,
            "not_skipped": not_skipped, "missing": missing, "extra": extra, "stale": stale,
            "stale_checked": selected is not None and not narrowed,
            "count": {"listed": None if selected is None else len(selected), "ran": len(ran)},
            "problems": problems}


def apply(report: Report, exp: Expectations, selected: list[str] | None, narrowed: bool) -> dict:
    """Checks report against exp, stores the outcome in report.expect, and adds a FAIL on
    harness.expect naming the problems (so every report format and exit code shows them)."""
    profile, reason = report.profile
    outcome = check(exp, report.results, selected, profile, reason, narrowed)
    report.expect = outcome
    if outcome["problems"]:
        shown = outcome["problems"][:_REASON_PROBLEMS]
        more = len(outcome["problems"]) - len(shown)
        text = f"{exp.name}: " + "; ".join(shown) + (f"; and {more} more" if more else "")
        report.results.append(TestResult(EXPECT_ID, Verdict.FAIL, text))
    return outcome


def summary(report: Report) -> str:
    """The summary line's words on expectations."""
    e = report.expect
    if e is None:
        return "SKIPs not checked (no expectations file)"
    name = Path(e["file"]).name
    if e["ok"]:
        stale = "" if e["stale_checked"] else ", stale entries not checked (narrowed selection)"
        if e["not_skipped"]:
            stale += f", {len(e['not_skipped'])} allowed to SKIP passed"
        return f"expectations {name} met ({e['skips']} SKIP expected{stale})"
    return f"expectations {name}: {len(e['problems'])} problem(s)"

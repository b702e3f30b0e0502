"""Stored runs: a timestamped copy of each run's results JSON, and the verdict diff between two.

`make report` stores the results files it finds (`<reports>/<name>.json`, schema humpy-results/*)
under `<reports>/history/` as `<started>-<name>.json`, where <started> is the run's own start time
(UTC, `20261130T042842Z`): storing the same run twice keeps one copy. `make report-diff A=... B=...`
(python3 -m humpy_harness.history diff A B) prints the tests whose verdict changed between two runs.

A and B name a run as: a path to a results JSON; an index into the stored runs, oldest first
(`1`, `2`...) or from the newest (`-1` the newest, `-2` the one before); or a unique piece of a
stored file's name (`20261130T0428`, `conformance`).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import re
import sys
from pathlib import Path

HISTORY_DIR = "history"
RESULTS_SCHEMA_PREFIX = "humpy-results/"
BENCH_SCHEMA_PREFIX = "humpy-bench/"
# A verdict the harness never gives: the test is not in that run at all.
ABSENT = "-"


class HistoryError(Exception):
    """A run that cannot be found or read; the message names it."""


def load_json(path) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        raise HistoryError(f"{path}: cannot read: {e}") from e
    if not isinstance(doc, dict):
        raise HistoryError(f"{path}: not a JSON object")
    return doc


def is_results(doc: dict) -> bool:
    return str(doc.get("schema", "")).startswith(RESULTS_SCHEMA_PREFIX)


def is_bench(doc: dict) -> bool:
    return str(doc.get("schema", "")).startswith(BENCH_SCHEMA_PREFIX)


def stamp_of(doc: dict, fallback_mtime: float) -> str:
    """The run's start time as a file-name stamp; the file's mtime when the run does not say."""
    started = doc.get("started")
    when = None
    if isinstance(started, str):
        try:
            when = dt.datetime.fromisoformat(started)
        except ValueError:
            when = None
    if when is None:
        when = dt.datetime.fromtimestamp(fallback_mtime, dt.timezone.utc)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def store(path, history_dir) -> Path | None:
    """Copies one results or bench JSON into history_dir; returns the copy (None: not a run file).

    The copy is named after the run's start time and the file's name, so a run stored twice is
    one file; its bytes are the original's.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
        doc = json.loads(raw)
    except (OSError, ValueError):
        return None
    if not isinstance(doc, dict) or not (is_results(doc) or is_bench(doc)):
        return None
    if is_results(doc) and doc.get("mode") not in (None, "run"):
        return None  # a list-only run has no verdicts worth keeping
    history_dir = Path(history_dir)
    history_dir.mkdir(parents=True, exist_ok=True)
    base = f"{stamp_of(doc, path.stat().st_mtime)}-{path.stem}"
    # Two different runs that started in the same second under the same name get -2, -3...
    n = 1
    dest = history_dir / f"{base}.json"
    while dest.exists() and dest.read_bytes() != raw:
        n += 1
        dest = history_dir / f"{base}-{n}.json"
    if not dest.exists():
        tmp = dest.with_suffix(".json.tmp")
        tmp.write_bytes(raw)
        os.replace(tmp, dest)
    return dest


def store_all(reports_dir, history_dir) -> list[Path]:
    """Stores every run file directly under reports_dir (not its sub-folders)."""
    stored = []
    for path in sorted(Path(reports_dir).glob("*.json")):
        dest = store(path, history_dir)
        if dest is not None:
            stored.append(dest)
    return stored


def entries(history_dir, results_only: bool = True) -> list[Path]:
    """Stored runs, oldest first (the stamp leads the name, so name order is time order)."""
    found = []
    for path in sorted(Path(history_dir).glob("*.json")):
        if results_only:
            try:
                if not is_results(load_json(path)):
                    continue
            except HistoryError:
                continue
        found.append(path)
    return found


def resolve(name: str, history_dir) -> Path:
    """A run named as the module docstring says; HistoryError when it names none or several."""
    if not name:
        raise HistoryError("no run named")
    path = Path(name)
    if path.is_file():
        return path
    stored = entries(history_dir)
    # A short number is an index; a long one (20261130) is a piece of a stamp.
    if re.fullmatch(r"-?[0-9]{1,4}", name):
        index = int(name)
        if index == 0 or abs(index) > len(stored):
            raise HistoryError(f"run {name}: {len(stored)} stored run(s) under {history_dir}"
                               " (1 is the oldest, -1 the newest)")
        return stored[index - 1 if index > 0 else index]
    matches = [p for p in stored if name in p.name]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise HistoryError(f"run {name}: no such file and no stored run under {history_dir} "
                           "has that in its name")
    raise HistoryError(f"run {name}: {len(matches)} stored runs match: "
                       + ", ".join(p.name for p in matches[:5]))


def verdicts(doc: dict) -> dict[str, tuple[str, str]]:
    """Test id -> (verdict, reason) of one results JSON."""
    out = {}
    for t in doc.get("tests") or []:
        if isinstance(t, dict) and "id" in t:
            out[str(t["id"])] = (str(t.get("verdict", "?")), str(t.get("reason") or ""))
    return out


@dataclasses.dataclass
class Change:
    """A test whose verdict differs between run A and run B (ABSENT: not in that run)."""
    id: str
    a: str
    b: str
    a_reason: str
    b_reason: str


def diff(a_doc: dict, b_doc: dict) -> tuple[list[Change], int]:
    """The tests whose verdict changed from A to B (A's order, then B's new tests), and how many
    tests kept theirs."""
    a, b = verdicts(a_doc), verdicts(b_doc)
    changes, same = [], 0
    for test_id in list(a) + [t for t in b if t not in a]:
        va, ra = a.get(test_id, (ABSENT, ""))
        vb, rb = b.get(test_id, (ABSENT, ""))
        if va == vb:
            same += 1
        else:
            changes.append(Change(test_id, va, vb, ra, rb))
    return changes, same


def describe(path, doc: dict) -> str:
    """One line naming a run: file, start time, hypervisor image, counts."""
    info = doc.get("info") or {}
    summary = doc.get("summary") or {}
    counts = ", ".join(f"{summary[k]} {k}" for k in summary if k != "total" and summary[k])
    return (f"{Path(path).name}: started {doc.get('started', '?')}, hyp {info.get('hyp', '?')}, "
            f"{summary.get('total', len(doc.get('tests') or []))} test(s)"
            + (f" ({counts})" if counts else ""))


def format_diff(a_path, a_doc, b_path, b_doc) -> str:
    changes, same = diff(a_doc, b_doc)
    lines = [f"A  {describe(a_path, a_doc)}", f"B  {describe(b_path, b_doc)}", ""]
    if changes:
        width = max(len("TEST"), *(len(c.id) for c in changes))
        lines.append(f"{'TEST':<{width}}  {'A':<8} {'B':<8} REASON (B, else A)")
        for c in changes:
            reason = c.b_reason or c.a_reason
            lines.append(f"{c.id:<{width}}  {c.a:<8} {c.b:<8} {reason}".rstrip())
        lines.append("")
    lines.append(f"report-diff: {len(changes)} test(s) changed verdict, {same} kept theirs")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m humpy_harness.history",
                                     description="stored runs and verdict diffs")
    parser.add_argument("--reports", default="reports", help="reports folder (default reports)")
    parser.add_argument("--history", help="stored runs (default <reports>/history)")
    sub = parser.add_subparsers(dest="cmd", required=True)
    st = sub.add_parser("store", help="copy the run files of --reports (and FILEs) into the history")
    st.add_argument("files", nargs="*", metavar="FILE", help="more results JSONs to store")
    sub.add_parser("list", help="the stored runs, oldest first")
    d = sub.add_parser("diff", help="tests whose verdict changed from run A to run B")
    d.add_argument("a", nargs="?", default="-2", help="run A (default -2, the one before newest)")
    d.add_argument("b", nargs="?", default="-1", help="run B (default -1, the newest)")
    args = parser.parse_args(argv)
    history_dir = Path(args.history or Path(args.reports) / HISTORY_DIR)
    try:
        if args.cmd == "store":
            stored = store_all(args.reports, history_dir)
            for path in args.files:
                dest = store(path, history_dir)
                if dest is None:
                    raise HistoryError(f"{path}: not a results or bench JSON of a run")
                stored.append(dest)
            for dest in stored:
                print(f"history: {dest}")
        elif args.cmd == "list":
            for i, path in enumerate(entries(history_dir), 1):
                print(f"{i:3}  {describe(path, load_json(path))}")
        else:
            a_path, b_path = resolve(args.a, history_dir), resolve(args.b, history_dir)
            print(format_diff(a_path, load_json(a_path), b_path, load_json(b_path)))
    except HistoryError as e:
        print(f"humpy_harness.history: error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The report page: one self-contained HTML file (plus its plot PNGs) over what a reports folder holds.

It reads only files: the harness's results JSONs (schema humpy-results/*: verdicts, runs, spec
coverage), their console logs, bench.json, the spec's JSON, an llvm-cov export of the host unit
tests, the fuzzers' output folders and the stored runs under history/. Unknown fields are ignored,
so a newer harness still renders. `make report` runs it (harness/report.mk):

    python3 -m humpy_harness.html_report --reports reports --spec build/conformance/gen/spec.json \
        [--hyp-coverage F] [--history DIR] [--fuzz DIR] [--diff-a A --diff-b B] [--out reports/index.html]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jinja2

from . import fuzz_stats, history, hyp_coverage

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = REPO / "reports" / "templates"
VERDICT_ORDER = ["PASS", "FAIL", "SKIP", "ERROR", "TIMEOUT", "CRASH", "NOTRUN"]
GOOD = ("PASS", "SKIP")
PATHS = ("n", "s")
# A console excerpt longer than this keeps its head and tail.
EXCERPT_HEAD, EXCERPT_TAIL = 25, 25
PRIMARY = "conformance.json"


def _read_json(path) -> dict | None:
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) else None


# --- runs and tests -------------------------------------------------------------------------------

def find_results(reports_dir) -> list[Path]:
    """The results JSONs directly under reports_dir that hold a run (not list or bench), primary first."""
    found = []
    for path in sorted(Path(reports_dir).glob("*.json")):
        doc = _read_json(path)
        if doc and history.is_results(doc) and doc.get("mode") in (None, "run"):
            found.append(path)
    found.sort(key=lambda p: p.name != PRIMARY)
    return found


def _log_path(log: str | None, reports_dir: Path) -> Path | None:
    """A test's log as the JSON names it: from where the harness ran, or inside the reports folder."""
    if not log:
        return None
    p = Path(log)
    for candidate in (p, reports_dir / p, reports_dir / "logs" / p.name):
        if candidate.is_file():
            return candidate
    return None


def console_excerpt(lines: list[str], test_id: str) -> tuple[list[str], int] | None:
    """The console lines of one test: from its RUN line to its RESULT line (to the end of the log
    when no RESULT came), and the 1-based number of the first. None when the test has no RUN line."""
    run_mark, result_mark = f"[humpy] RUN {test_id}", f"[humpy] RESULT {test_id} "
    end = None
    for i, line in enumerate(lines):
        if result_mark in line:
            end = i
            break
    stop = end if end is not None else len(lines) - 1
    start = None
    for i in range(stop, -1, -1):
        if lines[i].rstrip().endswith(run_mark):
            start = i
            break
    if start is None:
        if end is None:
            return None
        start = end
    return lines[start:stop + 1], start + 1


def _shorten(block: list[str]) -> str:
    if len(block) > EXCERPT_HEAD + EXCERPT_TAIL + 1:
        cut = len(block) - EXCERPT_HEAD - EXCERPT_TAIL
        block = block[:EXCERPT_HEAD] + [f"... {cut} line(s) left out ..."] + block[-EXCERPT_TAIL:]
    return "\n".join(line.rstrip("\r\n") for line in block)


def _file_info(role: str, path: str | None, started: str | None = None) -> dict | None:
    """Size, sha256 and date of an image the run booted, as it is now; `newer` when it changed
    after the run started (the figures then describe an older build)."""
    if not path:
        return None
    p = Path(path)
    if not p.is_absolute() and not p.exists():
        p = REPO / path
    info = {"role": role, "path": path, "sha": None, "missing": not p.is_file(), "newer": False}
    if p.is_file():
        digest = hashlib.sha256()
        with open(p, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
        st = p.stat()
        info.update(sha=digest.hexdigest()[:12], size=st.st_size,
                    mtime=dt.datetime.fromtimestamp(st.st_mtime, dt.timezone.utc)
                    .strftime("%Y-%m-%d %H:%M UTC"))
        try:
            info["newer"] = st.st_mtime > dt.datetime.fromisoformat(started or "").timestamp()
        except ValueError:
            pass
    return info


def _machine(runs: list[dict], info: dict) -> list[str]:
    """-machine, -cpu, -smp, -m of the run boots' QEMU commands (each distinct set once)."""
    seen = []
    for run in runs:
        cmd = run.get("command") or []
        if run.get("mode") == "list" or not isinstance(cmd, list):
            continue
        opts = {}
        for flag, value in zip(cmd, cmd[1:]):
            if flag in ("-machine", "-M", "-cpu", "-smp", "-m"):
                opts[flag] = value  # the last one wins, as in QEMU
        text = " ".join(f"{k} {v}" for k, v in opts.items())
        if text and text not in seen:
            seen.append(text)
    extra = info.get("extra_qemu_args") or []
    if extra:
        seen.append("extra: " + " ".join(map(str, extra)))
    return seen or ["not recorded"]


def _expectations(expect) -> list[str]:
    """What the run's expectations file said (the harness's `expect` object), as short lines."""
    if not isinstance(expect, dict):
        return []
    head = f"expectations {expect.get('file', '?')}"
    if "ok" in expect:
        head += ": " + ("met" if expect["ok"] else "NOT met")
    lines = [head]
    if expect.get("build"):
        lines.append(str(expect["build"]))
    for k, v in expect.items():
        if isinstance(v, list) and v:
            lines.append(f"{k.replace('_', ' ')}: {len(v)}")
        elif isinstance(v, (int, float)) and not isinstance(v, bool) and v:
            lines.append(f"{k.replace('_', ' ')}: {v}")
    return lines


def _duration(seconds) -> str:
    return f"{seconds:.3f} s" if isinstance(seconds, (int, float)) else ""


def run_view(path: Path, doc: dict, reports_dir: Path, key: str) -> dict:
    info = doc.get("info") or {}
    boots = [r for r in doc.get("runs") or [] if isinstance(r, dict)]
    profiles, warnings = [], []
    top = doc.get("profile")
    if isinstance(top, dict) and top.get("profile"):
        profiles.append({"profile": top["profile"], "reason": top.get("reason") or ""})
    elif isinstance(top, str) and top:
        profiles.append({"profile": top, "reason": doc.get("profile_reason") or ""})
    for r in boots:
        for w in r.get("warnings") or []:
            warnings.append(f"{r.get('mode', '?')}: {w}")
        for e in r.get("setup_errors") or []:
            warnings.append(f"{r.get('mode', '?')}: set-up error: {e}")
        # Each boot says its profile; the list boot's cap IDs differ, so one entry per profile name.
        p = r.get("profile")
        if p and r.get("mode") != "list" and p not in [x["profile"] for x in profiles]:
            profiles.append({"profile": p, "reason": r.get("profile_reason") or ""})
    for e in doc.get("setup_errors") or []:
        if f"set-up error: {e}" not in " ".join(warnings):
            warnings.append(f"set-up error: {e}")
    summary = {k: v for k, v in (doc.get("summary") or {}).items() if k != "total"}
    logs: dict[str, list[str] | None] = {}
    tests = []
    for t in doc.get("tests") or []:
        if not isinstance(t, dict):
            continue
        verdict = str(t.get("verdict", "?"))
        view = {"id": str(t.get("id", "?")), "verdict": verdict, "reason": t.get("reason") or "",
                "duration": f"{t['duration_s']:.2f}s" if isinstance(t.get("duration_s"), (int, float))
                else "", "excerpt": "", "excerpt_lines": 0, "open": verdict not in GOOD}
        log = _log_path(t.get("log"), reports_dir)
        if log is None:
            view["excerpt_where"] = f"log {t.get('log')} not found" if t.get("log") else "no log"
        else:
            key_ = str(log)
            if key_ not in logs:
                try:
                    logs[key_] = log.read_text(errors="replace").splitlines()
                except OSError:
                    logs[key_] = None
            found = console_excerpt(logs[key_], view["id"]) if logs[key_] is not None else None
            if found is None:
                view["excerpt_where"] = f"no RUN or RESULT line of it in {t.get('log')}"
            else:
                block, first = found
                view["excerpt"] = _shorten(block)
                view["excerpt_lines"] = len(block)
                view["excerpt_where"] = f"{t.get('log')} line {first}, {len(block)} line(s)"
        tests.append(view)
    extra = _expectations(doc.get("expect"))
    started = doc.get("started")
    build = [b for b in (_file_info("hyp", info.get("hyp"), started),
                         _file_info("guest", info.get("guest"), started)) if b]
    return {
        "key": key, "name": path.name, "path": str(path), "doc": doc,
        "started": doc.get("started", "?"), "duration": _duration(doc.get("duration_s")),
        "ok": bool(doc.get("ok")), "error": doc.get("error") or "",
        "profiles": profiles, "machine": _machine(boots, info), "build": build,
        "summary": summary, "total": (doc.get("summary") or {}).get("total", len(tests)),
        "tests": tests, "problems": [t for t in tests if t["verdict"] not in GOOD],
        "warnings": warnings, "extra": extra,
    }


# --- spec coverage --------------------------------------------------------------------------------

def _na_text(reason: str, deviations: dict) -> str:
    m = re.fullmatch(r"deviation (\S+)", reason or "")
    if m and m.group(1) in deviations:
        d = deviations[m.group(1)]
        parts = [f"deviation {m.group(1)}"]
        for k in ("humpy", "why"):
            if d.get(k):
                parts.append(f"{k}: {d[k]}")
        return "; ".join(parts)
    return reason


def _paths_with(answers: list[dict], x0) -> set[str]:
    out = set()
    for a in answers:
        v = a.get("x0")
        if v == x0 or (isinstance(v, int) and isinstance(x0, int) and x0 < 0 and v == x0 & 0xFFFFFFFF):
            out.update(p for p, n in (a.get("paths") or {}).items() if n)
    return out


def coverage_view(run: dict | None, spec: dict | None) -> dict | None:
    """The matrix call x documented result x path of the run's spec coverage, with n/a reasons."""
    if run is None:
        return None
    cov = run["doc"].get("coverage")
    if not isinstance(cov, dict):
        return {"error": "the run has no spec coverage (a list or bench run, or --dtb without "
                         "humpy.cover)", "run": run["name"]}
    if cov.get("error"):
        return {"error": str(cov["error"]), "run": run["name"]}
    spec = spec or {}
    error_values = spec.get("errors") or {}
    deviations = {d.get("id"): d for d in spec.get("deviations") or [] if isinstance(d, dict)}
    calls = [c for c in cov.get("calls") or [] if isinstance(c, dict)]
    answered = [c for c in calls if c.get("status") == "implemented"]
    # Columns: success, then every error some answered call documents, in the spec's numeric order.
    names: dict[str, int] = {}
    for c in answered:
        for e in c.get("errors") or []:
            names.setdefault(e["name"], error_values.get(e["name"], e.get("x0", 0)))
    columns = [{"name": "OK", "x0": 0}] + [
        {"name": n, "x0": v} for n, v in sorted(names.items(), key=lambda kv: (kv[1] < 0, kv[1]))]
    notes: dict[str, int] = {}

    def note_of(reason: str) -> str:
        text = _na_text(reason, deviations)
        notes.setdefault(text, len(notes) + 1)
        return str(notes[text])

    rows, seen, total = [], 0, 0
    for c in answered:
        answers = c.get("answers") or []
        called = set(c.get("paths_called") or [])
        cells = {}
        ok = []
        for p in PATHS:
            if c.get("success_na"):
                ok.append({"path": p, "state": "na", "note": note_of(str(c["success_na"]))})
            else:
                ok.append({"path": p, "state": "exercised" if p in (c.get("success_paths") or [])
                           else "missing", "note": ""})
        cells["OK"] = ok
        for e in c.get("errors") or []:
            on = _paths_with(answers, e.get("x0")) & called
            if e.get("seen") and not on:
                on = called  # seen, but the answers do not say on which path
            cell = []
            for p in PATHS:
                if e.get("na"):
                    cell.append({"path": p, "state": "na", "note": note_of(str(e["na"]))})
                else:
                    cell.append({"path": p, "state": "exercised" if p in on else "missing",
                                 "note": ""})
            cells[e["name"]] = cell
        for cell in cells.values():
            for p in cell:
                if p["state"] != "na":
                    total += 1
                    seen += p["state"] == "exercised"
        undocumented = []
        for u in c.get("undocumented") or []:
            x0 = u.get("x0")
            text = str(x0) if isinstance(x0, int) and -(1 << 31) <= x0 < (1 << 31) else (
                f"{x0 & ((1 << 64) - 1):#x}" if isinstance(x0, int) else str(x0))
            paths = ",".join(p for p, n in (u.get("paths") or {}).items() if n)
            undocumented.append(f"{text}{' ' + u['name'] if u.get('name') else ''} ({paths})")
        rows.append({"num": c.get("num"), "name": c.get("name"), "cells": cells,
                     "complete": c.get("complete"), "pairs_seen": c.get("pairs_seen"),
                     "pairs_total": c.get("pairs_total"), "undocumented": undocumented})
    s = cov.get("summary") or {}
    pct = (100.0 * s["pairs_seen"] / s["pairs_total"]) if s.get("pairs_total") else 0.0
    summary_line = (f"{s.get('called', '?')}/{s.get('calls', '?')} calls called, "
                    f"{s.get('implemented', len(answered))} answered ({s.get('unimplemented', '?')} only -1); "
                    f"call x result pairs of the answering calls: {s.get('pairs_seen', '?')}/"
                    f"{s.get('pairs_total', '?')} ({pct:.0f}%), {s.get('complete', '?')} call(s) complete")
    holes = []
    for h in cov.get("holes") or []:
        if isinstance(h, dict):
            holes.append({"num": h.get("num"), "reason": h.get("reason", ""),
                          "paths": ",".join(p for p, n in (h.get("calls") or {}).items() if n) or "-",
                          "wrong": ", ".join(map(str, h.get("wrong") or []))})
    past = cov.get("past")
    if isinstance(past, dict):
        holes.append({"num": "past", "reason": f"every number past the table (hvc_max "
                      f"{spec.get('hvc_max', '?')}) answers -1",
                      "paths": ",".join(p for p, n in (past.get("calls") or {}).items() if n) or "-",
                      "wrong": ", ".join(map(str, past.get("wrong") or []))})
    md = Path(run["path"]).with_name(Path(run["path"]).stem + "-coverage.md")
    return {
        "markdown": md if md.is_file() else None,  # made relative to the page by build_page
        "run": run["name"], "error": None, "summary_line": summary_line, "columns": columns,
        "rows": rows, "notes": [{"key": k, "text": t} for t, k in notes.items()],
        "triples_seen": seen, "triples_total": total,
        "unimplemented": [f"{c.get('num')} {c.get('name')}" for c in calls
                          if c.get("status") == "unimplemented"],
        "not_called": [f"{c.get('num')} {c.get('name')}" for c in calls
                       if c.get("status") not in ("implemented", "unimplemented")],
        "holes": holes, "drift": [str(d) for d in cov.get("drift") or []],
    }


# --- code coverage, bench, fuzzing, history -------------------------------------------------------

def hyp_coverage_view(export: str | None, status_file: str | None, build_log: str | None = None) -> dict:
    view = {"error": None, "log": None, "log_tail": "", "kinds": list(hyp_coverage.KINDS), "status": None,
            "how": "clang source-based coverage (llvm-cov) of hyp/core's host unit tests, both cap-ID "
                   "variants, over the hypervisor's own files (hyp/ without hyp/test)"}
    if not export:
        view["error"] = "no code coverage given (make report builds it: --hyp-coverage)"
        return view
    try:
        rows, totals = hyp_coverage.read_export(export, REPO)
    except (OSError, ValueError) as e:
        view["error"] = f"no code coverage: {e}"
        if build_log and Path(build_log).is_file():
            # Why there is none: the end of the build and run of the instrumented tests.
            view["log"] = str(build_log)
            view["log_tail"] = "\n".join(Path(build_log).read_text(errors="replace").splitlines()[-15:])
        return view

    def cell(covered, total):
        pct = 100.0 * covered / total if total else 0.0
        return {"covered": covered, "total": total, "percent": f"{pct:.1f}%" if total else "-",
                "width": round(0.5 * pct)}

    view["rows"] = [{"path": f.path, "unentered": f.unentered,
                     "cells": {k: cell(*f.counts[k]) for k in hyp_coverage.KINDS}}
                    for f in rows if f.counts["lines"][1] or f.counts["regions"][1]]
    view["totals"] = {k: cell(*totals[k]) for k in hyp_coverage.KINDS}
    if status_file:
        try:
            view["status"] = int(Path(status_file).read_text().strip())
        except (OSError, ValueError):
            view["status"] = None
    return view


def bench_view(reports_dir: Path) -> dict | None:
    doc = _read_json(reports_dir / "bench.json")
    if not doc:
        return None
    rows = []
    for b in doc.get("bench") or []:
        if isinstance(b, dict):
            value = b.get("value")
            rows.append({"name": b.get("name"), "value": "n/a" if value is None else value,
                         "unit": b.get("unit") or "", "reason": b.get("reason") or ""})
    problems = [str(p) for p in doc.get("problems") or []]
    return {"file": "bench.json", "started": doc.get("started"), "rows": rows, "problems": problems}


def mutation_view(reports_dir: Path) -> dict | None:
    """mutation.json of `make mutation` (humpy_harness/mutation.py), if there is one."""
    doc = _read_json(reports_dir / "mutation.json")
    if not doc or not str(doc.get("schema", "")).startswith("humpy-mutation/"):
        return None
    s = doc.get("summary") or {}
    rate = s.get("kill_rate")
    return {"file": "mutation.json", "state": doc.get("state"), "commit": doc.get("commit"),
            "seed": doc.get("seed"), "started": doc.get("started"), "summary": s,
            "wall": doc.get("wall_seconds"), "rate": "n/a" if rate is None else f"{100 * rate:.1f}%",
            "survivors": [m for m in doc.get("mutants") or [] if m.get("status") == "survived"],
            "reviewed": [m for m in doc.get("mutants") or []
                         if m.get("status") == "equivalent_reviewed"]}


def fuzz_view(fuzz_dir: Path, out_dir: Path, page_stem: str) -> dict:
    series = fuzz_stats.find_series(fuzz_dir)
    for old in out_dir.glob(f"{page_stem}-*.png"):  # plots of an earlier page
        old.unlink()
    groups: dict[tuple[str, str], list] = {}
    for s in series:
        groups.setdefault((s.fuzzer, s.target), []).append(s)
    views = []
    for (fuzzer, target), members in groups.items():
        png = None
        if any(s.seconds for s in members):
            name = f"{page_stem}-{re.sub(r'[^a-z0-9]+', '', fuzzer.lower())}-{target}.png"
            fuzz_stats.plot(members, out_dir / name, f"{fuzzer} {target}")
            png = name
        keys = []
        for s in members:
            keys += [k for k in s.figures if k not in keys]
        views.append({"fuzzer": fuzzer, "target": target, "png": png, "series": members,
                      "figure_keys": keys})
    return {"dir": str(fuzz_dir), "groups": views, "summaries": fuzz_stats.summaries(fuzz_dir)}


def history_view(history_dir: Path, a: str, b: str) -> dict:
    view = {"dir": str(history_dir), "entries": [], "changes": [], "same": 0, "diff_error": None}
    stored = history.entries(history_dir)
    for i, path in enumerate(stored, 1):
        doc = history.load_json(path)
        summary = {k: v for k, v in (doc.get("summary") or {}).items() if k != "total"}
        view["entries"].append({"index": i, "name": path.name, "summary": summary,
                                "total": (doc.get("summary") or {}).get("total", "?"),
                                "ok": bool(doc.get("ok")), "hyp": (doc.get("info") or {}).get("hyp", "?")})
    view["entries"].reverse()
    if len(stored) < 2 and not (Path(a).is_file() and Path(b).is_file()):
        view["diff_error"] = (f"{len(stored)} stored run(s): a diff needs two "
                              "(every `make report` stores the runs it finds)")
        return view
    try:
        a_path, b_path = history.resolve(a, history_dir), history.resolve(b, history_dir)
        view["changes"], view["same"] = history.diff(history.load_json(a_path),
                                                     history.load_json(b_path))
        view["a"], view["b"] = a_path.name, b_path.name
    except history.HistoryError as e:
        view["diff_error"] = str(e)
    return view


def _source_state() -> str:
    try:
        out = subprocess.run(["git", "-C", str(REPO), "describe", "--always", "--dirty"],
                             capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip() if out.returncode == 0 else ""


# --- the page -------------------------------------------------------------------------------------

def build_page(reports_dir, out, spec_path=None, hyp_cov=None, hyp_status=None, history_dir=None,
               fuzz_dir=None, diff_a="-2", diff_b="-1", templates=TEMPLATES, more_runs=(),
               hyp_log=None) -> dict:
    """Writes the page (and its PNGs next to it); returns what it rendered (for tests and the CLI)."""
    reports_dir, out = Path(reports_dir), Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    history_dir = Path(history_dir) if history_dir else reports_dir / history.HISTORY_DIR
    fuzz_dir = Path(fuzz_dir) if fuzz_dir else reports_dir / "fuzz"
    runs = []
    paths = find_results(reports_dir)
    paths += [Path(p) for p in more_runs if Path(p).resolve() not in [q.resolve() for q in paths]]
    for i, path in enumerate(paths):
        doc = _read_json(path)
        if doc is None or not history.is_results(doc):
            raise OSError(f"{path}: not a results JSON")
        runs.append(run_view(path, doc, path.parent, f"r{i}"))
        if path.parent.resolve() != reports_dir.resolve():
            runs[-1]["name"] = str(path)  # from elsewhere (--run): say where
    verdicts = list(VERDICT_ORDER)
    for r in runs:
        verdicts += [v for v in r["summary"] if v not in verdicts]
    spec = _read_json(spec_path) if spec_path else None
    cov = coverage_view(runs[0] if runs else None, spec)
    if cov and cov.get("markdown"):
        cov["markdown"] = os.path.relpath(cov["markdown"], out.parent)
    if cov and not cov.get("error") and spec is None:
        cov["summary_line"] += f" (spec JSON {spec_path or 'not given'} unreadable: n/a reasons " \
                               "name deviations only)"
    if runs:
        r = runs[0]
        counts = ", ".join(f"{r['summary'][v]} {v}" for v in verdicts if r["summary"].get(v))
        headline = (f"{r['name']}: {'OK' if r['ok'] else 'FAILED'}: {r['total']} test(s): "
                    f"{counts or 'none'}")
    else:
        headline = "no conformance run found"
    ctx = {
        "headline": headline, "css": (Path(templates) / "report.css").read_text(),
        "generated": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "reports_dir": str(reports_dir), "source": _source_state(), "verdicts": verdicts,
        "runs": runs, "cov": cov, "hyp": hyp_coverage_view(hyp_cov, hyp_status, hyp_log),
        "bench": bench_view(reports_dir), "mutation": mutation_view(reports_dir), "fuzz": fuzz_view(fuzz_dir, out.parent, out.stem),
        "history": history_view(history_dir, diff_a, diff_b),
    }
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates)),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    html = env.get_template("report.html.j2").render(**ctx)
    tmp = out.with_suffix(".html.tmp")
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, out)
    return ctx


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m humpy_harness.html_report",
                                     description="write the self-contained HTML report")
    parser.add_argument("--reports", default="reports", help="where the runs are (default reports)")
    parser.add_argument("--out", help="the page (default <reports>/index.html)")
    parser.add_argument("--spec", help="the spec's JSON (n/a reasons of the coverage matrix)")
    parser.add_argument("--hyp-coverage", help="llvm-cov export JSON of the host unit tests")
    parser.add_argument("--hyp-unit-status", help="file holding the unit tests' exit status")
    parser.add_argument("--hyp-coverage-log", help="log of the coverage build, shown when it failed")
    parser.add_argument("--history", help="stored runs (default <reports>/history)")
    parser.add_argument("--fuzz", help="fuzzers' output (default <reports>/fuzz)")
    parser.add_argument("--run", action="append", default=[], metavar="FILE",
                        help="another results JSON to show (repeatable)")
    parser.add_argument("--diff-a", default="-2", help="run A of the page's verdict diff")
    parser.add_argument("--diff-b", default="-1", help="run B of the page's verdict diff")
    args = parser.parse_args(argv)
    out = Path(args.out or Path(args.reports) / "index.html")
    try:
        ctx = build_page(args.reports, out, args.spec, args.hyp_coverage, args.hyp_unit_status,
                         args.history, args.fuzz, args.diff_a, args.diff_b, more_runs=args.run,
                         hyp_log=args.hyp_coverage_log)
    except (OSError, jinja2.TemplateError) as e:
        print(f"humpy_harness.html_report: error: {e}", file=sys.stderr)
        return 1
    pngs = sum(1 for g in ctx["fuzz"]["groups"] if g["png"])
    print(f"report: {out} ({len(ctx['runs'])} run(s), {ctx['headline']}; "
          f"{len(ctx['history']['entries'])} stored run(s), {pngs} plot(s))")
    return 0


if __name__ == "__main__":
    sys.exit(main())

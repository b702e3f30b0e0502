"""Spec coverage: the guest's COVER counts joined with the spec (conformance/spec, as JSON).

For every call of the spec: was it called, did it answer (anything but -1), was its success path
seen, which of its documented errors were seen, and which x0 values it returned that the spec does
not document for it (ABI drift: the hypervisor or the spec is wrong). Holes and numbers past the
table must answer -1; anything else is drift too. Only calls that answered are expected to be fully
covered; calls that only answered -1 are listed as unimplemented. Results the spec says cannot
happen are n/a, not missing: the success of a call with `no_success`, and the errors a deviation
lists as `unreachable` for its calls (seeing one of those is drift).

UNIMPLEMENTED has more than one width (the spec's `unimplemented_x0`, per path and case): a hole or a
call of a module not built answers -1; a defined call whose handler answers UNIMPLEMENTED may give
0x00000000FFFFFFFF on the native path (upstream) or -1. Exactly those values count as UNIMPLEMENTED
(the widths seen are kept per call); any other value, e.g. 0xFFFFFFFF on the SMCCC path or from a
hole, is drift. A call the spec marks `upstream_unimplemented` may answer UNIMPLEMENTED: humpy's
deviation lists it as unreachable there (n/a, not wanted), but seeing it is upstream's documented
answer, not drift. A call's `unobserved` gap is carried into the report.
"""

from __future__ import annotations

import json
from .model import Cover

DEFAULT_SPEC = "build/conformance/gen/spec.json"  # SPEC_JSON in conformance/spec/spec.mk
PATHS = ("n", "s")
UNIMPLEMENTED = -1

CALLED_NOT = "not called"
UNIMPL = "unimplemented"
IMPL = "implemented"


class SpecUnreadable(Exception):
    pass


def load_spec(path) -> dict:
    """The spec JSON written by conformance/spec/gen.py --json."""
    try:
        with open(path, encoding="utf-8") as f:
            spec = json.load(f)
        if not isinstance(spec.get("calls"), list) or not isinstance(spec.get("errors"), dict):
            raise ValueError("no calls list or errors table")
    except OSError as e:
        raise SpecUnreadable(f"cannot read the spec {path}: {e.strerror} (make spec builds it; "
                             f"or pass --spec)") from None
    except (ValueError, KeyError, TypeError) as e:
        raise SpecUnreadable(f"{path} is not the spec's JSON: {e}") from None
    return spec


def _num(n) -> str:
    return f"0x{n:02x}" if isinstance(n, int) else str(n)


U64 = (1 << 64) - 1


def _signed(v: int) -> int:
    """A 64-bit register value as the parser gives x0: -1 for all ones, 0xffffffff stays positive."""
    v &= U64
    return v - (1 << 64) if v >> 63 else v


def unimplemented_values(spec: dict, case: str, path: str) -> set:
    """The x0 values meaning UNIMPLEMENTED for a case ("hole" or "call") and path ("n" or "s").
    A spec without `unimplemented_x0` (older JSON) allows only -1."""
    table = spec.get("unimplemented_x0") or {}
    values = (table.get(case) or {}).get("native" if path == "n" else "smccc")
    return {_signed(v) for v in values} if values else {UNIMPLEMENTED}


def _answers(cover: Cover, call, unimpl: dict | None = None, widths: dict | None = None) -> dict:
    """x0 -> {path: count} for one call over both paths. With unimpl (path -> set of x0 values
    meaning UNIMPLEMENTED) those count as UNIMPLEMENTED, and widths records which were seen."""
    out: dict = {}
    for path in PATHS:
        for x0, n in cover.row(call, path).items():
            if unimpl is not None and x0 in unimpl[path] and x0 != UNIMPLEMENTED:
                if widths is not None:
                    widths.setdefault(path, {})[f"{x0 & U64:#x}"] = n
                x0 = UNIMPLEMENTED
            paths = out.setdefault(x0, {})
            paths[path] = paths.get(path, 0) + n
    return out


def _value_json(x0: int, names: dict, paths: dict) -> dict:
    return {"x0": x0, "name": names.get(x0), "count": sum(paths.values()),
            "paths": {p: paths[p] for p in PATHS if p in paths}}


def _unrecorded(cover: Cover, call) -> int:
    return sum(cover.unrecorded.get((call, p), 0) for p in PATHS)


def _unreachable(spec: dict) -> dict:
    """call name -> {error name: deviation id} for the errors deviations declare unreachable."""
    out: dict = {}
    for d in spec.get("deviations", []):
        for name in d.get("calls", []):
            for e in d.get("unreachable", []):
                out.setdefault(name, {})[e] = d["id"]
    return out


def _join_call(c: dict, cover: Cover, errors: dict, names: dict, na: dict,
               unimpl: dict) -> tuple[dict, list[str]]:
    widths: dict = {}
    answers = _answers(cover, c["num"], unimpl, widths)
    called = [p for p in PATHS if cover.row(c["num"], p) or cover.unrecorded.get((c["num"], p))]
    implemented = any(x0 != UNIMPLEMENTED for x0 in answers)
    status = IMPL if implemented else (UNIMPL if called else CALLED_NOT)
    documented = [e for e in c["errors"] if e in errors]
    doc_values = {errors[e] for e in documented}
    if c["no_error"]:  # x0 is a result (identify's api_info), not an error
        ok_paths = sorted({p for x0, paths in answers.items() if x0 != UNIMPLEMENTED
                           for p in paths}, key=PATHS.index)
    else:
        ok_paths = [p for p in PATHS if p in answers.get(0, {})]
    errs = [{"name": e, "x0": errors[e], "seen": errors[e] in answers,
             "count": sum(answers.get(errors[e], {}).values()),
             "na": f"deviation {na[e]}" if e in na else None} for e in documented]
    # No success upstream either (no_success), or none in humpy (a deviation lists OK unreachable).
    ok_na = c.get("no_success") or (f"deviation {na['OK']}" if "OK" in na else None)
    undocumented = []
    if implemented and not c["no_error"]:
        undocumented = [_value_json(x0, names, paths) for x0, paths in sorted(answers.items())
                        if x0 != 0 and x0 not in doc_values]
    elif implemented and UNIMPLEMENTED in answers and "UNIMPLEMENTED" not in documented:
        undocumented = [_value_json(UNIMPLEMENTED, names, answers[UNIMPLEMENTED])]
    drift = [f"{_num(c['num'])} {c['name']} returned x0 = {_describe(u)} "
             f"({_paths_text(u['paths'])}): not a documented result of this call"
             for u in undocumented]
    # UNIMPLEMENTED from a call upstream leaves unimplemented is that build's documented answer.
    optional = c.get("upstream_unimplemented")
    drift += [f"{_num(c['num'])} {c['name']} returned x0 = {e['x0']} ({e['name']}), which "
              f"{e['na']} says humpy never returns" for e in errs if e["na"] and e["seen"]
              and not (optional and e["name"] == "UNIMPLEMENTED")]
    if ok_na and ok_paths:
        drift.append(f"{_num(c['num'])} {c['name']} succeeded, which the spec says it never does "
                     f"({ok_na})")
    wanted = [e for e in errs if not e["na"]]
    pairs_total = (0 if ok_na else 1) + len(wanted) if implemented else 0
    pairs_na = (1 if ok_na else 0) + len(errs) - len(wanted) if implemented else 0
    pairs_seen = ((0 if ok_na else bool(ok_paths)) + sum(e["seen"] for e in wanted)
                  if implemented else 0)
    entry = {
        "num": _num(c["num"]), "name": c["name"], "feature": c.get("feature"),
        "status": status, "paths_called": called, "success_paths": ok_paths, "success_na": ok_na,
        "errors": errs, "undocumented": undocumented,
        "pairs_seen": pairs_seen, "pairs_total": pairs_total, "pairs_na": pairs_na,
        "complete": implemented and pairs_seen == pairs_total,
        "unrecorded": _unrecorded(cover, c["num"]),
        "answers": [_value_json(x0, names, paths) for x0, paths in sorted(answers.items())],
        "unimplemented_widths": widths,
        "optional": c.get("upstream_unimplemented"),
        "unobserved": c.get("unobserved"),
    }
    return entry, drift


def _describe(u: dict) -> str:
    x0 = u["x0"]
    text = str(x0) if -(1 << 31) <= x0 < (1 << 31) else f"{x0 & ((1 << 64) - 1):#x}"
    return text + (f" ({u['name']})" if u["name"] else "")


def _paths_text(paths: dict) -> str:
    return ", ".join(f"{'native' if p == 'n' else 'SMCCC'} {n}x" for p, n in paths.items())


def _join_minus_one_only(what: str, call, cover: Cover, names: dict,
                         hole: dict) -> tuple[dict, list[str]]:
    """Holes and numbers past the table: every answer must be a hole's UNIMPLEMENTED (-1)."""
    answers = _answers(cover, call)
    wrong = []
    for x0, paths in sorted(answers.items()):
        bad = {p: n for p, n in paths.items() if x0 not in hole[p]}
        if bad:
            wrong.append(_value_json(x0, names, bad))
    drift = [f"{what} returned x0 = {_describe(u)} ({_paths_text(u['paths'])}): must be -1"
             for u in wrong]
    entry = {"called": bool(answers) or bool(_unrecorded(cover, call)),
             "calls": {p: sum(cover.row(call, p).values()) for p in PATHS},
             "wrong": wrong, "unrecorded": _unrecorded(cover, call)}
    return entry, drift


def join(spec: dict, cover: Cover | None) -> dict:
    """The `coverage` object of the JSON report."""
    errors = dict(spec["errors"])
    names = {v: k for k, v in errors.items()}
    cover = cover or Cover()
    calls, drift = [], []
    by_num = {}
    unreachable = _unreachable(spec)
    hole = {p: unimplemented_values(spec, "hole", p) for p in PATHS}
    # A defined call answers like a hole when its module is not built, or like its handler.
    unimpl = {p: hole[p] | unimplemented_values(spec, "call", p) for p in PATHS}
    for c in sorted(spec["calls"], key=lambda c: c["num"]):
        entry, d = _join_call(c, cover, errors, names, unreachable.get(c["name"], {}), unimpl)
        calls.append(entry)
        drift += d
        by_num[c["num"]] = c
    holes = []
    for key, reason in sorted(spec.get("holes", {}).items(), key=lambda kv: int(kv[0], 16)):
        num = int(key, 16)
        entry, d = _join_minus_one_only(f"hole {_num(num)}", num, cover, names, hole)
        holes.append(dict(entry, num=_num(num), reason=reason))
        drift += d
    past, d = _join_minus_one_only("a number past the call table", "past", cover, names, hole)
    drift += d
    hole_nums = {int(k, 16) for k in spec.get("holes", {})}
    unknown = sorted(_num(c) for c in cover.calls()
                     if isinstance(c, int) and c not in by_num and c not in hole_nums)
    if unknown:  # the guest and this spec disagree about the table's size
        drift.append(f"COVER lines for numbers the spec does not have: {', '.join(unknown)} "
                     f"(guest built from another spec?)")
    impl = [c for c in calls if c["status"] == IMPL]
    unrecorded = sum(cover.unrecorded.values())
    summary = {
        "calls": len(calls),
        "called": sum(c["status"] != CALLED_NOT for c in calls),
        "implemented": len(impl),
        "unimplemented": sum(c["status"] == UNIMPL for c in calls),
        "complete": sum(c["complete"] for c in impl),
        "pairs_seen": sum(c["pairs_seen"] for c in impl),
        "pairs_total": sum(c["pairs_total"] for c in impl),
        "pairs_na": sum(c["pairs_na"] for c in impl),
        "undocumented": sum(len(c["undocumented"]) for c in calls),
        "holes": len(holes), "holes_called": sum(h["called"] for h in holes),
        "drift": len(drift), "unrecorded": unrecorded,
        "cover_lines": cover.lines,
    }
    return {"spec": spec.get("_path"), "error": None, "summary": summary, "drift": drift,
            "calls": calls, "holes": holes, "past": past}


def for_report(report, spec_path) -> dict | None:
    """Joins the report's COVER lines with the spec; None for modes without coverage.

    A spec that cannot be read does not stop the report: the object then carries the error."""
    if report.mode != "run" or not report.runs:
        return None
    try:
        spec = load_spec(spec_path)
    except SpecUnreadable as e:
        return {"spec": str(spec_path), "error": str(e), "summary": None, "drift": [],
                "calls": [], "holes": [], "past": None}
    spec["_path"] = str(spec_path)
    return join(spec, report.cover)


# ---- text ----

def _paths_short(paths) -> str:
    return ",".join(paths) if paths else "-"


def _undoc_text(c: dict) -> str:
    return " ".join(f"{u['x0']}{'(' + u['name'] + ')' if u['name'] else ''}"
                    for u in c["undocumented"]) or "-"


def table(cov: dict | None) -> str:
    """One row per call that answered; calls that only said -1 or were never made are counted
    under the table (the markdown report lists every call)."""
    if not cov or cov.get("error") or not cov["calls"]:
        return ""
    rows = [c for c in cov["calls"] if c["status"] not in (CALLED_NOT, UNIMPL)]
    n_unimpl = sum(1 for c in cov["calls"] if c["status"] == UNIMPL)
    if not rows:
        return ""
    width = max(len("NAME"), *(len(c["name"]) for c in rows))
    lines = [f"{'CALL':5} {'NAME':{width}} {'STATUS':13} {'PATHS':5} {'OK':5} {'ERRORS':11} "
             f"UNDOCUMENTED"]
    for c in rows:
        errs, ok = "-", "-"
        if c["status"] == IMPL:
            wanted = [e for e in c["errors"] if not e["na"]]
            n_na = len(c["errors"]) - len(wanted)
            errs = (f"{sum(e['seen'] for e in wanted)}/{len(wanted)}"
                    + (f"+{n_na}n/a" if n_na else ""))
            ok = "n/a" if c["success_na"] else _paths_short(c["success_paths"])
        status = c["status"] + ("" if not c["complete"] else "*")
        lines.append(f"{c['num']:5} {c['name']:{width}} {status:13} "
                     f"{_paths_short(c['paths_called']):5} {ok:5} {errs:11} {_undoc_text(c)}"
                     .rstrip())
    s = cov["summary"]
    lines.append(f"(* every documented result seen; n/a: cannot happen, the spec says why; "
                 f"{n_unimpl} call(s) answered only -1; {s['calls'] - s['called']} call(s) of the "
                 f"spec never called; holes called {s['holes_called']}/{s['holes']}; past the "
                 f"table: {cov['past']['calls']['n']} native, {cov['past']['calls']['s']} SMCCC)")
    return "\n".join(lines)


def summary(cov: dict | None) -> str:
    if not cov:
        return ""
    if cov.get("error"):
        return f"spec coverage: not computed: {cov['error']}"
    s = cov["summary"]
    if not s["cover_lines"]:
        return "spec coverage: no COVER lines in the run (a guest without coverage recording?)"
    pct = 100.0 * s["pairs_seen"] / s["pairs_total"] if s["pairs_total"] else 0.0
    text = (f"spec coverage: {s['called']}/{s['calls']} calls called, {s['implemented']} "
            f"answered ({s['unimplemented']} only -1); call x result pairs of the answering "
            f"calls: {s['pairs_seen']}/{s['pairs_total']} ({pct:.0f}%; "
            f"{s['pairs_total'] - s['pairs_seen']} missing, {s.get('pairs_na', 0)} n/a with the "
            f"spec's reason), {s['complete']} call(s) complete")
    if s["drift"]:
        text += f"; ABI DRIFT: {s['drift']} undocumented result(s)"
    if s["unrecorded"]:
        text += f"; {s['unrecorded']} call(s) with x0 unrecorded (guest table full)"
    return text


def short(cov: dict | None) -> str:
    """The pairs figure for a run's one-line summary; empty without coverage."""
    s = (cov or {}).get("summary")
    if not s or not s["cover_lines"]:
        return ""
    missing = s["pairs_total"] - s["pairs_seen"]
    return (f"spec coverage {s['pairs_seen']}/{s['pairs_total']} call x result pairs, "
            f"{missing} missing, {s.get('pairs_na', 0)} n/a")


def drift_lines(cov: dict | None) -> list[str]:
    return [f"ABI DRIFT: {d}" for d in (cov or {}).get("drift", [])]


def markdown(cov: dict) -> str:
    """The full table, every call of the spec, with the documented results never seen."""
    out = ["# Spec coverage", "", summary(cov), ""]
    if cov.get("error"):
        return "\n".join(out)
    for d in cov["drift"]:
        out.append(f"- **ABI DRIFT**: {d}")
    if cov["drift"]:
        out.append("")
    out += ["| call | name | status | paths | success | documented errors seen | not seen | "
            "undocumented |", "|---|---|---|---|---|---|---|---|"]
    for c in cov["calls"]:
        seen = ", ".join(e["name"] for e in c["errors"] if e["seen"] and not e["na"]) or "-"
        missing = ", ".join(e["name"] + (f" n/a ({e['na']})" if e["na"] else "")
                            for e in c["errors"] if not e["seen"] or e["na"]) or "-"
        ok = (f"n/a ({c['success_na']})" if c["success_na"] else
              _paths_short(c["success_paths"]))
        out.append(f"| {c['num']} | {c['name']} | {c['status']} | {_paths_short(c['paths_called'])} "
                   f"| {ok} | {seen} | {missing} | {_undoc_text(c)} |")
    gaps = [c for c in cov["calls"] if c.get("unobserved") or c.get("optional")]
    if gaps:
        out += ["", "Named in the spec: what the tests cannot observe yet (gap), and calls upstream "
                "leaves unimplemented within their feature (optional).", ""]
        for c in gaps:
            if c.get("unobserved"):
                out.append(f"- {c['num']} {c['name']}: gap: {c['unobserved']}")
            if c.get("optional"):
                out.append(f"- {c['num']} {c['name']}: optional: {c['optional']}")
    out += ["", "| hole | called (native, SMCCC) | answers other than -1 |", "|---|---|---|"]
    for h in cov["holes"]:
        wrong = " ".join(str(w["x0"]) for w in h["wrong"]) or "-"
        out.append(f"| {h['num']} | {h['calls']['n']}, {h['calls']['s']} | {wrong} |")
    p = cov["past"]
    out += ["", f"Past the call table: {p['calls']['n']} native and {p['calls']['s']} SMCCC calls; "
            f"answers other than -1: {' '.join(str(w['x0']) for w in p['wrong']) or 'none'}.", ""]
    return "\n".join(out)

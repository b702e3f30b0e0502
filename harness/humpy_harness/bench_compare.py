"""`humpy_harness bench-compare A B`: the same benchmark guest booted over two hypervisor builds,
each under -icount shift=0 (Session.bench), then one row per benchmark with both values and the
ratio B/A. A row one side lacks, or has as n/a, shows n/a with the reason; the ratio is only given
for two measured values of the same unit. Every failure before or during a boot (a missing file, not
an AArch64 ELF or Image, a build that does not boot) is one line, and no table."""

from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path

from . import reports, runner
from .errors import EXIT_BAD_VERDICT, EXIT_INTERRUPTED, EXIT_OK, HarnessError
from .model import BAD_VERDICTS, Bench, Report
from .session import DEFAULT_GUEST, Config, Session

SCHEMA = "humpy-bench-compare/1"
SIDES = ("A", "B")


def add_arguments(p) -> None:
    p.add_argument("a", metavar="A", help="the baseline hypervisor: an AArch64 ELF or arm64 Image")
    p.add_argument("b", metavar="B", help="the hypervisor compared with it")
    p.add_argument("--guest", default=DEFAULT_GUEST,
                   help=f"benchmark guest, raw image, booted over both (default {DEFAULT_GUEST})")
    p.add_argument("--qemu", default="qemu-system-aarch64", help="QEMU binary")
    p.add_argument("--cpu", metavar="MODEL", help="QEMU -cpu for both boots")
    p.add_argument("--smp", type=int, metavar="N", help="QEMU -smp for both boots")
    p.add_argument("--tests", action="append", metavar="GLOBS",
                   help="benchmark globs, comma-separated (humpy.tests=)")
    p.add_argument("--timeout", type=float, default=60.0, metavar="S",
                   help="wall-clock limit of each boot (default 60)")
    p.add_argument("--idle-timeout", type=float, metavar="S",
                   help="no console line for S seconds ends a boot (default 20)")
    p.add_argument("--reports", default="reports", metavar="DIR",
                   help="where NAME.json, NAME-a.json, NAME-b.json and the logs go")
    p.add_argument("--name", default="bench-compare", help="base name of the report files")


def _config(args, side: str, hyp: str) -> Config:
    cfg = Config(hyp=hyp, guest=args.guest, qemu=args.qemu, timeout=args.timeout,
                 idle_timeout=args.idle_timeout, reports=args.reports,
                 name=f"{args.name}-{side.lower()}", cover=False,
                 tests=[t.strip() for v in args.tests or [] for t in v.split(",") if t.strip()]
                 or None)
    if args.cpu:
        cfg.cpu = args.cpu
    if args.smp:
        cfg.smp = args.smp
    return cfg


def _why_not(report: Report) -> str | None:
    """Why a side's bench run is no measurement (None: it is one)."""
    if report.error:
        return report.error
    bad = [r for r in report.results if r.verdict in BAD_VERDICTS]
    if bad:
        return f"{bad[0].verdict}: {bad[0].reason}"
    if not report.bench:
        return "no BENCH line in the run"
    return None


def rows(a: list[Bench], b: list[Bench]) -> list[dict]:
    """One row per benchmark name, A's order first, then those only B has."""
    by_a = {x.name: x for x in a}
    by_b = {x.name: x for x in b}
    names = list(by_a) + [n for n in by_b if n not in by_a]
    out = []
    for name in names:
        sides = {"A": by_a.get(name), "B": by_b.get(name)}
        reasons = []
        for side, bench in sides.items():
            if bench is None:
                reasons.append(f"{side}: no such benchmark in that build")
            elif not bench.measured:
                reasons.append(f"{side}: {bench.reason or 'n/a'}")
        ra, rb = sides["A"], sides["B"]
        ratio = None
        if not reasons:
            if ra.unit != rb.unit:
                reasons.append(f"units differ ({ra.unit} against {rb.unit})")
            elif ra.value == 0:
                reasons.append("A is 0")
            else:
                ratio = rb.value / ra.value
        unit = next((x.unit for x in (ra, rb) if x is not None and x.unit), None)
        out.append({"name": name, "unit": unit,
                    "a": ra.to_json()["value"] if ra else None,
                    "b": rb.to_json()["value"] if rb else None,
                    "ratio": None if ratio is None else round(ratio, 4),
                    "reason": "; ".join(reasons) or None})
    return out


def table(compared: list[dict]) -> str:
    def shown(v):
        return "n/a" if v is None else str(v)
    width = max(len("BENCHMARK"), *(len(r["name"]) for r in compared))
    lines = [f"{'BENCHMARK':{width}} {'A':>12} {'B':>12} {'B/A':>7}  UNIT"]
    for r in compared:
        ratio = "n/a" if r["ratio"] is None else f"{r['ratio']:.3f}"
        tail = (r["unit"] or "-") + (f"  {r['reason']}" if r["reason"] else "")
        lines.append(f"{r['name']:{width}} {shown(r['a']):>12} {shown(r['b']):>12} {ratio:>7}  "
                     f"{tail}".rstrip())
    return "\n".join(lines)


def _err(message: str) -> None:
    print(f"humpy_harness: error: {message}", file=sys.stderr, flush=True)


def run(args) -> int:
    sessions = {side: Session(_config(args, side, hyp)) for side, hyp in zip(SIDES, (args.a, args.b))}
    started = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    side = "A"
    try:
        # Both builds checked before either boots: a typo in B costs no boot of A.
        for side, session in sessions.items():
            session.check()
        for side, session in sessions.items():
            session.lock_reports()
        results = {}
        for side, session in sessions.items():
            report = session.new_report("bench")
            session.bench(report)
            path = reports.write_bench_json(report, Path(args.reports) / f"{session.cfg.name}.json")
            why = _why_not(report)
            if why is not None:
                log = next((r.log for r in reversed(report.runs) if r.log), None)
                _err(f"{side} ({session.cfg.hyp}) gave no benchmarks: {why}"
                     + (f" (log {log})" if log else ""))
                return EXIT_BAD_VERDICT
            results[side] = (report, path)
    except HarnessError as e:
        _err(f"{side}: {e}")
        return e.exit_code
    except KeyboardInterrupt:
        runner.kill_all()
        _err("interrupted; QEMU killed")
        return EXIT_INTERRUPTED
    except OSError as e:
        _err(f"cannot write reports under {args.reports}: {e.strerror}")
        return 5
    compared = rows(results["A"][0].bench, results["B"][0].bench)
    print(f"A = {args.a}\nB = {args.b}")
    print(table(compared))
    data = {"schema": SCHEMA, "started": started, "guest": args.guest,
            "a": {"hyp": args.a, "bench_json": results["A"][1]},
            "b": {"hyp": args.b, "bench_json": results["B"][1]},
            "rows": compared}
    out = Path(args.reports) / f"{args.name}.json"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(data, indent=2) + "\n")
    except OSError as e:
        _err(f"cannot write {out}: {e.strerror}")
        return 5
    ratios = [r["ratio"] for r in compared if r["ratio"] is not None]
    spread = f"; B/A from {min(ratios):.3f} to {max(ratios):.3f}" if ratios else ""
    print(f"humpy bench-compare: OK: {len(compared)} benchmark(s), {len(ratios)} compared, "
          f"{len(compared) - len(ratios)} n/a{spread}")
    print("reports: " + " ".join([str(out), results["A"][1], results["B"][1]]))
    return EXIT_OK

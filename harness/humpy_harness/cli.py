"""Command line: `python3 -m humpy_harness run|list|bench [options]`, and `bench-compare A B`
(bench_compare.py).

Exit codes: 0 all PASS/SKIP; 1 a FAIL, ERROR, TIMEOUT or CRASH (or no test matched); 2 bad option;
3 QEMU missing; 4 an image missing or unreadable; 5 other set-up failure; 130 interrupted.
"""

from __future__ import annotations

import argparse
import shlex
import shutil
import signal
import sys
import textwrap
import time
from pathlib import Path

from . import bench_compare, coverage, presets, qemu, reports, runner
from .errors import (EXIT_BAD_VERDICT, EXIT_INTERRUPTED, EXIT_OK, HarnessError, ReportsBusy,
                     UsageError)
from .model import INTERRUPTED_ID, TestResult, Verdict
from .progress import DEFAULT_EVERY_S, Progress
from .session import DEFAULT_GUEST, DEFAULT_HYP, Config, Session, setup_failure

PROG = "humpy_harness"
# Options whose value may itself start with '-' ("--extra-qemu-args -s"): argparse would take it
# for an option, so such a pair is joined into "--opt=VALUE" before parsing.
_DASH_VALUE_OPTIONS = ("--extra-qemu-args",)


def _join_dash_values(argv: list[str]) -> list[str]:
    out, k = [], 0
    while k < len(argv):
        if argv[k] in _DASH_VALUE_OPTIONS and k + 1 < len(argv):
            out.append(f"{argv[k]}={argv[k + 1]}")
            k += 2
            continue
        out.append(argv[k])
        k += 1
    return out


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad option in one line (no usage block) with exit code 2."""

    def error(self, message):
        raise UsageError(f"{message} (see {self.prog} --help)")


def _split_csv(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    out = [p.strip() for v in values for p in v.split(",") if p.strip()]
    return out or None


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog=PROG, description="Boot a hypervisor and the humpy conformance guest under "
                "QEMU, read the guest's line protocol, report verdicts.")
    sub = p.add_subparsers(dest="command", metavar="run|list|bench|bench-compare|pack",
                           parser_class=_Parser)
    sub.required = True
    common = _Parser(add_help=False)
    common.add_argument("--hyp", default=DEFAULT_HYP, help=f"hypervisor ELF (default {DEFAULT_HYP})")
    common.add_argument("--guest", default=DEFAULT_GUEST,
                        help=f"guest raw image (default {DEFAULT_GUEST})")
    common.add_argument("--qemu", default="qemu-system-aarch64", help="QEMU binary")
    common.add_argument("--dtb", metavar="F", help="boot with a copy of this VM device tree, "
                        "its /chosen/bootargs holding the harness's tokens too")
    common.add_argument("--cpu", metavar="MODEL", help=f"QEMU -cpu (default {qemu.DEFAULT_CPU})")
    common.add_argument("--smp", type=int, metavar="N",
                        help=f"QEMU -smp: CPUs of the machine (default {qemu.DEFAULT_SMP})")
    common.add_argument("--machine", default=qemu.DEFAULT_MACHINE, choices=sorted(qemu.MACHINES),
                        help=f"board model to boot (default {qemu.DEFAULT_MACHINE}); a machine "
                        "humpy cannot run on yet is refused in one line")
    common.add_argument("--machine-anyway", action="store_true",
                        help="boot a machine humpy cannot run on yet (to see how far it gets)")
    common.add_argument("--board-dtb", metavar="F",
                        help="the board's own device tree, for a machine QEMU makes none for")
    common.add_argument("--hyp-addr", type=lambda v: int(v, 0), metavar="ADDR",
                        help="load the hypervisor (a raw arm64 Image, hyp.bin) at ADDR with "
                        "QEMU's loader and start CPU 0 there, instead of -kernel")
    common.add_argument("--expect", metavar="F",
                        help="expectations file (conformance/expect/*.yaml): the profile and every "
                        "test allowed to SKIP; any other SKIP, a test of the guest's list that did "
                        "not run, or another profile fails the run")
    common.add_argument("--preset", choices=sorted(presets.PRESETS),
                        help="set everything another hypervisor needs in one option (explicit "
                        "options still win): " + "; ".join(
                            f"{k}: {v.summary}" for k, v in sorted(presets.PRESETS.items())))
    common.add_argument("--tests", action="append", metavar="GLOBS",
                        help="guest test globs, comma-separated (humpy.tests=)")
    common.add_argument("-k", dest="keywords", action="append", metavar="PATTERN",
                        help="keep tests whose id contains PATTERN (comma-separated alternatives)")
    common.add_argument("--timeout", type=float, default=60.0, metavar="S",
                        help="wall-clock limit of each QEMU boot (default 60)")
    common.add_argument("--idle-timeout", type=float, metavar="S",
                        help="no protocol line for S seconds is a TIMEOUT (default 20, or more "
                        "for a long --test-timeout-ms)")
    common.add_argument("--test-timeout-ms", type=int, metavar="MS",
                        help="guest per-test limit (humpy.timeout_ms=)")
    common.add_argument("--reports", default="reports", metavar="DIR",
                        help="where logs and report files go (default reports)")
    common.add_argument("--name", help="base name of the report files (default conformance, "
                        "or bench)")
    common.add_argument("--jobs", "-j", type=int, default=1, metavar="N",
                        help="shard the tests over N QEMU instances")
    common.add_argument("--no-list", dest="list_first", action="store_false",
                        help="skip the list boot (tests that never start are then not named)")
    common.add_argument("--extra-qemu-args", action="append", default=[], metavar="ARGS",
                        help="more QEMU arguments (one shell-quoted string, repeatable; may start "
                        "with -, as in --extra-qemu-args \"-s -S\")")
    common.add_argument("--spec", default=coverage.DEFAULT_SPEC, metavar="F",
                        help="the spec's JSON for the spec-coverage report (default "
                        f"{coverage.DEFAULT_SPEC})")
    common.add_argument("-v", "--verbose", action="store_true", help="echo the console live")
    run = sub.add_parser("run", parents=[common], help="run the guest tests")
    run.add_argument("--progress-every", type=float, default=DEFAULT_EVERY_S, metavar="S",
                     help="when stderr is not a terminal, a progress line at most every S "
                     f"seconds while tests run (default {DEFAULT_EVERY_S:g}); on a terminal one "
                     "status line is rewritten in place")
    run.add_argument("--trace", metavar="FILE",
                     help="boot with humpy.trace and write the TRACE lines (each test's hypercalls, "
                     "conformance/PROTOCOL.md) to FILE, every run's in order")
    sub.add_parser("list", parents=[common], help="list the guest tests (a list-mode boot)")
    sub.add_parser("bench", parents=[common], help="run the benchmarks under -icount shift=0")
    bench_compare.add_arguments(sub.add_parser(
        "bench-compare", help="the benchmarks over two hypervisors: both values and B/A"))
    pack = sub.add_parser("pack", help="the packed image (humpy.bin) a packed machine boots, "
                          "with no bootargs (the guest runs every test): its LAVA job's image")
    pack.add_argument("--machine", required=True, choices=[n for n, m in qemu.MACHINES.items()
                                                           if m.packed])
    pack.add_argument("--hyp", required=True, help="hyp.bin (an arm64 Image)")
    pack.add_argument("--guest", default=DEFAULT_GUEST, help=f"default {DEFAULT_GUEST}")
    pack.add_argument("--qemu", default="qemu-system-aarch64",
                      help="QEMU binary (dumps the VM's tree)")
    pack.add_argument("-o", "--out", required=True)
    return p


def config_from_args(args) -> Config:
    extra = []
    for chunk in args.extra_qemu_args:
        try:
            extra += shlex.split(chunk)
        except ValueError as e:
            raise UsageError(f"--extra-qemu-args {chunk!r}: {e}") from None
    every = getattr(args, "progress_every", DEFAULT_EVERY_S)
    if not every > 0:
        raise UsageError(f"--progress-every must be positive (got {every:g})")
    name = args.name if args.name is not None else (
        "bench" if args.command == "bench" else "conformance")
    echo = (lambda text: (sys.stdout.write(text), sys.stdout.flush())) if args.verbose else None
    preset = presets.PRESETS[args.preset] if args.preset else presets.NONE
    extra = list(preset.qemu_args) + extra
    return Config(hyp=args.hyp, guest=args.guest, qemu=args.qemu, dtb=args.dtb,
                  cpu=args.cpu or preset.cpu, smp=args.smp or preset.smp,
                  machine=args.machine, machine_anyway=args.machine_anyway,
                  board_dtb=args.board_dtb, hyp_addr=args.hyp_addr,
                  expect=(args.expect if args.expect is not None else preset.expect) or None,
                  tests=_split_csv(args.tests), keywords=_split_csv(args.keywords),
                  timeout=args.timeout, idle_timeout=args.idle_timeout,
                  test_timeout_ms=args.test_timeout_ms, reports=args.reports, jobs=args.jobs,
                  extra_qemu_args=extra, list_first=args.list_first, name=name, echo=echo,
                  spec=args.spec, trace=getattr(args, "trace", None) is not None)


MAX_COLUMNS = 100


def _wrap(text: str) -> str:
    """A report line folded to the terminal (at most MAX_COLUMNS), never inside a word or path;
    continuation lines indented."""
    width = min(MAX_COLUMNS, shutil.get_terminal_size((MAX_COLUMNS, 24)).columns)
    return "\n".join(textwrap.wrap(text, width=max(40, width), subsequent_indent="  ",
                                   break_long_words=False, break_on_hyphens=False)) or text


def _no_cover_hint(report) -> bool:
    """True when no COVER lines has a plainer cause than a guest without coverage recording: the
    run was stopped or failed to set up, a boot did not complete, or no guest test ran."""
    if report.error or any(run.setup_errors for run in report.runs):
        return True
    if any(run.outcome.name != "COMPLETE" for run in report.runs):
        return True
    return not any(not r.id.startswith("harness.") for r in report.results)


def _terminate(signum, frame):
    raise KeyboardInterrupt


def _err(message: str) -> None:
    print(f"{PROG}: error: {message}", file=sys.stderr)


def _pack(args) -> int:
    try:
        qemu.check_guest(args.guest)
        if qemu.image_kind(qemu.check_image(args.hyp, "hypervisor")) != "image":
            raise UsageError(f"pack: {args.hyp} is not an arm64 Image (hyp.bin)")
        qemu.pack_for_machine(args.machine, args.hyp, args.guest, args.out,
                              qemu.find_qemu(args.qemu))
    except HarnessError as e:
        _err(str(e))
        return e.exit_code
    return EXIT_OK


def main(argv=None) -> int:
    signal.signal(signal.SIGTERM, _terminate)
    # A closed terminal (SIGHUP) too: by default Python dies at once, and the QEMU of the running
    # boot, in a session of its own, would run on until its wall-clock guard.
    signal.signal(signal.SIGHUP, _terminate)
    # A shell starting us in the background (`make test &`, CI scripts) passes SIGINT ignored, and
    # Python then keeps it ignored: Ctrl-C or a test's SIGINT would be lost and the run go on.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        argv = sys.argv[1:] if argv is None else list(argv)
        args = build_parser().parse_args(_join_dash_values(argv))
        if args.command == "bench-compare":
            return bench_compare.run(args)
        if args.command == "pack":
            return _pack(args)
        cfg = config_from_args(args)
    except UsageError as e:
        _err(str(e))
        return e.exit_code
    session = Session(cfg)
    mode = args.command
    report = session.new_report(mode)
    t0 = time.monotonic()
    code = None
    progress = None
    try:
        session.check()
        if mode != "list":
            session.lock_reports()
    except ReportsBusy as e:  # another run's files: write nothing
        _err(str(e))
        return e.exit_code
    except HarnessError as e:
        _err(str(e))
        setup_failure(report, e)
        report.duration = time.monotonic() - t0
        return _finish(report, cfg, e.exit_code)
    try:
        if mode == "run" and not args.verbose:
            progress = Progress(session, sys.stderr, args.progress_every).start()
        if mode == "list":
            selected = session.list_tests(report)
            if selected == []:
                _err(session.no_tests_message())
                return EXIT_BAD_VERDICT
            if selected is None:
                print(reports.table(report))
            else:
                print("\n".join(selected))
            run = report.runs[-1]
            if run.warnings:
                for w in run.warnings:
                    print(f"warning: {w}", file=sys.stderr)
            print(f"humpy list: {len(selected or [])} test(s); {reports.profile_text(report)}; "
                  f"log {run.log}", file=sys.stderr)
            return EXIT_OK if selected is not None else EXIT_BAD_VERDICT
        if mode == "bench":
            session.bench(report)
        else:
            session.run(report)
    except HarnessError as e:
        _err(str(e))
        setup_failure(report, e)
        code = e.exit_code
    except KeyboardInterrupt as e:
        runner.kill_all()  # shards still running in other threads
        if isinstance(e, runner.Interrupted) and e.run not in report.runs:
            report.runs.append(e.run)
            report.results.extend(e.run.results)
        if progress is not None:
            progress.stop()
        _err("interrupted; QEMU killed")
        report.error = "interrupted"
        # An interrupted run is not a clean one: JUnit, TAP and JSON carry an ERROR item.
        report.results.append(TestResult(INTERRUPTED_ID, Verdict.ERROR,
                                         "interrupted (Ctrl-C or SIGTERM) before the run ended"))
        code = EXIT_INTERRUPTED
    finally:
        if progress is not None:
            progress.stop()
    report.duration = time.monotonic() - t0
    return _finish(report, cfg, code, getattr(args, "trace", None))


def _finish(report, cfg, code, trace_file: str | None = None) -> int:
    quiet = code is not None and not report.runs  # the one error line says it all
    report.coverage = coverage.for_report(report, cfg.spec)
    if report.results and not quiet and report.mode != "bench":
        print(reports.table(report))
    cov_summary = (report.coverage or {}).get("summary")
    # "No COVER lines" blames the guest only when nothing plainer explains it.
    show_cov = not (cov_summary is not None and not cov_summary.get("cover_lines")
                    and _no_cover_hint(report))
    cov_table = coverage.table(report.coverage)
    if cov_table and not quiet:
        print(cov_table)
    if report.mode == "bench" and report.bench:
        print(reports.bench_table(report))
    for run in report.runs:
        for w in run.warnings:
            print(f"warning: {Path(run.log).name if run.log else ''}: {w}")
    try:
        if report.mode == "bench":
            paths = [reports.write_bench_json(report, Path(cfg.reports) / f"{cfg.name}.json")]
        else:
            paths = list(reports.write_all(report, cfg.reports, cfg.name).values())
    except OSError as e:
        _err(f"cannot write reports under {cfg.reports}: {e.strerror}")
        return code if code is not None else 5
    if quiet:
        return code
    if trace_file:
        lines = [line for run in report.runs for line in run.trace]
        try:
            Path(trace_file).parent.mkdir(parents=True, exist_ok=True)
            with open(trace_file, "w") as f:
                f.writelines(line + "\n" for line in lines)
        except OSError as e:
            _err(f"cannot write the trace {trace_file}: {e.strerror}")
            return code if code is not None else 5
        paths.append(trace_file)
        print(f"trace: {len(lines)} TRACE line(s) in {trace_file}")
    if report.mode == "bench" and report.results and not report.ok:
        print(reports.table(report))
    print(reports.summary(report))
    if report.coverage and not quiet and show_cov:
        print(_wrap(coverage.summary(report.coverage)))
        for line in coverage.drift_lines(report.coverage):
            print(_wrap(line))
    logs = [run.log for run in report.runs if run.log]
    if logs:
        print(_wrap("logs: " + " ".join(logs)))
    print(_wrap("reports: " + " ".join(paths)))
    if code is not None:
        return code
    return EXIT_OK if report.ok else EXIT_BAD_VERDICT

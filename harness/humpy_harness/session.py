"""One harness invocation over one hypervisor and guest: the list boot, the test boots (sharded over
several QEMU instances if asked), the bench boot; the CLI and the pytest plugin both drive this."""

from __future__ import annotations

import dataclasses
import datetime
import fcntl
import os
import re
import threading
import time
from pathlib import Path

from . import expect as expect_mod
from . import qemu as qemu_mod
from .coverage import DEFAULT_SPEC
from .errors import HarnessError, NoTests, ReportsBusy, SetupError, UsageError
from .model import (LIST_ID, RUN_ID, SETUP_ID, Outcome, Report, RunResult, TestResult, Verdict)
from .parser import ConsoleParser
from .runner import Limits, kill_all, reset_stop, run_console

DEFAULT_HYP = "build/hyp/hyp.elf"
DEFAULT_GUEST = "build/conformance/guest.bin"
# A report name is a file name in --reports: no path, no hidden file.
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


@dataclasses.dataclass
class Config:
    hyp: str = DEFAULT_HYP
    guest: str = DEFAULT_GUEST
    qemu: str = "qemu-system-aarch64"
    dtb: str | None = None  # the VM device tree to boot with (a copy gets the harness's bootargs)
    tests: list[str] | None = None  # guest globs (humpy.tests=)
    keywords: list[str] | None = None  # substrings filtered in the harness after the list boot
    timeout: float = 60.0  # wall-clock limit of each boot, seconds
    idle_timeout: float | None = None  # no-progress limit; default from the guest's per-test limit
    test_timeout_ms: int | None = None  # humpy.timeout_ms
    reports: str = "reports"
    jobs: int = 1
    extra_qemu_args: list[str] = dataclasses.field(default_factory=list)
    list_first: bool = True  # boot in list mode first, so tests that never start are named
    name: str = "conformance"  # base name of the report files
    echo: object = None  # callable getting console text as it arrives
    spec: str = DEFAULT_SPEC  # the spec's JSON, joined with the COVER lines for spec coverage
    trace: bool = False  # humpy.trace on the run boots: each run's TRACE lines in RunResult.trace
    cover: bool = True  # humpy.cover on the run boots: COVER lines for the spec coverage
    cpu: str = qemu_mod.DEFAULT_CPU  # QEMU -cpu
    smp: int = qemu_mod.DEFAULT_SMP  # QEMU -smp
    machine: str = qemu_mod.DEFAULT_MACHINE  # a name of qemu.MACHINES
    machine_anyway: bool = False  # boot a machine humpy does not run on yet
    board_dtb: str | None = None  # the board's own device tree (-dtb) where QEMU makes none
    hyp_addr: int | None = None  # load the raw hypervisor Image here instead of -kernel
    expect: str | None = None  # expectations file (expect.py); None: SKIPs are not checked

    def limits(self) -> Limits:
        idle = self.idle_timeout
        if idle is None:
            per_test = (self.test_timeout_ms or 2000) / 1000.0
            idle = max(20.0, 2 * per_test + 5)
        return Limits(wall=self.timeout, idle=min(idle, self.timeout))


def _stamp() -> str:
    return time.strftime("%Y%m%d-%H%M%S") + f"-{os.getpid()}"


class Session:
    def __init__(self, config: Config):
        self.cfg = config
        self.qemu_path: str | None = None
        self.stamp = _stamp()
        self.logs = Path(config.reports) / "logs"
        self._lock = threading.Lock()
        self.expectations: expect_mod.Expectations | None = None
        self.parsers: list[ConsoleParser] = []  # every boot's parser, for the progress line
        self.total: int | None = None  # tests selected for the run boots, once known
        self._reports_lock = None  # open file holding the lock of this run's report names

    # ---- checks ----

    def check(self) -> None:
        """Every problem a user can fix before a boot, as one HarnessError."""
        c = self.cfg
        reset_stop()
        if c.jobs < 1:
            raise UsageError("--jobs must be at least 1")
        if c.test_timeout_ms is not None and c.test_timeout_ms < 1:
            raise UsageError(f"--test-timeout-ms must be at least 1 (got {c.test_timeout_ms}); "
                             f"leave it out for the guest's default of 2000")
        if not NAME_PATTERN.fullmatch(c.name or ""):
            raise UsageError(f"--name {c.name!r}: a plain file name is needed (letters, digits, "
                             f"'.', '_', '-'; no '/', not starting with '.')")
        if c.timeout <= 0 or (c.idle_timeout is not None and c.idle_timeout <= 0):
            raise UsageError("time limits must be positive")
        if c.smp < 1:
            raise UsageError("--smp must be at least 1")
        if not c.cpu or any(ch.isspace() for ch in c.cpu):
            raise UsageError(f"bad --cpu {c.cpu!r}")
        if c.expect is not None:
            self.expectations = expect_mod.load(c.expect)
            if not c.list_first:
                raise UsageError("--expect counts against the guest's own list: drop --no-list")
        if c.keywords and not c.list_first:
            raise UsageError("-k needs the list boot: drop --no-list")
        if c.jobs > 1 and not c.list_first:
            raise UsageError("--jobs needs the list boot: drop --no-list")
        qemu_mod.bootargs(c.tests)  # validates the patterns
        self.qemu_path = qemu_mod.find_qemu(c.qemu)
        machine = qemu_mod.get_machine(c.machine)
        if machine.not_yet and not c.machine_anyway:
            raise UsageError(f"machine {c.machine}: not runnable with this build yet: "
                             f"{machine.not_yet} (--machine-anyway boots it regardless)")
        if machine.board_dtb and not c.board_dtb:
            raise UsageError(f"machine {c.machine}: QEMU makes no device tree for it; pass "
                             f"--board-dtb F (the board's own .dtb)")
        if c.board_dtb is not None:
            qemu_mod.check_image(c.board_dtb, "board device tree")
        qemu_mod.check_hyp(c.hyp)
        qemu_mod.check_hyp_addr(c.hyp, c.hyp_addr)
        if machine.hyp_image and c.hyp_addr is None and qemu_mod.image_kind(c.hyp) != "image":
            raise UsageError(f"machine {c.machine}: boots the hypervisor as an arm64 Image "
                             f"(hyp.bin), not {c.hyp}")
        if machine.board_dtb and c.hyp_addr is not None:
            raise UsageError(f"machine {c.machine}: --hyp-addr starts the image without a DT "
                             f"pointer in x0, and QEMU puts no DT there; boot hyp.bin with -kernel "
                             f"(no --hyp-addr)")
        qemu_mod.check_guest(c.guest)
        if c.dtb is not None:
            qemu_mod.check_image(c.dtb, "device tree")
        try:
            self.logs.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise SetupError(f"cannot create {self.logs}: {e.strerror}") from None

    def lock_reports(self) -> None:
        """Takes REPORTS/.NAME.lock for the rest of this process, so two runs in one clone never
        write the same report files: the second is refused (ReportsBusy) naming the first."""
        c = self.cfg
        path = Path(c.reports) / f".{c.name}.lock"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            f = open(path, "a+")
        except OSError as e:
            raise SetupError(f"cannot create {path}: {e.strerror}") from None
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            f.seek(0)
            holder = f.read().strip() or "?"
            f.close()
            raise ReportsBusy(f"another run (pid {holder}) is writing {c.reports}/{c.name}.*; "
                              f"wait for it, or give this run its own --name") from None
        f.seek(0)
        f.truncate()
        f.write(f"{os.getpid()}\n")
        f.flush()
        self._reports_lock = f

    def no_tests_message(self) -> str:
        c = self.cfg
        return "no guest test matches " + ",".join(c.tests or ["*"]) + (
            f" with -k {','.join(c.keywords)}" if c.keywords else "")

    # ---- one boot ----

    def boot(self, mode: str, tag: str, tests: list[str] | None = None,
             expected: list[str] | None = None, extra=()) -> RunResult:
        c = self.cfg
        stem = self.logs / f"{c.name}-{self.stamp}-{tag}"
        log = f"{stem}.log"
        args = qemu_mod.bootargs(tests, list_mode=(mode == "list"), bench=(mode == "bench"),
                                 timeout_ms=c.test_timeout_ms,
                                 trace=c.trace and mode == "run",
                                 cover=c.cover and mode == "run")
        machine = qemu_mod.get_machine(c.machine)
        dtb = qemu_mod.make_vm_dtb(f"{stem}.dtb", args, self.qemu_path, base=c.dtb,
                                   gic=machine.vm_gic, edits=machine.vm_dt_edits)
        hyp, guest = c.hyp, c.guest
        packed = None
        if machine.packed:  # the image a board boots (and its LAVA job deploys), for this boot
            packed = qemu_mod.pack_image(c.hyp, c.guest, dtb, f"{stem}.humpy.bin")
            hyp, guest, dtb = packed, None, None
        cmd = qemu_mod.qemu_command(self.qemu_path, hyp, guest, dtb,
                                    list(extra) + list(c.extra_qemu_args), cpu=c.cpu, smp=c.smp,
                                    machine=c.machine, hyp_addr=c.hyp_addr,
                                    board_dtb=c.board_dtb)
        parser = ConsoleParser(mode, log=log)
        self.parsers.append(parser)
        try:
            return run_console(cmd, log, parser, c.limits(), expected=expected, echo=c.echo,
                               bootargs=args)
        finally:
            if packed is not None:  # 2 MiB a boot; the .dtb kept beside the log remakes it
                Path(packed).unlink(missing_ok=True)

    # ---- what the commands do ----

    def new_report(self, mode: str) -> Report:
        c = self.cfg
        started = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
        return Report(mode=mode, started=started, info={
            "hyp": c.hyp, "guest": c.guest, "qemu": c.qemu, "dtb": c.dtb, "tests": c.tests,
            "keywords": c.keywords, "jobs": c.jobs, "timeout_s": c.timeout,
            "idle_timeout_s": c.limits().idle, "test_timeout_ms": c.test_timeout_ms,
            "extra_qemu_args": c.extra_qemu_args, "spec": c.spec, "cpu": c.cpu, "smp": c.smp,
            "machine": c.machine, "hyp_addr": c.hyp_addr, "expect": c.expect})

    def list_tests(self, report: Report) -> list[str] | None:
        """The selected test ids from a list boot; None (and a harness.list result) if it failed."""
        run = self.boot("list", "list", self.cfg.tests)
        report.runs.append(run)
        listed = list(run.listed)
        report.listed = listed
        if not run.ok:
            # Nothing from the guest at all: most often the machine does not suit the hypervisor
            # (upstream Gunyah aborts at EL2 under -smp 4), so say where to look.
            hint = ("; the guest never started: check the machine options (--cpu, --smp; "
                    "--preset for a known hypervisor)") if run.begin_tests is None else ""
            for r in run.results:
                if r.id == RUN_ID:
                    report.results.append(dataclasses.replace(r, id=LIST_ID,
                                                              reason=r.reason + hint))
            return None
        if self.cfg.keywords:
            listed = [t for t in listed if any(k in t for k in self.cfg.keywords)]
        return listed

    def run(self, report: Report) -> Report:
        """Runs the selection; fills report (also when a HarnessError stops it half-way)."""
        c = self.cfg
        if not c.list_first:
            self.total = None
            run = self.boot("run", "run", c.tests)
            report.runs.append(run)
            report.results.extend(run.results)
            return report
        selected = self.list_tests(report)
        if selected is None:
            self.check_expectations(report, None)
            return report
        if not selected:
            raise NoTests(self.no_tests_message())
        # Same bootargs a user would type: the globs themselves, unless -k narrowed them.
        self.run_selected(report, selected, selected if c.keywords else c.tests)
        return self.check_expectations(report, selected)

    def check_expectations(self, report: Report, selected: list[str] | None,
                           narrowed: bool | None = None) -> Report:
        """With an expectations file: checks the run against it (expect.py). narrowed: the
        selection is not the guest's whole list (default: --tests or -k given)."""
        if self.expectations is not None:
            if narrowed is None:
                narrowed = bool(self.cfg.tests or self.cfg.keywords)
            expect_mod.apply(report, self.expectations, selected, narrowed)
        return report

    def run_selected(self, report: Report, selected: list[str],
                     patterns: list[str] | None) -> Report:
        """Runs the listed tests `selected`; one boot gets humpy.tests=patterns (None: all),
        several shards get their own ids."""
        c = self.cfg
        self.total = len(selected)
        shards = [selected[i::c.jobs] for i in range(min(c.jobs, len(selected)))]
        if len(shards) <= 1:
            run = self.boot("run", "run", patterns, expected=selected)
            report.runs.append(run)
            report.results.extend(run.results)
            return report
        runs: list[RunResult | HarnessError | None] = [None] * len(shards)
        # Each shard says it is done through an event: Thread.join interrupted by Ctrl-C can return
        # early later on, while the shard still runs.
        done = [threading.Event() for _ in shards]

        def one(k: int) -> None:
            try:
                runs[k] = self.boot("run", f"shard{k + 1}", shards[k], expected=shards[k])
            except HarnessError as e:
                runs[k] = e
            except KeyboardInterrupt as e:  # only the main thread gets signals; kept all the same
                runs[k] = getattr(e, "run", None) or SetupError(f"shard {k + 1}: interrupted")
            except Exception as e:  # noqa: BLE001: a thread must not die silently
                runs[k] = SetupError(f"shard {k + 1}: {type(e).__name__}: {e}")
            finally:
                done[k].set()

        def wait_all() -> None:
            for event in done:
                while not event.wait(0.1):
                    pass

        threads = [threading.Thread(target=one, args=(k,), daemon=True) for k in range(len(shards))]
        interrupted = None
        for t in threads:
            t.start()
        try:
            wait_all()
        except KeyboardInterrupt as e:
            # Ctrl-C reaches this thread only: kill every shard's QEMU; each shard then ends as
            # interrupted with the results that had arrived, and they all go into the report.
            interrupted = e
            kill_all()
            wait_all()
        order = {t: i for i, t in enumerate(selected)}
        merged, extra = [], []
        for k, run in enumerate(runs):
            if run is None:
                run = SetupError(f"shard {k + 1}: no result")
            if isinstance(run, HarnessError):
                extra.append(TestResult(f"{RUN_ID}_shard{k + 1}", Verdict.ERROR, str(run)))
                continue
            report.runs.append(run)
            for r in run.results:
                if r.id in order:
                    merged.append(r)
                else:
                    rid = f"{RUN_ID}_shard{k + 1}" if r.id == RUN_ID else r.id
                    extra.append(dataclasses.replace(r, id=rid))
        merged.sort(key=lambda r: order[r.id])
        report.results.extend(merged + extra)
        if interrupted is not None:
            raise KeyboardInterrupt from interrupted
        return report

    def bench(self, report: Report) -> Report:
        run = self.boot("bench", "bench", self.cfg.tests, extra=qemu_mod.BENCH_QEMU_ARGS)
        report.runs.append(run)
        report.results.extend(run.results)
        report.bench = list(run.bench)
        if run.outcome == Outcome.COMPLETE and not run.bench:
            report.results.append(TestResult(RUN_ID, Verdict.ERROR, "no BENCH line in the run",
                                             None, run.log))
        return report


def setup_failure(report: Report, error: HarnessError) -> Report:
    """Records a harness error in the report, so the files written still say what happened."""
    report.error = str(error)
    report.exit_code = error.exit_code
    if not isinstance(error, NoTests):
        report.results.append(TestResult(SETUP_ID, Verdict.ERROR, str(error)))
    return report


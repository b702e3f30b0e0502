"""pytest plugin: each guest test becomes a pytest item named by its id, so `-k identify` selects
guest tests. A suite file (`*.humpy`, YAML: hyp, guest, qemu, tests, timeout, jobs; paths relative
to the repository) is collected by a list-mode boot; the first item that runs boots QEMU once for
all the selected items of its suite; each item then reports its own verdict.

Load it with `-p humpy_harness.pytest_plugin`, or from a conftest.py next to the suite file (as
harness/suite/conftest.py does). Command-line options override the suite file.
"""

from __future__ import annotations

import shlex
import time

import pytest
import yaml

from . import coverage, reports
from . import expect as expect_mod
from .errors import HarnessError, ReportsBusy
from .model import BAD_VERDICTS, TestResult, Verdict
from . import qemu as qemu_mod
from .qemu import REPO
from .session import Config, Session, setup_failure

SUITE_SUFFIX = ".humpy"
_SUITE_KEYS = {"hyp", "guest", "qemu", "tests", "timeout", "idle_timeout", "test_timeout_ms",
               "jobs", "extra_qemu_args", "reports", "name", "spec", "expect", "cpu", "smp", "dtb"}


def pytest_addoption(parser):
    g = parser.getgroup("humpy", "humpy guest tests under QEMU")
    g.addoption("--humpy-hyp", help="hypervisor ELF (default: the suite file's, else "
                "build/hyp/hyp.elf)")
    g.addoption("--humpy-guest", help="guest raw image")
    g.addoption("--humpy-qemu", help="QEMU binary")
    g.addoption("--humpy-tests", help="guest globs, comma-separated (humpy.tests=)")
    g.addoption("--humpy-timeout", type=float, help="wall-clock limit of the QEMU run, seconds")
    g.addoption("--humpy-idle-timeout", type=float, help="no-progress limit, seconds")
    g.addoption("--humpy-jobs", type=int, help="shard over N QEMU instances")
    g.addoption("--humpy-reports", help="where console logs and report files go")
    g.addoption("--humpy-extra-qemu-args", action="append", help="more QEMU arguments")
    g.addoption("--humpy-expect", help="expectations file (conformance/expect/*.yaml); "
                "'none' for no check (default: the suite file's expect:)")
    g.addoption("--humpy-cpu", help="QEMU -cpu")
    g.addoption("--humpy-smp", type=int, help="QEMU -smp")
    _accept_dash_values(parser)


# Like the CLI's --extra-qemu-args: "--humpy-extra-qemu-args -S" is joined into "...=-S" before
# pytest's full parse (argparse would take -S for an option). pytest's own early parse runs before
# any plugin: a value starting with one of pytest's short options (-s, -v, -x...) needs the
# "--humpy-extra-qemu-args=-s" form.
_DASH_VALUE_OPTIONS = ("--humpy-extra-qemu-args",)


def _accept_dash_values(parser) -> None:
    if getattr(parser, "_humpy_dash_values", False):
        return
    original = parser.parse

    def parse(args, namespace=None):
        args = [str(a) for a in args]
        joined, k = [], 0
        while k < len(args):
            if args[k] in _DASH_VALUE_OPTIONS and k + 1 < len(args):
                joined.append(f"{args[k]}={args[k + 1]}")
                k += 2
            else:
                joined.append(args[k])
                k += 1
        return original(joined, namespace=namespace)

    parser.parse = parse
    parser._humpy_dash_values = True


def pytest_collect_file(file_path, parent):
    if file_path.suffix == SUITE_SUFFIX:
        return HumpySuite.from_parent(parent, path=file_path)
    return None


class HumpyError(Exception):
    """A verdict that fails the item; str() is what pytest shows."""


class HumpySuite(pytest.File):
    def _config(self) -> Config:
        try:
            data = yaml.safe_load(self.path.read_text()) or {}
        except yaml.YAMLError as e:
            raise HarnessError(f"{self.path}: not YAML: {e}") from None
        if not isinstance(data, dict) or set(data) - _SUITE_KEYS:
            raise HarnessError(f"{self.path}: keys must be among {', '.join(sorted(_SUITE_KEYS))}")
        opt = self.config.getoption

        def path(key, option, default):
            value = opt(option) or data.get(key) or default
            return str(value if option and opt(option) else REPO / value)

        tests = opt("humpy_tests") or data.get("tests")
        if isinstance(tests, str):
            tests = [t for t in tests.split(",") if t]
        extra = list(data.get("extra_qemu_args") or [])
        for chunk in opt("humpy_extra_qemu_args") or []:
            try:
                extra += shlex.split(chunk)
            except ValueError as e:
                raise HarnessError(f"--humpy-extra-qemu-args {chunk!r}: {e}") from None

        def number(key, option, default, least, what):
            """The option, else the suite file's key, else default; a given value out of range
            is refused naming the plugin's option (or the suite file's key), never replaced."""
            value, name = (opt(option) if option else None), "--" + option.replace("_", "-")
            if value is None:
                value, name = data.get(key), f"{self.path.name}: {key}"
            if value is None:
                return default
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not (
                    value >= least if what == "at least" else value > least):
                raise HarnessError(f"{name} must be {what} {least:g} (got {value})"
                                   if what == "at least" else f"{name} must be positive "
                                   f"(got {value:g})")
            return value
        expect = opt("humpy_expect") or data.get("expect")
        expect = None if expect in (None, "", "none") else (
            expect if opt("humpy_expect") else str(REPO / expect))
        return Config(
            expect=expect,
            cpu=opt("humpy_cpu") or data.get("cpu") or qemu_mod.DEFAULT_CPU,
            smp=number("smp", "humpy_smp", qemu_mod.DEFAULT_SMP, 1, "at least"),
            dtb=str(REPO / data["dtb"]) if data.get("dtb") else None,
            hyp=path("hyp", "humpy_hyp", "build/hyp/hyp.elf"),
            guest=path("guest", "humpy_guest", "build/conformance/guest.bin"),
            qemu=opt("humpy_qemu") or data.get("qemu") or "qemu-system-aarch64",
            tests=tests or None,
            timeout=number("timeout", "humpy_timeout", 60.0, 0, "positive"),
            idle_timeout=number("idle_timeout", "humpy_idle_timeout", None, 0, "positive"),
            test_timeout_ms=number("test_timeout_ms", "", None, 1, "at least"),
            jobs=number("jobs", "humpy_jobs", 1, 1, "at least"),
            reports=path("reports", "humpy_reports", "reports"),
            extra_qemu_args=extra,
            name=data.get("name") or f"pytest-{self.path.stem}",
            spec=str(REPO / (data.get("spec") or coverage.DEFAULT_SPEC)))

    def collect(self):
        self.cfg = self._config()
        self.session_h = Session(self.cfg)
        self.report = self.session_h.new_report("run")
        self.ran = False
        self.shown: list[str] = []  # items pytest ran (with -x it stops early)
        self.t0 = time.monotonic()
        try:
            self.session_h.check()
            self.session_h.lock_reports()  # another pytest run on the same report names: refused
        except ReportsBusy:
            raise
        except HarnessError as e:
            setup_failure(self.report, e)
            self._write()
            raise
        try:
            listed = self.session_h.list_tests(self.report)
        except HarnessError as e:
            setup_failure(self.report, e)
            self._write()
            raise
        if listed is None:
            self._write()
            why = "; ".join(f"{r.id} {r.verdict}: {r.reason}" for r in self.report.results)
            raise HarnessError(f"list boot failed: {why}")
        for test_id in listed:
            yield HumpyTest.from_parent(self, name=test_id)

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, HarnessError):
            return f"humpy: {excinfo.value}"
        return super().repr_failure(excinfo)

    def ensure_run(self, items) -> None:
        """Boots QEMU once for every selected item of this suite."""
        if self.ran:
            return
        self.ran = True
        ids = [item.name for item in items if item.parent is self]
        listed = self.report.listed
        patterns = self.cfg.tests if ids == listed else ids
        try:
            self.session_h.run_selected(self.report, ids, patterns)
            self.session_h.check_expectations(self.report, ids,
                                              narrowed=bool(self.cfg.tests) or ids != listed)
        except HarnessError as e:
            setup_failure(self.report, e)
        self.results = {r.id: r for r in self.report.results}
        self._write()

    def _write(self) -> None:
        self.report.duration = time.monotonic() - self.t0
        self.report.coverage = coverage.for_report(self.report, self.cfg.spec)
        self.paths = reports.write_all(self.report, self.cfg.reports, self.cfg.name)
        _SUITES.append(self)

    def harness_problems(self) -> list[TestResult]:
        """Bad verdicts no item carries (harness.run, harness.setup...)."""
        return [r for r in self.report.results
                if r.id.startswith("harness.") and r.verdict in BAD_VERDICTS]


_SUITES: list[HumpySuite] = []


class HumpyTest(pytest.Item):
    def runtest(self):
        suite = self.parent
        suite.shown.append(self.name)
        suite.ensure_run(self.session.items)
        result = suite.results.get(self.name)
        if result is None:
            problems = "; ".join(f"{r.id} {r.verdict}: {r.reason}"
                                 for r in suite.harness_problems()) or "no result"
            raise HumpyError(f"not run: {problems}")
        if result.log:
            self.user_properties.append(("console_log", result.log))
        if result.verdict == Verdict.SKIP:
            pytest.skip(result.reason or "SKIP")
        if result.verdict != Verdict.PASS:
            where = f"\nconsole log: {result.log}" if result.log else ""
            where += f" line {result.line}" if result.log and result.line else ""
            raise HumpyError(f"{result.verdict}: {result.reason}{where}".strip())

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, HumpyError):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, None, f"guest test {self.name}"


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    for suite in dict.fromkeys(_SUITES):
        if suite.ran:
            terminalreporter.write_line(f"humpy: {reports.profile_text(suite.report)}; "
                                        f"{expect_mod.summary(suite.report)}")
        for r in suite.harness_problems():
            terminalreporter.write_line(f"humpy: {r.id} {r.verdict}: {r.reason}", red=True)
        logs = " ".join(run.log for run in suite.report.runs if run.log)
        if logs:
            terminalreporter.write_line(f"humpy logs: {logs}")
        terminalreporter.write_line("humpy reports: " + " ".join(suite.paths.values()))


def pytest_sessionfinish(session, exitstatus):
    # pytest stopped before some items it booted for (-x, --maxfail): the reports hold only the
    # tests pytest showed, and the harness's own items.
    for suite in dict.fromkeys(_SUITES):
        if suite.ran:
            booted = {item.name for item in session.items if item.parent is suite}
            hidden = booted - set(suite.shown)
            if hidden:
                suite.report.results = [r for r in suite.report.results if r.id not in hidden]
                suite.paths = reports.write_all(suite.report, suite.cfg.reports, suite.cfg.name)
    # A crash between two tests or a count mismatch belongs to no item: it still fails the session.
    if exitstatus == 0 and any(s.harness_problems() for s in _SUITES if s.ran):
        session.exitstatus = 1


def pytest_unconfigure(config):
    _SUITES.clear()

"""pytest plugin: each guest test becomes a pytest item named by its id, so `-k identify` selects
guest tests and `-m msgq` an area. A suite file (`*.humpy`, YAML: hyp, guest, qemu, tests, timeout,
jobs...; paths relative to the repository) is collected without booting: the test list comes from
the guest's ELF next to its image (guest_tests.py), or, for an image without one, from a list boot
whose answer is cached under the reports folder. The first item that runs boots QEMU once for the
selected items of its suite; each item then reports its own verdict, and its JUnit time is its own
test's (the harness's RUN-to-RESULT time), not the boot's.

Markers (registered, so --strict-markers passes and `pytest --markers` lists them): one per area,
named by the area (`-m msgq`, `-m root`: area root), and per profile: `profile_root` for the tests
the suite's `hlos_expect:` file lets SKIP (they need the root caps), `profile_hlos` for the rest.

Under pytest-xdist (`-n N`, the default `--dist load`) the plugin schedules each worker a share of
every suite (every Nth item) and each worker boots QEMU once, told only its share's ids; report
files get the worker's id in their name (pytest-conformance-gw0.json).

Loaded by harness/suite/conftest.py (`pytest_plugins`); elsewhere, `-p humpy_harness.pytest_plugin`
with `harness` on PYTHONPATH. Command-line options override the suite file.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import time
from pathlib import Path

import pytest
import yaml

from . import coverage, guest_tests, reports
from . import expect as expect_mod
from .errors import HarnessError, ReportsBusy, UsageError
from .model import BAD_VERDICTS, EXPECT_ID, TestResult, Verdict
from . import qemu as qemu_mod
from .qemu import REPO
from .session import Config, Session, setup_failure

SUITE_SUFFIX = ".humpy"
_SUITE_KEYS = {"hyp", "guest", "qemu", "tests", "timeout", "idle_timeout", "test_timeout_ms",
               "jobs", "extra_qemu_args", "reports", "name", "spec", "expect", "cpu", "smp", "dtb",
               "hlos_expect"}
PROFILE_MARKERS = {
    "profile_root": "guest tests that need the root profile (root caps in /chosen): those the "
                    "suite file's hlos_expect: lets SKIP",
    "profile_hlos": "guest tests that run in the hlos profile too (no root caps needed)",
}
# pytest's own markers: an area of that name gets `area_` in front.
_BUILTIN_MARKERS = {"skip", "skipif", "xfail", "parametrize", "usefixtures", "filterwarnings"}
LIST_CACHE = ".pytest-list-cache"  # under the reports folder: list boots of images without an ELF


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


# ---- the suite file ----

def _read_suite(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as e:
        raise HarnessError(f"{path}: not YAML: {e}") from None
    if not isinstance(data, dict) or set(data) - _SUITE_KEYS:
        raise HarnessError(f"{path}: keys must be among {', '.join(sorted(_SUITE_KEYS))}")
    return data


def _worker(config) -> str | None:
    """This process's pytest-xdist worker id (gw0...), None outside xdist."""
    return getattr(config, "workerinput", {}).get("workerid")


def _shares(config) -> int:
    """How many shares each suite is cut into: the worker count when this plugin's scheduler hands
    each worker one share (see pytest_xdist_make_scheduler), else 1."""
    return int(getattr(config, "workerinput", {}).get("humpy_shares", 1))


def suite_config(path: Path, config, data: dict) -> Config:
    """The harness Config of a suite file: command-line options, else the file, else defaults."""
    opt = config.getoption

    def file_path(key, option, default):
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
        """The option, else the suite file's key, else default; a given value out of range is
        refused naming the plugin's option (or the suite file's key), never replaced."""
        value, name = (opt(option) if option else None), "--" + option.replace("_", "-")
        if value is None:
            value, name = data.get(key), f"{path.name}: {key}"
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
    name = data.get("name") or f"pytest-{path.stem}"
    if _worker(config):
        name += f"-{_worker(config)}"  # each worker writes its own report files
    return Config(
        expect=expect,
        cpu=opt("humpy_cpu") or data.get("cpu") or qemu_mod.DEFAULT_CPU,
        smp=number("smp", "humpy_smp", qemu_mod.DEFAULT_SMP, 1, "at least"),
        dtb=str(REPO / data["dtb"]) if data.get("dtb") else None,
        hyp=file_path("hyp", "humpy_hyp", "build/hyp/hyp.elf"),
        guest=file_path("guest", "humpy_guest", "build/conformance/guest.bin"),
        qemu=opt("humpy_qemu") or data.get("qemu") or "qemu-system-aarch64",
        tests=tests or None,
        timeout=number("timeout", "humpy_timeout", 60.0, 0, "positive"),
        idle_timeout=number("idle_timeout", "humpy_idle_timeout", None, 0, "positive"),
        test_timeout_ms=number("test_timeout_ms", "", None, 1, "at least"),
        jobs=number("jobs", "humpy_jobs", 1, 1, "at least"),
        reports=file_path("reports", "humpy_reports", "reports"),
        extra_qemu_args=extra,
        name=name,
        spec=str(REPO / (data.get("spec") or coverage.DEFAULT_SPEC)))


def root_only(data: dict) -> expect_mod.Expectations | None:
    """The suite's hlos_expect: an expectations file of the guest as an hlos VM; the tests it
    lets SKIP are the ones that need the root profile."""
    if not data.get("hlos_expect"):
        return None
    hlos = expect_mod.load(str(REPO / data["hlos_expect"]))
    if hlos.profile != "hlos":
        raise UsageError(f"hlos_expect {data['hlos_expect']}: profile {hlos.profile}, not hlos")
    return hlos


# ---- markers ----

def area_marker(test_id: str) -> str:
    area = test_id.split(".", 1)[0]
    return f"area_{area}" if area in _BUILTIN_MARKERS else area


def _register(config, name: str, text: str) -> None:
    known = getattr(config, "_humpy_markers", None)
    if known is None:
        known = config._humpy_markers = set()
    if name not in known:
        known.add(name)
        config.addinivalue_line("markers", f"{name}: {text}")


def _register_area(config, marker: str) -> None:
    area = marker[len("area_"):] if marker.startswith("area_") else marker
    _register(config, marker, f"guest tests of area {area} ({area}.*)")


def _suite_files(config) -> list[Path]:
    """The suite files named by the command line (a file, or the *.humpy of a folder)."""
    found = []
    for arg in config.args:
        p = Path(config.invocation_params.dir) / str(arg).split("::")[0]
        if p.is_file() and p.suffix == SUITE_SUFFIX:
            found.append(p)
        elif p.is_dir():
            found.extend(sorted(p.glob("*" + SUITE_SUFFIX)))
    return found


def pytest_configure(config):
    for name, text in PROFILE_MARKERS.items():
        _register(config, name, text)
    # Area markers from the images the suite files name, so `pytest --markers` lists them before
    # any collection; an image that cannot be read statically adds its areas when collected.
    for path in _suite_files(config):
        try:
            cfg = suite_config(path, config, _read_suite(path))
            for test_id in guest_tests.compiled(cfg.guest):
                _register_area(config, area_marker(test_id))
        except (HarnessError, guest_tests.NoStaticList, OSError):
            pass


# ---- collection ----

def pytest_collect_file(file_path, parent):
    if file_path.suffix == SUITE_SUFFIX:
        return HumpySuite.from_parent(parent, path=file_path)
    return None


class HumpyError(Exception):
    """A verdict that fails the item; str() is what pytest shows."""


def _digest(*paths) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(Path(p).read_bytes() if p else b"-")
        h.update(b"\0")
    return h.hexdigest()


class HumpySuite(pytest.File):
    """A suite file: its guest tests as items, one report (per xdist worker), its boots."""

    def collect(self):
        data = _read_suite(self.path)
        self.cfg = suite_config(self.path, self.config, data)
        self.session_h = Session(self.cfg)
        self.report = self.session_h.new_report("run")
        self.results: dict[str, TestResult] = {}
        self.booted: dict[int, list[str]] = {}  # share -> the ids its boot was told
        self.shown: list[str] = []  # items pytest ran (with -x it stops early)
        self.t0 = time.monotonic()
        try:
            hlos = root_only(data)
            self.session_h.check()
            if not self.config.option.collectonly:
                # another pytest run on the same report names: refused before anything runs
                self.session_h.lock_reports()
        except ReportsBusy:
            raise
        except HarnessError as e:
            setup_failure(self.report, e)
            self._write()
            raise
        listed = self._listed()
        for test_id in listed:
            item = HumpyTest.from_parent(self, name=test_id)
            marker = area_marker(test_id)
            _register_area(self.config, marker)
            item.add_marker(marker)
            root = hlos is not None and hlos.entry_for(test_id) is not None
            if hlos is not None:
                item.add_marker("profile_root" if root else "profile_hlos")
            yield item

    def _listed(self) -> list[str]:
        """The selected ids: from the guest's ELF (no boot), else a cached list boot."""
        cfg = self.cfg
        try:
            listed = guest_tests.select(guest_tests.compiled(cfg.guest), cfg.tests)
            self.report.info["listed_from"] = str(guest_tests.elf_for(cfg.guest))
        except guest_tests.NoStaticList as why:
            listed = self._list_boot(str(why))
        self.report.listed = listed
        return listed

    def _list_boot(self, why: str) -> list[str]:
        cfg = self.cfg
        key = hashlib.sha256(json.dumps([
            _digest(cfg.hyp, cfg.guest, cfg.dtb), cfg.tests, cfg.cpu, cfg.smp,
            cfg.extra_qemu_args, self.session_h.qemu_path]).encode()).hexdigest()[:32]
        cache = Path(cfg.reports) / LIST_CACHE / f"{key}.json"
        self.report.info["listed_from"] = f"list boot (no static list: {why})"
        try:
            return list(json.loads(cache.read_text())["listed"])
        except (OSError, ValueError, KeyError, TypeError):
            pass
        try:
            listed = self.session_h.list_tests(self.report)
        except HarnessError as e:
            setup_failure(self.report, e)
            self._write()
            raise
        if listed is None:
            self._write()
            problems = "; ".join(f"{r.id} {r.verdict}: {r.reason}" for r in self.report.results)
            raise HarnessError(f"list boot failed: {problems}")
        try:  # written whole or not at all: xdist's workers may list at the same time
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"listed": listed, "guest": cfg.guest, "hyp": cfg.hyp}))
            tmp.replace(cache)
        except OSError:
            pass  # no cache: the next collection boots to list again
        return listed

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, HarnessError):
            return f"humpy: {excinfo.value}"
        return super().repr_failure(excinfo)

    def ensure_run(self, item) -> dict | None:
        """Boots QEMU once for the share of this suite's selected items that `item` belongs to
        (the whole selection outside xdist); returns that boot's summary, None if it ran before."""
        mine = [it for it in item.session.items if it.parent is self]
        n = _shares(self.config)
        share = mine.index(item) % n
        if share in self.booted:
            return None
        ids = [it.name for j, it in enumerate(mine) if j % n == share]
        self.booted[share] = ids
        listed = self.report.listed
        patterns = self.cfg.tests if ids == listed else ids
        before = len(self.report.results)
        t0 = time.monotonic()
        try:
            self.session_h.run_selected(self.report, ids, patterns)
            self.session_h.check_expectations(self.report, ids,
                                              narrowed=bool(self.cfg.tests) or ids != listed)
            if share == 0 and n > 1 and not self.cfg.tests and [it.name for it in mine] == listed:
                self._check_stale(listed)
        except HarnessError as e:
            setup_failure(self.report, e)
        boot_s = time.monotonic() - t0
        added = self.report.results[before:]
        self.results.update((r.id, r) for r in added)
        self._write()
        tag = f" [share {share + 1}/{n}, {_worker(self.config)}]" if n > 1 else ""
        return {
            "suite": self.nodeid, "tag": tag, "tests": len(ids), "boot_s": round(boot_s, 3),
            "summary": f"{reports.profile_text(self.report)}; {expect_mod.summary(self.report)}",
            "problems": [f"{r.id} {r.verdict}: {r.reason}" for r in added
                         if r.id.startswith("harness.") and r.verdict in BAD_VERDICTS],
            "logs": [run.log for run in self.report.runs if run.log],
            "reports": list(self.paths.values())}

    def _check_stale(self, listed: list[str]) -> None:
        """The whole list was shared out: a share's check is narrowed, so share 1 checks the
        expectations' entries against the whole list, as one boot of everything would."""
        exp = self.session_h.expectations
        if exp is None or self.report.expect is None:
            return
        whole = expect_mod.check(exp, [], listed, None, None, narrowed=False)
        stale = [p for p in whole["problems"] if p.startswith("stale entry ")]
        e = self.report.expect
        e.update(stale=whole["stale"], stale_checked=True)
        if not stale:
            return
        e["problems"] += stale
        e["ok"] = False
        old = next((r for r in self.report.results if r.id == EXPECT_ID), None)
        if old is None:
            self.report.results.append(TestResult(EXPECT_ID, Verdict.FAIL,
                                                  f"{exp.name}: " + "; ".join(stale)))
        else:
            old.reason += "; " + "; ".join(stale)

    def _write(self) -> None:
        self.report.duration = time.monotonic() - self.t0
        self.report.coverage = coverage.for_report(self.report, self.cfg.spec)
        self.paths = reports.write_all(self.report, self.cfg.reports, self.cfg.name)
        _SUITES.append(self)

    def harness_problems(self) -> list[TestResult]:
        """Bad verdicts no item carries (harness.run, harness.setup...)."""
        return [r for r in self.report.results
                if r.id.startswith("harness.") and r.verdict in BAD_VERDICTS]


_SUITES: list[HumpySuite] = []  # suites of this process that wrote report files
_RUNS: list[dict] = []  # every boot's summary, from the reports (a worker's arrive here too)


class HumpyTest(pytest.Item):
    run_summary: dict | None = None
    guest_duration: float | None = None

    def runtest(self):
        suite = self.parent
        suite.shown.append(self.name)
        self.run_summary = suite.ensure_run(self)
        result = suite.results.get(self.name)
        if result is None:
            problems = "; ".join(f"{r.id} {r.verdict}: {r.reason}"
                                 for r in suite.harness_problems()) or "no result"
            raise HumpyError(f"not run: {problems}")
        self.guest_duration = result.duration
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


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    if not isinstance(item, HumpyTest) or call.when != "call":
        return
    report = outcome.get_result()
    # The item's time is its guest test's (RUN to RESULT), not the boot the first item waited
    # for: JUnit's time and --durations read report.duration.
    report.duration = item.guest_duration or 0.0
    if item.run_summary is not None:
        report.humpy_run = item.run_summary  # travels to xdist's controller with the report


def pytest_runtest_logreport(report):
    run = getattr(report, "humpy_run", None)
    if run is not None:
        _RUNS.append(run)


# ---- pytest-xdist: each worker its share ----

@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """Under the default --dist load, every suite is cut into one share per worker (every Nth
    item) and each share goes whole to one worker, which boots QEMU once for it. Other tests
    are scheduled one by one, as --dist load does."""
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ShareScheduling(LoadScopeScheduling):
        _scopes: dict[str, str] | None = None

        def _split_scope(self, nodeid):
            if self._scopes is None:
                self._scopes = share_scopes(self.collection or [], len(self.nodes))
            return self._scopes.get(nodeid, nodeid)

    return ShareScheduling(config, log)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    if node.config.getvalue("dist") == "load":
        node.workerinput["humpy_shares"] = node.workerinput["workercount"]


def share_scopes(collection: list[str], n: int) -> dict[str, str]:
    """nodeid -> its share's scope for the guest tests of every suite file: the j-th item of a
    suite (in collection order) goes to share j mod n, as HumpySuite.ensure_run counts them."""
    scopes, counts = {}, {}
    for nodeid in collection:
        suite = nodeid.split("::", 1)[0]
        if "::" in nodeid and suite.endswith(SUITE_SUFFIX):
            j = counts.get(suite, 0)
            counts[suite] = j + 1
            scopes[nodeid] = f"{suite}::humpy-share-{j % max(n, 1)}"
    return scopes


# ---- the end of the session ----

def pytest_terminal_summary(terminalreporter, exitstatus, config):
    write = terminalreporter.write_line
    for run in sorted(_RUNS, key=lambda r: (r["suite"], r["tag"])):
        tag = run["tag"]
        write(f"humpy{tag}: {run['summary']}")
        for problem in run["problems"]:
            write(f"humpy{tag}: {problem}", red=True)
        write(f"humpy{tag}: one QEMU run of {run['tests']} test(s), {run['boot_s']:.1f} s")
        if run["logs"]:
            write(f"humpy{tag} logs: " + " ".join(run["logs"]))
        write(f"humpy{tag} reports: " + " ".join(run["reports"]))
    for suite in dict.fromkeys(_SUITES):
        if suite.booted:
            continue  # its runs are above
        for r in suite.harness_problems():
            write(f"humpy: {r.id} {r.verdict}: {r.reason}", red=True)
        logs = " ".join(run.log for run in suite.report.runs if run.log)
        if logs:
            write(f"humpy logs: {logs}")
        write("humpy reports: " + " ".join(suite.paths.values()))


def pytest_sessionfinish(session, exitstatus):
    # pytest stopped before some items it booted for (-x, --maxfail): the reports hold only the
    # tests pytest showed, and the harness's own items.
    for suite in dict.fromkeys(_SUITES):
        booted = {t for ids in suite.booted.values() for t in ids}
        hidden = booted - set(suite.shown)
        if hidden:
            suite.report.results = [r for r in suite.report.results if r.id not in hidden]
            suite.paths = reports.write_all(suite.report, suite.cfg.reports, suite.cfg.name)
    # A crash between two tests or a count mismatch belongs to no item: it still fails the session.
    if exitstatus == 0 and any(run["problems"] for run in _RUNS):
        session.exitstatus = 1


def pytest_unconfigure(config):
    _SUITES.clear()
    _RUNS.clear()

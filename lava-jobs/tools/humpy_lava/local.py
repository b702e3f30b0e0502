"""`make lava-local`: runs rendered jobs with LAVA's dispatcher on this machine (the qemu device type
and the emulated U-Boot board), converts their logs into the harness's reports, and compares them
test for test with a harness run of the same images."""

import os
import shutil
import signal
import tempfile
import time

from . import LavaError, devicecfg, dispatch, render, require, results
from humpy_harness import expect, reports

LOCAL_TYPES = ("qemu", "qemu-uboot")
# The emulated board's run folder (QMP socket, pid file); tools/qemu-board.sh reads the same
# variable, inherited through lava-run, and falls back to the same place.
BOARD_RUN = os.environ.setdefault("HUMPY_BOARD_RUN",
                                  os.path.join(tempfile.gettempdir(), "humpy-qemu-board"))


def read_tests(jobs_dir):
    path = os.path.join(jobs_dir, "tests.txt")
    try:
        with open(path, encoding="utf-8") as f:
            return [line.strip() for line in f if line.strip()]
    except OSError:
        raise LavaError(f"no {path}: run `make lava-jobs` first") from None


def _stop_board(name):
    """Ends the emulated board's QEMU if LAVA left it running (by its pid file), and its files."""
    run = os.path.join(BOARD_RUN, name)
    try:
        with open(os.path.join(run, "qemu.pid"), encoding="utf-8") as f:
            pid = int(f.read().strip())
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            if b"qemu-system" in f.read():
                os.kill(pid, signal.SIGKILL)
    except (OSError, ValueError):
        pass
    shutil.rmtree(run, ignore_errors=True)


def run_job(device_type, job_path, server_dir, out_dir, expected, timeout=900, expectations=None):
    """One job under lava-run; returns (Report, lava-run exit status). Reports land in out_dir."""
    boards = render.load_boards()
    if device_type not in LOCAL_TYPES:
        raise LavaError(f"{device_type} needs a lab: only {', '.join(LOCAL_TYPES)} run here")
    require.lava_run()
    local = {}
    name = None
    if device_type == "qemu-uboot":
        require.tftp_deploy()
        require.emulated_board()
        name = f"humpy-{os.getpid()}-{int(time.time())}"
        local = {"humpy_board_name": name, "humpy_tftp": dispatch.tftp_dir()}
    device = devicecfg.render_for_job(server_dir, boards[device_type]["dictionary"], job_path,
                                      os.path.join(out_dir, "devices", device_type + ".yaml"),
                                      local)
    started = time.monotonic()
    try:
        status, log, job_id = dispatch.run(job_path, device, out_dir, device_type, timeout=timeout)
    finally:
        if name:
            _stop_board(name)
    elapsed = time.monotonic() - started
    report = results.convert(log, expected, console_out=os.path.join(out_dir, device_type + ".console.log"),
                             info={"device_type": device_type, "lava_job_id": job_id,
                                   "lava_run_status": status, "job": job_path,
                                   "wall_s": round(elapsed, 2)}, expectations=expectations)
    results.write(report, out_dir, device_type, suite=f"lava-{device_type}")
    return report, status


def harness_run(hyp, guest, out_dir, n_tests, expect_path=None):
    """The harness's own run of the same images, with its reports in out_dir (harness.*), checked
    against the same expectations as the LAVA jobs."""
    from humpy_harness.errors import HarnessError
    from humpy_harness.session import Config, Session

    limit = max(60.0, n_tests * render.PER_TEST_SECONDS + 60.0)
    config = Config(hyp=hyp, guest=guest, reports=out_dir, name="harness", timeout=limit,
                    expect=expect_path)
    started = time.monotonic()
    try:
        session = Session(config)
        session.check()
        report = session.new_report("run")
        session.run(report)
    except HarnessError as e:
        raise LavaError(f"harness run: {e}") from e
    report.duration = time.monotonic() - started
    reports.write_all(report, out_dir, "harness")
    return report


def main(jobs_dir, server_dir, out_dir, hyp, guest, device_types=LOCAL_TYPES, compare=True,
         expect_path=None):
    """Runs and compares; prints one block per job; returns True when every job completed, met
    the expectations (if given) and every verdict matches the harness run."""
    expected = read_tests(jobs_dir)
    expectations = expect.load(expect_path) if expect_path else None
    ok = True
    done = {}
    for device_type in device_types:
        job_path = os.path.join(jobs_dir, device_type + ".yaml")
        if not os.path.isfile(job_path):
            raise LavaError(f"no {job_path}: run `make lava-jobs` first")
        report, status = run_job(device_type, job_path, server_dir, out_dir, expected,
                                 expectations=expectations)
        done[device_type] = report
        lava_job = report.info.get("lava_job") or {}
        verdict = lava_job.get("result", "none")
        print(f"lava-local: {device_type}: lava-run exit {status}, LAVA job {verdict}"
              f"{' (' + report.error + ')' if report.error else ''}, "
              f"{report.info['wall_s']:.1f} s")
        print("  " + reports.summary(report).replace("humpy run", f"lava {device_type}"))
        if status != 0 or report.error or (report.expect and not report.expect["ok"]):
            ok = False
    if compare:
        harness = harness_run(hyp, guest, out_dir, len(expected), expect_path)
        print("  " + reports.summary(harness).replace("humpy run", "harness"))
        for r in harness.results:
            if r.id in results.HARNESS_ONLY:
                ok = False
                print(f"lava-local: harness {r.id} {r.verdict}: {r.reason}")
        for device_type, report in done.items():
            diffs = results.compare(report, harness, device_type, "harness")
            if diffs:
                ok = False
                print(f"lava-local: {device_type} DIFFERS from the harness in {len(diffs)} test(s):")
                for d in diffs[:40]:
                    print("  " + d)
            else:
                n = sum(1 for r in report.results if not r.id.startswith("harness."))
                print(f"lava-local: {device_type}: same verdicts as the harness for all {n} tests")
    print(f"lava-local: reports in {out_dir}")
    return ok

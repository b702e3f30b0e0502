"""The real thing: the qemu job (and the emulated U-Boot board job) run under LAVA's own dispatcher
and read, test for test, what a harness run of the same images reads."""

import os
import re
import signal
import subprocess
import sys

import pytest

from conftest import EXPECT_HUMPY
from humpy_lava import devicecfg, local, render

LOCAL_TIMEOUT = 900


@pytest.fixture(scope="module")
def jobs(images, real_tests, tmp_path_factory):
    out = tmp_path_factory.mktemp("jobs")
    render.render_all(str(out), real_tests, images, device_types=list(local.LOCAL_TYPES))
    return str(out)


@pytest.fixture(scope="module")
def harness(images, real_tests, tmp_path_factory):
    return local.harness_run(images["hyp"], images["guest"],
                             str(tmp_path_factory.mktemp("harness")), len(real_tests),
                             EXPECT_HUMPY)


def run(device_type, jobs, server_dir, tmp_path, real_tests):
    report, status = local.run_job(device_type, f"{jobs}/{device_type}.yaml", server_dir,
                                   str(tmp_path), real_tests, timeout=LOCAL_TIMEOUT,
                                   expectations=EXPECT_HUMPY)
    assert status == 0, f"lava-run failed: {report.error} (log {report.info['lava_log']})"
    assert report.info["lava_job"]["result"] == "pass"
    # LAVA's result check is the harness's: the guest ran as root and met humpy's expectations.
    assert report.runs[0].profile == "root" and report.expect["ok"], report.expect["problems"]
    return report


def after_last_result(console):
    """The protocol lines after the last RESULT line of a console."""
    lines = [line for line in console.splitlines() if line.startswith("[humpy] ")]
    last = max(i for i, line in enumerate(lines) if line.startswith("[humpy] RESULT "))
    return lines[last + 1:]


def check_same(report, harness, real_tests):
    from humpy_lava import results
    # LAVA's boots carry empty bootargs: no COVER burst may sit between the last RESULT and END
    # (it pushed the last RESULT out of pexpect's 4000-byte search window); the harness asks.
    with open(report.runs[0].log, encoding="utf-8") as f:
        tail = after_last_result(f.read())
    assert len(tail) == 1 and tail[0].startswith("[humpy] END "), tail[:3]
    assert harness.runs[-1].cover is not None and harness.runs[-1].cover.lines > 0
    assert results.compare(report, harness) == []
    guest = [r.id for r in report.results if not r.id.startswith(("harness.", "lava."))]
    assert guest == [r.id for r in harness.results if not r.id.startswith("harness.")]
    assert sorted(guest) == sorted(real_tests)
    assert report.info["lava_cases"] == len(real_tests)


def test_qemu_job_under_lava_run_matches_the_harness(lava_run, server_dir, jobs, harness,
                                                     real_tests, tmp_path):
    check_same(run("qemu", jobs, server_dir, tmp_path, real_tests), harness, real_tests)


def test_emulated_uboot_board_job_matches_the_harness(lava_run, server_dir, jobs, harness,
                                                      real_tests, tmp_path):
    check_same(run("qemu-uboot", jobs, server_dir, tmp_path, real_tests), harness, real_tests)


def test_default_boot_prints_no_cover_block(images, real_tests, tmp_path):
    """The guest booted like LAVA boots it (the qemu job's VM device tree, empty bootargs) prints
    END right after the last RESULT: COVER lines are opt-in (humpy.cover, PROTOCOL.md)."""
    from humpy_harness.session import Config, Session

    args = subprocess.run(["fdtget", "-t", "s", images["vmdtb"], "/chosen", "bootargs"],
                          capture_output=True, text=True, check=True).stdout
    assert args.strip() == ""
    limit = max(60.0, len(real_tests) * render.PER_TEST_SECONDS + 60.0)
    session = Session(Config(hyp=images["hyp"], guest=images["guest"], dtb=images["vmdtb"],
                             reports=str(tmp_path), name="default", timeout=limit,
                             list_first=False, cover=False))
    session.check()
    report = session.run(session.new_report("run"))
    run = report.runs[0]
    assert (run.outcome.value, run.bootargs) == ("complete", "")
    assert sorted(r.id for r in run.results) == sorted(real_tests)
    with open(run.log, encoding="utf-8") as f:
        console = f.read()
    assert "[humpy] COVER " not in console and run.cover is None
    tail = after_last_result(console)
    assert len(tail) == 1 and tail[0].startswith("[humpy] END "), tail[:3]


def dumping_qemu(path, dtb):
    """A stand-in for QEMU at path: the same command line with dumpdtb=dtb added to -machine, so
    QEMU writes the device tree it built for that machine and exits instead of running it."""
    path.write_text(f"""#!{sys.executable}
import os, sys
args = sys.argv[1:]
args[args.index("-machine") + 1] += ",dumpdtb={dtb}"
os.execvp("qemu-system-aarch64", ["qemu-system-aarch64"] + args)
""")
    path.chmod(0o755)
    return str(path)


def dumped_tree(cmd, dtb, env=None):
    """The device tree (dts text) the QEMU behind cmd built, without /chosen's per-boot seeds."""
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert os.path.isfile(dtb), f"{cmd[0]} dumped no device tree: {err.decode()}"
    dts = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", dtb], capture_output=True,
                         text=True, check=True).stdout
    return re.sub(r"\n\s*(rng|kaslr)-seed = <[^>]*>;", "", dts)


def test_emulated_board_is_the_harness_machine(images, tmp_path):
    """The board job is compared test for test with a harness run, so the board must be the
    harness's machine: the device tree U-Boot gets is the one humpy reads under the harness, PL061
    included (with -bios and ACPI on, QEMU's virt puts an ACPI GED where the PL061 was, and humpy
    had no hwirq to offer on the board)."""
    from humpy_harness import qemu as hq

    board_dtb, harness_dtb = str(tmp_path / "board.dtb"), str(tmp_path / "harness.dtb")
    env = dict(os.environ, QEMU=dumping_qemu(tmp_path / "board-qemu", board_dtb),
               HUMPY_BOARD_RUN=str(tmp_path / "run"))
    board = dumped_tree([devicecfg.board_script(), "connect", "dump", str(tmp_path)], board_dtb,
                        env)
    harness = dumped_tree(hq.qemu_command(dumping_qemu(tmp_path / "harness-qemu", harness_dtb),
                                          images["hyp"], images["guest"], images["vmdtb"]),
                          harness_dtb)
    assert re.search(r'compatible = "arm,pl061', board), "the emulated board has no PL061"
    assert board == harness

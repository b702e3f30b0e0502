"""A user's mistakes and interruptions (issue 15): each answered at once, in one line, or with
every result that arrived; nothing silently replaced."""

import fcntl
import json
import os
import signal
import struct
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

import pytest

from conftest import FAKE_QEMU, HARNESS, REPO, SCENARIOS


def one_line_error(proc, text, code=None):
    assert proc.stderr.count("\n") == 1, proc.stderr
    assert proc.stderr.startswith("humpy_harness: error: "), proc.stderr
    assert text in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    if code is not None:
        assert proc.returncode == code, (proc.returncode, proc.stderr)


def _start(tmp_path, *args, guest="suite.yaml"):
    reports = tmp_path / "reports"
    argv = [sys.executable, "-m", "humpy_harness", "run", "--qemu", str(FAKE_QEMU),
            "--hyp", str(SCENARIOS / "hyp.elf"), "--guest", str(SCENARIOS / guest),
            "--reports", str(reports), *args]
    return reports, subprocess.Popen(argv, cwd=REPO, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True,
                                     env=dict(os.environ, PYTHONPATH=str(HARNESS)))


def _wait_for(predicate, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


# ---- point 3: Ctrl-C during a sharded run ----

@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_interrupted_sharded_run_keeps_every_result(tmp_path, sig):
    # Limits far past the wait below: under load the shards' hang must end by the signal, not by
    # the idle time-out (20 s by default), or the test would see TIMEOUTs instead.
    reports, proc = _start(tmp_path, "--jobs", "4", "--idle-timeout", "300", "--timeout", "300",
                           guest="shards_hang.yaml")
    logs = reports / "logs"

    def all_hanging():
        shard_logs = list(logs.glob("*-shard*.log")) if logs.exists() else []
        return len(shard_logs) == 4 and all("[humpy] RUN area.h" in p.read_text()
                                            for p in shard_logs)
    assert _wait_for(all_hanging)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, out + err
    assert "humpy_harness: error: interrupted; QEMU killed" in err
    for k in range(1, 5):
        assert f"PASS     area.a{k}" in out, out
    data = json.loads((reports / "conformance.json").read_text())
    verdicts = {t["id"]: t["verdict"] for t in data["tests"]}
    assert {k: v for k, v in verdicts.items() if k.startswith("area.a")} == {
        f"area.a{k}": "PASS" for k in range(1, 5)}
    assert {verdicts[f"area.h{k}"] for k in range(1, 5)} == {"ERROR"}
    assert verdicts["harness.interrupted"] == "ERROR"
    assert data["ok"] is False and data["error"] == "interrupted"
    suite = ET.parse(reports / "conformance.xml").getroot()
    assert int(suite.get("errors")) >= 5 and suite.get("tests") != "0"
    tap = (reports / "conformance.tap").read_text()
    assert "not ok" in tap and "Bail out! interrupted" in tap
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("logs:"))
    end = next(i for i, line in enumerate(lines) if line.startswith("reports:"))
    named = " ".join(lines[start:end]).split()[1:]
    assert len(named) == 5 and sum("-shard" in n for n in named) == 4
    assert "FAILED: 0 guest test(s)" not in out


# ---- point 7: images checked up front ----

def _aarch64_elf(path, machine=183):
    header = bytearray(64)
    header[:4] = b"\x7fELF"
    header[4], header[5], header[6] = 2, 1, 1  # 64-bit, little-endian, version 1
    struct.pack_into("<HHI", header, 16, 2, machine, 1)
    path.write_bytes(bytes(header))
    return path


def _arm64_image(path, payload=False):
    data = bytearray(8192 if payload else 4096)
    data[0x38:0x3C] = b"ARM\x64"
    if payload:
        data[4096:4104] = struct.pack("<Q", 0x314B5059504D5548)  # pack-image.py's HUMPYPK1
    path.write_bytes(bytes(data))
    return path


def test_hyp_text_file_is_refused_at_once(cli, tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("hello\n")
    t0 = time.monotonic()
    proc = cli("run", "--hyp", str(text))
    assert time.monotonic() - t0 < 10
    one_line_error(proc, f"hypervisor image {text} is not an AArch64 ELF or Image", 4)


def test_hyp_host_elf_is_refused(cli, tmp_path):
    proc = cli("run", "--hyp", str(_aarch64_elf(tmp_path / "x86.elf", machine=62)))
    one_line_error(proc, "is not an AArch64 ELF or Image", 4)


def test_hyp_packed_humpy_bin_is_refused(cli, tmp_path):
    proc = cli("run", "--hyp", str(_arm64_image(tmp_path / "humpy.bin", payload=True)))
    one_line_error(proc, "humpy.bin carries its own payload; use hyp.elf", 4)


def test_hyp_plain_image_and_aarch64_elf_are_accepted(cli, tmp_path):
    for hyp in (_arm64_image(tmp_path / "hyp.bin"), _aarch64_elf(tmp_path / "hyp.elf")):
        proc = cli("run", "--hyp", str(hyp), "--tests", "identify.*")
        assert proc.returncode == 0, proc.stdout + proc.stderr


def test_guest_elf_or_packed_image_is_refused(cli, tmp_path):
    proc = cli("run", "--guest", str(_aarch64_elf(tmp_path / "guest.elf")))
    one_line_error(proc, "guest image", 4)
    assert "is an ELF file; give the raw guest.bin" in proc.stderr
    proc = cli("run", "--guest", str(_arm64_image(tmp_path / "humpy.bin", payload=True)))
    one_line_error(proc, "humpy.bin carries its own payload", 4)


# ---- point 8: bad values refused, never replaced ----

@pytest.mark.parametrize("value", ["0", "-1"])
def test_test_timeout_ms_must_be_positive(cli, value):
    proc = cli("run", "--test-timeout-ms", value)
    one_line_error(proc, "--test-timeout-ms must be at least 1", 2)


def test_run_and_list_agree_on_an_empty_selection(cli):
    runs = [cli(mode, "-k", "zzz") for mode in ("run", "list")]
    for proc in runs:
        assert proc.returncode == 1, proc.stdout + proc.stderr
        assert "no guest test matches * with -k zzz" in proc.stderr


@pytest.mark.parametrize("name", ["../../x", "a/b", "", ".hidden"])
def test_report_name_is_a_plain_file_name(cli, tmp_path, name):
    proc = cli("run", "--name", name)
    one_line_error(proc, "--name", 2)
    assert "letters, digits" in proc.stderr
    assert not (tmp_path / "x.json").exists()


# ---- point 6: two runs in one clone ----

def test_second_run_on_the_same_reports_is_refused(cli, tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    lock = open(reports / ".conformance.lock", "a+")
    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    lock.write(f"{os.getpid()}\n")
    lock.flush()
    try:
        proc = cli("run", "--tests", "selftest.fail")
    finally:
        lock.close()
    one_line_error(proc, f"another run (pid {os.getpid()}) is writing {reports}/conformance.*", 5)
    assert "--name" in proc.stderr
    assert not (reports / "conformance.json").exists()
    # Another name is another set of files: that run goes ahead.
    proc = cli("run", "--tests", "identify.*", "--name", "mine")
    assert proc.returncode == 0 and (reports / "mine.json").exists()


def test_parallel_runs_each_report_their_own_verdict(tmp_path):
    reports, slow = _start(tmp_path, "--tests", "selftest.slow")
    assert _wait_for(lambda: list((reports / "logs").glob("*-run.log"))
                     if (reports / "logs").exists() else False)
    _, fast = _start(tmp_path, "--tests", "selftest.fail")
    fast_out, fast_err = fast.communicate(timeout=30)
    slow_out, _ = slow.communicate(timeout=30)
    assert slow.returncode == 0, slow_out
    assert fast.returncode == 5 and "another run" in fast_err
    data = json.loads((reports / "conformance.json").read_text())
    assert [t["id"] for t in data["tests"]] == ["selftest.slow"] and data["ok"] is True


# ---- point 5: progress while tests run ----

def test_progress_lines_while_a_slow_test_runs(cli, tmp_path):
    scenario = tmp_path / "slow.yaml"
    scenario.write_text("tests:\n  - {id: a.quick, result: PASS}\n"
                        "  - {id: a.slow, do: 'sleep 2.2', result: PASS}\n"
                        "  - {id: a.last, result: PASS}\n")
    proc = cli("run", "--guest", str(scenario), "--progress-every", "0.5")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.startswith("progress: ")]
    running = [line for line in lines if "running a.slow" in line]
    assert len(running) >= 3, proc.stderr
    assert all(line.startswith("progress: 1/3 done, running a.slow for ") for line in running)
    assert "\r" not in proc.stderr  # not a terminal: plain lines
    assert "progress:" not in proc.stdout
    for f in (tmp_path / "reports").glob("conformance.*"):
        assert "progress:" not in f.read_text()


def test_progress_on_a_terminal_is_one_rewritten_line(tmp_path):
    import pty
    scenario = tmp_path / "slow.yaml"
    scenario.write_text("tests:\n  - {id: a.quick, result: PASS}\n"
                        "  - {id: a.slow, do: 'sleep 1.5', result: PASS}\n")
    master, slave = pty.openpty()
    argv = [sys.executable, "-m", "humpy_harness", "run", "--qemu", str(FAKE_QEMU),
            "--hyp", str(SCENARIOS / "hyp.elf"), "--guest", str(scenario),
            "--reports", str(tmp_path / "reports")]
    proc = subprocess.Popen(argv, cwd=REPO, stdout=subprocess.PIPE, stderr=slave, text=True,
                            env=dict(os.environ, PYTHONPATH=str(HARNESS)))
    os.close(slave)
    out, _ = proc.communicate(timeout=30)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    err = b"".join(chunks).decode()
    assert proc.returncode == 0, out + err
    assert "\r\x1b[Kprogress: 1/2 done, running a.slow for " in err
    assert err.endswith("\r\x1b[K")  # the status line is wiped before the table prints
    assert "\n" not in err.replace("\r\n", "")
    assert "progress:" not in out


# ---- lesser: the coverage hint only when it is the cause; lines fit a terminal ----

TINY_SPEC = SCENARIOS.parent / "tiny_spec.json"
HINT = "a guest without coverage recording?"


def test_coverage_hint_only_when_no_other_cause(cli):
    assert HINT in cli("run", "--tests", "identify.*", "--spec", str(TINY_SPEC)).stdout
    for args in (("--tests", "identify.*,selftest.hang", "--timeout", "1"),  # time-out
                 ("-k", "zzz"),  # empty selection
                 ("--tests", "identify.*,selftest.crash")):  # crash
        proc = cli("run", *args, "--spec", str(TINY_SPEC))
        assert proc.returncode == 1
        assert HINT not in proc.stdout + proc.stderr, args


def test_report_lines_fit_100_columns(cli, tmp_path):
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    proc = cli("run", "--jobs", "3", "--reports", str(deep), "--spec", str(TINY_SPEC))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("logs:"))
    tail = lines[start:]
    for line in tail:
        paths = [w for w in line.split() if w.startswith("/")]
        assert len(line) <= 100 or len(paths) == 1, line  # one long path alone on its line
    named = " ".join(tail).split()
    assert sum(w.endswith(".log") for w in named) == 4  # list + 3 shards
    assert sum(w.startswith(str(deep)) and w.endswith((".json", ".xml", ".tap")) for w in named) == 3
    cov = next(i for i, line in enumerate(lines) if line.startswith("spec coverage: "))
    assert all(len(line) <= 100 for line in lines[cov:start])


def test_progress_every_must_be_positive(cli, tmp_path):
    proc = cli("run", "--progress-every", "0")
    one_line_error(proc, "--progress-every must be positive (got 0)", 2)
    assert not (tmp_path / "reports").exists()

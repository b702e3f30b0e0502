"""Runs LAVA's own dispatcher (lava-run) on one job and one device config, and cleans up after it."""

import os
import shutil
import signal
import subprocess
import time

import yaml

from . import LavaError, paths, require

DISPATCHER = os.path.join(paths.DEVICES, "dispatcher.yaml")
LAVA_TMP = "/var/lib/lava/dispatcher/tmp"

_counter = 0


def new_job_id(tag):
    """A job id no other run shares: lava-run keys its tmp and tftp directories by it."""
    global _counter
    _counter += 1
    return f"humpy-{tag}-{os.getpid()}-{int(time.time())}-{_counter}"


def tftp_dir():
    try:
        with open(require.TFTPD_DEFAULTS, encoding="utf-8") as f:
            for line in f:
                key, _, value = line.strip().partition("=")
                if key == "TFTP_DIRECTORY":
                    return value.strip().strip('"')
    except OSError:
        pass
    return "/srv/tftp"


def cleanup(job_id):
    """Removes what lava-run leaves (--validate never cleans; a killed run cannot)."""
    for base in (LAVA_TMP, tftp_dir()):
        shutil.rmtree(os.path.join(base, job_id), ignore_errors=True)


def read_log(path):
    """LAVA's log: one flow mapping per line, some values YAML-tagged, so a YAML loader per line.
    Takes lava-run's stderr and a server's log (`lavacli jobs logs --raw`: "- {...}" per line)."""
    entries = []
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if line.startswith("- {"):
                line = line[2:]
            if not line.startswith("{"):
                continue
            try:
                entry = yaml.load(line, Loader=loader)
            except yaml.YAMLError:
                continue
            if isinstance(entry, dict):
                entries.append(entry)
    return entries


def errors(entries):
    """The error and exception messages of a log, for one-line reports."""
    out = []
    for e in entries:
        msg = e.get("msg")
        if e.get("lvl") in ("error", "exception"):
            out.append(str(msg).strip())
        elif e.get("lvl") == "results" and isinstance(msg, dict) and msg.get("error_msg"):
            out.append(f"{msg.get('error_type', 'Error')}: {msg['error_msg']}")
    return out


def run(job, device, out_dir, tag, validate=False, timeout=900):
    """lava-run JOB; returns (exit status, log path, job id). The log is lava-run's stderr."""
    require.lava_run()
    job_id = new_job_id(tag)
    os.makedirs(out_dir, exist_ok=True)
    base = os.path.join(out_dir, tag + ("-validate" if validate else ""))
    log_path = base + ".log"
    cmd = ["lava-run", "--job-id", job_id, "--output-dir", base + ".out", "--device", device,
           "--dispatcher", DISPATCHER]
    if validate:
        cmd.append("--validate")
    cmd.append(job)
    with open(log_path, "w", encoding="utf-8") as log, open(base + ".stdout", "w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=log, start_new_session=True)
        try:
            status = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            cleanup(job_id)
            raise LavaError(f"lava-run {os.path.basename(job)} took over {timeout} s; "
                            f"log in {log_path}") from None
        finally:
            cleanup(job_id)
    return status, log_path, job_id

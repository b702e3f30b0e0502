"""`make lava-submit`: sends rendered jobs to a LAVA lab with lavacli, waits for them, fetches their
logs into reports/ and converts them like local runs."""

import os
import re
import subprocess

import yaml

from . import LavaError, require, results
from humpy_harness import expect, reports


def _lavacli(identity, args, timeout=120):
    cmd = ["lavacli", "-i", identity] + args
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise LavaError(f"lavacli {' '.join(args[:2])} took over {timeout} s") from None
    out = (proc.stdout + proc.stderr).strip()
    if proc.returncode != 0 or out.startswith(("Unknown identity", "Unable to connect",
                                                "Unable to submit")):
        line = out.splitlines()[0] if out else f"exit status {proc.returncode}"
        raise LavaError(f"lavacli {' '.join(args[:2])}: {line[:300]}")
    return proc.stdout


def check_server(identity):
    """One line for a missing identity or an unreachable server, before anything is submitted."""
    require.lavacli()
    if not identity:
        raise LavaError("no LAVA identity: set LAVA_IDENTITY=NAME, after `lavacli identities add "
                        "--uri https://LAB/RPC2 --username USER --token TOKEN NAME`")
    version = _lavacli(identity, ["system", "version"], timeout=60).strip()
    return version


def check_job(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if "file://" in text:
        raise LavaError(f"{path} points at file:// images a lab cannot fetch: render with "
                        f"LAVA_ARTEFACT_URL=https://HOST/DIR (where the images are uploaded)")
    return yaml.safe_load(text)


def submit_one(identity, job_path):
    """Returns (job id, job URL)."""
    out = _lavacli(identity, ["jobs", "submit", "--url", job_path]).strip().splitlines()
    url = out[-1].strip() if out else ""
    m = re.search(r"(\d+(?:\.\d+)?)$", url)
    if not m:
        raise LavaError(f"lavacli jobs submit {job_path}: no job id in {url!r}")
    return m.group(1), url


def fetch(identity, job_id, out_dir, name, expected, wait_s, poll_s=10, expectations=None):
    """Waits for the job, saves its log and its harness-format reports; returns the Report."""
    _lavacli(identity, ["jobs", "wait", job_id, "--timeout", str(wait_s), "--polling", str(poll_s)],
             timeout=wait_s + 60)
    log = os.path.join(out_dir, f"{name}-{job_id}.log")
    text = _lavacli(identity, ["jobs", "logs", "--raw", "--no-follow", job_id], timeout=300)
    with open(log, "w", encoding="utf-8") as f:
        f.write(text)
    report = results.convert(log, expected, info={"lava_job_id": job_id, "device_type": name},
                             console_out=os.path.join(out_dir, f"{name}-{job_id}.console.log"),
                             expectations=expectations)
    results.write(report, out_dir, f"{name}-{job_id}", suite=f"lava-{name}")
    return report


def main(jobs_dir, identity, device_types, out_dir, expected, wait=True, wait_s=3600, poll_s=10,
         expect_path=None):
    expectations = expect.load(expect_path) if expect_path else None
    version = check_server(identity)
    print(f"lava-submit: {identity}: LAVA {version}")
    jobs = []
    for device_type in device_types:
        path = os.path.join(jobs_dir, device_type + ".yaml")
        if not os.path.isfile(path):
            raise LavaError(f"no {path}: run `make lava-submit` with LAVA_DEVICE_TYPE from "
                            f"lava-jobs/boards.yaml")
        check_job(path)
        jobs.append((device_type, path))
    submitted = []
    for device_type, path in jobs:
        job_id, url = submit_one(identity, path)
        print(f"lava-submit: {device_type}: job {job_id}: {url}")
        submitted.append((device_type, job_id, url))
    if not wait:
        return True
    os.makedirs(out_dir, exist_ok=True)
    ok = True
    for device_type, job_id, url in submitted:
        report = fetch(identity, job_id, out_dir, device_type, expected, wait_s, poll_s,
                       expectations)
        print(f"lava-submit: {device_type}: job {job_id}: {url}")
        print("  " + reports.summary(report).replace("humpy run", f"lava {device_type}"))
        ok = ok and report.ok
    print(f"lava-submit: reports in {out_dir}")
    return ok

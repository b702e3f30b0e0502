"""Shared fixtures of the harness's own tests: paths, and a runner of the CLI over the fake QEMU."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
HARNESS = HERE.parent
REPO = HARNESS.parent
sys.path.insert(0, str(HARNESS))

LOGS = HERE / "logs"
SCENARIOS = HERE / "scenarios"
FAKE_QEMU = HERE / "fake_qemu.py"


@pytest.fixture
def log_path():
    return lambda name: str(LOGS / name)


@pytest.fixture
def cli(tmp_path):
    """Runs `python3 -m humpy_harness ARGS` over the fake QEMU; returns the CompletedProcess."""
    def run(*args, guest="suite.yaml", qemu=str(FAKE_QEMU), timeout=60, env=None):
        argv = [sys.executable, "-m", "humpy_harness", *args]
        if "--hyp" not in args:
            argv += ["--hyp", str(SCENARIOS / "hyp.elf")]
        if "--guest" not in args and guest:
            argv += ["--guest", str(SCENARIOS / guest)]
        if "--qemu" not in args and qemu:
            argv += ["--qemu", qemu]
        if "--reports" not in args:
            argv += ["--reports", str(tmp_path / "reports")]
        full_env = dict(os.environ, PYTHONPATH=str(HARNESS), **(env or {}))
        return subprocess.run(argv, capture_output=True, text=True, timeout=timeout,
                              cwd=REPO, env=full_env)
    return run

"""Real QEMU runs over the built images (make test-qemu). Missing images fail, never skip."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HARNESS = Path(__file__).resolve().parents[1]
REPO = HARNESS.parent
sys.path.insert(0, str(HARNESS))

HYP = os.environ.get("HUMPY_HYP", "build/hyp/hyp.elf")
GUEST = os.environ.get("HUMPY_GUEST", "build/conformance/guest.bin")
QEMU = os.environ.get("HUMPY_QEMU", "qemu-system-aarch64")
REPORTS = os.environ.get("HUMPY_REPORTS", "reports/test-qemu")
SPEC = os.environ.get("HUMPY_SPEC", "build/conformance/gen/spec.json")
BUILD = os.environ.get("HUMPY_BUILD", "build")  # make's BUILD: proof builds go under BUILD/proof/
CROSS = os.environ.get("HUMPY_CROSS", "aarch64-linux-gnu-")
EXPECT_HUMPY = "conformance/expect/humpy.yaml"
EXPECT_UPSTREAM = "conformance/expect/gunyah-upstream.yaml"


def pytest_sessionstart(session):
    for image in (HYP, GUEST, SPEC):
        if not (REPO / image).is_file():
            pytest.exit(f"test-qemu: {image} missing: run make first", returncode=1)


@pytest.fixture
def reports_dir(request):
    d = REPO / REPORTS / request.node.name
    d.mkdir(parents=True, exist_ok=True)
    return d


@pytest.fixture
def harness(reports_dir):
    """Runs the CLI on the real images; returns (CompletedProcess, report JSON or None)."""
    def run(*args, hyp=HYP, guest=GUEST, qemu=QEMU, timeout=120, name="conformance"):
        argv = [sys.executable, "-m", "humpy_harness", *args, "--hyp", hyp, "--guest", guest,
                "--qemu", qemu, "--reports", str(reports_dir), "--spec", SPEC]
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, cwd=REPO,
                              env=dict(os.environ, PYTHONPATH=str(HARNESS)))
        path = reports_dir / f"{name}.json"
        data = json.loads(path.read_text()) if path.exists() else None
        return proc, data
    return run


def verdicts(data):
    return {t["id"]: t["verdict"] for t in data["tests"]}


def compiled_tests(guest_bin):
    """(ids, selftest count) of the tests compiled into the guest, read from its ELF next to the
    image, not from the guest: one `test_desc_<area>_<name>` symbol per TEST, and the registry
    section holds exactly that many 24-byte entries (conformance/include/humpy/runner.h)."""
    elf = (REPO / guest_bin).with_suffix(".elf")
    syms = subprocess.run([f"{CROSS}nm", str(elf)], capture_output=True, text=True, check=True)
    descs = sorted(line.split()[-1][len("test_desc_"):] for line in syms.stdout.splitlines()
                   if line.split() and line.split()[-1].startswith("test_desc_"))
    sections = subprocess.run([f"{CROSS}readelf", "-S", "-W", str(elf)], capture_output=True,
                              text=True, check=True).stdout
    row = next(line for line in sections.splitlines() if " humpy_tests " in line)
    size = int(row.split("humpy_tests")[1].split()[3], 16)
    assert size == 24 * len(descs), f"humpy_tests holds {size // 24} entries, {len(descs)} symbols"
    return descs, sum(1 for d in descs if d.startswith("selftest_"))

"""The hypervisor's console is the UART /chosen/stdout-path names, not the first one in the tree
(issue 13: a board's tree often lists several). QEMU virt with a GICv2 booted with its own device
tree changed so that it names two PL011s: a new node first in tree order at 0x09040000, where virt
has no device without secure=on, then QEMU's own at 0x09000000, which stdout-path names. A
hypervisor that takes the first UART writes its console into nothing (or faults there) and the run
never reaches the guest; one that follows stdout-path runs a short selection as usual."""

import subprocess
from pathlib import Path

from conftest import QEMU, REPO, verdicts
from humpy_harness import qemu as qemu_mod

MACHINE = "virt-gicv2"
DECOY = 0x09040000
REAL = 0x09000000
SELECTION = "identify.*,vic.gicd_*"


def two_uart_dtb(out: Path) -> Path:
    """QEMU's own virt-gicv2 tree (the machine options the harness boots with), edited."""
    raw = out / "virt-gicv2.dtb"
    args = qemu_mod.machine_args(machine=MACHINE)
    i = args.index("-machine") + 1
    args[i] += f",dumpdtb={raw}"
    subprocess.run([QEMU, *args], check=True, capture_output=True, timeout=60)
    edits = [
        ["-c", "/serial@9040000"],
        ["-t", "s", "/serial@9040000", "compatible", "arm,pl011"],
        ["-t", "x", "/serial@9040000", "reg", "0", hex(DECOY), "0", "0x1000"],
        ["-t", "s", "/chosen", "stdout-path", "/pl011@9000000"],
    ]
    for e in edits:
        subprocess.run(["fdtput", str(raw), *e], check=True, capture_output=True)
    return raw


def test_console_is_the_uart_stdout_path_names(harness, reports_dir):
    dtb = two_uart_dtb(reports_dir)
    # The edit really made two UARTs, the decoy first in tree order.
    listing = subprocess.run(["fdtget", "-l", str(dtb), "/"], check=True, capture_output=True,
                             text=True).stdout.split()
    assert listing.index("serial@9040000") < listing.index("pl011@9000000"), listing
    proc, data = harness("run", "--machine", MACHINE, "--board-dtb", str(dtb), "--tests",
                         SELECTION, "--expect", "conformance/expect/humpy-gicv2.yaml",
                         timeout=300)
    assert data is not None, proc.stdout[-2000:] + proc.stderr[-2000:]
    logs = "".join(Path(REPO / r["log"]).read_text(errors="replace") for r in data["runs"]
                   if r.get("mode") == "run")
    assert f"UART 0x{REAL:x} " in logs, logs[-2000:]
    got = verdicts(data)
    assert data["ok"] is True and proc.returncode == 0, proc.stdout[-3000:]
    assert got and all(v in ("PASS", "SKIP") for v in got.values()), got
    assert got["vic.gicd_v2_targets"] == "PASS", got

"""Where humpy finds its device tree when the loader passes none in x0 (issue 13): only at a place a
board's description names (hyp/platform/qemu-virt: QEMU virt's base of RAM, 0x40000000, for an
ELF -kernel), and the tree there counts only if its root says it is that board's. hyp.elf under
QEMU virt boots with x0 = 0; QEMU puts the -dtb it is given at 0x40000000. With QEMU's own tree
humpy names its board; with the same tree whose root compatible names another board it stops with
one line on the tree's UART instead of running on a tree that is not the machine's."""

import os
import signal
import subprocess
from pathlib import Path

from conftest import HYP, QEMU, REPO
from humpy_harness import qemu as qemu_mod


def virt_dtb(out: Path, root_compatible) -> Path:
    """QEMU's own virt tree (the harness's machine options) with the root compatible given. fdtput
    also packs it. As dumpdtb writes it (totalsize 1 MiB, mostly free space) QEMU's -dtb loading
    grows it to 0x204e20 bytes, over humpy's 2 MiB bound on a DT (HYP_DTB_MAX_SIZE), which stops
    the boot before any console is known: no line at all."""
    raw = out / "virt.dtb"
    args = qemu_mod.machine_args()
    args[args.index("-machine") + 1] += f",dumpdtb={raw}"
    subprocess.run([QEMU, *args], check=True, capture_output=True, timeout=60)
    subprocess.run(["fdtput", "-t", "s", str(raw), "/", "compatible", *root_compatible],
                   check=True, capture_output=True)
    return raw


def boot(dtb: Path, seconds=20) -> str:
    """hyp.elf alone (no VM images: a run that gets past the board check panics later, on the
    missing payload or guest) with dtb at the base of RAM; the console until QEMU exits."""
    argv = [QEMU, *qemu_mod.machine_args(), "-kernel", str(REPO / HYP), "-dtb", str(dtb)]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
    return out.decode(errors="replace")


def test_virt_tree_at_ram_base_is_taken(reports_dir):
    out = boot(virt_dtb(reports_dir, ["linux,dummy-virt"]))
    assert "boot x0 0x0\r\n" in out, out[-2000:]
    assert "humpy: board qemu-virt\r\n" in out, out[-2000:]
    assert "x0 held no device tree" not in out, out[-2000:]


def test_another_boards_tree_at_ram_base_is_refused(reports_dir):
    dtb = virt_dtb(reports_dir, ["xlnx,zynqmp-zcu102-rev1.0", "xlnx,zynqmp-zcu102"])
    out = boot(dtb)
    assert ("humpy: PANIC x0 held no device tree, and the one at 0x40000000 (where qemu-virt's "
            "loader leaves it) is not qemu-virt's (root compatible lacks \"linux,dummy-virt\"): "
            "boot with the DT in x0 (booti)\r\n") in out, out[-2000:]
    assert "humpy: board" not in out and "RAM at IPA" not in out, out[-2000:]

"""The QEMU command line of conformance/PROTOCOL.md, the VM device tree with its bootargs, and the
checks that turn a missing tool or image into one line."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from .errors import ImageMissing, SetupError, ToolMissing, UsageError

REPO = Path(__file__).resolve().parents[2]
VM_DTB_SCRIPT = REPO / "scripts" / "vm-dtb.sh"

# Upstream Gunyah's QEMU layout (reference §10): the VM's device tree and entry point.
DTB_ADDR = 0x40F00000
GUEST_ADDR = 0x41000000
DEFAULT_CPU = "max"
DEFAULT_SMP = 4
MACHINE = "virt,virtualization=on,gic-version=3,highmem=off"


def machine_args(cpu: str = DEFAULT_CPU, smp: int = DEFAULT_SMP) -> list[str]:
    return ["-machine", MACHINE, "-cpu", cpu, "-m", "2G", "-smp", str(smp), "-nographic",
            "-monitor", "none"]


MACHINE_ARGS = machine_args()  # the defaults (LAVA's qemu job reads them)
# Makes the guest's time (PMU cycles, generic counter) advance with instructions: deterministic.
BENCH_QEMU_ARGS = ["-icount", "shift=0"]


def bootargs(tests: list[str] | None = None, list_mode: bool = False, bench: bool = False,
             timeout_ms: int | None = None, trace: bool = False, cover: bool = False) -> str:
    """The /chosen/bootargs tokens that tell the guest what to do (PROTOCOL.md, Options)."""
    tokens = []
    if tests:
        for pattern in tests:
            if not pattern or any(c.isspace() or c == "," for c in pattern):
                raise UsageError(f"bad test pattern {pattern!r}: no spaces or commas inside one")
        tokens.append("humpy.tests=" + ",".join(tests))
    if list_mode:
        tokens.append("humpy.list")
    if bench:
        tokens.append("humpy.bench")
    if timeout_ms is not None:
        tokens.append(f"humpy.timeout_ms={int(timeout_ms)}")
    if trace:
        tokens.append("humpy.trace")
    if cover:
        tokens.append("humpy.cover")
    return " ".join(tokens)


def qemu_command(qemu: str, hyp: str, guest: str, dtb: str, extra_args=(),
                 cpu: str = DEFAULT_CPU, smp: int = DEFAULT_SMP) -> list[str]:
    return ([qemu] + machine_args(cpu, smp) + ["-kernel", str(hyp),
            "-device", f"loader,file={dtb},addr={DTB_ADDR:#x},force-raw=on",
            "-device", f"loader,file={guest},addr={GUEST_ADDR:#x},force-raw=on"] + list(extra_args))


def find_qemu(qemu: str) -> str:
    """The QEMU binary as a path, or ToolMissing."""
    path = shutil.which(qemu)
    if path is None:
        if os.sep in qemu:
            raise ToolMissing(f"QEMU binary {qemu} not found or not executable")
        raise ToolMissing(f"QEMU binary {qemu} not found on PATH (install qemu-system-arm, "
                          f"or pass --qemu)")
    return path


def check_image(path: str | None, what: str, hint: str = "") -> str:
    """Fails with one line unless path is a readable, non-empty file."""
    if not path:
        raise UsageError(f"no {what} image given")
    p = Path(path)
    hint = f" ({hint})" if hint else ""
    if not p.exists():
        raise ImageMissing(f"{what} image {path} not found{hint}")
    if not p.is_file():
        raise ImageMissing(f"{what} image {path} is not a file")
    try:
        with open(p, "rb") as f:
            first = f.read(1)
    except OSError as e:
        raise ImageMissing(f"{what} image {path} unreadable: {e.strerror}") from None
    if not first:
        raise ImageMissing(f"{what} image {path} is empty")
    return str(p)


ELF_MAGIC = b"\x7fELF"
EM_AARCH64 = 183
ARM64_IMAGE_MAGIC = b"ARM\x64"  # at offset 0x38 of an arm64 Image header
PACKED_MAGIC = (0x314B5059504D5548).to_bytes(8, "little")  # hyp/tools/pack-image.py: "HUMPYPK1"
PAGE = 4096


def image_kind(path: str) -> str:
    """'elf' (AArch64 ELF), 'other-elf', 'image' (arm64 Image), 'packed' (an Image followed by
    pack-image.py's payload at a page boundary: humpy.bin), or 'unknown'."""
    with open(path, "rb") as f:
        head = f.read(64)
        if head[:4] == ELF_MAGIC:
            machine = int.from_bytes(head[18:20], "little") if len(head) >= 20 else 0
            return "elf" if head[4:5] == b"\x02" and machine == EM_AARCH64 else "other-elf"
        if len(head) < 64 or head[0x38:0x3C] != ARM64_IMAGE_MAGIC:
            return "unknown"
        # The payload starts right after the Image, padded to a page: look at every page start.
        offset = PAGE
        while True:
            f.seek(offset)
            block = f.read(len(PACKED_MAGIC))
            if len(block) < len(PACKED_MAGIC):
                return "image"
            if block == PACKED_MAGIC:
                return "packed"
            offset += PAGE


def check_hyp(path: str) -> str:
    """The hypervisor must be what QEMU's -kernel boots at EL2: an AArch64 ELF or arm64 Image."""
    path = check_image(path, "hypervisor", "build it with make, or pass --hyp")
    kind = image_kind(path)
    if kind == "packed":
        raise ImageMissing(f"hypervisor image {path}: humpy.bin carries its own payload; use "
                           f"hyp.elf (the harness loads the guest itself)")
    if kind not in ("elf", "image"):
        raise ImageMissing(f"hypervisor image {path} is not an AArch64 ELF or Image")
    return path


def check_guest(path: str) -> str:
    """The guest is loaded raw at GUEST_ADDR: an ELF or a packed humpy.bin there never runs."""
    path = check_image(path, "guest", "build it with make, or pass --guest")
    kind = image_kind(path)
    if kind == "packed":
        raise ImageMissing(f"guest image {path}: humpy.bin carries its own payload; use hyp.elf "
                           f"as --hyp and the raw guest.bin as --guest")
    if kind in ("elf", "other-elf"):
        raise ImageMissing(f"guest image {path} is an ELF file; give the raw guest.bin (it is "
                           f"loaded as bytes at {GUEST_ADDR:#x})")
    return path


def _fdt_tool(argv: list[str], what: str) -> str:
    tool = argv[0]
    if shutil.which(tool) is None:
        raise ToolMissing(f"{tool} not found (install device-tree-compiler): needed for {what}")
    try:
        proc = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              timeout=30)
    except subprocess.TimeoutExpired:
        raise SetupError(f"{tool} did not finish within 30 s") from None
    if proc.returncode != 0:
        lines = (proc.stderr or proc.stdout).strip().splitlines()
        raise SetupError(f"{what}: {lines[-1] if lines else f'{tool} failed'}")
    return proc.stdout


def combine_dtb(base: str, out: str, args: str) -> str:
    """Copies a given device tree to out with the harness's bootargs in /chosen/bootargs: its own
    tokens kept, except humpy.* ones (the harness decides those), ours appended."""
    what = f"bootargs into a copy of {base}"
    try:
        shutil.copyfile(base, out)
    except OSError as e:
        raise SetupError(f"cannot copy {base} to {out}: {e.strerror}") from None
    old = ""
    if shutil.which("fdtget") is not None:
        proc = subprocess.run(["fdtget", "-t", "s", out, "/chosen", "bootargs"],
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30)
        old = proc.stdout.strip() if proc.returncode == 0 else ""
    kept = [t for t in old.split() if not t.startswith("humpy.")]
    # -p: creates /chosen when the given tree has none.
    _fdt_tool(["fdtput", "-p", "-t", "s", out, "/chosen", "bootargs",
               " ".join(kept + args.split())], what)
    return str(out)


def make_vm_dtb(out: str, args: str, qemu: str, base: str | None = None) -> str:
    """Writes the VM's device tree with these bootargs: from a given tree (base, kept as it is but
    for /chosen/bootargs), else through scripts/vm-dtb.sh (one copy of the recipe), the tree
    dumped from the same QEMU binary that runs the test."""
    if base is not None:
        return combine_dtb(base, out, args)
    if not VM_DTB_SCRIPT.is_file():
        raise SetupError(f"{VM_DTB_SCRIPT} missing: pass --dtb")
    env = dict(os.environ, QEMU=qemu)
    try:
        proc = subprocess.run([str(VM_DTB_SCRIPT), str(out), args], env=env, timeout=60,
                              stdin=subprocess.DEVNULL, capture_output=True, text=True)
    except subprocess.TimeoutExpired:
        raise SetupError("vm-dtb.sh did not finish within 60 s") from None
    if proc.returncode != 0:
        lines = (proc.stderr or proc.stdout).strip().splitlines()
        raise SetupError(lines[-1] if lines else f"vm-dtb.sh failed with status {proc.returncode}")
    return str(out)

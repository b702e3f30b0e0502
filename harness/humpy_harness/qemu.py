"""The QEMU command line of conformance/PROTOCOL.md, the VM device tree with its bootargs, and the
checks that turn a missing tool or image into one line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from .errors import ImageMissing, SetupError, ToolMissing, UsageError

REPO = Path(__file__).resolve().parents[2]
VM_DTB_SCRIPT = REPO / "scripts" / "vm-dtb.sh"
PACK_IMAGE = REPO / "hyp" / "tools" / "pack-image.py"

# Upstream Gunyah's QEMU layout (reference §10): the VM's device tree and entry point.
DTB_ADDR = 0x40F00000
GUEST_ADDR = 0x41000000
DEFAULT_CPU = "max"
DEFAULT_SMP = 4
# mte=on: memory with allocation tags (FEAT_MTE2), which humpy gives its VMs (HCR_EL2.ATA, the
# tag registers switched with the vCPU); fault.memtype_mte_tags and fault.mte_tag_check need it.
# virt-gicv2 stays without, so a run there checks the other side: no tags, PFR1.MTE 0 in the VM.
MACHINE = "virt,virtualization=on,gic-version=3,highmem=off,mte=on"


class Machine:
    """A board model the harness can boot: QEMU's -machine, what else the model needs, and, when
    humpy cannot run there yet, why (one line; the harness still builds its command line)."""

    def __init__(self, qemu_machine: str, extra=(), board_dtb: bool = False,
                 not_yet: str | None = None, vm_gic: int = 3, hyp_image: bool = False,
                 vm_dt_edits=(), packed: bool = False):
        self.qemu_machine = qemu_machine
        self.extra = list(extra)
        self.vm_gic = vm_gic  # the GIC version of the VM's device tree (its GICC: humpy's GICV)
        self.board_dtb = board_dtb  # QEMU makes no device tree: the board's own (-dtb) is needed
        self.not_yet = not_yet
        # hyp.elf's link address is no RAM here: boot hyp.bin (an arm64 Image) with -kernel,
        # which QEMU puts at RAM base + 2 MiB and starts with x0 = the board's DT.
        self.hyp_image = hyp_image
        # Boots humpy.bin, hyp.bin with the guest and the run's VM tree packed behind it as make
        # packs it (pack_image): the file U-Boot's booti loads on the board, and the one this
        # board's LAVA job deploys (made by pack_for_machine with no bootargs); QEMU's loader
        # places nothing else.
        self.packed = packed
        # fdtput argument lists that turn the virt-shaped VM tree into this board's: the VM sees
        # the board's UART and GIC at the board's addresses (humpy passes the UART page through
        # and maps GICV at the GICC address).
        self.vm_dt_edits = [list(e) for e in vm_dt_edits]


# virt with GICv2: distributor 0x08000000, CPU interface 0x08010000, GICH 0x08030000, GICV
# 0x08040000. xlnx-zcu102: 4 Cortex-A53, GIC-400 (distributor 0xF9010000, CPU interface
# 0xF9020000, each 4 KiB frame repeated over 64 KiB), Cadence UART at 0xFF000000, DRAM from 0;
# it has a DisplayPort with audio, kept quiet.
ZCU102_VM_DT_EDITS = [
    # QEMU writes fresh random seeds into every tree it dumps: zeroed (in place, first, so no
    # later edit moves random bytes into the tree's free space) the packed image is the same bytes
    # each time it is made (the LAVA job's, and a harness boot's with no bootargs).
    ["-t", "x", "/chosen", "rng-seed"] + ["0"] * 8,
    ["-t", "x", "/chosen", "kaslr-seed", "0", "0"],
    ["-t", "x", "/intc@8000000", "reg", "0", "0xf9010000", "0", "0x10000",
     "0", "0xf9020000", "0", "0x20000"],
    ["-r", "/intc@8000000/v2m@8020000"],
    ["-t", "s", "/pl011@9000000", "compatible", "cdns,uart-r1p12"],
    ["-t", "x", "/pl011@9000000", "reg", "0", "0xff000000", "0", "0x1000"],
    # No PL061 on the board: the VM gets no GPIO line (its hwirq tests SKIP for that).
    ["-r", "/gpio-keys"],
    ["-r", "/pl061@9030000"],
]
MACHINES = {
    "virt": Machine(MACHINE),
    "virt-gicv2": Machine("virt,virtualization=on,gic-version=2,highmem=off", vm_gic=2),
    "zcu102": Machine("xlnx-zcu102,virtualization=on", ["-display", "none", "-audiodev",
                      "none,id=n"], board_dtb=True, vm_gic=2, hyp_image=True,
                      vm_dt_edits=ZCU102_VM_DT_EDITS, packed=True),
}
DEFAULT_MACHINE = "virt"


def machine_args(cpu: str = DEFAULT_CPU, smp: int = DEFAULT_SMP,
                 machine: str = DEFAULT_MACHINE) -> list[str]:
    m = get_machine(machine)
    return ["-machine", m.qemu_machine, "-cpu", cpu, "-m", "2G", "-smp", str(smp), "-nographic",
            "-monitor", "none"] + m.extra


def get_machine(name: str) -> Machine:
    if name not in MACHINES:
        raise UsageError(f"unknown machine {name!r} (known: {', '.join(MACHINES)})")
    return MACHINES[name]


MACHINE_ARGS = machine_args()  # the defaults (LAVA's qemu job reads them)
# Makes the guest's time (PMU cycles, generic counter) advance with instructions: deterministic.
# humpy.guest_pmu (QEMU's -append: the hypervisor's own /chosen/bootargs) lets the guest keep the
# PMU, whose cycle counter the benchmarks read; without it humpy traps the PMU (hyp/README.md).
BENCH_QEMU_ARGS = ["-append", "humpy.guest_pmu", "-icount", "shift=0"]


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


def hyp_load_args(hyp: str, hyp_addr: int | None) -> list[str]:
    """-kernel (an ELF at its link address, an Image where its header says), or, with an address,
    the raw image put there by QEMU's loader and CPU 0 started at its first byte (x0 is then 0:
    humpy reads the device tree QEMU leaves at the start of RAM)."""
    if hyp_addr is None:
        return ["-kernel", str(hyp)]
    return ["-device", f"loader,file={hyp},addr={hyp_addr:#x},force-raw=on",
            "-device", f"loader,addr={hyp_addr:#x},cpu-num=0"]


def merge_appends(args) -> list[str]:
    """The hypervisor's boot options from every -append in args, as one -append where the first
    stood: QEMU keeps only the last one, so a preset's (humpy.root=rm) and the bench's
    (humpy.guest_pmu) would otherwise silently drop each other. An empty -append ('') drops the
    options before it, as QEMU's last-wins did: the way to boot with none."""
    args = list(args)
    words, out, first = [], [], None
    k = 0
    while k < len(args):
        if args[k] == "-append" and k + 1 < len(args):
            if first is None:
                first = len(out)
                out.append("-append")
            words = words + args[k + 1].split() if args[k + 1].strip() else []
            k += 2
            continue
        out.append(args[k])
        k += 1
    if first is not None:
        out.insert(first + 1, " ".join(words))
    return out


def qemu_command(qemu: str, hyp: str, guest: str, dtb: str, extra_args=(),
                 cpu: str = DEFAULT_CPU, smp: int = DEFAULT_SMP, machine: str = DEFAULT_MACHINE,
                 hyp_addr: int | None = None, board_dtb: str | None = None) -> list[str]:
    """With guest and dtb None, hyp is a packed humpy.bin that carries them (Machine.packed)."""
    vm_images = [] if guest is None and dtb is None else [
        "-device", f"loader,file={dtb},addr={DTB_ADDR:#x},force-raw=on",
        "-device", f"loader,file={guest},addr={GUEST_ADDR:#x},force-raw=on"]
    return ([qemu] + machine_args(cpu, smp, machine) + hyp_load_args(hyp, hyp_addr) +
            (["-dtb", str(board_dtb)] if board_dtb else []) + vm_images +
            merge_appends(extra_args))


def pack_image(hyp: str, guest: str, dtb: str, out: str) -> str:
    """humpy.bin as hyp/hyp.mk packs it (pack-image.py; the guest at GUEST_ADDR, then the VM's
    tree at DTB_ADDR): hyp.bin with both images behind it, which humpy copies into the VM. The
    tree goes in as dtc writes it afresh: fdtput's edits can leave stale bytes (QEMU's random
    seeds) in padding, and the same tree must make the same image."""
    clean = f"{out}.tree.dtb"
    _fdt_tool(["dtc", "-q", "-I", "dtb", "-O", "dtb", "-o", clean, str(dtb)], "the packed VM tree")
    try:
        proc = subprocess.run([sys.executable, str(PACK_IMAGE), "-o", str(out), str(hyp),
                               f"{guest}@{GUEST_ADDR:#x}", f"{clean}@{DTB_ADDR:#x}"],
                              stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              timeout=60)
    finally:
        Path(clean).unlink(missing_ok=True)
    if proc.returncode != 0:
        lines = (proc.stderr or proc.stdout).strip().splitlines()
        raise SetupError(lines[-1] if lines else f"pack-image.py failed ({proc.returncode})")
    return str(out)


def pack_for_machine(machine: str, hyp: str, guest: str, out: str, qemu: str,
                     args: str = "") -> str:
    """The packed image a packed machine boots, with these guest bootargs in the VM's tree (none:
    the guest runs every test, as on a board): the VM tree made for the machine, then packed."""
    m = get_machine(machine)
    dtb = make_vm_dtb(f"{out}.vm.dtb", args, qemu, gic=m.vm_gic, edits=m.vm_dt_edits)
    try:
        return pack_image(hyp, guest, dtb, out)
    finally:
        Path(dtb).unlink(missing_ok=True)


def check_hyp_addr(hyp: str, hyp_addr: int | None) -> None:
    """A load address needs a raw arm64 Image (hyp.bin: what booti loads) on a page boundary."""
    if hyp_addr is None:
        return
    if hyp_addr < 0 or hyp_addr % PAGE:
        raise UsageError(f"--hyp-addr {hyp_addr:#x}: a page-aligned address is needed")
    if image_kind(hyp) != "image":
        raise UsageError(f"--hyp-addr needs the hypervisor as a raw arm64 Image (hyp.bin), not "
                         f"{hyp}")


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


def make_vm_dtb(out: str, args: str, qemu: str, base: str | None = None, gic: int = 3,
                edits=()) -> str:
    """Writes the VM's device tree with these bootargs: from a given tree (base, kept as it is but
    for /chosen/bootargs), else through scripts/vm-dtb.sh (one copy of the recipe), the tree
    dumped from the same QEMU binary that runs the test, then the machine's fdtput edits."""
    if base is not None:
        return combine_dtb(base, out, args)
    if not VM_DTB_SCRIPT.is_file():
        raise SetupError(f"{VM_DTB_SCRIPT} missing: pass --dtb")
    env = dict(os.environ, QEMU=qemu, VM_GIC_VERSION=str(gic))
    try:
        proc = subprocess.run([str(VM_DTB_SCRIPT), str(out), args], env=env, timeout=60,
                              stdin=subprocess.DEVNULL, capture_output=True, text=True)
    except subprocess.TimeoutExpired:
        raise SetupError("vm-dtb.sh did not finish within 60 s") from None
    if proc.returncode != 0:
        lines = (proc.stderr or proc.stdout).strip().splitlines()
        raise SetupError(lines[-1] if lines else f"vm-dtb.sh failed with status {proc.returncode}")
    for edit in edits:  # [option, (type,) node, ...]: the tree's file goes after the options
        split = 1 if edit[0] == "-r" else 2
        _fdt_tool(["fdtput"] + list(edit[:split]) + [str(out)] + list(edit[split:]),
                  "the machine's VM device tree")
    return str(out)

"""Named QEMU set-ups for hypervisors other than humpy's default build: everything one needs,
behind one option (--preset NAME). An option given explicitly still wins over the preset's value."""

from __future__ import annotations

import dataclasses

from .qemu import DEFAULT_CPU, DEFAULT_SMP, REPO


@dataclasses.dataclass(frozen=True)
class Preset:
    summary: str
    cpu: str = DEFAULT_CPU
    smp: int = DEFAULT_SMP
    expect: str | None = None  # expectations file (expect.py)
    qemu_args: tuple[str, ...] = ()  # before --extra-qemu-args (hypervisor boot options)


NONE = Preset("humpy's defaults")

PRESETS = {
    # Upstream Gunyah's 12/2023 QEMU build (hypvm.elf, its QEMU recipe): built for exactly 8 CPUs
    # (under -smp 4 it takes an EL2 data abort on the missing redistributor, ESR_EL2 0x97880010,
    # before the guest starts) and for a CPU with SVE. The guest is its primary VM: profile hlos.
    "gunyah-upstream": Preset(
        "upstream Gunyah 12/2023 for QEMU (-cpu max,sve128=on -smp 8, "
        "conformance/expect/gunyah-upstream.yaml)",
        cpu="max,sve128=on", smp=8,
        expect=str(REPO / "conformance" / "expect" / "gunyah-upstream.yaml")),
    # humpy with its Resource Manager as the root VM (the hypervisor's boot option humpy.root=rm,
    # QEMU -append: hyp/README.md): the guest is the primary VM the RM builds, profile hlos.
    "humpy-hlos": Preset(
        "humpy with its Resource Manager (-append humpy.root=rm), the guest as the primary "
        "(hlos) VM (conformance/expect/humpy-hlos.yaml)",
        expect=str(REPO / "conformance" / "expect" / "humpy-hlos.yaml"),
        qemu_args=("-append", "humpy.root=rm")),
}

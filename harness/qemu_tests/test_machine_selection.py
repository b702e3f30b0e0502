"""make test's short run on the other board models (issue 13): a selection of the suite on QEMU virt
with a GICv2 and on QEMU's ZCU102 model, each checked against that machine's expectations file.
Quick (one boot each, 15-25 s), and it fails when the machine's run fails: any FAIL or ERROR, a
SKIP the file does not allow, a test listed but not run, or a boot that never reached the GICv2
code. The ZCU102 model needs the board's own device tree, which QEMU does not make: the one in
$HUMPY_BOARD_DTBS (Debian's unpacked arm64 linux-image folder, as hyp/test/test_console_boards.c
takes it), else the one scripts/board-dtbs.sh fetches once into BUILD/boards; a fetch that fails
fails that case with the script's one line."""

import os
import subprocess
from pathlib import Path

import pytest

from conftest import BUILD, HYP, REPO, verdicts

HYP_BIN = str(Path(HYP).with_name("hyp.bin"))


def zcu102_dtb():
    dtbs = os.environ.get("HUMPY_BOARD_DTBS")
    if not dtbs:
        fetch = [str(REPO / "scripts" / "board-dtbs.sh"), str(REPO / BUILD / "boards")]
        proc = subprocess.run(fetch, capture_output=True, text=True, timeout=900)
        if proc.returncode != 0:
            pytest.fail(proc.stderr.strip() or "scripts/board-dtbs.sh failed", pytrace=False)
        dtbs = proc.stdout.strip()
    dtb = os.path.join(dtbs, "xilinx", "zynqmp-zcu102-rev1.0.dtb")
    assert os.path.isfile(dtb), f"no {dtb}"
    return dtb

# The areas that cross the GIC twin (list registers, maintenance interrupt, GICD emulation, SGIs),
# the hypercall paths (both conduits) and the firmware calls a board answers differently.
SELECTION = "identify.*,smccc.*,psci.*,vic.*,doorbell.*,msgq.send_*"

# machine -> (expectations file, console line only that machine's GIC driver prints, tests that
# SKIP on GICv3 and must PASS here: proof the GICv2 paths ran, not just booted).
MACHINES = {
    "virt-gicv2": ("conformance/expect/humpy-gicv2.yaml", "humpy: GICv2: GICC 0x8010000 ",
                   ["vic.gicd_v2_sgir", "vic.gicd_v2_targets"]),
    "zcu102": ("conformance/expect/humpy-zcu102.yaml", "humpy: GICv2: GICC 0xf9020000 ",
               ["vic.gicd_v2_sgir", "vic.gicd_v2_targets"]),
}
# What else a machine's boot needs: the ZCU102 model boots hyp.bin (-kernel puts it at 2 MiB;
# hyp.elf's link address is no RAM there) with the board's DT.
EXTRA = {"zcu102": (lambda: ["--board-dtb", zcu102_dtb()], HYP_BIN)}


def console(data):
    logs = [r["log"] for r in data["runs"] if r.get("mode") == "run"]
    return "".join(Path(REPO / log).read_text(errors="replace") for log in logs)


@pytest.mark.parametrize("machine", sorted(MACHINES))
def test_selection_passes_on_the_machine(harness, machine):
    expect, gic_line, gicv2_only = MACHINES[machine]
    extra, hyp = EXTRA.get(machine, (list, HYP))
    proc, data = harness("run", "--machine", machine, "--tests", SELECTION, "--expect", expect,
                         *extra(), hyp=hyp, timeout=300)
    # No report, or no boot at all (a refused expectations file, a machine the harness refuses).
    assert data is not None and data["runs"], proc.stdout[-2000:] + proc.stderr[-2000:]
    got = verdicts(data)
    bad = {k: v for k, v in got.items() if v not in ("PASS", "SKIP")}
    assert not bad, f"{machine}: not PASS: {bad}; see {data['runs'][-1]['log']}"
    assert proc.returncode == 0 and data["ok"] is True, proc.stdout[-3000:]
    # Every test the guest listed for the selection ran, and every SKIP is one the file allows,
    # with its reason.
    e = data["expect"]
    assert e["ok"] and e["problems"] == [] and e["unexpected_skips"] == [], e
    assert e["count"]["listed"] == e["count"]["ran"] == len(got) == len(data["listed"])
    assert data["runs"][-1]["outcome"] == "complete"
    assert data["runs"][-1]["end_counts"]["fail"] == 0
    skipped = sum(1 for v in got.values() if v == "SKIP")
    assert data["runs"][-1]["end_counts"]["pass"] == len(got) - skipped
    # The selection really is the areas named (not an empty or shrunken list)...
    areas = {t.split(".")[0] for t in got}
    assert areas == {"identify", "smccc", "psci", "vic", "doorbell", "msgq"}, areas
    assert len(got) > 100 and skipped < len(got) // 6, (len(got), skipped)
    # ...run on that machine's GIC.
    assert gic_line in console(data), f"{machine}: no '{gic_line}' on the console"
    assert all(got[t] == "PASS" for t in gicv2_only), {t: got.get(t) for t in gicv2_only}

"""Position-independent boot (issue 13 pt 1): the same hyp.bin, put at two addresses by QEMU's
loader (neither its link address), passes the same tests; a build whose relocation forgets the
load offset passes at its link address and fails away from it."""

import subprocess
from pathlib import Path

import pytest

from conftest import CROSS, HYP, REPO, verdicts
from test_proof import broken_hyp

HYP_BIN = str(Path(HYP).with_name("hyp.bin"))
TESTS = "identify.*,doorbell.*,msgq.send_*,vic.*"


def console(data):
    """The run boot's console text (the report names its log)."""
    logs = [r["log"] for r in data["runs"] if r.get("mode") == "run"]
    return "".join(Path(REPO / log).read_text(errors="replace") for log in logs)


@pytest.mark.parametrize("addr", [0x88000000, 0xB0000000])
def test_same_image_runs_where_it_is_put(harness, addr):
    proc, data = harness("run", "--tests", TESTS, "--hyp-addr", hex(addr), hyp=HYP_BIN)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    v = verdicts(data)
    # Every test passes but the GICv2-only ones, which SKIP on this GICv3 machine for that reason.
    off_gicv3 = {t["id"]: t.get("reason", "") for t in data["tests"] if t["verdict"] != "PASS"}
    assert len(v) > 40 and all(v[i] == "SKIP" and "GICv2" in r for i, r in off_gicv3.items()), v
    assert len(off_gicv3) < len(v) // 10, off_gicv3
    # humpy reports the image range it found itself at: the loader's address, not the link one.
    assert f"humpy: hypervisor at EL2, image {addr:#x}-" in console(data)


def test_relocation_without_the_load_offset_fails_away_from_the_link_address(harness):
    elf = broken_hyp("reloc-delta", "HUMPY_BREAK_RELOC_DELTA") / "hyp" / "hyp.elf"
    raw = elf.with_name("hyp.bin")
    subprocess.run([f"{CROSS}objcopy", "-O", "binary", str(elf), str(raw)], check=True)
    proc, data = harness("run", "--tests", "identify.*", "--timeout", "30", hyp=str(elf))
    assert proc.returncode == 0 and set(verdicts(data).values()) == {"PASS"}, proc.stdout[-2000:]
    proc, data = harness("run", "--tests", "identify.*", "--timeout", "30", "--idle-timeout", "10",
                         "--hyp-addr", "0xb0000000", hyp=str(raw))
    assert proc.returncode != 0
    assert data is None or "PASS" not in set(verdicts(data).values()), proc.stdout[-2000:]

"""The Resource Manager as the root VM (issue 11 pt 1, pt 5's boot half): booted with humpy.root=rm
(harness --preset humpy-hlos), the hypervisor starts the RM carried in its image, and the RM builds
the guest as the primary VM (VMID 3) through hypercalls and starts it as upstream does; a hypervisor
that ignores the option leaves the guest as the root VM, and the hlos expectations fail."""

from pathlib import Path

from conftest import REPO, verdicts
from test_proof import broken_hyp


def console(data):
    """The run boot's console text (the report names its log)."""
    logs = [r["log"] for r in data["runs"] if r.get("mode") == "run"]
    return "".join(Path(REPO / log).read_text(errors="replace") for log in logs)


def test_rm_builds_and_starts_the_primary_vm(harness):
    proc, data = harness("run", "--preset", "humpy-hlos", "--tests", "identify.*")
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert data["profile"]["profile"] == "hlos", data["profile"]
    v = verdicts(data)
    assert len(v) >= 16 and set(v.values()) == {"PASS"}, v
    text = console(data)
    # The hypervisor entered the RM in its own RAM, not the guest ...
    assert "humpy: entering VM 1 at 0xa1000000, x0 = 0xa1100000" in text, text[:3000]
    # ... and the RM started VM 3 where upstream's RM starts its primary VM, x0 = its DT.
    assert "rm: primary VM 3 started at 0x41000000, x0 = 0x40f00000" in text, text[:3000]
    assert "humpy conformance guest: x0 0x40f00000 dtb 0x40f00000" in text, text[:3000]
    assert "rm: PANIC" not in text


def test_without_the_rm_the_hlos_run_fails(harness):
    # A hypervisor that ignores humpy.root=rm boots the guest as the root VM: the hlos profile's
    # expectations fail, naming the profile.
    elf = broken_hyp("no_rm", "HUMPY_BREAK_NO_RM") / "hyp" / "hyp.elf"
    proc, data = harness("run", "--preset", "humpy-hlos", "--tests", "identify.*", hyp=str(elf))
    assert proc.returncode == 1, proc.stdout[-2000:]
    assert data["expect"]["problems"][0].startswith("profile: expected hlos, the guest runs as "
                                                    "root ("), data["expect"]["problems"]
    assert "rm: primary VM 3 started" not in console(data)

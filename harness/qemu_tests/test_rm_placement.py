"""The Resource Manager off QEMU virt's defaults (issue 13): its RAM where the hypervisor had to pick
it (the board's DT leaves no RAM at the RM's own address, so IPA != PA: vm_ram_pick), and its console
on the ZCU102 model's Cadence UART, named in its boot DT (/chosen humpy,uart-compatible). Each boots
the hlos profile once and runs the RM's own tests (rm.*, about 10 s a boot)."""

import re
from pathlib import Path

from conftest import HYP, REPO, verdicts
from test_machine_selection import zcu102_dtb

HYP_BIN = str(Path(HYP).with_name("hyp.bin"))
RM_IPA = 0xA1000000
# "humpy: RM RAM at IPA 0xa1000000+0x200000: PA 0x84200000" (hyp/core/main.c hyp_place_vm_ram).
RM_RAM_LINE = re.compile(r"humpy: RM RAM at IPA (0x[0-9a-f]+)\+0x200000: PA (0x[0-9a-f]+)(.*)")


def console(data):
    logs = [r["log"] for r in data["runs"] if r.get("mode") == "run"]
    return "".join(Path(REPO / log).read_text(errors="replace") for log in logs)


def check_rm_run(proc, data, rm_console, skips=frozenset()):
    """Every rm.* test the guest listed ran and passed but the named skips, against the
    expectations given; the RM ran away from its IPA and printed on its UART (its banner and a
    VM's console write)."""
    assert data is not None and data["runs"], proc.stdout[-2000:] + proc.stderr[-2000:]
    v = verdicts(data)
    bad = {k: x for k, x in v.items() if x not in ("PASS", "SKIP")}
    assert not bad, f"not PASS: {bad}; see {data['runs'][-1]['log']}"
    assert {k for k, x in v.items() if x == "SKIP"} == set(skips), v
    assert proc.returncode == 0 and data["ok"] is True, proc.stdout[-3000:]
    assert data["profile"]["profile"] == "hlos", data["profile"]
    assert len(v) > 100 and all(t.startswith("rm.") for t in v), len(v)
    e = data["expect"]
    assert e["ok"] and e["problems"] == [] and e["count"]["listed"] == e["count"]["ran"] == len(v)
    text = console(data)
    m = RM_RAM_LINE.search(text)
    assert m, text[:3000]
    assert int(m.group(1), 16) == RM_IPA and int(m.group(2), 16) != RM_IPA, m.group(0)
    assert "IPA = PA" not in m.group(3), m.group(0)
    # The RM's own line and a console write it carried for VM 3 reached the UART.
    assert f"rm: Resource Manager at EL1, boot DT 0xa1100000, console {rm_console}\n" in text
    assert "[vm 3] rm.console_write: hello from the primary VM" in text, text[-3000:]
    assert "rm: PANIC" not in text


def test_rm_ram_not_at_its_ipa_on_virt(harness):
    # 1.5 GiB of RAM from 0x40000000 ends below the RM's 0xA1000000: the hypervisor picks its RAM.
    proc, data = harness("run", "--preset", "humpy-hlos", "--tests", "rm.*",
                         "--extra-qemu-args", "-m 1536M", timeout=180)
    check_rm_run(proc, data, "arm,pl011")


def test_rm_console_on_the_zcu102_cadence_uart(harness):
    # DRAM from 0 on the board: the RM's RAM is picked there too.
    proc, data = harness("run", "--machine", "zcu102", "--board-dtb", zcu102_dtb(), "--preset",
                         "humpy-hlos", "--expect", "conformance/expect/humpy-hlos-zcu102.yaml",
                         "--tests", "rm.*", hyp=HYP_BIN, timeout=180)
    # The rm.irq_* tests that need the PL061 SKIP here (the expectations file says why).
    check_rm_run(proc, data, "cdns,uart-r1p12",
                 {"rm.irq_hwirq_owned", "rm.irq_lend_reclaim", "rm.irq_peer_accept",
                  "rm.irq_peer_release_reclaim", "rm.irq_peer_reset_releases",
                  "rm.irq_peer_takes"})

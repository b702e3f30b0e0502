"""What a guest learns about the firmware's Spectre/SSB mitigations (issue 13 pt 6): humpy asks the
firmware below it once at boot (hyp/arch/aarch64/firmware.c) and answers a guest's
SMCCC_ARCH_FEATURES(SMCCC_ARCH_WORKAROUND_1/2/3) with the firmware's own answers. The guest test
smccc.arch_workarounds checks the answers are SMCCC's and agree with the calls, and prints them;
here they are compared with what humpy read from the firmware and with what QEMU's PSCI says."""

import re
from pathlib import Path

from conftest import REPO, verdicts

FIRMWARE_LINE = re.compile(r"^humpy: firmware PSCI (0x[0-9a-f]+) SMCCC (0x[0-9a-f]+): "
                           r"ARCH_WORKAROUND_1/2/3 (-?\d+) (-?\d+) (-?\d+)\r?$", re.M)
GUEST_LINE = re.compile(r"^smccc: ARCH_FEATURES\(ARCH_WORKAROUND_1/2/3\) = (-?\d+) (-?\d+) "
                        r"(-?\d+)\r?$", re.M)


def test_guest_gets_the_firmware_answer_to_arch_features(harness):
    proc, data = harness("run", "--tests", "smccc.arch_workarounds")
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert verdicts(data) == {"smccc.arch_workarounds": "PASS"}
    log = Path(REPO / data["runs"][-1]["log"]).read_text(errors="replace")
    firmware = FIRMWARE_LINE.findall(log)
    guest = GUEST_LINE.findall(log)
    assert len(firmware) == 1 and len(guest) == 1, (firmware, guest)
    psci, smccc, *answers = firmware[0]
    # QEMU's PSCI (the firmware of virt without EL3) is PSCI 1.1 and answers PSCI_FEATURES of
    # SMCCC_VERSION with NOT_SUPPORTED, so SMCCC 1.0: no SMCCC_ARCH_FEATURES may be asked, and
    # every workaround is NOT_SUPPORTED (-1).
    assert (psci, smccc, answers) == ("0x10001", "0x10000", ["-1", "-1", "-1"]), firmware[0]
    # The guest's answers are the firmware's, value for value.
    assert list(guest[0]) == answers, (guest[0], answers)

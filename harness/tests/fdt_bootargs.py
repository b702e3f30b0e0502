"""The bootargs a fake QEMU boot was given: read back from the device tree its argv loads."""

import re
import subprocess


def of(argv) -> str:
    for a in argv:
        if a.startswith("loader,") and "addr=0x40f00000" in a:
            dtb = re.search(r"file=([^,]+)", a).group(1)
            return subprocess.run(["fdtget", "-t", "s", dtb, "/chosen", "bootargs"],
                                  capture_output=True, text=True, check=True).stdout.strip()
    raise AssertionError(f"no device tree in {argv}")

"""Checks for the Debian packages each LAVA step needs, each failing with one actionable line."""

import os
import shutil

from . import LavaError

UBOOT_QEMU_BIN = "/usr/lib/u-boot/qemu_arm64/u-boot.bin"
TFTPD_DEFAULTS = "/etc/default/tftpd-hpa"


def _missing(what, package):
    return LavaError(f"{what} not found: install the Debian package {package} "
                     f"(`make setup` installs everything in scripts/debian-packages.txt)")


def lava_common():
    try:
        import lava_common.schemas  # noqa: F401  (the job schema lava-server applies)
    except ImportError as e:
        raise _missing("python module lava_common", "lava-common") from e


def lava_run():
    if not shutil.which("lava-run"):
        raise _missing("lava-run", "lava-dispatcher")
    if os.geteuid() != 0:
        raise LavaError("lava-run must run as root (it refuses otherwise)")


def tftp_deploy():
    """LAVA's tftp deploy reads TFTP_DIRECTORY from tftpd-hpa's defaults and wants in.tftpd."""
    if not os.path.isfile(TFTPD_DEFAULTS) or not shutil.which("in.tftpd"):
        raise _missing(f"{TFTPD_DEFAULTS} or in.tftpd", "tftpd-hpa")


def emulated_board(qemu="qemu-system-aarch64"):
    if not os.path.isfile(UBOOT_QEMU_BIN):
        raise _missing(UBOOT_QEMU_BIN, "u-boot-qemu")
    if not shutil.which("socat"):
        raise _missing("socat", "socat")
    if not shutil.which(qemu):
        raise _missing(qemu, "qemu-system-arm")


def lavacli():
    if not shutil.which("lavacli"):
        raise _missing("lavacli", "lavacli")

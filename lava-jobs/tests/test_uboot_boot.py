"""humpy under Debian's u-boot-qemu, the two ways a board's U-Boot starts it (issue 13 pts 7, 8):
`bootm` of the FIT image hyp/tools/humpy.its makes of humpy.bin (U-Boot checks its SHA-256, humpy
then validates the payload it unpacks), and `booti` of humpy.bin itself, run where U-Boot puts it.
QEMU's loader places the file in RAM and the test types U-Boot's commands on its console; every run
is checked against humpy's expectations file like a harness run."""

import os
import re
import shutil
import signal
import struct
import subprocess

import pytest

from conftest import EXPECT_HUMPY, REPO, _need
from humpy_lava import require

from humpy_harness import expect, protocol, qemu
from humpy_harness.model import TestResult, Verdict

ITS = os.path.join(REPO, "hyp", "tools", "humpy.its")
# Where QEMU's loader puts the file for bootm: RAM U-Boot leaves alone (its own copy and stack sit
# at the top of RAM, its environment's load addresses below 0x45000000).
FIT_ADDR = 0x50000000
# The harness's machine plus acpi=off, as tools/qemu-board.sh runs the emulated board.
MACHINE = qemu.MACHINE + ",acpi=off"
BOOT_TIMEOUT = 300
PAYLOAD_MAGIC = struct.pack("<Q", 0x314B5059504D5548)  # "HUMPYPK1", hyp/include/payload.h
# What the console is read until (whole lines, which the pty ends with CR CR LF: pexpect searches what has arrived so far).
END_LINE = r"\[humpy\] END [^\r\n]*\r*\n"
PROFILE_LINE = r"\[humpy\] PROFILE [^\r\n]*\r*\n"
IMAGE_LINE = re.compile(r"^humpy: hypervisor at EL2, image (0x[0-9a-f]+)-", re.M)


@pytest.fixture(scope="module")
def uboot():
    _need(require.emulated_board)


def run_uboot(log_path, load_file, commands, until, timeout=BOOT_TIMEOUT):
    """Boots U-Boot with load_file at FIT_ADDR, stops its autoboot, types each command at its
    prompt, then reads the console until one of the regexes in until (or EOF/timeout). Returns
    the console text. QEMU runs in its own session and is killed with it on every path."""
    import pexpect

    argv = ["timeout", "--kill-after=5", str(timeout + 30), "qemu-system-aarch64",
            "-machine", MACHINE, "-cpu", "max", "-m", "2G", "-smp", "4", "-display", "none",
            "-monitor", "none", "-serial", "stdio", "-bios", require.UBOOT_QEMU_BIN,
            "-device", f"loader,file={load_file},addr={FIT_ADDR:#x},force-raw=on"]
    child = pexpect.spawn(argv[0], argv[1:], encoding="utf-8", codec_errors="replace",
                          timeout=60)
    with open(log_path, "w", encoding="utf-8") as log:
        child.logfile_read = log
        try:
            child.expect("Hit any key to stop autoboot")
            child.sendline("")
            for cmd in commands:
                child.expect("=> ")
                child.sendline(cmd)
            child.expect(list(until) + [pexpect.EOF, pexpect.TIMEOUT], timeout=timeout)
        finally:
            try:
                os.killpg(child.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            child.close(force=True)
    with open(log_path, encoding="utf-8", errors="replace") as f:
        return f.read()


def make_fit(humpy_bin, out_dir):
    """mkimage over hyp/tools/humpy.its with humpy_bin beside it (what make hyp-fit does)."""
    shutil.copyfile(humpy_bin, os.path.join(out_dir, "humpy.bin"))
    shutil.copyfile(ITS, os.path.join(out_dir, "humpy.its"))
    itb = os.path.join(out_dir, "humpy.itb")
    subprocess.run(["mkimage", "-f", os.path.join(out_dir, "humpy.its"), itb], check=True,
                   capture_output=True)
    return itb


def check_suite(console, real_tests):
    """Every listed test ran once, the profile is root, only humpy.yaml's SKIPs, END says 0 FAIL."""
    results = [TestResult(m["test_case_id"], Verdict(m["result"]), m["reason"] or "")
               for m in re.finditer(protocol.RESULT_PATTERN, console)]
    prof = re.search(protocol.PROFILE_PATTERN, console, re.M)
    assert prof is not None, console[-2000:]
    outcome = expect.check(expect.load(EXPECT_HUMPY), results, list(real_tests),
                           prof["profile"], prof["reason"], narrowed=False)
    assert outcome["ok"], outcome["problems"]
    assert sorted(r.id for r in results) == sorted(real_tests)
    end = re.search(protocol.END_PATTERN, console, re.M)
    assert end is not None and end["fail"] == "0" and end["error"] == "0", console[-2000:]
    assert int(end["pass"]) == sum(r.verdict == Verdict.PASS for r in results)


def test_fit_image_boots_with_bootm_and_passes_the_suite(uboot, images, real_tests, tmp_path):
    itb = make_fit(images["humpy"], str(tmp_path))
    console = run_uboot(str(tmp_path / "bootm.log"), itb,
                        [f"bootm {FIT_ADDR:#x}#conf-1 - ${{fdtcontroladdr}}"],
                        [END_LINE])
    assert "Verifying Hash Integrity ... sha256+ OK" in console, console[-3000:]
    # kernel_noload: bootm places it as booti would with the header's bit 3 ignored (start of
    # RAM, 0x40000000 on virt, + text_offset): U-Boot's choice, no address from the .its.
    text_offset = struct.unpack_from("<Q", open(images["humpy"], "rb").read(16), 8)[0]
    got = IMAGE_LINE.search(console)
    assert got is not None and int(got[1], 16) == 0x40000000 + text_offset, console[-3000:]
    check_suite(console, real_tests)


def test_fit_image_with_a_changed_byte_is_refused_by_uboot(uboot, images, tmp_path):
    itb = make_fit(images["humpy"], str(tmp_path))
    data = bytearray(open(itb, "rb").read())
    # One byte of the guest's image, inside the hashed kernel data, flipped after mkimage.
    at = data.index(PAYLOAD_MAGIC) + 4096
    data[at] ^= 0x01
    open(itb, "wb").write(data)
    console = run_uboot(str(tmp_path / "bad-hash.log"), itb,
                        [f"bootm {FIT_ADDR:#x}#conf-1 - ${{fdtcontroladdr}}", "echo bootm-done"],
                        [r"bootm-done\r*\n=> "], timeout=60)
    assert "sha256 error!" in console and "Bad hash value" in console, console[-3000:]
    assert "Starting kernel" not in console and "humpy:" not in console, console[-3000:]


def test_fit_image_with_a_malformed_payload_is_refused_by_humpy(uboot, images, tmp_path):
    # A payload whose second image (the VM's DT) is sent to 0x1000, outside any VM's RAM (virt's
    # flash), packed and hashed as a good one: U-Boot boots it, and humpy's own check refuses the
    # whole payload before the first image is copied (hyp/core/payload.c).
    bad = bytearray(open(images["humpy"], "rb").read())
    at = bad.index(PAYLOAD_MAGIC)
    assert struct.unpack_from("<I", bad, at + 8)[0] >= 2
    struct.pack_into("<Q", bad, at + 16 + 16 * 1, 0x1000)  # entry[1].dest
    humpy_bin = tmp_path / "bad-payload.bin"
    humpy_bin.write_bytes(bad)
    (tmp_path / "fit").mkdir()
    itb = make_fit(str(humpy_bin), str(tmp_path / "fit"))
    console = run_uboot(str(tmp_path / "bad-payload.log"), itb,
                        [f"bootm {FIT_ADDR:#x}#conf-1 - ${{fdtcontroladdr}}"],
                        [r"humpy: PANIC [^\r\n]*\r*\n"], timeout=120)
    assert "Verifying Hash Integrity ... sha256+ OK" in console, console[-3000:]
    assert "humpy: PANIC malformed payload behind the hypervisor image" in console, console[-3000:]
    assert "humpy: payload 0:" not in console and "[humpy] BEGIN" not in console


def test_booti_runs_humpy_bin_where_uboot_puts_it(uboot, images, tmp_path):
    # The Image header decides: with flags bit 3 set U-Boot runs it at the 2 MiB aligned base
    # at or above where it lies (here U-Boot's own kernel_addr_r), else at the start of RAM
    # rounded up to 2 MiB; plus text_offset either way (arch/arm/lib/image.c, booti_setup).
    head = open(images["humpy"], "rb").read(64)
    text_offset, _, flags = struct.unpack_from("<QQQ", head, 8)
    console = run_uboot(str(tmp_path / "booti.log"), images["humpy"],
                        ["printenv kernel_addr_r",
                         f"cp.b {FIT_ADDR:#x} ${{kernel_addr_r}} {os.path.getsize(images['humpy']):#x}",
                         "booti ${kernel_addr_r} - ${fdtcontroladdr}"],
                        [PROFILE_LINE])
    kernel_addr_r = int(re.search(r"kernel_addr_r=(0x[0-9a-f]+)", console)[1], 16)
    base = kernel_addr_r - text_offset if flags & 8 else 0x40000000  # virt's RAM starts there
    where = (base + 0x1FFFFF) // 0x200000 * 0x200000 + text_offset
    got = IMAGE_LINE.search(console)
    assert got is not None, console[-3000:]
    assert int(got[1], 16) == where, (got[1], hex(where), hex(flags))
    # The guest came up as the root VM; the LAVA job's booti run (test_local.py) compares the
    # whole suite with a harness run.
    assert re.search(protocol.PROFILE_PATTERN, console, re.M)["profile"] == "root", console[-2000:]

"""Machine choice (--machine) and the hypervisor's load address (--hyp-addr): the QEMU command line
each builds, and the one-line refusals (no QEMU needed)."""

import struct

import pytest

from humpy_harness import cli, qemu as qemu_mod
from humpy_harness.errors import UsageError
from humpy_harness.session import Config, Session


def image(path, size=8192):
    """A raw arm64 Image: branch, text_offset, image_size, flags, the magic at 0x38."""
    head = struct.pack("<IIQQQQQQ", 0x14000010, 0, 0, size, 0xA, 0, 0, 0) + b"ARM\x64" + bytes(4)
    path.write_bytes(head + bytes(size - len(head)))
    return str(path)


def test_virt_is_the_default_and_keeps_its_command_line():
    cmd = qemu_mod.qemu_command("q", "h.elf", "g.bin", "v.dtb")
    assert cmd[:3] == ["q", "-machine", "virt,virtualization=on,gic-version=3,highmem=off,mte=on"]
    assert cmd[cmd.index("-kernel") + 1] == "h.elf"
    assert "-dtb" not in cmd


def test_virt_gicv2_asks_qemu_for_gic_version_2():
    cmd = qemu_mod.qemu_command("q", "h.elf", "g.bin", "v.dtb", machine="virt-gicv2")
    assert cmd[1:3] == ["-machine", "virt,virtualization=on,gic-version=2,highmem=off"]


def test_zcu102_gets_its_board_dtb_and_a_quiet_display():
    cmd = qemu_mod.qemu_command("q", "h.elf", "g.bin", "v.dtb", machine="zcu102",
                                board_dtb="zcu102.dtb")
    assert cmd[1:3] == ["-machine", "xlnx-zcu102,virtualization=on"]
    assert cmd[cmd.index("-dtb") + 1] == "zcu102.dtb"
    assert cmd[cmd.index("-display") + 1] == "none"
    assert "none,id=n" in cmd


def test_a_load_address_puts_the_image_there_and_starts_cpu0_on_it():
    cmd = qemu_mod.qemu_command("q", "hyp.bin", "g.bin", "v.dtb", hyp_addr=0xB0000000)
    assert "-kernel" not in cmd
    i = cmd.index("loader,file=hyp.bin,addr=0xb0000000,force-raw=on")
    assert cmd[i - 1] == "-device"
    assert cmd[i + 1:i + 3] == ["-device", "loader,addr=0xb0000000,cpu-num=0"]


def test_unknown_machine_is_one_line():
    with pytest.raises(UsageError, match="unknown machine 'vexpress'"):
        qemu_mod.machine_args(machine="vexpress")


def test_zcu102_boots_hyp_bin_as_an_image_not_the_elf(tmp_path):
    elf = tmp_path / "hyp.elf"
    elf.write_bytes(b"\x7fELF\x02\x01\x01" + bytes(11) + (183).to_bytes(2, "little") + bytes(64))
    s = Session(Config(hyp=str(elf), guest=image(tmp_path / "g.bin"), qemu="true",
                       machine="zcu102", board_dtb=image(tmp_path / "b.dtb"),
                       reports=str(tmp_path)))
    with pytest.raises(UsageError, match=r"machine zcu102: boots the hypervisor as an arm64 "
                                         r"Image \(hyp.bin\)"):
        s.check()


def test_zcu102_refuses_a_load_address_no_dt_pointer_reaches_there(tmp_path):
    s = Session(Config(hyp=image(tmp_path / "hyp.bin"), guest=image(tmp_path / "g.bin"),
                       qemu="true", machine="zcu102", board_dtb=image(tmp_path / "b.dtb"),
                       hyp_addr=0x10000000, reports=str(tmp_path)))
    with pytest.raises(UsageError, match="--hyp-addr starts the image without a DT pointer"):
        s.check()


def test_zcu102_vm_tree_names_the_boards_gic_and_uart():
    edits = qemu_mod.get_machine("zcu102").vm_dt_edits
    assert ["-t", "x", "/intc@8000000", "reg", "0", "0xf9010000", "0", "0x10000", "0",
            "0xf9020000", "0", "0x20000"] in edits
    assert ["-t", "s", "/pl011@9000000", "compatible", "cdns,uart-r1p12"] in edits
    assert ["-t", "x", "/pl011@9000000", "reg", "0", "0xff000000", "0", "0x1000"] in edits
    assert ["-r", "/pl061@9030000"] in edits
    assert qemu_mod.get_machine("zcu102").vm_gic == 2
    assert qemu_mod.get_machine("virt").vm_dt_edits == []


def test_zcu102_anyway_still_needs_the_board_dtb(tmp_path):
    s = Session(Config(hyp=image(tmp_path / "hyp.bin"), guest=image(tmp_path / "g.bin"),
                       qemu="true", machine="zcu102", reports=str(tmp_path)))
    with pytest.raises(UsageError, match="QEMU makes no device tree for it; pass --board-dtb"):
        s.check()


def test_load_address_must_be_page_aligned_and_the_image_raw(tmp_path):
    elf = tmp_path / "hyp.elf"
    elf.write_bytes(b"\x7fELF\x02\x01\x01" + bytes(11) + (183).to_bytes(2, "little") + bytes(64))
    with pytest.raises(UsageError, match="page-aligned"):
        qemu_mod.check_hyp_addr(image(tmp_path / "hyp.bin"), 0xB0000800)
    with pytest.raises(UsageError, match="raw arm64 Image"):
        qemu_mod.check_hyp_addr(str(elf), 0xB0000000)
    qemu_mod.check_hyp_addr(image(tmp_path / "hyp.bin"), 0xB0000000)


def test_cli_takes_machine_and_hyp_addr():
    args = cli.build_parser().parse_args(["run", "--machine", "zcu102", "--board-dtb", "b.dtb",
                                          "--hyp-addr", "0x88000000", "--machine-anyway"])
    c = cli.config_from_args(args)
    assert (c.machine, c.board_dtb, c.hyp_addr, c.machine_anyway) == (
        "zcu102", "b.dtb", 0x88000000, True)
    with pytest.raises(UsageError):
        cli.build_parser().parse_args(["run", "--machine", "vexpress"])


def test_virt_gicv2_runs_and_its_vm_dt_names_a_gicv2(tmp_path):
    """humpy maps GICV where the VM's DT puts its GICC: the VM's tree must describe a GICv2 (the
    GICv3 one would send the guest to a redistributor that is not there)."""
    import subprocess
    m = qemu_mod.get_machine("virt-gicv2")
    assert (m.not_yet, m.vm_gic) == (None, 2)
    s = Session(Config(hyp=image(tmp_path / "hyp.bin"), guest=image(tmp_path / "g.bin"),
                       qemu="true", machine="virt-gicv2", reports=str(tmp_path)))
    s.check()
    for gic, compat in ((2, "arm,cortex-a15-gic"), (3, "arm,gic-v3")):
        out = qemu_mod.make_vm_dtb(str(tmp_path / f"vm{gic}.dtb"), "", "qemu-system-aarch64",
                                   gic=gic)
        got = subprocess.run(["fdtget", "-t", "s", out, "/intc@8000000", "compatible"],
                             capture_output=True, text=True, check=True).stdout.strip()
        assert got == compat

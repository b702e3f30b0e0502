"""The xilinx-zcu102 job deploys the image `make conformance MACHINE=zcu102` boots on QEMU's model
(issue 13: the LAVA ZCU102 job boots the same image the QEMU zcu102 run used). The harness's zcu102
machine packs hyp.bin, the guest and the VM tree it makes for that board into humpy.bin for every
boot and boots that with -kernel, as U-Boot's booti takes it; lava.mk makes the job's
humpy-zcu102.bin with the harness's own code and no bootargs. Here: a harness boot whose bootargs
are empty (the guest runs every test, as on the board) boots exactly those bytes."""

import os
import shutil

import yaml

from conftest import REPO
from humpy_lava import render
from humpy_harness import qemu as hq
from humpy_harness import session as hs

QEMU = os.environ.get("QEMU", "qemu-system-aarch64")


def hyp_bin():
    return os.environ.get("LAVA_HYP_BIN") or os.path.join(REPO, "build/hyp/hyp.bin")


def test_zcu102_job_deploys_the_zcu102_machine_image(images, tmp_path):
    assert render.load_boards()["xilinx-zcu102"]["harness_machine"] == "zcu102"
    assert hq.get_machine("zcu102").packed
    written = render.render_all(str(tmp_path), ["identify.flags"], images,
                                device_types=["xilinx-zcu102"])
    job = yaml.safe_load(open(written["xilinx-zcu102"]))
    deploy = next(a["deploy"] for a in job["actions"] if "deploy" in a)
    assert deploy["kernel"]["url"] == "file://" + images["humpy-zcu102"]
    assert deploy["kernel"]["sha256sum"] == render.sha256(images["humpy-zcu102"])
    assert os.path.basename(images["humpy-zcu102"]) == "humpy-zcu102.bin"


def test_harness_zcu102_boot_is_the_jobs_image(images, tmp_path, monkeypatch):
    booted = {}

    def fake_run_console(cmd, log, parser, limits, **kw):
        kernel = cmd[cmd.index("-kernel") + 1]
        booted["cmd"] = cmd
        booted["bootargs"] = kw.get("bootargs")
        shutil.copyfile(kernel, tmp_path / "booted.bin")  # the session deletes its copy after
        return "ran"

    monkeypatch.setattr(hs, "run_console", fake_run_console)
    board_dtb = tmp_path / "board.dtb"
    board_dtb.write_bytes(b"\xd0\x0d\xfe\xed")
    cfg = hs.Config(hyp=hyp_bin(), guest=images["guest"], qemu=QEMU, machine="zcu102",
                    board_dtb=str(board_dtb), reports=str(tmp_path / "reports"), cover=False)
    s = hs.Session(cfg)
    s.qemu_path = shutil.which(QEMU)
    s.logs.mkdir(parents=True)
    assert s.boot("run", "run") == "ran"
    cmd = booted["cmd"]
    assert booted["bootargs"] == ""
    # The packed image alone: QEMU's loader places no guest or VM tree beside it.
    assert not any(a.startswith("loader,") for a in cmd), cmd
    assert cmd[cmd.index("-dtb") + 1] == str(board_dtb)
    assert hq.image_kind(str(tmp_path / "booted.bin")) == "packed"
    assert (tmp_path / "booted.bin").read_bytes() == open(images["humpy-zcu102"], "rb").read()
    assert not list(s.logs.glob("*.humpy.bin"))


def test_zcu102_image_carries_the_boards_vm_tree(images):
    data = open(images["humpy-zcu102"], "rb").read()
    hyp = open(hyp_bin(), "rb").read()
    # hyp.bin first, its header's image_size (offset 16) grown over the payload.
    assert data[:16] == hyp[:16] and data[24:len(hyp)] == hyp[24:]
    # The VM's tree, packed last (hyp.mk's order): made for the board, its UART the ZCU102's
    # Cadence UART, no virt PL011 left, no bootargs.
    at = data.rfind(b"\xd0\x0d\xfe\xed")
    assert at > len(hyp)
    tree = data[at:at + int.from_bytes(data[at + 4:at + 8], "big")]
    assert b"cdns,uart-r1p12" in tree and b"arm,pl011" not in tree
    assert b"humpy." not in tree

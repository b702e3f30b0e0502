"""The job templates: what every device type renders to, checked value by value and against LAVA's
job schema (strict). Uses stand-in image files: no boot needed."""

import re

import pytest
import yaml

from humpy_lava import LavaError, render
from humpy_harness import protocol
from humpy_harness import qemu as harness_qemu

TESTS = ["msgq.send_receive", "msgq.full", "doorbell.send", "identify.flags"]
BOARDS = render.load_boards()
LAB_TYPES = ["bcm2711-rpi-4-b", "juno-uboot", "imx8mm-evk", "rk3399-rock-pi-4b", "xilinx-zcu102"]


@pytest.fixture(scope="module")
def images(tmp_path_factory):
    d = tmp_path_factory.mktemp("img")
    out = {}
    for name, data in (("hyp", b"\x7fELF hyp"), ("guest", b"guest"), ("vmdtb", b"\xd0\x0d\xfe\xed"),
                       ("humpy", b"packed image"), ("humpy-zcu102", b"packed zcu102 image")):
        p = d / (name + ".bin")
        p.write_bytes(data)
        out[name] = str(p)
    return out


@pytest.fixture(scope="module")
def jobs(images, tmp_path_factory):
    out = tmp_path_factory.mktemp("jobs")
    written = render.render_all(str(out), TESTS, images)
    return {d: yaml.safe_load(open(p)) for d, p in written.items()}


def action(job, kind):
    return next(a[kind] for a in job["actions"] if kind in a)


def test_every_device_type_is_rendered(jobs):
    assert sorted(jobs) == sorted(["qemu", "qemu-uboot"] + LAB_TYPES)
    for device_type, job in jobs.items():
        assert job["device_type"] == device_type
        assert job["job_name"] == f"humpy conformance on {device_type} (4 tests)"
        assert job["metadata"]["humpy.tests"] == 4
        assert job["metadata"]["humpy.areas"] == "msgq doorbell identify"


def test_every_job_passes_lava_schema_strict(jobs, schema):
    from lava_common.schemas import validate
    for job in jobs.values():
        validate(job, strict=True)


def test_schema_check_rejects_a_broken_job(jobs, schema, tmp_path):
    from humpy_lava import validate
    bad = dict(jobs["qemu"], timeoutz={"job": {"minutes": 1}})
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(bad))
    with pytest.raises(LavaError, match=r"extra keys not allowed @ data\['timeoutz'\]"):
        validate.schema(str(path))


def test_monitor_is_the_harness_protocol(jobs):
    for job in jobs.values():
        (mon,) = action(job, "test")["monitors"]
        assert mon["pattern"] == protocol.RESULT_PATTERN
        assert mon["fixupdict"] == {"PASS": "pass", "FAIL": "fail", "SKIP": "skip",
                                    "ERROR": "unknown"}
        assert mon["name"] == "humpy"
        assert re.fullmatch(mon["start"], protocol.LAVA_START)
        assert mon["end"] == re.escape(protocol.LAVA_END) + r"[^\n]*\n"


def test_monitor_strings_match_real_lines_as_pexpect_reads_them(jobs):
    # LAVA gives start/end to pexpect, which compiles them: the escaped form must find the lines,
    # and the raw protocol string would not (a character class), which is why it is escaped.
    (mon,) = action(jobs["qemu"], "test")["monitors"]
    begin = "noise [humpy] BEGIN profile=hlos tests=4\r\n"
    end = "[humpy] END pass=1 fail=1 skip=1 error=1\r\n"
    assert re.compile(mon["start"]).search(begin).group(0) == "[humpy] BEGIN"
    assert re.compile(mon["end"]).search(end).group(0) == end
    # Not before the whole END line is in: LAVA logs a console line only once its newline came.
    assert re.compile(mon["end"]).search(end[:-2]) is None
    assert re.compile(protocol.LAVA_START).search(begin) is None
    assert re.compile(mon["start"]).search("[humpy] RESULT a.b PASS") is None


@pytest.mark.parametrize("line,test_id,result", [
    ("[humpy] RESULT msgq.send_receive PASS", "msgq.send_receive", "PASS"),
    ("[humpy] RESULT msgq.full FAIL x0: expected 0x1 got 0x2", "msgq.full", "FAIL"),
    ("[humpy] RESULT identify.flags SKIP identify flags0 bit 2 (msgqueue) clear", "identify.flags",
     "SKIP"),
    ("[humpy] RESULT doorbell.send ERROR per-test limit", "doorbell.send", "ERROR"),
])
def test_result_pattern_extracts_what_lava_records(jobs, line, test_id, result):
    (mon,) = action(jobs["qemu"], "test")["monitors"]
    m = re.compile(mon["pattern"]).search(line + "\r\n")
    assert (m["test_case_id"], m["result"]) == (test_id, result)
    assert mon["fixupdict"][m["result"]] in ("pass", "fail", "skip", "unknown")


def test_qemu_job_boots_the_harness_machine(jobs, images):
    job = jobs["qemu"]
    args = harness_qemu.MACHINE_ARGS
    assert job["context"] == {"arch": "arm64", "cpu": args[args.index("-cpu") + 1],
                              "machine": args[args.index("-machine") + 1], "memory": 2048,
                              "netdevice": "user", "extra_options": ["-smp 4"]}
    assert job["context"]["machine"] == "virt,virtualization=on,gic-version=3,highmem=off,mte=on"
    deploy = action(job, "deploy")
    assert deploy["to"] == "tmpfs"
    imgs = deploy["images"]
    assert imgs["hyp"]["image_arg"] == "-kernel {hyp}"
    assert imgs["vmdtb"]["image_arg"] == "-device loader,file={vmdtb},addr=0x40f00000,force-raw=on"
    assert imgs["guest"]["image_arg"] == "-device loader,file={guest},addr=0x41000000,force-raw=on"
    for name in ("hyp", "vmdtb", "guest"):
        assert imgs[name]["url"] == "file://" + images[name]
        assert imgs[name]["sha256sum"] == render.sha256(images[name])
    assert action(job, "boot") == {"method": "qemu", "media": "tmpfs", "timeout": {"minutes": 1}}


@pytest.mark.parametrize("device_type", ["qemu-uboot"] + LAB_TYPES)
def test_board_jobs_tftp_and_booti_the_packed_image(jobs, images, device_type):
    job = jobs[device_type]
    deploy = action(job, "deploy")
    assert deploy["to"] == "tftp"
    # The ZCU102 job deploys the image the harness's zcu102 machine boots (test_zcu102_image.py
    # checks those are the same bytes); the other boards humpy.bin.
    image = images["humpy-zcu102" if device_type == "xilinx-zcu102" else "humpy"]
    assert deploy["kernel"] == {"url": "file://" + image, "type": "image",
                                "sha256sum": render.sha256(image)}
    assert "dtb" not in deploy
    tftp = "tftpboot" if device_type == "xilinx-zcu102" else "tftp"
    net = (["setenv ethact smc911x-0"] if device_type == "juno-uboot" else []) + ["dhcp"]
    boot = action(job, "boot")
    assert boot["method"] == "u-boot"
    assert boot["commands"] == (["setenv autoload no"] + net + [
        "setenv serverip {SERVER_IP}", f"{tftp} {{KERNEL_ADDR}} {{KERNEL}}",
        "booti {KERNEL_ADDR} - ${fdtcontroladdr}"])


def test_board_dtb_is_deployed_and_passed_when_given(images, tmp_path):
    dtb = tmp_path / "board.dtb"
    dtb.write_bytes(b"\xd0\x0d\xfe\xed board")
    written = render.render_all(str(tmp_path / "jobs"), TESTS, images,
                                device_types=["bcm2711-rpi-4-b"], board_dtb=str(dtb))
    job = yaml.safe_load(open(written["bcm2711-rpi-4-b"]))
    assert action(job, "deploy")["dtb"] == {"url": "file://" + str(dtb),
                                            "sha256sum": render.sha256(str(dtb))}
    assert action(job, "boot")["commands"][-2:] == ["tftp {DTB_ADDR} {DTB}",
                                                   "booti {KERNEL_ADDR} - {DTB_ADDR}"]


def test_lab_urls_come_from_the_base_url(images, tmp_path):
    written = render.render_all(str(tmp_path), TESTS, images, base_url="https://lab.example/h/",
                                device_types=["qemu", "juno-uboot"])
    qemu = yaml.safe_load(open(written["qemu"]))
    assert action(qemu, "deploy")["images"]["guest"]["url"] == "https://lab.example/h/guest.bin"
    juno = yaml.safe_load(open(written["juno-uboot"]))
    assert action(juno, "deploy")["kernel"]["url"] == "https://lab.example/h/humpy.bin"


def test_test_timeout_grows_with_the_test_list(images, tmp_path):
    many = [f"area.t{i}" for i in range(300)]
    written = render.render_all(str(tmp_path), many, images, device_types=["qemu"])
    job = yaml.safe_load(open(written["qemu"]))
    assert action(job, "test")["timeout"] == {"minutes": 12}  # 300 x 2 s = 10 min, + 2
    assert job["timeouts"]["job"] == {"minutes": 2 + 1 + 12 + 3}
    assert (tmp_path / "tests.txt").read_text() == "".join(t + "\n" for t in many)


def test_test_lists_lava_cannot_report_are_refused():
    with pytest.raises(LavaError, match="same LAVA case name a_b_c"):
        render.check_tests(["a.b_c", "a_b.c"])
    with pytest.raises(LavaError, match="does not match the protocol"):
        render.check_tests(["Msgq.Send"])
    with pytest.raises(LavaError, match="empty"):
        render.check_tests([])


def test_missing_image_is_one_line(images, tmp_path):
    with pytest.raises(LavaError, match=r"missing image .*nope.bin \(run `make` first\)"):
        render.render_all(str(tmp_path), TESTS, dict(images, humpy=str(tmp_path / "nope.bin")),
                          device_types=["juno-uboot"])

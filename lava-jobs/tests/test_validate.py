"""Every job `make lava-jobs` renders (the real images, the real test list) passes LAVA's schema,
matches the board facts of lava-server's device-type templates, and passes lava-run --validate
against the device config rendered from them; and each of those checks can fail."""

import pytest
import yaml

from humpy_lava import LavaError, devicecfg, render, validate

BOARDS = render.load_boards()


@pytest.fixture(scope="module")
def rendered(images, real_tests, tmp_path_factory):
    out = tmp_path_factory.mktemp("jobs")
    return str(out), render.render_all(str(out), real_tests, images)


@pytest.mark.parametrize("device_type", list(BOARDS))
def test_rendered_job_validates(lava_run, server_dir, rendered, real_tests, device_type):
    out, written = rendered
    job = yaml.safe_load(open(written[device_type]))
    assert job["metadata"]["humpy.tests"] == len(real_tests)
    device = validate.job(device_type, BOARDS[device_type], written[device_type], server_dir, out)
    config = yaml.safe_load(open(device))
    if device_type == "qemu":
        opts = config["actions"]["boot"]["methods"]["qemu"]["parameters"]["options"]
        assert "-cpu max" in opts and "-m 2048" in opts
        assert "-machine virt,virtualization=on,gic-version=3,highmem=off,mte=on" in opts
    else:
        kernel, dtb, prompt = devicecfg.board_facts(config)
        assert (kernel, dtb, prompt) == (BOARDS[device_type]["kernel_addr"],
                                         BOARDS[device_type]["dtb_addr"],
                                         BOARDS[device_type]["prompt"])


def test_wrong_board_fact_is_caught(lava_run, server_dir, rendered):
    out, written = rendered
    board = dict(BOARDS["rk3399-rock-pi-4b"], kernel_addr="0x80000")
    with pytest.raises(LavaError, match=r"rk3399-rock-pi-4b: lava-server's rk3399-rock-pi-4b.jinja2 "
                                        r"gives kernel/dtb/prompt \('0x2800000', '0x8300000', '=>'\)"):
        validate.job("rk3399-rock-pi-4b", board, written["rk3399-rock-pi-4b"], server_dir, out,
                     run_lava=False)


def test_lava_run_validate_catches_a_job_device_mismatch(lava_run, server_dir, rendered,
                                                         tmp_path):
    # A qemu job on a device whose dictionary lacks the tmpfs/qemu methods: the schema cannot see
    # it, lava-run --validate must.
    out, written = rendered
    job = yaml.safe_load(open(written["qemu"]))
    job["device_type"] = "qemu-uboot"
    bad = tmp_path / "qemu-on-uboot.yaml"
    bad.write_text(yaml.safe_dump(job))
    validate.schema(str(bad))
    with pytest.raises(LavaError, match="lava-run --validate: "):
        validate.job("qemu-uboot", BOARDS["qemu-uboot"], str(bad), server_dir, str(tmp_path))

"""Validates rendered jobs three ways: LAVA's job schema (strict, as lava-server applies it), the
board facts our templates rely on against the device config lava-server's templates give, and
`lava-run --validate` of the job against that device config (which catches job/device mismatches)."""

import os

import yaml

from . import LavaError, devicecfg, dispatch, require


def schema(job_path):
    """lava_common.schemas.validate in strict mode: what `lavacli jobs validate` runs on a server."""
    require.lava_common()
    from lava_common.schemas import validate as lava_validate
    from voluptuous import Invalid

    with open(job_path, encoding="utf-8") as f:
        job = yaml.safe_load(f)
    try:
        lava_validate(job, strict=True)
    except Invalid as e:
        raise LavaError(f"{job_path}: LAVA schema: {e}") from e
    return job


def board_facts(device_type, board, device_path):
    """The addresses and prompt boards.yaml records must be what the device type really uses."""
    if "kernel_addr" not in board:
        return
    with open(device_path, encoding="utf-8") as f:
        config = yaml.safe_load(f)
    got = devicecfg.board_facts(config)
    want = (board["kernel_addr"], board["dtb_addr"], board["prompt"])
    if tuple(got) != want:
        raise LavaError(f"{device_type}: lava-server's {board['lava_template']} gives kernel/dtb/prompt "
                        f"{got}, boards.yaml says {want}")


def with_lava_run(job_path, device_path, out_dir, tag):
    status, log, _ = dispatch.run(job_path, device_path, out_dir, tag, validate=True, timeout=120)
    if status != 0:
        msgs = dispatch.errors(dispatch.read_log(log)) or [f"exit status {status}"]
        raise LavaError(f"{job_path}: lava-run --validate: {msgs[-1]} (log {log})")


def job(device_type, board, job_path, server_dir, out_dir, run_lava=True):
    """All three checks for one rendered job; returns the device config path it was checked with."""
    parsed = schema(job_path)
    if parsed.get("device_type") != device_type:
        raise LavaError(f"{job_path}: device_type is {parsed.get('device_type')}, not {device_type}")
    device_path = os.path.join(out_dir, "devices", device_type + ".yaml")
    devicecfg.render_for_job(server_dir, board["dictionary"], job_path, device_path)
    board_facts(device_type, board, device_path)
    if run_lava:
        if device_type != "qemu":
            require.tftp_deploy()
        with_lava_run(job_path, device_path, os.path.join(out_dir, "validate"), device_type)
    return device_path

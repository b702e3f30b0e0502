"""Renders device dictionaries into the device configs lava-run takes, the way lava-server does.

lava-server renders devices/<hostname>.jinja2 (which extends a device-type template) in a sandboxed
jinja2 environment with the job's `context:` as variables; without a server we do that step here,
with the device-type templates from the lava-server package (unpacked, never installed)."""

import os

import jinja2
import yaml
from jinja2.sandbox import SandboxedEnvironment

from . import LavaError, paths

# Unpacked by lava-jobs/lava.mk: dpkg -x lava-server_*.deb $(LAVA_SERVER_DIR)
DEVICE_TYPES_SUBDIR = os.path.join("usr", "share", "lava-server", "device-types")


def device_types_dir(server_dir):
    d = os.path.join(server_dir, DEVICE_TYPES_SUBDIR)
    if not os.path.isfile(os.path.join(d, "base-uboot.jinja2")):
        raise LavaError(f"no lava-server device-type templates in {d} (run `make lava-server-pkg`)")
    return d


def board_script():
    return os.path.join(paths.TOOLS, "qemu-board.sh")


def render_device(server_dir, dictionary, job_context=None, local=None, devices=paths.DEVICES):
    """The device config (text) for one dictionary, rendered with a job's context.

    local: variables our own dictionaries take (humpy_board_name, humpy_tftp); lava-server would
    pass only the job's context."""
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader([devices, device_types_dir(server_dir)]),
        autoescape=False, trim_blocks=True)
    variables = {"humpy_board": board_script(), "humpy_lab": os.path.join(paths.TOOLS, "no-lab.sh")}
    variables.update(local or {})
    variables.update(job_context or {})
    try:
        text = env.get_template(dictionary + ".jinja2").render(**variables)
    except jinja2.TemplateError as e:
        raise LavaError(f"device dictionary {dictionary}: {e}") from e
    try:
        yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise LavaError(f"device dictionary {dictionary} rendered invalid YAML: {e}") from e
    return text


def render_for_job(server_dir, dictionary, job_path, out_path, local=None):
    with open(job_path, encoding="utf-8") as f:
        job = yaml.safe_load(f)
    text = render_device(server_dir, dictionary, job.get("context") or {}, local)
    os.makedirs(os.path.dirname(out_path) or ".", exist_ok=True)
    with open(out_path, "w", encoding="utf-8") as f:
        f.write(text)
    return out_path


def board_facts(device_config):
    """(kernel address, dtb address, bootloader prompt) a rendered U-Boot device config boots with."""
    booti = (device_config.get("parameters") or {}).get("booti") or {}
    uboot = (((device_config.get("actions") or {}).get("boot") or {}).get("methods") or {}).get(
        "u-boot") or {}
    prompt = (uboot.get("parameters") or {}).get("bootloader_prompt")
    return booti.get("kernel"), booti.get("dtb"), prompt

"""Without the LAVA packages every step says, in one line, which Debian package to install; the
lab steps say what is missing about the identity or the server."""

import os
import subprocess
import sys

import pytest

from conftest import LAVA_DIR
from humpy_lava import LavaError, require, submit

CLI = [sys.executable, "-m", "humpy_lava"]


def cli(args, env_extra=None, path=None):
    env = dict(os.environ, PYTHONPATH=os.path.join(LAVA_DIR, "tools"))
    if path is not None:
        env["PATH"] = path
    env.update(env_extra or {})
    return subprocess.run(CLI + args, capture_output=True, text=True, env=env, timeout=60)


@pytest.mark.parametrize("check,package", [
    (require.lava_run, "lava-dispatcher"), (require.lavacli, "lavacli"),
    (require.emulated_board, "socat"), (require.tftp_deploy, "tftpd-hpa"),
])
def test_missing_tool_names_its_package(monkeypatch, check, package):
    monkeypatch.setattr(require.shutil, "which", lambda _: None)
    monkeypatch.setattr(require.os.path, "isfile",
                        lambda p: p == require.UBOOT_QEMU_BIN or p == require.TFTPD_DEFAULTS)
    with pytest.raises(LavaError) as e:
        check()
    assert f"install the Debian package {package}" in str(e.value)
    assert "\n" not in str(e.value)


def test_missing_lava_common_names_its_package(monkeypatch):
    monkeypatch.setitem(sys.modules, "lava_common", None)
    monkeypatch.setitem(sys.modules, "lava_common.schemas", None)
    with pytest.raises(LavaError, match="python module lava_common not found: install the Debian "
                                        "package lava-common"):
        require.lava_common()


def test_cli_without_lava_run_is_one_line(tmp_path):
    # PATH without lava-run: the local runner stops before doing anything, with one line.
    jobs = tmp_path / "jobs"
    jobs.mkdir()
    (jobs / "tests.txt").write_text("demo.alpha\n")
    (jobs / "qemu.yaml").write_text("device_type: qemu\n")
    r = cli(["local", "--jobs", str(jobs), "--server", str(tmp_path), "--out", str(tmp_path / "o"),
             "--hyp", "h", "--guest", "g", "--device-type", "qemu", "--no-compare"],
            path=str(tmp_path))
    assert r.returncode == 2
    assert r.stderr == ("lava local: lava-run not found: install the Debian package lava-dispatcher "
                        "(`make setup` installs everything in scripts/debian-packages.txt)\n")


def test_submit_without_identity():
    with pytest.raises(LavaError, match=r"^no LAVA identity: set LAVA_IDENTITY=NAME, after "
                                        r"`lavacli identities add"):
        submit.check_server("")


def test_submit_with_unknown_identity(lavacli, tmp_path):
    r = cli(["submit", "--check-only", "--identity", "nosuch"], {"HOME": str(tmp_path)})
    assert (r.returncode, r.stderr) == (2, "lava submit: lavacli system version: "
                                           "Unknown identity 'nosuch'\n")


def test_submit_with_unreachable_server(lavacli, tmp_path):
    env = {"HOME": str(tmp_path)}
    subprocess.run(["lavacli", "identities", "add", "--uri", "http://127.0.0.1:9/RPC2",
                    "--username", "u", "--token", "t", "deadlab"], check=True, timeout=30,
                   env=dict(os.environ, **env), capture_output=True)
    r = cli(["submit", "--check-only", "--identity", "deadlab"], env)
    assert r.returncode == 2
    assert r.stderr.startswith("lava submit: lavacli system version: Unable to connect: ")
    assert r.stderr.count("\n") == 1


def test_submit_refuses_file_urls(tmp_path):
    job = tmp_path / "qemu.yaml"
    job.write_text("url: 'file:///x/hyp.elf'\n")
    with pytest.raises(LavaError, match="file:// images a lab cannot fetch: render with "
                                        "LAVA_ARTEFACT_URL="):
        submit.check_job(str(job))

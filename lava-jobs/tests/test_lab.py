"""`make lava-submit` against a lab: a fake LAVA server (tests/fake_lab.py) whose worker is LAVA's
own lava-run, and which downloads the images over HTTP from where LAVA_UPLOAD put them."""

import json
import os
import re
import subprocess

import pytest

from conftest import EXPECT_HUMPY, REPO
from fake_lab import FakeLab
from humpy_lava import local


@pytest.fixture
def lab(lava_run, lavacli, server_dir, tmp_path):
    www = tmp_path / "www"
    www.mkdir()
    (tmp_path / "work").mkdir()
    fake = FakeLab(str(www), server_dir, str(tmp_path / "work"))
    home = tmp_path / "home"
    home.mkdir()
    subprocess.run(["lavacli", "identities", "add", "--uri", fake.rpc_uri, "--username", "u",
                    "--token", "t", "fakelab"], check=True, capture_output=True, timeout=30,
                   env=dict(os.environ, HOME=str(home)))
    yield fake, www, home
    fake.close()


def make(target, home, *args):
    build = os.environ.get("LAVA_TEST_BUILD", "build")
    env = dict(os.environ, HOME=str(home))
    env.pop("MAKEFLAGS", None)
    return subprocess.run(["make", "--no-print-directory", target, f"BUILD={build}"] + list(args),
                          cwd=REPO, capture_output=True, text=True, timeout=900, env=env)


def test_make_lava_submit_runs_jobs_on_the_lab(lab, images, real_tests, tmp_path):
    fake, www, home = lab
    reports = tmp_path / "reports"
    r = make("lava-submit", home, "LAVA_IDENTITY=fakelab", f"LAVA_ARTEFACT_URL={fake.files_url}/",
             "LAVA_DEVICE_TYPE=qemu qemu-uboot", f"LAVA_UPLOAD=cp -t {www}", "LAVA_POLL_S=1",
             f"REPORTS={reports}", f"LAVA_HYP_ELF={images['hyp']}",
             f"LAVA_GUEST_BIN={images['guest']}", f"LAVA_HUMPY_BIN={images['humpy']}",
             f"LAVA_VM_DTB={images['vmdtb']}")
    # The guest's verdicts decide the exit status, as for `make conformance`.
    harness = local.harness_run(images["hyp"], images["guest"], str(tmp_path / "h"),
                                len(real_tests), EXPECT_HUMPY)  # lava.mk's default LAVA_EXPECT
    assert r.returncode == (0 if harness.ok else 2), r.stdout + r.stderr
    assert "lava-submit: reports in " in r.stdout
    # The lab got the jobs with its own download URLs, and the images LAVA_UPLOAD put there.
    assert sorted(os.listdir(www)) == sorted(os.path.basename(p) for p in images.values())
    assert [j["device_type"] for j in fake.submitted] == ["qemu", "qemu-uboot"]
    deploy = fake.submitted[0]["actions"][0]["deploy"]
    assert deploy["images"]["hyp"]["url"] == f"{fake.files_url}/hyp.elf"
    urls = re.findall(r"lava-submit: (\S+): job (\d+): (\S+)", r.stdout)
    assert urls[:2] == [("qemu", "100", fake.rpc_uri.replace("/RPC2", "") + "/scheduler/job/100"),
                        ("qemu-uboot", "101",
                         fake.rpc_uri.replace("/RPC2", "") + "/scheduler/job/101")]
    for device_type, job_id in (("qemu", 100), ("qemu-uboot", 101)):
        data = json.load(open(reports / "lava" / "lab" / f"{device_type}-{job_id}.json"))
        got = {t["id"]: t["verdict"] for t in data["tests"]}
        want = {t.id: t.verdict.value for t in harness.results if not t.id.startswith("harness.")}
        assert got == want
        assert data["info"]["lava_job"]["result"] == "pass"


def test_make_lava_submit_without_identity_is_one_line(tmp_path):
    r = make("lava-submit", tmp_path, "LAVA_IDENTITY=")
    assert r.returncode != 0
    assert r.stderr.splitlines()[0] == (
        "lava submit: no LAVA identity: set LAVA_IDENTITY=NAME, after `lavacli identities add "
        "--uri https://LAB/RPC2 --username USER --token TOKEN NAME`")


def test_make_lava_submit_without_artefact_url_is_one_line(lab):
    fake, www, home = lab
    r = make("lava-submit", home, "LAVA_IDENTITY=fakelab", "LAVA_ARTEFACT_URL=")
    assert r.returncode != 0
    assert r.stdout.splitlines() == ["lava-submit: fakelab: LAVA 2023.01"]
    assert r.stderr.splitlines()[0].startswith("lava-submit: set LAVA_ARTEFACT_URL=https://HOST/DIR,")
    assert fake.submitted == []

"""Shared fixtures of the LAVA tests: the tools on sys.path, the images, the lava-server templates,
and the guest's real test list (one list boot per session, through the harness)."""

import os
import shutil
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
LAVA_DIR = os.path.dirname(HERE)
REPO = os.path.dirname(LAVA_DIR)
sys.path.insert(0, os.path.join(LAVA_DIR, "tools"))

from humpy_lava import LavaError, require, testlist  # noqa: E402

DATA = os.path.join(HERE, "data")
# humpy's expected results (what make conformance and lava.mk's LAVA_EXPECT default to).
EXPECT_HUMPY = os.path.join(REPO, "conformance", "expect", "humpy.yaml")


def _path(var, default):
    return os.environ.get(var) or os.path.join(REPO, default)


def _need(fn, *args):
    """A missing package or file fails the test with the one line that says what to install."""
    try:
        return fn(*args)
    except LavaError as e:
        pytest.fail(str(e), pytrace=False)


@pytest.fixture(scope="session")
def server_dir():
    d = _path("LAVA_SERVER_DIR", "build/lava/lava-server")
    if not os.path.isdir(os.path.join(d, "usr/share/lava-server/device-types")):
        pytest.fail(f"no lava-server templates in {d}: run `make lava-server-pkg`", pytrace=False)
    return d


@pytest.fixture(scope="session")
def images(tmp_path_factory):
    """Copies of the built images: the build tree may change while the session runs."""
    paths = {"hyp": _path("LAVA_HYP_ELF", "build/hyp/hyp.elf"),
             "guest": _path("LAVA_GUEST_BIN", "build/conformance/guest.bin"),
             "vmdtb": _path("LAVA_VM_DTB", "build/lava/vm.dtb"),
             "humpy": _path("LAVA_HUMPY_BIN", "build/hyp/humpy.bin"),
             "humpy-zcu102": _path("LAVA_HUMPY_ZCU102", "build/hyp/humpy-zcu102.bin")}
    missing = [p for p in paths.values() if not os.path.isfile(p)]
    if missing:
        pytest.fail(f"missing image(s) {' '.join(missing)}: run `make` (and make {paths['vmdtb']})",
                    pytrace=False)
    snap = tmp_path_factory.mktemp("images")
    copies = {}
    for name, path in paths.items():
        copies[name] = str(snap / os.path.basename(path))
        shutil.copyfile(path, copies[name])
    return copies


@pytest.fixture(scope="session")
def lava_run():
    _need(require.lava_common)
    _need(require.lava_run)
    _need(require.tftp_deploy)


@pytest.fixture(scope="session")
def lavacli():
    _need(require.lavacli)


@pytest.fixture(scope="session")
def schema():
    _need(require.lava_common)


@pytest.fixture(scope="session")
def real_tests(images, tmp_path_factory):
    """The guest's test list from a list-mode boot of the real images (the harness's library)."""
    reports = str(tmp_path_factory.mktemp("list-boot"))
    return _need(testlist.from_boot, images["hyp"], images["guest"], reports)

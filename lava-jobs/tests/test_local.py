"""The real thing: the qemu job (and the emulated U-Boot board job) run under LAVA's own dispatcher
and read, test for test, what a harness run of the same images reads."""

import pytest

from humpy_lava import local, render

LOCAL_TIMEOUT = 900


@pytest.fixture(scope="module")
def jobs(images, real_tests, tmp_path_factory):
    out = tmp_path_factory.mktemp("jobs")
    render.render_all(str(out), real_tests, images, device_types=list(local.LOCAL_TYPES))
    return str(out)


@pytest.fixture(scope="module")
def harness(images, real_tests, tmp_path_factory):
    return local.harness_run(images["hyp"], images["guest"],
                             str(tmp_path_factory.mktemp("harness")), len(real_tests))


def run(device_type, jobs, server_dir, tmp_path, real_tests):
    report, status = local.run_job(device_type, f"{jobs}/{device_type}.yaml", server_dir,
                                   str(tmp_path), real_tests, timeout=LOCAL_TIMEOUT)
    assert status == 0, f"lava-run failed: {report.error} (log {report.info['lava_log']})"
    assert report.info["lava_job"]["result"] == "pass"
    return report


def check_same(report, harness, real_tests):
    from humpy_lava import results
    assert results.compare(report, harness) == []
    guest = [r.id for r in report.results if not r.id.startswith(("harness.", "lava."))]
    assert guest == [r.id for r in harness.results if not r.id.startswith("harness.")]
    assert sorted(guest) == sorted(real_tests)
    assert report.info["lava_cases"] == len(real_tests)


def test_qemu_job_under_lava_run_matches_the_harness(lava_run, server_dir, jobs, harness,
                                                     real_tests, tmp_path):
    check_same(run("qemu", jobs, server_dir, tmp_path, real_tests), harness, real_tests)


def test_emulated_uboot_board_job_matches_the_harness(lava_run, server_dir, jobs, harness,
                                                      real_tests, tmp_path):
    check_same(run("qemu-uboot", jobs, server_dir, tmp_path, real_tests), harness, real_tests)

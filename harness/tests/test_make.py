"""The harness's make rules (issue 15): make clean prunes the console logs, EXPECT's default gives
way to a --preset."""

import subprocess

from conftest import REPO


def make_n(*args):
    proc = subprocess.run(["make", "-n", "--no-print-directory", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_clean_removes_the_logs_and_keeps_readme_and_templates(tmp_path):
    reports = tmp_path / "r"
    (reports / "logs").mkdir(parents=True)
    (reports / "templates").mkdir()
    (reports / "README.md").write_text("x")
    (reports / ".conformance.lock").write_text("1\n")
    (rm,) = [line for line in make_n("clean", f"BUILD={tmp_path}/b", f"REPORTS={reports}")
             .splitlines() if line.startswith("rm -rf")]
    removed = rm.split()[2:]
    assert f"{reports}/logs" in removed and f"{reports}/.conformance.lock" in removed
    assert not any(p in removed for p in (str(reports), f"{reports}/README.md",
                                          f"{reports}/templates"))


def test_expect_default_gives_way_to_a_preset():
    assert "--expect conformance/expect/humpy.yaml" in make_n("conformance-run")
    out = make_n("conformance-run", "CONFORMANCE_ARGS=--preset gunyah-upstream")
    assert "--expect" not in out and "--preset gunyah-upstream" in out
    out = make_n("conformance-run", "CONFORMANCE_ARGS=--preset gunyah-upstream",
                 "EXPECT=conformance/expect/humpy.yaml")
    assert "--expect conformance/expect/humpy.yaml" in out

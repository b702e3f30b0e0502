"""Expectations files (expect.py): every way a run can miss its file, on hand-made results and on the
two checked-in files (conformance/expect/)."""

import json
import xml.etree.ElementTree as ET

import pytest

from conftest import REPO
from humpy_harness import expect, reports
from humpy_harness.errors import UsageError
from humpy_harness.model import EXPECT_ID, Outcome, Report, RunResult, TestResult, Verdict
from humpy_harness.parser import parse_text

CHECKED_IN_HUMPY = str(REPO / "conformance" / "expect" / "humpy.yaml")
CHECKED_IN_UPSTREAM = str(REPO / "conformance" / "expect" / "gunyah-upstream.yaml")
NO_CAPS = "no root caps (/chosen humpy,root-*-cap absent or all ones)"
# Files shaped like the checked-in ones, fixed here so these tests do not move with the real files
# (whose entries follow the features humpy gains).
HUMPY_TEXT = "build: humpy\nprofile: root\nskip: []\n"
UPSTREAM_TEXT = f"""build: upstream
profile: hlos
skip:
  - tests: root.*
    except: [root.sweep_native, root.sweep_smccc]
    reason: {NO_CAPS}
  - tests: isolation.cspace_chain_teardown
    reason: {NO_CAPS}
"""


@pytest.fixture(autouse=True)
def _files(tmp_path):
    global HUMPY, UPSTREAM
    (tmp_path / "humpy.yaml").write_text(HUMPY_TEXT)
    (tmp_path / "gunyah-upstream.yaml").write_text(UPSTREAM_TEXT)
    HUMPY, UPSTREAM = str(tmp_path / "humpy.yaml"), str(tmp_path / "gunyah-upstream.yaml")
P, S, F, N = Verdict.PASS, Verdict.SKIP, Verdict.FAIL, Verdict.NOTRUN


def results(*pairs):
    return [TestResult(t, v, reason) for t, v, reason in pairs]


def upstream_like():
    """A small run shaped like upstream's: root tests SKIP, the sweeps and the rest PASS."""
    return results(("identify.api_info", P, ""), ("root.sweep_native", P, ""),
                   ("root.sweep_smccc", P, ""), ("root.copy", S, NO_CAPS),
                   ("root.delete", S, NO_CAPS), ("isolation.cspace_chain_teardown", S, NO_CAPS))


def ids(rs):
    return [r.id for r in rs]


def write(tmp_path, text):
    path = tmp_path / "e.yaml"
    path.write_text(text)
    return str(path)


def test_checked_in_files_load():
    h = expect.load(CHECKED_IN_HUMPY)
    assert h.profile == "root"
    assert not any(e.covers("root.copy_cap") for e in h.entries)  # humpy: root tests never SKIP
    u = expect.load(CHECKED_IN_UPSTREAM)
    assert u.profile == "hlos"
    root = u.entry_for("root.copy_cap")
    assert root.reasons == [NO_CAPS] and u.entry_for("root.sweep_native") is None
    assert u.entry_for("isolation.cspace_chain_teardown").reasons == [NO_CAPS]


def test_upstream_run_meets_the_upstream_file():
    rs = upstream_like()
    out = expect.check(expect.load(UPSTREAM), rs, ids(rs), "hlos", "no caps", narrowed=False)
    assert out["problems"] == [] and out["ok"] and out["skips"] == 3
    assert out["count"] == {"listed": 6, "ran": 6} and out["stale_checked"]


def test_root_profile_lost_fails_humpys_file():
    # humpy without the root caps: the guest runs as hlos, 3 tests SKIP. Today's OK, now a FAIL.
    rs = upstream_like()
    out = expect.check(expect.load(HUMPY), rs, ids(rs), "hlos",
                       "/chosen has no humpy,root-partition-cap", narrowed=False)
    assert out["problems"] == [
        "profile: expected root, the guest runs as hlos (/chosen has no humpy,root-partition-cap)",
        f"root.copy: SKIP not expected ({NO_CAPS})",
        f"root.delete: SKIP not expected ({NO_CAPS})",
        f"isolation.cspace_chain_teardown: SKIP not expected ({NO_CAPS})"]
    assert out["unexpected_skips"] == ["root.copy", "root.delete", "isolation.cspace_chain_teardown"]


def test_a_guest_without_a_profile_line_fails():
    rs = results(("identify.api_info", P, ""))
    out = expect.check(expect.load(HUMPY), rs, ids(rs), "root", None, narrowed=False)
    assert out["problems"] == ["profile: expected root, the guest sent no PROFILE line "
                               "(BEGIN said profile=root)"]


def test_wrong_reason_fails_and_a_skip_that_passed_is_only_noted():
    rs = upstream_like()
    rs[3] = TestResult("root.copy", S, "identify flags0 bit 1 (partition_cspace) clear")
    rs[4] = TestResult("root.delete", P, "")
    out = expect.check(expect.load(UPSTREAM), rs, ids(rs), "hlos", "no caps", narrowed=False)
    assert out["problems"] == [
        f"root.copy: SKIP reason 'identify flags0 bit 1 (partition_cspace) clear', expected "
        f"'{NO_CAPS}'"]
    assert out["wrong_reason"] == ["root.copy"] and out["not_skipped"] == ["root.delete"]
    # A build that gained a feature is not broken: the entry may go, the run passes.
    rs[3] = TestResult("root.copy", S, NO_CAPS)
    run = RunResult(Outcome.COMPLETE, profile="hlos", profile_reason="no caps")
    report = Report(mode="run", results=rs, runs=[run], duration=1.0)
    expect.apply(report, expect.load(UPSTREAM), ids(rs), narrowed=False)
    assert report.expect["ok"] and expect.summary(report) == (
        "expectations gunyah-upstream.yaml met (2 SKIP expected, 1 allowed to SKIP passed)")


def test_a_reason_glob_and_a_list_of_reasons():
    e = expect.Entry(["a.*"], ["identify flags0 bit * clear"])
    assert e.reason_ok("identify flags0 bit 2 (msgqueue) clear")
    assert not e.reason_ok("no root caps")
    e = expect.Entry(["a.*"], ["exact", "other (*)"])
    assert e.reason_ok("exact") and e.reason_ok("other (x)") and not e.reason_ok("exact!")


def test_missing_extra_and_count_against_the_guests_list():
    rs = upstream_like()
    listed = ids(rs) + ["identify.flags_reserved", "psci.version_hvc"]
    rs.append(TestResult("psci.version_hvc", N, "not run: the run ended early (crash)"))
    rs.append(TestResult("stray.test", P, ""))
    out = expect.check(expect.load(UPSTREAM), rs, listed, "hlos", "no caps", narrowed=False)
    assert out["problems"] == [
        "identify.flags_reserved: listed by the guest but did not run",
        "psci.version_hvc: listed by the guest but did not run",
        "stray.test: ran but the guest's list did not name it",
        "count: 7 test(s) ran, the guest's list names 8"]
    assert out["missing"] == ["identify.flags_reserved", "psci.version_hvc"]
    assert out["extra"] == ["stray.test"] and out["count"] == {"listed": 8, "ran": 7}


def test_no_list_is_a_problem():
    rs = upstream_like()
    out = expect.check(expect.load(UPSTREAM), rs, None, "hlos", "no caps", narrowed=False)
    assert out["problems"] == ["no list boot: the guest's own test list is unknown, nothing to "
                               "count against"]


def test_stale_entries_are_reported_unless_the_selection_was_narrowed(tmp_path):
    path = write(tmp_path, "profile: hlos\nskip:\n"
                 "  - {tests: [root.*], except: [root.sweep_native, root.gone], reason: r}\n"
                 "  - {tests: vic.*, reason: r}\n")
    rs = results(("root.sweep_native", P, ""), ("root.copy", S, "r"))
    out = expect.check(expect.load(path), rs, ids(rs), "hlos", "x", narrowed=False)
    assert out["problems"] == [
        "stale entry root.*: except names root.gone, no test of the guest's list",
        "stale entry vic.*: covers no test of the guest's list"]
    assert out["stale"] == ["root.* except root.gone", "vic.*"]
    narrowed = expect.check(expect.load(path), rs, ids(rs), "hlos", "x", narrowed=True)
    assert narrowed["problems"] == [] and not narrowed["stale_checked"]


@pytest.mark.parametrize("text, message", [
    ("profile: guest\n", "profile must be one of root, hlos, not 'guest'"),
    ("skip: []\n", "a mapping with profile"),
    ("profile: root\nsurprise: 1\n", "a mapping with profile"),
    ("profile: root\nskip:\n  - {tests: a.*}\n", "skip entry 1: needs tests and reason"),
    ("profile: root\nskip:\n  - {tests: [], reason: r}\n", "skip entry 1: tests: give a glob"),
    ("profile: root\nskip:\n  - {tests: a.*, reason: r, except: 3}\n", "except: give a glob"),
    ("profile: root\nskip:\n  - {tests: a.*, reason: []}\n", "reason must be the guest's"),
    ("profile: [\n", "not YAML"),
])
def test_a_bad_file_is_one_line(tmp_path, text, message):
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace("[", r"\[")):
        expect.load(write(tmp_path, text))
    with pytest.raises(UsageError, match="No such file"):
        expect.load(str(tmp_path / "none.yaml"))


def test_apply_adds_one_fail_and_every_report_shows_it(tmp_path):
    console = ("[humpy] BEGIN profile=hlos tests=2\n"
               "[humpy] PROFILE hlos /chosen has no humpy,root-partition-cap\n"
               "[humpy] RUN identify.api_info\n[humpy] RESULT identify.api_info PASS\n"
               f"[humpy] RUN root.copy\n[humpy] RESULT root.copy SKIP {NO_CAPS}\n"
               "[humpy] END pass=1 fail=0 skip=1 error=0\n")
    run = parse_text(console)
    report = Report(mode="run", results=list(run.results), runs=[run], duration=1.0)
    assert report.ok
    expect.apply(report, expect.load(HUMPY), ["identify.api_info", "root.copy"], narrowed=False)
    assert not report.ok
    last = report.results[-1]
    assert (last.id, last.verdict) == (EXPECT_ID, F)
    assert last.reason == ("humpy.yaml: profile: expected root, the guest runs as hlos (/chosen "
                           "has no humpy,root-partition-cap); root.copy: SKIP not expected "
                           f"({NO_CAPS})")
    assert reports.summary(report) == (
        "humpy run: FAILED: 2 guest test(s): 1 PASS, 1 FAIL, 1 SKIP in 1.0 s; profile hlos "
        "(/chosen has no humpy,root-partition-cap); expectations humpy.yaml: 2 problem(s)")
    data = json.loads(open(reports.write_json(report, tmp_path / "r.json")).read())
    assert data["expect"]["problems"] == last.reason.split(": ", 1)[1].split("; ")
    assert data["profile"] == {"profile": "hlos", "reason": "/chosen has no humpy,root-partition-cap"}
    root = ET.parse(reports.write_junit(report, tmp_path / "r.xml")).getroot()
    case = root.find("testsuite/testcase[@name='expect']")
    assert case.find("failure").get("message") == f"FAIL: {last.reason}"
    props = {p.get("name"): p.get("value") for p in root.find("testsuite/properties")}
    assert props["profile"] == "hlos" and props["expectations"] == HUMPY
    tap = reports.to_tap(report).splitlines()
    assert "not ok 3 - harness.expect" in tap
    assert tap[-2:] == ["# profile hlos (/chosen has no humpy,root-partition-cap)",
                        "# expectations humpy.yaml: 2 problem(s)"]


def test_many_problems_are_cut_in_the_reason_but_kept_in_the_json():
    rs = [TestResult(f"root.t{k}", S, NO_CAPS) for k in range(20)]
    report = Report(mode="run", results=list(rs))
    out = expect.apply(report, expect.load(HUMPY), ids(rs), narrowed=False)
    assert len(out["problems"]) == 21  # no PROFILE line, and 20 SKIPs
    assert report.results[-1].reason.endswith("; and 13 more")

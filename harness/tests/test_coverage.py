"""Spec coverage: COVER lines parsed from a canned console, joined with a tiny spec, reported."""

import json

import pytest

from conftest import HERE
from humpy_harness import coverage
from humpy_harness.model import Cover, Outcome, Report, Verdict
from humpy_harness.parser import parse_log, parse_text

TINY_SPEC = HERE / "tiny_spec.json"
API_INFO = 0x5100000000008001


@pytest.fixture
def cover_run(log_path):
    return parse_log(log_path("cover.log"))


def test_parser_collects_cover_lines(cover_run):
    run = cover_run
    assert run.outcome == Outcome.COMPLETE and run.ok
    assert [(r.id, r.verdict) for r in run.results] == [("identify.api_info", Verdict.PASS),
                                                        ("root.create", Verdict.PASS)]
    c = run.cover
    assert c.counts == {
        (0, "n"): {API_INFO: 3}, (0, "s"): {API_INFO: 1},
        (1, "n"): {0: 4, 1: 5, 50: 1, 36: 1, -2: 1, -16: 1}, (1, "s"): {0: 1},
        (2, "n"): {-1: 2}, (3, "n"): {-1: 1}, (3, "s"): {7: 1},
        ("past", "n"): {-1: 9}, ("past", "s"): {-1: 2, 0: 1},
        (4, "s"): {-1: 1}, (9, "n"): {-1: 1}, (4, "n"): {0: 5}}
    assert c.unrecorded == {(1, "n"): 2}
    assert c.lines == 13


def test_parser_rejects_garbled_cover_lines(cover_run):
    assert cover_run.warnings == [
        "line 17: garbled protocol line '[humpy] COVER 0x01 x 0=1'",
        "line 18: garbled protocol line '[humpy] COVER 0x01 n 0='",
        "line 19: garbled protocol line '[humpy] COVER 0x01 n'",
        "line 20: garbled protocol line '[humpy] COVER 0x01 n 0=1 1'",
        "line 21: garbled protocol line '[humpy] COVER 1 n 0=1'",
        "line 22: garbled protocol line '[humpy] COVER 0x04 n 0x1ffffffffffffffff=1'",
        "line 23: COVER value -99999999999999999999 does not fit 64 bits, line ignored",
        "line 26: protocol text after free text 'free text '",
        "line 28: COVER after END ignored",
    ]


def test_no_cover_lines_is_none(log_path):
    assert parse_log(log_path("clean.log")).cover is None
    assert parse_text("[humpy] BEGIN profile=hlos tests=0\n[humpy] COVER 0x00 n\n"
                      "[humpy] END pass=0 fail=0 skip=0 error=0\n").cover is None


def test_shards_add_up(log_path):
    report = Report(mode="run", runs=[parse_log(log_path("cover.log")),
                                      parse_log(log_path("cover.log"))])
    total = report.cover
    assert total.row(1, "n") == {0: 8, 1: 10, 50: 2, 36: 2, -2: 2, -16: 2}
    assert total.unrecorded == {(1, "n"): 4} and total.lines == 26
    assert report.runs[0].cover.row(1, "n")[0] == 4  # merging copies, never adds into a run


def joined(cover):
    spec = coverage.load_spec(TINY_SPEC)
    return coverage.join(spec, cover)


def by_name(cov):
    return {c["name"]: c for c in cov["calls"]}


def test_join_per_call(cover_run):
    calls = by_name(joined(cover_run.cover))
    ident = calls["hypervisor_identify"]
    assert (ident["status"], ident["success_paths"], ident["pairs_seen"], ident["pairs_total"],
            ident["complete"]) == ("implemented", ["n", "s"], 1, 1, True)
    create = calls["thing_create"]
    assert create["status"] == "implemented" and create["success_paths"] == ["n", "s"]
    assert [(e["name"], e["seen"], e["count"]) for e in create["errors"]] == [
        ("ARGUMENT_INVALID", True, 5), ("CSPACE_CAP_NULL", True, 1), ("NOMEM", False, 0)]
    assert [(u["x0"], u["name"], u["paths"]) for u in create["undocumented"]] == [
        (-16, None, {"n": 1}), (-2, "RETRY", {"n": 1}), (36, "FAILURE", {"n": 1})]
    assert (create["pairs_seen"], create["pairs_total"], create["complete"]) == (3, 4, False)
    assert create["unrecorded"] == 2
    reset = calls["thing_reset"]
    assert (reset["status"], reset["paths_called"], reset["undocumented"],
            reset["pairs_total"]) == ("unimplemented", ["n"], [], 0)
    send = calls["thing_send"]
    assert send["status"] == "implemented" and send["success_paths"] == ["n"]
    assert [(u["x0"], u["name"], u["paths"]) for u in send["undocumented"]] == [
        (-1, "UNIMPLEMENTED", {"s": 1})]
    assert (send["pairs_seen"], send["pairs_total"]) == (1, 2)
    assert calls["thing_poll"]["status"] == "not called"
    assert calls["thing_poll"]["paths_called"] == []


def test_join_summary_holes_past_and_drift(cover_run):
    cov = joined(cover_run.cover)
    assert cov["summary"] == {
        "calls": 5, "called": 4, "implemented": 3, "unimplemented": 1, "complete": 1,
        "pairs_seen": 5, "pairs_total": 7, "pairs_na": 0, "undocumented": 4, "holes": 1,
        "holes_called": 1, "drift": 7, "unrecorded": 2, "cover_lines": 13}
    (hole,) = cov["holes"]
    assert hole["num"] == "0x03" and hole["calls"] == {"n": 1, "s": 1}
    assert [(w["x0"], w["paths"]) for w in hole["wrong"]] == [(7, {"s": 1})]
    assert cov["past"]["calls"] == {"n": 9, "s": 3}
    assert [(w["x0"], w["name"]) for w in cov["past"]["wrong"]] == [(0, "OK")]
    assert cov["drift"] == [
        "0x01 thing_create returned x0 = -16 (native 1x): not a documented result of this call",
        "0x01 thing_create returned x0 = -2 (RETRY) (native 1x): not a documented result of "
        "this call",
        "0x01 thing_create returned x0 = 36 (FAILURE) (native 1x): not a documented result of "
        "this call",
        "0x04 thing_send returned x0 = -1 (UNIMPLEMENTED) (SMCCC 1x): not a documented result of "
        "this call",
        "hole 0x03 returned x0 = 7 (SMCCC 1x): must be -1",
        "a number past the call table returned x0 = 0 (OK) (SMCCC 1x): must be -1",
        "COVER lines for numbers the spec does not have: 0x09 (guest built from another spec?)",
    ]


def test_documented_results_make_no_drift():
    c = Cover(lines=3)
    c.add(0, "n", API_INFO, 2)
    c.add(1, "n", 0, 1)
    for x0 in (1, 50, 10):
        c.add(1, "s", x0, 1)
    c.add(2, "n", -1, 4)  # UNIMPLEMENTED is its only, documented answer
    c.add(3, "n", -1, 1)
    c.add("past", "s", -1, 5)
    cov = joined(c)
    assert cov["drift"] == []
    c.add(3, "s", API_INFO, 1)  # a hole answering like identify: drift, x0 shown in hex
    assert joined(c)["drift"] == ["hole 0x03 returned x0 = 0x5100000000008001 (SMCCC 1x): "
                                  "must be -1"]
    s = cov["summary"]
    assert (s["implemented"], s["complete"], s["pairs_seen"], s["pairs_total"]) == (2, 2, 5, 5)
    assert by_name(cov)["thing_create"]["success_paths"] == ["n"]


def test_identify_answering_minus_one_on_one_path_is_drift():
    c = Cover(lines=2)
    c.add(0, "n", API_INFO, 1)
    c.add(0, "s", -1, 1)
    cov = joined(c)
    assert by_name(cov)["hypervisor_identify"]["success_paths"] == ["n"]
    assert cov["drift"] == ["0x00 hypervisor_identify returned x0 = -1 (UNIMPLEMENTED) (SMCCC 1x): "
                            "not a documented result of this call"]


def test_table_summary_markdown(cover_run):
    cov = joined(cover_run.cover)
    lines = coverage.table(cov).splitlines()
    assert lines[0].split() == ["CALL", "NAME", "STATUS", "PATHS", "OK", "ERRORS", "UNDOCUMENTED"]
    # Calls that only answered -1 are counted, not listed: the terminal table shows what answered.
    assert [line.split() for line in lines[1:4]] == [
        ["0x00", "hypervisor_identify", "implemented*", "n,s", "n,s", "0/0", "-"],
        ["0x01", "thing_create", "implemented", "n,s", "n,s", "2/3", "-16", "-2(RETRY)",
         "36(FAILURE)"],
        ["0x04", "thing_send", "implemented", "n,s", "n", "0/1", "-1(UNIMPLEMENTED)"]]
    assert lines[4] == ("(* every documented result seen; n/a: cannot happen, the spec says why; "
                        "1 call(s) answered only -1; "
                        "1 call(s) of the spec never called; holes called 1/1; past the table: "
                        "9 native, 3 SMCCC)")
    assert len(lines) == 5
    assert coverage.summary(cov) == (
        "spec coverage: 4/5 calls called, 3 answered (1 only -1); call x result pairs of the "
        "answering calls: 5/7 (71%; 2 missing, 0 n/a with the spec's reason), 1 call(s) "
        "complete; ABI DRIFT: 7 undocumented result(s); 2 call(s) with x0 unrecorded (guest table full)")
    assert coverage.drift_lines(cov)[0].startswith("ABI DRIFT: 0x01 thing_create returned x0 = -16")
    md = coverage.markdown(cov)
    assert "| 0x01 | thing_create | implemented | n,s | n,s | ARGUMENT_INVALID, CSPACE_CAP_NULL " \
           "| NOMEM | -16 -2(RETRY) 36(FAILURE) |" in md
    assert "| 0x05 | thing_poll | not called | - | - | - | - | - |" in md
    assert "| 0x03 | 1, 1 | 7 |" in md


def test_unreachable_errors_and_no_success_are_na(cover_run):
    spec = coverage.load_spec(TINY_SPEC)
    spec["deviations"] = [{"id": "flat", "calls": ["thing_create"], "unreachable": ["NOMEM"]}]
    spec["calls"][3]["no_success"] = "always refused"  # thing_send
    cov = coverage.join(spec, cover_run.cover)
    calls = by_name(cov)
    create, send = calls["thing_create"], calls["thing_send"]
    assert [(e["name"], e["seen"], e["na"]) for e in create["errors"]] == [
        ("ARGUMENT_INVALID", True, None), ("CSPACE_CAP_NULL", True, None),
        ("NOMEM", False, "deviation flat")]
    assert (create["pairs_seen"], create["pairs_total"], create["complete"]) == (3, 3, True)
    assert (send["success_na"], send["pairs_seen"], send["pairs_total"]) == ("always refused", 0, 1)
    # thing_send did succeed in this run: the spec says it cannot, so that is drift.
    assert "0x04 thing_send succeeded, which the spec says it never does (always refused)" in cov[
        "drift"]
    rows = {line.split()[1]: line.split() for line in coverage.table(cov).splitlines()[1:5]}
    assert rows["thing_create"][5] == "2/2+1n/a"
    assert rows["thing_send"][4:6] == ["n/a", "0/1"]
    md = coverage.markdown(cov)
    assert "| ARGUMENT_INVALID, CSPACE_CAP_NULL | NOMEM n/a (deviation flat) |" in md
    assert "| n/a (always refused) | - | ARGUMENT_INVALID |" in md
    # An unreachable error that shows up is drift, and no longer counts as seen.
    c = Cover(lines=1)
    c.add(1, "n", 10, 2)
    cov = coverage.join(spec, c)
    assert cov["drift"] == ["0x01 thing_create returned x0 = 10 (NOMEM), which deviation flat "
                            "says humpy never returns"]
    assert by_name(cov)["thing_create"]["pairs_seen"] == 0


def test_unreachable_ok_makes_success_na():
    spec = coverage.load_spec(TINY_SPEC)
    spec["deviations"] = [{"id": "none_here", "calls": ["thing_create"],
                           "unreachable": ["OK", "NOMEM"]}]
    c = Cover(lines=2)
    c.add(1, "n", 1, 1)
    c.add(1, "n", 50, 1)
    cov = coverage.join(spec, c)
    create = by_name(cov)["thing_create"]
    assert create["success_na"] == "deviation none_here"
    assert (create["pairs_seen"], create["pairs_total"], create["pairs_na"]) == (2, 2, 2)
    assert create["complete"] and cov["drift"] == []
    assert "(100%; 0 missing, 2 n/a with the spec's reason)" in coverage.summary(cov)
    assert coverage.short(cov) == "spec coverage 2/2 call x result pairs, 0 missing, 2 n/a"
    c.add(1, "s", 0, 1)  # humpy succeeded after all: drift
    cov = coverage.join(spec, c)
    assert cov["drift"] == ["0x01 thing_create succeeded, which the spec says it never does "
                            "(deviation none_here)"]


def test_unreadable_spec(tmp_path, cover_run):
    report = Report(mode="run", runs=[cover_run])
    cov = coverage.for_report(report, tmp_path / "none.json")
    assert cov["error"].startswith(f"cannot read the spec {tmp_path / 'none.json'}: No such file")
    assert coverage.table(cov) == ""
    assert coverage.summary(cov).startswith("spec coverage: not computed: cannot read the spec")
    bad = tmp_path / "bad.json"
    bad.write_text('{"calls": 3}')
    assert coverage.for_report(report, bad)["error"] == (
        f"{bad} is not the spec's JSON: no calls list or errors table")
    assert coverage.for_report(Report(mode="bench", runs=[cover_run]), TINY_SPEC) is None


def test_cli_writes_coverage(cli, tmp_path):
    proc = cli("run", "--no-list", "--spec", str(TINY_SPEC), guest="cover.yaml")
    assert proc.returncode == 0, proc.stdout + proc.stderr  # drift is loud, not a verdict
    out = proc.stdout.splitlines()
    head = out.index(next(line for line in out if line.startswith("CALL ")))
    assert out[head - 1].startswith("PASS     root.create")  # right after the verdict table
    assert out[head + 1].split()[:2] == ["0x00", "hypervisor_identify"]
    assert any(line.startswith("spec coverage: 4/5 calls called") for line in out)
    assert sum(line.startswith("ABI DRIFT: ") for line in out) == 7
    reports = tmp_path / "reports"
    data = json.loads((reports / "conformance.json").read_text())
    assert data["coverage"]["spec"] == str(TINY_SPEC)
    assert data["coverage"]["summary"]["pairs_seen"] == 5
    assert data["info"]["spec"] == str(TINY_SPEC)
    assert (reports / "conformance-coverage.md").read_text().startswith("# Spec coverage\n")
    assert f"{reports / 'conformance-coverage.md'}" in proc.stdout


def test_cli_without_spec_still_reports(cli, tmp_path):
    proc = cli("run", "--no-list", "--spec", str(tmp_path / "missing.json"), guest="cover.yaml")
    assert proc.returncode == 0
    assert "spec coverage: not computed: cannot read the spec" in proc.stdout
    data = json.loads((tmp_path / "reports" / "conformance.json").read_text())
    assert data["coverage"]["error"].startswith("cannot read the spec")
    assert not (tmp_path / "reports" / "conformance-coverage.md").exists()


def _upstream_widths_spec():
    spec = coverage.load_spec(TINY_SPEC)
    spec["unimplemented_x0"] = {"hole": {"native": [(1 << 64) - 1], "smccc": [(1 << 64) - 1]},
                                "call": {"native": [0xFFFFFFFF, (1 << 64) - 1],
                                         "smccc": [(1 << 64) - 1]}}
    spec["calls"][1]["upstream_unimplemented"] = "upstream never creates things"
    spec["calls"][1]["errors"].append("UNIMPLEMENTED")
    spec["calls"][3]["unobserved"] = "what a sent thing does"
    return spec


def test_unimplemented_widths_per_path_and_case():
    """Upstream's native 0x00000000FFFFFFFF from a defined call is UNIMPLEMENTED; from a hole, past
    the table or on the SMCCC path it is drift, as is any other width."""
    spec = _upstream_widths_spec()
    c = Cover(lines=4)
    c.add(2, "n", 0xFFFFFFFF, 3)  # thing_reset: handler's UNIMPLEMENTED, upstream's width
    c.add(2, "s", -1, 1)
    c.add(1, "n", 0xFFFFFFFF, 1)  # thing_create: optional upstream, answered the same way
    c.add(1, "s", -1, 1)
    cov = coverage.join(spec, c)
    assert cov["drift"] == []
    calls = by_name(cov)
    reset, create = calls["thing_reset"], calls["thing_create"]
    assert reset["status"] == create["status"] == "unimplemented"
    assert reset["unimplemented_widths"] == {"n": {"0xffffffff": 3}}
    assert [(a["x0"], a["paths"]) for a in reset["answers"]] == [(-1, {"n": 3, "s": 1})]
    assert create["optional"] == "upstream never creates things"
    # humpy implements it (a deviation: UNIMPLEMENTED unreachable), upstream does not: no drift.
    spec["deviations"] = [{"id": "creates", "calls": ["thing_create"],
                           "unreachable": ["UNIMPLEMENTED", "NOMEM"]}]
    assert coverage.join(spec, c)["drift"] == []
    c2 = Cover(lines=1)
    c2.add(1, "n", 10, 1)  # NOMEM stays unreachable for humpy: drift
    assert coverage.join(spec, c2)["drift"] == [
        "0x01 thing_create returned x0 = 10 (NOMEM), which deviation creates says humpy never "
        "returns"]
    spec["deviations"] = []
    c.add(2, "s", 0xFFFFFFFF, 1)   # the 32-bit width on SMCCC
    c.add(3, "n", 0xFFFFFFFF, 1)   # from a hole
    c.add("past", "n", 0xFFFFFFFF, 1)
    c.add(4, "n", 0xFFFFFFFE, 1)   # no documented width of anything
    c.add(4, "n", 0, 1)
    assert coverage.join(spec, c)["drift"] == [
        "0x02 thing_reset returned x0 = 0xffffffff (SMCCC 1x): not a documented result of this call",
        "0x04 thing_send returned x0 = 0xfffffffe (native 1x): not a documented result of this call",
        "hole 0x03 returned x0 = 0xffffffff (native 1x): must be -1",
        "a number past the call table returned x0 = 0xffffffff (native 1x): must be -1",
    ]


def test_without_widths_in_the_spec_only_minus_one_is_unimplemented():
    c = Cover(lines=1)
    c.add(2, "n", 0xFFFFFFFF, 1)
    cov = joined(c)
    assert by_name(cov)["thing_reset"]["status"] == "implemented"
    assert cov["drift"] == ["0x02 thing_reset returned x0 = 0xffffffff (native 1x): not a "
                            "documented result of this call"]


def test_gaps_and_optional_calls_in_the_markdown():
    c = Cover(lines=1)
    c.add(4, "n", 0, 1)
    md = coverage.markdown(coverage.join(_upstream_widths_spec(), c))
    assert "- 0x04 thing_send: gap: what a sent thing does" in md
    assert "- 0x01 thing_create: optional: upstream never creates things" in md

"""The report's readers and writers on a canned reports folder (tests/report_data): console excerpts,
the coverage matrix, AFL++/libFuzzer figures, hyp/ code coverage, stored runs and the verdict diff.
The page itself, loaded in a browser, is checked by harness/report_tests."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from humpy_harness import fuzz_stats, history, html_report, hyp_coverage

DATA = Path(__file__).resolve().parent / "report_data"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def reports(tmp_path):
    """A writable copy of the canned reports folder."""
    dest = tmp_path / "reports"
    shutil.copytree(DATA / "reports", dest)
    return dest


def canned():
    return json.loads((DATA / "reports" / "conformance.json").read_text())


def log_lines():
    return (DATA / "reports" / "logs" / "canned-run.log").read_text().splitlines()


# --- console excerpts ---

def test_excerpt_runs_from_run_to_result_and_keeps_the_lines_between():
    block, first = html_report.console_excerpt(log_lines(), "thing.create_nomem")
    assert first == 9
    assert block == ["[humpy] RUN thing.create_nomem",
                     "guest: heap exhausted after 3 creates",
                     "humpy: partition 1 heap 4096/4096 bytes in use",
                     "[humpy] RESULT thing.create_nomem FAIL thing_create: x0 expected 10 (NOMEM) got 0"]


def test_excerpt_of_a_test_without_result_runs_to_the_end_of_the_log():
    block, first = html_report.console_excerpt(log_lines(), "thing.poll_crash")
    assert block[0] == "[humpy] RUN thing.poll_crash"
    assert block[-1].startswith("### humpy-harness: crash")
    assert "humpy: PANIC: data abort at EL2, ESR_EL2 0x96000045 FAR 0x0" in block
    assert first == 19


def test_excerpt_does_not_take_a_test_whose_id_only_starts_alike():
    lines = ["[humpy] RUN a.b_longer", "x", "[humpy] RUN a.b", "[humpy] RESULT a.b PASS",
             "[humpy] RESULT a.b_longer PASS"]
    assert html_report.console_excerpt(lines, "a.b") == (lines[2:4], 3)
    assert html_report.console_excerpt(lines, "c.d") is None


def test_long_excerpts_keep_head_and_tail():
    text = html_report._shorten([f"l{i}" for i in range(100)])
    lines = text.splitlines()
    assert lines[0] == "l0" and lines[-1] == "l99"
    assert "... 50 line(s) left out ..." in lines
    assert len(lines) == html_report.EXCERPT_HEAD + html_report.EXCERPT_TAIL + 1


# --- spec coverage matrix ---

def _cov_view():
    run = html_report.run_view(DATA / "reports" / "conformance.json", canned(), DATA / "reports", "r0")
    spec = json.loads((DATA / "spec.json").read_text())
    return html_report.coverage_view(run, spec)


def test_matrix_has_a_row_per_answered_call_and_a_column_per_documented_result():
    cov = _cov_view()
    assert [r["name"] for r in cov["rows"]] == ["hypervisor_identify", "thing_create", "thing_reset"]
    # success first, then errors by their spec value; UNIMPLEMENTED (-1) last
    assert [c["name"] for c in cov["columns"]] == ["OK", "ARGUMENT_INVALID", "NOMEM",
                                                   "CSPACE_CAP_NULL", "UNIMPLEMENTED"]
    assert cov["unimplemented"] == ["0x04 thing_send"]
    assert cov["not_called"] == ["0x05 thing_poll"]


def test_matrix_cells_per_path():
    rows = {r["name"]: r for r in _cov_view()["rows"]}
    states = lambda call, result: [(p["path"], p["state"]) for p in rows[call]["cells"][result]]
    assert states("thing_create", "OK") == [("n", "exercised"), ("s", "missing")]
    assert states("thing_create", "ARGUMENT_INVALID") == [("n", "exercised"), ("s", "exercised")]
    assert states("thing_create", "NOMEM") == [("n", "missing"), ("s", "missing")]
    assert states("thing_create", "CSPACE_CAP_NULL") == [("n", "na"), ("s", "na")]
    assert states("thing_reset", "OK") == [("n", "na"), ("s", "na")]
    assert states("thing_reset", "UNIMPLEMENTED") == [("n", "exercised"), ("s", "exercised")]
    assert "NOMEM" not in rows["thing_reset"]["cells"]
    assert rows["thing_create"]["undocumented"] == ["77 (n)"]


def test_na_reasons_come_from_the_spec():
    cov = _cov_view()
    texts = [n["text"] for n in cov["notes"]]
    assert texts == ["deviation thing_cap_null; humpy: never looks a cap up for thing_create; "
                     "why: the canned reason the report must show",
                     "always UNIMPLEMENTED, as upstream"]
    # identify 2 + create 2+2+2 (n/a left out) + reset 2 (n/a left out) = 10; exercised 2+1+2+2 = 7
    assert (cov["triples_seen"], cov["triples_total"]) == (7, 10)


def test_a_run_without_coverage_says_why():
    doc = canned()
    doc["coverage"] = {"error": "spec.json: no such file"}
    run = html_report.run_view(Path("x.json"), doc, DATA / "reports", "r0")
    assert html_report.coverage_view(run, None)["error"] == "spec.json: no such file"


# --- fuzzing figures ---

def test_afl_plot_data_by_column_name():
    rows = fuzz_stats.parse_plot_data(
        (DATA / "reports/fuzz/afl/thing/main/plot_data").read_text() + "190, 5, 2\n")
    assert [r["seconds"] for r in rows] == [5, 65, 125, 185]  # the cut last row is dropped
    assert [r["edges_found"] for r in rows] == [310, 702, 781, 797]
    assert rows[-1]["map_size"] == 11.30 and rows[1]["execs_per_sec"] == 2011.0


def test_old_afl_plot_data_counts_from_its_first_unix_time():
    rows = fuzz_stats.parse_plot_data("# unix_time, cycles_done, execs_per_sec, edges_found\n"
                                      "1000, 0, 10.5, 3\n1060, 1, 12, 9\n")
    assert [r["seconds"] for r in rows] == [0, 60]


def test_libfuzzer_times_are_runs_over_rate():
    points, stats = fuzz_stats.parse_libfuzzer_log(
        (DATA / "reports/fuzz/libfuzzer/thing/logs/fuzz-0.log").read_text())
    assert [p["execs"] for p in points] == [2, 3209, 248732, 524288, 930513, 976274]
    assert [p["cov"] for p in points] == [11, 12, 47, 47, 51, 51]
    assert points[0]["seconds"] == 0.0 and points[2]["seconds"] == 1.0
    assert points[3]["seconds"] == 2.0 and round(points[-1]["seconds"], 2) == 7.0
    assert stats["number_of_executed_units"] == 976274


def test_series_found_where_the_fuzz_scripts_write():
    series = fuzz_stats.find_series(DATA / "reports" / "fuzz")
    assert [(s.fuzzer, s.target, s.instance) for s in series] == [
        ("AFL++", "thing", "main"), ("libFuzzer", "thing", "fuzz-0")]
    assert series[0].figures["edges"] == "797" and series[0].figures["stability"] == "94.90%"
    assert series[1].figures["execs"] == 976274 and series[1].figures["edges"] == 51


def test_plot_writes_a_png(tmp_path):
    series = fuzz_stats.find_series(DATA / "reports" / "fuzz")
    path = fuzz_stats.plot(series[:1], tmp_path / "p.png", "AFL++ thing")
    assert Path(path).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# --- hyp/ code coverage ---

def test_code_coverage_keeps_hyp_without_its_tests():
    rows, totals = hyp_coverage.read_export(DATA / "hyp-coverage.json", REPO)
    assert [r.path for r in rows] == ["hyp/arch/aarch64/esr.c", "hyp/core/thing.c"]
    assert rows[1].counts["lines"] == (30, 40) and rows[1].unentered == ["thing_never_called"]
    assert totals["lines"] == (40, 50) and totals["branches"] == (5, 10)


def test_code_coverage_refuses_what_is_not_an_export(tmp_path):
    (tmp_path / "x.json").write_text('{"type": "something else"}')
    with pytest.raises(ValueError):
        hyp_coverage.read_export(tmp_path / "x.json")


# --- history ---

def test_store_names_the_copy_after_the_run_and_keeps_one_copy(reports):
    hist = reports / "history"
    first = history.store_all(reports, hist)
    assert sorted(p.name for p in first) == ["20261130T051000Z-conformance.json",
                                             "20261130T051200Z-bench.json"]
    again = history.store_all(reports, hist)
    assert sorted(p.name for p in again) == sorted(p.name for p in first)
    assert len(list(hist.glob("*.json"))) == 3  # the canned older run + conformance + bench
    assert (hist / "20261130T051000Z-conformance.json").read_bytes() == \
        (reports / "conformance.json").read_bytes()


def test_resolve_by_index_name_or_path(reports):
    hist = reports / "history"
    history.store_all(reports, hist)
    assert history.resolve("-1", hist).name == "20261130T051000Z-conformance.json"
    assert history.resolve("1", hist).name == "20261129T100000Z-conformance.json"
    assert history.resolve("20261129", hist).name == "20261129T100000Z-conformance.json"
    assert history.resolve(str(reports / "conformance.json"), hist) == reports / "conformance.json"
    for bad in ("3", "0", "conformance", "nothing"):
        with pytest.raises(history.HistoryError):
            history.resolve(bad, hist)


def test_diff_lists_changed_new_and_gone_tests():
    old = json.loads((DATA / "reports/history/20261129T100000Z-conformance.json").read_text())
    changes, same = history.diff(old, canned())
    assert [(c.id, c.a, c.b) for c in changes] == [
        ("thing.create_nomem", "PASS", "FAIL"), ("thing.poll_crash", "PASS", "CRASH"),
        ("old.gone", "PASS", "-"), ("thing.poll_timer", "-", "ERROR")]
    assert same == 4


def test_report_diff_command(reports):
    hist = reports / "history"
    history.store_all(reports, hist)
    out = subprocess.run([sys.executable, "-m", "humpy_harness.history", "--reports", str(reports),
                          "diff", "--", "-2", "-1"], capture_output=True, text=True,
                         cwd=REPO / "harness")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith("A  20261129T100000Z-conformance.json: started 2026-11-29T10:00:00")
    assert any(line.split()[:3] == ["thing.create_nomem", "PASS", "FAIL"] and
               line.endswith("thing_create: x0 expected 10 (NOMEM) got 0") for line in lines)
    assert lines[-1] == "report-diff: 4 test(s) changed verdict, 4 kept theirs"
    bad = subprocess.run([sys.executable, "-m", "humpy_harness.history", "--reports", str(reports),
                          "diff", "nothing", "-1"], capture_output=True, text=True, cwd=REPO / "harness")
    assert bad.returncode == 2 and "run nothing" in bad.stderr


# --- the page's data ---

def test_page_context_from_the_canned_folder(reports, tmp_path):
    history.store_all(reports, reports / "history")
    (reports / "conformance-coverage.md").write_text("# Spec coverage\n")
    ctx = html_report.build_page(reports, reports / "index.html", DATA / "spec.json",
                                 DATA / "hyp-coverage.json", DATA / "hyp-unit.status")
    run = ctx["runs"][0]
    assert run["name"] == "conformance.json" and not run["ok"]
    assert run["profiles"] == [{"profile": "root",
                                "reason": "root caps in /chosen: partition=0x11 cspace=0x22"}]
    assert run["machine"] == ["-machine virt,virtualization=on,gic-version=3 -cpu max -m 2G -smp 4"]
    assert [t["id"] for t in run["problems"]] == ["thing.create_nomem", "thing.poll_timer",
                                                  "thing.poll_crash"]
    assert "expectations conformance/expect/canned.yaml: NOT met" in run["extra"]
    assert ctx["hyp"]["status"] == 0 and ctx["hyp"]["totals"]["lines"]["percent"] == "80.0%"
    assert [b["value"] for b in ctx["bench"]["rows"]] == [27, 231, "n/a"]
    assert sorted(p.name for p in reports.glob("index-*.png")) == ["index-afl-thing.png",
                                                                   "index-libfuzzer-thing.png"]
    assert ctx["history"]["a"] == "20261129T100000Z-conformance.json"
    assert ctx["cov"]["markdown"] == "conformance-coverage.md"
    assert len(ctx["history"]["changes"]) == 4


def test_an_empty_reports_folder_still_gives_a_page_that_says_what_is_missing(tmp_path):
    ctx = html_report.build_page(tmp_path, tmp_path / "index.html", None, None, None)
    html = (tmp_path / "index.html").read_text()
    assert ctx["runs"] == [] and ctx["headline"] == "no conformance run found"
    for text in ("no conformance run found under", "no fuzzing run found under",
                 "no bench run found", "no code coverage given", "0 stored run(s): a diff needs two"):
        assert text in html, text
    assert list(tmp_path.glob("*.png")) == []


def test_another_run_is_shown_after_the_reports_folder_s_own(reports, tmp_path):
    other = tmp_path / "gunyah" / "conformance.json"
    other.parent.mkdir()
    shutil.copy(DATA / "reports/history/20261129T100000Z-conformance.json", other)
    ctx = html_report.build_page(reports, reports / "index.html", more_runs=[str(other)])
    assert [r["name"] for r in ctx["runs"]] == ["conformance.json", str(other)]
    assert ctx["runs"][1]["summary"]["PASS"] == 6
    html = (reports / "index.html").read_text()
    assert html.count('<tr class="run"') == 2
    out = subprocess.run([sys.executable, "-m", "humpy_harness.history", "--reports", str(reports),
                          "store", str(other)], capture_output=True, text=True, cwd=REPO / "harness")
    assert out.returncode == 0, out.stderr
    assert "20261129T100000Z-conformance.json" in out.stdout


def test_two_runs_of_the_same_second_are_both_kept(reports, tmp_path):
    hist = reports / "history"
    first = history.store(reports / "conformance.json", hist)
    doc = canned()
    doc["tests"][0]["verdict"] = "FAIL"
    other = tmp_path / "conformance.json"
    other.write_text(json.dumps(doc))
    second = history.store(other, hist)
    assert first.name == "20261130T051000Z-conformance.json"
    assert second.name == "20261130T051000Z-conformance-2.json"
    assert history.store(other, hist) == second


def test_a_failed_coverage_build_shows_the_end_of_its_log(tmp_path):
    log = tmp_path / "hyp-coverage.log"
    log.write_text("".join(f"line {i}\n" for i in range(40)) + "clang: error: linker command failed\n")
    view = html_report.hyp_coverage_view(str(tmp_path / "missing.json"), None, str(log))
    assert view["error"].startswith("no code coverage: ")
    assert view["log_tail"].splitlines()[-1] == "clang: error: linker command failed"
    assert len(view["log_tail"].splitlines()) == 15


def test_an_image_changed_after_the_run_is_flagged(tmp_path):
    image = tmp_path / "hyp.elf"
    image.write_bytes(b"\x7fELF" + bytes(60))
    os.utime(image, (1_800_000_000, 1_800_000_000))  # 2027, after the canned run
    info = html_report._file_info("hyp", str(image), "2026-11-30T05:10:00+00:00")
    assert info["newer"] and info["size"] == 64 and len(info["sha"]) == 12
    os.utime(image, (1_700_000_000, 1_700_000_000))  # 2023, before it
    assert not html_report._file_info("hyp", str(image), "2026-11-30T05:10:00+00:00")["newer"]
    assert html_report._file_info("hyp", str(tmp_path / "gone.elf"))["missing"]

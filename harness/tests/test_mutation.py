"""The mutation tool's pure parts (harness/humpy_harness/mutation.py): which mutants a C file gives,
how one is applied and found again, the seed's order, the text report and the HTML report's
section. The builds and boots themselves run in `make mutation` (too slow for make test)."""

import json

from humpy_harness import html_report, mutation

CODES = mutation.error_codes("""typedef enum error {
	OK = 0,
	ERROR_UNIMPLEMENTED = -1,
	ERROR_ARGUMENT_INVALID = 1,
	ERROR_DENIED = 30,
} error_t;""")

SAMPLE = """/* a < b in a comment, ERROR_DENIED too */
#include <stdint.h>
#define LIMIT(x) ((x) < 4)
static error_t check(uint32_t n, uint32_t max)
{
	uint32_t i = 0;

	if (n >= max) {
		return ERROR_ARGUMENT_INVALID;
	}
	if (n == 7) {
		panic("seven");
	}
	count(n,
	      max);
	log_str("x < y");
	i++;
	return OK;
}"""


def by_id():
    return {m["id"]: m for m in mutation.mutants_of("s.c", SAMPLE, CODES)}


def test_error_codes_in_declaration_order():
    assert CODES == ["OK", "ERROR_UNIMPLEMENTED", "ERROR_ARGUMENT_INVALID", "ERROR_DENIED"]


def test_mask_blanks_comments_strings_and_preprocessor_lines_keeping_the_layout():
    masked = mutation.mask_source(SAMPLE)
    assert len(masked) == len(SAMPLE)
    assert masked.count("\n") == SAMPLE.count("\n")
    lines = masked.split("\n")
    assert lines[0].strip() == "" and lines[1].strip() == "" and lines[2].strip() == ""
    assert lines[15].strip() == "log_str(       );"


def test_every_operator_at_its_place_and_nothing_in_comments_strings_or_invariant_checks():
    found = by_id()
    assert sorted(found) == [
        "s.c:11:flip_cmp:0",  # no drop_check: the branch is an invariant's panic
        "s.c:14:delete_stmt:0",
        "s.c:16:delete_stmt:0",
        "s.c:17:delete_stmt:0",
        "s.c:18:swap_error:0",
        "s.c:8:drop_check:0", "s.c:8:flip_cmp:0", "s.c:8:off_by_one:0",
        "s.c:9:swap_error:0",
    ]
    assert found["s.c:8:flip_cmp:0"]["new"] == ["\tif (n < max) {"]
    assert found["s.c:8:off_by_one:0"]["new"] == ["\tif (n > max) {"]
    assert found["s.c:8:drop_check:0"]["new"] == ["\tif (0) {"]
    assert found["s.c:11:flip_cmp:0"]["new"] == ["\tif (n != 7) {"]
    # The next error code, and OK becomes the first error.
    assert found["s.c:9:swap_error:0"]["new"] == ["\t\treturn ERROR_DENIED;"]
    assert found["s.c:18:swap_error:0"]["new"] == ["\treturn ERROR_UNIMPLEMENTED;"]
    # A statement over two lines goes whole, the line count stays.
    assert found["s.c:14:delete_stmt:0"]["old"] == ["\tcount(n,", "\t      max);"]
    assert found["s.c:14:delete_stmt:0"]["new"] == ["\t;", ""]


def test_ids_are_stable_per_line_and_operator():
    found = mutation.mutants_of("t.c", "int f(int a, int b)\n{\n\treturn a < b && b < 9;\n}", CODES)
    assert [m["id"] for m in found if m["operator"] == "flip_cmp"] == ["t.c:3:flip_cmp:0",
                                                                        "t.c:3:flip_cmp:1"]
    assert [m["new"] for m in found if m["operator"] == "flip_cmp"] == [
        ["\treturn a >= b && b < 9;"], ["\treturn a < b && b >= 9;"]]


def test_apply_finds_the_lines_again_after_they_moved():
    mut = by_id()["s.c:8:flip_cmp:0"]
    moved = "/* one more line */\n" + SAMPLE
    out = mutation.apply_mutant(moved, mut).split("\n")
    assert out[8] == "\tif (n < max) {"
    assert mutation.apply_mutant(moved, mut).count("\n") == moved.count("\n")
    try:
        mutation.apply_mutant(SAMPLE.replace("n >= max", "n > max"), mut)
    except ValueError as e:
        assert "s.c:8:flip_cmp:0" in str(e)
    else:
        raise AssertionError("a mutant whose lines are gone was applied")


def test_the_seed_fixes_the_order():
    every = list(by_id().values())
    a = [m["id"] for m in mutation.select(every, 12)]
    assert a == [m["id"] for m in mutation.select(list(reversed(every)), 12)]
    assert a != [m["id"] for m in mutation.select(every, 13)]
    assert sorted(a) == sorted(by_id())


def canned_doc():
    mut = by_id()["s.c:8:off_by_one:0"]
    survivor = dict(mut, diff=mutation.diff_of(mut, SAMPLE), status="survived", killer=None,
                    detail="passes the suite", seconds=9.0)
    killed = dict(by_id()["s.c:9:swap_error:0"], diff="", status="killed", killer="host",
                  detail="host unit tests (ids): FAIL x", seconds=2.0)
    equivalent = dict(by_id()["s.c:17:delete_stmt:0"], diff="", status="equivalent", killer=None,
                      detail="objects identical to the original's", seconds=1.0)
    run = mutation.Run.__new__(mutation.Run)
    run.results = [survivor, killed, equivalent]
    return {"schema": mutation.SCHEMA, "state": "done", "commit": "c0ffee", "seed": 12,
            "files": "s.c", "started": "2026-01-01T00:00:00Z", "wall_seconds": 12.0,
            "baseline": None, "summary": run.summary(), "mutants": run.results}


def test_summary_counts_and_rate_leave_equivalent_mutants_out():
    s = canned_doc()["summary"]
    assert (s["mutants"], s["killed"], s["survived"], s["equivalent"]) == (3, 1, 1, 1)
    assert s["kill_rate"] == 0.5
    assert s["by_operator"]["off_by_one"] == {"killed": 0, "survived": 1, "excluded": 0}


def test_text_report_gives_each_survivor_with_its_diff():
    text = mutation.text_report(canned_doc())
    assert "3 mutants: 1 killed (0 by time-out), 1 survived, 1 equivalent" in text
    assert "kill rate 50.0%" in text
    assert "s.c:8:off_by_one:0: >= -> > (passes the suite)" in text
    assert "-\tif (n >= max) {\n+\tif (n > max) {" in text


def test_html_report_section(tmp_path):
    (tmp_path / "mutation.json").write_text(json.dumps(canned_doc()))
    ctx = html_report.build_page(tmp_path, tmp_path / "index.html")
    assert ctx["mutation"]["rate"] == "50.0%"
    assert [m["id"] for m in ctx["mutation"]["survivors"]] == ["s.c:8:off_by_one:0"]
    page = (tmp_path / "index.html").read_text()
    assert "kill rate <b>50.0%</b>" in page
    assert "+\tif (n &gt; max) {" in page
    empty = tmp_path / "empty"
    empty.mkdir()
    html_report.build_page(empty, empty / "index.html")
    assert 'id="no-mutation"' in (empty / "index.html").read_text()

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
    reviewed = dict(by_id()["s.c:16:delete_stmt:0"], diff="-\tlog_str(\"x < y\");\n", status="equivalent_reviewed",
                    killer=None, detail="equivalent: the log line is never read", seconds=0.0)
    run = mutation.Run.__new__(mutation.Run)
    run.results = [survivor, killed, equivalent, reviewed]
    return {"schema": mutation.SCHEMA, "state": "done", "commit": "c0ffee", "seed": 12,
            "files": "s.c", "started": "2026-01-01T00:00:00Z", "wall_seconds": 12.0,
            "baseline": None, "summary": run.summary(), "mutants": run.results}


def test_summary_counts_and_rate_leave_equivalent_mutants_out():
    s = canned_doc()["summary"]
    assert (s["mutants"], s["killed"], s["survived"], s["equivalent"]) == (4, 1, 1, 1)
    assert s["equivalent_reviewed"] == 1
    assert s["kill_rate"] == 0.5
    assert s["by_operator"]["off_by_one"] == {"killed": 0, "survived": 1, "excluded": 0}


def test_text_report_gives_each_survivor_with_its_diff():
    text = mutation.text_report(canned_doc())
    assert ("4 mutants: 1 killed (0 by time-out), 1 survived, 1 equivalent, 0 compiled out, "
            "1 equivalent (reviewed)") in text
    assert ("equivalent (reviewed: left out of the rate for the reason shown) (1):\n"
            "  s.c:16:delete_stmt:0 in check: deleted: log_str(\"x < y\");\n"
            "    why: equivalent: the log line is never read") in text
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
    assert [m["id"] for m in ctx["mutation"]["reviewed"]] == ["s.c:16:delete_stmt:0"]
    assert "1 equivalent (reviewed)" in page
    assert '<p class="why">equivalent: the log line is never read</p>' in page
    empty = tmp_path / "empty"
    empty.mkdir()
    html_report.build_page(empty, empty / "index.html")
    assert 'id="no-mutation"' in (empty / "index.html").read_text()


def test_each_mutant_names_its_function():
    assert {m["function"] for m in by_id().values()} == {"check"}
    text = "static int a = 1;\n\nint f(int x,\n      int y)\n{\n\tif (x < y) {\n\t\tg();\n\t}\n" \
           "\treturn 0;\n}\n\nvoid h(void)\n{\n\tg();\n}\n"
    found = {m["id"]: m["function"] for m in mutation.mutants_of("f.c", text, CODES)}
    assert found["f.c:6:flip_cmp:0"] == "f" and found["f.c:7:delete_stmt:0"] == "f"
    assert found["f.c:14:delete_stmt:0"] == "h"
    # A prototype is no statement to delete.
    assert mutation.mutants_of("p.c", "_Noreturn void f(void);\n", CODES) == []


def reviewed_entry(**kw):
    e = {"file": "s.c", "function": "check", "old": "log_str(\"x < y\");", "new": ";",
         "why": "equivalent: the log line is never read"}
    e.update(kw)
    return e


def write_list(tmp_path, entries):
    import yaml
    path = tmp_path / "reviewed.yaml"
    path.write_text(yaml.safe_dump({"mutants": entries}))
    return path


def test_reviewed_entries_match_by_file_function_and_code_not_by_line():
    every = list(by_id().values())
    hits = mutation.reviewed_matches([reviewed_entry()], every, ["s.c"])
    assert list(hits) == ["s.c:16:delete_stmt:0"]
    moved = mutation.mutants_of("s.c", "/* moved */\n\n" + SAMPLE, CODES)
    assert list(mutation.reviewed_matches([reviewed_entry()], moved, ["s.c"])) == \
        ["s.c:18:delete_stmt:0"]
    one_line = reviewed_entry(old="if (n >= max) {", new="if (n > max) {")
    assert list(mutation.reviewed_matches([one_line], every, ["s.c"])) == ["s.c:8:off_by_one:0"]


def test_a_stale_entry_stops_the_run():
    every = list(by_id().values())
    for stale in (reviewed_entry(function="other"), reviewed_entry(old="log_str(\"x <= y\");"),
                  reviewed_entry(new="/* */;"), reviewed_entry(file="t.c")):
        try:
            mutation.reviewed_matches([reviewed_entry(), stale], every, ["s.c", "t.c"])
        except SystemExit as e:
            assert "stale" in str(e) and stale["function"] in str(e)
        else:
            raise AssertionError(f"stale entry accepted: {stale}")
    # An entry of a file this run does not mutate (--files narrowed) is not judged.
    assert mutation.reviewed_matches([reviewed_entry(file="t.c")], every, ["s.c"]) == {}


def test_the_reviewed_list_is_checked_when_loaded(tmp_path):
    assert mutation.load_reviewed(write_list(tmp_path, [reviewed_entry()])) == [reviewed_entry()]
    for bad, what in (({"why": ""}, "needs why"), ({"function": None}, "needs function"),
                      ({"line": "16"}, "unknown key(s) line"), ({"why": "a\nb"}, "one line")):
        e = reviewed_entry()
        e.update(bad)
        e = {k: v for k, v in e.items() if v is not None}
        try:
            mutation.load_reviewed(write_list(tmp_path, [e]))
        except SystemExit as err:
            assert what in str(err)
        else:
            raise AssertionError(f"accepted {e}")


def test_a_reviewed_mutant_is_neither_built_nor_run(tmp_path):
    (tmp_path / "s.c").write_text(SAMPLE)

    class NoTree:
        root = tmp_path

        def __getattr__(self, name):
            raise AssertionError(f"a reviewed mutant touched the tree: {name}")

    run = mutation.Run.__new__(mutation.Run)
    run.tree = NoTree()
    run.reviewed = mutation.reviewed_matches([reviewed_entry()], list(by_id().values()), ["s.c"])
    rec = run._one(by_id()["s.c:16:delete_stmt:0"])
    assert rec["status"] == "equivalent_reviewed"
    assert rec["detail"] == "equivalent: the log line is never read"
    assert rec["function"] == "check" and '-\tlog_str("x < y");' in rec["diff"]
    assert (tmp_path / "s.c").read_text() == SAMPLE


def test_the_repository_list_matches_the_checkout():
    """Every entry of harness/humpy_harness/mutation_equivalent.yaml still names a mutant of the
    checkout's hyp/ (else make mutation refuses to run: review the entry again)."""
    repo = mutation.REPO
    codes = mutation.error_codes((repo / "hyp/include/error.h").read_text())
    files = sorted(str(p.relative_to(repo)) for g in mutation.DEFAULT_FILES.split(",")
                   for p in repo.glob(g))
    every = [m for f in files for m in mutation.mutants_of(f, (repo / f).read_text(), codes)]
    entries = mutation.load_reviewed(mutation.REVIEWED_FILE)
    hits = mutation.reviewed_matches(entries, every, files)
    assert len(hits) >= len(entries)


def test_a_continued_campaign_keeps_kills_and_judges_survivors_and_the_rest_again():
    order = [{"id": f"s.c:{n}:flip_cmp:0"} for n in range(1, 8)]
    prior = [dict(order[0], status="killed"), dict(order[1], status="survived"),
             dict(order[2], status="stillborn"), dict(order[3], status="equivalent_reviewed"),
             dict(order[4], status="timeout"), dict(order[5], status="gone")]
    plan = mutation.campaign_plan(order, prior)
    assert [m["id"] for m, _ in plan] == [m["id"] for m in order]
    assert [k["status"] if k else None for _, k in plan] == \
        ["killed", None, "stillborn", None, "timeout", None, None]
    assert mutation.counted(prior) == 4


def test_campaign_files_are_the_globs_of_the_commit_within_one_folder():
    files = mutation.files_at("HEAD", "hyp/core/*.c")
    assert "hyp/core/fdt.c" in files
    assert all(f.startswith("hyp/core/") and f.count("/") == 2 and f.endswith(".c") for f in files)
    assert mutation.files_at("HEAD", "hyp/*.c") == []


def test_an_interrupted_campaign_keeps_every_earlier_record_so_it_can_be_continued():
    order = [{"id": f"s.c:{n}:flip_cmp:0", "file": "s.c", "line": n, "operator": "flip_cmp",
              "old": [f"a{n} < b"], "new": [f"a{n} >= b"], "what": "< -> >=", "function": "f"}
             for n in range(1, 6)]
    prior = [dict(order[0], status="killed", judged_at="c0"),
             dict(order[1], status="survived", judged_at="c0"),
             dict(order[2], status="survived", judged_at="c0"),
             dict(order[3], status="killed", judged_at="c0")]
    run = mutation.Run.__new__(mutation.Run)
    run.results, run.prior, run.commit, run.same = [], prior, "c1", {}
    run.plan, run.campaign = mutation.campaign_plan(order, prior), {"commit": "c0"}
    run.log, written = (lambda msg: None), []
    run.write = written.append
    judged = []

    def one(mut):
        if mut["id"] == order[2]["id"]:
            raise mutation.Stop("signal 15")
        judged.append(mut["id"])
        return dict(mut, status="killed", seconds=1.0, detail="")
    run.one = one
    try:
        run.judge(5)
    except mutation.Stop:
        pass
    assert judged == [order[1]["id"]]
    assert written[-1] == "interrupted"
    got = [(r["id"], r["status"], r["judged_at"]) for r in run.results]
    assert got == [(order[0]["id"], "killed", "c0"), (order[1]["id"], "killed", "c1"),
                   (order[2]["id"], "survived", "c0"), (order[3]["id"], "killed", "c0")]
    # Continued: the kept ones stay, the survivor and the never-judged one are judged.
    run2 = mutation.Run.__new__(mutation.Run)
    run2.results, run2.prior, run2.commit, run2.same = [], run.results, "c2", {}
    run2.plan, run2.campaign = mutation.campaign_plan(order, run.results), {"commit": "c0"}
    run2.log, run2.write = (lambda msg: None), (lambda state: None)
    judged.clear()
    run2.one = lambda mut: judged.append(mut["id"]) or dict(mut, status="survived", seconds=1.0,
                                                            detail="")
    run2.judge(5)
    assert judged == [order[2]["id"], order[4]["id"]]
    assert [r["judged_at"] for r in run2.results] == ["c0", "c1", "c2", "c0", "c2"]


def test_a_function_declared_with_an_attribute_is_named_by_its_own_name():
    text = ("static inline __attribute__((always_inline)) void\n"
            "zero_from(struct regs *regs, unsigned from)\n{\n\tif (from < 8) {\n\t\tgo(from);\n"
            "\t}\n}\n")
    found = {m["id"]: m["function"] for m in mutation.mutants_of("z.c", text, CODES)}
    assert found["z.c:4:flip_cmp:0"] == "zero_from"

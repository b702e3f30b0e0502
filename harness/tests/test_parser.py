"""The console parser on canned logs: every decision in parser.py's docstring, with exact values."""

from humpy_harness import protocol
from humpy_harness.model import RUN_ID, Outcome, Verdict
from humpy_harness.parser import ConsoleParser, parse_log, parse_text

P, F, S, E = Verdict.PASS, Verdict.FAIL, Verdict.SKIP, Verdict.ERROR


def verdicts(run):
    return [(r.id, r.verdict) for r in run.results]


def test_clean_run(log_path):
    run = parse_log(log_path("clean.log"))
    assert run.outcome == Outcome.COMPLETE
    assert verdicts(run) == [("identify.api_info", P), ("identify.flags", P),
                             ("smccc.vendor_uid", P), ("psci.version", P)]
    assert run.profile == "hlos" and run.begin_tests == 4
    assert run.end_counts == {"pass": 4, "fail": 0, "skip": 0, "error": 0}
    assert run.warnings == []
    assert run.ok
    assert [r.line for r in run.results] == [6, 8, 10, 12]
    assert all(r.log == log_path("clean.log") for r in run.results)


def test_mixed_verdicts_and_reasons_crlf(log_path):
    run = parse_log(log_path("mixed.log"))
    assert run.outcome == Outcome.COMPLETE
    assert verdicts(run) == [("identify.api_info", P), ("identify.flags", F),
                             ("msgq.send_recv", S), ("psci.features", E), ("psci.version", P)]
    reasons = {r.id: r.reason for r in run.results}
    assert reasons["identify.flags"] == "x0: expected 0x1 got 0xffffffffffffffff"
    assert reasons["msgq.send_recv"] == "identify flags0 bit 2 (msgqueue) clear"
    assert reasons["psci.features"] == "per-test limit of 2000 ms exceeded"
    assert reasons["identify.api_info"] == ""
    assert run.warnings == []
    assert not run.ok


def test_truncated_is_crash_in_the_running_test(log_path):
    run = parse_log(log_path("truncated.log"))
    assert run.outcome == Outcome.CRASH
    assert verdicts(run) == [("identify.api_info", P), ("identify.flags", P),
                             ("selftest.crash", Verdict.CRASH)]
    assert run.results[-1].reason == "console ended without END"
    assert run.results[-1].line == 7


def test_truncated_with_expected_list_names_tests_not_run(log_path):
    expected = ["identify.api_info", "identify.flags", "selftest.crash", "psci.version",
                "psci.features"]
    run = parse_log(log_path("truncated.log"), expected=expected)
    assert verdicts(run) == [("identify.api_info", P), ("identify.flags", P),
                             ("selftest.crash", Verdict.CRASH), ("psci.version", Verdict.NOTRUN),
                             ("psci.features", Verdict.NOTRUN)]
    assert run.results[-1].reason == "not run: the run ended early (crash)"


def test_hang_is_timeout_when_the_harness_stopped_it(log_path):
    with open(log_path("hang.log"), "rb") as f:
        run = parse_text(f.read(), ending=Outcome.TIMEOUT, reason="no protocol line for 5 s")
    assert run.outcome == Outcome.TIMEOUT
    assert verdicts(run) == [("identify.api_info", P), ("selftest.hang", Verdict.TIMEOUT)]
    assert run.results[-1].reason == "no protocol line for 5 s"


def test_stop_between_tests_blames_the_run(log_path):
    run = parse_log(log_path("between.log"))
    assert verdicts(run) == [("identify.api_info", P), (RUN_ID, Verdict.CRASH)]
    assert run.results[-1].reason == ("console ended without END (between tests, after the "
                                      "RESULT of identify.api_info)")
    with open(log_path("between.log")) as f:
        run = parse_text(f.read(), ending=Outcome.TIMEOUT, reason="run exceeded its 9 s limit")
    assert verdicts(run) == [("identify.api_info", P), (RUN_ID, Verdict.TIMEOUT)]


def test_empty_log_is_a_crash_before_begin(log_path):
    run = parse_log(log_path("empty.log"))
    assert run.outcome == Outcome.CRASH
    assert verdicts(run) == [(RUN_ID, Verdict.CRASH)]
    assert run.results[0].reason == "console ended without END (before BEGIN)"
    assert run.profile is None and run.begin_tests is None
    assert not run.ok


def test_garbled_and_interleaved(log_path):
    run = parse_log(log_path("garbled.log"))
    assert run.outcome == Outcome.COMPLETE
    # api_info's RESULT follows hypervisor text on the same line; vendor_uid's RUN and RESULT share
    # a line; flags' and psci.version's RESULTs are cut, misspelt or corrupt: ERROR, not PASS.
    assert verdicts(run) == [("identify.api_info", P), ("identify.flags", E),
                             ("smccc.vendor_uid", P), ("psci.version", E)]
    assert run.results[1].reason == "RUN without RESULT (its RESULT line was lost or garbled)"
    assert run.warnings == [
        "line 4: protocol text after free text 'humpy: hvc 0x6000 from vm 1'",
        "line 6: garbled protocol line '[humpy] RESULT identify.fl'",
        "line 7: garbled protocol line '[humpy] RESULT identify.flags PASSED'",
        "line 11: garbled protocol line '[humpy] RESULT psci.version \\x01PASS'",
        "line 12: garbled protocol line '[humpy] result psci.version PASS'",
    ]
    assert not run.ok


def test_duplicated_result_same_kept_once_conflict_is_error(log_path):
    run = parse_log(log_path("duplicate.log"))
    assert run.outcome == Outcome.COMPLETE
    assert verdicts(run) == [("identify.api_info", P), ("identify.flags", E), ("psci.version", P)]
    assert run.results[1].reason == ("conflicting RESULTs: line 6: PASS; line 7: FAIL x1: "
                                     "expected 0x0 got 0x4")
    assert run.warnings == ["line 4: duplicated RESULT identify.api_info PASS (first at line 3) "
                            "kept once"]
    assert RUN_ID not in run.verdicts()  # END's counts agree with the first RESULT of each test


def test_result_without_run_is_kept_with_a_warning(log_path):
    run = parse_log(log_path("no_run.log"))
    assert verdicts(run) == [("identify.api_info", P), ("psci.version", P)]
    assert run.warnings == ["line 2: RESULT identify.api_info without RUN"]
    assert run.ok


def test_cut_end_line_is_a_crash_with_results_kept(log_path):
    run = parse_log(log_path("cut_end.log"))
    assert run.outcome == Outcome.CRASH
    assert verdicts(run) == [("identify.api_info", P), ("psci.version", P),
                             (RUN_ID, Verdict.CRASH)]
    assert run.warnings == ["line 6: garbled protocol line '[humpy] END pass=2 fail=0 sk'"]


def test_end_on_a_last_line_without_newline_counts(log_path):
    run = parse_log(log_path("end_no_newline.log"))
    assert run.outcome == Outcome.COMPLETE
    assert verdicts(run) == [("identify.api_info", F)]
    assert run.results[0].reason == "x0: expected 0x1 got 0x0"


def test_second_begin_is_a_run_error(log_path):
    run = parse_log(log_path("restart.log"))
    assert run.outcome == Outcome.COMPLETE
    assert verdicts(run) == [("identify.api_info", P), (RUN_ID, E)]
    assert run.results[1].reason == ("second BEGIN at line 3 (first at line 1): the guest "
                                     "started again")
    assert run.warnings == ["line 4: identify.api_info RUN again"]
    assert not run.ok


def test_lost_result_line_fails_counts_and_the_open_test(log_path):
    run = parse_log(log_path("lost_result.log"))
    assert verdicts(run) == [("identify.api_info", P), ("identify.flags", E), ("psci.version", P),
                             (RUN_ID, E)]
    assert run.results[-1].reason == ("END says pass=3 fail=0 skip=0 error=0 but the console holds "
                                      "RESULTs pass=2 fail=0 skip=0 error=0 (lost or garbled "
                                      "lines)")


def test_begin_count_mismatch_is_a_run_error():
    text = ("[humpy] BEGIN profile=hlos tests=3\n[humpy] RUN a.b\n[humpy] RESULT a.b PASS\n"
            "[humpy] END pass=1 fail=0 skip=0 error=0\n")
    run = parse_text(text)
    assert verdicts(run) == [("a.b", P), (RUN_ID, E)]
    assert run.results[-1].reason == "BEGIN announced tests=3 but 1 test(s) ran"


def test_list_mode(log_path):
    run = parse_log(log_path("list.log"), mode="list")
    assert run.outcome == Outcome.COMPLETE and run.ok
    assert run.listed == ["identify.api_info", "identify.flags", "smccc.vendor_uid",
                          "psci.version"]
    assert run.results == []
    bad = parse_text("[humpy] BEGIN profile=hlos tests=2\n[humpy] TEST a.b\n"
                     "[humpy] END pass=0 fail=0 skip=0 error=0\n", mode="list")
    assert verdicts(bad) == [(RUN_ID, E)]
    assert bad.results[0].reason == "BEGIN announced tests=2 but 1 TEST line(s) came"


def test_bench_mode(log_path):
    run = parse_log(log_path("bench.log"), mode="bench")
    assert run.outcome == Outcome.COMPLETE and run.ok
    assert [(b.name, b.value, b.unit, b.reason) for b in run.bench] == [
        ("identify.native", 44.0, "insns", ""), ("identify.smccc", 52.0, "insns", ""),
        ("identify.native_ticks", 44.5, "ticks", ""),
        ("identify.el2_pmu", None, None, "PMU does not count EL2 (count equals the baseline)"),
        # A 0 is no measurement: the counter did not see the hypervisor. Never kept as 0.
        ("identify.zero", None, "insns",
         "the guest's counter read 0 insns: it did not see the hypervisor")]
    assert [b.to_json()["value"] for b in run.bench] == [44, 52, 44.5, None, None]
    assert run.warnings == ["line 7: BENCH identify.zero 0 insns is no measurement; shown n/a"]
    assert (run.profile, run.profile_reason) == (
        "hlos", "no root caps (/chosen humpy,root-*-cap absent or all ones)")


def test_bench_units_are_insns_or_ticks():
    run = parse_text("[humpy] BEGIN profile=hlos tests=0\n[humpy] BENCH a.b 44 instructions\n"
                     "[humpy] BENCH a.c n/a\n[humpy] END pass=0 fail=0 skip=0 error=0\n",
                     mode="bench")
    assert run.bench == []
    assert run.warnings == ["line 2: garbled protocol line '[humpy] BENCH a.b 44 instructions'",
                            "line 3: garbled protocol line '[humpy] BENCH a.c n/a'"]


def test_lines_after_end_are_ignored():
    text = ("[humpy] BEGIN profile=hlos tests=1\n[humpy] RUN a.b\n[humpy] RESULT a.b PASS\n"
            "[humpy] END pass=1 fail=0 skip=0 error=0\n[humpy] RESULT a.b FAIL late\n")
    run = parse_text(text)
    assert verdicts(run) == [("a.b", P)]
    assert run.warnings == ["line 5: RESULT a.b after END ignored"]


def test_begin_may_grow_fields_but_other_lines_must_match_in_full():
    run = parse_text("[humpy] BEGIN profile=root tests=0 build=abc\n"
                     "[humpy] END pass=0 fail=0 skip=0 error=0 extra\n")
    assert run.profile == "root" and run.begin_tests == 0
    assert run.outcome == Outcome.CRASH  # the END line had trailing junk


def test_incremental_feed_any_chunking_gives_the_same_result(log_path):
    with open(log_path("mixed.log"), "rb") as f:
        data = f.read()
    whole = parse_text(data)
    for size in (1, 2, 3, 7, 64):
        parser = ConsoleParser(clock=None)
        for i in range(0, len(data), size):
            parser.feed(data[i:i + size])
        run = parser.finish(Outcome.CRASH)
        assert verdicts(run) == verdicts(whole)
        assert [r.reason for r in run.results] == [r.reason for r in whole.results]


def test_utf8_split_across_chunks_and_invalid_bytes():
    parser = ConsoleParser(clock=None)
    text = "[humpy] BEGIN profile=hlos tests=1\n[humpy] RUN a.b\n[humpy] RESULT a.b FAIL µ≠\n"
    data = text.encode()
    cut = data.index("µ".encode()) + 1  # in the middle of a two-byte character
    parser.feed(data[:cut])
    parser.feed(data[cut:] + b"\xff\xfe free text\n[humpy] END pass=0 fail=1 skip=0 error=0\n")
    run = parser.finish(Outcome.CRASH)
    assert run.results[0].reason == "µ≠"
    assert run.outcome == Outcome.COMPLETE


def test_progress_counts_only_well_formed_lines():
    now = [1.0]
    parser = ConsoleParser(clock=lambda: now[0])
    assert parser.feed(b"free text\n[humpy] garbage\n") == 0
    assert parser.last_progress is None
    assert parser.feed(b"[humpy] BEGIN profile=hlos tests=1\n[humpy] RUN a") == 1
    assert parser.last_progress == 1.0
    now[0] = 2.0
    assert parser.feed(b".b\n") == 1  # the RUN line completes
    assert parser.last_progress == 2.0
    run = parser.finish(Outcome.TIMEOUT, "no protocol line for 5 s")
    assert verdicts(run) == [("a.b", Verdict.TIMEOUT)]


def test_duration_from_run_to_result():
    now = [10.0]
    parser = ConsoleParser(clock=lambda: now[0])
    parser.feed(b"[humpy] BEGIN profile=hlos tests=1\n[humpy] RUN a.b\n")
    now[0] = 11.75
    parser.feed(b"[humpy] RESULT a.b PASS\n")
    run = parser.finish(Outcome.CRASH)
    assert run.results[0].duration == 1.75


def test_protocol_names_are_stable():
    # lava-jobs/ reads these names; renaming one breaks the LAVA templates.
    for name in ("PREFIX", "TEST_ID", "BEGIN_PATTERN", "RUN_PATTERN", "RESULT_PATTERN",
                 "END_PATTERN", "TEST_PATTERN", "BENCH_PATTERN", "LAVA_START", "LAVA_END",
                 "LAVA_FIXUP"):
        assert hasattr(protocol, name), name
    assert protocol.LAVA_FIXUP == {"PASS": "pass", "FAIL": "fail", "SKIP": "skip",
                                   "ERROR": "unknown"}


def test_panic_banner_is_quoted_in_the_crash_reason(log_path):
    run = parse_log(log_path("hyp_panic.log"))
    assert verdicts(run) == [(RUN_ID, Verdict.CRASH)]
    assert run.results[0].reason == ("console ended without END; console line 4: 'humpy: PANIC "
                                     "unexpected sync exception in the hypervisor' (before BEGIN)")
    run = parse_log(log_path("panic_in_test.log"))
    assert verdicts(run) == [("identify.api_info", P), ("regs.preserve", Verdict.CRASH)]
    assert run.results[1].reason == ("console ended without END; console line 6: 'humpy: PANIC "
                                     "unexpected sync exception in the hypervisor'")
    # The same console cut by the harness's no-progress limit (a hypervisor that halts).
    with open(log_path("panic_in_test.log")) as f:
        run = parse_text(f.read(), ending=Outcome.TIMEOUT, reason="no protocol line for 20 s")
    assert run.results[1].verdict == Verdict.TIMEOUT
    assert run.results[1].reason.startswith("no protocol line for 20 s; console line 6: ")


def test_profile_line_gives_the_reason_and_must_agree_with_begin():
    ok = parse_text("[humpy] BEGIN profile=root tests=0\n"
                    "[humpy] PROFILE root root caps in /chosen: partition=0x1 cspace=0x2\n"
                    "[humpy] END pass=0 fail=0 skip=0 error=0\n")
    assert (ok.profile, ok.profile_reason) == ("root", "root caps in /chosen: partition=0x1 cspace=0x2")
    assert ok.ok and ok.results == []
    for body, error in [
        ("[humpy] BEGIN profile=root tests=0\n[humpy] PROFILE hlos no caps\n",
         "PROFILE hlos at line 2 but BEGIN said profile=root"),
        ("[humpy] BEGIN profile=root tests=0\n[humpy] PROFILE root a\n[humpy] PROFILE root b\n",
         "second PROFILE at line 3 (first at line 2)"),
        ("[humpy] PROFILE root a\n[humpy] BEGIN profile=root tests=0\n",
         "PROFILE at line 1 before BEGIN"),
    ]:
        run = parse_text(body + "[humpy] END pass=0 fail=0 skip=0 error=0\n")
        assert [(r.id, r.verdict, r.reason) for r in run.results] == [(RUN_ID, E, error)]
    # A PROFILE line without a reason, or with a profile of no such name, is garbled.
    run = parse_text("[humpy] BEGIN profile=root tests=0\n[humpy] PROFILE root\n"
                     "[humpy] PROFILE guest because\n[humpy] END pass=0 fail=0 skip=0 error=0\n")
    assert run.profile_reason is None and len(run.warnings) == 2


def test_setup_error_is_an_item_in_run_mode_and_a_warning_in_list_mode():
    text = ("[humpy] BEGIN profile=hlos tests=0\n[humpy] PROFILE hlos no caps\n"
            "[humpy] SETUP_ERROR vgic GICR_WAKER.ChildrenAsleep stuck at 1\n"
            "[humpy] SETUP_ERROR fpu no such component\n"
            "[humpy] END pass=0 fail=0 skip=0 error=0\n")
    run = parse_text(text)
    assert [(r.id, r.verdict, r.reason, r.line) for r in run.results] == [
        ("guest_setup.vgic", E, "guest set-up of the vgic failed: GICR_WAKER.ChildrenAsleep "
         "stuck at 1", 3)]
    assert not run.ok
    assert run.warnings == ["line 4: garbled protocol line '[humpy] SETUP_ERROR fpu no such "
                            "component'"]
    listed = parse_text(text, mode="list")
    assert listed.results == [] and listed.ok
    assert listed.warnings[-1] == ("line 3: guest set-up of the vgic failed: "
                                   "GICR_WAKER.ChildrenAsleep stuck at 1")


def test_garbage_guest_reason_quotes_the_line_that_explains_it():
    # A guest that is no humpy guest faults in its own vector: the hypervisor stops the vCPU, then
    # powers off; the reason must quote the stop, not the power-off that follows it.
    run = parse_text("humpy: hypervisor up\n"
                     "humpy: VM 1 vCPU 0 stopped: exception inside its own exception vector\n"
                     "humpy: no vCPU left to run: powering off\n", ending=Outcome.CRASH)
    (r,) = run.results
    assert r.verdict == Verdict.CRASH
    assert "console line 2: " in r.reason
    assert "vCPU 0 stopped: exception inside its own exception vector" in r.reason
    assert "no vCPU left" not in r.reason

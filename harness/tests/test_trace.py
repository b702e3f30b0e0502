"""Hypercall traces (bootarg humpy.trace): TRACE lines collected from a canned console, and the
CLI's --trace FILE over the fake QEMU."""

import subprocess

from humpy_harness import qemu
from humpy_harness.model import Outcome, Verdict
from humpy_harness.parser import parse_log

TRACE_LINES = [
    "[humpy] TRACE caps partition=a24ad8cb3dbafbe5 cspace=a24ad8cb3dbae4c3",
    "[humpy] TRACE identify.api_info n 0x00 -> 5100000000008001 1",
    "[humpy] TRACE identify.api_info s 0x00 -> 5100000000008001 1",
    "[humpy] TRACE root.copy_ands_rights n 0x23 a24ad8cb3dbae4c3 a24ad8cb3dbafbe5 "
    "a24ad8cb3dbae4c3 5 0 -> 0 a24ad8cb3dbb0001",
    "[humpy] TRACE root.copy_ands_rights n 0x22 a24ad8cb3dbae4c3 a24ad8cb3dbb0001 0 -> 0 0",
    "[humpy] TRACE root.copy_ands_rights s 0x7f01 -> ffffffffffffffff 0",
    "[humpy] TRACE root.copy_ands_rights dropped=7",
]


def test_parser_collects_trace_lines_in_order(log_path):
    run = parse_log(log_path("trace.log"))
    assert run.outcome == Outcome.COMPLETE and run.ok
    assert [(r.id, r.verdict) for r in run.results] == [("identify.api_info", Verdict.PASS),
                                                        ("root.copy_ands_rights", Verdict.PASS)]
    assert run.trace == TRACE_LINES
    assert run.cover is not None and run.cover.lines == 1


def test_parser_rejects_garbled_trace_lines(log_path):
    assert parse_log(log_path("trace.log")).warnings == [
        "line 12: garbled protocol line '[humpy] TRACE root.copy_ands_rights n 0x23 1 2 3 4 5 6 7 "
        "8 9 -> 0 0'",
        "line 13: garbled protocol line '[humpy] TRACE root.copy_ands_rights x 0x23 -> 0 0'",
        "line 14: garbled protocol line '[humpy] TRACE root.copy_ands_rights n 0x23 -> 0'",
        "line 15: garbled protocol line '[humpy] TRACE root.copy_ands_rights n 0x23 -> 0 "
        "10000000000000000'",
        "line 16: garbled protocol line '[humpy] TRACE rootcopy n 0x23 -> 0 0'",
        "line 21: TRACE after END ignored",
    ]


def test_no_trace_lines_is_empty(log_path):
    assert parse_log(log_path("clean.log")).trace == []


def test_bootargs_trace_token():
    assert qemu.bootargs(["root.*"], trace=True) == "humpy.tests=root.* humpy.trace"
    assert qemu.bootargs(["root.*"], trace=True, cover=True) == (
        "humpy.tests=root.* humpy.trace humpy.cover")
    assert "humpy.trace" not in qemu.bootargs(["root.*"])


def test_cli_trace_writes_the_lines_and_asks_the_guest(cli, tmp_path):
    out = tmp_path / "seeds" / "conformance.trace"
    proc = cli("run", "--trace", str(out), guest="trace.yaml")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert out.read_text().splitlines() == TRACE_LINES
    assert f"trace: {len(TRACE_LINES)} TRACE line(s) in {out}" in proc.stdout
    logs = tmp_path / "reports" / "logs"
    run_dtb = next(logs.glob("*-run.dtb"))
    list_dtb = next(logs.glob("*-list.dtb"))
    args = {}
    for dtb in (run_dtb, list_dtb):
        args[dtb] = subprocess.run(["fdtget", "-t", "s", str(dtb), "/chosen", "bootargs"],
                                   capture_output=True, text=True, check=True).stdout.split()
    assert "humpy.trace" in args[run_dtb]
    assert "humpy.trace" not in args[list_dtb]  # the list boot makes no calls to trace


def test_cli_trace_is_a_run_option(cli, tmp_path):
    proc = cli("list", "--trace", str(tmp_path / "t"))
    assert proc.returncode == 2
    assert "unrecognized arguments: --trace" in proc.stderr

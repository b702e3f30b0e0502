"""The guest's line protocol (conformance/PROTOCOL.md), written down once.

The harness parses consoles with these patterns and the LAVA templates put the same strings into
their `monitors` blocks, so a board run and a QEMU run read the guest identically.
"""

PREFIX = "[humpy] "

# Ids are `area.name`; LAVA takes `test_case_id` and `result` from the named groups.
TEST_ID = r"[a-z0-9_]+\.[a-z0-9_]+"
GUEST_VERDICTS = ("PASS", "FAIL", "SKIP", "ERROR")

BEGIN_PATTERN = r"^\[humpy\] BEGIN profile=(?P<profile>[a-z0-9_]+) tests=(?P<tests>[0-9]+)"
RUN_PATTERN = r"^\[humpy\] RUN (?P<test_case_id>" + TEST_ID + r")\s*$"
RESULT_PATTERN = (r"\[humpy\] RESULT (?P<test_case_id>" + TEST_ID + r") "
                  r"(?P<result>PASS|FAIL|SKIP|ERROR)(?: (?P<reason>[^\r\n]*))?")
END_PATTERN = (r"^\[humpy\] END pass=(?P<pass>[0-9]+) fail=(?P<fail>[0-9]+) "
               r"skip=(?P<skip>[0-9]+) error=(?P<error>[0-9]+)\s*$")
TEST_PATTERN = r"^\[humpy\] TEST (?P<test_case_id>" + TEST_ID + r")\s*$"
# The guest's profile and why (root caps found in /chosen or not), right after BEGIN.
PROFILES = ("root", "hlos")
PROFILE_PATTERN = r"^\[humpy\] PROFILE (?P<profile>root|hlos) (?P<reason>[^\r\n]*\S)\s*$"
# A set-up step of the guest failed (it carries on, but the run cannot be trusted: a failed run).
SETUP_COMPONENTS = ("fdt", "mmu", "console", "timer", "vgic")
SETUP_ERROR_PATTERN = (r"^\[humpy\] SETUP_ERROR (?P<component>" + "|".join(SETUP_COMPONENTS) +
                       r") (?P<reason>[^\r\n]*\S)\s*$")
# A measurement with its unit (insns: instructions under -icount; ticks: the generic counter), or
# n/a with the reason the guest cannot measure it (a counter that does not see the hypervisor).
BENCH_UNITS = ("insns", "ticks")
BENCH_PATTERN = (r"^\[humpy\] BENCH (?P<name>[a-z0-9_.]+) (?:(?P<value>[0-9]+(?:\.[0-9]+)?) "
                 r"(?P<unit>" + "|".join(BENCH_UNITS) + r")|n/a (?P<reason>[^\r\n]*\S))\s*$")
# Spec coverage (run mode, before END): x0 values a hypercall returned on a path, with counts.
# The harness only; LAVA ignores these lines.
COVER_VALUE = r"(?:-?[0-9]{1,20}|0x[0-9a-f]{1,16})"
COVER_PATTERN = (r"^\[humpy\] COVER (?P<call>0x[0-9a-f]{2,4}|past) (?P<path>[ns])"
                 r"(?P<pairs>(?: " + COVER_VALUE + r"=[0-9]{1,10})*)"
                 r"(?: unrecorded=(?P<unrecorded>[0-9]{1,10}))?\s*$")
COVER_PATHS = {"n": "native", "s": "smccc"}
# Hypercall trace (bootarg humpy.trace): each hypercall of a test with its inputs and x0, x1 in bare
# hex; a test past the guest's per-test limit adds a dropped= line; the root caps come once, first.
# The harness collects these lines (fuzz/seeds/trace2seeds.py reads them); LAVA ignores them.
TRACE_HEX = r"[0-9a-f]{1,16}"
TRACE_PATTERN = (r"^\[humpy\] TRACE (?:(?P<test_case_id>" + TEST_ID + r") "
                 r"(?:(?P<path>[ns]) (?P<call>0x[0-9a-f]{2,4})(?P<inputs>(?: " + TRACE_HEX + r"){0,8})"
                 r" -> (?P<x0>" + TRACE_HEX + r") (?P<x1>" + TRACE_HEX + r")"
                 r"|dropped=(?P<dropped>[0-9]{1,10}))"
                 r"|caps partition=(?P<partition>" + TRACE_HEX + r") cspace=(?P<cspace>" + TRACE_HEX +
                 r"))\s*$")

# The literal text that opens and closes a run. LAVA hands its monitor start/end to pexpect as regexes,
# so the LAVA renderer escapes these (re.escape); keep them unescaped here.
LAVA_START = "[humpy] BEGIN"
LAVA_END = "[humpy] END"
# LAVA results must be pass/fail/skip/unknown: ERROR (the test could not run) is "unknown".
LAVA_FIXUP = {"PASS": "pass", "FAIL": "fail", "SKIP": "skip", "ERROR": "unknown"}

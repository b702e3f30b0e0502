#!/bin/bash
# test-fuzz-system.sh HYP BUG23_HYP BUG22_HYP (make test-fuzz-system, in make test; under a minute):
#   1. make fuzz-system's runner fuzzes HYP for SYSFUZZ_TEST_SECONDS (15): inputs ran (execs > 0),
#      a progress line was printed, no finding on the clean build;
#   2. the committed reproducer of planted bug 23 (fuzz/system/regressions/bug23-far) replays to its
#      finding (invariant, FAR) on BUG23_HYP; it and every other reproducer there (findings that
#      were fixed) replay to none on HYP;
#   3. the committed sequence reproducer of planted bug 22 (fuzz/system/regressions/bug22-*, a folder:
#      inputs run in order in one boot) replays to its finding (invariant, a read of the reserved
#      GICR window) at its last input on BUG22_HYP, its last input alone to none there (the finding
#      needs what the earlier inputs left behind), and the whole to none on HYP (step 2);
#   4. nothing is left running: no process whose command line names this test's folders, and no
#      guest-RAM file of its shims in /dev/shm.
set -euo pipefail
here=$(dirname "$0")
hyp=$1 bug=$2 bug22=$3
out=$SYSFUZZ_BUILD/test
reproducer=fuzz/system/regressions/bug23-far
sequence=$(find fuzz/system/regressions -maxdepth 1 -type d -name 'bug22-*' | sort | head -1)
[ -d "$sequence" ] || { echo "test-fuzz-system: FAIL: no sequence reproducer fuzz/system/regressions/bug22-*" >&2; exit 1; }
fail() { echo "test-fuzz-system: FAIL: $*" >&2; exit 1; }
rm -rf "$out"
mkdir -p "$out"

FUZZ_PROGRESS=5 "$here/fuzz-system.sh" "$hyp" "${SYSFUZZ_TEST_SECONDS:-15}" "$out/run" >"$out/run.txt" 2>&1 ||
	{ cat "$out/run.txt"; fail "fuzz-system.sh failed"; }
grep '^fuzz-system:' "$out/run.txt" | tail -6
execs=$(awk '$1 == "execs" { print $2 }' "$out/run/state/shim-stats")
[ "${execs:-0}" -gt 0 ] || fail "no input ran"
grep -qE '^fuzz-system: [0-9]+ s \| execs [0-9]+' "$out/run.txt" || fail "no progress line"
[ -z "$(find "$out/run/afl/default/crashes" -type f -name 'id:*')" ] ||
	fail "findings on the clean build: $(cat "$out/run/state/findings.log")"

rc=0
"$here/replay.sh" "$bug" "$reproducer" >"$out/bug.txt" 2>&1 || rc=$?
cat "$out/bug.txt" | grep '^sysfuzz replay: ' | head -1
[ $rc -eq 1 ] && grep -q "invariant: .*expected EC 0x25, FAR" "$out/bug.txt" ||
	{ cat "$out/bug.txt"; fail "planted bug 23's reproducer did not replay to its finding (exit $rc)"; }
rc=0
"$here/replay.sh" "$bug22" "$sequence" >"$out/bug22.txt" 2>&1 || rc=$?
n=$(find "$sequence" -maxdepth 1 -type f | wc -l)
summary=$(grep -F "sysfuzz replay: $sequence: " "$out/bug22.txt" | tail -1)
echo "$summary"
[ $rc -eq 1 ] && [ "$n" -ge 2 ] &&
	echo "$summary" | grep -qE "^sysfuzz replay: $sequence: invariant: .*SGI_base \+ 0x4[23][0-9a-f], reserved.* \(input $n of $n, one boot\)$" ||
	{ cat "$out/bug22.txt"; fail "planted bug 22's sequence did not replay to its finding at its last input (exit $rc)"; }
rc=0
"$here/replay.sh" "$bug22" "$(find "$sequence" -maxdepth 1 -type f | sort | tail -1)" >"$out/bug22-last.txt" 2>&1 || rc=$?
[ $rc -eq 0 ] || { cat "$out/bug22-last.txt"; fail "the last input of bug 22's sequence gives a finding alone (exit $rc): not a sequence"; }
# Every committed reproducer (bug 23's, bug 22's sequence and the fixed findings') replays clean on
# the clean build.
"$here/replay.sh" "$hyp" fuzz/system/regressions/* >"$out/clean.txt" 2>&1 ||
	{ cat "$out/clean.txt"; fail "a reproducer in fuzz/system/regressions gives a finding on the clean build"; }

sleep 0.5
left=$(ps -eo pid=,args= | grep -F -e "$SYSFUZZ_BUILD/test" -e "$SYSFUZZ_BUILD/replay-" | grep -v -e grep -e "$$" || true)
[ -z "$left" ] || fail "left running: $left"
for pid in $(cat "$out"/run/state/shim.pids 2>/dev/null); do
	[ -z "$(ls /dev/shm/humpy-sysfuzz-"$pid"-* 2>/dev/null)" ] || fail "guest RAM file of shim $pid left"
done
echo "test-fuzz-system: OK: $execs inputs in ${SYSFUZZ_TEST_SECONDS:-15} s, bug 23 reproducer and bug 22's sequence of $n replay, nothing left running"

#!/bin/bash
# replay.sh HYP INPUT...: boots HYP with the fuzzing guest once per input, runs it, says what happened
# (ok, invariant, panic, guest-crash, watchdog, qemu-exit) with the console line; exit 1 if any
# input gave a finding. An INPUT that is a folder is a sequence: its files run in name order in one
# fresh boot, up to the first finding (a reproducer of a finding that needs what earlier inputs
# left behind). QEMU is stopped by the shim on every path.
set -euo pipefail
here=$(dirname "$0")
. "$here/common.sh"
hyp=$1
shift
for f in "$@"; do
	[ -f "$f" ] || [ -d "$f" ] || { echo "fuzz-system-replay: no input file or folder $f" >&2; exit 2; }
done
work=${SYSFUZZ_REPLAY_WORK:-${SYSFUZZ_BUILD}/replay-$$}
rm -rf "$work"
rc=0
sysfuzz_shim "$hyp" "$work" --restart 1 --replay "$@" || rc=$?
if [ $rc -eq 1 ]; then
	echo "console of the last run ($work/console.log):"
	grep -E 'PANIC|sysfuzz: INVARIANT|outside a test|ESR_EL2|FAR_EL2' "$work/console.log" | head -8 || true
fi
exit $rc

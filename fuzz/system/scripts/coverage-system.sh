#!/bin/bash
# coverage-system.sh HYP "SUITE COMMAND": the EL2 coverage (el2cov plugin, cov=) of a conformance
# run (SUITE COMMAND: `make conformance-run EL2COV=$SYSFUZZ_BUILD/coverage/suite`, both profiles)
# and of the system fuzzer's corpus replayed (the queue of the last `make fuzz-system`; without one,
# its seeds, and the report says so), then the per-function report of hyp/arch (el2_coverage.py) in
# $SYSFUZZ_REPORTS/el2-coverage.md. Every QEMU it starts is stopped on every exit path: the harness
# kills its own, the shim's dies with the shim (PDEATHSIG), which this stops.
set -euo pipefail
here=$(dirname "$0")
. "$here/common.sh"
hyp=$1 suite_cmd=$2
dir=$SYSFUZZ_BUILD/coverage
rm -rf "$dir"
mkdir -p "$dir/suite" "$dir/fuzz"
shim_pid=
stop() {
	trap - EXIT INT TERM
	[ -z "$shim_pid" ] || { kill -TERM "$shim_pid" 2>/dev/null; wait "$shim_pid" 2>/dev/null || true; }
	shim_pid=
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

echo "fuzz-coverage-system: the conformance suite with the plugin ($suite_cmd)"
start=$(date +%s)
rc=0
# shellcheck disable=SC2086
eval "$suite_cmd" >"$dir/suite-run.txt" 2>&1 || rc=$?
grep -E '^(humpy run|humpy: profile)' "$dir/suite-run.txt" | sed 's/^/fuzz-coverage-system: /' || true
suite_files=$(find "$dir/suite" -name 'el2cov-*.txt' -size +0 | sort)
# A bad verdict (rc != 0) still gives coverage; no coverage file at all means the suite never ran.
[ -n "$suite_files" ] || {
	echo "fuzz-coverage-system: the suite wrote no coverage (exit $rc; $dir/suite-run.txt):" >&2
	tail -5 "$dir/suite-run.txt" >&2
	exit 1
}
echo "fuzz-coverage-system: suite done in $(($(date +%s) - start)) s (exit $rc), $(echo "$suite_files" | wc -l) QEMU coverage files"

queue=$SYSFUZZ_REPORTS/run/afl/default/queue
if [ -d "$queue" ] && [ -n "$(find "$queue" -maxdepth 1 -type f -name 'id:*' -print -quit)" ]; then
	inputs=$(find "$queue" -maxdepth 1 -type f -name 'id:*' | sort)
	source="the corpus of the last make fuzz-system ($(echo "$inputs" | wc -l) inputs of $queue)"
else
	${PYTHON:-/usr/bin/python3} "$here/seeds.py" --out "$dir/seeds"
	inputs=$(find "$dir/seeds" -type f | sort)
	source="NO CORPUS YET (no make fuzz-system run in $SYSFUZZ_REPORTS/run): its $(echo "$inputs" | wc -l) seeds only"
fi
echo "fuzz-coverage-system: system fuzzer column: $source"
# shellcheck disable=SC2086
sysfuzz_shim "$hyp" "$dir/fuzz-work" --restart 1000 --cov "$(cd "$dir/fuzz" && pwd)/fuzz-%p.txt" \
	--replay $inputs >"$dir/fuzz-replay.txt" 2>&1 &
shim_pid=$!
wait "$shim_pid" || true
shim_pid=
tail -1 "$dir/fuzz-replay.txt" | sed 's/^/fuzz-coverage-system: replay: /'
fuzz_files=$(find "$dir/fuzz" -name 'fuzz-*.txt' -size +0 | sort)
[ -n "$fuzz_files" ] || {
	echo "fuzz-coverage-system: the replay wrote no coverage ($dir/fuzz-replay.txt)" >&2
	exit 1
}
# shellcheck disable=SC2086
${PYTHON:-/usr/bin/python3} "$here/el2_coverage.py" --elf "$hyp" --nm "${CROSS}nm" \
	--suite $suite_files --fuzz $fuzz_files --fuzz-source "$source" \
	--suite-source "make conformance-run EL2COV=... ($(grep -c '^humpy run' "$dir/suite-run.txt") run(s))" \
	--out "$SYSFUZZ_REPORTS/el2-coverage.md"

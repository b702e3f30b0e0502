#!/bin/bash
# coverage-system.sh HYP "HARNESS RUN COMMAND": the EL2 coverage (el2cov plugin, cov=) of one
# conformance run through the harness CLI (--extra-qemu-args "-plugin ...") and of the system
# fuzzer's corpus replayed (the queue of the last `make fuzz-system`, else its seeds), then the
# per-function report of hyp/arch (el2_coverage.py) in $SYSFUZZ_REPORTS/el2-coverage.md.
set -euo pipefail
here=$(dirname "$0")
. "$here/common.sh"
hyp=$1 harness=$2
dir=$SYSFUZZ_BUILD/coverage
text=$(sysfuzz_text "$hyp")
rm -rf "$dir"
mkdir -p "$dir/suite" "$dir/fuzz"
echo "fuzz-coverage-system: the conformance suite with the plugin"
rc=0
eval "$harness --extra-qemu-args \"-plugin $SYSFUZZ_PLUGIN,lo=${text%%:*},hi=${text##*:},cov=$(cd "$dir/suite" && pwd)/suite-%p.txt\"" \
	>"$dir/suite-run.txt" 2>&1 || rc=$?
grep -E '^humpy run:' "$dir/suite-run.txt" || true
[ $rc -le 1 ] || { echo "fuzz-coverage-system: the harness failed (exit $rc, $dir/suite-run.txt)" >&2; exit 1; }
queue=$SYSFUZZ_REPORTS/run/afl/default/queue
if [ -d "$queue" ] && [ -n "$(ls -A "$queue")" ]; then
	inputs=$(find "$queue" -maxdepth 1 -type f -name 'id:*' | sort)
	echo "fuzz-coverage-system: the system fuzzer's corpus ($(echo "$inputs" | wc -l) inputs of $queue)"
else
	${PYTHON:-/usr/bin/python3} "$here/seeds.py" --out "$dir/seeds"
	inputs=$(find "$dir/seeds" -type f | sort)
	echo "fuzz-coverage-system: no corpus yet (make fuzz-system): the seeds only"
fi
# shellcheck disable=SC2086
sysfuzz_shim "$hyp" "$dir/fuzz-work" --restart 1000 --cov "$(cd "$dir/fuzz" && pwd)/fuzz-%p.txt" \
	--replay $inputs >"$dir/fuzz-replay.txt" 2>&1 || true
tail -1 "$dir/fuzz-replay.txt"
${PYTHON:-/usr/bin/python3} "$here/el2_coverage.py" --elf "$hyp" --nm "${CROSS}nm" \
	--suite "$dir"/suite/*.txt --fuzz "$dir"/fuzz/*.txt --out "$SYSFUZZ_REPORTS/el2-coverage.md"

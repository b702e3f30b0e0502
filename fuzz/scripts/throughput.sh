#!/bin/bash
# throughput.sh TARGET SECONDS: one libFuzzer worker on TARGET from its seeds (and dictionary) for
# SECONDS into a scratch corpus; prints the inputs run per second of wall time and per CPU second
# of the worker (the figure that does not depend on what else the machine runs), the coverage
# libFuzzer counts, and the same as one JSON line ($FUZZ_REPORTS/throughput-TARGET.json).
set -u
here=$(dirname "$0")
# shellcheck source=fuzz/scripts/fuzz-procs.sh
. "$here/fuzz-procs.sh"
[ $# -eq 2 ] || die "usage: throughput.sh TARGET SECONDS"
: "${FUZZ_BUILD:?}" "${FUZZ_REPORTS:?}"
t=$1 secs=$2
need_count SECONDS "$secs" 3600 seconds
bin=$FUZZ_BUILD/libfuzzer/$t
[ -x "$bin" ] || die "TARGET=$t: no program $bin"
dict=
for d in "$FUZZ_BUILD/dict/$t.dict" "fuzz/dict/$t.dict"; do
	[ -f "$d" ] && dict="-dict=$d"
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/corpus" "$FUZZ_REPORTS"
export ASAN_OPTIONS=detect_leaks=0:symbolize=0
# shellcheck disable=SC2086
/usr/bin/time -f 'TIME %e %U %S' "$bin" -max_total_time="$secs" -print_final_stats=1 -timeout=10 \
	$dict -artifact_prefix="$tmp/" "$tmp/corpus" "$FUZZ_BUILD/seeds/$t" >"$tmp/log" 2>&1
rc=$?
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$tmp/log")
read -r _ wall user sys < <(grep '^TIME' "$tmp/log")
line=$(grep -E '^#[0-9]+.*cov: ' "$tmp/log" | tail -1)
cov=$(sed -n 's/.*cov: \([0-9]*\).*/\1/p' <<<"$line")
ft=$(sed -n 's/.*ft: \([0-9]*\).*/\1/p' <<<"$line")
if [ "$rc" -ne 0 ] || [ -z "$execs" ]; then
	echo "throughput: $t: the run failed (exit $rc): $(grep -E 'INVARIANT|ERROR' "$tmp/log" | head -2)" >&2
	exit 1
fi
awk -v t="$t" -v e="$execs" -v w="$wall" -v u="$user" -v s="$sys" -v c="${cov:-0}" -v f="${ft:-0}" \
	-v json="$FUZZ_REPORTS/throughput-$t.json" 'BEGIN {
	cpu = u + s
	printf "throughput %s: %d inputs in %.1f s wall, %.1f s CPU: %.0f/s wall, %.0f per CPU second (cov %d, ft %d)\n",
		t, e, w, cpu, e / w, e / cpu, c, f
	printf "{\"target\": \"%s\", \"execs\": %d, \"wall_s\": %.2f, \"cpu_s\": %.2f, \"execs_per_s\": %.0f, \"execs_per_cpu_s\": %.0f, \"cov\": %d, \"ft\": %d}\n",
		t, e, w, cpu, e / w, e / cpu, c, f > json
}'

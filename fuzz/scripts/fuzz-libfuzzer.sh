#!/bin/bash
# fuzz-libfuzzer.sh TARGET SECONDS JOBS: libFuzzer on one target with -jobs/-workers = JOBS for
# SECONDS of wall time. Corpus $FUZZ_REPORTS/libfuzzer/TARGET/corpus (kept: a second run resumes
# from it), findings in .../crashes, worker logs in .../logs. A crashed job is replaced by a new one
# until the time is up. Progress line every FUZZ_PROGRESS seconds (default 10), summary at the end
# ($FUZZ_REPORTS/libfuzzer-TARGET-summary.txt).
#
# Exit status: 0 without a finding; 1 with one, or when libFuzzer stopped early; 2 for bad arguments
# (nothing started); 130 when interrupted. libFuzzer and its workers run in a session of their own
# and are stopped on every exit path, by process group (fuzz-procs.sh).
set -u
here=$(dirname "$0")
# shellcheck source=fuzz/scripts/fuzz-procs.sh
. "$here/fuzz-procs.sh"
[ $# -eq 3 ] || die "usage: fuzz-libfuzzer.sh TARGET SECONDS JOBS"
: "${FUZZ_BUILD:?}" "${FUZZ_REPORTS:?}"
t=$1 secs=$2 jobs=$3
every=${FUZZ_PROGRESS:-10}
need_count SECONDS "$secs" 100000000 seconds
need_count JOBS "$jobs" 256 jobs
need_count FUZZ_PROGRESS "$every" 3600 seconds
[ -x "$FUZZ_BUILD/libfuzzer/$t" ] ||
	die "TARGET=$t: no program $FUZZ_BUILD/libfuzzer/$t (make fuzz-libfuzzer builds it; targets: ${FUZZ_TARGETS:-see fuzz/fuzz.mk})"
[ -d "$FUZZ_BUILD/seeds/$t" ] || die "no seeds in $FUZZ_BUILD/seeds/$t (make fuzz-seeds)"
bin=$(realpath "$FUZZ_BUILD/libfuzzer/$t")
seeds=$(realpath "$FUZZ_BUILD/seeds/$t")
dict=
for d in "$FUZZ_BUILD/dict/$t.dict" "fuzz/dict/$t.dict"; do
	[ -f "$d" ] && dict="-dict=$(realpath "$d")"
done
mkdir -p "$FUZZ_REPORTS/libfuzzer/$t"
out=$(realpath "$FUZZ_REPORTS/libfuzzer/$t")
tag="libfuzzer:$out"

lock=$out/.runner # the exit path removes it while it is still ours
claim_output "$out" "$tag"
rm -rf "$out/logs" "$out/live"
mkdir -p "$out/corpus" "$out/crashes" "$out/logs" "$out/live"
export ASAN_OPTIONS=detect_leaks=0:symbolize=0

interrupted=
finish() {
	trap - EXIT INT TERM HUP
	stop_tagged "$tag" 10
	[ "$(cat "$lock" 2>/dev/null)" = "$$" ] && rm -f "$lock"
}
trap finish EXIT
trap 'interrupted=130' INT HUP
trap 'interrupted=143' TERM

start=$(date +%s)
# Many jobs, JOBS at a time: libFuzzer starts another whenever one stops on a finding. A session of
# its own: the workers are its children (through sh -c), in its process group.
(
	cd "$out/logs" &&
		HUMPY_FUZZ_RUN=$tag HUMPY_FUZZ_LIVE="$out/live" exec setsid "$bin" -jobs=100000 -workers="$jobs" \
			-max_total_time="$secs" -timeout=10 -print_final_stats=1 $dict \
			-artifact_prefix="$out/crashes/" "$out/corpus" "$seeds"
) >"$out/main.log" 2>&1 &
pid=$!

# Executions so far, the larger of two counts that can only lag: the live count each worker process
# writes about once a second (fuzz/harness/live_libfuzzer.c, one file per pid in $out/live), and
# from the logs each worker's last status line ("#N ...", printed only at powers of two and on new
# coverage) or, once it ended, its final count (exact: after the end the logs decide).
count_execs() {
	local f n total=0 live
	for f in "$out"/logs/fuzz-*.log; do
		[ -f "$f" ] || continue
		n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$f" | tail -1)
		[ -n "$n" ] || n=$(sed -n 's/^#\([0-9]*\)[[:space:]].*/\1/p' "$f" | tail -1)
		total=$((total + ${n:-0}))
	done
	live=$(cat "$out"/live/* 2>/dev/null | awk '$1 == "execs" { s += $2 } END { print s + 0 }')
	[ "$live" -gt "$total" ] && total=$live
	echo "$total"
}

last_execs=0 last_at=$start
progress() {
	local now execs eps cov=0 ft=0 f line c shown
	now=$(date +%s)
	execs=$(count_execs)
	eps=0
	[ "$now" -gt "$last_at" ] && eps=$(((execs - last_execs) / (now - last_at)))
	[ "$eps" -ge 0 ] || eps=0
	last_execs=$execs last_at=$now
	for f in "$out"/logs/fuzz-*.log; do
		[ -f "$f" ] || continue
		line=$(grep -E '^#[0-9]+.*cov: ' "$f" | tail -1)
		c=$(sed -n 's/.*cov: \([0-9]*\).*/\1/p' <<<"$line")
		[ "${c:-0}" -gt "$cov" ] && cov=$c
		c=$(sed -n 's/.*ft: \([0-9]*\).*/\1/p' <<<"$line")
		[ "${c:-0}" -gt "$ft" ] && ft=$c
	done
	shown=$((now - start))
	[ "$shown" -le "$secs" ] || shown=$secs
	printf '[fuzz-libfuzzer %s %s/%s] workers %d | execs/s %s | execs %s | corpus %s | crashes %s | coverage %s edges, %s features\n' \
		"$t" "$(clock "$shown")" "$(clock "$secs")" "$jobs" "$eps" "$execs" \
		"$(find "$out/corpus" -type f | wc -l)" "$(find "$out/crashes" -type f | wc -l)" "$cov" "$ft"
}

deadline=$((start + secs))
next=$((start + every))
early=
while :; do
	sleep 0.5
	[ -z "$interrupted" ] || break
	if ! kill -0 "$pid" 2>/dev/null; then
		[ "$(date +%s)" -lt "$deadline" ] && early=1
		break
	fi
	now=$(date +%s)
	if [ "$now" -ge "$next" ]; then
		progress
		next=$((next + every))
	fi
	[ "$now" -lt "$deadline" ] || break
done
# The -jobs parent first (SIGTERM, itself alone): it runs each job through system(), which ignores
# SIGINT, and on a worker's end starts the next job, which then loads the whole corpus before it
# could stop (8-10 s at every end, and a log of a job that only loaded). Then SIGINT to the group:
# each worker prints its final stats and exits; then the sweep.
kill -TERM "$pid" 2>/dev/null
kill -INT -- -"$pid" 2>/dev/null
for _ in $(seq 1 30); do
	[ -z "$(tagged_pids "$tag")" ] && break
	sleep 0.1
done
stop_tagged "$tag"
wait 2>/dev/null

elapsed=$(($(date +%s) - start))
[ "$elapsed" -gt 0 ] || elapsed=1
execs=$(count_execs)
crashes=$(find "$out/crashes" -type f | wc -l)
{
	how="${elapsed}s wall"
	[ -n "$interrupted" ] && how="interrupted after ${elapsed}s"
	echo "libFuzzer summary: target $t, $jobs worker(s), $how"
	echo "  execs $execs ($((execs / elapsed)) execs/s over all workers)"
	printf '  corpus %s inputs | crashes %s\n' "$(find "$out/corpus" -type f | wc -l)" "$crashes"
	[ "$crashes" -gt 0 ] && echo "  crashes: $out/crashes/ (make fuzz-triage)"
	if [ -n "$early" ]; then
		echo "  FAILED: libFuzzer stopped after ${elapsed}s of ${secs}s: $(grep -v '^$' "$out/main.log" | tail -1)"
	fi
} | tee "$FUZZ_REPORTS/libfuzzer-$t-summary.txt"
[ -n "$interrupted" ] && exit "$interrupted"
[ "$crashes" -eq 0 ] && [ -z "$early" ]

#!/bin/bash
# fuzz-libfuzzer.sh TARGET SECONDS JOBS: libFuzzer on one target with -jobs/-workers = JOBS for
# SECONDS of wall time. Corpus $FUZZ_REPORTS/libfuzzer/TARGET/corpus (kept: a second run resumes
# from it), findings in .../crashes, worker logs in .../logs. A crashed job is replaced by a new one
# until the time is up. Progress line every FUZZ_PROGRESS seconds (default 60), summary at the end
# ($FUZZ_REPORTS/libfuzzer-TARGET-summary.txt).
set -u
: "${FUZZ_BUILD:?}" "${FUZZ_REPORTS:?}"
t=$1 secs=$2 jobs=$3
every=${FUZZ_PROGRESS:-60}
out=$FUZZ_REPORTS/libfuzzer/$t
bin=$(realpath "$FUZZ_BUILD/libfuzzer/$t")
seeds=$(realpath "$FUZZ_BUILD/seeds/$t")
dict=
for d in "$FUZZ_BUILD/dict/$t.dict" "fuzz/dict/$t.dict"; do
	[ -f "$d" ] && dict="-dict=$(realpath "$d")"
done
[ "$jobs" -ge 1 ] 2>/dev/null || jobs=1
rm -rf "$out/logs"
mkdir -p "$out/corpus" "$out/crashes" "$out/logs"
export ASAN_OPTIONS=detect_leaks=0:symbolize=0

start=$(date +%s)
# Many jobs, JOBS at a time: libFuzzer starts another whenever one stops on a finding. Its own
# process group, so the deadline stops every worker.
(
	cd "$out/logs" &&
		exec setsid "$bin" -jobs=100000 -workers="$jobs" -max_total_time="$secs" -timeout=10 \
			-print_final_stats=1 $dict -artifact_prefix="$(realpath ../crashes)/" \
			"$(realpath ../corpus)" "$seeds"
) >"$out/main.log" 2>&1 &
pid=$!

progress() {
	local eps=0 cov=0 ft=0 f line
	for f in "$out"/logs/fuzz-*.log; do
		[ -f "$f" ] || continue
		line=$(grep -E '^#[0-9]+.*exec/s' "$f" | tail -1)
		[ -n "$line" ] || continue
		# only workers still running add to the rate
		if [ $(($(date +%s) - $(stat -c %Y "$f"))) -lt $((every + 30)) ]; then
			eps=$((eps + $(sed -n 's/.*exec\/s: \([0-9]*\).*/\1/p' <<<"$line")))
		fi
		c=$(sed -n 's/.*cov: \([0-9]*\).*/\1/p' <<<"$line")
		[ "${c:-0}" -gt "$cov" ] && cov=$c
		c=$(sed -n 's/.*ft: \([0-9]*\).*/\1/p' <<<"$line")
		[ "${c:-0}" -gt "$ft" ] && ft=$c
	done
	printf '[fuzz-libfuzzer %s %s/%s] workers %d | execs/s %s | corpus %s | crashes %s | coverage %s edges, %s features\n' \
		"$t" "$(date -u -d @$(($(date +%s) - start)) +%H:%M:%S)" "$(date -u -d @"$secs" +%H:%M:%S)" \
		"$jobs" "$eps" "$(ls "$out/corpus" | wc -l)" "$(ls "$out/crashes" | wc -l)" "$cov" "$ft"
}

trap 'kill -- -$pid 2>/dev/null; exit 130' INT TERM
deadline=$((start + secs + 5))
while kill -0 "$pid" 2>/dev/null; do
	for _ in $(seq 1 "$every"); do
		sleep 1
		kill -0 "$pid" 2>/dev/null || break
		if [ "$(date +%s)" -ge "$deadline" ]; then
			kill -- -"$pid" 2>/dev/null
			break
		fi
	done
	kill -0 "$pid" 2>/dev/null && progress
done
# -jobs keeps starting jobs; once the time is up stop what is left.
kill -- -"$pid" 2>/dev/null
wait 2>/dev/null

elapsed=$(($(date +%s) - start))
execs=$(cat "$out"/logs/fuzz-*.log 2>/dev/null | sed -n 's/^stat::number_of_executed_units: *//p' |
	awk '{s += $1} END {print s + 0}')
crashes=$(ls "$out/crashes" | wc -l)
{
	echo "libFuzzer summary: target $t, $jobs worker(s), ${elapsed}s wall"
	echo "  execs $execs ($(awk -v e="$execs" -v r="$elapsed" 'BEGIN{printf "%.0f", (r > 0 ? e / r : 0)}') execs/s over all workers, finished jobs only)"
	printf '  corpus %s inputs | crashes %s\n' "$(ls "$out/corpus" | wc -l)" "$crashes"
	progress | sed 's/^/  last: /'
	[ "$crashes" -gt 0 ] && echo "  crashes: $out/crashes/ (make fuzz-triage)"
} | tee "$FUZZ_REPORTS/libfuzzer-$t-summary.txt"
[ "$crashes" -eq 0 ]

#!/bin/bash
# fuzz-afl.sh TARGET SECONDS JOBS: AFL++ on one target, one main and JOBS-1 secondary instances
# (the first secondary also runs the CmpLog build; with one job the main does). Output in
# $FUZZ_REPORTS/afl/TARGET, a sync directory: it resumes when it exists, and other machines can
# share it (AFL++ -F / rsync of the instance folders). A progress line every FUZZ_PROGRESS seconds
# (default 60) and a summary at the end ($FUZZ_REPORTS/afl-TARGET-summary.txt).
set -u
: "${FUZZ_BUILD:?}" "${FUZZ_REPORTS:?}"
t=$1 secs=$2 jobs=$3
every=${FUZZ_PROGRESS:-60}
out=$FUZZ_REPORTS/afl/$t
bin=$FUZZ_BUILD/afl/$t
cmplog=$FUZZ_BUILD/afl-cmplog/$t
seeds=$FUZZ_BUILD/seeds/$t
dict=
for d in "$FUZZ_BUILD/dict/$t.dict" "fuzz/dict/$t.dict"; do
	[ -f "$d" ] && dict="-x $d"
done
[ "$jobs" -ge 1 ] 2>/dev/null || jobs=1
mkdir -p "$out"

# No core_pattern or CPU governor control here; ASan options AFL++ needs.
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_AUTORESUME=1
export AFL_NO_AFFINITY=1 AFL_QUIET=1
export ASAN_OPTIONS=abort_on_error=1:symbolize=0:detect_leaks=0:allocator_may_return_null=1
export UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1

pids=()
stop() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
}
trap 'stop; exit 130' INT TERM

start=$(date +%s)
for i in $(seq 0 $((jobs - 1))); do
	if [ "$i" -eq 0 ]; then role="-M main"; name=main; else role="-S sec$i"; name=sec$i; fi
	extra=
	if { [ "$jobs" -eq 1 ] && [ "$i" -eq 0 ]; } || [ "$i" -eq 1 ]; then
		extra="-c $cmplog"
	fi
	# shellcheck disable=SC2086
	afl-fuzz -i "$seeds" -o "$out" $role -V "$secs" -m none -t 1000+ $dict $extra \
		-- "$bin" >"$out/$name.log" 2>&1 &
	pids+=($!)
done

# key value from an instance's fuzzer_stats
stat() { sed -n "s/^$2 *: *//p" "$1" 2>/dev/null | head -1; }

progress() {
	local eps=0 paths=0 crashes=0 hangs=0 cvg=? execs=0 n=0 f
	for f in "$out"/*/fuzzer_stats; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		# average since the instance started (AFL++'s own execs_per_sec is noisy at start-up)
		eps=$(awk -v a="$eps" -v e="$(stat "$f" execs_done)" -v r="$(stat "$f" run_time)" \
			'BEGIN{printf "%.0f", a + (r > 0 ? e / r : 0)}')
		execs=$((execs + $(stat "$f" execs_done)))
		crashes=$((crashes + $(stat "$f" saved_crashes)))
		hangs=$((hangs + $(stat "$f" saved_hangs)))
		c=$(stat "$f" corpus_count)
		[ "${c:-0}" -gt "$paths" ] && paths=$c
	done
	[ -f "$out/main/fuzzer_stats" ] && cvg=$(stat "$out/main/fuzzer_stats" bitmap_cvg)
	printf '[fuzz %s %s/%s] instances %d | execs/s %s | execs %s | paths %s | crashes %s | hangs %s | coverage %s\n' \
		"$t" "$(date -u -d @$(($(date +%s) - start)) +%H:%M:%S)" \
		"$(date -u -d @"$secs" +%H:%M:%S)" "$n" "$eps" "$execs" "$paths" "$crashes" "$hangs" "$cvg"
}

while :; do
	alive=0
	for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
	[ "$alive" -eq 1 ] || break
	for _ in $(seq 1 "$every"); do
		sleep 1
		alive=0
		for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
		[ "$alive" -eq 1 ] || break
	done
	[ "$alive" -eq 1 ] && progress
done
wait

elapsed=$(($(date +%s) - start))
summary=$FUZZ_REPORTS/afl-$t-summary.txt
{
	echo "AFL++ summary: target $t, $jobs instance(s), ${elapsed}s wall"
	total=0 crashes=0
	for f in "$out"/*/fuzzer_stats; do
		[ -f "$f" ] || continue
		inst=$(basename "$(dirname "$f")")
		e=$(stat "$f" execs_done) rt=$(stat "$f" run_time)
		total=$((total + e))
		crashes=$((crashes + $(stat "$f" saved_crashes)))
		printf '  %-6s execs %s in %ss (%s/s) paths %s crashes %s hangs %s stability %s coverage %s\n' \
			"$inst" "$e" "$rt" "$(awk -v e="$e" -v r="$rt" 'BEGIN{printf "%.0f", (r > 0 ? e / r : 0)}')" \
			"$(stat "$f" corpus_count)" "$(stat "$f" saved_crashes)" "$(stat "$f" saved_hangs)" \
			"$(stat "$f" stability)" "$(stat "$f" bitmap_cvg)"
	done
	echo "  total execs $total, $(awk -v e="$total" -v r="$elapsed" 'BEGIN{printf "%.0f", (r > 0 ? e / r : 0)}') execs/s over all instances, crashes $crashes"
	if [ "$crashes" -gt 0 ]; then
		echo "  crashes: $out/*/crashes/ (make fuzz-triage)"
	fi
} | tee "$summary"
[ "${crashes:-0}" -eq 0 ]

#!/bin/bash
# fuzz-afl.sh TARGET SECONDS JOBS: AFL++ on one target, one main and JOBS-1 secondary instances
# (the first secondary also runs the CmpLog build; with one job the main does). Output in
# $FUZZ_REPORTS/afl/TARGET, a sync directory: it resumes when it exists, and other machines can
# share it (AFL++ -F / rsync of the instance folders). A progress line every FUZZ_PROGRESS seconds
# (default 10) with live figures (AFL++'s StatsD output, fuzz/scripts/afl-live.py), and a summary
# at the end ($FUZZ_REPORTS/afl-TARGET-summary.txt) that counts only this run's executions.
#
# Exit status: 0 after a full run without a new crash; 1 when an instance failed (e.g. afl-fuzz's
# PROGRAM ABORT) or a crash was saved; 2 for bad arguments (nothing started); 130 when interrupted.
# Every afl-fuzz runs in a session of its own and every process of the run is stopped on every
# exit path, by process group (fuzz-procs.sh), so the output folder is never left locked.
set -u
here=$(dirname "$0")
# shellcheck source=fuzz/scripts/fuzz-procs.sh
. "$here/fuzz-procs.sh"
[ $# -eq 3 ] || die "usage: fuzz-afl.sh TARGET SECONDS JOBS"
: "${FUZZ_BUILD:?}" "${FUZZ_REPORTS:?}"
t=$1 secs=$2 jobs=$3
every=${FUZZ_PROGRESS:-10}
need_count SECONDS "$secs" 100000000 seconds
need_count JOBS "$jobs" 256 jobs
need_count FUZZ_PROGRESS "$every" 3600 seconds
bin=$FUZZ_BUILD/afl/$t
cmplog=$FUZZ_BUILD/afl-cmplog/$t
seeds=$FUZZ_BUILD/seeds/$t
for p in "$bin" "$cmplog"; do
	[ -x "$p" ] || die "TARGET=$t: no program $p (make fuzz builds it; targets: ${FUZZ_TARGETS:-see fuzz/fuzz.mk})"
done
[ -d "$seeds" ] || die "no seeds in $seeds (make fuzz-seeds)"
dict=
for d in "$FUZZ_BUILD/dict/$t.dict" "fuzz/dict/$t.dict"; do
	[ -f "$d" ] && dict="-x $d"
done
mkdir -p "$FUZZ_REPORTS/afl/$t"
out=$(realpath "$FUZZ_REPORTS/afl/$t")
summary=$FUZZ_REPORTS/afl-$t-summary.txt
tag="afl:$out"

lock=$out/.runner # the exit path removes it while it is still ours
claim_output "$out" "$tag"

# No core_pattern or CPU governor control here; ASan options AFL++ needs.
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_AUTORESUME=1
export AFL_NO_AFFINITY=1 AFL_QUIET=1
export ASAN_OPTIONS=abort_on_error=1:symbolize=0:detect_leaks=0:allocator_may_return_null=1
export UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1

# key value from a fuzzer_stats file ("key : value") or a live file ("key value")
stat() { sed -nE "s/^$2( *: *| +)//p" "$1" 2>/dev/null | head -1; }

names=() pids=() ends=() fails=()
declare -A base_execs base_time base_crashes
for ((i = 0; i < jobs; i++)); do
	if [ "$i" -eq 0 ]; then names+=(main); else names+=("sec$i"); fi
	n=${names[$i]}
	# A resumed instance counts on from its last fuzzer_stats: this run's figures are the difference.
	base_execs[$n]=$(stat "$out/$n/fuzzer_stats" execs_done)
	base_time[$n]=$(stat "$out/$n/fuzzer_stats" run_time)
	base_crashes[$n]=$(stat "$out/$n/fuzzer_stats" saved_crashes)
done

interrupted=
finish() {
	trap - EXIT INT TERM HUP
	stop_tagged "$tag" 10
	[ "$(cat "$lock" 2>/dev/null)" = "$$" ] && rm -f "$lock"
}
trap finish EXIT
trap 'interrupted=130' INT HUP
trap 'interrupted=143' TERM

# Live figures: one loopback StatsD port per instance.
live=$out/.live
rm -rf "$live"
mkdir -p "$live"
HUMPY_FUZZ_RUN=$tag "${PYTHON:-python3}" "$here/afl-live.py" "$live" "${names[@]}" >"$live/ports" &
for _ in $(seq 1 50); do
	[ "$(grep -c . "$live/ports")" -eq "$jobs" ] && break
	sleep 0.1
done
[ "$(grep -c . "$live/ports")" -eq "$jobs" ] || {
	echo "fuzz-afl: the live-figures listener did not start" >&2
	exit 1
}

start=$(date +%s)
for ((i = 0; i < jobs; i++)); do
	n=${names[$i]}
	if [ "$i" -eq 0 ]; then role="-M main"; else role="-S $n"; fi
	extra=
	if { [ "$jobs" -eq 1 ] && [ "$i" -eq 0 ]; } || [ "$i" -eq 1 ]; then
		extra="-c $cmplog"
	fi
	port=$(sed -n "s/^$n //p" "$live/ports")
	# shellcheck disable=SC2086
	HUMPY_FUZZ_RUN=$tag AFL_STATSD=1 AFL_STATSD_PORT=$port setsid afl-fuzz -i "$seeds" -o "$out" \
		$role -V "$secs" -m none -t 1000+ $dict $extra -- "$bin" >"$out/$n.log" 2>&1 &
	pids+=($!) ends+=("") fails+=("")
done

# Why an instance stopped: AFL++'s PROGRAM ABORT line, else its exit status.
reason() {
	local why
	why=$(sed -n 's/\x1b\[[0-9;]*m//g; s/^.*PROGRAM ABORT : *//p' "$out/$1.log" | head -1)
	echo "${why:-exit status $2}"
}

# live NAME: that instance's latest live figures into the array L (no processes forked: this runs
# every few seconds beside the fuzzers).
declare -A L
live() {
	local k v
	L=()
	[ -f "$live/$1" ] || return 1
	while read -r k v; do L[$k]=${v%%.*}; done <"$live/$1"
}

# This run's executions of instance NAME from the live figures in L.
live_execs() {
	local e=${L[execs_done]:-0} b=${base_execs[$1]:-0}
	[ "$e" -ge "$b" ] && e=$((e - b))
	echo "$e"
}

last_execs=0 last_at=$start
progress() {
	local now execs=0 paths=0 crashes=0 hangs=0 edges=0 running=0 i n c eps
	now=$(date +%s)
	for ((i = 0; i < jobs; i++)); do
		n=${names[$i]}
		[ -z "${ends[$i]}" ] && running=$((running + 1))
		live "$n" || continue
		c=${L[execs_done]:-0}
		[ "$c" -ge "${base_execs[$n]:-0}" ] && c=$((c - ${base_execs[$n]:-0}))
		execs=$((execs + c))
		[ "${L[corpus_count]:-0}" -gt "$paths" ] && paths=${L[corpus_count]}
		c=$((${L[saved_crashes]:-0} - ${base_crashes[$n]:-0}))
		[ "$c" -gt 0 ] && crashes=$((crashes + c))
		hangs=$((hangs + ${L[saved_hangs]:-0}))
		[ "${L[edges_found]:-0}" -gt "$edges" ] && edges=${L[edges_found]}
	done
	eps=0
	[ "$now" -gt "$last_at" ] && eps=$(((execs - last_execs) / (now - last_at)))
	last_execs=$execs last_at=$now
	# afl-fuzz counts -V from the end of its start-up (the dry run of the queue): past SECONDS of
	# wall time the clock stops at SECONDS and the line says how long the start-ups added.
	local shown=$((now - start)) over=
	[ "$shown" -le "$secs" ] || over=" +$((shown - secs))s start-up" shown=$secs
	printf '[fuzz %s %s/%s%s] instances %d/%d | execs/s %s | execs %s | paths %s | new crashes %s | hangs %s | edges %s\n' \
		"$t" "$(clock "$shown")" "$(clock "$secs")" "$over" "$running" "$jobs" "$eps" "$execs" "$paths" \
		"$crashes" "$hangs" "$edges"
}

deadline=$((start + secs + 120))
next=$((start + every))
failed=
while :; do
	sleep 0.5
	alive=0
	for ((i = 0; i < jobs; i++)); do
		[ -n "${ends[$i]}" ] && continue
		if kill -0 "${pids[$i]}" 2>/dev/null; then
			alive=1
			continue
		fi
		wait "${pids[$i]}"
		rc=$?
		ends[$i]=$(date +%s)
		if [ "$rc" -ne 0 ] || grep -qs 'PROGRAM ABORT' "$out/${names[$i]}.log"; then
			fails[$i]=$(reason "${names[$i]}" "$rc")
			echo "fuzz-afl: instance ${names[$i]} FAILED: ${fails[$i]} (log $out/${names[$i]}.log)" >&2
			failed=1
		fi
	done
	[ "$alive" -eq 1 ] && [ -z "$interrupted" ] && [ -z "$failed" ] || break
	if [ "$(date +%s)" -ge "$deadline" ]; then
		echo "fuzz-afl: still running ${secs}s + 120s after the start; stopping" >&2
		break
	fi
	if [ "$(date +%s)" -ge "$next" ]; then
		progress
		next=$((next + every))
	fi
done

# Stop what still runs: SIGTERM lets afl-fuzz write its final stats; then the sweep (fuzz-procs.sh).
for ((i = 0; i < jobs; i++)); do
	[ -z "${ends[$i]}" ] && kill -TERM -- -"${pids[$i]}" 2>/dev/null
done
for _ in $(seq 1 50); do
	alive=0
	for ((i = 0; i < jobs; i++)); do
		[ -z "${ends[$i]}" ] && kill -0 "${pids[$i]}" 2>/dev/null && alive=1
	done
	[ "$alive" -eq 0 ] && break
	sleep 0.1
done
stop_tagged "$tag"
elapsed=$(($(date +%s) - start))
[ "$elapsed" -gt 0 ] || elapsed=1

{
	how="${elapsed}s wall"
	[ -n "$interrupted" ] && how="interrupted after ${elapsed}s"
	echo "AFL++ summary: target $t, $jobs instance(s), $how"
	total=0 crashes=0
	for ((i = 0; i < jobs; i++)); do
		n=${names[$i]} f=$out/${names[$i]}/fuzzer_stats
		if [ -n "${fails[$i]}" ]; then
			printf '  %-6s FAILED: %s (log %s)\n' "$n" "${fails[$i]}" "$out/$n.log"
			continue
		fi
		# Figures only from stats this very instance wrote (its pid), else from its live figures.
		if [ "$(stat "$f" fuzzer_pid)" = "${pids[$i]}" ]; then
			e=$(stat "$f" execs_done) rt=$(stat "$f" run_time) c=$(stat "$f" saved_crashes)
			note=
			if [ -n "${base_execs[$n]}" ] && [ "$e" -ge "${base_execs[$n]}" ]; then
				note=" [resumed: $e execs in ${rt}s over all runs]"
				e=$((e - base_execs[$n])) rt=$((rt - ${base_time[$n]:-0}))
				c=$((c - ${base_crashes[$n]:-0}))
			fi
			printf '  %-6s execs %s in %ss (%s/s) this run | paths %s | new crashes %s | hangs %s | stability %s | coverage %s%s\n' \
				"$n" "$e" "$rt" "$( ((rt > 0)) && echo $((e / rt)) || echo -)" "$(stat "$f" corpus_count)" "$c" \
				"$(stat "$f" saved_hangs)" "$(stat "$f" stability)" "$(stat "$f" bitmap_cvg)" "$note"
		elif live "$n"; then
			e=$(live_execs "$n")
			c=$((${L[saved_crashes]:-0} - ${base_crashes[$n]:-0}))
			printf '  %-6s execs %s this run (its last live figures; it wrote no final stats) | paths %s | new crashes %s\n' \
				"$n" "$e" "${L[corpus_count]:-0}" "$c"
		else
			printf '  %-6s no figures (stopped before it reported any)\n' "$n"
			continue
		fi
		total=$((total + e))
		crashes=$((crashes + c))
	done
	echo "  this run: execs $total in ${elapsed}s wall, $((total / elapsed)) execs/s over all instances, new crashes $crashes"
	[ "$crashes" -gt 0 ] && echo "  crashes: $out/*/crashes/ (make fuzz-triage)"
	[ -n "$failed" ] && echo "  FAILED: an instance stopped early (see above)"
} | tee "$summary"
crashes=$(sed -n 's/.*, new crashes \([0-9]*\)$/\1/p' "$summary")
[ -n "$interrupted" ] && exit "$interrupted"
[ -z "$failed" ] && [ "${crashes:-0}" -eq 0 ]

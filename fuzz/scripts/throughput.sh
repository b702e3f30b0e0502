#!/bin/bash
# throughput.sh TARGET SECONDS [ENGINE]: one fuzzer instance (or the replay program) on TARGET from
# its seeds (and dictionary) for SECONDS, pinned to one core (FUZZ_THROUGHPUT_CPU, default the last core; the
# fuzzer and its target share it), into a scratch folder; prints the inputs run per second of
# wall time and per CPU second (the figure that does not depend on what else the machine runs)
# and writes the same as one JSON line ($FUZZ_REPORTS/throughput-TARGET[-afl].json).
#   ENGINE libfuzzer (default): $FUZZ_BUILD/libfuzzer/TARGET; CPU time from time(1); libFuzzer's
#          cov/ft (they count only the traced code under test). Then its seed intake: -runs=0 over
#          the seeds (each run once, no mutation; every one is new coverage to libFuzzer, so its
#          corpus and feature bookkeeping run for each), CPU time less that of -runs=0 over an
#          empty folder (start-up), as "seed_intake_per_cpu_s". Then fixed work, which a loaded
#          machine cannot shorten: -seed=1 -runs=FUZZ_THROUGHPUT_RUNS (default 30000) from the
#          seeds, its CPU time and inputs less those of the intake, as "loop_fixed_per_cpu_s" (a
#          20 s run that gets 2 s of CPU on a loaded core is mostly start-up and intake).
#   ENGINE replay: $FUZZ_BUILD/replay/TARGET (no engine: each input once through the target and
#          the oracle) over the seeds, 20 passes per process, processes until SECONDS have
#          passed; CPU time from time(1), start-up and file reading included.
#   ENGINE afl: afl-fuzz (one instance, no CmpLog) on $FUZZ_BUILD/afl/TARGET; execs from its
#          fuzzer_stats, CPU time of afl-fuzz and its forkserver/target read from /proc while it
#          runs; stopped by its tag and process group on every exit path (fuzz-procs.sh).
set -u
here=$(dirname "$0")
# shellcheck source=fuzz/scripts/fuzz-procs.sh
. "$here/fuzz-procs.sh"
[ $# -eq 2 ] || [ $# -eq 3 ] || die "usage: throughput.sh TARGET SECONDS [libfuzzer|afl]"
: "${FUZZ_BUILD:?}" "${FUZZ_REPORTS:?}"
t=$1 secs=$2 engine=${3:-libfuzzer}
need_count SECONDS "$secs" 3600 seconds
runs=${FUZZ_THROUGHPUT_RUNS:-30000}
need_count FUZZ_THROUGHPUT_RUNS "$runs" 100000000 runs
case "$engine" in libfuzzer | afl | replay) ;; *) die "ENGINE=$engine: expected libfuzzer, afl or replay" ;; esac
cpu=${FUZZ_THROUGHPUT_CPU:-$(($(nproc) - 1))}
case "$cpu" in '' | *[!0-9]*) die "FUZZ_THROUGHPUT_CPU=$cpu: expected a core number" ;; esac
bin=$FUZZ_BUILD/$engine/$t
[ -x "$bin" ] || die "TARGET=$t: no program $bin"
seeds=$FUZZ_BUILD/seeds/$t
dict=
for d in "$FUZZ_BUILD/dict/$t.dict" "fuzz/dict/$t.dict"; do
	[ -f "$d" ] && dict=$d
done
tmp=$(mktemp -d)
tag=throughput-$t-$engine-$$
trap 'stop_tagged "$tag" 10; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP
mkdir -p "$tmp/corpus" "$FUZZ_REPORTS"
export ASAN_OPTIONS=detect_leaks=0:symbolize=0:abort_on_error=1
json=$FUZZ_REPORTS/throughput-$t.json
[ "$engine" = libfuzzer ] || json=$FUZZ_REPORTS/throughput-$t-$engine.json
# The machine's 1-minute load average before and after: on a shared machine it says how far the
# wall-clock figure is from an idle core's (the per-CPU-second one moves far less).
load0=$(cut -d' ' -f1 /proc/loadavg)

if [ "$engine" = libfuzzer ]; then
	# shellcheck disable=SC2086
	HUMPY_FUZZ_RUN=$tag /usr/bin/time -f 'TIME %e %U %S' taskset -c "$cpu" "$bin" \
		-max_total_time="$secs" -print_final_stats=1 -timeout=10 ${dict:+-dict=$dict} \
		-artifact_prefix="$tmp/" "$tmp/corpus" "$seeds" >"$tmp/log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$tmp/log")
	read -r _ wall user sys < <(grep '^TIME' "$tmp/log")
	line=$(grep -E '^#[0-9]+.*cov: ' "$tmp/log" | tail -1)
	cov=$(sed -n 's/.*cov: \([0-9]*\).*/\1/p' <<<"$line")
	ft=$(sed -n 's/.*ft: \([0-9]*\).*/\1/p' <<<"$line")
	cpus=$(awk -v u="${user:-0}" -v s="${sys:-0}" 'BEGIN { print u + s }')
	if [ "$rc" -ne 0 ] || [ -z "$execs" ]; then
		echo "throughput: $t: the run failed (exit $rc): $(grep -E 'INVARIANT|ERROR' "$tmp/log" | head -2)" >&2
		exit 1
	fi
	# Seed intake: -runs=0 over the seeds, less -runs=0 over an empty folder.
	mkdir -p "$tmp/empty"
	for what in empty seeds; do
		dir=$tmp/empty
		[ "$what" = seeds ] && dir=$seeds
		HUMPY_FUZZ_RUN=$tag /usr/bin/time -o "$tmp/time-$what" -f '%U %S' taskset -c "$cpu" \
			"$bin" -runs=0 "$dir" >"$tmp/log-$what" 2>&1 ||
			die "$t: -runs=0 over the $what failed: $(grep -E 'INVARIANT|ERROR' "$tmp/log-$what" | head -2)"
	done
	nseeds=$(find "$seeds/" -maxdepth 1 -type f | wc -l)
	mkdir -p "$tmp/fixed"
	# shellcheck disable=SC2086
	HUMPY_FUZZ_RUN=$tag /usr/bin/time -o "$tmp/time-fixed" -f '%U %S' taskset -c "$cpu" "$bin" \
		-seed=1 -runs="$runs" -timeout=10 ${dict:+-dict=$dict} -print_final_stats=1 \
		-artifact_prefix="$tmp/" "$tmp/fixed" "$seeds" >"$tmp/log-fixed" 2>&1 ||
		die "$t: -runs=$runs failed: $(grep -E 'INVARIANT|ERROR' "$tmp/log-fixed" | head -2)"
	fixed_execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$tmp/log-fixed")
	intake_execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$tmp/log-seeds")
	loop=$(awk -v n="${fixed_execs:-0}" -v m="${intake_execs:-0}" -v f="$(cat "$tmp/time-fixed")" -v s="$(cat "$tmp/time-seeds")" \
		'BEGIN { split(f, F, " "); split(s, S, " "); d = F[1] + F[2] - S[1] - S[2]; print (d > 0 && n > m ? int((n - m) / d) : 0) }')
	intake=$(awk -v n="$nseeds" -v e="$(cat "$tmp/time-empty")" -v s="$(cat "$tmp/time-seeds")" \
		'BEGIN { split(e, E, " "); split(s, S, " "); d = S[1] + S[2] - E[1] - E[2]; print (d > 0 ? int(n / d) : 0) }')
elif [ "$engine" = replay ]; then
	# 20 passes over the seeds per process; processes until SECONDS of wall time have passed.
	passes=()
	for _ in $(seq 20); do passes+=("$seeds"); done
	execs=0 user=0 sys=0
	start=$(date +%s.%N)
	while :; do
		HUMPY_FUZZ_RUN=$tag /usr/bin/time -o "$tmp/time" -f '%U %S' taskset -c "$cpu" "$bin" \
			"${passes[@]}" >"$tmp/log" 2>&1 ||
			die "$t: the replay failed: $(grep -E 'INVARIANT|ERROR' "$tmp/log" | head -2)"
		n=$(sed -n 's/.*: \([0-9]*\) inputs replayed clean$/\1/p' "$tmp/log")
		read -r u s <"$tmp/time"
		execs=$((execs + n))
		user=$(awk -v a="$user" -v b="$u" 'BEGIN { print a + b }')
		sys=$(awk -v a="$sys" -v b="$s" 'BEGIN { print a + b }')
		wall=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { print e - s }')
		awk -v w="$wall" -v l="$secs" 'BEGIN { exit !(w >= l) }' && break
	done
	cpus=$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')
else
	# AFL++ pinned by taskset (its own binding off); -V counts from the end of its start-up.
	start=$(date +%s.%N)
	# shellcheck disable=SC2086
	HUMPY_FUZZ_RUN=$tag AFL_NO_AFFINITY=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_QUIET=1 \
		AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 setsid taskset -c "$cpu" afl-fuzz -i "$seeds" \
		-o "$tmp/out" -V "$secs" -m none -t 1000+ ${dict:+-x $dict} -- "$bin" >"$tmp/log" 2>&1 &
	afl=$!
	declare -A ticks=()
	while kill -0 "$afl" 2>/dev/null; do
		for p in $(tagged_pids "$tag"); do
			# utime + stime (fields 14, 15; the name in field 2 has no spaces here)
			v=$(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null) || continue
			[ -n "$v" ] && [ "$v" -gt "${ticks[$p]:-0}" ] && ticks[$p]=$v
		done
		sleep 0.5
	done
	wait "$afl"
	rc=$?
	end=$(date +%s.%N)
	stats=$tmp/out/default/fuzzer_stats
	execs=$(sed -n 's/^execs_done *: *//p' "$stats" 2>/dev/null)
	if [ "$rc" -ne 0 ] || [ -z "$execs" ]; then
		echo "throughput: $t: afl-fuzz failed (exit $rc): $(sed -n 's/\x1b\[[0-9;]*m//g; s/^.*PROGRAM ABORT : *//p' "$tmp/log" | head -1)" >&2
		exit 1
	fi
	total=0
	for p in "${!ticks[@]}"; do total=$((total + ticks[$p])); done
	cpus=$(awk -v t="$total" -v hz="$(getconf CLK_TCK)" 'BEGIN { print t / hz }')
	wall=$(awk -v s="$start" -v e="$end" 'BEGIN { print e - s }')
	cov=$(sed -n 's/^edges_found *: *//p' "$stats")
	ft=$(sed -n 's/^corpus_count *: *//p' "$stats")
fi
load1=$(cut -d' ' -f1 /proc/loadavg)
awk -v t="$t" -v g="$engine" -v c="$cpu" -v e="$execs" -v w="$wall" -v cpu="$cpus" \
	-v cv="${cov:-0}" -v f="${ft:-0}" -v json="$json" -v l0="$load0" -v l1="$load1" \
	-v intake="${intake:-}" -v nseeds="${nseeds:-0}" -v loop="${loop:-}" -v runs="${runs:-0}" 'BEGIN {
	what = g == "afl" ? ", edges %d, corpus %d" : g == "libfuzzer" ? ", cov %d, ft %d" : "%.0s%.0s"
	more = intake == "" ? "" : sprintf("; seed intake (-runs=0, %d seeds) %d per CPU second", nseeds, intake)
	more = more (loop == "" ? "" : sprintf("; fixed work (-seed=1 -runs=%d, intake subtracted) %d per CPU second", runs, loop))
	printf "throughput %s (%s, core %d): %d inputs in %.1f s wall, %.1f s CPU: %.0f/s wall, %.0f per CPU second (load %s -> %s" what ")%s\n",
		t, g, c, e, w, cpu, e / w, e / cpu, l0, l1, cv, f, more
	printf "{\"target\": \"%s\", \"engine\": \"%s\", \"core\": %d, \"execs\": %d, \"wall_s\": %.2f, \"cpu_s\": %.2f, \"execs_per_s\": %.0f, \"execs_per_cpu_s\": %.0f",
		t, g, c, e, w, cpu, e / w, e / cpu > json
	if (g != "replay")
		printf ", \"%s\": %d, \"%s\": %d", g == "afl" ? "edges" : "cov", cv, g == "afl" ? "corpus" : "ft", f > json
	if (intake != "")
		printf ", \"seed_intake_per_cpu_s\": %d, \"seeds\": %d", intake, nseeds > json
	if (loop != "")
		printf ", \"loop_fixed_per_cpu_s\": %d, \"loop_fixed_runs\": %d", loop, runs > json
	printf ", \"load_1min\": [%s, %s]}\n", l0, l1 > json
}'

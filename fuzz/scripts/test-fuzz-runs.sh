#!/bin/bash
# test-fuzz-runs.sh: the fuzz runners under a user's mistakes and interruptions (make test-fuzz-runs).
#  1. bad FUZZ_* values: `make fuzz` / `make fuzz-libfuzzer` (and the scripts called directly) exit
#     non-zero at once with a one-line error naming the accepted values, and start nothing;
#  2. an afl-fuzz instance that aborts (a main or a secondary given a program AFL++ refuses) makes
#     the run exit non-zero, and the summary shows no figures for it, old or new;
#  3. `make fuzz FUZZ_JOBS=2` and `make fuzz-libfuzzer FUZZ_JOBS=2` interrupted by SIGINT mid-run
#     (as Ctrl-C sends it, to make's whole process group) leave no process behind, neither in that
#     group nor anywhere running a program of this build; the live line showed live figures; the
#     next run starts cleanly, its summary counts only its own executions, and its libFuzzer workers
#     wrote their live execution counts (the progress line reads them).
# Needs MAKE, BUILD, REPORTS (the caller's, for the binaries) and FUZZ_BUILD; the runs write their
# reports under a scratch REPORTS so they never resume a user's campaign. FUZZ_RUNS_TARGET picks
# the (small, fast) target, default ich_lr.
set -u
: "${MAKE:?}" "${BUILD:?}" "${FUZZ_BUILD:?}"
# The make calls below are this test's own, not part of the make that runs it.
unset MAKEFLAGS MFLAGS MAKELEVEL
t=${FUZZ_RUNS_TARGET:-ich_lr}
scratch=$(realpath -m "$FUZZ_BUILD/test-runs")
rm -rf "$scratch"
mkdir -p "$scratch"
fails=0
began=$(date +%s)
# No conformance-trace seeds: these runs need no QEMU boot, and the guest need not build.
mk=("$MAKE" --no-print-directory BUILD="$BUILD" REPORTS="$scratch/reports" FUZZ_TRACE_SEEDS=no)

fail() {
	echo "test-fuzz-runs: FAIL: $*"
	fails=$((fails + 1))
}
pass() { echo "test-fuzz-runs: PASS: $* [$(($(date +%s) - began)) s]"; }

# Processes running a program of this build (afl-fuzz's targets and forkservers, libFuzzer workers)
# or sitting in the process group PGID (when given), other than this script's own. A relative path
# in a command line counts only for a process working in this checkout: another clone's build/fuzz
# is not ours (nor anything else on a shared machine).
here_abs=$(pwd -P)
build_abs=$(realpath "$FUZZ_BUILD")
survivors() {
	local pgid=${1:-} p cmd st args cwd
	for p in /proc/[0-9]*; do
		p=${p#/proc/}
		[ "$p" = "$$" ] && continue
		{ mapfile -d '' args <"/proc/$p/cmdline"; } 2>/dev/null || continue
		cmd="${args[*]}"
		[ -n "$cmd" ] || continue # zombies and kernel threads
		case "$cmd" in
		*"$build_abs/"* | *"$scratch"*)
			echo "$p $cmd"
			continue
			;;
		"$FUZZ_BUILD/"* | *" $FUZZ_BUILD/"* | *"=$FUZZ_BUILD/"*)
			cwd=$(readlink "/proc/$p/cwd" 2>/dev/null)
			if [ "$cwd" = "$here_abs" ]; then
				echo "$p $cmd"
				continue
			fi
			;;
		esac
		[ -n "$pgid" ] || continue
		{ st=$(<"/proc/$p/stat"); } 2>/dev/null || continue
		# fields after "(comm) ": state ppid pgrp ...
		read -r -a args <<<"${st##*) }"
		[ "${args[2]}" = "$pgid" ] && echo "$p $cmd"
	done
}

# Stop what a failing (old) runner left behind, so one failure does not hang or poison the rest.
reap() {
	local p
	for p in $(survivors "${1:-}" | cut -d' ' -f1); do
		kill -CONT "$p" 2>/dev/null
		kill -KILL "$p" 2>/dev/null
	done
}
trap 'reap' EXIT

# expect_refusal NAME WORDS -- MAKE-ARGS...: exits non-zero within 5 s, says WORDS, starts nothing.
expect_refusal() {
	local name=$1 words=$2 s rc out
	shift 3
	s=$(date +%s%N)
	out=$(timeout -k 5 -s INT 30 "$@" 2>&1)
	rc=$?
	s=$((($(date +%s%N) - s) / 1000000))
	local left
	left=$(survivors)
	if [ "$rc" -eq 0 ]; then
		fail "$name: exit status 0 (expected non-zero); output: $(tail -2 <<<"$out" | tr '\n' ' ')"
	elif [ "$s" -gt 5000 ]; then
		fail "$name: took ${s} ms to refuse"
	elif ! grep -qF -- "$words" <<<"$out"; then
		fail "$name: no '$words' in: $(tail -3 <<<"$out" | tr '\n' ' ')"
	elif [ "$(grep -c . <<<"$out")" -gt 3 ]; then
		fail "$name: more than a one-line error: $(head -5 <<<"$out" | tr '\n' '|')"
	elif [ -n "$left" ]; then
		fail "$name: left running: $left"
	else
		pass "$name refused in ${s} ms"
	fi
	reap
}

# 1. Bad values, through make and directly.
targets="hypercall_seq fdt esr pte ich_lr"
for goal in fuzz fuzz-libfuzzer; do
	expect_refusal "$goal FUZZ_SECONDS=abc" "FUZZ_SECONDS=abc: expected" -- \
		"${mk[@]}" -s "$goal" FUZZ_TARGET="$t" FUZZ_SECONDS=abc FUZZ_JOBS=1
	expect_refusal "$goal FUZZ_SECONDS=0" "FUZZ_SECONDS=0: expected" -- \
		"${mk[@]}" -s "$goal" FUZZ_TARGET="$t" FUZZ_SECONDS=0 FUZZ_JOBS=1
	expect_refusal "$goal FUZZ_JOBS=0" "FUZZ_JOBS=0: expected" -- \
		"${mk[@]}" -s "$goal" FUZZ_TARGET="$t" FUZZ_SECONDS=2 FUZZ_JOBS=0
	expect_refusal "$goal FUZZ_JOBS=abc" "FUZZ_JOBS=abc: expected" -- \
		"${mk[@]}" -s "$goal" FUZZ_TARGET="$t" FUZZ_SECONDS=2 FUZZ_JOBS=abc
	expect_refusal "$goal FUZZ_TARGET=nonexistent" "one of: $targets" -- \
		"${mk[@]}" -s "$goal" FUZZ_TARGET=nonexistent FUZZ_SECONDS=2 FUZZ_JOBS=1
	expect_refusal "$goal FUZZ_PROGRESS=soon" "FUZZ_PROGRESS=soon: expected" -- \
		"${mk[@]}" -s "$goal" FUZZ_TARGET="$t" FUZZ_SECONDS=2 FUZZ_JOBS=1 FUZZ_PROGRESS=soon
	expect_refusal "$goal FUZZ_TRACE_SEEDS=maybe" "FUZZ_TRACE_SEEDS=maybe: expected" -- \
		"${mk[@]}" -s "$goal" FUZZ_TARGET="$t" FUZZ_SECONDS=2 FUZZ_JOBS=1 FUZZ_TRACE_SEEDS=maybe
done
expect_refusal "fuzz-bugbench BUGBENCH_SECONDS=1m" "BUGBENCH_SECONDS=1m: expected" -- \
	"${mk[@]}" -s fuzz-bugbench BUGBENCH_SECONDS=1m
expect_refusal "fuzz-bugbench BUGBENCH_BUGS=99" "BUGBENCH_BUGS=99: expected" -- \
	"${mk[@]}" -s fuzz-bugbench BUGBENCH_BUGS=99
expect_refusal "test-fuzz FUZZ_TEST_SECONDS=-1" "FUZZ_TEST_SECONDS=-1: expected" -- \
	"${mk[@]}" -s test-fuzz FUZZ_TEST_SECONDS=-1
env="FUZZ_BUILD=$FUZZ_BUILD FUZZ_REPORTS=$scratch/reports/fuzz"
for s in fuzz-afl fuzz-libfuzzer; do
	expect_refusal "$s.sh SECONDS=abc" "SECONDS=abc: expected" -- \
		env $env "fuzz/scripts/$s.sh" "$t" abc 1
	expect_refusal "$s.sh JOBS=0" "JOBS=0: expected" -- env $env "fuzz/scripts/$s.sh" "$t" 2 0
	expect_refusal "$s.sh TARGET=nonexistent" "no program" -- \
		env $env "fuzz/scripts/$s.sh" nonexistent 2 1
done

# 2. An aborting afl-fuzz instance. A scratch build folder whose AFL++ program (main) or CmpLog
# program (first secondary) is the uninstrumented replay build: afl-fuzz refuses it.
fake=$scratch/fake-build
mkdir -p "$fake/afl" "$fake/afl-cmplog"
ln -s "$(realpath "$FUZZ_BUILD/seeds")" "$fake/seeds"
afl_env() { env FUZZ_BUILD="$fake" FUZZ_REPORTS="$scratch/abort" FUZZ_PROGRESS=1 "$@"; }
ln -sf "$(realpath "$FUZZ_BUILD/afl/$t")" "$fake/afl/$t"
ln -sf "$(realpath "$FUZZ_BUILD/afl-cmplog/$t")" "$fake/afl-cmplog/$t"
afl_env timeout -k 5 -s INT 60 fuzz/scripts/fuzz-afl.sh "$t" 2 1 >"$scratch/abort-good.txt" 2>&1 ||
	fail "a good 3 s AFL++ run failed: $(tail -3 "$scratch/abort-good.txt" | tr '\n' ' ')"
good_execs=$(sed -n 's/^execs_done *: *//p' "$scratch/abort/afl/$t/main/fuzzer_stats" 2>/dev/null)
ln -sf "$(realpath "$FUZZ_BUILD/replay/$t")" "$fake/afl/$t"
afl_env timeout -k 5 -s INT 60 fuzz/scripts/fuzz-afl.sh "$t" 2 1 >"$scratch/abort-main.txt" 2>&1
rc=$?
sum=$scratch/abort/afl-$t-summary.txt
if [ "$rc" -eq 0 ]; then
	fail "AFL++ main aborts: exit status 0: $(tail -3 "$scratch/abort-main.txt" | tr '\n' ' ')"
elif ! grep -q '^  main .*FAILED' "$sum" 2>/dev/null; then
	fail "AFL++ main aborts: the summary does not say main FAILED: $(cat "$sum" 2>/dev/null | tr '\n' '|')"
elif [ -n "$good_execs" ] && grep -q "$good_execs" "$sum"; then
	fail "AFL++ main aborts: the summary shows the previous run's $good_execs execs"
elif [ -n "$(survivors)" ]; then
	fail "AFL++ main aborts: left running: $(survivors)"
else
	pass "AFL++ main aborts: exit $rc, summary: $(grep '^  main' "$sum")"
fi
reap
ln -sf "$(realpath "$FUZZ_BUILD/afl/$t")" "$fake/afl/$t"
ln -sf "$(realpath "$FUZZ_BUILD/replay/$t")" "$fake/afl-cmplog/$t"
afl_env timeout -k 5 -s INT 60 fuzz/scripts/fuzz-afl.sh "$t" 2 2 >"$scratch/abort-sec.txt" 2>&1
rc=$?
if [ "$rc" -eq 0 ]; then
	fail "AFL++ secondary aborts: exit status 0: $(tail -4 "$scratch/abort-sec.txt" | tr '\n' ' ')"
elif ! grep -q '^  sec1 *FAILED' "$sum" 2>/dev/null || grep -q '^  sec1 .*execs' "$sum"; then
	fail "AFL++ secondary aborts: sec1 not listed as FAILED without figures: $(tr '\n' '|' <"$sum")"
elif [ -n "$(survivors)" ]; then
	fail "AFL++ secondary aborts: left running: $(survivors)"
else
	pass "AFL++ secondary aborts: exit $rc, summary: $(grep '^  sec1' "$sum")"
fi
reap

# 3. Interrupted runs. interrupt NAME LOG PATTERN -- MAKE-ARGS: starts make in a process group of
# its own, waits (up to 60 s) for a progress line matching PATTERN, then sends SIGINT to the group.
interrupt() {
	local name=$1 log=$2 pattern=$3 pid i rc
	shift 4
	# A script's background job starts with SIGINT ignored (and make and the runner would inherit
	# that); a terminal's job does not: put SIGINT back to its default, as at a shell prompt.
	setsid env --default-signal=INT "$@" >"$log" 2>&1 &
	pid=$!
	for i in $(seq 1 600); do
		grep -qE "$pattern" "$log" && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if ! grep -qE "$pattern" "$log"; then
		fail "$name: no progress line matching '$pattern' within 60 s: $(tail -3 "$log" | tr '\n' ' ')"
	fi
	kill -INT -- -"$pid" 2>/dev/null
	for i in $(seq 1 150); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		fail "$name: still running 15 s after SIGINT"
		reap "$pid"
	fi
	wait "$pid"
	rc=$?
	sleep 0.5
	local left
	left=$(survivors "$pid")
	if [ "$rc" -eq 0 ]; then
		fail "$name: exit status 0 after SIGINT"
	elif [ -n "$left" ]; then
		fail "$name: left running after SIGINT: $(tr '\n' '|' <<<"$left")"
	else
		pass "$name: interrupted (exit $rc), nothing left running"
	fi
	reap "$pid"
}

stat_of() { sed -n "s/^$2 *: *//p" "$1" 2>/dev/null | head -1; }

# The live line must show executions while the run goes on (not the figures of a minute ago).
out=$scratch/reports/fuzz/afl/$t
interrupt "make fuzz FUZZ_JOBS=2" "$scratch/afl-int.txt" '^\[fuzz .*\| execs [1-9]' -- \
	"${mk[@]}" fuzz FUZZ_TARGET="$t" FUZZ_SECONDS=120 FUZZ_JOBS=2 FUZZ_PROGRESS=1
declare -A base
for i in main sec1; do base[$i]=$(stat_of "$out/$i/fuzzer_stats" execs_done); done
s=$(date +%s)
timeout -k 5 -s INT 60 "${mk[@]}" fuzz FUZZ_TARGET="$t" FUZZ_SECONDS=2 FUZZ_JOBS=2 FUZZ_PROGRESS=1 >"$scratch/afl-next.txt" 2>&1
rc=$?
sum=$scratch/reports/fuzz/afl-$t-summary.txt
if [ "$rc" -ne 0 ]; then
	fail "make fuzz after an interrupted run: exit $rc: $(tail -4 "$scratch/afl-next.txt" | tr '\n' '|')"
else
	ok=1
	for i in main sec1; do
		now=$(stat_of "$out/$i/fuzzer_stats" execs_done)
		want=$((${now:-0} - ${base[$i]:-0}))
		# "main   execs N in Ss this run"
		got=$(sed -n "s/^  $i  *execs \([0-9]*\) .*/\1/p" "$sum")
		if [ "$want" -le 0 ] || [ "$got" != "$want" ]; then
			fail "make fuzz after an interrupted run: $i reports ${got:-nothing} execs, this run made $want (${base[$i]:-0} before, $now after): $(tr '\n' '|' <"$sum")"
			ok=0
		fi
	done
	if ! grep -q "resumed" "$sum"; then
		fail "make fuzz after an interrupted run: the summary does not say it resumed"
		ok=0
	fi
	[ -z "$(survivors)" ] || {
		fail "make fuzz (normal end): left running: $(survivors | tr '\n' '|')"
		ok=0
	}
	[ "$ok" -eq 1 ] && pass "make fuzz after an interrupted run: clean start, fresh figures ($(grep -c '^\[fuzz ' "$scratch/afl-next.txt") progress lines in $(($(date +%s) - s)) s)"
fi
reap

interrupt "make fuzz-libfuzzer FUZZ_JOBS=2" "$scratch/lf-int.txt" '^\[fuzz-libfuzzer ' -- \
	"${mk[@]}" fuzz-libfuzzer FUZZ_TARGET="$t" FUZZ_SECONDS=120 FUZZ_JOBS=2 FUZZ_PROGRESS=1
timeout -k 5 -s INT 60 "${mk[@]}" fuzz-libfuzzer FUZZ_TARGET="$t" FUZZ_SECONDS=2 FUZZ_JOBS=2 FUZZ_PROGRESS=1 >"$scratch/lf-next.txt" 2>&1
rc=$?
over=$(sed -n 's/^\[fuzz-libfuzzer [^ ]* \([0-9:]*\)\/\([0-9:]*\)\].*/\1 \2/p' "$scratch/lf-next.txt" |
	awk '$1 > $2')
if [ "$rc" -ne 0 ]; then
	fail "make fuzz-libfuzzer after an interrupted run: exit $rc: $(tail -4 "$scratch/lf-next.txt" | tr '\n' '|')"
elif [ -n "$over" ]; then
	fail "make fuzz-libfuzzer: progress past the end: $over"
elif ! grep -q '^  execs [1-9]' "$scratch/reports/fuzz/libfuzzer-$t-summary.txt"; then
	fail "make fuzz-libfuzzer after an interrupted run: no executions in the summary"
elif ! cat "$scratch/reports/fuzz/libfuzzer/$t/live/"* 2>/dev/null | grep -qE '^execs +[1-9]'; then
	# The progress line's live count (fuzz/harness/live_libfuzzer.c): without it the line reads
	# libFuzzer's status lines, which stop coming once coverage levels off.
	fail "make fuzz-libfuzzer: no worker wrote a live execution count in $scratch/reports/fuzz/libfuzzer/$t/live"
elif [ -n "$(survivors)" ]; then
	fail "make fuzz-libfuzzer (normal end): left running: $(survivors | tr '\n' '|')"
else
	pass "make fuzz-libfuzzer after an interrupted run: clean start and end"
fi

echo "test-fuzz-runs: $fails failure(s) in $(($(date +%s) - began)) s"
[ "$fails" -eq 0 ]

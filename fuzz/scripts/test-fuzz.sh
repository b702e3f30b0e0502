#!/bin/sh
# test-fuzz.sh TARGET...: the fuzzers' part of make test. For each target: a short libFuzzer run
# from its seeds must end without a finding, the replay build must run the regression corpus
# (fuzz/regressions/<target>) and the seeds clean, and the AFL++ build must run an input outside
# afl-fuzz. Needs FUZZ_BUILD; FUZZ_TEST_SECONDS per target (default 8).
set -eu
: "${FUZZ_BUILD:?}"
secs=${FUZZ_TEST_SECONDS:-8}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
for t in "$@"; do
	seeds=$FUZZ_BUILD/seeds/$t
	dict=
	for d in "$FUZZ_BUILD/dict/$t.dict" "fuzz/dict/$t.dict"; do
		[ -f "$d" ] && dict="-dict=$d"
	done
	mkdir -p "$tmp/$t/corpus" "$tmp/$t/art"
	if ! "$FUZZ_BUILD/libfuzzer/$t" -max_total_time="$secs" -print_final_stats=1 $dict \
		-artifact_prefix="$tmp/$t/art/" "$tmp/$t/corpus" "$seeds" >"$tmp/$t/log" 2>&1; then
		echo "test-fuzz: $t: FINDING in a ${secs}s libFuzzer run:"
		grep -E 'INVARIANT|ERROR:|SUMMARY|PANIC' "$tmp/$t/log" | head -5
		# The finding outlives $tmp, so an intermittent one can be replayed and made a regression.
		keep=${FUZZ_REPORTS:-reports/fuzz}/test-fuzz/$t
		mkdir -p "$keep" && cp "$tmp/$t/art/"* "$tmp/$t/log" "$keep/" 2>/dev/null || true
		echo "test-fuzz: $t: input and log kept in $keep (replay: $FUZZ_BUILD/replay/$t $keep/<file>)"
		fail=1
		continue
	fi
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$tmp/$t/log")
	regs=fuzz/regressions/$t
	[ -d "$regs" ] || regs=
	if ! "$FUZZ_BUILD/replay/$t" $regs "$seeds" >"$tmp/$t/replay" 2>&1; then
		echo "test-fuzz: $t: regression corpus or seeds FAIL:"
		tail -5 "$tmp/$t/replay"
		fail=1
		continue
	fi
	one=$(ls "$seeds" | head -1)
	if ! "$FUZZ_BUILD/afl/$t" <"$seeds/$one" >"$tmp/$t/afl" 2>&1; then
		echo "test-fuzz: $t: the AFL++ build failed on seed $one"
		tail -5 "$tmp/$t/afl"
		fail=1
		continue
	fi
	echo "test-fuzz: $t: PASS (libFuzzer ${execs:-?} execs in ${secs}s, no finding;" \
		"$(sed -n 's/.*: \([0-9]*\) inputs replayed clean/\1/p' "$tmp/$t/replay") regression+seed" \
		"inputs clean; AFL++ build runs)"
done
exit $fail

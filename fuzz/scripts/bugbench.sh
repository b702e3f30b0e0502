#!/bin/bash
# bugbench.sh SECONDS JOBS BUG...: fuzz each planted bug's libFuzzer build (-DHUMPY_PLANT_BUG=N,
# $FUZZ_BUILD/bug/N/hypercall_seq) from the seeds for at most SECONDS, JOBS at a time; a bug is
# found when the run stops on a finding that the unplanted replay build does not reproduce (so the
# finding is the planted bug's). Writes $FUZZ_REPORTS/bugbench.md. BUGBENCH_SEEDS=none starts
# from an empty corpus (measures the search alone, not the seeds).
set -u
: "${FUZZ_BUILD:?}" "${FUZZ_REPORTS:?}"
secs=$1 jobs=$2
shift 2
root=$FUZZ_REPORTS/bugbench
mkdir -p "$root"
dict=$FUZZ_BUILD/dict/hypercall_seq.dict
seeds=$FUZZ_BUILD/seeds/hypercall_seq
[ "${BUGBENCH_SEEDS:-}" = none ] && seeds=

run_one() {
	local n=$1
	local dir=$root/bug$n start end
	rm -rf "$dir"
	mkdir -p "$dir/corpus" "$dir/art"
	start=$(date +%s.%N)
	"$FUZZ_BUILD/bug/$n/hypercall_seq" -max_total_time="$secs" -timeout=10 -seed="$n" \
		-dict="$dict" -artifact_prefix="$dir/art/" "$dir/corpus" $seeds \
		>"$dir/log" 2>&1
	end=$(date +%s.%N)
	awk -v s="$start" -v e="$end" 'BEGIN{printf "%.1f\n", e - s}' >"$dir/seconds"
}

pids=()
for n in "$@"; do
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do sleep 1; done
	echo "bugbench: bug $n: fuzzing up to ${secs}s"
	run_one "$n" &
	pids+=($!)
done
wait

report=$FUZZ_REPORTS/bugbench.md
found=0
{
	echo "# Planted-bug benchmark (hypercall_seq, libFuzzer, up to ${secs}s per bug, $jobs at a time, seeds: ${seeds:-none})"
	echo
	echo "| bug | planted | found | time to find | what caught it | reproducer |"
	echo "|---|---|---|---|---|---|"
	for n in "$@"; do
		dir=$root/bug$n
		what=$(grep -hoE "planted bug ${n}[: ][^*]*" hyp/core/*.c | head -1 | sed -E "s/planted bug $n:? *//; s/ *$//")
		art=$(ls "$dir"/art/crash-* "$dir"/art/timeout-* "$dir"/art/oom-* 2>/dev/null | head -1)
		if [ -n "$art" ] && "$FUZZ_BUILD/replay/hypercall_seq" "$art" >/dev/null 2>&1; then
			why=$(grep -m1 -oE 'INVARIANT [a-z0-9-]+|AddressSanitizer: [a-z-]+|runtime error|PANIC [^:]*' "$dir/log")
			echo "| $n | $what | yes | $(cat "$dir/seconds") s | ${why:-?} | \`$art\` |"
			found=$((found + 1))
		elif [ -n "$art" ]; then
			echo "| $n | $what | no (finding not due to the plant) | - | - | \`$art\` |"
		else
			echo "| $n | $what | no | > ${secs} s | - | - |"
		fi
	done
	echo
	echo "Found $found of $# planted bugs."
} | tee "$report"

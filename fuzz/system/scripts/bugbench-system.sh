#!/bin/bash
# bugbench-system.sh SECONDS BUG...: for each planted arch bug N (hyp.elf built with
# -DHUMPY_PLANT_BUG=N under $SYSFUZZ_BUILD/bug/N), fuzz it with fuzz-system.sh for at most SECONDS,
# checking each finding as it comes (--confirm): it must reproduce on the bug's build in a fresh
# boot and must not on the clean build (SYSFUZZ_CLEAN_HYP); the run stops at the first that does.
# Prints one line per bug and "found X of Y"; results in $SYSFUZZ_REPORTS/bugbench.
set -euo pipefail
here=$(dirname "$0")
clean=${SYSFUZZ_CLEAN_HYP:?the clean hyp.elf}
# --confirm HYP PREFIX FILE: FILE is a finding of HYP's bug if it gives one on HYP in a fresh boot
# and none on the clean build; then PREFIX.reproducer and PREFIX.replay (exit 0), else exit 1.
if [ "${1:-}" = --confirm ]; then
	hyp=$2 prefix=$3 f=$4
	"$here/replay.sh" "$hyp" "$f" >"$prefix.replay.tmp" 2>&1 && exit 1
	"$here/replay.sh" "$clean" "$f" >"$prefix.clean" 2>&1 || exit 1 # also without the bug
	mv "$prefix.replay.tmp" "$prefix.replay"
	cp "$f" "$prefix.reproducer"
	exit 0
fi
seconds=$1
shift
out=$SYSFUZZ_REPORTS/bugbench
rm -rf "$out"
mkdir -p "$out"
found=0 total=0
for n in "$@"; do
	total=$((total + 1))
	hyp=$SYSFUZZ_BUILD/bug/$n/hyp/hyp.elf
	t0=$(date +%s)
	# A finding that does not replay in a fresh boot (it needed what earlier inputs left) or that
	# the clean build gives too is passed over and the fuzzing goes on, up to SECONDS.
	SYSFUZZ_STOP_ON_CRASH=1 SYSFUZZ_CONFIRM="$0 --confirm $hyp $out/bug$n" \
		"$here/fuzz-system.sh" "$hyp" "$seconds" "$out/bug$n" >"$out/bug$n.log" 2>&1 || true
	took=$(($(date +%s) - t0))
	execs=$(awk '$1 == "execs" { print $2 }' "$out/bug$n/state/shim-stats" 2>/dev/null || echo 0)
	findings=$(find "$out/bug$n/afl/default/crashes" -type f -name 'id:*' 2>/dev/null | wc -l)
	verdict="not found in ${seconds} s (${execs:-0} execs, ${findings} findings passed over)"
	f=$(sed -n 's/^fuzz-system: finding confirmed after [0-9]* s: stopping (\(.*\))$/\1/p' "$out/bug$n.log")
	if [ -n "$f" ] && [ -f "$out/bug$n.reproducer" ]; then
		line=$(grep -m1 -F "sysfuzz replay: $f: " "$out/bug$n.replay")
		verdict="FOUND after ${took} s (${execs:-0} execs): ${line#"sysfuzz replay: $f: "}"
		found=$((found + 1))
	fi
	echo "bugbench-system: bug $n: $verdict"
done
echo "bugbench-system: found $found of $total planted arch bugs (at most ${seconds} s each; reproducers in $out)"

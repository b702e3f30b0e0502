#!/bin/bash
# bugbench-system.sh SECONDS BUG...: for each planted arch bug N (hyp.elf built with
# -DHUMPY_PLANT_BUG=N under $SYSFUZZ_BUILD/bug/N), fuzz it with fuzz-system.sh for at most SECONDS
# (stopping at the first finding), then check the finding: it must reproduce on the bug's build in
# a fresh boot and must not on the clean build ($SYSFUZZ_BUILD/../../hyp/hyp.elf, given as
# SYSFUZZ_CLEAN_HYP). Prints one line per bug and "found X of Y"; results in $SYSFUZZ_REPORTS/bugbench.
set -euo pipefail
here=$(dirname "$0")
seconds=$1
shift
out=$SYSFUZZ_REPORTS/bugbench
clean=${SYSFUZZ_CLEAN_HYP:?the clean hyp.elf}
rm -rf "$out"
mkdir -p "$out"
found=0 total=0
for n in "$@"; do
	total=$((total + 1))
	hyp=$SYSFUZZ_BUILD/bug/$n/hyp/hyp.elf
	t0=$(date +%s)
	SYSFUZZ_STOP_ON_CRASH=1 "$here/fuzz-system.sh" "$hyp" "$seconds" "$out/bug$n" >"$out/bug$n.log" 2>&1 || true
	took=$(($(date +%s) - t0))
	execs=$(awk '$1 == "execs" { print $2 }' "$out/bug$n/state/shim-stats" 2>/dev/null || echo 0)
	verdict="not found in ${seconds} s (${execs:-0} execs)"
	# The first reproducer that replays on the bug build and not on the clean one.
	for f in $(find "$out/bug$n/afl/default/crashes" -type f -name 'id:*' 2>/dev/null | sort | head -5); do
		if "$here/replay.sh" "$hyp" "$f" >"$out/bug$n.replay" 2>&1; then
			continue
		fi
		if ! "$here/replay.sh" "$clean" "$f" >"$out/bug$n.clean" 2>&1; then
			continue # also fails without the bug: not this bug's finding
		fi
		cp "$f" "$out/bug$n.reproducer"
		line=$(grep -m1 -F "sysfuzz replay: $f: " "$out/bug$n.replay")
		verdict="FOUND after ${took} s (${execs:-0} execs): ${line#"sysfuzz replay: $f: "}"
		found=$((found + 1))
		break
	done
	echo "bugbench-system: bug $n: $verdict"
done
echo "bugbench-system: found $found of $total planted arch bugs (at most ${seconds} s each; reproducers in $out)"

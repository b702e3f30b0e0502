#!/bin/bash
# bugbench-system.sh SECONDS BUG...: for each planted arch bug N (hyp.elf built with
# -DHUMPY_PLANT_BUG=N under $SYSFUZZ_BUILD/bug/N), fuzz it with fuzz-system.sh for at most SECONDS,
# checking each finding as it comes (--confirm): it must reproduce on the bug's build in a fresh
# boot and must not on the clean build (SYSFUZZ_CLEAN_HYP); the run stops at the first that does.
# A finding that does not reproduce alone may need what earlier inputs of its boot left behind: the
# shim kept those (state/sequences/<n>, see sysfuzz-shim.c); the sequence is replayed in one fresh
# boot, shortened (reduce-sequence.py, SYSFUZZ_REDUCE_SECONDS) and counts like a single input: a
# finding at its last input on the bug's build, none on the clean build.
# Prints one line per bug and "found X of Y"; results in $SYSFUZZ_REPORTS/bugbench.
set -euo pipefail
here=$(dirname "$0")
clean=${SYSFUZZ_CLEAN_HYP:?the clean hyp.elf}
# --confirm HYP PREFIX FILE: FILE is a finding of HYP's bug if it (or the shortened sequence that
# ended with it) gives one on HYP in a fresh boot and none on the clean build; then
# PREFIX.reproducer (a file, or a folder for a sequence), PREFIX.replay, PREFIX.verdict (exit 0),
# else exit 1.
if [ "${1:-}" = --confirm ]; then
	hyp=$2 prefix=$3 f=$4
	alone=0
	"$here/replay.sh" "$hyp" "$f" >"$prefix.replay.tmp" 2>&1 || alone=$?
	if [ $alone -eq 0 ]; then
		# No finding alone in a fresh boot: the newest kept sequence that ended with this input.
		seqs=${f%/afl/default/crashes/*}/state/sequences seq=
		for d in $(ls -1d "$seqs"/* 2>/dev/null | sort -V -r); do
			last=$(ls -1 "$d" | tail -1)
			if cmp -s -n "$(stat -c %s "$d/$last")" "$f" "$d/$last" &&
				[ "$(stat -c %s "$f")" -ge "$(stat -c %s "$d/$last")" ]; then seq=$d; break; fi
		done
		[ -n "$seq" ] || exit 1
		rm -rf "$prefix.sequence.tmp"
		"${PYTHON:-/usr/bin/python3}" "$here/reduce-sequence.py" "$hyp" "$seq" "$prefix.sequence.tmp" >"$prefix.reduce.tmp" 2>&1 || exit 1
		"$here/replay.sh" "$hyp" "$prefix.sequence.tmp" >"$prefix.replay.tmp" 2>&1 && exit 1
		"$here/replay.sh" "$clean" "$prefix.sequence.tmp" >"$prefix.clean" 2>&1 || exit 1
		line=$(grep -m1 -F "sysfuzz replay: $prefix.sequence.tmp: " "$prefix.replay.tmp")
		case "$line" in *"(input "*" of "*)
			k=${line##*(input } k=${k%% of*} n=${line##* of } n=${n%%,*}
			[ "$k" = "$n" ] || exit 1 ;;
		*) exit 1 ;;
		esac
		rm -rf "$prefix.reproducer"
		mv "$prefix.sequence.tmp" "$prefix.reproducer"
		mv "$prefix.reduce.tmp" "$prefix.reduce"
		mv "$prefix.replay.tmp" "$prefix.replay"
		line=${line#"sysfuzz replay: $prefix.sequence.tmp: "}
		echo "sequence of $(ls -1 "$prefix.reproducer" | wc -l) inputs in one boot ($(ls -1 "$seq" | wc -l) since the reset, $(sed -n 's/^reduce-sequence: [0-9]* -> [0-9]* inputs in \([0-9]*\) s (\([0-9]*\) replays.*/shortened in \1 s, \2 replays/p' "$prefix.reduce")): $line" >"$prefix.verdict"
		exit 0
	fi
	line=$(grep -m1 -F "sysfuzz replay: $f: " "$prefix.replay.tmp")
	case "${line#"sysfuzz replay: $f: "}" in ok | "") exit 1 ;; esac # no finding of its own
	"$here/replay.sh" "$clean" "$f" >"$prefix.clean" 2>&1 || exit 1 # also without the bug
	mv "$prefix.replay.tmp" "$prefix.replay"
	cp "$f" "$prefix.reproducer"
	echo "${line#"sysfuzz replay: $f: "}" >"$prefix.verdict"
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
	if [ -n "$f" ] && [ -e "$out/bug$n.reproducer" ] && [ -f "$out/bug$n.verdict" ]; then
		verdict="FOUND after ${took} s (${execs:-0} execs): $(cat "$out/bug$n.verdict")"
		found=$((found + 1))
	fi
	echo "bugbench-system: bug $n: $verdict"
done
echo "bugbench-system: found $found of $total planted arch bugs (at most ${seconds} s each; reproducers in $out)"

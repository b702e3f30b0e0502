#!/bin/bash
# coverage.sh TARGET...: source-based coverage (clang -fprofile-instr-generate -fcoverage-mapping)
# of hyp/core over every corpus the fuzzers have: seeds, regressions, AFL++ queues and libFuzzer
# corpora. Writes $FUZZ_REPORTS/coverage/{html/,report.txt,summary.txt}; prints the branch figure.
set -eu
: "${FUZZ_BUILD:?}" "${FUZZ_REPORTS:?}" "${FUZZ_PROFDATA:?}" "${FUZZ_COV:?}"
out=$FUZZ_REPORTS/coverage
rm -rf "$out"
mkdir -p "$out/raw"
objects=()
for t in "$@"; do
	dirs=()
	for d in "$FUZZ_BUILD/seeds/$t" "fuzz/regressions/$t" "$FUZZ_REPORTS/libfuzzer/$t/corpus" \
		"$FUZZ_REPORTS"/afl/"$t"/*/queue; do
		[ -d "$d" ] && dirs+=("$d")
	done
	LLVM_PROFILE_FILE="$out/raw/$t-%p.profraw" "$FUZZ_BUILD/cov/$t" "${dirs[@]}" >"$out/$t.replay.log" 2>&1 ||
		echo "coverage: $t: some corpus input failed (see $out/$t.replay.log)"
	echo "coverage: $t: $(tail -1 "$out/$t.replay.log") from ${dirs[*]}"
	if [ ${#objects[@]} -eq 0 ]; then objects+=("$FUZZ_BUILD/cov/$t"); else objects+=(-object "$FUZZ_BUILD/cov/$t"); fi
done
"$FUZZ_PROFDATA" merge -sparse "$out"/raw/*.profraw -o "$out/merged.profdata"
"$FUZZ_COV" show "${objects[@]}" -instr-profile="$out/merged.profdata" -format=html \
	-show-branches=count -output-dir="$out/html" hyp/core >/dev/null
"$FUZZ_COV" report "${objects[@]}" -instr-profile="$out/merged.profdata" hyp/core >"$out/report.txt"
# TOTAL row: regions, missed, cover, functions, missed, executed, lines, missed, cover, branches,
# missed, cover.
awk '/^TOTAL/ {
	printf "hyp/core coverage over the fuzz corpora: branches %d/%d (%s), lines %d/%d (%s), functions %d/%d (%s), regions %s\n",
		$11 - $12, $11, $13, $8 - $9, $8, $10, $5 - $6, $5, $7, $4
}' "$out/report.txt" | tee "$out/summary.txt"
echo "coverage: HTML in $out/html/index.html, per file in $out/report.txt"

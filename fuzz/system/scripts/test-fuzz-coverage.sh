#!/bin/bash
# test-fuzz-coverage.sh OUT "COMMAND": make test-fuzz-coverage (in make test). COMMAND is make
# fuzz-coverage-system (issue 14 point 4) narrowed to the identify tests of the root profile, with
# its reports in OUT/reports, where no fuzzing corpus exists, so the fuzzer's column is its seeds.
# The report must say so and hold what follows from the code, not from a count that moves with
# every test added:
#   - both boots of the suite (list and run) wrote a coverage file;
#   - identify is a hypercall: trap_hypercall is reached by the suite and by the seeds;
#   - the machine is QEMU virt with a GICv3: no function of gic_v2.c is reached by either;
#   - the seeds write a GICR priority (seed mmio) and no identify test touches one:
#     vgic_priority_byte is the fuzzer's alone (so the two columns come from their own runs).
set -uo pipefail
out=$1 cmd=$2
rm -rf "$out"
mkdir -p "$out"
fail() {
	echo "test-fuzz-coverage: FAIL: $*" >&2
	exit 1
}
start=$(date +%s)
rc=0
eval "$cmd" >"$out/run.txt" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || fail "exit $rc ($out/run.txt): $(tail -3 "$out/run.txt" | tr '\n' '|')"
report=$out/reports/fuzz/system/el2-coverage.md
[ -s "$report" ] || fail "no report $report"
grep -q '^fuzz-coverage-system: system fuzzer column: NO CORPUS YET' "$out/run.txt" ||
	fail "no 'NO CORPUS YET' line without a corpus ($out/run.txt)"
grep -q '^System fuzzer: NO CORPUS YET' "$report" || fail "the report does not say there is no corpus"
grep -q 'suite done in [0-9]* s (exit 0), 2 QEMU coverage files' "$out/run.txt" ||
	fail "expected 2 suite coverage files (list and run boot): $(grep 'suite done' "$out/run.txt")"

# The suite and fuzzer columns of function NAME (its row's 5th and 6th fields), e.g. "yes -".
columns() {
	awk -F' *[|] *' -v f="\`$1\`" '$3 == f { print $5, $6 }' "$report"
}
[ "$(columns trap_hypercall)" = "yes yes" ] ||
	fail "trap_hypercall: suite/fuzzer expected 'yes yes', got '$(columns trap_hypercall)'"
[ "$(columns vgic_priority_byte)" = "- yes" ] ||
	fail "vgic_priority_byte: suite/fuzzer expected '- yes', got '$(columns vgic_priority_byte)'"
v2=$(awk -F' *[|] *' '$2 == "hyp/arch/aarch64/gic_v2.c" { print $3, $5, $6 }' "$report")
[ -n "$v2" ] || fail "no function of hyp/arch/aarch64/gic_v2.c in the report"
reached=$(echo "$v2" | grep -v ' - -$') && fail "gic_v2.c reached on a GICv3 machine: $reached"
echo "test-fuzz-coverage: PASS ($(grep -o 'hyp/arch/ functions: [^;]*; suite [0-9]*, system fuzzer [0-9]*' "$report"); $(($(date +%s) - start)) s)"

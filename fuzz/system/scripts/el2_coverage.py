#!/usr/bin/env python3
"""EL2 coverage by function: which hyp.elf functions the conformance suite and the system fuzzer
ran, from el2cov plugin files ("pc insns" per translation block that ran), mapped to functions
with the symbols and source lines of `nm -S -l`. Writes a Markdown report; prints a summary."""

import argparse
import bisect
import os
import re
import subprocess
import sys

NM_LINE = re.compile(r"^([0-9a-f]+) ([0-9a-f]+) ([tTwW]) (\S+)(?:\t(\S+):\d+)?$")


def functions(nm, elf):
    out = subprocess.run([nm, "-S", "-l", "--defined-only", elf], check=True,
                         capture_output=True, text=True).stdout
    funcs = []
    for line in out.splitlines():
        m = NM_LINE.match(line)
        if not m or int(m.group(2), 16) == 0:
            continue
        path = m.group(5) or "?"
        i = path.find("hyp/")
        funcs.append((int(m.group(1), 16), int(m.group(2), 16), m.group(4),
                      path[i:] if i >= 0 else path))
    funcs.sort()
    return funcs


def reached(funcs, files):
    starts = [f[0] for f in funcs]
    hit = set()
    for name in files:
        with open(name) as f:
            for line in f:
                parts = line.split()
                if len(parts) != 2:
                    continue
                pc, n = int(parts[0], 16), int(parts[1])
                for addr in (pc, pc + 4 * max(n - 1, 0)):
                    i = bisect.bisect_right(starts, addr) - 1
                    if i >= 0 and addr < funcs[i][0] + funcs[i][1]:
                        hit.add(funcs[i][2])
    return hit


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--elf", required=True)
    ap.add_argument("--nm", default="aarch64-linux-gnu-nm")
    ap.add_argument("--suite", nargs="*", default=[])
    ap.add_argument("--fuzz", nargs="*", default=[])
    ap.add_argument("--prefix", default="hyp/arch/", help="source files to list (default hyp/arch/)")
    ap.add_argument("--suite-source", default="", help="what the suite's coverage files come from")
    ap.add_argument("--fuzz-source", default="", help="what the fuzzer's coverage files come from")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    if not args.suite or not args.fuzz:
        sys.exit("el2_coverage: no coverage files for the suite or the fuzzer")
    funcs = functions(args.nm, args.elf)
    suite, fuzz = reached(funcs, args.suite), reached(funcs, args.fuzz)
    listed = [f for f in funcs if f[3].startswith(args.prefix)]
    if not listed:
        sys.exit(f"el2_coverage: no function of {args.prefix} in {args.elf} (built without -g?)")
    rows, neither = [], []
    for _, size, name, path in sorted(listed, key=lambda f: (f[3], f[2])):
        s, z = name in suite, name in fuzz
        rows.append(f"| {path} | `{name}` | {size} | {'yes' if s else '-'} | {'yes' if z else '-'} |")
        if not s and not z:
            neither.append(f"{path}: {name}")
    n = len(listed)
    ns = sum(1 for f in listed if f[2] in suite)
    nz = sum(1 for f in listed if f[2] in fuzz)
    nb = sum(1 for f in listed if f[2] in suite or f[2] in fuzz)
    only_fuzz = sorted(f[2] for f in listed if f[2] in fuzz and f[2] not in suite)
    summary = (f"{args.prefix} functions: {n}; suite {ns}, system fuzzer {nz}, either {nb}, "
               f"neither {n - nb}; fuzzer only: {', '.join(only_fuzz) or 'none'}")
    all_s, all_z = len(suite), len(fuzz)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        f.write(f"# EL2 coverage of {os.path.basename(args.elf)} by function\n\n")
        f.write(f"{summary}.\n\nAll of hyp.elf: {len(funcs)} functions; the suite ran {all_s}, "
                f"the system fuzzer {all_z}.\n\n")
        if args.suite_source:
            f.write(f"Suite: {args.suite_source}, {len(args.suite)} coverage file(s).\n\n")
        if args.fuzz_source:
            f.write(f"System fuzzer: {args.fuzz_source}, {len(args.fuzz)} coverage file(s).\n\n")
        f.write("| file | function | bytes | suite | system fuzzer |\n|---|---|---|---|---|\n")
        f.write("\n".join(rows) + "\n\n## Reached by neither\n\n")
        f.write("\n".join(f"- {x}" for x in neither) + "\n" if neither else "none\n")
    print(f"fuzz-coverage-system: {summary}")
    for x in neither:
        print(f"fuzz-coverage-system: reached by neither: {x}")
    print(f"fuzz-coverage-system: report {args.out}")


if __name__ == "__main__":
    main()

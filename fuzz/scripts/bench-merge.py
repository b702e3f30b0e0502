#!/usr/bin/env python3
"""bench-merge: adds the host fuzzers' throughput to make bench's JSON (make bench-fuzz).

bench-merge.py BENCH_JSON BEFORE_JSON THROUGHPUT_JSON...: BENCH_JSON (what make bench wrote) gets
a key "fuzz_throughput": each THROUGHPUT_JSON line that throughput.sh wrote (one per engine or the
replay program, this build, measured just now on one core) under its target and engine, and "before", the figures of
the build before issue 14 recorded in BEFORE_JSON (fuzz/throughput-before.json: measured once on
the same machine with the same seeds; that build no longer exists in the tree). The bench rows are
left as they are, so bench comparisons see no noisy fuzzing figure among instruction counts.
"""

import json
import os
import sys
import tempfile


def main(argv):
    if len(argv) < 4:
        print("usage: bench-merge.py BENCH_JSON BEFORE_JSON THROUGHPUT_JSON...", file=sys.stderr)
        return 2
    bench_path, before_path, runs = argv[1], argv[2], argv[3:]
    try:
        with open(bench_path) as f:
            bench = json.load(f)
        with open(before_path) as f:
            before = json.load(f)
        now = {}
        for path in runs:
            with open(path) as f:
                run = json.load(f)
            now.setdefault(run["target"], {})[run.get("engine", "libfuzzer")] = run
    except (OSError, ValueError, KeyError) as e:
        print(f"bench-merge: {e}", file=sys.stderr)
        return 1
    if not isinstance(bench, dict):
        print(f"bench-merge: {bench_path}: not a JSON object", file=sys.stderr)
        return 1
    bench["fuzz_throughput"] = {"unit": "inputs per CPU second, one core", "now": now,
                                "before": before}
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(bench_path)))
    with os.fdopen(fd, "w") as f:
        json.dump(bench, f, indent=2)
        f.write("\n")
    os.replace(tmp, bench_path)
    for target, engines in sorted(now.items()):
        for engine, run in sorted(engines.items()):
            intake = run.get("seed_intake_per_cpu_s")
            more = f" (seed intake {intake})" if intake is not None else ""
            loop = run.get("loop_fixed_per_cpu_s")
            if loop is not None:
                more += f"; fixed work {loop} ({run.get('loop_fixed_runs')} runs, intake subtracted)"
            print(f"bench-merge: {target} {engine}: {run['execs_per_cpu_s']} inputs per CPU "
                  f"second{more} on core {run.get('core', '?')} -> {bench_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

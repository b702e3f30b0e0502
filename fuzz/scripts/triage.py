#!/usr/bin/env python3
"""triage: every crash the fuzzers saved, minimized, symbolized and grouped by stack hash.

Crashes: $FUZZ_REPORTS/afl/<target>/<instance>/crashes/id:* and
$FUZZ_REPORTS/libfuzzer/<target>/crashes/{crash,timeout,oom}-*. Each is minimized with libFuzzer's
-minimize_crash (bounded), replayed with the replay build (symbolized stack), and grouped by a hash
of what broke (invariant name, sanitizer error kind or panic) and the top three frames in the
project's code. Per group: $FUZZ_REPORTS/triage/<target>-<hash>/{reproducer,report.txt}; an index
with one replay command per group: $FUZZ_REPORTS/triage/summary.md.
"""

import glob
import hashlib
import os
import re
import shutil
import subprocess
import sys

BUILD = os.environ.get("FUZZ_BUILD", "build/fuzz")
REPORTS = os.environ.get("FUZZ_REPORTS", "reports/fuzz")
MINIMIZE_SECONDS = int(os.environ.get("FUZZ_TRIAGE_MINIMIZE_SECONDS", "30"))
FRAME = re.compile(r"#\d+ 0x[0-9a-f]+ in (\S+) (\S+?):(\d+)")
SKIP_FUNCS = ("__asan", "__ubsan", "__sanitizer", "__interceptor", "abort", "raise", "fuzzer::",
              "oracle_fail", "LLVMFuzzerTestOneInput", "main", "__libc", "replay_", "driver_")
WHAT = re.compile(r"(INVARIANT [\w-]+ broken|AddressSanitizer: [\w-]+|runtime error: [^\n]*|"
                  r"humpy: PANIC [^\n]*|ERROR: libFuzzer: [\w-]+)")


def crashes():
    found = []
    for path in glob.glob(f"{REPORTS}/afl/*/*/crashes/id:*"):
        target = path.split(os.sep)[-4]
        found.append((target, path))
    for path in glob.glob(f"{REPORTS}/libfuzzer/*/crashes/*"):
        if re.match(r"(crash|timeout|oom)-", os.path.basename(path)):
            found.append((path.split(os.sep)[-3], path))
    return sorted(found)


def minimize(target, path, out):
    fuzzer = f"{BUILD}/libfuzzer/{target}"
    r = subprocess.run([fuzzer, "-minimize_crash=1", f"-max_total_time={MINIMIZE_SECONDS}",
                        "-timeout=10", f"-exact_artifact_path={out}", path],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if r.returncode != 0 or not os.path.exists(out) or \
            os.path.getsize(out) > os.path.getsize(path):
        shutil.copyfile(path, out)


def replay(target, path):
    env = dict(os.environ, ASAN_OPTIONS="symbolize=1:detect_leaks=0",
               UBSAN_OPTIONS="print_stacktrace=1:symbolize=1")
    try:
        r = subprocess.run([f"{BUILD}/replay/{target}", path], env=env, capture_output=True,
                           text=True, timeout=60)
        return r.returncode, r.stderr
    except subprocess.TimeoutExpired:
        return -1, "timeout: the input ran over 60 s (a hang)\n"


def signature(log):
    m = WHAT.search(log)
    what = m.group(1) if m else "unknown"
    what = re.sub(r"runtime error: .*", "runtime error", what) if "runtime error" in what \
        else what
    if what.startswith("humpy: PANIC"):
        what = re.sub(r"0x[0-9a-f]+|\d+", "N", what)
    frames = []
    for func, file, line in FRAME.findall(log):
        if func.startswith(SKIP_FUNCS) or file.startswith("/usr") or "compiler-rt" in file:
            continue
        frames.append(f"{func} {os.path.relpath(file)}:{line}")
        if len(frames) == 3:
            break
    key = what + "|" + "|".join(f.split(":")[0] for f in frames)
    return hashlib.sha1(key.encode()).hexdigest()[:12], what, frames


def main():
    found = crashes()
    out_root = f"{REPORTS}/triage"
    shutil.rmtree(out_root, ignore_errors=True)
    os.makedirs(out_root)
    groups = {}
    for i, (target, path) in enumerate(found):
        work = f"{out_root}/.min-{i}"
        minimize(target, path, work)
        code, log = replay(target, work)
        if code == 0:
            h, what, frames = "not-reproducible", "does not reproduce in the replay build", []
        else:
            h, what, frames = signature(log)
        g = groups.setdefault((target, h), {"what": what, "frames": frames, "inputs": [],
                                            "repro": None, "log": log})
        g["inputs"].append(path)
        if g["repro"] is None or os.path.getsize(work) < os.path.getsize(g["repro"]):
            g["repro"], g["log"] = work, log
        else:
            os.remove(work)
    lines = ["# Fuzz triage", "",
             f"{len(found)} saved crash(es), {len(groups)} group(s) by stack hash.", ""]
    for (target, h), g in sorted(groups.items()):
        d = f"{out_root}/{target}-{h}"
        os.makedirs(d)
        repro = f"{d}/reproducer"
        os.replace(g["repro"], repro)
        with open(f"{d}/report.txt", "w") as f:
            f.write(f"target: {target}\nwhat: {g['what']}\n")
            f.write("frames:\n" + "".join(f"  {x}\n" for x in g["frames"]))
            f.write("inputs:\n" + "".join(f"  {x}\n" for x in g["inputs"]))
            f.write("\n" + g["log"])
        lines += [f"## {target}-{h}: {g['what']} ({len(g['inputs'])} input(s))", ""]
        lines += [f"- {x}" for x in g["frames"]] or ["- (no project frames)"]
        lines += ["", f"    {BUILD}/replay/{target} {repro}", ""]
        if target == "hypercall_seq":
            lines += [f"    HUMPY_FUZZ_TRACE=1 {BUILD}/replay/{target} {repro}   # the calls", ""]
    for p in glob.glob(f"{out_root}/.min-*"):
        os.remove(p)
    text = "\n".join(lines) + "\n"
    with open(f"{out_root}/summary.md", "w") as f:
        f.write(text)
    sys.stdout.write(text)
    return 1 if any(h != "not-reproducible" for _, h in groups) else 0


if __name__ == "__main__":
    sys.exit(main())

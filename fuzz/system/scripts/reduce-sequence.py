#!/usr/bin/env python3
"""reduce-sequence.py HYP SEQ OUT: shortens a sequence reproducer of the system fuzzer.

SEQ is a folder of inputs that ran in that order in one boot (the shim's state/sequences/<n>, the
inputs since the last reset, the finding's own last). It counts as reproducing when replay.sh, in a
fresh boot of HYP, gives a finding of the same class at its last input. First the whole sequence is
checked (exit 1 if it does not reproduce), then the shortest run of earlier inputs just before the
last that still reproduces is bisected, then chunks of those are dropped (ddmin) while time allows
(SYSFUZZ_REDUCE_SECONDS, default 120). Every candidate is one replay in a fresh QEMU. OUT (a new
folder) gets the shortest sequence found, files 0000, 0001, ... in order; one summary line on stdout.
"""

import ctypes
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PR_SET_PDEATHSIG = 1
SUMMARY = re.compile(r"^sysfuzz replay: (.*): (\w[\w-]*)(?:: (.*))? \(input (\d+) of (\d+), one boot\)$")


def on_term(sig, frame):
    raise SystemExit(128 + sig)


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    # Stopped with whoever runs it (the bug benchmark's runner): TERM then, and on TERM or Ctrl-C
    # the replay under way is stopped by process group (the shim stops its QEMU) before exiting.
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    signal.signal(signal.SIGTERM, on_term)
    hyp, seq, out = sys.argv[1:]
    budget = float(os.environ.get("SYSFUZZ_REDUCE_SECONDS", "120"))
    t0 = time.monotonic()
    names = sorted(n for n in os.listdir(seq) if not n.startswith("."))
    if len(names) < 2:
        sys.exit(f"reduce-sequence: {seq}: fewer than two inputs")
    inputs = [os.path.join(seq, n) for n in names]
    earlier, last = list(range(len(inputs) - 1)), len(inputs) - 1
    tmp = tempfile.mkdtemp(prefix="reduce-", dir=os.environ.get("SYSFUZZ_BUILD"))
    tried, replays = {}, [0]
    target = [None]  # the finding's class, from the whole sequence

    def replay(picked):
        """Class and reason of the finding at the last input of earlier[picked] + last, else None."""
        key = tuple(picked)
        if key in tried:
            return tried[key]
        case = os.path.join(tmp, f"case{replays[0]}")
        os.mkdir(case)
        for i, k in enumerate(list(picked) + [last]):
            os.symlink(os.path.abspath(inputs[k]), os.path.join(case, f"{i:04d}"))
        env = dict(os.environ, SYSFUZZ_REPLAY_WORK=os.path.join(tmp, "work"))
        child = subprocess.Popen([os.path.join(HERE, "replay.sh"), hyp, case], env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                 start_new_session=True)
        try:
            stdout = child.communicate()[0]
        except BaseException:
            os.killpg(child.pid, signal.SIGTERM)
            child.wait()
            raise
        replays[0] += 1
        shutil.rmtree(case)
        result = None
        for line in stdout.splitlines():
            m = SUMMARY.match(line)
            if m and m.group(2) != "ok" and m.group(4) == m.group(5):
                result = (m.group(2), m.group(3) or "")
        if result is not None and target[0] is not None and result[0] != target[0]:
            result = None
        tried[key] = result
        return result

    def reproduces(picked):
        return replay(picked) is not None

    def time_left():
        return time.monotonic() - t0 < budget

    try:
        whole = replay(earlier)
        if whole is None:
            print(f"reduce-sequence: {seq}: {len(inputs)} inputs give no finding at the last in a"
                  f" fresh boot ({time.monotonic() - t0:.0f} s)")
            return 1
        target[0] = whole[0]
        # The shortest run of earlier inputs right before the last (0 is the input alone: the
        # caller found that it does not reproduce).
        lo, hi = 0, len(earlier)
        while hi - lo > 1 and time_left():
            mid = (lo + hi) // 2
            if reproduces(earlier[len(earlier) - mid:]):
                hi = mid
            else:
                lo = mid
        cur = earlier[len(earlier) - hi:]
        # ddmin: drop one of `parts` chunks at a time; finer chunks when none can go.
        parts = 2
        while len(cur) > 1 and time_left():
            size = -(-len(cur) // parts)
            chunks = [cur[i:i + size] for i in range(0, len(cur), size)]
            for chunk in chunks:
                rest = [k for k in cur if k not in chunk]
                if time_left() and reproduces(rest):
                    cur, parts = rest, max(parts - 1, 2)
                    break
            else:
                if size == 1:
                    break
                parts = min(len(cur), parts * 2)
        os.makedirs(out)
        for i, k in enumerate(cur + [last]):
            shutil.copyfile(inputs[k], os.path.join(out, f"{i:04d}"))
        result = replay(cur)
        print(f"reduce-sequence: {len(inputs)} -> {len(cur) + 1} inputs in"
              f" {time.monotonic() - t0:.0f} s ({replays[0]} replays in a fresh boot, budget"
              f" {budget:.0f} s): {result[0]}: {result[1]}")
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""A stand-in for qemu-system-aarch64 in the harness's own tests: deterministic guests that pass,
fail, hang, die, or print a canned console, in milliseconds.

The "guest image" (the file loaded at 0x41000000) is a YAML scenario:
  tests:   [{id: area.name, result: "PASS" | "FAIL reason...", do: hang|crash|"sleep S",
             hidden: true}]        in order; `do` happens after RUN; hidden tests run only when a
                                   pattern names them exactly (like the real guest's selftests)
  bench:   [{name: ..., value: ..., unit: ...} | {name: ..., na: REASON}]
  profile: {name: root|hlos, reason: TEXT} | none   the PROFILE line after BEGIN (default hlos,
                                   "no root caps"); none: no PROFILE line (an older guest)
  setup_errors: [{component: timer, reason: TEXT}]   SETUP_ERROR lines after PROFILE
  needs_smp: N       like upstream Gunyah (built for exactly 8 CPUs): under any other -smp, print
                     an EL2 data abort and hang before the guest starts
  needs_cpu: TEXT    the same when the -cpu argument is not exactly TEXT
  console: FILE      print FILE instead (relative to the scenario), obeying directive lines:
           @@sleep S | @@exit N | @@hang | @@partial TEXT (no newline) | @@child (a grandchild
           that keeps the console open and sleeps)
  list_console: FILE   the same, for a list-mode boot
  poweroff: false    stay alive after END (default: exit 0 like PSCI SYSTEM_OFF)
  exit: N            exit status at the end (default 0)
Anything after a line `#@@image` is ignored (tests/static_guest.py puts a guest's test table there).
The bootargs (humpy.tests=, humpy.list, humpy.bench) are read back from the VM device tree with
fdtget. `-machine ...,dumpdtb=F` (what scripts/vm-dtb.sh asks) goes to the real QEMU in
$FAKE_QEMU_REAL (default qemu-system-aarch64), so the harness's device-tree path is exercised too.
Each invocation appends its argv to $FAKE_QEMU_ARGV_LOG, if set.
"""

import fnmatch
import json
import os
import re
import subprocess
import sys
import time

import yaml

IMAGE_MARK = b"\n#@@image\n"


def out(text: str, newline: bool = True) -> None:
    sys.stdout.write(text + ("\n" if newline else ""))
    sys.stdout.flush()


def hang() -> None:
    while True:
        time.sleep(3600)


def loader_file(argv, addr):
    for a in argv:
        if a.startswith("loader,") and f"addr={addr}" in a:
            return re.search(r"file=([^,]+)", a).group(1)
    return None


def bootargs(dtb):
    if dtb is None:
        return ""
    proc = subprocess.run(["fdtget", "-t", "s", dtb, "/chosen", "bootargs"],
                          capture_output=True, text=True)
    return proc.stdout.strip() if proc.returncode == 0 else ""


def selected(test, patterns):
    if not patterns:
        return not test.get("hidden")
    if test.get("hidden"):
        return test["id"] in patterns
    return any(fnmatch.fnmatchcase(test["id"], p) for p in patterns)


def play_console(path):
    for line in open(path, encoding="utf-8", errors="surrogateescape"):
        line = line.rstrip("\n")
        if line.startswith("@@sleep "):
            time.sleep(float(line.split()[1]))
        elif line.startswith("@@exit "):
            sys.exit(int(line.split()[1]))
        elif line == "@@hang":
            hang()
        elif line.startswith("@@partial "):
            out(line[len("@@partial "):], newline=False)
        elif line == "@@child":
            child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3600)"])
            out(f"fake-qemu: child pid {child.pid}")
        else:
            out(line)


def main(argv):
    if os.environ.get("FAKE_QEMU_ARGV_LOG"):
        with open(os.environ["FAKE_QEMU_ARGV_LOG"], "a") as f:
            f.write(json.dumps(argv) + "\n")
    if any("dumpdtb=" in a for a in argv):
        real = os.environ.get("FAKE_QEMU_REAL", "qemu-system-aarch64")
        os.execvp(real, [real] + argv)
    scenario_path = loader_file(argv, "0x41000000")
    with open(scenario_path, "rb") as f:
        # An image made by tests/static_guest.py: the scenario, then a test table as the real
        # guest's (read by the harness without booting, never by this fake).
        text = f.read().split(IMAGE_MARK, 1)[0].decode()
    scenario = yaml.safe_load(text) or {}
    args = bootargs(loader_file(argv, "0x40f00000")).split()
    patterns = []
    for token in args:
        if token.startswith("humpy.tests="):
            patterns = [p for p in token.split("=", 1)[1].split(",") if p]
    out(f"fake-qemu: pid {os.getpid()}")
    smp = argv[argv.index("-smp") + 1] if "-smp" in argv else "1"
    cpu = argv[argv.index("-cpu") + 1] if "-cpu" in argv else ""
    if ("needs_smp" in scenario and smp != str(scenario["needs_smp"])) or (
            "needs_cpu" in scenario and cpu != scenario["needs_cpu"]):
        # What upstream Gunyah prints when its GICR for a CPU it was built for is missing.
        out("ERROR: Unhandled EL2 data abort, ESR_EL2 0x97880010 (fake-qemu: this build needs "
            f"-smp {scenario.get('needs_smp')} -cpu {scenario.get('needs_cpu', 'any')}, "
            f"got -smp {smp} -cpu {cpu})")
        hang()
    key = "list_console" if "humpy.list" in args and "list_console" in scenario else "console"
    if key in scenario:
        play_console(os.path.join(os.path.dirname(scenario_path), scenario[key]))
        sys.exit(scenario.get("exit", 0))
    tests = [t for t in scenario.get("tests", []) if selected(t, patterns)]
    counts = {"PASS": 0, "FAIL": 0, "SKIP": 0, "ERROR": 0}
    profile = scenario.get("profile", {"name": "hlos", "reason": "no root caps in /chosen"})
    name = "hlos" if profile == "none" else profile["name"]

    def begin(n):
        out(f"[humpy] BEGIN profile={name} tests={n}")
        if profile != "none":
            out(f"[humpy] PROFILE {name} {profile['reason']}")
        for e in scenario.get("setup_errors", []):
            out(f"[humpy] SETUP_ERROR {e['component']} {e['reason']}")

    if "humpy.list" in args:
        begin(len(tests))
        for t in tests:
            out(f"[humpy] TEST {t['id']}")
    elif "humpy.bench" in args:
        begin(0)
        for b in scenario.get("bench", []):
            if "na" in b:
                out(f"[humpy] BENCH {b['name']} n/a {b['na']}")
            else:
                out(f"[humpy] BENCH {b['name']} {b['value']} {b['unit']}")
    else:
        begin(len(tests))
        for t in tests:
            out(f"[humpy] RUN {t['id']}")
            action = t.get("do", "")
            if action == "hang":
                hang()
            elif action == "crash":
                out("fake-qemu: guest took a fatal exception")
                sys.exit(scenario.get("exit", 0))
            elif action.startswith("sleep "):
                time.sleep(float(action.split()[1]))
            result = t.get("result", "PASS")
            counts[result.split()[0]] += 1
            out(f"[humpy] RESULT {t['id']} {result}")
    out("[humpy] END " + " ".join(f"{k.lower()}={v}" for k, v in counts.items()))
    if scenario.get("poweroff", True) is False:
        hang()
    sys.exit(scenario.get("exit", 0))


if __name__ == "__main__":
    main(sys.argv[1:])

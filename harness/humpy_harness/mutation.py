"""Mutation testing of the hypervisor: how many broken hypervisors would the tests let through?

    python3 -m humpy_harness.mutation run [--mutants N] [--seed S] [--files GLOBS] [--commit REV]
                                          [--work DIR] [--out DIR] [--ids ID,...] [--list]

Each mutant is one small change to one C file of hyp/core or hyp/arch/aarch64 (the operators are in
OPERATORS below). The files come from one commit (--commit, default HEAD), unpacked once into a
private tree under --work, so a run is reproducible while others keep editing the checkout, and the
commit is written into the results. Per mutant only the mutated file is recompiled:

  1. the EL2 object (make in the private tree, which then relinks hyp.elf) and, when the host unit
     tests link the file (hyp/host.mk), its host object; a mutant that does not compile is
     'stillborn' (reported, not counted, and replaced by the next one in the seed's order);
  2. objects equal to the original's once debug info is stripped: the compiler proved the mutant
     equivalent ('equivalent'), or the mutated line is not compiled at all, as in an #ifdef branch no
     build takes ('compiled_out': the preprocessed source is unchanged too);
  3. the host unit tests, both cap-ID variants (fast), then one QEMU boot of the whole conformance
     suite, stopped at the first test whose verdict differs from the unmutated build's.
     A crash, a missing END, a hang (no protocol line for --idle seconds) or a time-out is a kill.

Mutants that no test can observe (equivalent in effect, or different only on hardware QEMU does not
model) are listed, reviewed by hand, in mutation_equivalent.yaml beside this file (--reviewed): each
entry names its mutant by file, function and exact code before/after, never by line, with a one-line
reason. A listed mutant is not built: it is reported as 'equivalent (reviewed)' with that reason and
left out of the rate. An entry that matches no mutant of the commit stops the run (a stale list).

The kill rate is killed / (killed + survived). Results go to OUT/mutation.json (rewritten after each
mutant, so a long run can be watched) and OUT/mutation.txt (summary and every survivor's diff); the
HTML report (make report) shows the JSON. Every process started (make, the unit tests, QEMU) runs in
its own process group and is killed on every exit path; the mutated file is restored on exit.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import fnmatch
import hashlib
import json
import os
import random
import re
import selectors
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from . import protocol
from . import qemu as hq

REPO = Path(__file__).resolve().parents[2]
SCHEMA = "humpy-mutation/1"
DEFAULT_FILES = "hyp/core/*.c,hyp/arch/aarch64/*.c"
DEFAULT_SEED = 12
# The variant switch of hyp/host.mk's second unit-test binary: only files naming it compile
# differently there, so the others link the same host object into both binaries.
PLAIN_IDS_FLAG = "-DHYP_CAP_ID_PLAIN"

OPERATORS = {
    "flip_cmp": "a comparison flipped to its negation (== !=, < >=, > <=)",
    "off_by_one": "a bound moved by one (< <=, > >=)",
    "drop_check": "an if condition replaced by 0 (the check and its branch dropped)",
    "swap_error": "an error code replaced by the next one of enum error",
    "delete_stmt": "an expression statement deleted",
}
FLIP = {"==": "!=", "!=": "==", "<": ">=", ">=": "<", ">": "<=", "<=": ">"}
OFF_BY_ONE = {"<": "<=", "<=": "<", ">": ">=", ">=": ">"}
OPERATOR_RE = re.compile(r"<<=|>>=|<<|>>|->|<=|>=|==|!=|<|>")
# Lines never mutated: invariant checks a correct hypervisor never reaches (a mutant that drops one
# cannot be told apart from the original by any test) and compile-time assertions.
SKIP_LINE_RE = re.compile(r"\bpanic\s*\(|_Static_assert|static_assert")
# Statements that start with these are no expression statements (or deleting them cannot compile).
NOT_EXPR_FIRST = {
    "return", "break", "continue", "goto", "case", "default", "if", "for", "while", "do",
    "switch", "else", "typedef", "static", "const", "struct", "enum", "union", "unsigned",
    "signed", "int", "char", "long", "short", "void", "bool", "volatile", "register", "extern",
    "inline", "sizeof", "_Static_assert", "static_assert", "_Noreturn",
}
DECL_RE = re.compile(r"^\s*[A-Za-z_]\w*(?:\s+|\s*\*+\s*)[A-Za-z_]\w*\s*(?:=|;|\[|,)")
MAX_STMT_LINES = 8


class Stop(Exception):
    """SIGTERM or SIGINT: stop after cleaning up."""


# --- the mutants ----------------------------------------------------------------------------------

def mask_source(text: str) -> str:
    """text with comments, string and character literals and preprocessor lines blanked (same
    length, newlines kept), so the operators see code only."""
    out = list(text)
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
        else:
            i += 1
            continue
        for k in range(i, j):
            if out[k] != "\n":
                out[k] = " "
        i = j
    lines = "".join(out).split("\n")
    continued = False
    for k, line in enumerate(lines):
        if continued or line.lstrip().startswith("#"):
            continued = line.rstrip().endswith("\\")
            lines[k] = " " * len(line)
    return "\n".join(lines)


def error_codes(error_h: str) -> list[str]:
    """The names of enum error in declaration order (OK first)."""
    return re.findall(r"^\s*(OK|ERROR_[A-Z0-9_]+)\s*=", error_h, re.M)


def _mutant(path, line, op, k, old, new, what, function=""):
    return {"id": f"{path}:{line}:{op}:{k}", "file": path, "function": function, "line": line,
            "operator": op, "old": old, "new": new, "what": what}


def _matching_paren(s: str, open_at: int) -> int:
    depth = 0
    for j in range(open_at, len(s)):
        if s[j] == "(":
            depth += 1
        elif s[j] == ")":
            depth -= 1
            if depth == 0:
                return j
    return -1


def _statement_at(mlines, lines, i):
    """The expression statement starting at line i (its line count), or None."""
    code = mlines[i].strip()
    if not code:
        return None
    prev = next((mlines[j].strip() for j in range(i - 1, -1, -1) if mlines[j].strip()), "{")
    if prev[-1] not in ";{}:":
        return None
    first = re.match(r"[A-Za-z_]\w*", code)
    if first and first.group(0) in NOT_EXPR_FIRST:
        return None
    if not (first or code[0] in "*(" or code.startswith(("++", "--"))):
        return None
    if code.startswith("(void)") or DECL_RE.match(mlines[i]) or re.match(r"[A-Za-z_]\w*\s*:", code):
        return None
    depth = 0
    for j in range(i, min(i + MAX_STMT_LINES, len(mlines))):
        seg = mlines[j]
        if "{" in seg or "}" in seg or SKIP_LINE_RE.search(lines[j]):
            return None
        depth += seg.count("(") - seg.count(")")
        if depth == 0 and seg.rstrip().endswith(";"):
            return j - i + 1
    return None


def function_names(mlines: list[str]) -> list[str]:
    """For each line of a masked C file, the name of the function whose body holds it ('' at file
    scope). hyp/ is clang-formatted: a definition's '{' and '}' stand alone in column 0."""
    names, current, depth = [], "", 0
    for i, line in enumerate(mlines):
        if depth == 0 and line.rstrip() == "{":
            sig = []
            for j in range(i - 1, max(i - 6, -1), -1):
                if not mlines[j].strip() or mlines[j].rstrip().endswith((";", "}")):
                    break
                sig.insert(0, mlines[j])
            # The first name before '(' that is no __attribute__((...)) of the declaration.
            m = re.search(r"([A-Za-z_]\w*)\s*\(",
                          re.sub(r"__attribute__\s*\(\((?:[^()]|\([^()]*\))*\)\)", "", " ".join(sig)))
            current = m.group(1) if m else ""
        names.append(current if depth > 0 or line.rstrip() == "{" else "")
        depth += line.count("{") - line.count("}")
        if depth <= 0:
            depth, current = 0, ("" if line.rstrip() == "}" else current)
    return names


def mutants_of(path: str, text: str, codes: list[str]) -> list[dict]:
    """Every mutant of one file, in source order, each with a stable id file:line:operator:k and
    the function it is in."""
    lines = text.split("\n")
    mlines = mask_source(text).split("\n")
    functions = function_names(mlines)
    errors = [c for c in codes if c != "OK"]
    found = []
    for i, (line, m) in enumerate(zip(lines, mlines)):
        if not m.strip() or SKIP_LINE_RE.search(line):
            continue
        no = i + 1
        per_op: dict[str, int] = {}

        def add(op, col, end, repl, what, _line=line, _no=no, _per=per_op):
            k = _per.get(op, 0)
            _per[op] = k + 1
            found.append(_mutant(path, _no, op, k, [_line], [_line[:col] + repl + _line[end:]], what,
                                 functions[_no - 1]))

        for t in OPERATOR_RE.finditer(m):
            tok = t.group(0)
            if tok in FLIP:
                add("flip_cmp", t.start(), t.end(), FLIP[tok], f"{tok} -> {FLIP[tok]}")
            if tok in OFF_BY_ONE:
                add("off_by_one", t.start(), t.end(), OFF_BY_ONE[tok], f"{tok} -> {OFF_BY_ONE[tok]}")
        for t in re.finditer(r"\bif\s*\(", m):
            close = _matching_paren(m, t.end() - 1)
            cond = m[t.end():close].strip() if close > 0 else ""
            if not cond or cond in ("0", "1"):
                continue
            body = next((mlines[j].strip() for j in range(i + 1, len(mlines)) if mlines[j].strip()), "")
            if m.rstrip().endswith("{") and body.startswith("panic"):
                continue
            add("drop_check", t.end(), close, "0", f"if ({cond[:40]}) -> if (0)")
        for t in re.finditer(r"\b(OK|ERROR_[A-Z0-9_]+)\b", m):
            name = t.group(1)
            if name not in codes or not errors:
                continue
            repl = errors[0] if name == "OK" else errors[(errors.index(name) + 1) % len(errors)]
            add("swap_error", t.start(), t.end(), repl, f"{name} -> {repl}")
        count = _statement_at(mlines, lines, i)
        if count:
            old = lines[i:i + count]
            indent = re.match(r"\s*", line).group(0)
            new = [indent + ";"] + [""] * (count - 1)
            found.append(_mutant(path, no, "delete_stmt", 0, old, new,
                                 "deleted: " + " ".join(s.strip() for s in old)[:60], functions[i]))
    return found


# --- the reviewed list of mutants no test can observe ------------------------------------------

REVIEWED_FILE = Path(__file__).resolve().with_name("mutation_equivalent.yaml")
REVIEWED_KEYS = ("file", "function", "old", "new", "why")


def _code(lines) -> str:
    """A mutant's lines as one line of code: each stripped, blank ones left out."""
    return " ".join(s.strip() for s in lines if s.strip())


def load_reviewed(path) -> list[dict]:
    """The reviewed list: each entry names a mutant by file, function and its exact code before
    and after (never by line number), with why no test can observe it."""
    import yaml
    doc = yaml.safe_load(Path(path).read_text()) or {}
    entries = doc.get("mutants") if isinstance(doc, dict) else None
    if not isinstance(entries, list):
        raise SystemExit(f"mutation: {path}: expected a mapping with a list 'mutants'")
    for k, e in enumerate(entries):
        bad = [key for key in REVIEWED_KEYS
               if not isinstance(e, dict) or not isinstance(e.get(key), str) or not e[key].strip()]
        extra = sorted(set(e) - set(REVIEWED_KEYS)) if isinstance(e, dict) else []
        if bad or extra:
            raise SystemExit(f"mutation: {path}: entry {k + 1}: "
                             + (f"needs {', '.join(bad)} (non-empty strings)" if bad else
                                f"unknown key(s) {', '.join(extra)}"))
        if "\n" in e["why"].strip():
            raise SystemExit(f"mutation: {path}: entry {k + 1}: 'why' is one line")
    return entries


def reviewed_matches(entries: list[dict], every: list[dict], files: list[str]) -> dict:
    """{mutant id: its entry} over every candidate mutant. An entry of a mutated file that matches
    none is stale (the code changed under it): SystemExit naming it, so the list is reviewed again
    instead of silently excusing something else."""
    found, stale = {}, []
    for e in entries:
        hits = [m for m in every if m["file"] == e["file"] and m.get("function") == e["function"]
                and _code(m["old"]) == _code([e["old"]]) and _code(m["new"]) == _code([e["new"]])]
        if not hits and e["file"] in files:
            stale.append(f"{e['file']} {e['function']}: {e['old'].strip()} -> {e['new'].strip()}")
        for m in hits:
            found[m["id"]] = e
    if stale:
        raise SystemExit("mutation: stale entries in the reviewed list (no generated mutant matches "
                         "them any more; review them again):\n  " + "\n  ".join(stale))
    return found


def apply_mutant(text: str, mut: dict) -> str:
    """text with the mutant applied at its line (or, in a text that moved, at the nearest place
    holding the same lines). ValueError when its lines are gone."""
    lines = text.split("\n")
    n, want = len(mut["old"]), mut["line"] - 1
    starts = [i for i in range(len(lines) - n + 1) if lines[i:i + n] == mut["old"]]
    if not starts:
        raise ValueError(f"{mut['id']}: its lines are no longer in {mut['file']}")
    at = min(starts, key=lambda i: abs(i - want))
    return "\n".join(lines[:at] + mut["new"] + lines[at + n:])


def diff_of(mut: dict, text: str) -> str:
    new = apply_mutant(text, mut)
    return "".join(difflib.unified_diff(text.splitlines(True), new.splitlines(True),
                                        f"a/{mut['file']}", f"b/{mut['file']}", n=2))


def select(all_mutants: list[dict], seed: int) -> list[dict]:
    """All mutants in the seed's order: a run takes them from the front (stillborn ones are
    replaced by the next), so the same seed and commit give the same mutants."""
    order = sorted(all_mutants, key=lambda m: m["id"])
    random.Random(seed).shuffle(order)
    return order


# Verdicts a continued campaign keeps as they were judged (at an earlier commit, with the tests of
# that commit: tests are only ever added, so a kill stays a kill); the others are judged again.
KEPT = ("killed", "timeout", "equivalent", "compiled_out", "stillborn")


def files_at(commit: str, globs: str) -> list[str]:
    """The files of commit matching the comma-separated globs ('*' stays within one folder)."""
    names = subprocess.run(["git", "-C", str(REPO), "ls-tree", "-r", "--name-only", commit],
                           capture_output=True, text=True, check=True).stdout.split()
    pats = [g for g in globs.split(",") if g]
    return sorted(n for n in names for g in pats
                  if len(n.split("/")) == len(g.split("/")) and fnmatch.fnmatchcase(n, g))


def campaign_order(commit: str, seed: int, globs: str) -> list[dict]:
    """The seed's order of the candidate mutants of commit: a campaign's mutants by the ids it
    gave them, whatever the commit they are judged at now."""
    def show(path):
        return subprocess.run(["git", "-C", str(REPO), "show", f"{commit}:{path}"],
                              capture_output=True, text=True, check=True).stdout
    codes = error_codes(show("hyp/include/error.h"))
    return select([m for f in files_at(commit, globs) for m in mutants_of(f, show(f), codes)], seed)


def campaign_plan(order: list[dict], prior: list[dict]) -> list[tuple[dict, dict | None]]:
    """(mutant, its kept record or None: to be judged now) for every mutant of the campaign's
    order: a record of the earlier run with a KEPT verdict is kept; survivors, reviewed ones, gone
    ones and mutants the earlier run never reached are judged again."""
    seen = {m["id"]: m for m in prior}
    return [(m, seen[m["id"]] if m["id"] in seen and seen[m["id"]]["status"] in KEPT else None)
            for m in order]


def counted(results: list[dict]) -> int:
    """How many of results are judged (stillborn and gone ones are replaced by the next)."""
    return sum(r["status"] not in ("stillborn", "gone") for r in results)


# --- processes ------------------------------------------------------------------------------------

_LIVE: set = set()


def _kill(proc) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass
    _LIVE.discard(proc)


def run_cmd(cmd, cwd=None, timeout=600.0, env=None) -> tuple[int | None, str]:
    """(exit status or None on time-out, output); its own process group, killed on any exit."""
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    _LIVE.add(proc)
    try:
        out, _ = proc.communicate(timeout=timeout)
        return proc.returncode, out.decode(errors="replace")
    except subprocess.TimeoutExpired:
        return None, ""
    finally:
        _kill(proc)


def _on_signal(signum, frame):
    raise Stop(f"signal {signum}")


# --- the private tree and its builds --------------------------------------------------------------

class Tree:
    """One commit unpacked under work/tree, built there; host objects under work/host."""

    def __init__(self, work: Path, commit: str, qemu: str, log):
        self.work, self.commit, self.qemu, self.log = work, commit, qemu, log
        self.root = work / "tree"
        self.host = work / "host"
        self.pristine = work / "pristine"

    def make(self, *args, timeout=900.0):
        return run_cmd(["make", "--no-print-directory", "-C", str(self.root), "BUILD=build", *args],
                       timeout=timeout)

    def unpack(self) -> None:
        stamp = self.root / ".mutation-commit"
        if stamp.is_file() and stamp.read_text().strip() == self.commit:
            return
        if self.root.exists():
            shutil.rmtree(self.root)
        self.root.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(REPO), "archive", self.commit],
                                 stdout=subprocess.PIPE, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(self.root)], input=archive, check=True)
        stamp.write_text(self.commit + "\n")

    def variables(self) -> dict:
        names = ["HYP_C_SRCS", "HYP_HOST_CORE_SRCS", "HYP_HOST_TEST_SRCS", "HYP_HOST_CFLAGS",
                 "HYP_HOST_TEST_INCLUDES", "HYP_HOST_RENAMED_SRCS", "HYP_HOST_RENAME_FLAGS", "HOST_CC", "HYP_CFLAGS", "CROSS", "SPEC_GUEST_HEADER",
                 "SPEC_FUZZ_HEADER", "HYP_ELF", "GUEST_BIN"]
        recipe = "; ".join(f"echo '{n}=$({n})'" for n in names)
        status, out = self.make("-s", f"--eval=mutation-vars: ; @{recipe}", "mutation-vars")
        if status != 0:
            raise SystemExit(f"mutation: cannot read the build's variables:\n{out}")
        found = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
        return {n: found.get(n, "").strip() for n in names}

    def build(self) -> None:
        v = self.vars = self.variables()
        self.hyp_srcs = set(v["HYP_C_SRCS"].split())
        self.host_core = v["HYP_HOST_CORE_SRCS"].split()
        # Files defining names the host program has already (libc's memcpy...) are compiled alone
        # under other names (hyp/host.mk's HYP_HOST_RENAME_FLAGS) and linked with the rest.
        self.host_renamed = v["HYP_HOST_RENAMED_SRCS"].split()
        self.host_srcs = self.host_core + v["HYP_HOST_TEST_SRCS"].split() + self.host_renamed
        status, out = self.make(v["HYP_ELF"], v["GUEST_BIN"], v["SPEC_GUEST_HEADER"],
                                v["SPEC_FUZZ_HEADER"])
        if status != 0:
            raise SystemExit(f"mutation: the unmutated tree does not build:\n{out[-3000:]}")
        self.hyp_elf = self.root / v["HYP_ELF"]
        self.guest = self.root / v["GUEST_BIN"]
        self.pristine.mkdir(parents=True, exist_ok=True)
        for variant in ("ids", "plain"):
            for src in self.host_srcs:
                obj = self.host_obj(variant, src)
                if obj.is_file() and obj.stat().st_mtime >= (self.root / src).stat().st_mtime:
                    continue
                if variant == "plain" and not self.differs_plain(src):
                    continue
                status, out = self.host_compile(variant, src, obj)
                if status != 0:
                    raise SystemExit(f"mutation: host build of {src} failed:\n{out[-3000:]}")
            status, out = self.host_link(variant, self.host_bin(variant), {})
            if status != 0:
                raise SystemExit(f"mutation: host link failed:\n{out[-3000:]}")

    def hyp_obj(self, src: str) -> Path:
        return self.root / "build" / "hyp" / "obj" / (src + ".o")

    def host_obj(self, variant: str, src: str) -> Path:
        if variant == "plain" and not self.differs_plain(src):
            variant = "ids"
        return self.host / variant / (src + ".o")

    def host_bin(self, variant: str, mutant=False) -> Path:
        return self.host / variant / ("hyp-unit-mutant" if mutant else "hyp-unit")

    def differs_plain(self, src: str) -> bool:
        return PLAIN_IDS_FLAG[2:] in (self.root / src).read_text(errors="replace")

    def host_compile(self, variant, src, obj, text_path=None):
        obj.parent.mkdir(parents=True, exist_ok=True)
        v = self.vars
        cmd = [v["HOST_CC"], *v["HYP_HOST_CFLAGS"].split(), *v["HYP_HOST_TEST_INCLUDES"].split()]
        if variant == "plain":
            cmd.append(PLAIN_IDS_FLAG)
        if src in self.host_renamed:
            cmd += self.vars["HYP_HOST_RENAME_FLAGS"].split()
        cmd += ["-c", "-o", str(obj), text_path or src]
        return run_cmd(cmd, cwd=self.root, timeout=300)

    def host_link(self, variant, out, replace):
        v = self.vars
        objs = [str(replace.get(s, self.host_obj(variant, s))) for s in self.host_srcs]
        cmd = [v["HOST_CC"], *v["HYP_HOST_CFLAGS"].split(), "-o", str(out), *objs]
        return run_cmd(cmd, cwd=self.root, timeout=300)

    def stripped(self, obj: Path, cross: bool) -> bytes:
        tmp = obj.with_name(obj.name + ".nodebug")
        tool = self.vars["CROSS"] + "objcopy" if cross else "objcopy"
        # With -flto -ffat-lto-objects the object also carries the IR, whose source locations
        # change with any edit: only the machine code is compared.
        status, out = run_cmd([tool, "--strip-debug", "--remove-section=.gnu.lto_*",
                               "--remove-section=.gnu.debuglto_*", str(obj), str(tmp)], timeout=60)
        if status != 0:
            raise RuntimeError(f"objcopy {obj}: {out}")
        data = tmp.read_bytes()
        tmp.unlink()
        return data

    def preprocessed(self, src_path: str) -> str:
        flags = [f for f in self.vars["HYP_CFLAGS"].split() if f not in ("-MMD", "-MP")]
        status, out = run_cmd([self.vars["CROSS"] + "gcc", *flags, "-E", "-P", src_path],
                              cwd=self.root, timeout=120)
        return re.sub(r"\s+", " ", out) if status == 0 else f"<error {status}>"


# --- the killers ----------------------------------------------------------------------------------

class Suite:
    """One QEMU boot of the whole guest suite, judged against the unmutated build's verdicts."""

    def __init__(self, tree: Tree, dtb: str, wall: float, idle: float):
        self.tree, self.dtb, self.wall, self.idle = tree, dtb, wall, idle
        self.baseline: dict[str, str] = {}
        self.profile = None

    def boot(self, hyp: Path, stop_early=True) -> dict:
        """{'outcome': complete|deviation|crash|hang|timeout, 'detail', 'verdicts', 'seconds',
        'max_gap'}."""
        cmd = hq.qemu_command(self.tree.qemu, str(hyp), str(self.tree.guest), self.dtb)
        guard = ["timeout", "--signal=KILL", str(int(self.wall) + 30)] if shutil.which("timeout") else []
        started = last = time.monotonic()
        verdicts, profile, max_gap, buf = {}, None, 0.0, b""
        result = {"outcome": "crash", "detail": "QEMU exited without END"}
        proc = subprocess.Popen(guard + cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, start_new_session=True)
        _LIVE.add(proc)
        sel = selectors.DefaultSelector()
        try:
            sel.register(proc.stdout, selectors.EVENT_READ)
            done = False
            while not done:
                now = time.monotonic()
                if now - started > self.wall:
                    result = {"outcome": "timeout", "detail": f"no END within {self.wall:g} s"}
                    break
                if now - last > self.idle:
                    result = {"outcome": "hang", "detail": f"no protocol line for {self.idle:g} s"
                              f" after {len(verdicts)} result(s)"}
                    break
                if not sel.select(timeout=0.5):
                    continue
                chunk = os.read(proc.stdout.fileno(), 65536)
                if not chunk:
                    break
                buf += chunk
                *complete, buf = buf.split(b"\n")
                for raw in complete:
                    line = raw.decode(errors="replace").rstrip("\r")
                    start = line.find(protocol.PREFIX)
                    if start < 0:
                        continue
                    line = line[start:]
                    now = time.monotonic()
                    max_gap, last = max(max_gap, now - last), now
                    dev = self._judge(line, verdicts)
                    if isinstance(dev, str) and stop_early:
                        result = {"outcome": "deviation", "detail": dev}
                        done = True
                        break
                    m = re.match(protocol.PROFILE_PATTERN, line)
                    if m:
                        profile = m.group("profile")
                    if re.match(protocol.END_PATTERN, line):
                        result = self._at_end(verdicts, profile)
                        done = True
                        break
        finally:
            sel.close()
            _kill(proc)
            proc.stdout.close()
        result.update(verdicts=verdicts, profile=profile, seconds=time.monotonic() - started,
                      max_gap=max_gap)
        return result

    def _judge(self, line, verdicts):
        """A deviation from the unmutated build's run (a string), or None."""
        if re.match(protocol.SETUP_ERROR_PATTERN, line):
            return "guest " + line[len(protocol.PREFIX):]
        m = re.match(protocol.PROFILE_PATTERN, line)
        if m and self.profile and m.group("profile") != self.profile:
            return f"profile {m.group('profile')}, not {self.profile}"
        m = re.match(protocol.RESULT_PATTERN, line)
        if m:
            test, verdict = m.group("test_case_id"), m.group("result")
            verdicts[test] = verdict
            want = self.baseline.get(test) if self.baseline else verdict
            if verdict != want:
                reason = f": {m.group('reason')}" if m.group("reason") else ""
                return f"{test} {verdict} (unmutated: {want or 'not run'}){reason}"[:300]
        return None

    def _at_end(self, verdicts, profile):
        missing = [t for t in self.baseline if t not in verdicts]
        if missing:
            return {"outcome": "deviation", "detail": f"{len(missing)} test(s) did not run, first "
                    f"{missing[0]}"}
        return {"outcome": "complete", "detail": ""}


def run_host_tests(tree: Tree, bins, timeout):
    """A kill reason from the host unit tests, or None when they all pass."""
    # No leak check, no symbolizer: LSan's stop-the-world at exit can hang in a container, and
    # a crash is a kill whatever its stack says.
    for variant, path in bins:
        status, out = run_cmd([str(path)], cwd=tree.root, timeout=timeout,
                              env=dict(os.environ, ASAN_OPTIONS="detect_leaks=0:symbolize=0"))
        if status is None:
            return f"host unit tests ({variant}) hang: no exit within {timeout:g} s"
        if status != 0:
            fails = [ln for ln in out.splitlines() if ln.startswith("FAIL ")]
            san = [ln for ln in out.splitlines() if "runtime error" in ln or "ERROR: Address" in ln]
            what = fails[0] if fails else (san[0].strip() if san else f"exit status {status}")
            return f"host unit tests ({variant}): {what}"[:300]
    return None


# --- one run --------------------------------------------------------------------------------------

class Run:
    def __init__(self, args):
        self.args = args
        self.work = Path(args.work).resolve()
        self.out = Path(args.out).resolve()
        self.results: list[dict] = []
        self.doc: dict = {}

    def log(self, msg: str) -> None:
        print(msg, flush=True)

    def prepare(self):
        if self.args.campaign:
            # The campaign's seed and files, whatever the command line says.
            doc = json.loads(Path(self.args.campaign).read_text())
            origin = doc.get("campaign") or doc
            self.args.seed, self.args.files = origin["seed"], origin["files"]
        commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--verify",
                                 self.args.commit + "^{commit}"], capture_output=True, text=True)
        if commit.returncode != 0:
            raise SystemExit(f"mutation: no commit {self.args.commit}")
        self.commit = commit.stdout.strip()
        self.tree = tree = Tree(self.work / self.commit[:12], self.commit, self.args.qemu, self.log)
        t0 = time.monotonic()
        self.log(f"mutation: commit {self.commit[:12]}, tree {tree.root}")
        tree.unpack()
        tree.build()
        self.build_seconds = time.monotonic() - t0
        codes = error_codes((tree.root / "hyp/include/error.h").read_text())
        globs = [g for g in self.args.files.split(",") if g]
        files = sorted(str(p.relative_to(tree.root)) for g in globs for p in tree.root.glob(g)
                       if p.is_file())
        self.files = sorted(set(files))
        every = []
        for f in self.files:
            every += mutants_of(f, (tree.root / f).read_text(), codes)
        self.every = every
        self.reviewed, self.reviewed_doc = {}, None
        if self.args.reviewed:
            path = Path(self.args.reviewed)
            entries = load_reviewed(path)
            self.reviewed = reviewed_matches(entries, every, self.files)
            self.reviewed_doc = {"file": str(path.resolve().relative_to(REPO))
                                 if path.resolve().is_relative_to(REPO) else str(path),
                                 "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                                 "entries": len(entries), "matching": len(self.reviewed)}
        self.same: dict = {}
        for m in every:
            self.same.setdefault((m["file"], _code(m["old"]), _code(m["new"])), []).append(m)
        self.plan, self.campaign = None, None
        if self.args.campaign:
            self.prepare_campaign()
        elif self.args.ids:
            wanted = self.args.ids.split(",")
            known = {m["id"]: m for m in every}
            if self.args.from_json:
                for m in json.loads(Path(self.args.from_json).read_text())["mutants"]:
                    known[m["id"]] = self.here(m)
            missing = [i for i in wanted if i not in known]
            if missing:
                raise SystemExit(f"mutation: unknown mutant id(s): {', '.join(missing)}")
            self.order = [known[i] for i in wanted]
        else:
            self.order = select(every, self.args.seed)

    def here(self, m: dict) -> dict:
        """A mutant of another commit as this commit has it. Its own lines win (at another commit
        the same id may name other lines); where this commit has the same change (same file and
        code), that one's line, function and id (for the reviewed list) are taken."""
        rec = {k: m[k] for k in ("id", "file", "line", "operator", "old", "new", "what")}
        rec["function"] = m.get("function", "")
        found = self.same.get((m["file"], _code(m["old"]), _code(m["new"])))
        if found:
            near = min(found, key=lambda c: abs(c["line"] - m["line"]))
            rec.update(line=near["line"], function=near["function"], current_id=near["id"])
        return rec

    def prepare_campaign(self):
        """--campaign: an earlier run's JSON (a plain run, or a continued campaign) is continued at
        this commit. The mutants are the original campaign's (its commit, seed and files give the
        order and the ids); kept verdicts stay, the rest are judged here, until --mutants are."""
        doc = json.loads(Path(self.args.campaign).read_text())
        origin = doc.get("campaign") or {"commit": doc["commit"], "seed": doc["seed"],
                                         "files": doc["files"]}
        if doc.get("ids"):
            raise SystemExit(f"mutation: {self.args.campaign} is a run of chosen ids, no campaign")
        self.campaign = {"commit": origin["commit"], "seed": origin["seed"],
                         "files": origin["files"], "from": self.args.campaign,
                         "from_commit": doc["commit"]}
        self.prior = [dict(m, judged_at=m.get("judged_at", doc["commit"])) for m in doc["mutants"]]
        order = campaign_order(origin["commit"], origin["seed"], origin["files"])
        self.plan = campaign_plan(order, self.prior)
        self.order = [m for m, _ in self.plan]
        self.log(f"mutation: continuing the campaign of {origin['commit'][:12]} seed "
                 f"{origin['seed']} from {self.args.campaign} ({doc['commit'][:12]}): "
                 f"{sum(k is not None for _, k in self.plan)} verdict(s) kept")

    def baseline(self):
        tree = self.tree
        self.dtb = str(self.work / "vm.dtb")
        hq.make_vm_dtb(self.dtb, "", tree.qemu)
        t0 = time.monotonic()
        bins = [("ids", tree.host_bin("ids")), ("plain", tree.host_bin("plain"))]
        reason = run_host_tests(tree, bins, 300)
        if reason:
            raise SystemExit(f"mutation: the unmutated build fails: {reason}")
        self.host_seconds = time.monotonic() - t0
        self.suite = Suite(tree, self.dtb, wall=300, idle=60)
        first = self.suite.boot(tree.hyp_elf, stop_early=False)
        if first["outcome"] != "complete":
            raise SystemExit(f"mutation: the unmutated build's suite run did not complete: "
                             f"{first['outcome']} {first['detail']}")
        self.suite.baseline = first["verdicts"]
        self.suite.profile = first["profile"]
        # A loaded machine slows the guest: generous limits, still far below a hang's cost.
        self.suite.wall = max(120.0, 4 * first["seconds"])
        self.suite.idle = max(self.args.idle, 5 * first["max_gap"])
        self.host_timeout = max(60.0, 10 * self.host_seconds)
        counts = {}
        for v in first["verdicts"].values():
            counts[v] = counts.get(v, 0) + 1
        self.baseline_doc = {
            "tests": len(first["verdicts"]), "verdicts": counts, "profile": first["profile"],
            "suite_seconds": round(first["seconds"], 1), "host_seconds": round(self.host_seconds, 1),
            "suite_wall_limit": self.suite.wall, "suite_idle_limit": self.suite.idle,
            "host_timeout": self.host_timeout, "build_seconds": round(self.build_seconds, 1)}
        self.log(f"mutation: unmutated: {len(first['verdicts'])} guest tests {counts} in "
                 f"{first['seconds']:.1f} s, host unit tests {self.host_seconds:.1f} s")

    def one(self, mut: dict) -> dict:
        t0 = time.monotonic()
        rec = self._one(mut)
        rec["seconds"] = round(time.monotonic() - t0, 1)
        return rec

    def _one(self, mut: dict) -> dict:
        tree = self.tree
        src = tree.root / mut["file"]
        original = src.read_text()
        try:
            mutated = apply_mutant(original, mut)
        except ValueError as e:  # a re-run at another commit: the lines were changed since
            return dict(mut, diff="", status="gone", killer=None, detail=str(e))
        rec = dict(mut, diff=diff_of(mut, original), status=None, killer=None, detail="")
        entry = self.reviewed.get(mut.get("current_id", mut["id"]))
        if entry and _code(entry["old"].split("\n")) == _code(mut["old"]) and \
                _code(entry["new"].split("\n")) == _code(mut["new"]):
            # Reviewed by hand: no test can observe it (the list says why); not built, not run.
            return dict(rec, status="equivalent_reviewed", detail=entry["why"].strip())
        in_hyp = mut["file"] in tree.hyp_srcs
        in_host = mut["file"] in tree.host_srcs
        hyp_obj = tree.hyp_obj(mut["file"])
        saved = tree.pristine / (mut["file"] + ".o")
        try:
            src.write_text(mutated)
            same_hyp = same_host = True
            if in_hyp:
                if not saved.is_file():
                    saved.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(hyp_obj, saved)
                # Never trust mtimes here: a mutant written within the clock's tick of the last
                # restore would leave the original object in place (a false 'equivalent').
                hyp_obj.unlink()
                status, out = tree.make(tree.vars["HYP_ELF"], timeout=600)
                if status != 0:
                    return dict(rec, status="stillborn", detail=_first_error(out))
                same_hyp = tree.stripped(hyp_obj, True) == tree.stripped(saved, True)
            host_bins = []
            if in_host:
                for variant in ("ids", "plain"):
                    if variant == "plain" and not tree.differs_plain(mut["file"]):
                        mobj = tree.host / "ids" / "mutant.o"
                    else:
                        mobj = tree.host / variant / "mutant.o"
                        status, out = tree.host_compile(variant, mut["file"], mobj)
                        if status != 0:
                            return dict(rec, status="stillborn", detail=_first_error(out))
                    if tree.stripped(mobj, False) != tree.stripped(tree.host_obj(variant, mut["file"]), False):
                        same_host = False
                    status, out = tree.host_link(variant, tree.host_bin(variant, True),
                                                 {mut["file"]: mobj})
                    if status != 0:
                        return dict(rec, status="stillborn", detail=_first_error(out))
                    host_bins.append((variant, tree.host_bin(variant, True)))
            if same_hyp and same_host:
                pre_new = tree.preprocessed(mut["file"])
                src.write_text(original)
                pre_old = tree.preprocessed(mut["file"])
                kind = "compiled_out" if pre_new == pre_old else "equivalent"
                why = ("the mutated line is not compiled (preprocessed source unchanged)"
                       if kind == "compiled_out" else "objects identical to the original's")
                return dict(rec, status=kind, detail=why)
            if in_host and not same_host:
                reason = run_host_tests(tree, host_bins, self.host_timeout)
                if reason:
                    status = "timeout" if " hang" in reason else "killed"
                    return dict(rec, status=status, killer="host", detail=reason)
            if in_hyp and not same_hyp:
                res = self.suite.boot(tree.hyp_elf)
                if res["outcome"] in ("hang", "timeout"):
                    # Confirm a hang with doubled limits: a loaded machine must not fake a kill.
                    wall, idle = self.suite.wall, self.suite.idle
                    self.suite.wall, self.suite.idle = 2 * wall, 2 * idle
                    try:
                        res = self.suite.boot(tree.hyp_elf)
                    finally:
                        self.suite.wall, self.suite.idle = wall, idle
                if res["outcome"] in ("hang", "timeout"):
                    return dict(rec, status="timeout", killer="suite", detail=res["detail"])
                if res["outcome"] != "complete":
                    # A flaky test (or crash) must not count as a kill: the mutant's second boot
                    # has to go wrong too.
                    again = self.suite.boot(tree.hyp_elf)
                    if again["outcome"] == "complete":
                        return dict(rec, status="survived", detail=f"passes the suite on a second"
                                    f" boot (the first: {res['outcome']}: {res['detail']})"[:300])
                    return dict(rec, status="killed", killer="suite",
                                detail=f"{res['outcome']}: {res['detail']}; again: "
                                       f"{again['outcome']}: {again['detail']}"[:400])
            where = "host unit tests and suite" if in_host and in_hyp else \
                ("suite" if in_hyp else "host unit tests")
            if not in_hyp:
                where += " (the file is not linked into hyp.elf)"
            return dict(rec, status="survived", detail=f"passes the {where}")
        finally:
            src.write_text(original)
            if in_hyp and saved.is_file():
                # The original object again, as new as the restored source: nothing recompiles, and
                # hyp.elf (linked from the mutant) is older than it, so it is relinked.
                shutil.copy2(saved, hyp_obj)
                stamp = src.stat().st_mtime_ns
                os.utime(hyp_obj, ns=(stamp, stamp))

    def summary(self) -> dict:
        count = {s: 0 for s in ("killed", "timeout", "survived", "equivalent", "compiled_out",
                                "equivalent_reviewed", "stillborn", "gone")}
        by_op: dict = {}
        for r in self.results:
            count[r["status"]] += 1
            o = by_op.setdefault(r["operator"], {"killed": 0, "survived": 0, "excluded": 0})
            key = {"killed": "killed", "timeout": "killed", "survived": "survived"}.get(r["status"],
                                                                                       "excluded")
            o[key] += 1
        killed = count["killed"] + count["timeout"]
        judged = killed + count["survived"]
        mutants = judged + count["equivalent"] + count["compiled_out"] + count["equivalent_reviewed"]
        return {"mutants": mutants, "killed": killed, "killed_by_timeout": count["timeout"],
                "survived": count["survived"], "equivalent": count["equivalent"],
                "compiled_out": count["compiled_out"],
                "equivalent_reviewed": count["equivalent_reviewed"], "stillborn": count["stillborn"],
                "gone": count["gone"],
                "kill_rate": round(killed / judged, 4) if judged else None,
                "by_operator": by_op}

    def write(self, state: str):
        self.doc = {
            "schema": SCHEMA, "state": state, "commit": self.commit, "seed": self.args.seed,
            "requested": self.args.mutants, "files": self.args.files, "ids": self.args.ids or None,
            "started": self.started_iso, "wall_seconds": round(time.monotonic() - self.t0, 1),
            "candidates": len(self.every), "operators": OPERATORS, "reviewed": self.reviewed_doc,
            "campaign": self.campaign,
            "baseline": getattr(self, "baseline_doc", None), "summary": self.summary(),
            "mutants": self.results}
        self.out.mkdir(parents=True, exist_ok=True)
        base = self.args.name
        for name, text in ((base + ".json", json.dumps(self.doc, indent=1) + "\n"),
                           (base + ".txt", text_report(self.doc))):
            tmp = self.out / (name + ".tmp")
            tmp.write_text(text)
            os.replace(tmp, self.out / name)

    def main(self) -> int:
        self.t0 = time.monotonic()
        self.started_iso = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.prepare()
        if self.args.list:
            for m in self.order[:self.args.mutants]:
                mark = "  [equivalent (reviewed)]" if m["id"] in self.reviewed else ""
                print(f"{m['id']}  {m['what']}{mark}")
            print(f"{len(self.every)} candidate mutant(s) in {len(self.files)} file(s)")
            return 0
        self.baseline()
        want = len(self.order) if self.args.ids else self.args.mutants
        self.judge(want)
        s = self.doc["summary"]
        rate = "n/a" if s["kill_rate"] is None else f"{100 * s['kill_rate']:.1f}%"
        self.log(f"mutation: {s['mutants']} mutants: {s['killed']} killed ({s['killed_by_timeout']} "
                 f"by time-out), {s['survived']} survived, {s['equivalent']} equivalent, "
                 f"{s['compiled_out']} compiled out, {s['equivalent_reviewed']} equivalent "
                 f"(reviewed) ({s['stillborn']} stillborn not counted); "
                 f"kill rate {rate}; {self.doc['wall_seconds']:.0f} s; "
                 f"{self.out / (self.args.name + '.txt')}")
        return 0

    def judge(self, want: int) -> None:
        """Judges the order's mutants (a campaign's plan: keeps its kept verdicts) until want are
        judged; the results are written after each one and at the end, interrupted or not."""
        plan = self.plan or [(m, None) for m in self.order]
        state = "interrupted"
        try:
            for mut, kept in plan:
                if counted(self.results) >= want:
                    break
                if kept is not None:
                    self.results.append(kept)
                    continue
                if self.campaign:
                    mut = self.here(mut)
                rec = self.one(mut)
                rec["judged_at"] = self.commit
                self.results.append(rec)
                n = "-" if rec["status"] in ("stillborn", "gone") else counted(self.results)
                self.log(f"[{n}/{want}] {rec['status']:<12} {rec['seconds']:6.1f}s {rec['id']}  "
                         f"{rec['what']}{'  <- ' + rec['detail'] if rec['detail'] and rec['status'] != 'killed' else ''}")
                self.write("running")
            state = "done"
        finally:
            if state != "done" and self.plan:
                # Interrupted: the earlier run's records not reached yet stay as they were, so the
                # file is still the whole campaign and can be continued again (resumable).
                prior = {m["id"]: m for m in self.prior}
                done = {r["id"] for r in self.results}
                for mut, _ in plan:
                    if counted(self.results) >= want:
                        break
                    if mut["id"] in prior and mut["id"] not in done:
                        self.results.append(prior[mut["id"]])
            self.write(state)


def _first_error(out: str) -> str:
    for line in out.splitlines():
        if "error" in line:
            return line.strip()[:200]
    return out.strip().splitlines()[-1][:200] if out.strip() else "build failed"


def text_report(doc: dict) -> str:
    s = doc["summary"]
    rate = "n/a" if s["kill_rate"] is None else f"{100 * s['kill_rate']:.1f}%"
    out = [f"humpy mutation run ({doc['state']}): commit {doc['commit']}, seed {doc['seed']}, "
           f"files {doc['files']}",
           f"{s['mutants']} mutants: {s['killed']} killed ({s['killed_by_timeout']} by time-out), "
           f"{s['survived']} survived, {s['equivalent']} equivalent, {s['compiled_out']} compiled "
           f"out, {s.get('equivalent_reviewed', 0)} equivalent (reviewed); {s['stillborn']} "
           f"stillborn (did not compile, not counted)"
           + (f"; {s['gone']} gone (lines changed at this commit)" if s.get("gone") else ""),
           f"kill rate {rate} (killed / (killed + survived)); wall time {doc['wall_seconds']:.0f} s",
           ""]
    c = doc.get("campaign")
    if c:
        at = {}
        for m in doc["mutants"]:
            if m["status"] not in ("stillborn", "gone"):
                at[m.get("judged_at", doc["commit"])[:12]] = at.get(m.get("judged_at", doc["commit"])[:12], 0) + 1
        out[-1:-1] = [f"campaign of commit {c['commit'][:12]} (its seed's order and ids), continued "
                      f"at {doc['commit'][:12]} from {c['from']}: judged at "
                      + ", ".join(f"{k} {n}" for k, n in at.items())]
    if doc.get("reviewed"):
        r = doc["reviewed"]
        out[-1:-1] = [f"reviewed list {r['file']} (sha256 {r['sha256'][:12]}): {r['entries']} "
                      f"entries, {r['matching']} candidate mutant(s) match"]
    if doc.get("baseline"):
        b = doc["baseline"]
        out.append(f"unmutated build: {b['tests']} guest tests in {b['suite_seconds']} s "
                   f"(limits: {b['suite_wall_limit']:g} s a boot, {b['suite_idle_limit']:g} s "
                   f"without output), host unit tests {b['host_seconds']} s")
    out.append("operator       killed survived excluded")
    for op, c in sorted(s["by_operator"].items()):
        out.append(f"{op:<14} {c['killed']:>6} {c['survived']:>8} {c['excluded']:>8}")
    survivors = [m for m in doc["mutants"] if m["status"] == "survived"]
    out += ["", f"survivors ({len(survivors)}):"]
    for m in survivors:
        out += ["", f"{m['id']}: {m['what']} ({m['detail']})", m["diff"].rstrip("\n")]
    reviewed = [m for m in doc["mutants"] if m["status"] == "equivalent_reviewed"]
    if reviewed:
        out += ["", f"equivalent (reviewed: left out of the rate for the reason shown) "
                    f"({len(reviewed)}):"]
        for m in reviewed:
            out += [f"  {m['id']} in {m.get('function') or '?'}: {m['what']}",
                    f"    why: {m['detail']}"]
    other = [m for m in doc["mutants"] if m["status"] in ("equivalent", "compiled_out")]
    if other:
        out += ["", f"equivalent or compiled out ({len(other)}):"]
        out += [f"  {m['status']:<12} {m['id']}: {m['what']}" for m in other]
    return "\n".join(out) + "\n"


def merge(base_path: str, update_path: str, append: bool = False) -> int:
    """Replaces base's mutants by update's of the same id (a re-run of some of them at the same
    commit, e.g. by a fixed tool), recomputes the summary and rewrites base's .json and .txt.
    With append, update's other mutants are added at the end (the seed's order continued, e.g.
    to replace mutants a re-run found stillborn)."""
    base = json.loads(Path(base_path).read_text())
    update = json.loads(Path(update_path).read_text())
    if base.get("commit") != update.get("commit"):
        raise SystemExit(f"mutation merge: {update_path} is of commit {update.get('commit')}, "
                         f"not {base.get('commit')}")
    new = {m["id"]: m for m in update["mutants"]}
    run = Run.__new__(Run)
    run.results = [new.pop(m["id"], m) for m in base["mutants"]]
    if new and not append:
        raise SystemExit(f"mutation merge: not in {base_path}: {', '.join(sorted(new))}")
    run.results += list(new.values())
    base["mutants"] = run.results
    base["summary"] = run.summary()
    base["merged"] = (base.get("merged") or []) + [{"from": update_path,
                                                    "ids": [m["id"] for m in update["mutants"]]}]
    Path(base_path).write_text(json.dumps(base, indent=1) + "\n")
    Path(base_path).with_suffix(".txt").write_text(text_report(base))
    print(text_report(base).split("\n\n")[0])
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m humpy_harness.mutation",
                                     description="mutation testing of hyp/core and hyp/arch")
    sub = parser.add_subparsers(dest="cmd", required=True)
    run = sub.add_parser("run", help="generate, build and test mutants")
    run.add_argument("--mutants", type=int, default=150, help="mutants to judge (default 150)")
    run.add_argument("--seed", type=int, default=DEFAULT_SEED, help="selection seed")
    run.add_argument("--files", default=DEFAULT_FILES, help="comma-separated globs of C files")
    run.add_argument("--commit", default="HEAD", help="the commit to mutate (default HEAD)")
    run.add_argument("--work", default="build/mutation-work", help="private tree and objects")
    run.add_argument("--out", default="reports", help="where mutation.json and .txt go")
    run.add_argument("--name", default="mutation",
                     help="base name of the result files (default mutation: the HTML report's)")
    run.add_argument("--qemu", default="qemu-system-aarch64")
    run.add_argument("--idle", type=float, default=15.0,
                     help="seconds without a protocol line that make a hang (at least)")
    run.add_argument("--ids", help="run exactly these mutant ids (comma-separated)")
    run.add_argument("--from-json", help="a mutation.json whose mutants --ids may name")
    run.add_argument("--campaign", help="continue the campaign of this mutation.json (its commit, "
                     "seed and files) at --commit: killed, equivalent and stillborn verdicts are "
                     "kept, survivors, reviewed and unjudged mutants are judged (resumable)")
    run.add_argument("--list", action="store_true", help="print the selected mutants, run nothing")
    run.add_argument("--reviewed", default=str(REVIEWED_FILE),
                     help="the reviewed list of mutants no test can observe ('' for none)")
    mrg = sub.add_parser("merge", help="put a re-run's mutants (same commit) into a results file")
    mrg.add_argument("base", help="mutation.json to update")
    mrg.add_argument("update", help="the re-run's JSON")
    mrg.add_argument("--append", action="store_true",
                     help="add update's mutants that base lacks at its end")
    args = parser.parse_args(argv)
    if args.cmd == "merge":
        return merge(args.base, args.update, args.append)
    if args.mutants < 1:
        parser.error("--mutants must be at least 1")
    if not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", args.name):
        parser.error("--name is a plain file name")
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, _on_signal)
    try:
        return Run(args).main()
    except Stop as e:
        print(f"mutation: stopped by {e}", file=sys.stderr)
        return 130
    finally:
        for proc in list(_LIVE):
            _kill(proc)


if __name__ == "__main__":
    sys.exit(main())

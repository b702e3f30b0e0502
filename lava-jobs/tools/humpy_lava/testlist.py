"""The guest's test list, the one the harness uses: from a list-mode boot through the harness, or
from a saved list (the guest's list output, or one id a line)."""

import re

from . import LavaError
from humpy_harness import protocol

_TEST = re.compile(protocol.TEST_PATTERN)
_ID = re.compile(protocol.TEST_ID)


def from_boot(hyp, guest, reports_dir, qemu="qemu-system-aarch64", tests=None):
    """Boots hyp + guest in list mode with the harness library; returns the ids in guest order."""
    from humpy_harness.errors import HarnessError
    from humpy_harness.session import Config, Session

    config = Config(hyp=hyp, guest=guest, qemu=qemu, reports=reports_dir, tests=tests,
                    name="lava-list")
    try:
        session = Session(config)
        session.check()
        report = session.new_report("list")
        listed = session.list_tests(report)
    except HarnessError as e:
        raise LavaError(f"list boot: {e}") from e
    if listed is None:
        why = "; ".join(f"{r.verdict} {r.reason}" for r in report.results) or "no list"
        raise LavaError(f"list boot of {hyp} + {guest} failed: {why}")
    if not listed:
        raise LavaError(f"the list boot of {guest} listed no test")
    return listed


def from_file(path):
    """Ids from `[humpy] TEST <id>` lines, or from lines holding just an id (# starts a comment)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError as e:
        raise LavaError(f"cannot read the test list {path}: {e.strerror}") from None
    ids = []
    for line in lines:
        m = _TEST.search(line.rstrip("\r"))
        if m:
            test_id = m["test_case_id"]
        else:
            text = line.split("#", 1)[0].strip()
            if not text or text.startswith(protocol.PREFIX.strip()):
                continue
            if not _ID.fullmatch(text):
                continue
            test_id = text
        if test_id not in ids:
            ids.append(test_id)
    if not ids:
        raise LavaError(f"no test ids in {path}")
    return ids

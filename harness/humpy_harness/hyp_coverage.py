"""Code coverage of hyp/ from the host unit tests, read from `llvm-cov export` (JSON).

harness/report.mk builds hyp/core's host unit tests with clang's source-based coverage
(-fprofile-instr-generate -fcoverage-mapping), runs them and exports the profile; this module keeps
the files under hyp/ (not the tests themselves) and, per file, lines, functions, branches and
regions covered, and the functions the tests never entered.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

KINDS = ("lines", "functions", "branches", "regions")


@dataclasses.dataclass
class FileCoverage:
    path: str
    counts: dict  # kind -> (covered, total)
    unentered: list[str]  # functions with a zero count

    def percent(self, kind: str) -> float | None:
        covered, total = self.counts.get(kind, (0, 0))
        return 100.0 * covered / total if total else None


def _relative(name: str, root: Path) -> str:
    p = Path(name)
    if p.is_absolute():
        try:
            return str(p.resolve().relative_to(root))
        except ValueError:
            return name
    return os.path.normpath(name)


def wanted(path: str) -> bool:
    """hyp's own code: hyp/ without its unit tests."""
    return path.startswith("hyp/") and not path.startswith("hyp/test/")


def read_export(path, root=None) -> tuple[list[FileCoverage], dict]:
    """Per-file coverage of hyp/ from an llvm-cov export JSON, and the totals over those files.

    Raises OSError or ValueError when the file cannot be read or is not an export.
    """
    root = Path(root or os.getcwd()).resolve()
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    if not str(doc.get("type", "")).startswith("llvm.coverage.json"):
        raise ValueError(f"{path}: not an llvm-cov export (type {doc.get('type')!r})")
    files: dict[str, FileCoverage] = {}
    for data in doc.get("data", []):
        for entry in data.get("files", []):
            rel = _relative(entry.get("filename", ""), root)
            if not wanted(rel):
                continue
            summary = entry.get("summary", {})
            counts = {k: (int(summary.get(k, {}).get("covered", 0)),
                          int(summary.get(k, {}).get("count", 0))) for k in KINDS}
            files[rel] = FileCoverage(rel, counts, [])
        for fn in data.get("functions", []):
            names = fn.get("filenames") or []
            rel = _relative(names[0], root) if names else ""
            if rel in files and int(fn.get("count", 0)) == 0:
                # Static functions carry "file.c:" before their name.
                files[rel].unentered.append(str(fn.get("name", "?")).split(":")[-1])
    rows = sorted(files.values(), key=lambda fc: fc.path)
    totals = {k: (sum(fc.counts[k][0] for fc in rows), sum(fc.counts[k][1] for fc in rows))
              for k in KINDS}
    for fc in rows:
        fc.unentered = sorted(set(fc.unentered))
    return rows, totals

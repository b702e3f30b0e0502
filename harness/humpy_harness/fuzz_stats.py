"""Fuzzing figures for the report: AFL++'s plot_data and fuzzer_stats, libFuzzer's worker logs.

Where fuzz/scripts put them (fuzz/README.md), under the fuzz reports folder (`<reports>/fuzz`):
- AFL++ (`make fuzz`): `afl/<target>/<instance>/plot_data` and `fuzzer_stats`, one instance folder
  per `-M`/`-S` name;
- libFuzzer (`make fuzz-libfuzzer`): `libfuzzer/<target>/logs/fuzz-<n>.log`, one per job.
Each becomes a Series (time in seconds since that instance started, edges covered, execs/s), and
one PNG per fuzzer and target plots coverage and speed over time (matplotlib, no display).
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

# libFuzzer's status line: "#4235  NEW    cov: 19 ft: 28 corp: 10/116b ... exec/s: 0 rss: 34Mb".
LIBFUZZER_STATUS = re.compile(
    r"^#(?P<execs>[0-9]+)\s+(?P<event>[A-Za-z]+)\s+cov: (?P<cov>[0-9]+) ft: (?P<ft>[0-9]+)"
    r"(?: corp: (?P<corp>[0-9]+)/\S+)?.*?exec/s: (?P<eps>[0-9]+)")
LIBFUZZER_STAT = re.compile(r"^stat::(?P<key>[a-z_]+):\s*(?P<value>[0-9.]+)\s*$")


@dataclasses.dataclass
class Series:
    """One fuzzer instance over time. seconds, edges, execs_per_s are parallel lists."""
    fuzzer: str          # "AFL++" or "libFuzzer"
    target: str
    instance: str        # AFL++'s -M/-S name, or the libFuzzer log's name
    source: str          # the file it was read from
    seconds: list[float] = dataclasses.field(default_factory=list)
    edges: list[int] = dataclasses.field(default_factory=list)
    execs_per_s: list[float] = dataclasses.field(default_factory=list)
    figures: dict = dataclasses.field(default_factory=dict)  # the last known totals, for a table


def parse_plot_data(text: str) -> list[dict]:
    """AFL++'s plot_data: a '# name, name, ...' header, then comma-separated rows.

    Columns are taken by name from the header (AFL++ 4 writes relative_time; older ones unix_time),
    percentages become numbers, and the time becomes seconds since the first row.
    """
    names, rows = None, []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("#"):
            names = [n.strip() for n in line.lstrip("# ").split(",")]
            continue
        if names is None:
            continue
        cells = [c.strip() for c in line.split(",")]
        if len(cells) != len(names):
            continue  # a row cut while AFL++ was writing it
        row = {}
        for name, cell in zip(names, cells):
            try:
                row[name] = float(cell.rstrip("%"))
            except ValueError:
                row[name] = cell
        rows.append(row)
    clock = "relative_time" if names and "relative_time" in names else "unix_time"
    if rows and isinstance(rows[0].get(clock), float):
        t0 = 0.0 if clock == "relative_time" else rows[0][clock]
        for row in rows:
            row["seconds"] = row[clock] - t0
    return rows


def parse_fuzzer_stats(text: str) -> dict:
    stats = {}
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if sep:
            stats[key.strip()] = value.strip()
    return stats


def parse_libfuzzer_log(text: str) -> tuple[list[dict], dict]:
    """libFuzzer's status lines and final stat:: lines.

    Its lines carry no clock: exec/s is the runs so far over the whole seconds elapsed, so the time
    of a line is runs / exec/s (lines of the first second, exec/s 0, are at 0 s).
    """
    points, stats = [], {}
    for line in text.splitlines():
        m = LIBFUZZER_STATUS.match(line)
        if m:
            execs, eps = int(m["execs"]), int(m["eps"])
            points.append({"execs": execs, "event": m["event"], "cov": int(m["cov"]),
                           "ft": int(m["ft"]), "corp": int(m["corp"]) if m["corp"] else None,
                           "execs_per_s": eps, "seconds": execs / eps if eps else 0.0})
            continue
        m = LIBFUZZER_STAT.match(line)
        if m:
            stats[m["key"]] = float(m["value"])
    return points, stats


def _afl_series(target: str, inst: Path) -> Series:
    series = Series("AFL++", target, inst.name, str(inst))
    plot = inst / "plot_data"
    if plot.is_file():
        for row in parse_plot_data(plot.read_text(errors="replace")):
            if "seconds" not in row:
                continue
            series.seconds.append(row["seconds"])
            series.edges.append(int(row.get("edges_found", 0) or 0))
            series.execs_per_s.append(float(row.get("execs_per_sec", 0) or 0))
    stats_file = inst / "fuzzer_stats"
    stats = parse_fuzzer_stats(stats_file.read_text(errors="replace")) if stats_file.is_file() else {}
    series.figures = {
        "run time (s)": stats.get("run_time"),
        "execs": stats.get("execs_done"),
        "execs/s": stats.get("execs_per_sec"),
        "corpus": stats.get("corpus_count"),
        "edges": stats.get("edges_found") or (series.edges[-1] if series.edges else None),
        "bitmap": stats.get("bitmap_cvg"),
        "stability": stats.get("stability"),
        "crashes": stats.get("saved_crashes"),
        "hangs": stats.get("saved_hangs"),
    }
    return series


def _libfuzzer_series(target: str, log: Path) -> Series:
    series = Series("libFuzzer", target, log.stem, str(log))
    points, stats = parse_libfuzzer_log(log.read_text(errors="replace"))
    for p in points:
        series.seconds.append(p["seconds"])
        series.edges.append(p["cov"])
        series.execs_per_s.append(float(p["execs_per_s"]))
    last = points[-1] if points else {}
    series.figures = {
        "run time (s)": round(last["seconds"]) if last else None,
        "execs": int(stats["number_of_executed_units"]) if "number_of_executed_units" in stats
        else last.get("execs"),
        "execs/s": int(stats["average_exec_per_sec"]) if "average_exec_per_sec" in stats
        else last.get("execs_per_s"),
        "corpus": last.get("corp"),
        "edges": last.get("cov"),
        "features": last.get("ft"),
        "crashes": None,
    }
    return series


def find_series(fuzz_dir) -> list[Series]:
    """Every AFL++ instance and libFuzzer worker log under fuzz_dir, AFL++ first, by target."""
    fuzz_dir = Path(fuzz_dir)
    found = []
    for target_dir in sorted((fuzz_dir / "afl").glob("*")):
        for inst in sorted(target_dir.glob("*")):
            if (inst / "plot_data").is_file() or (inst / "fuzzer_stats").is_file():
                found.append(_afl_series(target_dir.name, inst))
    for target_dir in sorted((fuzz_dir / "libfuzzer").glob("*")):
        crashes = target_dir / "crashes"
        n_crashes = len(list(crashes.iterdir())) if crashes.is_dir() else None
        for log in sorted((target_dir / "logs").glob("*.log")):
            series = _libfuzzer_series(target_dir.name, log)
            series.figures["crashes"] = n_crashes
            found.append(series)
    return found


def summaries(fuzz_dir) -> dict[str, str]:
    """The scripts' own summary files (afl-<t>-summary.txt, libfuzzer-<t>-summary.txt, bugbench.md,
    triage/summary.md), by name, as text."""
    fuzz_dir = Path(fuzz_dir)
    files = sorted(fuzz_dir.glob("*-summary.txt")) + [fuzz_dir / "bugbench.md",
                                                      fuzz_dir / "triage" / "summary.md"]
    return {str(p.relative_to(fuzz_dir)): p.read_text(errors="replace")
            for p in files if p.is_file()}


def plot(series: list[Series], path, title: str) -> str:
    """Edges and execs/s over time for the given instances (one line each) as a PNG; returns path."""
    import matplotlib
    matplotlib.use("Agg")  # no display; before pyplot is imported
    import matplotlib.pyplot as plt

    fig, (cov_ax, eps_ax) = plt.subplots(1, 2, figsize=(10, 3.2), dpi=96)
    for s in series:
        label = s.instance
        # A single sample would be an invisible line: mark every point.
        style = dict(marker="o", markersize=3) if len(s.seconds) < 30 else {}
        cov_ax.plot(s.seconds, s.edges, label=label, **style)
        # libFuzzer says 0 execs/s for its first second: not a measurement.
        timed = [(t, e) for t, e in zip(s.seconds, s.execs_per_s) if t > 0]
        eps_ax.plot([t for t, _ in timed], [e for _, e in timed], label=label, **style)
    cov_ax.set_title("coverage (edges)")
    eps_ax.set_title("execs/s")
    for ax in (cov_ax, eps_ax):
        ax.set_xlabel("seconds since start")
        ax.grid(True, alpha=0.3)
        ax.set_ylim(bottom=0)
        ax.set_xlim(left=0)
    if len(series) > 1:
        cov_ax.legend(fontsize=7)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return str(path)

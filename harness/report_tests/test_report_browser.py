"""The report page in a real browser: built from the canned reports folder (harness/tests/report_data,
no QEMU), loaded once in headless Chromium, which dumps the DOM after the page's load event and
takes a screenshot; the tests read what the browser rendered, not the template."""

import json
import os
import shutil
import signal
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
HARNESS = HERE.parent
REPO = HARNESS.parent
DATA = HARNESS / "tests" / "report_data"
sys.path.insert(0, str(HARNESS))

from humpy_harness import history, html_report  # noqa: E402

CHROMIUM = os.environ.get("HUMPY_CHROMIUM", "chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--window-size=1280,1600"]
BROWSER_SECONDS = 60
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children = []  # Nodes and text, in document order

    def all(self, tag=None, **attrs):
        """Every descendant with this tag and these attribute values (class_ for class: one of its
        classes)."""
        out = []
        for child in self.children:
            if isinstance(child, str):
                continue
            ok = tag is None or child.tag == tag
            for k, v in attrs.items():
                k = k.rstrip("_").replace("_", "-")
                have = child.attrs.get(k)
                ok = ok and (v in (have or "").split() if k == "class" else have == v)
            if ok:
                out.append(child)
            out += child.all(tag, **attrs)
        return out

    def one(self, tag=None, **attrs):
        found = self.all(tag, **attrs)
        assert len(found) == 1, f"{len(found)} <{tag} {attrs}> in the page"
        return found[0]

    def content(self) -> str:
        return "".join(c if isinstance(c, str) else c.content() for c in self.children)


class DomBuilder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.root = Node("#document", {}, None)
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_endtag(self, tag):
        n = self.cur
        while n is not self.root and n.tag != tag:
            n = n.parent
        if n is not self.root:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.children.append(data)


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """(DOM root, the page's context, the canned results JSON, screenshot path, page path)."""
    if shutil.which(CHROMIUM) is None:
        pytest.fail(f"{CHROMIUM} not found: scripts/setup.sh installs Debian's chromium")
    tmp = tmp_path_factory.mktemp("report")
    reports = tmp / "reports"
    shutil.copytree(DATA / "reports", reports)
    history.store_all(reports, reports / "history")
    out = reports / "index.html"
    ctx = html_report.build_page(reports, out, DATA / "spec.json", DATA / "hyp-coverage.json",
                                 DATA / "hyp-unit.status")
    shot = tmp / "shot.png"
    cmd = [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={tmp / 'profile'}",
           f"--screenshot={shot}", "--dump-dom", out.as_uri()]
    # Its own process group: every renderer and helper goes when the test is done or times out.
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=BROWSER_SECONDS)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    start, end = stdout.find("<html"), stdout.rfind("</html>")
    assert start >= 0 and end > start, f"no DOM from {CHROMIUM}: {stderr[-2000:]}"
    builder = DomBuilder()
    builder.feed(stdout[start:end + len("</html>")])
    doc = json.loads((reports / "conformance.json").read_text())
    return builder.root, ctx, doc, shot, out


def test_one_row_per_test_with_the_json_verdict_counts(page):
    dom, _, doc, _, _ = page
    rows = dom.all("tr", class_="test")
    assert len(rows) == doc["summary"]["total"] == 7
    for verdict in ("PASS", "FAIL", "SKIP", "ERROR", "TIMEOUT", "CRASH", "NOTRUN"):
        shown = [r for r in rows if r.attrs["data-verdict"] == verdict]
        assert len(shown) == doc["summary"][verdict], verdict
    assert [r.attrs["data-id"] for r in rows] == [t["id"] for t in doc["tests"]]


def test_a_failed_test_shows_its_reason_and_its_console_between_run_and_result(page):
    dom = page[0]
    row = dom.one("tr", id="t-r0-thing.create_nomem")
    assert row.attrs["data-verdict"] == "FAIL"
    assert row.one("span", class_="reason").content() == "thing_create: x0 expected 10 (NOMEM) got 0"
    details = row.one("details")
    assert "open" in details.attrs  # a bad verdict's console is shown unfolded
    console = details.one("pre", class_="console").content().splitlines()
    assert console == ["[humpy] RUN thing.create_nomem",
                       "guest: heap exhausted after 3 creates",
                       "humpy: partition 1 heap 4096/4096 bytes in use",
                       "[humpy] RESULT thing.create_nomem FAIL thing_create: x0 expected 10 (NOMEM) got 0"]
    passed = dom.one("tr", id="t-r0-thing.create_ok").one("details")
    assert "open" not in passed.attrs


def test_a_crashed_test_shows_the_console_to_the_end_with_the_panic(page):
    console = page[0].one("tr", id="t-r0-thing.poll_crash").one("pre").content()
    assert "humpy: PANIC: data abort at EL2, ESR_EL2 0x96000045 FAR 0x0" in console
    assert console.splitlines()[0] == "[humpy] RUN thing.poll_crash"


def test_run_summary_names_profile_machine_build_and_counts(page):
    dom, _, doc, _, _ = page
    run = dom.one("tr", class_="run")
    assert run.attrs["data-file"] == "conformance.json"
    text = run.content()
    assert "root: root caps in /chosen: partition=0x11 cspace=0x22" in " ".join(text.split())
    assert "partition=0x99" not in text  # the list boot's profile line is not repeated
    assert "-machine virt,virtualization=on,gic-version=3 -cpu max -m 2G -smp 4" in text
    assert "images/hyp.elf" in text and "(not found now)" in text
    assert "expectations conformance/expect/canned.yaml: NOT met" in text
    counts = {p.attrs["data-count"]: p.content().split()[0] for p in run.all("span", class_="pill")}
    assert counts == {"PASS": "3", "FAIL": "1", "SKIP": "1", "ERROR": "1", "CRASH": "1", "total": "7"}
    assert dom.one("p", id="headline").content() == \
        "conformance.json: FAILED: 7 test(s): 3 PASS, 1 FAIL, 1 SKIP, 1 ERROR, 1 CRASH"
    problems = [a.content() for a in dom.one("ul", class_="problems").all("a")]
    assert [" ".join(p.split()) for p in problems] == [
        "FAIL thing.create_nomem", "ERROR thing.poll_timer", "CRASH thing.poll_crash"]


def test_coverage_matrix_has_a_row_per_answered_call(page):
    dom, _, doc, _, _ = page
    answered = [c for c in doc["coverage"]["calls"] if c["status"] == "implemented"]
    matrix = dom.one("table", id="coverage-matrix")
    rows = matrix.all("tr", class_="call")
    assert [r.attrs["data-name"] for r in rows] == [c["name"] for c in answered]
    create = rows[1]
    cells = {(c.attrs["data-result"], c.attrs["data-path"]): c.attrs["data-state"]
             for c in create.all("span", class_="cell")}
    assert cells == {("OK", "n"): "exercised", ("OK", "s"): "missing",
                     ("ARGUMENT_INVALID", "n"): "exercised", ("ARGUMENT_INVALID", "s"): "exercised",
                     ("NOMEM", "n"): "missing", ("NOMEM", "s"): "missing",
                     ("CSPACE_CAP_NULL", "n"): "na", ("CSPACE_CAP_NULL", "s"): "na"}
    assert "77 (n)" in create.content()
    notes = [li.content() for li in dom.one("ol", id="na-notes").all("li")]
    assert "why: the canned reason the report must show" in notes[0]
    assert dom.one("b", id="triples").content() == "7/10"
    assert "0x04 thing_send" in dom.one("p", id="unimplemented-calls").content()


def test_abi_drift_is_listed(page):
    items = [li.content() for li in page[0].one("ul", id="drift-list").all("li")]
    assert items == ["0x01 thing_create returned x0 = 77 (native): not a documented result of this call"]


def test_code_coverage_of_hyp(page):
    table = page[0].one("table", id="code-coverage-table")
    assert [r.attrs["data-file"] for r in table.all("tr", class_="cov-file")] == [
        "hyp/arch/aarch64/esr.c", "hyp/core/thing.c"]
    total = {th.attrs["data-kind"]: " ".join(th.content().split())
             for th in table.all("th") if "data-kind" in th.attrs}
    assert total["lines"] == "80.0% 40/50" and total["branches"] == "50.0% 5/10"
    assert "thing_never_called" in table.content()


def test_bench_table(page):
    rows = page[0].one("table", id="bench-table").all("tr")[1:]
    assert [[td.content() for td in r.all("td")][:3] for r in rows] == [
        ["identify.native", "27", "insns"], ["identify.smccc", "231", "insns"],
        ["thing.create", "n/a", ""]]


def test_fuzzing_plots_load_in_the_browser(page):
    dom, _, _, _, out = page
    groups = dom.all("div", class_="fuzz-group")
    assert [(g.attrs["data-fuzzer"], g.attrs["data-target"]) for g in groups] == [
        ("AFL++", "thing"), ("libFuzzer", "thing")]
    for g in groups:
        img = g.one("img", class_="plot")
        assert (out.parent / img.attrs["src"]).is_file()
        assert int(img.attrs["data-width"]) > 0, f"{img.attrs['src']} did not load"
    assert "797" in groups[0].content() and "976274" in groups[1].content()


def test_history_and_verdict_diff(page):
    dom = page[0]
    stored = [r.all("td")[1].content() for r in dom.all("tr", class_="history-entry")]
    assert stored == ["20261130T051000Z-conformance.json", "20261129T100000Z-conformance.json"]
    changes = [(r.attrs["data-id"], [td.content() for td in r.all("td")][1:3])
               for r in dom.one("table", id="diff-table").all("tr", class_="change")]
    assert changes == [("thing.create_nomem", ["PASS", "FAIL"]), ("thing.poll_crash", ["PASS", "CRASH"]),
                       ("old.gone", ["PASS", "-"]), ("thing.poll_timer", ["-", "ERROR"])]


def test_the_page_needs_nothing_from_the_network(page):
    html = page[4].read_text()
    for needle in ("http://", "https://", "<link", "src=\"//", "@import", "url("):
        assert needle not in html, needle
    assert [s for s in page[0].all("script") if "src" in s.attrs] == []


def test_the_screenshot_shows_the_rendered_page(page):
    from PIL import Image
    shot = page[3]
    with Image.open(shot) as im:
        assert im.size == (1280, 1600)
        rgb = im.convert("RGB")
        assert rgb.getpixel((5, 5)) == (0x24, 0x29, 0x2F)      # the header band
        assert rgb.getpixel((10, 400)) == (255, 255, 255)     # the page's left margin
        colours = len(set(rgb.crop((0, 0, 1280, 600)).getdata()))
    assert colours > 20  # text and tables were drawn, not a blank page

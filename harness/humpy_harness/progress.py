"""A status line while tests run: tests done of the total, the test running now and for how long,
the elapsed time. On a terminal one line rewritten with \\r (wiped before the results table
prints); otherwise a plain line every few seconds (CI logs). It goes to stderr, never into the
report files."""

from __future__ import annotations

import sys
import threading
import time

TTY_REFRESH_S = 0.25
DEFAULT_EVERY_S = 5.0  # plain lines: at least this often while a test runs


def _clock(seconds: float) -> str:
    m, s = divmod(int(seconds), 60)
    return f"{m:02d}:{s:02d}"


class Progress:
    """Polls the live parsers of a Session (session.parsers, session.total) from its own thread."""

    def __init__(self, session, stream=None, every: float | None = None):
        self.session = session
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.every = every if every is not None else DEFAULT_EVERY_S
        self.started = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._shown = False

    def line(self) -> str | None:
        parsers = [p for p in list(self.session.parsers) if p.mode == "run"]
        if not parsers:
            return None
        done = sum(len(p.results) for p in parsers)
        total = self.session.total
        if total is None:
            total = sum(p.begin_tests or 0 for p in parsers) or None
        now = time.monotonic()
        running = []
        for p in parsers:
            if p.finished:
                continue
            for test_id, (since, _line) in list(p._open.items()):
                running.append((test_id, now - since if since is not None else None))
        text = f"progress: {done}/{total if total is not None else '?'} done"
        if running:
            test_id, secs = running[0]
            text += f", running {test_id}"
            if secs is not None:
                text += f" for {secs:.0f} s"
            if len(running) > 1:
                text += f" (+{len(running) - 1} more)"
        return text + f"; elapsed {_clock(now - self.started)}"

    def _write(self, text: str) -> None:
        try:
            if self.tty:
                self.stream.write("\r\x1b[K" + text[:max(20, _columns() - 1)])
                self._shown = True
            else:
                self.stream.write(text + "\n")
            self.stream.flush()
        except (OSError, ValueError):
            self._stop.set()

    def _loop(self) -> None:
        last = None
        last_at = 0.0
        period = TTY_REFRESH_S if self.tty else min(self.every, TTY_REFRESH_S)
        while not self._stop.wait(period):
            text = self.line()
            if text is None:
                continue
            now = time.monotonic()
            if self.tty:
                self._write(text)
            elif now - last_at >= self.every and (text != last or "running" in text):
                self._write(text)
                last, last_at = text, now

    def start(self) -> "Progress":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2)
        if self.tty and self._shown:
            try:
                self.stream.write("\r\x1b[K")
                self.stream.flush()
            except (OSError, ValueError):
                pass


def _columns() -> int:
    import shutil
    return shutil.get_terminal_size((100, 24)).columns

"""Runs one QEMU boot: streams its console to a log and the parser, enforces the time limits, and
always kills the whole process group at the end."""

from __future__ import annotations

import dataclasses
import os
import selectors
import shlex
import shutil
import signal
import subprocess
import threading
import time

from .errors import SetupError, ToolMissing
from .model import Outcome, RunResult
from .parser import NOTE_PREFIX, ConsoleParser

# Lines the harness adds to a console log; free text to the parser, so a log can be re-parsed.
LOG_NOTE = NOTE_PREFIX


class Interrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM during a boot; carries what that boot had gathered."""

    def __init__(self, run: RunResult):
        super().__init__("interrupted")
        self.run = run


# Every QEMU still running, so an interrupt can kill the ones other threads (shards) started.
_LIVE: set = set()
_LIVE_LOCK = threading.Lock()
# Set by an interrupt: a boot whose QEMU was killed for it ends "interrupted", not CRASH.
_STOP = threading.Event()


def reset_stop() -> None:
    """A new session in this process: an earlier interrupt no longer applies."""
    _STOP.clear()


def kill_all() -> None:
    """Kills every QEMU still running (the shards other threads drive); their boots then end as
    interrupted and keep the results that arrived."""
    _STOP.set()
    with _LIVE_LOCK:
        procs = list(_LIVE)
    for proc in procs:
        _kill_group(proc)


@dataclasses.dataclass
class Limits:
    wall: float = 60.0  # the whole boot, seconds
    idle: float = 20.0  # no well-formed protocol line for this long: TIMEOUT
    poweroff: float = 5.0  # after END, QEMU should power off by itself within this long
    drain: float = 0.5  # after QEMU exits, wait this long for children still holding the console


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass


def run_console(cmd: list[str], log_path: str, parser: ConsoleParser, limits: Limits,
                expected: list[str] | None = None, echo=None, env=None,
                bootargs: str | None = None) -> RunResult:
    """Boots cmd and returns its RunResult. echo, if given, is called with each decoded chunk."""
    # A second guard: even if this process is killed before its finally runs, QEMU dies soon after
    # the wall limit (coreutils timeout; the harness itself kills it long before).
    guard = []
    if shutil.which("timeout"):
        guard = ["timeout", "--signal=KILL", f"{int(limits.wall + limits.poweroff) + 30}"]
    started = time.monotonic()
    with open(log_path, "wb", buffering=0) as log:
        log.write(f"{LOG_NOTE}command: {shlex.join(cmd)}\n".encode())
        try:
            proc = subprocess.Popen(guard + cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, start_new_session=True, env=env)
        except FileNotFoundError:
            raise ToolMissing(f"QEMU binary {cmd[0]} not found") from None
        except PermissionError:
            raise ToolMissing(f"QEMU binary {cmd[0]} not executable") from None
        except OSError as e:
            raise SetupError(f"cannot start {cmd[0]}: {e.strerror}") from None
        with _LIVE_LOCK:
            _LIVE.add(proc)
        ending, reason, status, interrupted = Outcome.CRASH, "", None, False
        try:
            ending, reason = _pump(proc, log, parser, limits, started, echo)
            status = proc.poll()
            if _STOP.is_set() and ending != Outcome.COMPLETE:
                ending, reason = Outcome.ERROR, "interrupted"
        except KeyboardInterrupt:
            ending, reason, interrupted = Outcome.ERROR, "interrupted", True
        finally:
            _kill_group(proc)
            with _LIVE_LOCK:
                _LIVE.discard(proc)
            if proc.stdout:
                proc.stdout.close()
        duration = time.monotonic() - started
        if ending == Outcome.CRASH:
            status = proc.returncode if status is None else status
            reason = f"QEMU exited with status {status} without END"
            if status is not None and status < 0:
                reason = f"QEMU killed by signal {-status} without END"
        note = f"{ending}{': ' + reason if reason else ''}; exit status {status}; {duration:.2f} s"
        log.write(f"\n{LOG_NOTE}{note}\n".encode())
    if ending == Outcome.COMPLETE and status is None:
        parser.warnings.append(f"QEMU still running {limits.poweroff:g} s after END "
                               f"(SYSTEM_OFF did not power off?); killed")
    result = parser.finish(ending, reason, expected, command=list(cmd), exit_status=status,
                           duration=duration, bootargs=bootargs)
    if interrupted:
        raise Interrupted(result)
    return result


def _pump(proc, log, parser, limits, started, echo):
    """Reads until END + power-off, EOF, or a limit. Returns (ending, reason)."""
    fd = proc.stdout.fileno()
    os.set_blocking(fd, False)
    sel = selectors.DefaultSelector()
    sel.register(fd, selectors.EVENT_READ)
    last_progress = started
    end_at = exited_at = None
    try:
        while True:
            now = time.monotonic()
            if end_at is None and parser.end_seen:
                end_at = now
            if exited_at is None and proc.poll() is not None:
                exited_at = now
            deadlines = [(started + limits.wall, "wall"), (last_progress + limits.idle, "idle")]
            if end_at is not None:
                deadlines = [(end_at + limits.poweroff, "poweroff")]
            if exited_at is not None:
                deadlines.append((exited_at + limits.drain, "drain"))
            deadline, kind = min(deadlines)
            if now >= deadline:
                if parser.end_seen:
                    return Outcome.COMPLETE, ""
                if kind == "drain":
                    return Outcome.CRASH, ""
                if kind == "wall":
                    return Outcome.TIMEOUT, f"run exceeded its {limits.wall:g} s limit"
                return Outcome.TIMEOUT, f"no protocol line for {limits.idle:g} s"
            if not sel.select(min(deadline - now, 0.25)):
                continue
            try:
                data = os.read(fd, 65536)
            except BlockingIOError:
                continue
            if not data:  # EOF: every writer closed the console
                proc_status = proc.poll()
                if proc_status is None:
                    try:
                        proc.wait(timeout=limits.drain)
                    except subprocess.TimeoutExpired:
                        pass
                return (Outcome.COMPLETE if parser.end_seen else Outcome.CRASH), ""
            log.write(data)
            if echo is not None:
                echo(data.decode("utf-8", "replace"))
            if parser.feed(data):
                last_progress = time.monotonic()
    finally:
        sel.close()

"""humpy's harness: boots a hypervisor and the conformance guest under QEMU, reads the guest's line
protocol (conformance/PROTOCOL.md), and turns it into verdicts, reports, and pytest items."""

from .errors import HarnessError
from .model import Bench, Outcome, Report, RunResult, TestResult, Verdict
from .parser import ConsoleParser, parse_log, parse_text
from .session import Config, Session

__all__ = ["Bench", "Config", "ConsoleParser", "HarnessError", "Outcome", "Report", "RunResult",
           "Session", "TestResult", "Verdict", "parse_log", "parse_text"]

"""The harness's own failures: each is one line for the user and a distinct exit code."""


class HarnessError(Exception):
    """Something outside the guest stopped the harness; str() is the one line to print."""
    exit_code = 5


class UsageError(HarnessError):
    exit_code = 2


class ToolMissing(HarnessError):
    exit_code = 3


class ImageMissing(HarnessError):
    exit_code = 4


class SetupError(HarnessError):
    exit_code = 5


class ReportsBusy(SetupError):
    """Another run holds the lock of the same report names: nothing of this run is written."""


class NoTests(HarnessError):
    """The selection matched no guest test: a failure like any other, not a usage error."""
    exit_code = 1


EXIT_OK = 0
EXIT_BAD_VERDICT = 1
EXIT_INTERRUPTED = 130

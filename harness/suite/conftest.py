"""Loads the humpy pytest plugin for the suite files in this folder."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from humpy_harness.pytest_plugin import (  # noqa: E402,F401  (pytest finds hooks by name)
    pytest_addoption, pytest_collect_file, pytest_sessionfinish, pytest_terminal_summary,
    pytest_unconfigure)

"""Loads the humpy pytest plugin for the suite files in this folder, as a plugin (its hooks are
registered once, by module name, so `-p humpy_harness.pytest_plugin` as well does no harm)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

pytest_plugins = ["humpy_harness.pytest_plugin"]

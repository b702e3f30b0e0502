"""`python3 -m humpy_harness`: the command-line runner (see cli.py)."""

import sys

from .cli import main

sys.exit(main())

"""Where things live in the repository, resolved from this file so any working directory works."""

import os
import sys

LAVA_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REPO = os.path.dirname(LAVA_DIR)
TEMPLATES = os.path.join(LAVA_DIR, "templates")
DEVICES = os.path.join(LAVA_DIR, "devices")
BOARDS = os.path.join(LAVA_DIR, "boards.yaml")
TOOLS = os.path.join(LAVA_DIR, "tools")
HARNESS = os.path.join(REPO, "harness")

# The harness owns the protocol patterns and the report writers; import them from the tree.
if HARNESS not in sys.path:
    sys.path.insert(0, HARNESS)

"""humpy's LAVA tooling: render job templates, render device configs, validate, run locally, submit."""


class LavaError(Exception):
    """A failure the user can act on; the command line prints it as one line."""


# Puts harness/ on sys.path: the protocol patterns and report writers are imported from there.
from . import paths  # noqa: E402,F401

"""humpy's LAVA tooling: render job templates, render device configs, validate, run locally, submit."""


class LavaError(Exception):
    """A failure the user can act on; the command line prints it as one line."""

"""The errors the command reports in one line instead of a traceback."""


class UsageError(Exception):
    """A mistake in the command line: reported with the usage, exit status 2."""

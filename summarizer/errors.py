"""Errors the library raises; each carries a one-line message fit for a user."""


class SummarizerError(Exception):
    """Base class: the CLI prints the message on one line and exits non-zero."""

    exit_code = 1


class InputError(SummarizerError):
    """The article (file, stdin, JSON Lines) cannot be read or holds no text."""

    exit_code = 2


class ModelError(SummarizerError):
    """The embedded model cannot be installed, verified or started."""

    exit_code = 3


class BackendError(SummarizerError):
    """The OpenAI-compatible backend failed after retries, or its output never validated."""

    exit_code = 4


class OutputError(SummarizerError):
    """The result cannot be written where it was asked to go (a file, a device, stdout)."""

    exit_code = 5

"""The exceptions detente raises. Their messages are the command line's (without `error: `)."""

from __future__ import annotations

__all__ = ["DetenteError", "InputError", "MissingFileError"]


class DetenteError(Exception):
    """Base of every exception detente raises on purpose (not for wrong argument types,
    which are `TypeError`s)."""


class InputError(DetenteError, ValueError):
    """Bad input: a file that cannot be read or is not a scenario, trace or plan; a negotiator
    spec with an unknown kind or a parameter out of range; an argument out of its range. The
    command line exits with code 2 on the same input, with the same message."""


class MissingFileError(InputError, FileNotFoundError):
    """A file or folder that does not exist (`PATH: no such file or folder`)."""

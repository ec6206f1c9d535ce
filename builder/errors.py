"""Errors a user can act on, each carrying the exit code it gives, the same in every command.

A command raises one of these and `claims` catches it in one place: it prints the problems the
error carries (through `report`), then the message, and exits with the error's code. Bad data is
never an exception of its own: checks yield `Problem`s, and a command that refuses to go on
because of them raises `InvalidDataError` with those problems. Anything else that escapes a
command is a bug, reported as an internal error (exit 3).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import ClassVar

from builder.problems import Problem


class ExitCode(enum.IntEnum):
    OK = 0
    INVALID = 1  # the data is invalid, or what was asked for is not in the data
    USAGE = 2  # a usage or environment error
    INTERNAL = 3  # a bug in claims itself


class ClaimsError(Exception):
    """Something the user can fix, said in one line; `problems` are the data's, if any."""

    exit_code: ClassVar[ExitCode] = ExitCode.USAGE

    def __init__(self, message: str, problems: Iterable[Problem] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = tuple(problems)


class UsageError(ClaimsError):
    """A bad option or argument, a missing file, an unknown id, not a claims repository."""


class ExternalError(ClaimsError):
    """Something outside the data and the command line failed: git, the network, the Hub,
    the disk."""


class InvalidDataError(ClaimsError):
    """The data has problems that stop the command; they travel with the error."""

    exit_code = ExitCode.INVALID


class NotFoundError(ClaimsError):
    """What was asked for is not in the data (a quote that does not occur in its source)."""

    exit_code = ExitCode.INVALID

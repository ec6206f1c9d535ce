"""Validation of a whole repository: read every file, check everything, collect the result."""

from __future__ import annotations

import datetime

import attrs

from builder import dates
from builder.checks import check_repository
from builder.layout import Layout
from builder.model import Repository
from builder.problems import Problem, Severity
from builder.progress import Tick, silent
from builder.repository import read_repository
from builder.selection import Selection


@attrs.frozen
class Result:
    """The problems of one validation run, sorted by file and position, and what was read."""

    problems: tuple[Problem, ...]
    files: tuple[str, ...]
    repository: Repository

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p.severity is Severity.WARNING)

    def success(self, *, strict: bool = False) -> bool:
        return self.errors == 0 and not (strict and self.warnings)

    def restricted_to(self, selection: Selection) -> Result:
        """The same run, keeping only problems in the selected files and folders."""
        return Result(
            tuple(p for p in self.problems if selection.includes(p.file)),
            tuple(f for f in self.files if selection.includes(f)),
            self.repository,
        )


def validate(
    layout: Layout,
    today: datetime.date | None = None,
    only: Selection | None = None,
    jobs: int = 1,
    tick: Tick = silent,
) -> Result:
    """Check the repository against the schemas and its own sources; with `only`, check just
    the selected files (against the whole repository) and report on them; with `jobs`, read
    the records in that many processes; `tick` is called once per record read."""
    read = read_repository(layout, only, jobs, tick)
    problems = [*read.problems, *check_repository(read.repository, today or dates.today())]
    result = Result(tuple(sorted(set(problems))), read.files, read.repository)
    return result if only is None else result.restricted_to(only)


def still_to_fill(layout: Layout, written: list[str]) -> tuple[Problem, ...]:
    """What `validate` says of files a command just wrote (a skeleton): what is left to do."""
    # A fresh layout: the given one listed the repository before these files existed.
    return validate(Layout(layout.root), only=Selection(files=frozenset(written))).problems

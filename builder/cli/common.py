"""What several commands share: the --root, --jobs and --debug options, opening the repository,
and printing what a command wrote."""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeAlias

from builder import progress, report
from builder.errors import InvalidDataError, UsageError
from builder.layout import Layout
from builder.validation import Result, still_to_fill, validate
from builder.writing import lock, recover

# What `add_subparsers` returns: argparse has no public name for it.
Subcommands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def add_root(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--root",
        type=Path,
        default=Path(),
        metavar="DIR",
        help="the claims repository (default: the current directory)",
    )


def add_jobs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--jobs",
        type=positive,
        default=os.cpu_count() or 1,
        metavar="N",
        help="check records in up to N processes (default: one per core)",
    )


def add_quiet(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--quiet",
        action="store_true",
        help="show no progress (it shows only on a terminal anyway)",
    )


def add_debug(parser: argparse.ArgumentParser, default: Any) -> None:
    parser.add_argument(
        "--debug",
        action="store_true",
        default=default,
        help="show the traceback of an internal error",
    )


def open_repository(args: argparse.Namespace) -> Layout:
    """The repository at --root, after finishing or undoing a write that was interrupted."""
    layout = Layout.open(args.root)
    try:
        state = layout.state
    except UsageError:
        return layout  # a state folder refused holds no write of ours; writers are told why
    done = recover(state)
    if done:
        say(done)
    return layout


def validated(layout: Layout, args: argparse.Namespace, refusal: str) -> Result:
    """The repository validated with progress shown, or its problems and `refusal` (what is
    not written) as an error: the commands that publish the data need it without errors."""
    with progress.shown("records", quiet=args.quiet) as tick:
        result = validate(layout, jobs=args.jobs, tick=tick)
    if not result.success():
        counts = report.summary(len(result.files), result.errors, result.warnings).strip()
        raise InvalidDataError(f"{refusal} ({counts}): fix the errors above first", result.problems)
    return result


@contextlib.contextmanager
def writing_to(layout: Layout) -> Iterator[None]:
    """Keep other claims commands from writing the repository meanwhile."""
    with lock(layout.state.lock, f"the repository {layout.root}"):
        yield


def say(note: str) -> None:
    """A note for the person at the terminal, on standard error."""
    print(f"claims: {report.visible(note)}", file=sys.stderr)


def print_written(layout: Layout, paths: list[str], then: str) -> None:
    """The files a command wrote, what is still to fill in (as `validate` says it), and the
    command to run next (`then`, once nothing is missing)."""
    print("\n".join(map(report.visible, paths)))
    problems = still_to_fill(layout, paths)
    if problems:
        print(
            f"still to fill in ({len(problems)}), as `claims validate` reports them:",
            file=sys.stderr,
        )
        sys.stderr.write(report.as_text(problems))
        check = " ".join(["claims validate --root", str(layout.root), *paths])
        print(f"next: fill those in, then `{check}`", file=sys.stderr)
    else:
        print(f"next: {then}", file=sys.stderr)


def positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a positive whole number")
    return int(value)


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2026-11-22") from error

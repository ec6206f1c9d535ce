"""`claims release`: the next version into dataset.yaml, and its entry into CHANGELOG.md."""

from __future__ import annotations

import argparse
import sys

from builder import dates
from builder.cli.common import Subcommands, add_root, iso_date, open_repository, writing_to
from builder.diff import BUMPS
from builder.errors import ExitCode
from builder.layout import CHANGELOG, DATASET
from builder.release import release


def add(commands: Subcommands) -> argparse.ArgumentParser:
    command = commands.add_parser(
        "release",
        help="write the next version into dataset.yaml and CHANGELOG.md",
        description="Compare the repository with its last release (the commit that added the "
        "newest CHANGELOG.md entry), choose the version bump the changes call for (removed "
        "claims or moved splits: major; added claims: minor; corrections: patch), and write "
        "the new version into claims/dataset.yaml and a dated entry into CHANGELOG.md. The "
        "first release keeps the version dataset.yaml has.",
    )
    add_root(command)
    command.add_argument(
        "--bump",
        choices=list(reversed(BUMPS)),
        help="bump more than the changes call for (never less)",
    )
    command.add_argument(
        "--no-commit",
        action="store_true",
        help="write the files only; commit them and tag v<version> yourself",
    )
    command.add_argument(
        "--date",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help="the release date for the changelog (default: today, in UTC)",
    )
    command.set_defaults(run=run)
    return command


def run(args: argparse.Namespace) -> int:
    layout = open_repository(args)
    with writing_to(layout):
        made = release(layout, args.bump, args.date or dates.today(), commit=not args.no_commit)
    since = f" ({made.bump} release after {made.previous})" if made.previous else " (first release)"
    print(f"version {made.version}{since}")
    done = "wrote" if args.no_commit else "committed and tagged"
    then = "commit both and tag the commit, then" if args.no_commit else "then"
    print(
        f"{done} {DATASET} and {CHANGELOG} (v{made.version}): {then} `claims build` and "
        f"`claims publish dist/{made.version} ...`",
        file=sys.stderr,
    )
    return ExitCode.OK

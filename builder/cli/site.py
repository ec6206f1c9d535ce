"""`claims site`: validate, then write the static review site."""

from __future__ import annotations

import argparse
from pathlib import Path

from builder import state
from builder.cli.common import (
    Subcommands,
    add_jobs,
    add_quiet,
    add_root,
    open_repository,
    say,
    validated,
)
from builder.diff import diff
from builder.errors import ExitCode
from builder.site import CHANGES, write_site
from builder.snapshot import claims_of, from_git


def add(commands: Subcommands) -> argparse.ArgumentParser:
    command = commands.add_parser(
        "site",
        help="validate, then write the static review site (default ROOT/dist/site/)",
        description="Validate the repository, then write a static site: index.html (every "
        "claim, filterable), claims/<id>.html (each claim in its sources), sources/<id>.html "
        "(each source with its spans) and, with --compare, changes.html. It works opened from "
        "disk. Nothing is written when validation finds errors.",
    )
    add_root(command)
    command.add_argument(
        "--out", type=Path, metavar="DIR", help="where to write (default: ROOT/dist/site)"
    )
    command.add_argument(
        "--compare",
        metavar="REV",
        help="also write changes.html: what changed since git revision REV",
    )
    add_jobs(command)
    add_quiet(command)
    command.set_defaults(run=run)
    return command


def run(args: argparse.Namespace) -> int:
    layout = open_repository(args)
    target = layout.output(args.out or args.root / "dist" / "site")
    changes = None
    if args.compare is not None:
        old = from_git(layout.root, args.compare)  # a bad revision is refused before any work
    result = validated(layout, args, "no site written")
    if args.compare is not None:
        changes = (args.compare, diff(old, claims_of(result)))
    write_site(result.repository, target, state.of_output(target, layout.root), changes, say)
    print(target)
    if changes is not None:
        print(target / CHANGES)
    return ExitCode.OK

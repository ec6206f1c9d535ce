"""`claims show`: a claim with its spans highlighted in their sources."""

from __future__ import annotations

import argparse
import os
import sys

from builder.cli.common import Subcommands, add_root, open_repository
from builder.errors import ExitCode, InvalidDataError, UsageError
from builder.layout import RECORDS
from builder.selection import Selection
from builder.show import render_claim
from builder.validation import validate


def add(commands: Subcommands) -> argparse.ArgumentParser:
    command = commands.add_parser(
        "show",
        help="print a claim with its spans highlighted in their sources",
        description="Print a claim, its verdict and each appearance and evidence span inside "
        "its source, the span highlighted (colour on a terminal, [[brackets]] "
        "otherwise).",
    )
    add_root(command)
    command.add_argument("claim_id", metavar="ID")
    command.add_argument(
        "--color",
        choices=["auto", "always", "never"],
        default="auto",
        help="highlight with colour (default: on a terminal, unless NO_COLOR)",
    )
    command.set_defaults(run=run)
    return command


def run(args: argparse.Namespace) -> int:
    layout = open_repository(args)
    path = layout.find_record(args.claim_id)
    if path is None:
        raise UsageError(f"claim {args.claim_id!r} does not exist in {RECORDS}")
    result = validate(layout, only=Selection(files=frozenset({path})))
    claim = next((c for c in result.repository.claims if c.origin.path == path), None)
    if claim is None:
        raise InvalidDataError(
            f"claim {args.claim_id!r} has problems: fix them to show it", result.problems
        )
    color = args.color == "always" or (
        args.color == "auto" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    )
    sys.stdout.write(render_claim(result.repository, claim, color=color))
    return ExitCode.OK

"""`claims locate`: where words occur in a source, as offsets, however they were typed."""

from __future__ import annotations

import argparse
import sys

from builder import anchoring
from builder.cli.common import Subcommands, add_root, open_repository
from builder.errors import ExitCode, NotFoundError


def add(commands: Subcommands) -> argparse.ArgumentParser:
    command = commands.add_parser(
        "locate",
        help="print `start end` of TEXT in a source",
        description="Print where TEXT occurs in the source as `start end`, one line each: exact "
        "matches first, then matches that differ only in whitespace, look-alike "
        "letters, quotation marks or dashes. When TEXT is not found, print the closest "
        "passages with their offsets and how they differ, and exit 1.",
    )
    add_root(command)
    command.add_argument("source_id", metavar="SOURCE_ID")
    command.add_argument("text", metavar="TEXT")
    command.set_defaults(run=run)
    return command


def run(args: argparse.Namespace) -> int:
    text = open_repository(args).source_text(args.source_id)
    matches = anchoring.locate(text, args.text)
    if not matches:
        for near in anchoring.closest(text, args.text):
            print(
                f"closest: {near.start} {near.end} {text[near.start : near.end]!r} "
                f"({near.likeness:.0%} alike: {near.differences})",
                file=sys.stderr,
            )
        raise NotFoundError(
            f"{args.text!r} does not occur in {args.source_id}, even allowing for whitespace "
            "and look-alike letters"
        )
    for match in matches:
        print(match.start, match.end)
        if not match.exact:
            print(
                f"note: {match.start} {match.end} is not an exact match: "
                f"{anchoring.not_exact(text, match, args.text)}",
                file=sys.stderr,
            )
    return ExitCode.OK

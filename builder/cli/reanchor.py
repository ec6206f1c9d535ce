"""`claims reanchor`: replace a source's text and move every span into the revised text."""

from __future__ import annotations

import argparse
import sys

from builder import dates, progress, reanchor
from builder.cli.common import (
    Subcommands,
    add_quiet,
    add_root,
    iso_date,
    open_repository,
    writing_to,
)
from builder.errors import ExitCode, UsageError


def add(commands: Subcommands) -> argparse.ArgumentParser:
    command = commands.add_parser(
        "reanchor",
        help="replace a source's text and re-locate every span into it",
        description="Replace the text of SOURCE_ID with NEW_TEXT_FILE (byte for byte), record "
        "the old sha256 under `revisions`, and find every span into the source again: by where "
        "the revision moved it, then by its quote and context, then tolerantly (whitespace, "
        "look-alike letters), then fuzzily (a tenth to a third of the quote edited, by how "
        "much of its context agrees). Where its words occur more than once, a place is chosen "
        "only if the span's context clearly prefers it. Reports each span as unchanged, "
        "moved, changed-quote, ambiguous or lost. Ambiguous and lost spans "
        "are left as they were, for `claims validate` to point at; they make the exit code 1.",
    )
    add_root(command)
    command.add_argument("source_id", metavar="SOURCE_ID")
    command.add_argument("new_text", metavar="NEW_TEXT_FILE")
    command.add_argument("--dry-run", action="store_true", help="report only, change nothing")
    add_quiet(command)
    command.add_argument(
        "--reason",
        default="text revised",
        help="why the text changed, for the source's revisions list",
    )
    command.add_argument(
        "--date",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help="the revision's date (default: today, in UTC)",
    )
    command.add_argument(
        "--format", choices=["text", "json"], default="text", help="how to print the report"
    )
    command.add_argument(
        "--explain",
        action="store_true",
        help="under each span, how it was placed: by the diff, by its quote (exactly, "
        "tolerantly, fuzzily with the share edited), the context agreeing, the places weighed "
        "(always in --format json, as `how`)",
    )
    command.set_defaults(run=run)
    return command


def run(args: argparse.Namespace) -> int:
    layout = open_repository(args)
    try:
        with open(args.new_text, "rb") as stream:  # noqa: PTH123 (a path as the user typed it)
            new_text = stream.read()
    except OSError as error:
        raise UsageError(f"cannot read {args.new_text}: {error.strerror}") from error
    with writing_to(layout):
        with progress.shown("records", quiet=args.quiet) as tick:
            plan = reanchor.plan(
                layout,
                args.source_id,
                new_text,
                reason=args.reason,
                today=args.date or dates.today(),
                tick=tick,
            )
        if args.format == "json":
            sys.stdout.write(reanchor.as_json(plan.spans))
        else:
            sys.stdout.write(reanchor.as_text(plan.spans, explain=args.explain))
        if not args.dry_run:
            reanchor.apply(layout, plan)
    if not plan.settled:
        print(
            "claims: some spans are ambiguous or lost and were left as they were; "
            "`claims validate` shows each",
            file=sys.stderr,
        )
    return ExitCode.OK if plan.settled else ExitCode.INVALID

"""`claims new`: a record skeleton with its span already found in the source."""

from __future__ import annotations

import argparse

from builder.cli.common import (
    Subcommands,
    add_root,
    open_repository,
    print_written,
    writing_to,
)
from builder.errors import ExitCode
from builder.new import Draft, create_record


def add(commands: Subcommands) -> argparse.ArgumentParser:
    command = commands.add_parser(
        "new",
        help="write a record skeleton with its span found in the source",
        description="Find QUOTE in the source (as `claims locate` does) and write a new record "
        "under claims/records/ with the span filled in. Fields left empty are named "
        "by `claims validate`. An existing record is never overwritten.",
    )
    add_root(command)
    command.add_argument("--source", required=True, metavar="ID", help="the source id")
    command.add_argument(
        "--quote",
        required=True,
        metavar="TEXT",
        help="the words of the source where the claim is made",
    )
    command.add_argument(
        "--id",
        dest="claim_id",
        metavar="SLUG",
        help="the claim id (default: made from --claim or the quote)",
    )
    command.add_argument(
        "--start",
        type=int,
        metavar="N",
        help="which occurrence, when the quote occurs more than once",
    )
    command.add_argument("--folder", metavar="DIR", help="sub-folder of claims/records/")
    command.add_argument(
        "--claim",
        default="",
        metavar="SENTENCE",
        help="the checkable statement, one English sentence",
    )
    command.add_argument("--claimant", default="", metavar="NAME", help="who made the claim")
    command.add_argument(
        "--kind",
        default="",
        choices=["person", "organization"],
        help="whether the claimant is a person or an organization",
    )
    command.add_argument("--role", metavar="ROLE", help="the claimant's office or role")
    command.add_argument(
        "--date",
        default="",
        metavar="DATE",
        help="when the claim was made: YYYY-MM-DD, YYYY-MM or YYYY",
    )
    command.add_argument(
        "--topic",
        action="append",
        default=[],
        metavar="SLUG",
        help="a topic from claims/topics.yaml (repeat for several)",
    )
    command.add_argument(
        "--language",
        metavar="TAG",
        help="the quote's language (needed when the source has several)",
    )
    command.add_argument(
        "--translation",
        default="",
        metavar="TEXT",
        help="English translation, when the quote is not in English",
    )
    command.set_defaults(run=run)
    return command


def run(args: argparse.Namespace) -> int:
    layout = open_repository(args)
    draft = Draft(
        source=args.source,
        quote=args.quote,
        claim_id=args.claim_id,
        folder=args.folder,
        start=args.start,
        claim=args.claim,
        claimant=args.claimant,
        kind=args.kind,
        role=args.role,
        date=args.date,
        topics=tuple(args.topic),
        language=args.language,
        translation=args.translation,
    )
    with writing_to(layout):
        written = create_record(layout, draft)
    print_written(
        layout,
        [written],
        "review it with `claims show`, then `claims fmt` and commit it",
    )
    return ExitCode.OK

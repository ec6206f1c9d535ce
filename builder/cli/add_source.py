"""`claims add-source`: a source's text byte for byte, and its metadata skeleton."""

from __future__ import annotations

import argparse
from pathlib import Path

from builder.add_source import SourceDraft, add_source
from builder.cli.common import (
    Subcommands,
    add_root,
    open_repository,
    print_written,
    writing_to,
)
from builder.errors import ExitCode


def add(commands: Subcommands) -> argparse.ArgumentParser:
    command = commands.add_parser(
        "add-source",
        help="add a source document: its text byte for byte, and a metadata skeleton",
        description="Copy FILE byte for byte to claims/sources/ID.txt (never normalised: "
        "offsets count its characters as stored), pin it by SHA-256 and write the metadata "
        "skeleton claims/sources/ID.yaml. Fields left empty are named by `claims validate`. "
        "Existing files are never overwritten.",
    )
    add_root(command)
    command.add_argument("file", type=Path, metavar="FILE", help="the text, UTF-8")
    command.add_argument(
        "--id", dest="source_id", required=True, metavar="SLUG", help="the source id: its file stem"
    )
    command.add_argument("--title", default="", help="the document's headline")
    command.add_argument("--publisher", default="", help="who published it")
    command.add_argument(
        "--published", default="", metavar="DATE", help="YYYY-MM-DD, YYYY-MM or YYYY"
    )
    command.add_argument(
        "--language",
        action="append",
        default=[],
        metavar="TAG",
        help="a BCP 47 tag of the text's language (repeat for several)",
    )
    command.add_argument("--url", help="the address of the original")
    command.add_argument(
        "--license",
        default="",
        metavar="SPDX",
        help="the text's licence: an SPDX identifier (CC-BY-4.0), or other",
    )
    command.add_argument(
        "--redistribution",
        default="",
        choices=["full-text", "quotes-only"],
        help="whether the built dataset may ship the whole text, or its quotes only",
    )
    command.add_argument(
        "--rights", default="", help="who holds the rights, and the terms of reuse, in words"
    )
    command.set_defaults(run=run)
    return command


def run(args: argparse.Namespace) -> int:
    layout = open_repository(args)
    draft = SourceDraft(
        id=args.source_id,
        title=args.title,
        publisher=args.publisher,
        published=args.published,
        languages=tuple(args.language),
        url=args.url,
        license=args.license,
        redistribution=args.redistribution,
        rights=args.rights,
    )
    with writing_to(layout):
        written = add_source(layout, args.file, draft)
    print_written(
        layout,
        written,
        f"`claims locate {args.source_id} 'WORDS'` to find a claim's words, then "
        f"`claims new --source {args.source_id} --quote 'WORDS'`",
    )
    return ExitCode.OK

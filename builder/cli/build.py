"""`claims build`: validate, then write the dataset folder OUT/<version>/."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from builder import extras, progress, report
from builder.cli.common import (
    Subcommands,
    add_jobs,
    add_quiet,
    add_root,
    open_repository,
    say,
    validated,
)
from builder.errors import ExitCode


def add(commands: Subcommands) -> argparse.ArgumentParser:
    command = commands.add_parser(
        "build",
        help="validate, then write the Hugging Face dataset folder OUT/<version>/",
        description="Validate the repository, then write OUT/<version>/: parquet files for the "
        "claims, sources and evidence configs, the dataset card, croissant.json, "
        "claimreview.jsonl and SHA256SUMS. Nothing is written when validation finds errors; "
        "a previous build of the same version is replaced only once the new one is complete.",
    )
    add_root(command)
    command.add_argument(
        "--out", type=Path, metavar="DIR", help="where to write (default: ROOT/dist)"
    )
    add_jobs(command)
    add_quiet(command)
    command.set_defaults(run=run)
    return command


def run(args: argparse.Namespace) -> int:
    # datasets and pyarrow come with the dataset extra, and take a second or two to import:
    # only the commands that write or read built datasets need them.
    build = extras.require("builder.dataset.pipeline", "claims build").build
    layout = open_repository(args)
    result = validated(layout, args, "nothing built")
    sys.stderr.write(report.as_text(result.problems))
    with progress.shown("claims", len(result.repository.claims), quiet=args.quiet) as tick:
        target = build(layout, result.repository, args.out or args.root / "dist", say, tick)
    print(target)
    print(f'load it with: datasets.load_dataset({str(target)!r}, "claims")', file=sys.stderr)
    return ExitCode.OK

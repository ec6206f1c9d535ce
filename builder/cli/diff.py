"""`claims diff`: the claims added, removed and changed between two versions of the dataset."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from builder import diff
from builder.cli.common import Subcommands, add_root
from builder.errors import ExitCode
from builder.snapshot import snapshot


def add(commands: Subcommands) -> argparse.ArgumentParser:
    command = commands.add_parser(
        "diff",
        help="claims added, removed and changed between two versions",
        description="Compare two versions of the dataset, each given as a built folder "
        "(dist/0.1.0), a claims repository folder, or a git revision of the repository at "
        "--root (v0.1.0, HEAD~3, main). Lists claims added, removed and changed, field by "
        "field, and the release that the changes call for.",
    )
    add_root(command)
    command.add_argument("old", metavar="OLD")
    command.add_argument("new", metavar="NEW")
    command.add_argument(
        "--format",
        choices=sorted(diff.FORMATS),
        default="text",
        help="how to print the changes (default: text)",
    )
    command.set_defaults(run=run)
    return command


def run(args: argparse.Namespace) -> int:
    root: Path = args.root
    old, new = snapshot(args.old, root), snapshot(args.new, root)
    sys.stdout.write(diff.FORMATS[args.format](diff.diff(old, new), old, new))
    return ExitCode.OK

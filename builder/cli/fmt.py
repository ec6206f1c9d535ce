"""`claims fmt`: rewrite records and metadata in canonical form, or with --check list them."""

from __future__ import annotations

import argparse
import contextlib
import sys

from builder import fmt, progress, report
from builder.cli.common import Subcommands, add_quiet, add_root, open_repository, writing_to
from builder.errors import ExitCode
from builder.selection import Selection


def add(commands: Subcommands) -> argparse.ArgumentParser:
    command = commands.add_parser(
        "fmt",
        help="rewrite records and metadata in canonical form",
        description="Rewrite records and metadata in one canonical form (key order, quoting, "
        "line width), so that diffs show only real changes. Data never changes. "
        "With --check, change nothing: list the files that would change, exit 1.",
    )
    add_root(command)
    command.add_argument("--check", action="store_true", help="only report, exit 1 if any")
    add_quiet(command)
    command.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="only these files or folders (default: the whole repository)",
    )
    command.set_defaults(run=run)
    return command


def run(args: argparse.Namespace) -> int:
    layout = open_repository(args)
    selection = Selection.of_paths(layout, args.paths) if args.paths else Selection.everything()
    # The files are read under the lock they are written under: a command that writes them
    # meanwhile (reanchor) must not have its work reverted by this one.
    with contextlib.nullcontext() if args.check else writing_to(layout):
        with progress.shown("files", quiet=args.quiet) as tick:
            done = fmt.format_repository(layout, selection, tick)
        if not args.check:
            fmt.write(layout, done.changed)
    sys.stderr.write(report.as_text(done.problems))
    for formatted in done.changed:
        verb = "would reformat" if args.check else "reformatted"
        print(f"{verb} {report.visible(formatted.display)}")
    verb = "would be reformatted" if args.check else "reformatted"
    print(
        f"{len(done.files)} files checked: {len(done.changed)} {verb}, "
        f"{len(done.problems)} problems",
        file=sys.stderr,
    )
    failed = done.problems or (args.check and done.changed)
    return ExitCode.INVALID if failed else ExitCode.OK

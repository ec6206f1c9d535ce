"""`claims validate`: check every record and source, or some files, and print the problems."""

from __future__ import annotations

import argparse
import sys

from builder import progress, report
from builder.changes import changed_since
from builder.cli.common import Subcommands, add_jobs, add_quiet, add_root, open_repository
from builder.errors import ExitCode, UsageError
from builder.selection import Selection
from builder.validation import validate, validate_cached


def add(commands: Subcommands) -> argparse.ArgumentParser:
    command = commands.add_parser(
        "validate",
        help="check every record and source (or the given files)",
        description="Check the repository against its schemas and sources. Exit 0 when valid, "
        "1 when the data has errors, 2 on a usage error.",
    )
    add_root(command)
    command.add_argument(
        "--format",
        choices=sorted(report.FORMATS),
        default="text",
        help="how to print problems (default: text)",
    )
    command.add_argument("--strict", action="store_true", help="fail on warnings too")
    add_jobs(command)
    add_quiet(command)
    command.add_argument(
        "--changed-since",
        metavar="REF",
        help="check only the files changed since git revision REF, and the records that "
        "mention them (fast on a large repository; the same problems as a full run gives "
        "for those files)",
    )
    command.add_argument(
        "--no-cache",
        action="store_true",
        help="read and check every file, and neither use nor update the cache of earlier runs",
    )
    command.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="check only these files or folders (still against the whole repository)",
    )
    command.set_defaults(run=run)
    return command


def run(args: argparse.Namespace) -> int:
    layout = open_repository(args)
    only = None
    if args.changed_since is not None:
        if args.paths:
            raise UsageError("give either PATH arguments or --changed-since, not both")
        only = changed_since(layout, args.changed_since)
    elif args.paths:
        only = Selection.of_paths(layout, args.paths)
    with progress.shown("records", quiet=args.quiet) as tick:
        if only is None and not args.no_cache:
            result = validate_cached(layout, jobs=args.jobs, tick=tick)
        else:
            result = validate(layout, only=only, jobs=args.jobs, tick=tick)
    sys.stdout.write(report.FORMATS[args.format](result.problems))
    line = report.summary(len(result.files), result.errors, result.warnings)
    (sys.stderr if args.format == "json" else sys.stdout).write(line)
    return ExitCode.OK if result.success(strict=args.strict) else ExitCode.INVALID

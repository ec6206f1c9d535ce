"""The `claims` command: options and wiring only.

Exit codes: 0 success, 1 invalid data (or, for `locate`, text not found), 2 usage or environment
error. Bad data is reported as problems, never as a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from builder import __version__, anchoring, report
from builder.repository import RepositoryError, source_text_path
from builder.validation import validate

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A command-line mistake the user can fix; printed as one line, exit 2."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
    except (UsageError, RepositoryError) as error:
        print(f"claims: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    return code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="claims",
        description="Validate claim records against their sources and build the dataset.",
    )
    parser.add_argument("--version", action="version", version=f"claims {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate_cmd = commands.add_parser(
        "validate",
        help="check every record and source (or the given files)",
        description="Check the repository against its schemas and sources. Exit 0 when valid, "
        "1 when the data has errors, 2 on a usage error.",
    )
    _add_root(validate_cmd)
    validate_cmd.add_argument(
        "--format",
        choices=sorted(report.FORMATS),
        default="text",
        help="how to print problems (default: text)",
    )
    validate_cmd.add_argument("--strict", action="store_true", help="fail on warnings too")
    validate_cmd.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="report only on these files or folders (still checked against the whole repository)",
    )
    validate_cmd.set_defaults(run=_validate)

    locate_cmd = commands.add_parser(
        "locate",
        help="print `start end` of TEXT in a source",
        description="Print where TEXT occurs in the source as `start end`, one line each: exact "
        "matches first, then matches that differ only in whitespace, look-alike "
        "letters, quotation marks or dashes. Exit 1 when TEXT is not found.",
    )
    _add_root(locate_cmd)
    locate_cmd.add_argument("source_id", metavar="SOURCE_ID")
    locate_cmd.add_argument("text", metavar="TEXT")
    locate_cmd.set_defaults(run=_locate)
    return parser


def _add_root(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--root",
        type=Path,
        default=Path(),
        metavar="DIR",
        help="the claims repository (default: the current directory)",
    )


def _validate(args: argparse.Namespace) -> int:
    root: Path = args.root
    result = validate(root)
    if args.paths:
        files, folders = _selection(root, args.paths)
        result = result.restricted_to(files, folders)
    sys.stdout.write(report.FORMATS[args.format](result.problems))
    line = report.summary(len(result.files), result.errors, result.warnings)
    (sys.stderr if args.format == "json" else sys.stdout).write(line)
    return EXIT_OK if result.success(strict=args.strict) else EXIT_INVALID


def _selection(root: Path, paths: list[str]) -> tuple[set[str], set[str]]:
    """Split PATH arguments into files and folders relative to the root."""
    real_root = root.resolve()
    files: set[str] = set()
    folders: set[str] = set()
    for given in paths:
        path = Path(given).resolve()
        if not path.exists():
            raise UsageError(f"{given}: no such file or folder")
        if not path.is_relative_to(real_root):
            raise UsageError(f"{given} is not inside the repository {root}")
        relative = path.relative_to(real_root).as_posix()
        if path.is_dir():
            folders.add("" if relative == "." else relative + "/")
        else:
            files.add(relative)
    return files, folders


def _locate(args: argparse.Namespace) -> int:
    root: Path = args.root
    path = source_text_path(root, args.source_id)
    if path is None:
        raise UsageError(f"no source {args.source_id!r} in {root / 'claims' / 'sources'}")
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read {path}: {error}") from error
    matches = anchoring.locate(text, args.text)
    if not matches:
        print(
            f"claims: {args.text!r} does not occur in {args.source_id}, even allowing for "
            "whitespace and look-alike letters",
            file=sys.stderr,
        )
        return EXIT_INVALID
    for match in matches:
        print(match.start, match.end)
        if not match.exact:
            found = text[match.start : match.end]
            named = anchoring.differences(found, args.text)
            detail = f" (has {'; '.join(named)})" if named else ""
            print(
                f"note: {match.start} {match.end} is not an exact match: the source reads "
                f"{found!r}{detail}",
                file=sys.stderr,
            )
    return EXIT_OK

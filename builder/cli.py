"""The `claims` command: options and wiring only.

Exit codes: 0 success, 1 invalid data (or, for `locate`, text not found), 2 usage or environment
error. Bad data is reported as problems, never as a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from builder import __version__, anchoring, report
from builder.fmt import format_file, write
from builder.new import Draft, NewRecordError, create_record
from builder.repository import (
    RepositoryError,
    Selection,
    document_files,
    read_repository,
    record_path,
    require_repository,
    source_text_path,
)
from builder.show import render_claim
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

    new_cmd = commands.add_parser(
        "new",
        help="write a record skeleton with its span found in the source",
        description="Find QUOTE in the source (as `claims locate` does) and write a new record "
        "under claims/records/ with the span filled in. Fields left empty are named "
        "by `claims validate`. An existing record is never overwritten.",
    )
    _add_root(new_cmd)
    new_cmd.add_argument("--source", required=True, metavar="ID", help="the source id")
    new_cmd.add_argument(
        "--quote",
        required=True,
        metavar="TEXT",
        help="the words of the source where the claim is made",
    )
    new_cmd.add_argument(
        "--id",
        dest="claim_id",
        metavar="SLUG",
        help="the claim id (default: made from --claim or the quote)",
    )
    new_cmd.add_argument(
        "--start",
        type=int,
        metavar="N",
        help="which occurrence, when the quote occurs more than once",
    )
    new_cmd.add_argument("--folder", metavar="DIR", help="sub-folder of claims/records/")
    new_cmd.add_argument(
        "--claim",
        default="",
        metavar="SENTENCE",
        help="the checkable statement, one English sentence",
    )
    new_cmd.add_argument("--claimant", default="", metavar="NAME", help="who made the claim")
    new_cmd.add_argument(
        "--kind",
        default="",
        choices=["person", "organization"],
        help="whether the claimant is a person or an organization",
    )
    new_cmd.add_argument("--role", metavar="ROLE", help="the claimant's office or role")
    new_cmd.add_argument(
        "--date",
        default="",
        metavar="DATE",
        help="when the claim was made: YYYY-MM-DD, YYYY-MM or YYYY",
    )
    new_cmd.add_argument(
        "--topic",
        action="append",
        default=[],
        metavar="SLUG",
        help="a topic from claims/topics.yaml (repeat for several)",
    )
    new_cmd.add_argument(
        "--language",
        metavar="TAG",
        help="the quote's language (needed when the source has several)",
    )
    new_cmd.add_argument(
        "--translation",
        default="",
        metavar="TEXT",
        help="English translation, when the quote is not in English",
    )
    new_cmd.set_defaults(run=_new)

    fmt_cmd = commands.add_parser(
        "fmt",
        help="rewrite records and metadata in canonical form",
        description="Rewrite records and metadata in one canonical form (key order, quoting, "
        "line width), so that diffs show only real changes. Data never changes. "
        "With --check, change nothing: list the files that would change, exit 1.",
    )
    _add_root(fmt_cmd)
    fmt_cmd.add_argument("--check", action="store_true", help="only report, exit 1 if any")
    fmt_cmd.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="only these files or folders (default: the whole repository)",
    )
    fmt_cmd.set_defaults(run=_fmt)

    show_cmd = commands.add_parser(
        "show",
        help="print a claim with its spans highlighted in their sources",
        description="Print a claim, its verdict and each appearance and evidence span inside "
        "its source, the span highlighted (colour on a terminal, [[brackets]] "
        "otherwise).",
    )
    _add_root(show_cmd)
    show_cmd.add_argument("claim_id", metavar="ID")
    show_cmd.add_argument(
        "--color",
        choices=["auto", "always", "never"],
        default="auto",
        help="highlight with colour (default: on a terminal, unless NO_COLOR)",
    )
    show_cmd.set_defaults(run=_show)

    build_cmd = commands.add_parser(
        "build",
        help="validate, then write the Hugging Face dataset folder OUT/<version>/",
        description="Validate the repository, then write OUT/<version>/: parquet files for the "
        "claims, sources and evidence configs, the dataset card, croissant.json, "
        "claimreview.jsonl and SHA256SUMS. Nothing is written when validation finds errors; "
        "a previous build of the same version is replaced only once the new one is complete.",
    )
    _add_root(build_cmd)
    build_cmd.add_argument(
        "--out", type=Path, metavar="DIR", help="where to write (default: ROOT/dist)"
    )
    build_cmd.set_defaults(run=_build)
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
        result = result.restricted_to(_selection(root, args.paths))
    sys.stdout.write(report.FORMATS[args.format](result.problems))
    line = report.summary(len(result.files), result.errors, result.warnings)
    (sys.stderr if args.format == "json" else sys.stdout).write(line)
    return EXIT_OK if result.success(strict=args.strict) else EXIT_INVALID


def _selection(root: Path, paths: list[str]) -> Selection:
    """PATH arguments as a selection of files and folders relative to the root."""
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
    return Selection(frozenset(files), frozenset(folders))


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


def _new(args: argparse.Namespace) -> int:
    root: Path = args.root
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
    require_repository(root)
    try:
        path = create_record(root, draft)
    except NewRecordError as error:
        print(f"claims: {error}", file=sys.stderr)
        return EXIT_INVALID
    relative = path.relative_to(root).as_posix()
    print(relative)
    result = validate(root).restricted_to(Selection(files=frozenset({relative})))
    if result.problems:
        print(
            f"still to fill in ({len(result.problems)}), as `claims validate` reports them:",
            file=sys.stderr,
        )
        sys.stderr.write(report.as_text(result.problems))
    return EXIT_OK


def _fmt(args: argparse.Namespace) -> int:
    root: Path = args.root
    require_repository(root)
    selection = _selection(root, args.paths) if args.paths else Selection(folders=frozenset({""}))
    results = []
    for path, kind in document_files(root):
        display = path.relative_to(root).as_posix()
        if not selection.includes(display):
            continue
        results.append(format_file(path, display, kind))
    problems = [problem for result in results for problem in result.problems]
    changed = [result for result in results if result.changed]
    sys.stderr.write(report.as_text(problems))
    for result in changed:
        if args.check:
            print(f"would reformat {result.display}")
        else:
            write(result)
            print(f"reformatted {result.display}")
    verb = "would be reformatted" if args.check else "reformatted"
    print(
        f"{len(results)} files checked: {len(changed)} {verb}, {len(problems)} problems",
        file=sys.stderr,
    )
    return EXIT_INVALID if problems or (args.check and changed) else EXIT_OK


def _show(args: argparse.Namespace) -> int:
    root: Path = args.root
    repository = read_repository(root).repository
    claim = next((c for c in repository.claims if c.id == args.claim_id), None)
    if claim is None:
        path = record_path(root, args.claim_id)
        reason = "has problems: run `claims validate`" if path else "does not exist"
        print(f"claims: claim {args.claim_id!r} {reason}", file=sys.stderr)
        return EXIT_INVALID
    color = args.color == "always" or (
        args.color == "auto" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    )
    sys.stdout.write(render_claim(repository, claim, color=color))
    return EXIT_OK


def _build(args: argparse.Namespace) -> int:
    # datasets and pyarrow take a second or two to import: only the commands that write or read
    # built datasets pay for them.
    from builder.build import NothingToBuildError, build

    root: Path = args.root
    require_repository(root)
    result = validate(root)
    sys.stderr.write(report.as_text(result.problems))
    if not result.success():
        sys.stderr.write(report.summary(len(result.files), result.errors, result.warnings))
        print("claims: nothing built: fix the errors above first", file=sys.stderr)
        return EXIT_INVALID
    try:
        target = build(root, result.repository, args.out if args.out else root / "dist")
    except NothingToBuildError as error:
        print(f"claims: {error}", file=sys.stderr)
        return EXIT_INVALID
    print(target)
    print(
        f'load it with: datasets.load_dataset({str(target)!r}, "claims")',
        file=sys.stderr,
    )
    return EXIT_OK

"""The `claims` command: options and wiring only.

Exit codes: 0 success, 1 invalid data (or, for `locate`, text not found), 2 usage or environment
error. Bad data is reported as problems, never as a traceback.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TypeAlias

from builder import __version__, anchoring, dates, report
from builder.add_source import AddSourceError, SourceDraft, add_source
from builder.changes import ChangesError, changed_since
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


# What `add_subparsers` returns: argparse has no public name for it.
Subcommands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


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
    for add in (
        _validate_command,
        _locate_command,
        _new_command,
        _fmt_command,
        _show_command,
        _build_command,
        _diff_command,
        _release_command,
        _publish_command,
        _add_source_command,
        _reanchor_command,
    ):
        add(commands)
    return parser


def _validate_command(commands: Subcommands) -> None:
    command = commands.add_parser(
        "validate",
        help="check every record and source (or the given files)",
        description="Check the repository against its schemas and sources. Exit 0 when valid, "
        "1 when the data has errors, 2 on a usage error.",
    )
    _add_root(command)
    command.add_argument(
        "--format",
        choices=sorted(report.FORMATS),
        default="text",
        help="how to print problems (default: text)",
    )
    command.add_argument("--strict", action="store_true", help="fail on warnings too")
    _add_jobs(command)
    command.add_argument(
        "--changed-since",
        metavar="REF",
        help="check only the files changed since git revision REF, and the records that "
        "mention them (fast on a large repository; the same problems as a full run gives "
        "for those files)",
    )
    command.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="check only these files or folders (still against the whole repository)",
    )
    command.set_defaults(run=_validate)


def _locate_command(commands: Subcommands) -> None:
    command = commands.add_parser(
        "locate",
        help="print `start end` of TEXT in a source",
        description="Print where TEXT occurs in the source as `start end`, one line each: exact "
        "matches first, then matches that differ only in whitespace, look-alike "
        "letters, quotation marks or dashes. Exit 1 when TEXT is not found.",
    )
    _add_root(command)
    command.add_argument("source_id", metavar="SOURCE_ID")
    command.add_argument("text", metavar="TEXT")
    command.set_defaults(run=_locate)


def _new_command(commands: Subcommands) -> None:
    command = commands.add_parser(
        "new",
        help="write a record skeleton with its span found in the source",
        description="Find QUOTE in the source (as `claims locate` does) and write a new record "
        "under claims/records/ with the span filled in. Fields left empty are named "
        "by `claims validate`. An existing record is never overwritten.",
    )
    _add_root(command)
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
    command.set_defaults(run=_new)


def _fmt_command(commands: Subcommands) -> None:
    command = commands.add_parser(
        "fmt",
        help="rewrite records and metadata in canonical form",
        description="Rewrite records and metadata in one canonical form (key order, quoting, "
        "line width), so that diffs show only real changes. Data never changes. "
        "With --check, change nothing: list the files that would change, exit 1.",
    )
    _add_root(command)
    command.add_argument("--check", action="store_true", help="only report, exit 1 if any")
    command.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="only these files or folders (default: the whole repository)",
    )
    command.set_defaults(run=_fmt)


def _show_command(commands: Subcommands) -> None:
    command = commands.add_parser(
        "show",
        help="print a claim with its spans highlighted in their sources",
        description="Print a claim, its verdict and each appearance and evidence span inside "
        "its source, the span highlighted (colour on a terminal, [[brackets]] "
        "otherwise).",
    )
    _add_root(command)
    command.add_argument("claim_id", metavar="ID")
    command.add_argument(
        "--color",
        choices=["auto", "always", "never"],
        default="auto",
        help="highlight with colour (default: on a terminal, unless NO_COLOR)",
    )
    command.set_defaults(run=_show)


def _build_command(commands: Subcommands) -> None:
    command = commands.add_parser(
        "build",
        help="validate, then write the Hugging Face dataset folder OUT/<version>/",
        description="Validate the repository, then write OUT/<version>/: parquet files for the "
        "claims, sources and evidence configs, the dataset card, croissant.json, "
        "claimreview.jsonl and SHA256SUMS. Nothing is written when validation finds errors; "
        "a previous build of the same version is replaced only once the new one is complete.",
    )
    _add_root(command)
    command.add_argument(
        "--out", type=Path, metavar="DIR", help="where to write (default: ROOT/dist)"
    )
    _add_jobs(command)
    command.set_defaults(run=_build)


def _diff_command(commands: Subcommands) -> None:
    command = commands.add_parser(
        "diff",
        help="claims added, removed and changed between two versions",
        description="Compare two versions of the dataset, each given as a built folder "
        "(dist/0.1.0), a claims repository folder, or a git revision of the repository at "
        "--root (v0.1.0, HEAD~3, main). Lists claims added, removed and changed, field by "
        "field, and the release that the changes call for.",
    )
    _add_root(command)
    command.add_argument("old", metavar="OLD")
    command.add_argument("new", metavar="NEW")
    command.add_argument(
        "--format",
        choices=["text", "json", "markdown"],
        default="text",
        help="how to print the changes (default: text)",
    )
    command.set_defaults(run=_diff)


def _release_command(commands: Subcommands) -> None:
    command = commands.add_parser(
        "release",
        help="write the next version into dataset.yaml and CHANGELOG.md",
        description="Compare the repository with its last release (the commit that added the "
        "newest CHANGELOG.md entry), choose the version bump the changes call for (removed "
        "claims or moved splits: major; added claims: minor; corrections: patch), and write "
        "the new version into claims/dataset.yaml and a dated entry into CHANGELOG.md. The "
        "first release keeps the version dataset.yaml has.",
    )
    _add_root(command)
    command.add_argument(
        "--bump",
        choices=["major", "minor", "patch"],
        help="bump more than the changes call for (never less)",
    )
    command.add_argument(
        "--date",
        type=_iso_date,
        metavar="YYYY-MM-DD",
        help="the release date for the changelog (default: today, in UTC)",
    )
    command.set_defaults(run=_release)


def _publish_command(commands: Subcommands) -> None:
    command = commands.add_parser(
        "publish",
        help="upload a build and tag it v<version>",
        description="Publish a built folder (checked against its SHA256SUMS first) to a "
        "Hugging Face dataset repository (--repo-id; the token comes from HF_TOKEN) or to a "
        "git repository (--git), as one commit tagged v<version>. Files of the previous version "
        "that the build lacks are deleted. An existing tag is never moved: publishing the same "
        "files again does nothing, different files are refused.",
    )
    command.add_argument("folder", type=Path, metavar="DIST_DIR")
    target = command.add_mutually_exclusive_group(required=True)
    target.add_argument("--repo-id", metavar="OWNER/NAME", help="the Hub dataset repository")
    target.add_argument("--git", metavar="PATH_OR_URL", help="a git repository to push to")
    command.add_argument(
        "--dry-run", action="store_true", help="say what would be done, change nothing"
    )
    command.set_defaults(run=_publish)


def _add_source_command(commands: Subcommands) -> None:
    command = commands.add_parser(
        "add-source",
        help="add a source document: its text byte for byte, and a metadata skeleton",
        description="Copy FILE byte for byte to claims/sources/ID.txt (never normalised: "
        "offsets count its characters as stored), pin it by SHA-256 and write the metadata "
        "skeleton claims/sources/ID.yaml. Fields left empty are named by `claims validate`. "
        "Existing files are never overwritten.",
    )
    _add_root(command)
    command.add_argument("file", type=Path, metavar="FILE", help="the text, UTF-8")
    command.add_argument("--id", dest="source_id", required=True, metavar="SLUG")
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
    command.add_argument("--rights", help="who holds the rights, and the terms of reuse")
    command.set_defaults(run=_add_source)


def _reanchor_command(commands: Subcommands) -> None:
    command = commands.add_parser(
        "reanchor",
        help="replace a source's text and re-locate every span into it",
        description="Replace the text of SOURCE_ID with NEW_TEXT_FILE (byte for byte), record "
        "the old sha256 under `revisions`, and find every span into the source again: by where "
        "the revision moved it, then by its quote and context, then tolerantly (whitespace, "
        "look-alike letters), then fuzzily (at most 10%% of the quote edited). Reports each "
        "span as unchanged, moved, changed-quote, ambiguous or lost. Ambiguous and lost spans "
        "are left as they were, for `claims validate` to point at; they make the exit code 1.",
    )
    _add_root(command)
    command.add_argument("source_id", metavar="SOURCE_ID")
    command.add_argument("new_text", type=Path, metavar="NEW_TEXT_FILE")
    command.add_argument("--dry-run", action="store_true", help="report only, change nothing")
    command.add_argument(
        "--reason",
        default="text revised",
        help="why the text changed, for the source's revisions list",
    )
    command.add_argument(
        "--date",
        type=_iso_date,
        metavar="YYYY-MM-DD",
        help="the revision's date (default: today, in UTC)",
    )
    command.add_argument(
        "--format", choices=["text", "json"], default="text", help="how to print the report"
    )
    command.set_defaults(run=_reanchor)


def _add_jobs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--jobs",
        type=_positive,
        default=os.cpu_count() or 1,
        metavar="N",
        help="check records in N processes (default: one per core)",
    )


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
    only = None
    if args.changed_since is not None:
        if args.paths:
            raise UsageError("give either PATH arguments or --changed-since, not both")
        require_repository(root)
        try:
            only = changed_since(root, args.changed_since)
        except ChangesError as error:
            raise UsageError(str(error)) from error
    elif args.paths:
        only = _selection(root, args.paths)
    result = validate(root, only=only, jobs=args.jobs)
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
    _written(root, [path])
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
    result = validate(root, jobs=args.jobs)
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


def _diff(args: argparse.Namespace) -> int:
    from builder import versioning
    from builder.snapshot import SnapshotError, snapshot

    root: Path = args.root
    try:
        old, new = snapshot(args.old, root), snapshot(args.new, root)
    except SnapshotError as error:
        raise UsageError(str(error)) from error
    sys.stdout.write(versioning.FORMATS[args.format](versioning.diff(old, new), old, new))
    return EXIT_OK


def _release(args: argparse.Namespace) -> int:
    from builder import versioning
    from builder.snapshot import SnapshotError

    root: Path = args.root
    require_repository(root)
    try:
        made = versioning.release(root, args.bump, args.date or dates.today())
    except (versioning.ReleaseError, SnapshotError) as error:
        print(f"claims: {error}", file=sys.stderr)
        return EXIT_INVALID
    since = f" ({made.bump} release after {made.previous})" if made.previous else " (first release)"
    print(f"version {made.version}{since}")
    print(
        "wrote claims/dataset.yaml and CHANGELOG.md: review the entry, commit both, then "
        f"`claims build` and `claims publish dist/{made.version} ...`",
        file=sys.stderr,
    )
    return EXIT_OK


def _iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2026-11-22") from error


def _publish(args: argparse.Namespace) -> int:
    from builder.publish import Built, PublishError, publish_git, publish_hub

    folder: Path = args.folder
    if not folder.is_dir():
        raise UsageError(f"{folder}: no such folder")
    token = os.environ.get("HF_TOKEN") or None
    if args.repo_id and not token and not args.dry_run:
        raise UsageError("set HF_TOKEN to a Hugging Face token with write access to publish")
    try:
        built = Built.read(folder)
        if args.git:
            done = publish_git(built, args.git, dry_run=args.dry_run)
        else:
            done = publish_hub(built, args.repo_id, token=token, dry_run=args.dry_run)
    except PublishError as error:
        print(f"claims: {error}", file=sys.stderr)
        return EXIT_INVALID
    print("\n".join(done))
    return EXIT_OK


def _add_source(args: argparse.Namespace) -> int:
    root: Path = args.root
    require_repository(root)
    draft = SourceDraft(
        id=args.source_id,
        title=args.title,
        publisher=args.publisher,
        published=args.published,
        languages=tuple(args.language),
        url=args.url,
        rights=args.rights,
    )
    try:
        paths = add_source(root, args.file, draft)
    except AddSourceError as error:
        print(f"claims: {error}", file=sys.stderr)
        return EXIT_INVALID
    _written(root, list(paths))
    return EXIT_OK


def _written(root: Path, paths: list[Path]) -> None:
    """Print the files a command wrote, then what is still to fill in, as validate says it."""
    relative = [path.relative_to(root).as_posix() for path in paths]
    print("\n".join(relative))
    result = validate(root, only=Selection(files=frozenset(relative)))
    if result.problems:
        print(
            f"still to fill in ({len(result.problems)}), as `claims validate` reports them:",
            file=sys.stderr,
        )
        sys.stderr.write(report.as_text(result.problems))


def _reanchor(args: argparse.Namespace) -> int:
    from builder import reanchor

    root: Path = args.root
    require_repository(root)
    try:
        new_text = args.new_text.read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read {args.new_text}: {error.strerror}") from error
    try:
        plan = reanchor.plan(
            root,
            args.source_id,
            new_text,
            reason=args.reason,
            today=args.date or dates.today(),
        )
        render = reanchor.as_json if args.format == "json" else reanchor.as_text
        sys.stdout.write(render(plan.spans))
        if not args.dry_run:
            reanchor.apply(plan)
    except reanchor.ReanchorError as error:
        print(f"claims: {error}", file=sys.stderr)
        return EXIT_INVALID
    if not plan.settled:
        print(
            "claims: some spans are ambiguous or lost and were left as they were; "
            "`claims validate` shows each",
            file=sys.stderr,
        )
    return EXIT_OK if plan.settled else EXIT_INVALID


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a positive whole number")
    return int(value)

"""`claims release`: the next version of the dataset, its number chosen from what changed since
the last release (`diff.Diff.bump`), written into claims/dataset.yaml with a dated entry at the
top of CHANGELOG.md, both files or neither."""

from __future__ import annotations

import datetime

import attrs

from builder import changelog, git
from builder.canonical import canonical_file
from builder.diff import BUMPS, Changes, Diff, bumped, changelog_body, diff, summary
from builder.errors import InvalidDataError, NotFoundError, UsageError
from builder.layout import CHANGELOG, CLAIMS, DATASET, Kind, Layout
from builder.model import DatasetMetadata
from builder.problems import Problem
from builder.snapshot import Snapshot, claims_of, from_git
from builder.validation import validate
from builder.writing import FileWrite, write_files


@attrs.frozen
class Release:
    version: str
    previous: str | None
    bump: str | None
    diff: Diff


def release(
    layout: Layout, bump: str | None, today: datetime.date, *, commit: bool = True
) -> Release:
    """Write the next version into dataset.yaml and its entry into CHANGELOG.md; with
    `commit`, commit both and tag the commit v<version> (annotated)."""
    entries = changelog.read(layout.path(CHANGELOG))
    result = validate(layout)
    if not result.success() or result.repository.dataset is None:
        errors = [p for p in result.problems if p.severity.value == "error"]
        raise InvalidDataError("nothing released: fix the errors above first", errors)
    metadata = result.repository.dataset
    current = metadata.version
    new = claims_of(result)
    if not entries:
        if bump:
            raise UsageError(
                f"there is no earlier release to bump from: the first release is {current}, "
                f"the version in {DATASET} (change it there to start elsewhere)"
            )
        changes = Diff(claims=Changes(added=tuple(sorted(new.claims))))
        body = _first_entry(new)
        version = current
    else:
        last = entries[0]
        if last.version != current:
            raise InvalidDataError(
                f"{DATASET} says version {current}, but the last release in "
                f"{CHANGELOG} is {last.version}: `claims release` sets the version itself"
            )
        changes = diff(
            # The last release as the tool reads it today: a field that became required
            # since is a change to report, not an error that stops the release.
            from_git(layout.root, _release_commit(layout, last.version)),
            new,
        )
        proposed = changes.bump()
        if proposed is None:
            raise NotFoundError(f"nothing changed since {last.version}: nothing to release")
        if bump is not None and BUMPS.index(bump) < BUMPS.index(proposed):
            raise UsageError(
                f"a {bump} release cannot carry these changes: {summary(changes)}; "
                f"use --bump {proposed} or higher"
            )
        bump = bump or proposed
        version = bumped(current, bump)
        body = changelog_body(changes, new)
    entry = changelog.Entry(version, today.isoformat(), body)
    if commit:
        # Everything the commit and the tag need is checked before a file is written: a
        # release that stopped after writing, or after committing, would be half done.
        _require_committed(layout)
        _require_free_tag(layout, f"v{version}")
    _write_release(layout, attrs.evolve(metadata, version=version), entry)
    if commit:
        message = f"Release {version}"
        git.commit_files(layout.root, [DATASET, CHANGELOG], message)
        git.tag(layout.root, f"v{version}", message)
    return Release(version, entries[0].version if entries else None, bump, changes)


def _require_committed(layout: Layout) -> None:
    """A release commit holds what its changelog describes: nothing may wait uncommitted."""
    git.require_repository(layout.root)
    waiting = git.uncommitted(layout.root, [CLAIMS, CHANGELOG])
    if waiting:
        raise UsageError(
            f"{len(waiting)} files have changes that are not committed ({', '.join(waiting[:3])}"
            f"{', ...' if len(waiting) > 3 else ''}): commit them first, or release with "
            "--no-commit and commit yourself"
        )


def _require_free_tag(layout: Layout, tag: str) -> None:
    """A release is tagged v<version>, and a tag, once made, never moves."""
    if git.tag_exists(layout.root, tag):
        raise UsageError(
            f"the tag {tag} already exists in {layout.root}: version {tag[1:]} was released "
            "from another line of history, which this one lacks (merge it first, or delete the "
            "tag if it was made by mistake); nothing was written"
        )


def _first_entry(snapshot: Snapshot) -> str:
    claims = snapshot.claims
    sources = {
        span["source"]
        for claim in claims.values()
        for span in [*claim["appearances"], *claim["evidence"]]
    }
    reviewed = sum(1 for claim in claims.values() if claim["verdict"] is not None)
    return (
        f"### Added\n\n- First release: {_count(len(claims), 'claim')} quoting "
        f"{_count(len(sources), 'source')}, {reviewed} of them reviewed.\n"
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _release_commit(layout: Layout, version: str) -> str:
    """The commit that added the changelog heading of `version`: the released state."""
    heading = f"## [{version}]"
    git.require_repository(layout.root)
    commit = git.last_commit_adding(layout.root, heading, CHANGELOG)
    if commit is None:
        raise UsageError(
            f"cannot find the commit of release {version} (the one adding '{heading}' to "
            f"{CHANGELOG}) in the git history of {layout.root}: commit that release first"
        )
    return commit


def _write_release(layout: Layout, metadata: DatasetMetadata, entry: changelog.Entry) -> None:
    """The new version into dataset.yaml and the entry into CHANGELOG.md, both or neither."""
    original = metadata.origin.path
    dataset = canonical_file(
        layout.path(original).read_bytes().decode("utf-8"),
        original,
        Kind.DATASET,
        metadata.to_data(),
    )
    if isinstance(dataset, Problem):
        raise InvalidDataError(f"cannot write the new version into {DATASET}", [dataset])
    log = layout.path(CHANGELOG)
    text = log.read_text(encoding="utf-8") if log.is_file() else None
    write_files(
        [
            FileWrite(layout.path(original), dataset.encode("utf-8")),
            FileWrite(log, changelog.add_entry(text, entry).encode("utf-8")),
        ],
        layout.state,
    )

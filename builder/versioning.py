"""Versions of the dataset: what changed between two (`claims diff`), and the next release
(`claims release`), its semantic version chosen from what changed.

A user who pins a major version must never lose a claim or see one change split; so removed
claims (a changed id is a removal and an addition) and moved splits make a major release,
added claims a minor one, and corrections to existing claims a patch.
"""

from __future__ import annotations

import datetime
import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

from builder import changelog
from builder.fmt import updated_file, write
from builder.loader import Document, load_file
from builder.schemas import Kind
from builder.snapshot import Snapshot, from_git, from_repository

BUMPS = ("patch", "minor", "major")


@attrs.frozen
class FieldChange:
    field: str
    old: Any
    new: Any


@attrs.frozen
class Change:
    id: str
    fields: tuple[FieldChange, ...]


@attrs.frozen
class Diff:
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[Change, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    @property
    def moved(self) -> tuple[str, ...]:
        """Claims whose split changed: a breaking change for anyone who trained on a split."""
        return tuple(c.id for c in self.changed if any(f.field == "split" for f in c.fields))

    def bump(self) -> str | None:
        """The smallest version bump that describes this diff honestly; None for no change."""
        if self.removed or self.moved:
            return "major"
        if self.added:
            return "minor"
        return "patch" if self.changed else None


def diff(old: Snapshot, new: Snapshot) -> Diff:
    changed = []
    for claim_id in sorted(old.keys() & new.keys()):
        before, after = old[claim_id], new[claim_id]
        fields = tuple(
            FieldChange(name, before.get(name), after.get(name))
            for name in dict.fromkeys([*before, *after])
            if before.get(name) != after.get(name)
        )
        if fields:
            changed.append(Change(claim_id, fields))
    return Diff(
        added=tuple(sorted(new.keys() - old.keys())),
        removed=tuple(sorted(old.keys() - new.keys())),
        changed=tuple(changed),
    )


def bumped(version: str, bump: str) -> str:
    major, minor, patch = (int(part) for part in version.split("."))
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


# Rendering -------------------------------------------------------------------------------------


def as_text(result: Diff) -> str:
    lines = [f"+ {claim_id}" for claim_id in result.added]
    lines += [f"- {claim_id}" for claim_id in result.removed]
    for change in result.changed:
        lines.append(f"~ {change.id}")
        lines += [f"    {f.field}: {_short(f.old)} -> {_short(f.new)}" for f in change.fields]
    lines.append(_summary(result))
    return "\n".join(lines) + "\n"


def as_json(result: Diff) -> str:
    document = {
        "added": list(result.added),
        "removed": list(result.removed),
        "changed": [
            {"id": c.id, "fields": [attrs.asdict(f) for f in c.fields]} for c in result.changed
        ],
        "bump": result.bump(),
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def as_markdown(result: Diff, old: Snapshot | None = None, new: Snapshot | None = None) -> str:
    """A review summary (for a pull request's job summary): a table of the claims added,
    removed and changed, field by field, and a table of the verdicts that changed."""
    lines = [f"### Dataset changes: {_summary(result)}", ""]
    if result.empty:
        return "\n".join([*lines, "No claim changed."]) + "\n"
    lines += ["| change | claim | fields |", "|---|---|---|"]
    lines += [f"| added | `{i}` | {_cell(_claim_text(new, i))} |" for i in result.added]
    lines += [f"| removed | `{i}` | {_cell(_claim_text(old, i))} |" for i in result.removed]
    lines += [
        f"| changed | `{c.id}` | {_cell('; '.join(_field_note(f) for f in c.fields))} |"
        for c in result.changed
    ]
    verdicts = [
        (c.id, field.old, field.new)
        for c in result.changed
        for field in c.fields
        if field.field == "verdict"
    ]
    verdicts += [(i, -1, (new or {})[i].get("verdict", -1)) for i in result.added if new]
    verdicts = [(i, before, after) for i, before, after in verdicts if before != after]
    if verdicts:
        lines += ["", "#### Verdicts", "", "| claim | before | after |", "|---|---|---|"]
        lines += [f"| `{i}` | {_verdict(b)} | {_verdict(a)} |" for i, b, a in sorted(verdicts)]
    return "\n".join(lines) + "\n"


def changelog_body(result: Diff) -> str:
    """Keep a Changelog sections (Added, Removed, Changed): the body of a release entry."""
    sections = []
    if result.added:
        sections.append("### Added\n\n" + "\n".join(f"- `{i}`" for i in result.added))
    if result.removed:
        sections.append("### Removed\n\n" + "\n".join(f"- `{i}`" for i in result.removed))
    if result.changed:
        lines = [
            f"- `{c.id}`: " + ", ".join(_field_note(f) for f in c.fields) for c in result.changed
        ]
        sections.append("### Changed\n\n" + "\n".join(lines))
    return "\n\n".join(sections) + "\n"


def _claim_text(claims: Snapshot | None, claim_id: str) -> str:
    return str((claims or {}).get(claim_id, {}).get("claim", ""))


def _verdict(value: Any) -> str:
    return "not reviewed" if value in (-1, None) else str(value)


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


FORMATS: dict[str, Callable[[Diff, Snapshot, Snapshot], str]] = {
    "text": lambda result, old, new: as_text(result),
    "json": lambda result, old, new: as_json(result),
    "markdown": as_markdown,
}


def _summary(result: Diff) -> str:
    bump = result.bump()
    return (
        f"{len(result.added)} added, {len(result.removed)} removed, "
        f"{len(result.changed)} changed" + (f" (a {bump} release)" if bump else "")
    )


def _field_note(change: FieldChange) -> str:
    if change.field == "split":
        return f"moved from split `{change.old}` to `{change.new}`"
    if _scalar(change.old) and _scalar(change.new):
        return f"{change.field} {_short(change.old)} → {_short(change.new)}"
    return change.field


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float))


def _short(value: Any, limit: int = 100) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# Releases --------------------------------------------------------------------------------------


class ReleaseError(Exception):
    """A release that cannot be made as asked; the message says why and what to do."""


@attrs.frozen
class Release:
    version: str
    previous: str | None
    bump: str | None
    diff: Diff


def release(root: Path, bump: str | None, today: datetime.date) -> Release:
    """Write the next version into dataset.yaml and its entry into CHANGELOG.md."""
    entries = changelog.read(root)
    dataset_path = root / "claims" / "dataset.yaml"
    document = load_file(dataset_path, "claims/dataset.yaml")
    if not isinstance(document, Document):
        raise ReleaseError("claims/dataset.yaml does not load: run `claims validate`")
    current = document.data["version"]
    new = from_repository(root, valid=True)
    if not entries:
        if bump:
            raise ReleaseError(
                f"there is no earlier release to bump from: the first release is {current}, "
                "the version in claims/dataset.yaml (change it there to start elsewhere)"
            )
        result = Diff(added=tuple(sorted(new)))
        body = _first_entry(new)
        version = current
    else:
        last = entries[0]
        if last.version != current:
            raise ReleaseError(
                f"claims/dataset.yaml says version {current}, but the last release in "
                f"{changelog.FILE} is {last.version}: `claims release` sets the version itself"
            )
        result = diff(from_git(root, _release_commit(root, last.version), valid=True), new)
        proposed = result.bump()
        if proposed is None:
            raise ReleaseError(f"no claim changed since {last.version}: nothing to release")
        if bump is not None and BUMPS.index(bump) < BUMPS.index(proposed):
            raise ReleaseError(
                f"a {bump} release cannot carry these changes: {_summary(result)}; "
                f"use --bump {proposed} or higher"
            )
        bump = bump or proposed
        version = bumped(current, bump)
        body = changelog_body(result)
    _write_release(root, document, version, changelog.Entry(version, today.isoformat(), body))
    return Release(version, entries[0].version if entries else None, bump, result)


def _first_entry(claims: Snapshot) -> str:
    sources = {
        span["source"]
        for claim in claims.values()
        for span in [*claim["appearances"], *claim["evidence"]]
    }
    reviewed = sum(1 for claim in claims.values() if claim["verdict"] != -1)
    return (
        f"### Added\n\n- First release: {_count(len(claims), 'claim')} quoting "
        f"{_count(len(sources), 'source')}, {reviewed} of them reviewed.\n"
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _release_commit(root: Path, version: str) -> str:
    """The commit that added the changelog heading of `version`: the released state."""
    heading = f"## [{version}]"
    result = subprocess.run(
        ["git", "-C", str(root), "log", "-1", "--format=%H", "-S", heading, "--", changelog.FILE],
        capture_output=True,
        text=True,
        check=False,
    )
    commit = result.stdout.strip()
    if result.returncode != 0 or not commit:
        raise ReleaseError(
            f"cannot find the commit of release {version} (the one adding '{heading}' to "
            f"{changelog.FILE}) in the git history of {root}: commit that release first"
        )
    return commit


def _write_release(root: Path, document: Document, version: str, entry: changelog.Entry) -> None:
    dataset = updated_file(
        root / "claims" / "dataset.yaml",
        "claims/dataset.yaml",
        Kind.DATASET,
        {**document.data, "version": version},
    )
    if dataset.canonical is None:
        raise ReleaseError(
            "; ".join(f"{p.file}:{p.line}:{p.column}: {p.message}" for p in dataset.problems)
        )
    path = root / changelog.FILE
    original = path.read_text(encoding="utf-8") if path.is_file() else None
    log = attrs.evolve(
        dataset,
        path=path,
        display=changelog.FILE,
        original=original,
        canonical=changelog.add_entry(original, entry),
    )
    write(dataset)
    write(log)

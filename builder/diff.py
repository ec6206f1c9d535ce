"""What changed between two versions of the dataset (`claims diff`), and the release that the
changes call for.

A user who pins a major version must never lose a claim or see one change split; so removed
claims (a changed id is a removal and an addition) and moved splits make a major release,
added claims a minor one, and corrections to existing claims a patch.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import attrs

from builder.report import visible
from builder.snapshot import Snapshot

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
    lines.append(summary(result))
    return "".join(f"{visible(line)}\n" for line in lines)


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
    lines = [f"### Dataset changes: {summary(result)}", ""]
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
    verdicts += [(i, None, (new or {})[i].get("verdict")) for i in result.added if new]
    verdicts = [(i, before, after) for i, before, after in verdicts if before != after]
    if verdicts:
        lines += ["", "#### Verdicts", "", "| claim | before | after |", "|---|---|---|"]
        lines += [f"| `{i}` | {_verdict(b)} | {_verdict(a)} |" for i, b, a in sorted(verdicts)]
    return "".join(f"{visible(line)}\n" for line in lines)


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
    return "not reviewed" if value is None else str(value)


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


FORMATS: dict[str, Callable[[Diff, Snapshot, Snapshot], str]] = {
    "text": lambda result, old, new: as_text(result),
    "json": lambda result, old, new: as_json(result),
    "markdown": as_markdown,
}


def summary(result: Diff) -> str:
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

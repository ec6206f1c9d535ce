"""What changed between two versions of the dataset (`claims diff`), and the release that the
changes call for: claims, sources and the dataset's metadata alike, since each of them changes
what a user downloads.

A user who pins a major version must never lose a row or see a claim change split; so removed
claims or sources (a changed id is a removal and an addition) and moved splits make a major
release. New claims or sources, and a changed verdict, are new information: a minor release.
Corrections of texts, metadata and spans are a patch.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import attrs

from builder.markdown import text as md
from builder.report import visible
from builder.snapshot import Rows, Snapshot

BUMPS = ("patch", "minor", "major")
# Fields of a claim whose change moves it between splits, and of the metadata that a release
# itself changes.
SPLITS = ("split", "labelled_split")
RELEASED = ("version",)


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
class Changes:
    """Rows added, removed and changed (field by field), by id."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[Change, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


@attrs.frozen
class Diff:
    claims: Changes = Changes()
    sources: Changes = Changes()
    metadata: tuple[FieldChange, ...] = ()

    @property
    def empty(self) -> bool:
        return self.claims.empty and self.sources.empty and not self.metadata

    @property
    def moved(self) -> tuple[str, ...]:
        """Claims whose split changed: a breaking change for anyone who trained on a split."""
        return tuple(
            c.id
            for c in self.claims.changed
            if any(f.field in SPLITS and f.old is not None and f.new is not None for f in c.fields)
        )

    @property
    def verdicts(self) -> tuple[tuple[str, Any, Any], ...]:
        """(claim, old verdict, new verdict) for every verdict that changed."""
        return tuple(
            (c.id, f.old, f.new)
            for c in self.claims.changed
            for f in c.fields
            if f.field == "verdict"
        )

    def bump(self) -> str | None:
        """The smallest version bump that describes this diff honestly; None for no change."""
        if self.claims.removed or self.sources.removed or self.moved:
            return "major"
        if self.claims.added or self.sources.added or self.verdicts:
            return "minor"
        return None if self.empty else "patch"


def diff(old: Snapshot, new: Snapshot) -> Diff:
    metadata: tuple[FieldChange, ...] = ()
    if old.metadata is not None and new.metadata is not None:
        metadata = _fields(old.metadata, new.metadata, skip=RELEASED)
    return Diff(_changes(old.claims, new.claims), _changes(old.sources, new.sources), metadata)


def _changes(old: Rows, new: Rows) -> Changes:
    changed = []
    for row_id in sorted(old.keys() & new.keys()):
        fields = _fields(old[row_id], new[row_id])
        if fields:
            changed.append(Change(row_id, fields))
    return Changes(
        added=tuple(sorted(new.keys() - old.keys())),
        removed=tuple(sorted(old.keys() - new.keys())),
        changed=tuple(changed),
    )


def _fields(
    before: dict[str, Any], after: dict[str, Any], skip: tuple[str, ...] = ()
) -> tuple[FieldChange, ...]:
    return tuple(
        FieldChange(name, before.get(name), after.get(name))
        for name in dict.fromkeys([*before, *after])
        if name not in skip and before.get(name) != after.get(name)
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
    lines = _text_lines(result.claims, "")
    lines += _text_lines(result.sources, "source ")
    if result.metadata:
        lines.append("~ dataset metadata")
        lines += [f"    {f.field}: {_short(f.old)} -> {_short(f.new)}" for f in result.metadata]
    lines.append(summary(result))
    return "".join(f"{visible(line)}\n" for line in lines)


def _text_lines(changes: Changes, label: str) -> list[str]:
    lines = [f"+ {label}{row_id}" for row_id in changes.added]
    lines += [f"- {label}{row_id}" for row_id in changes.removed]
    for change in changes.changed:
        lines.append(f"~ {label}{change.id}")
        lines += [f"    {f.field}: {_short(f.old)} -> {_short(f.new)}" for f in change.fields]
    return lines


def as_json(result: Diff) -> str:
    def changes(part: Changes) -> dict[str, Any]:
        return {
            "added": list(part.added),
            "removed": list(part.removed),
            "changed": [
                {"id": c.id, "fields": [attrs.asdict(f) for f in c.fields]} for c in part.changed
            ],
        }

    document = {
        **changes(result.claims),
        "sources": changes(result.sources),
        "metadata": [attrs.asdict(f) for f in result.metadata],
        "bump": result.bump(),
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def as_markdown(result: Diff, old: Snapshot | None = None, new: Snapshot | None = None) -> str:
    """A review summary (for a pull request's job summary): a table of the claims added,
    removed and changed, field by field, the verdicts that changed, the sources and the
    dataset metadata that changed."""
    lines = [f"### Dataset changes: {summary(result)}", ""]
    if result.empty:
        return "\n".join([*lines, "No claim changed."]) + "\n"
    claims = result.claims
    if not claims.empty:
        lines += ["| change | claim | fields |", "|---|---|---|"]
        lines += [f"| added | `{i}` | {md(_claim_text(new, i))} |" for i in claims.added]
        lines += [f"| removed | `{i}` | {md(_claim_text(old, i))} |" for i in claims.removed]
        lines += [
            f"| changed | `{c.id}` | {'; '.join(_field_note(f) for f in c.fields)} |"
            for c in claims.changed
        ]
    verdicts = list(result.verdicts)
    verdicts += [(i, None, new.claims[i].get("verdict")) for i in claims.added if new]
    verdicts = [(i, before, after) for i, before, after in verdicts if before != after]
    if verdicts:
        lines += ["", "#### Verdicts", "", "| claim | before | after | rationale |"]
        lines += ["|---|---|---|---|"]
        lines += [
            f"| `{i}` | {_verdict(b)} | {_verdict(a)} | {md(_rationale(new, i))} |"
            for i, b, a in sorted(verdicts)
        ]
    lines += _quotes(result, new)
    lines += _evidence(result, old, new)
    if not result.sources.empty:
        lines += ["", "#### Sources", "", "| change | source | fields |", "|---|---|---|"]
        lines += [f"| added | `{i}` | {md(_source_text(new, i))} |" for i in result.sources.added]
        lines += [
            f"| removed | `{i}` | {md(_source_text(old, i))} |" for i in result.sources.removed
        ]
        lines += [
            f"| changed | `{c.id}` | {'; '.join(_field_note(f) for f in c.fields)}"
            f"{md(_moved_spans(c, old, new))} |"
            for c in result.sources.changed
        ]
    if result.metadata:
        lines += ["", "#### Dataset metadata", ""]
        lines += [f"- {_field_note(f)}" for f in result.metadata]
    return "".join(f"{visible(line)}\n" for line in lines)


SHOWN = 10  # quotes shown in full; the others are folded


def _quotes(result: Diff, new: Snapshot | None) -> list[str]:
    """Each added claim's quotes, and each changed claim's if its spans changed, inside their
    context, the quote in bold, with the English translation of a quote in another language."""
    if new is None:
        return []
    spans_changed = {
        c.id for c in result.claims.changed if any(f.field == "appearances" for f in c.fields)
    }
    ids = [*result.claims.added, *sorted(spans_changed)]
    entries = []
    for claim_id in ids:
        claim = new.claims.get(claim_id, {})
        for span in claim.get("appearances", []):
            before, after = _quoted(span.get("prefix") or ""), _quoted(span.get("suffix") or "")
            quote = f"…{before}**{_quoted(span['quote'])}**{after}…"
            entry = (
                f"- `{claim_id}` in `{span['source']}` at {span['start']}-{span['end']}: {quote}"
            )
            if span.get("translation"):
                entry += f" ({span['language']}; in English: {_quoted(span['translation'])})"
            entries.append(entry)
    if not entries:
        return []
    lines = ["", "#### Quotes in their context", "", *entries[:SHOWN]]
    if len(entries) > SHOWN:
        lines += ["", f"<details><summary>{len(entries) - SHOWN} more</summary>", ""]
        lines += [*entries[SHOWN:], "", "</details>"]
    return lines


def _evidence(result: Diff, old: Snapshot | None, new: Snapshot | None) -> list[str]:
    """The evidence spans each added or changed claim gained or lost, with their stance and
    quote in context: what a reviewer checks a verdict against."""
    if new is None:
        return []
    evidence_changed = [
        c.id for c in result.claims.changed if any(f.field == "evidence" for f in c.fields)
    ]
    entries = []
    for claim_id in [*result.claims.added, *sorted(evidence_changed)]:
        before = _spans(old, claim_id) if old is not None else {}
        after = _spans(new, claim_id)
        for change, spans, others in (("removed from", before, after), ("added to", after, before)):
            for key, span in spans.items():
                if key not in others:
                    entries.append(f"- {change} `{claim_id}`: {_evidence_entry(span)}")
    if not entries:
        return []
    lines = ["", "#### Evidence added or removed", "", *entries[:SHOWN]]
    if len(entries) > SHOWN:
        lines += ["", f"<details><summary>{len(entries) - SHOWN} more</summary>", ""]
        lines += [*entries[SHOWN:], "", "</details>"]
    return lines


def _spans(snapshot: Snapshot, claim_id: str) -> dict[tuple[Any, ...], dict[str, Any]]:
    evidence = snapshot.claims.get(claim_id, {}).get("evidence") or []
    return {
        (span["source"], span["start"], span["end"], span["quote"], span["stance"]): span
        for span in evidence
    }


def _evidence_entry(span: dict[str, Any]) -> str:
    before, after = _quoted(span.get("prefix") or ""), _quoted(span.get("suffix") or "")
    return (
        f"{span['stance']}, `{span['source']}` at {span['start']}-{span['end']}: "
        f"…{before}**{_quoted(span['quote'])}**{after}…"
    )


def _quoted(text: str) -> str:
    """A quote or its context inside one line of the review: each run of white space (odd
    spaces and line breaks included) as one space."""
    return md(re.sub(r"\s+", " ", text))


def _rationale(snapshot: Snapshot | None, claim_id: str) -> str:
    claim = snapshot.claims.get(claim_id, {}) if snapshot else {}
    return str(claim.get("rationale") or "—")


def _moved_spans(change: Change, old: Snapshot | None, new: Snapshot | None) -> str:
    """For a revised text: how many spans into it moved."""
    if old is None or new is None or not any(f.field == "sha256" for f in change.fields):
        return ""

    def places(snapshot: Snapshot) -> dict[tuple[str, str, int], tuple[int, int]]:
        return {
            (claim_id, kind, index): (span["start"], span["end"])
            for claim_id, claim in snapshot.claims.items()
            for kind in ("appearances", "evidence")
            for index, span in enumerate(claim.get(kind, []))
            if span.get("source") == change.id
        }

    before, after = places(old), places(new)
    moved = sum(1 for key, where in after.items() if key in before and before[key] != where)
    return f"; text revised: {moved} of {len(after)} spans moved"


def changelog_body(result: Diff, new: Snapshot) -> str:
    """Keep a Changelog sections (Added, Removed, Changed): the body of a release entry, each
    claim named by its text and id, verdict changes (with the rationale that gives the reason)
    and sources listed on their own. Text from the data goes through `markdown.text`: it
    stays inside its list item, so no title can forge a release heading."""
    claims = result.claims
    sections = []
    added = [f"- {md(_claim_text(new, i))} (`{i}`)" for i in claims.added]
    added += [f"- Source `{i}`: {md(_source_text(new, i))}" for i in result.sources.added]
    if added:
        sections.append("### Added\n\n" + "\n".join(added))
    removed = [f"- `{i}`" for i in claims.removed]
    removed += [f"- Source `{i}`" for i in result.sources.removed]
    if removed:
        sections.append("### Removed\n\n" + "\n".join(removed))
    changed = [
        f"- {md(_claim_text(new, c.id))} (`{c.id}`): " + ", ".join(_field_note(f) for f in c.fields)
        for c in claims.changed
    ]
    changed += [
        f"- Source `{c.id}`: " + ", ".join(_field_note(f) for f in c.fields)
        for c in result.sources.changed
    ]
    changed += [f"- Dataset metadata: {_field_note(f)}" for f in result.metadata]
    if changed:
        sections.append("### Changed\n\n" + "\n".join(changed))
    if result.verdicts:
        sections.append(
            "### Verdicts changed\n\n"
            + "\n".join(
                f"- `{i}`: {_verdict(before)} → {_verdict(after)}. {md(_rationale(new, i))}"
                for i, before, after in result.verdicts
            )
        )
    return "\n\n".join(sections) + "\n"


def _claim_text(snapshot: Snapshot | None, claim_id: str) -> str:
    return str(snapshot.claims.get(claim_id, {}).get("claim", "")) if snapshot else ""


def _source_text(snapshot: Snapshot | None, source_id: str) -> str:
    row = snapshot.sources.get(source_id, {}) if snapshot else {}
    parts = [row.get("title"), row.get("publisher"), row.get("rights")]
    return "; ".join(str(part) for part in parts if part)


def _verdict(value: Any) -> str:
    return "not reviewed" if value is None else str(value)


FORMATS: dict[str, Callable[[Diff, Snapshot, Snapshot], str]] = {
    "text": lambda result, old, new: as_text(result),
    "json": lambda result, old, new: as_json(result),
    "markdown": as_markdown,
}


def summary(result: Diff) -> str:
    bump = result.bump()
    claims, sources = result.claims, result.sources
    counts = (
        f"{len(claims.added)} added, {len(claims.removed)} removed, {len(claims.changed)} changed"
    )
    others = [
        f"{len(ids)} source{'' if len(ids) == 1 else 's'} {what}"
        for what, ids in (
            ("added", sources.added),
            ("removed", sources.removed),
            ("changed", sources.changed),
        )
        if ids
    ]
    if result.metadata:
        others.append("dataset metadata changed")
    return ", ".join([counts, *others]) + (f" (a {bump} release)" if bump else "")


def _field_note(change: FieldChange) -> str:
    """A changed field in Markdown (for the review and the changelog), its values escaped."""
    if change.field in SPLITS:
        config = "labelled " if change.field == "labelled_split" else ""
        if change.old is None:
            return f"enters {config}split `{change.new}`"
        if change.new is None:
            return f"leaves {config}split `{change.old}`"
        return f"moved from {config}split `{change.old}` to `{change.new}`"
    if _scalar(change.old) and _scalar(change.new):
        return f"{md(change.field)} {md(_short(change.old))} → {md(_short(change.new))}"
    return md(change.field)


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float))


def _short(value: Any, limit: int = 100) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"

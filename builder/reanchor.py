"""`claims reanchor`: replace a source's text with its revision and move every span into it.

Every span pointing into the source is found again (`anchoring.Reanchorer`) and reported as
unchanged, moved, changed-quote (old and new quote shown), ambiguous or lost. Records are
rewritten in canonical form with only their numbers and quotes changed; an ambiguous or lost
span is left exactly as it was, so `claims validate` points a curator at it. The source's
metadata gets the new sha256 and a `revisions` entry for the old one; the old text stays in
the repository's history.
"""

from __future__ import annotations

import copy
import datetime
import hashlib
import json
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import attrs

from builder.anchoring import Outcome, Reanchorer
from builder.fmt import Formatted, updated_file, write
from builder.model import Claim
from builder.repository import source_text_path
from builder.schemas import Kind
from builder.validation import validate

Pointer = tuple[str | int, ...]
UNSETTLED = (Outcome.AMBIGUOUS, Outcome.LOST)


class ReanchorError(Exception):
    """Re-anchoring cannot start; the message says why and what to do."""


@attrs.frozen
class SpanReport:
    file: str
    claim: str
    pointer: str
    outcome: Outcome
    old: tuple[int, int, str]
    new: tuple[int, int, str] | None
    detail: str = ""


@attrs.frozen
class Plan:
    """Everything re-anchoring would change, computed before anything is written."""

    spans: tuple[SpanReport, ...]
    records: tuple[Formatted, ...]
    metadata: Formatted
    text_path: Path
    text: bytes

    @property
    def settled(self) -> bool:
        return not any(span.outcome in UNSETTLED for span in self.spans)


def plan(root: Path, source_id: str, new_text: bytes, *, reason: str, today: datetime.date) -> Plan:
    text_path = source_text_path(root, source_id)
    if text_path is None:
        raise ReanchorError(f"no source {source_id!r} in claims/sources")
    try:
        new = new_text.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ReanchorError(
            f"the new text is not UTF-8 (byte {error.start}); convert it first"
        ) from error
    result = validate(root)
    quoting = [c for c in result.repository.claims if any(s.source == source_id for s in c.spans())]
    involved = {f"claims/sources/{source_id}.yaml", f"claims/sources/{source_id}.txt"}
    involved |= {c.origin.path for c in quoting if c.origin is not None}
    errors = [p for p in result.problems if p.file in involved and p.severity.value == "error"]
    if errors:
        listed = "; ".join(f"{p.file}:{p.line}:{p.column}: {p.code}" for p in errors[:5])
        raise ReanchorError(
            f"the source and the records quoting it must be valid before re-anchoring: {listed}"
        )
    source = result.repository.sources[source_id]
    reanchorer = Reanchorer(source.text, new)
    spans: list[SpanReport] = []
    records = []
    for claim in sorted(quoting, key=lambda c: c.id):
        reports, data = _reanchor_claim(claim, source_id, reanchorer)
        spans += reports
        assert claim.origin is not None
        if data != claim.origin.data:
            records.append(
                updated_file(root / claim.origin.path, claim.origin.path, Kind.CLAIM, data)
            )
    assert source.origin is not None
    metadata = dict(source.origin.data)
    old_sha256 = hashlib.sha256(text_path.read_bytes()).hexdigest()
    metadata["sha256"] = hashlib.sha256(new_text).hexdigest()
    revision = {"date": today.isoformat(), "sha256": old_sha256, "reason": reason}
    metadata["revisions"] = [*metadata.get("revisions", []), revision]
    return Plan(
        tuple(spans),
        tuple(records),
        updated_file(root / source.origin.path, source.origin.path, Kind.SOURCE, metadata),
        text_path,
        new_text,
    )


def apply(plan: Plan) -> None:
    """Write the plan: every record and the metadata first (each atomically), the text last."""
    unwritable = [f for f in (*plan.records, plan.metadata) if f.canonical is None]
    if unwritable:
        raise ReanchorError(
            "; ".join(
                f"{p.file}:{p.line}:{p.column}: {p.message}" for f in unwritable for p in f.problems
            )
        )
    for formatted in (*plan.records, plan.metadata):
        write(formatted)
    with tempfile.NamedTemporaryFile(
        "wb", dir=plan.text_path.parent, prefix=".reanchor-", suffix=".tmp", delete=False
    ) as stream:
        stream.write(plan.text)
    Path(stream.name).replace(plan.text_path)


def _reanchor_claim(
    claim: Claim, source_id: str, reanchorer: Reanchorer
) -> tuple[list[SpanReport], dict[str, Any]]:
    assert claim.origin is not None
    data = copy.deepcopy(claim.origin.data)
    places: list[tuple[Pointer, dict[str, Any]]] = [
        (("appearances", i), item) for i, item in enumerate(data["appearances"])
    ]
    if "review" in data:
        places += [
            (("review", "evidence", i), item)
            for i, item in enumerate(data["review"].get("evidence", []))
        ]
    reports = []
    for pointer, span in places:
        if span["source"] != source_id:
            continue
        found = reanchorer.find(span["start"], span["end"])
        old = (span["start"], span["end"], span["quote"])
        new = None
        if found.outcome not in UNSETTLED:
            assert found.start is not None and found.end is not None and found.quote is not None
            new = (found.start, found.end, found.quote)
            span.update(start=found.start, end=found.end, quote=found.quote)
        reports.append(
            SpanReport(
                claim.origin.path, claim.id, _dotted(pointer), found.outcome, old, new, found.detail
            )
        )
    return reports, data


def _dotted(pointer: Pointer) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in pointer).lstrip(".")


def as_text(spans: tuple[SpanReport, ...]) -> str:
    lines = []
    for span in spans:
        head = f"{span.outcome.value:<13} {span.file} {span.pointer}: {span.old[0]}-{span.old[1]}"
        if span.new is None:
            lines.append(f"{head}: {span.detail}; left as it was, {span.old[2]!r}")
        elif span.outcome is Outcome.CHANGED_QUOTE:
            lines.append(
                f"{head} -> {span.new[0]}-{span.new[1]}: {span.old[2]!r} -> {span.new[2]!r}"
            )
        elif span.outcome is Outcome.MOVED:
            lines.append(f"{head} -> {span.new[0]}-{span.new[1]}")
        else:
            lines.append(head)
    counts = Counter(span.outcome.value for span in spans)
    lines.append(
        ", ".join(f"{counts[o.value]} {o.value}" for o in Outcome) + f" ({len(spans)} spans)"
    )
    return "\n".join(lines) + "\n"


def as_json(spans: tuple[SpanReport, ...]) -> str:
    def place(value: tuple[int, int, str] | None) -> dict[str, Any] | None:
        return None if value is None else dict(zip(("start", "end", "quote"), value, strict=True))

    return (
        json.dumps(
            [
                {
                    "file": s.file,
                    "claim": s.claim,
                    "span": s.pointer,
                    "outcome": s.outcome.value,
                    "old": place(s.old),
                    "new": place(s.new),
                    "detail": s.detail,
                }
                for s in spans
            ],
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )

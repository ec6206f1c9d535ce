"""`claims reanchor`: replace a source's text with its revision and move every span into it.

Every span pointing into the source is found again (`reanchoring.Reanchorer`) and reported as
unchanged, moved, changed-quote (old and new quote shown), ambiguous or lost. Records are
rewritten in canonical form with only their numbers and quotes changed; an ambiguous or lost
span is left exactly as it was, so `claims validate` points a curator at it. The source's
metadata gets the new sha256 and a `revisions` entry for the old one; the old text stays in
the repository's history.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections import Counter
from typing import Any

import attrs

from builder.canonical import canonical_file
from builder.errors import InvalidDataError, UsageError
from builder.layout import RECORDS, Kind, Layout
from builder.loader import Pointer
from builder.model import Claim, Revision, Span
from builder.problems import Problem, Severity
from builder.progress import Tick, silent
from builder.reanchoring import Outcome, Reanchored, Reanchorer
from builder.report import visible
from builder.validation import validate
from builder.writing import FileWrite, write_files

UNSETTLED = (Outcome.AMBIGUOUS, Outcome.LOST)


@attrs.frozen
class SpanReport:
    file: str
    claim: str
    pointer: str
    outcome: Outcome
    old: tuple[int, int, str]
    new: tuple[int, int, str] | None
    detail: str = ""
    how: Reanchored | None = None  # how the span was placed, or which places were weighed


@attrs.frozen
class Plan:
    """Everything re-anchoring would change, computed before anything is written: the span
    reports, each changed file's canonical text (or why it cannot be written), the new text."""

    spans: tuple[SpanReport, ...]
    rewrites: tuple[tuple[str, str | Problem], ...]
    text: tuple[str, bytes]

    @property
    def settled(self) -> bool:
        return not any(span.outcome in UNSETTLED for span in self.spans)


def plan(
    layout: Layout,
    source_id: str,
    new_text: bytes,
    *,
    reason: str,
    today: datetime.date,
    tick: Tick = silent,
) -> Plan:
    files = layout.source(source_id)
    assert files.text is not None and files.metadata is not None
    try:
        new = new_text.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UsageError(
            f"the new text is not UTF-8 (byte {error.start}); convert it first"
        ) from error
    result = validate(layout, tick=tick)
    quoting = [
        c for c in result.repository.claims if any(p.span.source == source_id for p in c.spans())
    ]
    # A record that does not load may quote the source too: it must be fixed first.
    loaded = {claim.origin.path for claim in result.repository.claims}
    unloaded = {
        p.file for p in result.problems if p.file.startswith(RECORDS) and p.file not in loaded
    }
    involved = {files.metadata, files.text} | {claim.origin.path for claim in quoting} | unloaded
    errors = [p for p in result.problems if p.file in involved and p.severity is Severity.ERROR]
    if errors:
        raise InvalidDataError(
            "the source and the records quoting it must be valid before re-anchoring: "
            "fix the problems above first",
            errors,
        )
    source = result.repository.sources[source_id]
    reanchorer = Reanchorer(source.text, new)
    spans: list[SpanReport] = []
    rewrites: list[tuple[str, str | Problem]] = []
    for claim in sorted(quoting, key=lambda c: c.id):
        reports, updated = _reanchor_claim(claim, source_id, reanchorer)
        spans += reports
        if updated != claim:
            rewrites.append(_rewrite(layout, claim.origin.path, Kind.CLAIM, updated.to_data()))
    revision = Revision(today.isoformat(), source.sha256, reason)
    revised = attrs.evolve(
        source,
        sha256=hashlib.sha256(new_text).hexdigest(),
        revisions=(*source.revisions, revision),
    )
    rewrites.append(_rewrite(layout, files.metadata, Kind.SOURCE, revised.to_data()))
    return Plan(tuple(spans), tuple(rewrites), (files.text, new_text))


def apply(layout: Layout, plan: Plan) -> None:
    """Write the plan: every record, the metadata and the text, all of them or none."""
    problems = [text for _, text in plan.rewrites if isinstance(text, Problem)]
    if problems:
        raise InvalidDataError("nothing was re-anchored: these files cannot be rewritten", problems)
    writes = [
        FileWrite(layout.path(path), text.encode("utf-8"))
        for path, text in plan.rewrites
        if isinstance(text, str)
    ]
    writes.append(FileWrite(layout.path(plan.text[0]), plan.text[1]))
    write_files(writes, layout.state)


def _rewrite(
    layout: Layout, path: str, kind: Kind, data: dict[str, Any]
) -> tuple[str, str | Problem]:
    original = layout.path(path).read_bytes().decode("utf-8")
    return path, canonical_file(original, path, kind, data)


def _reanchor_claim(
    claim: Claim, source_id: str, reanchorer: Reanchorer
) -> tuple[list[SpanReport], Claim]:
    reports = []
    updated = claim
    for placed in claim.spans():
        span = placed.span
        if span.source != source_id:
            continue
        found = reanchorer.find(span.start, span.end)
        old = (span.start, span.end, span.quote)
        new = None
        if found.outcome not in UNSETTLED:
            assert found.start is not None and found.end is not None and found.quote is not None
            new = (found.start, found.end, found.quote)
            updated = updated.with_span(placed.pointer, Span(source_id, *new))
        reports.append(
            SpanReport(
                claim.origin.path,
                claim.id,
                _dotted(placed.pointer),
                found.outcome,
                old,
                new,
                found.detail,
                found,
            )
        )
    return reports, updated


def _dotted(pointer: Pointer) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in pointer).lstrip(".")


def as_text(spans: tuple[SpanReport, ...], *, explain: bool = False) -> str:
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
        if explain and span.how is not None:
            lines.append(f"    {explanation(span.how)}")
    counts = Counter(span.outcome.value for span in spans)
    lines.append(
        ", ".join(f"{counts[o.value]} {o.value}" for o in Outcome) + f" ({len(spans)} spans)"
    )
    return "".join(f"{visible(line)}\n" for line in lines)


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
                    "how": None if s.how is None else _how(s.how),
                }
                for s in spans
            ],
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )


METHODS = {
    "diff": "placed by the diff: its words are where the revision moved them",
    "exact": "placed by its quote, found exactly",
    "tolerant": "placed by its quote, found with other spacing or letter forms",
    "widened": "placed by its quote, widened to the whole words letters were added to",
    "fuzzy": "placed by its quote, found with characters edited",
}


def explanation(found: Reanchored) -> str:
    """How a span was placed, in words a curator can check against the text."""
    parts = [METHODS[found.method]] if found.method else [f"not placed: {found.detail}"]
    if found.edited is not None:
        parts.append(f"{found.edited:.1%} of the quote edited")
    if found.context is not None:
        before, after = found.context
        parts.append(f"context agreeing: {before} characters before, {after} after")
    if found.candidates:
        parts.append(f"places weighed: {', '.join(str(c) for c in found.candidates)}")
    return "how: " + "; ".join(parts)


def _how(found: Reanchored) -> dict[str, Any]:
    return {
        "method": found.method or None,
        "context": None
        if found.context is None
        else {"before": found.context[0], "after": found.context[1]},
        "edited": None if found.edited is None else float(found.edited),
        "candidates": [
            {"start": c.start, "end": c.end, "context": {"before": c.before, "after": c.after}}
            for c in found.candidates
        ],
    }

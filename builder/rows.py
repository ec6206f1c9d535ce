"""Claims and sources as rows: plain dicts with a column for every record field, the shape of
the built dataset's tables and of what `claims diff` compares.

Spans gain their UTF-8 and UTF-16 offsets and 32 characters of context on each side. A claim not
reviewed yet has the verdict None; how a table format writes that (parquet: -1, the ClassLabel's
"no label") is the format's business. Rows come out in id order, so a build is reproducible.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs

from builder.anchoring import OffsetTable
from builder.model import Claim, Repository, Source, Span

CONTEXT = 32
SPAN_COLUMNS = (
    "source",
    "start",
    "end",
    "quote",
    "start_utf8",
    "end_utf8",
    "start_utf16",
    "end_utf16",
    "prefix",
    "suffix",
)

Row = dict[str, Any]


class SpanRows:
    """Span columns for spans into a repository's sources, one offset table per source."""

    def __init__(self, sources: dict[str, Source], texts: dict[str, str] | None = None) -> None:
        self._texts = {source_id: source.text for source_id, source in sources.items()}
        self._texts |= texts or {}
        self._tables: dict[str, OffsetTable] = {}

    def row(self, span: Span) -> Row:
        text = self._texts.get(span.source)
        if text is None or not 0 <= span.start <= span.end <= len(text):
            # Only `claims diff` meets such spans (the build runs on valid data): shown as written.
            return {**dict.fromkeys(SPAN_COLUMNS), **attrs.asdict(span)}
        table = self._tables.get(span.source)
        if table is None:
            table = self._tables[span.source] = OffsetTable(text)
        return {
            "source": span.source,
            "start": span.start,
            "end": span.end,
            "quote": span.quote,
            "start_utf8": table.utf8(span.start),
            "end_utf8": table.utf8(span.end),
            "start_utf16": table.utf16(span.start),
            "end_utf16": table.utf16(span.end),
            "prefix": text[max(0, span.start - CONTEXT) : span.start],
            "suffix": text[span.end : span.end + CONTEXT],
        }


def claim_rows(repository: Repository) -> Iterator[Row]:
    spans = SpanRows(repository.sources)
    for claim in sorted(repository.claims, key=lambda c: c.id):
        yield claim_row(claim, spans)


def claim_row(claim: Claim, spans: SpanRows) -> Row:
    review = claim.review
    return {
        "id": claim.id,
        "claim": claim.claim,
        "claim_short": claim.claim_short,
        "claimant": {
            "name": claim.claimant.name,
            "kind": claim.claimant.kind,
            "role": claim.claimant.role,
        },
        "claim_date": claim.claim_date,
        "appearances": [
            {**spans.row(a.span), "language": a.language, "translation": a.translation}
            for a in claim.appearances
        ],
        "topics": list(claim.topics),
        "claim_types": list(claim.claim_types),
        "verdict": review.verdict if review else None,
        "rationale": review.rationale if review else None,
        "reviewed": review.reviewed if review else None,
        "evidence": [{**spans.row(e.span), "stance": e.stance} for e in claim.evidence],
        "related": [{"claim": r.claim, "relation": r.relation} for r in claim.related],
        "notes": claim.notes,
    }


def source_rows(repository: Repository) -> Iterator[Row]:
    for source_id in sorted(repository.sources):
        source = repository.sources[source_id]
        yield {
            "id": source.id,
            "title": source.title,
            "publisher": source.publisher,
            "published": source.published,
            "languages": list(source.languages),
            "sha256": source.sha256,
            "url": source.url,
            "license": source.license,
            "redistribution": source.redistribution,
            "rights": source.rights,
            "revisions": [
                {"date": r.date, "sha256": r.sha256, "reason": r.reason} for r in source.revisions
            ],
            "notes": source.notes,
            # The whole text only where its rights allow; quotes-only spans keep their quotes.
            "text": source.text if source.ships_text else None,
        }

"""Claims and sources as the built dataset's rows: offsets in three units, context, the review,
and a source's text only where its rights allow it."""

from __future__ import annotations

import datetime

import attrs
import pytest

from builder.layout import Layout
from builder.model import Repository, Revision, Span
from builder.rows import SPAN_COLUMNS, SpanRows, claim_row, source_rows
from builder.validation import validate
from tests.conftest import PROJECT


@pytest.fixture(scope="module")
def shipped() -> Repository:
    result = validate(Layout(PROJECT), datetime.date(2026, 11, 23))
    assert result.problems == ()
    return result.repository


def _source_and_text(shipped: Repository) -> tuple[str, str]:
    source = shipped.sources["elkz-2023-03-11"]
    return source.id, source.text


def test_a_span_at_the_very_end_of_its_source_gets_every_offset(shipped: Repository) -> None:
    """The last character of a text is quotable: its span ends at len(text), one past the
    last index, and still gets byte and UTF-16 offsets, its prefix and an empty suffix."""
    source, text = _source_and_text(shipped)
    start = len(text) - 5
    row = SpanRows(shipped.sources).row(Span(source, start, len(text), text[start:]))
    assert row["end_utf8"] == len(text.encode("utf-8"))
    assert row["end_utf16"] == len(text.encode("utf-16-le")) // 2
    assert row["start_utf8"] == len(text[:start].encode("utf-8"))
    assert row["prefix"] == text[start - 32 : start] and row["suffix"] == ""


def test_a_span_at_the_very_start_has_an_empty_prefix(shipped: Repository) -> None:
    source, text = _source_and_text(shipped)
    row = SpanRows(shipped.sources).row(Span(source, 0, 6, text[:6]))
    assert (row["start_utf8"], row["start_utf16"], row["prefix"]) == (0, 0, "")
    assert row["suffix"] == text[6:38]


def test_an_empty_span_is_placed_not_dropped(shipped: Repository) -> None:
    """Validation refuses empty spans (A001); `claims diff` of invalid data still shows one
    where it is."""
    source, text = _source_and_text(shipped)
    row = SpanRows(shipped.sources).row(Span(source, 10, 10, ""))
    assert (row["start_utf8"], row["end_utf8"]) == (10, 10)
    assert row["prefix"] == text[:10] and row["suffix"] == text[10:42]


@pytest.mark.parametrize(
    "span",
    [
        Span("elkz-2023-03-11", 2700, 99_999, "past the end"),
        Span("no-such-source", 0, 5, "words"),
        Span("elkz-2023-03-11", 5, 2, "backwards"),
    ],
)
def test_a_span_outside_its_source_is_shown_as_written(shipped: Repository, span: Span) -> None:
    """Only `claims diff` meets these (the build runs on valid data): the span as written,
    with no offsets in other units and no context, never a crash or a cut slice."""
    row = SpanRows(shipped.sources).row(span)
    assert set(row) == set(SPAN_COLUMNS)
    assert (row["source"], row["start"], row["end"], row["quote"]) == attrs.astuple(span)
    assert all(row[c] is None for c in SPAN_COLUMNS[4:])


def test_a_reviewed_claim_s_row_carries_its_review(shipped: Repository) -> None:
    claim = next(c for c in shipped.claims if c.review is not None)
    assert claim.review is not None
    row = claim_row(claim, SpanRows(shipped.sources))
    assert row["reviewed"] == claim.review.reviewed
    assert row["verdict"] == claim.review.verdict
    assert row["rationale"] == claim.review.rationale
    assert len(row["evidence"]) == len(claim.review.evidence)
    unreviewed = next(c for c in shipped.claims if c.review is None)
    empty = claim_row(unreviewed, SpanRows(shipped.sources))
    assert (empty["verdict"], empty["rationale"], empty["reviewed"], empty["evidence"]) == (
        None, None, None, []
    )  # fmt: skip


def test_a_source_s_text_ships_only_where_its_rights_allow(shipped: Repository) -> None:
    source = shipped.sources["elkz-2023-03-11"]
    full = attrs.evolve(source, redistribution="full-text")
    quotes_only = attrs.evolve(source, id="quotes-only", redistribution="quotes-only")
    repository = attrs.evolve(shipped, sources={full.id: full, quotes_only.id: quotes_only})
    rows = {row["id"]: row for row in source_rows(repository)}
    assert rows[full.id]["text"] == source.text
    assert rows["quotes-only"]["text"] is None
    assert rows["quotes-only"]["redistribution"] == "quotes-only"


def test_a_revised_source_lists_its_revisions(shipped: Repository) -> None:
    source = shipped.sources["elkz-2023-03-11"]
    revision = Revision("2026-11-22", "9" * 64, "exchange-rate lines removed")
    revised = attrs.evolve(source, revisions=(revision,))
    [row] = source_rows(attrs.evolve(shipped, sources={revised.id: revised}))
    assert row["revisions"] == [
        {"date": "2026-11-22", "sha256": "9" * 64, "reason": "exchange-rate lines removed"}
    ]

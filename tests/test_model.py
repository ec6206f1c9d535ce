"""The model: every record, source and dataset document becomes a value and turns back into
exactly the data it came from; a claim's spans know where they sit in the record."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.layout import Layout
from builder.loader import Document, load_file, parse_text
from builder.model import Claim, DatasetMetadata, Source, Span
from tests.conftest import CASES, PROJECT

REPOSITORIES = [PROJECT, CASES / "dataset"]
DOCUMENTS = [
    (root, path, kind)
    for root in REPOSITORIES
    for path, kind in Layout(root).list().documents()
    if kind != "topics"
]


@pytest.mark.parametrize(
    ("root", "path", "kind"), DOCUMENTS, ids=[f"{r.name}/{p}" for r, p, _ in DOCUMENTS]
)
def test_every_document_turns_back_into_its_own_data(root: Path, path: str, kind: str) -> None:
    document = load_file(root / path, path)
    assert isinstance(document, Document)
    value: Claim | Source | DatasetMetadata
    if kind == "claim":
        value = Claim.from_document(document)
    elif kind == "source":
        value = Source.from_document(document, text="")
    else:
        value = DatasetMetadata.from_document(document)
    assert value.to_data() == document.data
    assert value.origin is document


def _claim(text: str) -> Claim:
    document = parse_text(text, "claims/records/c.yaml")
    assert isinstance(document, Document)
    return Claim.from_document(document)


RECORD = """\
id: c
claim: A claim.
claimant: {name: N, kind: person}
claim_date: "2021"
appearances:
  - {source: s, start: 0, end: 1, quote: a, language: en}
  - {source: t, start: 2, end: 3, quote: b, language: en}
topics: [t]
review:
  verdict: not-enough-evidence
  rationale: Nothing else says it.
  evidence: []
  reviewed: "2022"
"""


def test_an_empty_evidence_list_is_kept_as_written() -> None:
    claim = _claim(RECORD)
    assert claim.evidence == ()
    assert claim.to_data()["review"]["evidence"] == []
    assert "evidence" not in _claim(RECORD.replace("  evidence: []\n", "")).to_data()["review"]


def test_spans_know_their_place_and_can_be_replaced_there() -> None:
    claim = _claim(
        RECORD.replace(
            "  evidence: []",
            "  evidence:\n    - {source: s, start: 4, end: 5, quote: e, stance: context}",
        )
    )
    assert [placed.pointer for placed in claim.spans()] == [
        ("appearances", 0),
        ("appearances", 1),
        ("review", "evidence", 0),
    ]
    moved = claim.with_span(("review", "evidence", 0), Span("s", 6, 7, "f"))
    assert moved.evidence[0].span == Span("s", 6, 7, "f")
    assert moved.evidence[0].stance == "context"
    assert moved.appearances == claim.appearances
    again = moved.with_span(("appearances", 1), Span("t", 8, 9, "g"))
    assert again.to_data()["appearances"][1] == {
        "source": "t",
        "start": 8,
        "end": 9,
        "quote": "g",
        "language": "en",
    }
    with pytest.raises(ValueError, match="no span at"):
        claim.with_span(("related", 0), Span("s", 0, 1, "a"))

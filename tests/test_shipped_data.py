"""The shipped dataset's own invariants: what a data user relies on beyond validity."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest

from builder.layout import Layout
from builder.model import Repository
from builder.validation import validate
from tests.conftest import PROJECT


@pytest.fixture(scope="module")
def shipped() -> Repository:
    result = validate(Layout(PROJECT), datetime.date(2026, 11, 23))
    assert result.problems == ()
    return result.repository


def test_size_and_coverage(shipped: Repository) -> None:
    claims = shipped.claims
    assert len(claims) >= 40
    assert sum(1 for c in claims if c.review) >= 20
    per_source = Counter(a.span.source for c in claims for a in c.appearances)
    assert set(per_source) == set(shipped.sources), "every source contributes claims"
    assert min(per_source.values()) >= 5
    assert len({t for c in claims for t in c.topics}) >= 10
    assert sum(len(c.related) for c in claims) >= 8
    assert sum(1 for c in claims for a in c.appearances if a.language == "ro") >= 2


def test_no_two_records_quote_the_same_span(shipped: Repository) -> None:
    spans = Counter(
        (a.span.source, a.span.start, a.span.end) for c in shipped.claims for a in c.appearances
    )
    assert [span for span, count in spans.items() if count > 1] == []


def test_every_verdict_rests_on_evidence_from_other_sources(shipped: Repository) -> None:
    """REVIEWING.md, as far as it can be checked: supported needs a supporting span and none
    against it, refuted the reverse, conflicting both; a claim's own source is context only."""
    wanted = {
        "supported": ({"supports"}, {"refutes"}),
        "refuted": ({"refutes"}, {"supports"}),
        "conflicting": ({"supports", "refutes"}, set()),
        "not-enough-evidence": (set(), {"supports", "refutes"}),
    }
    for claim in shipped.claims:
        if claim.review is None:
            continue
        own = {a.span.source for a in claim.appearances}
        for evidence in claim.evidence:
            assert evidence.span.source not in own or evidence.stance == "context", claim.id
        stances = {e.stance for e in claim.evidence}
        needed, excluded = wanted[claim.review.verdict]
        assert needed <= stances, (claim.id, claim.review.verdict, stances)
        assert not excluded & stances, (claim.id, claim.review.verdict, stances)


def test_every_record_has_claim_types(shipped: Repository) -> None:
    assert [c.id for c in shipped.claims if not c.claim_types] == []


def test_related_links_join_claims_in_both_directions_of_time(shipped: Repository) -> None:
    by_id = {c.id: c for c in shipped.claims}
    for claim in shipped.claims:
        for link in claim.related:
            assert link.claim in by_id
            if link.relation == "updates":
                assert by_id[link.claim].claim_date <= claim.claim_date, claim.id


def test_translations_accompany_every_non_english_quote(shipped: Repository) -> None:
    for claim in shipped.claims:
        for appearance in claim.appearances:
            assert (appearance.language == "en") == (appearance.translation is None), claim.id

"""claimreview.jsonl against Google's own documentation of ClaimReview markup, and left out
when the dataset has no page for its reviews."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from builder import dates
from builder.dataset.claimreview import BEST, WORST
from builder.dataset.pipeline import build
from builder.layout import Layout
from builder.validation import validate
from tests.conftest import MINI, PROJECT

# Google Search Central, "Fact check (ClaimReview) structured data"
# (https://developers.google.com/search/docs/appearance/structured-data/factcheck), as of
# 2026-09: required and recommended properties of ClaimReview, its Rating and its Claim.
REQUIRED = {"claimReviewed", "reviewRating", "url"}
RECOMMENDED = {"author", "itemReviewed"}
RATING_REQUIRED = {"alternateName"}
RATING_RECOMMENDED = {"bestRating", "ratingValue", "worstRating"}
CLAIM_RECOMMENDED = {"appearance", "author", "datePublished", "firstAppearance"}
CLAIM_AUTHOR_REQUIRED = {"name"}
REVIEW_AUTHOR_ONE_OF = {"name", "url"}  # "at least one of"; we give both
SHORT = 75  # claimReviewed: "Try to keep this less than 75 characters"


@pytest.fixture(scope="module")
def reviews(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    folder = build(Layout(MINI), validate(Layout(MINI)).repository, tmp_path_factory.mktemp("d"))
    lines = (folder / "claimreview.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_every_review_has_the_required_and_recommended_properties(
    reviews: list[dict[str, Any]],
) -> None:
    repository = validate(Layout(MINI)).repository
    assert sorted(r["identifier"] for r in reviews) == sorted(
        c.id for c in repository.claims if c.review is not None
    )
    for review in reviews:
        assert set(review) >= REQUIRED | RECOMMENDED, review
        assert (
            review["url"] == f"https://example.org/mini-claims/claims/{review['identifier']}.html"
        )
        assert set(review["author"]) >= REVIEW_AUTHOR_ONE_OF
        rating = review["reviewRating"]
        assert set(rating) >= RATING_REQUIRED | RATING_RECOMMENDED
        assert WORST <= rating["ratingValue"] <= BEST and rating["worstRating"] >= 1
        assert rating["bestRating"] > rating["worstRating"]
        item = review["itemReviewed"]
        assert set(item) >= CLAIM_RECOMMENDED and set(item["author"]) >= CLAIM_AUTHOR_REQUIRED
        assert review["inLanguage"] == "en"


def test_the_first_appearance_is_the_earliest_and_appearances_carry_their_urls(
    reviews: list[dict[str, Any]],
) -> None:
    repository = validate(Layout(MINI)).repository
    for review in reviews:
        appearances = review["itemReviewed"]["appearance"]
        first = review["itemReviewed"]["firstAppearance"]
        assert first in appearances
        assert dates.first_day(first["datePublished"]) == min(
            dates.first_day(a["datePublished"]) for a in appearances
        )
        for work in [*appearances, *review["citation"]]:
            source = repository.sources[work["identifier"]]
            assert work.get("url") == source.url


def test_claim_reviewed_takes_the_short_form_when_there_is_one(
    reviews: list[dict[str, Any]],
) -> None:
    claims = {c.id: c for c in validate(Layout(MINI)).repository.claims}
    for review in reviews:
        claim = claims[review["identifier"]]
        assert review["claimReviewed"] == (claim.claim_short or claim.claim)
        if claim.claim_short:
            assert len(review["claimReviewed"]) <= SHORT


def test_without_a_page_for_reviews_no_markup_ships(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repository = validate(Layout(PROJECT)).repository
    assert repository.dataset is not None and not repository.dataset.claim_url
    notes: list[str] = []
    folder = build(Layout(PROJECT), repository, tmp_path, say=notes.append)
    assert not (folder / "claimreview.jsonl").exists()
    assert any("claimreview.jsonl left out" in note for note in notes)


def test_line_separators_in_the_data_keep_one_review_per_line(tmp_path: Path) -> None:
    """A rationale or a name holding U+0085, U+2028 or U+2029 stays on its review's line: JavaScript
    and `str.splitlines` end a line there too."""
    root = tmp_path / "repo"
    shutil.copytree(MINI / "claims", root / "claims")
    record = root / "claims/records/2024/death-penalty-abolished-2024.yaml"
    text = record.read_text(encoding="utf-8")
    text = text.replace("name: Claus Petrov", 'name: "Claus\\u2028Petrov"')
    rationale = '  rationale: "One\\x85two\\u2029three."'
    text = re.sub(r"(?m)^  rationale: .*$", lambda _: rationale, text)
    record.write_text(text, encoding="utf-8")
    repository = validate(Layout(root)).repository
    folder = build(Layout(root), repository, tmp_path / "dist")
    raw = (folder / "claimreview.jsonl").read_text(encoding="utf-8")
    assert not any(char in raw for char in "\x85\u2028\u2029")
    assert "One\\u0085two\\u2029three." in raw
    reviews = {review["identifier"]: review for review in map(json.loads, raw.splitlines())}
    review = reviews["death-penalty-abolished-2024"]
    assert review["reviewBody"] == "One\x85two\u2029three."
    assert review["itemReviewed"]["author"]["name"] == "Claus\u2028Petrov"

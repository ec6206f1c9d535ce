"""claimreview.jsonl: every reviewed claim as schema.org ClaimReview JSON-LD, one per line,
for fact-check aggregators and search engines. Lines are written by `jsonlines`: `<`, `>` and
`&` are JSON escapes, so a line can go into a page's script element as it is (no `</script>` can
end it early), and so are the Unicode line separators, so every reader sees one review a line.

The four verdicts map onto a three-point rating (worst 1, best 3); the alternate name keeps
the verdict itself, so nothing is lost:

| verdict | ratingValue | alternateName |
|---|---|---|
| refuted | 1 | Refuted |
| conflicting | 2 | Conflicting evidence |
| not-enough-evidence | 2 | Not enough evidence |
| supported | 3 | Supported |

Not-enough-evidence sits at the midpoint with conflicting: neither shown true nor false.
"""

from __future__ import annotations

from typing import Any

from builder import dates
from builder.dataset import jsonlines
from builder.model import DatasetMetadata, Repository
from builder.rows import Row

RATINGS = {
    "refuted": (1, "Refuted"),
    "conflicting": (2, "Conflicting evidence"),
    "not-enough-evidence": (2, "Not enough evidence"),
    "supported": (3, "Supported"),
}
WORST, BEST = 1, 3


def claim_review_line(repository: Repository, claim: Row) -> str:
    """One line of claimreview.jsonl, for a reviewed claim."""
    # Safe to embed in a web page's <script type="application/ld+json"> as it is.
    return jsonlines.line(claim_review(repository, claim))


def publishable(metadata: DatasetMetadata) -> bool:
    """ClaimReview needs a url for each review (Google's documentation requires it): without a
    homepage and a claim_url template, no markup is better than invalid markup."""
    return bool(metadata.homepage and metadata.claim_url)


def claim_review(repository: Repository, claim: Row) -> dict[str, Any]:
    metadata = repository.dataset
    assert metadata is not None and metadata.claim_url and metadata.homepage
    value, name = RATINGS[claim["verdict"]]
    claimant = claim["claimant"]
    author: dict[str, Any] = {
        "@type": "Person" if claimant["kind"] == "person" else "Organization",
        "name": claimant["name"],
    }
    if claimant["role"]:
        author["jobTitle" if claimant["kind"] == "person" else "description"] = claimant["role"]
    appearances = [_work(repository, span) for span in claim["appearances"]]
    earliest = min(
        range(len(appearances)),
        key=lambda i: (dates.first_day(appearances[i]["datePublished"]), i),
    )
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": metadata.claim_url.replace("{id}", claim["id"]),
        "identifier": claim["id"],
        "claimReviewed": claim["claim_short"] or claim["claim"],
        "datePublished": claim["reviewed"],
        "inLanguage": "en",
        "author": {
            "@type": "Organization",
            "name": ", ".join(metadata.curators) or metadata.pretty_name,
            "url": metadata.homepage,
        },
        "reviewBody": claim["rationale"],
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": value,
            "worstRating": WORST,
            "bestRating": BEST,
            "alternateName": name,
        },
        "itemReviewed": {
            "@type": "Claim",
            "text": claim["claim"],
            "author": author,
            "datePublished": claim["claim_date"],
            "appearance": appearances,
            "firstAppearance": appearances[earliest],
        },
        "citation": [_work(repository, span) for span in claim["evidence"]],
    }


def _work(repository: Repository, span: Row) -> dict[str, Any]:
    """A span as the CreativeWork it quotes from."""
    source = repository.sources[span["source"]]
    work: dict[str, Any] = {
        "@type": "CreativeWork",
        "identifier": source.id,
        "headline": source.title,
        "publisher": {"@type": "Organization", "name": source.publisher},
        "datePublished": source.published,
        "text": span["quote"],
    }
    if source.url:
        work["url"] = source.url
    if span.get("language"):
        work["inLanguage"] = span["language"]
    return work

"""The data model: typed, immutable values built from documents that passed their schema.

Named constructors (`Claim.from_document`) are the filter between the YAML as written and what
the checks and the build work with; the YAML layout itself stays in the loader and the schemas.
"""

from __future__ import annotations

from typing import Any

import attrs

from builder.loader import Document

VERDICTS = ("supported", "refuted", "conflicting", "not-enough-evidence")
STANCES = ("supports", "refutes", "context")
RELATIONS = ("repeats", "supports", "contradicts", "updates")


@attrs.frozen
class Span:
    """`quote` is the text of source `source` from code point `start` up to `end`."""

    source: str
    start: int
    end: int
    quote: str


@attrs.frozen
class Appearance:
    """Where a claim is made, in the language it was made in."""

    span: Span
    language: str
    translation: str | None = None

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Appearance:
        return cls(_span(data), data["language"], data.get("translation"))


@attrs.frozen
class Evidence:
    """A span that bears on a claim, and which way."""

    span: Span
    stance: str

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Evidence:
        return cls(_span(data), data["stance"])


@attrs.frozen
class Claimant:
    name: str
    kind: str
    role: str | None = None


@attrs.frozen
class Review:
    verdict: str
    rationale: str
    reviewed: str
    evidence: tuple[Evidence, ...] = ()


@attrs.frozen
class Related:
    claim: str
    relation: str


@attrs.frozen
class Claim:
    """One claim record. `origin` is the document it was read from, for pointing at problems."""

    id: str
    claim: str
    claimant: Claimant
    claim_date: str
    appearances: tuple[Appearance, ...]
    topics: tuple[str, ...]
    review: Review | None = None
    related: tuple[Related, ...] = ()
    notes: str | None = None
    origin: Document | None = attrs.field(default=None, eq=False, repr=False)

    def spans(self) -> tuple[Span, ...]:
        """Every span of the claim: its appearances, then its evidence."""
        evidence = self.review.evidence if self.review else ()
        return tuple(a.span for a in self.appearances) + tuple(e.span for e in evidence)

    @classmethod
    def from_document(cls, document: Document) -> Claim:
        data = document.data
        review = data.get("review")
        return cls(
            id=data["id"],
            claim=data["claim"],
            claimant=Claimant(**data["claimant"]),
            claim_date=data["claim_date"],
            appearances=tuple(Appearance.from_data(a) for a in data["appearances"]),
            topics=tuple(data["topics"]),
            review=None
            if review is None
            else Review(
                verdict=review["verdict"],
                rationale=review["rationale"],
                reviewed=review["reviewed"],
                evidence=tuple(Evidence.from_data(e) for e in review.get("evidence", ())),
            ),
            related=tuple(Related(**r) for r in data.get("related", ())),
            notes=data.get("notes"),
            origin=document,
        )


@attrs.frozen
class Revision:
    date: str
    sha256: str
    reason: str


@attrs.frozen
class Source:
    """A source document: its metadata, and its text decoded exactly as stored."""

    id: str
    title: str
    publisher: str
    published: str
    languages: tuple[str, ...]
    sha256: str
    text: str = attrs.field(repr=False)
    url: str | None = None
    rights: str | None = None
    revisions: tuple[Revision, ...] = ()
    notes: str | None = None
    origin: Document | None = attrs.field(default=None, eq=False, repr=False)

    @classmethod
    def from_document(cls, document: Document, text: str) -> Source:
        data = document.data
        return cls(
            id=data["id"],
            title=data["title"],
            publisher=data["publisher"],
            published=data["published"],
            languages=tuple(data["languages"]),
            sha256=data["sha256"],
            text=text,
            url=data.get("url"),
            rights=data.get("rights"),
            revisions=tuple(Revision(**r) for r in data.get("revisions", ())),
            notes=data.get("notes"),
            origin=document,
        )


@attrs.frozen
class DatasetInfo:
    name: str
    pretty_name: str
    version: str
    license: str
    description: str
    curators: tuple[str, ...] = ()
    citation: str | None = None
    repo_id: str | None = None
    tags: tuple[str, ...] = ()
    splits: tuple[tuple[str, int], ...] = (("train", 1),)

    @classmethod
    def from_document(cls, document: Document) -> DatasetInfo:
        data = dict(document.data)
        data["curators"] = tuple(data.get("curators", ()))
        data["tags"] = tuple(data.get("tags", ()))
        data["splits"] = tuple(data.get("splits", {"train": 1}).items())
        return cls(**data)


@attrs.frozen
class Repository:
    """Everything that passed the schemas, ready for the semantic checks and the build.

    `unreadable_sources` and `claim_files` remember ids whose files exist but did not load, so
    that one broken file does not make every reference to it look dangling too. A partial read
    (`read_repository(root, only=...)`) leaves records out; `unread_claim_files` names their
    files by stem, for the unique-id check, and `source_files` names every source present.
    """

    dataset: DatasetInfo | None
    topics: dict[str, str]
    sources: dict[str, Source]
    claims: tuple[Claim, ...]
    unreadable_sources: frozenset[str] = frozenset()
    claim_files: frozenset[str] = frozenset()
    unread_claim_files: dict[str, tuple[str, ...]] = attrs.Factory(dict)
    source_files: frozenset[str] = frozenset()


def _span(data: dict[str, Any]) -> Span:
    return Span(data["source"], data["start"], data["end"], data["quote"])

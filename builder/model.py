"""The data model: typed, immutable values built from documents that passed their schema.

Named constructors (`Claim.from_document`) are the filter between the YAML as written and what
the checks and the build work with; `to_data` turns a value back into the data it came from, for
the canonical writer, so a command that changes a record (`claims reanchor`) edits the model, not
raw dictionaries. Every value read from a file keeps its `origin`, the document it came from, so
a problem can always be pointed at its line.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs

from builder.loader import Document, Pointer

VERDICTS = ("supported", "refuted", "conflicting", "not-enough-evidence")
STANCES = ("supports", "refutes", "context")
CLAIM_TYPES = ("position-statement", "event-property", "causal", "numerical", "quote-verification")


def _optional(**fields: Any) -> dict[str, Any]:
    """The fields that are set: an optional field left out is None (or empty) in the model."""
    return {name: value for name, value in fields.items() if value not in (None, ())}


@attrs.frozen
class Span:
    """`quote` is the text of source `source` from code point `start` up to `end`."""

    source: str
    start: int
    end: int
    quote: str

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Span:
        return cls(data["source"], data["start"], data["end"], data["quote"])

    def to_data(self) -> dict[str, Any]:
        return {"source": self.source, "start": self.start, "end": self.end, "quote": self.quote}


@attrs.frozen
class Appearance:
    """Where a claim is made, in the language it was made in."""

    span: Span
    language: str
    translation: str | None = None

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Appearance:
        return cls(Span.from_data(data), data["language"], data.get("translation"))

    def to_data(self) -> dict[str, Any]:
        return {
            **self.span.to_data(),
            "language": self.language,
            **_optional(translation=self.translation),
        }


@attrs.frozen
class Evidence:
    """A span that bears on a claim, and which way."""

    span: Span
    stance: str

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Evidence:
        return cls(Span.from_data(data), data["stance"])

    def to_data(self) -> dict[str, Any]:
        return {**self.span.to_data(), "stance": self.stance}


@attrs.frozen
class Claimant:
    name: str
    kind: str
    role: str | None = None

    def to_data(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, **_optional(role=self.role)}


@attrs.frozen
class Review:
    """The fact-check. `empty_evidence_written` remembers a record that writes `evidence: []`,
    so that writing the record back changes nothing."""

    verdict: str
    rationale: str
    reviewed: str
    evidence: tuple[Evidence, ...] = ()
    empty_evidence_written: bool = False

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"verdict": self.verdict, "rationale": self.rationale}
        if self.evidence or self.empty_evidence_written:
            data["evidence"] = [evidence.to_data() for evidence in self.evidence]
        return {**data, "reviewed": self.reviewed}


@attrs.frozen
class Related:
    claim: str
    relation: str


@attrs.frozen
class PlacedSpan:
    """A span of a claim and where it sits in the record: `("appearances", 0)`,
    `("review", "evidence", 1)`."""

    pointer: Pointer
    span: Span


@attrs.frozen
class Claim:
    """One claim record."""

    id: str
    claim: str
    claimant: Claimant
    claim_date: str
    appearances: tuple[Appearance, ...]
    topics: tuple[str, ...]
    review: Review | None = None
    related: tuple[Related, ...] = ()
    notes: str | None = None
    claim_short: str | None = None
    claim_types: tuple[str, ...] = ()
    origin: Document = attrs.field(kw_only=True, eq=False, repr=False)

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        """The review's evidence spans; none for a claim not reviewed."""
        return self.review.evidence if self.review else ()

    def spans(self) -> tuple[PlacedSpan, ...]:
        """Every span of the claim with its place: its appearances, then its evidence."""
        return tuple(self._placed())

    def _placed(self) -> Iterator[PlacedSpan]:
        for index, appearance in enumerate(self.appearances):
            yield PlacedSpan(("appearances", index), appearance.span)
        for index, evidence in enumerate(self.evidence):
            yield PlacedSpan(("review", "evidence", index), evidence.span)

    def with_span(self, pointer: Pointer, span: Span) -> Claim:
        """The claim with the span at `pointer` (one `spans()` gave) replaced by `span`."""
        match pointer:
            case ("appearances", int(index)):
                appearances = list(self.appearances)
                appearances[index] = attrs.evolve(appearances[index], span=span)
                return attrs.evolve(self, appearances=tuple(appearances))
            case ("review", "evidence", int(index)) if self.review is not None:
                evidence = list(self.evidence)
                evidence[index] = attrs.evolve(evidence[index], span=span)
                review = attrs.evolve(self.review, evidence=tuple(evidence))
                return attrs.evolve(self, review=review)
        raise ValueError(f"no span at {pointer} in claim {self.id}")

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
                evidence=tuple(map(Evidence.from_data, review.get("evidence", ()))),
                empty_evidence_written=review.get("evidence") == [],
            ),
            related=tuple(Related(**r) for r in data.get("related", ())),
            notes=data.get("notes"),
            claim_short=data.get("claim_short"),
            claim_types=tuple(data.get("claim_types", ())),
            origin=document,
        )

    def to_data(self) -> dict[str, Any]:
        """The record as data, as the canonical writer writes it."""
        return {
            "id": self.id,
            "claim": self.claim,
            "claimant": self.claimant.to_data(),
            "claim_date": self.claim_date,
            "appearances": [appearance.to_data() for appearance in self.appearances],
            "topics": list(self.topics),
            **_optional(
                review=self.review and self.review.to_data(),
                related=[attrs.asdict(related) for related in self.related] or None,
                notes=self.notes,
                claim_short=self.claim_short,
                claim_types=list(self.claim_types) or None,
            ),
        }


@attrs.frozen
class Revision:
    date: str
    sha256: str
    reason: str


@attrs.frozen
class Source:
    """A source document: its metadata, and its text decoded exactly as stored. `ships_text`
    says whether the built dataset may carry the whole text.
    `empty_revisions_written` remembers metadata that writes `revisions: []`."""

    id: str
    title: str
    publisher: str
    published: str
    languages: tuple[str, ...]
    sha256: str
    license: str
    redistribution: str
    rights: str
    text: str = attrs.field(repr=False)
    url: str | None = None
    revisions: tuple[Revision, ...] = ()
    empty_revisions_written: bool = False
    notes: str | None = None
    origin: Document = attrs.field(kw_only=True, eq=False, repr=False)

    @property
    def ships_text(self) -> bool:
        return self.redistribution == "full-text"

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
            license=data["license"],
            redistribution=data["redistribution"],
            rights=data["rights"],
            text=text,
            url=data.get("url"),
            revisions=tuple(Revision(**r) for r in data.get("revisions", ())),
            empty_revisions_written=data.get("revisions") == [],
            notes=data.get("notes"),
            origin=document,
        )

    def to_data(self) -> dict[str, Any]:
        """The metadata as data (the text is its own file)."""
        data: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "publisher": self.publisher,
            "published": self.published,
            "languages": list(self.languages),
            "sha256": self.sha256,
            **_optional(url=self.url),
            "license": self.license,
            "redistribution": self.redistribution,
            "rights": self.rights,
        }
        if self.revisions or self.empty_revisions_written:
            data["revisions"] = [attrs.asdict(revision) for revision in self.revisions]
        return {**data, **_optional(notes=self.notes)}


@attrs.frozen
class DatasetMetadata:
    """claims/dataset.yaml: what the built dataset is called, its version and licence."""

    name: str
    pretty_name: str
    version: str
    license: str
    description: str
    curators: tuple[str, ...] = ()
    citation: str | None = None
    repo_id: str | None = None
    tags: tuple[str, ...] = ()
    homepage: str | None = None
    claim_url: str | None = None
    splits: tuple[tuple[str, int], ...] | None = None
    labelled_splits: tuple[tuple[str, int], ...] | None = None
    origin: Document = attrs.field(kw_only=True, eq=False, repr=False)

    @property
    def split_weights(self) -> tuple[tuple[str, int], ...]:
        """The declared splits and weights; every claim in train when none are declared."""
        return self.splits or (("train", 1),)

    @property
    def labelled_split_weights(self) -> tuple[tuple[str, int], ...]:
        """The labelled config's splits: as declared, else train 4 to test 1."""
        return self.labelled_splits or (("train", 4), ("test", 1))

    @classmethod
    def from_document(cls, document: Document) -> DatasetMetadata:
        data = document.data
        splits, labelled = data.get("splits"), data.get("labelled_splits")
        return cls(
            name=data["name"],
            pretty_name=data["pretty_name"],
            version=data["version"],
            license=data["license"],
            description=data["description"],
            curators=tuple(data.get("curators", ())),
            citation=data.get("citation"),
            repo_id=data.get("repo_id"),
            tags=tuple(data.get("tags", ())),
            homepage=data.get("homepage"),
            claim_url=data.get("claim_url"),
            splits=None if splits is None else tuple(splits.items()),
            labelled_splits=None if labelled is None else tuple(labelled.items()),
            origin=document,
        )

    def to_data(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "pretty_name": self.pretty_name,
            "version": self.version,
            "license": self.license,
            "description": self.description,
            **_optional(
                curators=list(self.curators) or None,
                citation=self.citation,
                repo_id=self.repo_id,
                tags=list(self.tags) or None,
                homepage=self.homepage,
                claim_url=self.claim_url,
                splits=None if self.splits is None else dict(self.splits),
                labelled_splits=None
                if self.labelled_splits is None
                else dict(self.labelled_splits),
            ),
        }


@attrs.frozen
class Repository:
    """Everything that passed the schemas, ready for the semantic checks and the build.

    `unreadable_sources` and `claim_files` remember ids whose files exist but did not load, so
    that one broken file does not make every reference to it look dangling too. A partial read
    (`read_repository(layout, only=...)`) leaves records out; `unread_claim_files` names their
    files by stem, for the unique-id check, and `source_files` names every source present.
    """

    dataset: DatasetMetadata | None
    topics: dict[str, str]
    sources: dict[str, Source]
    claims: tuple[Claim, ...]
    unreadable_sources: frozenset[str] = frozenset()
    claim_files: frozenset[str] = frozenset()
    unread_claim_files: dict[str, tuple[str, ...]] = attrs.Factory(dict)
    source_files: frozenset[str] = frozenset()

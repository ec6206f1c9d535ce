"""Claim spans as W3C Web Annotations (https://www.w3.org/TR/annotation-model/), one JSON line
each, so annotation tools (Hypothesis, Recogito and the like) can show where a claim is made and
what bears on it, on the source itself.

Motivations, from the model's list: an appearance is "describing" (the body describes what the
source says there: the claim, stated); an evidence span is "assessing" (it is used to judge the
claim, and its stance is a "classifying" body). The target names the source by its URL where it
has one, else by its content hash (`urn:sha256:`), and selects the span twice: by quote with 32
characters of context, and by code-point position, the offsets as the records give them. Ids are
URNs made from the claim id and the span's place, so a build stays byte-reproducible; lines are
written by `jsonlines`, as claimreview.jsonl's are: one annotation per line for any reader, and
each line safe in a script element.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from builder.dataset import jsonlines
from builder.model import Repository
from builder.rows import Row

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MOTIVATIONS = {"appearances": "describing", "evidence": "assessing"}


def annotation_lines(repository: Repository, claim: Row) -> Iterator[str]:
    """One W3C Web Annotation (JSON, one line, ending in \\n) per appearance and per evidence
    span of the claim row."""
    for kind in ("appearances", "evidence"):
        for index, span in enumerate(claim[kind]):
            yield jsonlines.line(annotation(repository, claim, kind, index, span))


def annotation(repository: Repository, claim: Row, kind: str, index: int, span: Row) -> Row:
    body: list[dict[str, Any]] = [
        {"type": "TextualBody", "value": claim["id"], "purpose": "identifying"},
        {"type": "TextualBody", "value": claim["claim"], "purpose": "describing", "language": "en"},
    ]
    if "stance" in span:
        body.append({"type": "TextualBody", "value": span["stance"], "purpose": "classifying"})
    return {
        "@context": CONTEXT,
        "id": f"urn:claims:{claim['id']}:{kind}:{index}",
        "type": "Annotation",
        "motivation": MOTIVATIONS[kind],
        "body": body,
        "target": {"source": _source_iri(repository, span["source"]), "selector": _selectors(span)},
    }


def _source_iri(repository: Repository, source_id: str) -> str:
    source = repository.sources[source_id]
    return source.url or f"urn:sha256:{source.sha256}"


def _selectors(span: Row) -> list[dict[str, Any]]:
    return [
        {
            "type": "TextQuoteSelector",
            "exact": span["quote"],
            "prefix": span["prefix"],
            "suffix": span["suffix"],
        },
        {"type": "TextPositionSelector", "start": span["start"], "end": span["end"]},
    ]

"""Claim spans as W3C Web Annotations: valid by the model, and selecting exactly the span."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from builder.dataset.annotations import annotation as one_annotation
from builder.dataset.annotations import annotation_lines
from builder.layout import Layout
from builder.model import Repository
from builder.rows import claim_rows
from builder.validation import validate
from tests.conftest import MINI, PROJECT


def _repository(root: Path) -> Repository:
    return validate(Layout(root)).repository


def _annotations(repository: Repository) -> list[dict[str, Any]]:
    lines = [line for row in claim_rows(repository) for line in annotation_lines(repository, row)]
    assert all(line.endswith("\n") and line.count("\n") == 1 for line in lines)
    return [json.loads(line) for line in lines]


@pytest.fixture(scope="module", params=[MINI, PROJECT], ids=["mini", "shipped"])
def repository(request: pytest.FixtureRequest) -> Repository:
    return _repository(request.param)


def test_every_span_is_an_annotation_with_the_required_properties(repository: Repository) -> None:
    annotations = _annotations(repository)
    spans = sum(len(c.appearances) + len(c.evidence) for c in repository.claims)
    assert len(annotations) == spans > 0
    for annotation in annotations:
        assert annotation["@context"] == "http://www.w3.org/ns/anno.jsonld"
        assert annotation["type"] == "Annotation"
        assert annotation["id"].startswith("urn:claims:")
        assert annotation["motivation"] in {"describing", "assessing"}
        assert annotation["target"]["source"]
        types = [selector["type"] for selector in annotation["target"]["selector"]]
        assert types == ["TextQuoteSelector", "TextPositionSelector"]
    assert len({annotation["id"] for annotation in annotations}) == len(annotations)


def test_the_position_selects_the_quote_with_its_context(repository: Repository) -> None:
    sources = repository.sources.values()
    texts = {source.url or f"urn:sha256:{source.sha256}": source.text for source in sources}
    for annotation in _annotations(repository):
        text = texts[annotation["target"]["source"]]
        quote, position = annotation["target"]["selector"]
        start, end = position["start"], position["end"]
        assert text[start:end] == quote["exact"]
        assert quote["prefix"] == text[max(0, start - 32) : start]
        assert quote["suffix"] == text[end : end + 32]


def test_the_target_is_the_url_or_else_the_content_hash() -> None:
    repository = _repository(MINI)
    targets = {a["target"]["source"] for a in _annotations(repository)}
    statement = repository.sources["mini-statement-2024"]
    assert statement.url is None
    assert targets == {"https://example.org/reports/2024", f"urn:sha256:{statement.sha256}"}


def test_offsets_count_code_points_past_an_emoji_and_a_combining_mark() -> None:
    repository = _repository(MINI)
    text = repository.sources["mini-statement-2024"].text
    assert text.startswith("\U0001f44d\U0001f3fd") and "Cafe\u0301" in text
    by_id = {a["id"]: a["target"]["selector"][1] for a in _annotations(repository)}
    prisoners = by_id["urn:claims:no-political-prisoners-2024:appearances:0"]
    assert prisoners["start"] == text.index("«nu există") == 63
    cafe = by_id["urn:claims:cafe-talks-continue-2024:appearances:0"]
    quote = "the Cafe\u0301 Europa talks would continue"
    assert (cafe["start"], cafe["end"]) == (text.index(quote), text.index(quote) + len(quote))


def test_markup_in_the_data_cannot_end_a_script_element() -> None:
    repository = _repository(MINI)
    row = next(claim_rows(repository))
    row["claim"] = "</script><script>alert(1)</script> & more"
    row["appearances"][0]["quote"] = "</script>"
    lines = list(annotation_lines(repository, row))
    assert not any(c in line for line in lines for c in "<>&")
    annotation = json.loads(lines[0])
    assert annotation["target"]["selector"][0]["exact"] == "</script>"
    assert annotation["body"][1]["value"] == row["claim"]


SEPARATORS = "\x85\u2028\u2029"


def test_line_separators_in_the_data_keep_one_annotation_per_line() -> None:
    """JavaScript and `str.splitlines` end a line at U+0085, U+2028 and U+2029 too."""
    repository = _repository(MINI)
    row = next(claim_rows(repository))
    row["claim"] = "one\x85two\u2028three\u2029four"
    row["appearances"][0]["prefix"] = "before\u2028"
    lines = list(annotation_lines(repository, row))
    assert not any(char in line for line in lines for char in SEPARATORS)
    assert all(len(line.splitlines()) == 1 for line in lines)
    assert "one\\u0085two\\u2028three\\u2029four" in lines[0]
    annotation = json.loads(lines[0])
    assert annotation["body"][1]["value"] == row["claim"]
    assert annotation["target"]["selector"][0]["prefix"] == "before\u2028"


def test_a_line_without_separators_or_markup_is_plain_json() -> None:
    """The escapes change no byte of a line that has none of those characters: builds of
    such data stay as they were."""
    repository = _repository(MINI)
    for row in claim_rows(repository):
        for line, data in zip(
            annotation_lines(repository, row),
            (
                one_annotation(repository, row, kind, index, span)
                for kind in ("appearances", "evidence")
                for index, span in enumerate(row[kind])
            ),
            strict=True,
        ):
            assert line == json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n"

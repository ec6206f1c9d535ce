"""`claims reanchor`: every span follows its words into a revised source, or is reported
ambiguous or lost and left alone; never put where its words are not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from builder import reanchor
from builder.anchoring import inside_word
from builder.errors import InvalidDataError
from builder.layout import Layout
from builder.loader import Document, load_file
from builder.problems import Problem
from builder.reanchoring import Outcome, Reanchorer
from tests.conftest import Ran, Run

# Words rather than arbitrary characters: a text of "aaaa" has no one right place for "aa".
WORD = st.sampled_from(
    [
        "Kazakhstan",
        "rights",
        "the",
        "prisoners",
        "în",
        "deținuți",
        "\u0421laus",
        "👍🏽",
        "e\u0301",
        "12\u00a0March",
        "2018",
        "of,",
        "law",
        "reform",
        "EU",
    ]
)


@st.composite
def span_and_text(draw: st.DrawFn) -> tuple[str, int, int]:
    """A text of words, and a span from the start of one word to the end of a later one."""
    words = draw(st.lists(WORD, min_size=8, max_size=60))
    first = draw(st.integers(0, len(words) - 2))
    last = draw(st.integers(first + 1, len(words) - 1))
    start = len(" ".join(words[:first])) + (1 if first else 0)
    end = len(" ".join(words[: last + 1]))
    return " ".join(words), start, end


@settings(max_examples=300, deadline=None)
@given(span_and_text(), st.data())
def test_edits_outside_a_span_keep_it_with_the_right_offsets(
    case: tuple[str, int, int], data: st.DataObject
) -> None:
    text, start, end = case
    quote = text[start:end]
    where = data.draw(st.sampled_from(["before", "after"]))
    inserted = data.draw(st.text(min_size=1, max_size=20))
    deleted = data.draw(st.integers(0, 10))
    if where == "before":
        cut = data.draw(st.integers(0, start))
        gone = min(deleted, start - cut)
        new = text[:cut] + inserted + text[cut + gone :]
        truth = start - gone + len(inserted)
    else:
        cut = data.draw(st.integers(end, len(text)))
        new = text[:cut] + inserted + text[cut + deleted :]
        truth = start
    # Letters typed against the span's first or last word change that word: an edit at the
    # quote's edge, not outside it (tests/test_reanchoring.py has those).
    assume(
        not any(
            inside_word(new, new_edge) and not inside_word(text, old_edge)
            for old_edge, new_edge in ((start, truth), (end, truth + len(quote)))
        )
    )
    found = Reanchorer(text, new).find(start, end)
    if found.outcome in (Outcome.AMBIGUOUS, Outcome.LOST):
        # Refusing to choose is allowed where the quote repeats ("Kazakhstan Kazakhstan" in a
        # text of that word only), never where it occurs once.
        assert new.count(quote) > 1 or text.count(quote) > 1, found
        return
    assert found.outcome in (Outcome.UNCHANGED, Outcome.MOVED), found
    assert found.quote == quote
    assert new[found.start : found.end] == quote
    if new.count(quote) == 1:
        assert (found.start, found.end) == (truth, truth + len(quote))


@settings(max_examples=300, deadline=None)
@given(span_and_text(), st.data())
def test_an_edit_inside_a_span_re_anchors_it_there_or_reports_it(
    case: tuple[str, int, int], data: st.DataObject
) -> None:
    text, start, end = case
    cut = data.draw(st.integers(start, end - 1))
    gone = data.draw(st.integers(0, end - cut))
    inserted = data.draw(st.text(max_size=8))
    assume(gone or inserted)
    new = text[:cut] + inserted + text[cut + gone :]
    truth = (start, end - gone + len(inserted))  # where the span's words now are
    found = Reanchorer(text, new).find(start, end)
    if found.outcome in (Outcome.LOST, Outcome.AMBIGUOUS):
        return
    assert found.start is not None and found.end is not None
    assert found.quote == new[found.start : found.end]
    overlaps = found.start < truth[1] and found.end > truth[0]
    same_words = new.count(text[start:end]) > 0 and found.quote == text[start:end]
    assert overlaps or same_words, (found, truth)


def _source(repo: Path, source_id: str) -> Path:
    return repo / "claims" / "sources" / f"{source_id}.txt"


def _revise(
    repo: Path, tmp_path: Path, source_id: str, old: str, new: str, *, count: int = -1
) -> Path:
    text = _source(repo, source_id).read_bytes().decode("utf-8")
    assert old in text
    revised = tmp_path / f"{source_id}-revised.txt"
    revised.write_bytes(text.replace(old, new, count).encode("utf-8"))
    return revised


def _add_claim_quoting_cyrillic(repo: Path, claims: Run) -> None:
    """A claim whose quote holds the source's Cyrillic look-alike letter (\u0421laus)."""
    written = claims(
        "new", "--root", repo, "--source", "elkz-2023-03-11", "--quote",
        "Director of the Coordination Programs Department Claus Neukirch", "--id",
        "neukirch-at-the-talks-2023", "--folder", "2023", "--claim",
        "Claus Neukirch took part in the talks.", "--claimant", "El.kz", "--kind",
        "organization", "--date", "2023-03-11", "--topic", "international-cooperation",
    )  # fmt: skip
    assert written.returncode == 0, written.stderr


def _report(result: Ran) -> list[dict[str, Any]]:
    report: list[dict[str, Any]] = json.loads(result.stdout)
    return report


def test_a_corrected_look_alike_letter_changes_only_the_quote_that_holds_it(
    repo: Path, tmp_path: Path, claims: Run
) -> None:
    _add_claim_quoting_cyrillic(repo, claims)
    revised = _revise(repo, tmp_path, "elkz-2023-03-11", "\u0421laus", "Claus")
    result = claims("reanchor", "--root", repo, "elkz-2023-03-11", revised, "--format", "json")
    assert result.returncode == 0, result.stderr
    report = _report(result)
    assert any("\u0421" in span["old"]["quote"] for span in report)
    for span in report:
        old, new = span["old"], span["new"]
        assert isinstance(old, dict) and isinstance(new, dict)
        assert (new["start"], new["end"]) == (old["start"], old["end"])
        assert new["quote"] == str(old["quote"]).replace("\u0421", "C")
        expected = "changed-quote" if "\u0421" in str(old["quote"]) else "unchanged"
        assert span["outcome"] == expected
    assert _source(repo, "elkz-2023-03-11").read_bytes() == revised.read_bytes()
    assert claims("validate", "--root", repo, "--strict").returncode == 0


def test_removed_lines_at_the_top_move_every_span(repo: Path, tmp_path: Path, claims: Run) -> None:
    text = _source(repo, "elkz-2023-03-11").read_bytes().decode("utf-8")
    top = "".join(text.splitlines(keepends=True)[:3])
    assert top == "498.34\n519.72\n4.85\n"
    revised = _revise(repo, tmp_path, "elkz-2023-03-11", top, "", count=1)
    result = claims(
        "reanchor",
        "--root",
        repo,
        "elkz-2023-03-11",
        revised,
        "--format",
        "json",
        "--reason",
        "exchange-rate lines removed",
        "--date",
        "2026-11-22",
    )
    assert result.returncode == 0, result.stderr
    report = _report(result)
    assert report and {span["outcome"] for span in report} == {"moved"}
    assert all(s["new"]["start"] == s["old"]["start"] - len(top) for s in report)
    assert claims("validate", "--root", repo, "--strict").returncode == 0
    metadata = load_file(repo / "claims/sources/elkz-2023-03-11.yaml", "m")
    assert isinstance(metadata, Document)
    assert metadata.data["revisions"] == [
        {
            "date": "2026-11-22",
            "sha256": "942583e4435a28f90723b6997393fa9d3eedb6397e28fa11753951dda3adc199",
            "reason": "exchange-rate lines removed",
        }
    ]


def test_no_break_spaces_turned_into_spaces_keep_offsets_and_change_quotes(
    repo: Path, tmp_path: Path, claims: Run
) -> None:
    revised = _revise(repo, tmp_path, "europarl-2022-08", "\u00a0", " ")
    result = claims("reanchor", "--root", repo, "europarl-2022-08", revised, "--format", "json")
    assert result.returncode == 0, result.stderr
    for span in _report(result):
        old, new = span["old"], span["new"]
        assert isinstance(old, dict) and isinstance(new, dict)
        assert (new["start"], new["end"]) == (old["start"], old["end"])
        assert new["quote"] == str(old["quote"]).replace("\u00a0", " ")
        expected = "changed-quote" if "\u00a0" in str(old["quote"]) else "unchanged"
        assert span["outcome"] == expected
    assert claims("validate", "--root", repo, "--strict").returncode == 0


def test_a_deleted_quoted_sentence_is_lost_and_its_record_left_untouched(
    repo: Path, tmp_path: Path, claims: Run
) -> None:
    record = next(
        (repo / "claims" / "records").rglob(
            "venice-commission-recommendations-taken-into-account-2023.yaml"
        )
    )
    before = record.read_bytes()
    data = load_file(record, "r")
    assert isinstance(data, Document)
    quote = data.data["appearances"][0]["quote"]
    text = _source(repo, "elkz-2023-03-11").read_bytes().decode("utf-8")
    sentence_start = text.rfind("\n", 0, text.index(quote)) + 1
    sentence_end = text.index("\n", text.index(quote))
    revised = _revise(repo, tmp_path, "elkz-2023-03-11", text[sentence_start:sentence_end], "")
    result = claims("reanchor", "--root", repo, "elkz-2023-03-11", revised)
    assert result.returncode == 1
    record_name = "venice-commission-recommendations-taken-into-account-2023.yaml"
    assert f"lost          claims/records/2023/{record_name} appearances[0]" in result.stdout
    assert "ambiguous or lost" in result.stderr
    assert record.read_bytes() == before
    validated = claims("validate", "--root", repo, "--format", "json")
    assert validated.returncode == 1
    assert any(
        p["file"].endswith("venice-commission-recommendations-taken-into-account-2023.yaml")
        for p in _report(validated)
    )


def test_dry_run_reports_and_changes_nothing(repo: Path, tmp_path: Path, claims: Run) -> None:
    revised = _revise(repo, tmp_path, "elkz-2023-03-11", "498.34\n", "", count=1)
    before = {p: p.read_bytes() for p in (repo / "claims").rglob("*") if p.is_file()}
    result = claims("reanchor", "--root", repo, "elkz-2023-03-11", revised, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "moved" in result.stdout
    assert {p: p.read_bytes() for p in (repo / "claims").rglob("*") if p.is_file()} == before


def test_reanchor_refuses_an_invalid_start_and_a_text_that_is_not_utf8(
    repo: Path, tmp_path: Path, claims: Run
) -> None:
    latin = tmp_path / "latin.txt"
    latin.write_bytes("caf\xe9".encode("latin-1"))
    result = claims("reanchor", "--root", repo, "elkz-2023-03-11", latin)
    assert result.returncode == 2
    assert "not UTF-8" in result.stderr
    text = _source(repo, "elkz-2023-03-11")
    text.write_bytes(text.read_bytes() + b"tampered")
    refused = claims("reanchor", "--root", repo, "elkz-2023-03-11", text)
    assert refused.returncode == 1
    assert "must be valid before re-anchoring" in refused.stderr and "A003" in refused.stderr
    unknown = claims("reanchor", "--root", repo, "no-such-source", latin)
    assert unknown.returncode == 2 and "no source 'no-such-source'" in unknown.stderr


@pytest.mark.parametrize("source_id", ["kazinform-2021-02-13", "kz-mission-eu-2018-08"])
def test_an_unchanged_text_leaves_every_span_unchanged(
    repo: Path, tmp_path: Path, claims: Run, source_id: str
) -> None:
    copy = tmp_path / "same.txt"
    copy.write_bytes(_source(repo, source_id).read_bytes())
    result = claims("reanchor", "--root", repo, source_id, copy, "--dry-run", "--format", "json")
    assert {span["outcome"] for span in _report(result)} == {"unchanged"}


def test_a_plan_with_a_record_it_cannot_rewrite_writes_nothing(repo: Path) -> None:
    """All or nothing: a record that cannot be rewritten stops the whole revision, so the
    text never changes under records still pointing at the old one."""
    layout = Layout(repo)
    files = layout.source("elkz-2023-03-11")
    assert files.text is not None and files.metadata is not None
    record = "claims/records/2023/elections-on-19-march-2023.yaml"
    refusal = Problem(record, 3, 1, "F001", "this file cannot be rewritten")
    before = {p: p.read_bytes() for p in (repo / "claims").rglob("*") if p.is_file()}
    plan = reanchor.Plan(
        spans=(),
        rewrites=((record, refusal), (files.metadata, "id: elkz-2023-03-11\n")),
        text=(files.text, b"a revised text\n"),
    )
    with pytest.raises(InvalidDataError) as refused:
        reanchor.apply(layout, plan)
    assert str(refused.value) == "nothing was re-anchored: these files cannot be rewritten"
    assert refused.value.problems == (refusal,)
    assert {p: p.read_bytes() for p in (repo / "claims").rglob("*") if p.is_file()} == before


def test_the_report_says_how_each_span_was_placed(repo: Path, tmp_path: Path, claims: Run) -> None:
    """`--explain` and the JSON's `how`: by the diff, or by the quote with the share edited
    and the context agreeing on each side, so a curator can audit a plan before applying it."""
    _add_claim_quoting_cyrillic(repo, claims)
    text = _source(repo, "elkz-2023-03-11").read_bytes().decode("utf-8")
    revised = tmp_path / "revised.txt"
    revised.write_bytes(
        text.replace("498.34\n519.72\n4.85\n", "").replace("Mazhilis", "Majilis").encode()
    )
    args = ("reanchor", "--root", repo, "elkz-2023-03-11", revised, "--dry-run")
    printed = claims(*args, "--format", "json").stdout
    assert printed.startswith('[\n  {\n    "file": "claims/records/')  # indented by two
    assert "\u0421laus" in printed and "\\u0421" not in printed  # as it is, not escaped
    report = {s["claim"]: s for s in json.loads(printed)}
    elections = report["elections-on-19-march-2023"]
    assert elections["file"] == "claims/records/2023/elections-on-19-march-2023.yaml"
    assert elections["span"] == "appearances[0]"
    assert elections["outcome"] == "changed-quote"
    assert elections["how"] == {
        "method": "fuzzy",
        "context": {"before": 1264, "after": 4096},
        "edited": round(2 / 89, 3),
        "candidates": [],
    }
    moved = report["coe-ready-to-assist-government-2023"]
    assert (moved["outcome"], moved["new"]["start"]) == ("moved", 1479 - 20)
    assert moved["how"] == {"method": "diff", "context": None, "edited": None, "candidates": []}
    explained = claims(*args, "--explain").stdout.splitlines()
    line = next(i for i, x in enumerate(explained) if "elections-on-19-march-2023" in x)
    assert explained[line].endswith(
        "appearances[0]: 1283-1372 -> 1264-1352: 'preparation to the elections to the Mazhilis "
        "of the Parliament and Maslikhats on March 19' -> 'preparation to the elections to the "
        "Majilis of the Parliament and Maslikhats on March 19'"
    )
    assert explained[line + 1] == (
        "    how: placed by its quote, found with characters edited; 2.2% of the quote "
        "edited; context agreeing: 1264 characters before, 4096 after"
    )
    line = next(i for i, x in enumerate(explained) if "coe-ready-to-assist-government" in x)
    assert explained[line].startswith("moved         claims/records/2023/coe-ready-to-assist")
    assert explained[line].endswith("appearances[0]: 1479-1578 -> 1459-1558")
    assert explained[line + 1] == (
        "    how: placed by the diff: its words are where the revision moved them"
    )
    assert explained[-1] == "0 unchanged, 11 moved, 1 changed-quote, 0 ambiguous, 0 lost (12 spans)"
    plain = claims(*args).stdout
    assert "how:" not in plain and plain.splitlines()[-1] == explained[-1]


def test_an_ambiguous_span_lists_the_places_weighed(
    repo: Path, tmp_path: Path, claims: Run
) -> None:
    """A paragraph doubled in place: the report names both copies, with their offsets and
    the context agreeing at each, and leaves the record as it was."""
    text = _source(repo, "elkz-2023-03-11").read_bytes().decode("utf-8")
    paragraph = next(p for p in text.split("\n") if p.startswith("Director Kuznetsov"))
    revised = tmp_path / "revised.txt"
    revised.write_bytes(text.replace(paragraph, f"{paragraph}\n\n{paragraph}").encode())
    args = ("reanchor", "--root", repo, "elkz-2023-03-11", revised, "--dry-run")
    result = claims(*args, "--format", "json")
    assert result.returncode == 1
    ambiguous = [s for s in _report(result) if s["outcome"] == "ambiguous"]
    assert ambiguous
    for span in ambiguous:
        assert span["new"] is None and span["how"]["method"] is None
        starts = [c["start"] for c in span["how"]["candidates"]]
        copy = len(paragraph) + 2
        assert span["old"]["start"] in starts and span["old"]["start"] + copy in starts
        assert all(set(c) == {"start", "end", "context"} for c in span["how"]["candidates"])
        assert all(c["end"] - c["start"] == span["old"]["end"] - span["old"]["start"]
                   for c in span["how"]["candidates"])  # fmt: skip
        assert all(set(c["context"]) == {"before", "after"} for c in span["how"]["candidates"])
        assert "no place has clearly more of the span's context" in span["detail"]
    explained = claims(*args, "--explain").stdout
    first = ambiguous[0]["how"]["candidates"]
    weighed = ", ".join(
        f"{c['start']}-{c['end']} (context {c['context']['before']}+{c['context']['after']})"
        for c in first
    )
    assert f"; places weighed: {weighed}\n" in explained
    assert "    how: not placed: found at " in explained
    assert f"{len(ambiguous)} ambiguous" in explained


def test_only_problems_that_touch_the_revision_stop_it(
    repo: Path, tmp_path: Path, claims: Run
) -> None:
    """An error in a record that quotes another source does not stop re-anchoring; a record
    that does not load at all does, since it may quote this source."""
    other = next((repo / "claims" / "records").rglob("almaty-detentions-did-not-happen-2018.yaml"))
    data = load_file(other, "r")
    assert isinstance(data, Document)
    assert all(a["source"] != "elkz-2023-03-11" for a in data.data["appearances"])
    other.write_text(
        other.read_text(encoding="utf-8").replace("topics: [", "topics: [no-such-topic, "),
        encoding="utf-8",
    )
    same = tmp_path / "same.txt"
    same.write_bytes(_source(repo, "elkz-2023-03-11").read_bytes())
    args = ("reanchor", "--root", repo, "elkz-2023-03-11", same, "--dry-run")
    assert claims("validate", "--root", repo).returncode == 1  # the record is invalid
    allowed = claims(*args)
    assert allowed.returncode == 0, allowed.stderr
    other.write_text("id: [unclosed\n", encoding="utf-8")
    refused = claims(*args)
    assert refused.returncode == 1
    assert "must be valid before re-anchoring: fix the problems above first" in refused.stderr
    assert "almaty-detentions-did-not-happen-2018.yaml" in refused.stderr


def test_a_record_whose_comment_would_be_lost_stops_the_revision(
    repo: Path, tmp_path: Path, claims: Run
) -> None:
    """Rewriting a record in canonical form keeps only its leading comments; one elsewhere
    would be lost, so nothing is re-anchored and the record's file is named (F001)."""
    record = next((repo / "claims" / "records").rglob("elections-on-19-march-2023.yaml"))
    lines = record.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(3, "  # a curator's aside, kept by hand\n")
    record.write_text("".join(lines), encoding="utf-8")
    assert claims("validate", "--root", repo).returncode == 0
    before = {p: p.read_bytes() for p in (repo / "claims").rglob("*") if p.is_file()}
    revised = _revise(repo, tmp_path, "elkz-2023-03-11", "498.34\n", "", count=1)
    result = claims("reanchor", "--root", repo, "elkz-2023-03-11", revised)
    assert result.returncode == 1
    assert "nothing was re-anchored: these files cannot be rewritten" in result.stderr
    assert "claims/records/2023/elections-on-19-march-2023.yaml:" in result.stderr
    assert "F001" in result.stderr
    assert {p: p.read_bytes() for p in (repo / "claims").rglob("*") if p.is_file()} == before

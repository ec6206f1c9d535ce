"""Semantic checks over whole repositories built in a scratch folder."""

from __future__ import annotations

import datetime
import hashlib
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.checks import _check_span
from builder.layout import Layout
from builder.model import Repository, Span
from builder.problems import Problem
from builder.selection import Selection
from builder.validation import validate
from tests.conftest import CASES, PROJECT, found

TODAY = datetime.date(2026, 11, 23)
GOOD = CASES / "good" / "death-penalty-removed.yaml"
EMOJI_TEXT = (
    "Statement 👍🏽 of the Ministe\u0301re: «\u0421udo» — nu există deținuți\u00a0politici.\n"
    "The death penalty has been abolished.\n"
    "Torture is prohibited by the Constitution.\n"
)


def write_yaml(path: Path, data: dict[str, object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def add_source(repo: Path, source_id: str, text: str) -> None:
    folder = repo / "claims" / "sources"
    (folder / f"{source_id}.txt").write_bytes(text.encode("utf-8"))
    write_yaml(
        folder / f"{source_id}.yaml",
        {
            "id": source_id,
            "title": "A test source",
            "publisher": "Test",
            "published": "2024-01-02",
            "languages": ["en", "ro"],
            "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            "license": "CC0-1.0",
            "redistribution": "full-text",
            "rights": "Written for the tests.",
        },
    )


def add_claim(repo: Path, claim_id: str, source: str, start: int, end: int, *, quote: str) -> Path:
    path = repo / "claims" / "records" / f"{claim_id}.yaml"
    write_yaml(
        path,
        {
            "id": claim_id,
            "claim": "Kazakhstan has abolished the death penalty.",
            "claimant": {"name": "Test", "kind": "organization"},
            "claim_date": "2024-01-02",
            "appearances": [
                {"source": source, "start": start, "end": end, "quote": quote, "language": "en"}
            ],
            "topics": ["death-penalty"],
        },
    )
    return path


ABOLISHED = "The death penalty has been abolished."


def add_abolished_claim(repo: Path, claim_id: str, **fields: object) -> Path:
    """A valid claim quoting EMOJI_TEXT's death-penalty sentence, with `fields` set on it."""
    add_source(repo, "emoji-2024", EMOJI_TEXT)
    start = EMOJI_TEXT.index(ABOLISHED)
    path = add_claim(repo, claim_id, "emoji-2024", start, start + len(ABOLISHED), quote=ABOLISHED)
    if fields:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        write_yaml(path, {**data, **fields})
    return path


def test_the_shipped_repository_is_valid() -> None:
    result = validate(Layout(Path(__file__).resolve().parents[1]), TODAY)
    assert found(result) == []
    assert result.success(strict=True)


def test_offsets_count_code_points_past_emoji_and_combining_marks(repo: Path) -> None:
    add_source(repo, "emoji-2024", EMOJI_TEXT)
    quote = "The death penalty has been abolished."
    start = EMOJI_TEXT.index(quote)
    add_claim(repo, "abolished", "emoji-2024", start, start + len(quote), quote=quote)
    assert found(validate(Layout(repo), TODAY)) == []


def test_utf16_offsets_are_refused_with_the_right_ones_named(repo: Path) -> None:
    add_source(repo, "emoji-2024", EMOJI_TEXT)
    quote = "The death penalty has been abolished."
    start = EMOJI_TEXT.index(quote)
    units = len(EMOJI_TEXT[:start].encode("utf-16-le")) // 2
    add_claim(repo, "abolished", "emoji-2024", units, units + len(quote), quote=quote)
    [problem] = validate(Layout(repo), TODAY).problems
    assert problem.code == "A002"
    assert f"set start: {start} and end: {start + len(quote)}" in problem.message


def test_a_quote_typed_with_latin_letters_is_pointed_at_the_real_text(repo: Path) -> None:
    add_source(repo, "emoji-2024", EMOJI_TEXT)
    start = EMOJI_TEXT.index("«")
    add_claim(repo, "cudo", "emoji-2024", start, start + 6, quote='"Cudo"')
    [problem] = validate(Layout(repo), TODAY).problems
    assert problem.code == "A002"
    assert "CYRILLIC CAPITAL LETTER ES" in problem.message
    assert f"set start: {start}, end: {start + 6}" in problem.message


def test_spans_cutting_words_or_accents_or_with_spaces_are_warnings(repo: Path) -> None:
    add_source(repo, "emoji-2024", EMOJI_TEXT)
    e = EMOJI_TEXT.index("Ministe") + len("Ministe")
    add_claim(repo, "cut-accent", "emoji-2024", e - 7, e, quote="Ministe")
    start = EMOJI_TEXT.index("death")
    add_claim(repo, "cut-word", "emoji-2024", start + 1, start + 10, quote="eath pena")
    add_claim(repo, "spaced", "emoji-2024", start - 1, start + 5, quote=" death")
    result = validate(Layout(repo), TODAY)
    assert sorted((p.file.rsplit("/", 1)[-1], p.code) for p in result.problems) == [
        ("cut-accent.yaml", "A101"),
        ("cut-word.yaml", "A101"),
        ("cut-word.yaml", "A101"),
        ("spaced.yaml", "A102"),
    ]
    assert result.success() and not result.success(strict=True)


def test_a_broken_source_is_reported_once_not_at_every_span(repo: Path) -> None:
    (repo / "claims" / "records").mkdir(exist_ok=True)
    shutil.copy(GOOD, repo / "claims" / "records" / GOOD.name)
    (repo / "claims" / "sources" / "europarl-2022-08.yaml").write_text("id: [\n")
    assert [code for _, code, _ in found(validate(Layout(repo), TODAY))] == ["L004"]


def test_dates_are_judged_against_the_given_day(bare_repo: Path) -> None:
    (bare_repo / "claims" / "records").mkdir(exist_ok=True)
    shutil.copy(GOOD, bare_repo / "claims" / "records" / GOOD.name)
    assert found(validate(Layout(bare_repo), datetime.date(2026, 11, 1))) == []
    assert found(validate(Layout(bare_repo), datetime.date(2026, 10, 31))) == [
        ("claims/records/death-penalty-removed.yaml", "D001", 23)
    ]


def test_duplicate_ids_are_reported_on_both_files(bare_repo: Path) -> None:
    for folder in ("2022", "europarl"):
        (bare_repo / "claims" / "records" / folder).mkdir(parents=True)
        shutil.copy(GOOD, bare_repo / "claims" / "records" / folder / GOOD.name)
    problems = validate(Layout(bare_repo), TODAY).problems
    assert [(p.file, p.code) for p in problems] == [
        ("claims/records/2022/death-penalty-removed.yaml", "R002"),
        ("claims/records/europarl/death-penalty-removed.yaml", "R002"),
    ]
    assert "claims/records/europarl/death-penalty-removed.yaml" in problems[0].message


@pytest.mark.parametrize("field", ["license", "redistribution", "rights"])
def test_a_source_without_its_licence_terms_is_refused_with_what_to_write(
    repo: Path, field: str
) -> None:
    metadata = repo / "claims" / "sources" / "europarl-2022-08.yaml"
    kept = metadata.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(kept) if line.startswith(f"{field}:"))
    end = next((i for i in range(start + 1, len(kept)) if not kept[i].startswith(" ")), len(kept))
    metadata.write_text("".join(kept[:start] + kept[end:]), encoding="utf-8")
    [problem] = validate(Layout(repo), TODAY).problems
    assert (problem.file, problem.code) == ("claims/sources/europarl-2022-08.yaml", "S001")
    assert f"missing required field `{field}`" in problem.message
    assert {"license": "spdx", "redistribution": "full-text", "rights": "in words"}[
        field
    ] in problem.message.lower()


# Boundaries (each of these was a change to the code no test noticed) --------------------------


@pytest.mark.parametrize("past", [0, 1])
def test_a_span_may_end_at_the_last_character_and_not_one_past_it(repo: Path, past: int) -> None:
    """Python's slicing cuts `text[start:end]` short silently, so an `end` one past the text
    would compare a shorter slice with the quote: the bound itself must refuse it."""
    add_source(repo, "emoji-2024", EMOJI_TEXT)
    quote = "Torture is prohibited by the Constitution.\n"
    start = EMOJI_TEXT.index(quote)
    add_claim(repo, "last", "emoji-2024", start, len(EMOJI_TEXT) + past, quote=quote)
    codes = {code for _, code, _ in found(validate(Layout(repo), TODAY))}
    assert ("A001" in codes) == bool(past)


@pytest.mark.parametrize(
    ("claim_date", "reviewed", "too_early"),
    [
        ("2022-08", "2022", False),  # the review's year ends after the claim's month
        ("2022-08", "2022-08", False),
        ("2022-08-15", "2022-08", False),
        ("2022-08", "2022-07", True),
        ("2022-08", "2021", True),
        ("2022", "2022-01-01", False),
        ("2022-08-15", "2022-08-14", True),  # full dates: the day itself, not its year's end
        ("2022-08-15", "2022-08-15", False),
    ],
)
def test_a_review_is_too_early_only_if_its_last_day_is_before_the_claims_first(
    repo: Path, claim_date: str, reviewed: str, too_early: bool
) -> None:
    review = {
        "verdict": "not-enough-evidence",
        "rationale": "No other source.",
        "reviewed": reviewed,
    }
    add_abolished_claim(repo, "dated", claim_date=claim_date, review=review)
    codes = {code for _, code, _ in found(validate(Layout(repo), TODAY))}
    assert ("D002" in codes) == too_early


def test_a_cut_word_is_named_whole_at_the_text_s_first_and_last_word(repo: Path) -> None:
    """The A101 message names the word the span cuts, whole, also where that word is the
    first of the source (nothing before it) or the last (nothing after it)."""
    text = "Kazakhstan abolished the death penalty"
    add_source(repo, "edges-2024", text)
    add_claim(repo, "cut-first", "edges-2024", 3, 20, quote=text[3:20])
    add_claim(repo, "cut-last", "edges-2024", 25, len(text) - 2, quote=text[25 : len(text) - 2])
    messages = sorted(
        (p.file.rsplit("/", 1)[-1], p.message)
        for p in validate(Layout(repo), TODAY).problems
        if p.code == "A101"
    )
    assert messages == [
        ("cut-first.yaml", "the span's start (3) cuts the word 'Kazakhstan'; widen the span to "
         "whole words"),
        ("cut-last.yaml", "the span's end (36) cuts the word 'penalty'; widen the span to whole "
         "words"),
    ]  # fmt: skip


@pytest.fixture(scope="module")
def shipped_repository() -> Repository:
    result = validate(Layout(PROJECT), TODAY)
    assert result.problems == ()
    return result.repository


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_span_is_accepted_if_and_only_if_inside_its_text_and_quoting_it(
    shipped_repository: Repository, data: st.DataObject
) -> None:
    """For any offsets (the schema refuses negative ones) and any quote: no A001 or A002 if
    and only if 0 <= start < end <= len(text) and the quote is `text[start:end]`, the first
    and last code point of the text included."""
    text = shipped_repository.sources["elkz-2023-03-11"].text
    start = data.draw(st.integers(0, len(text) + 2))
    end = data.draw(st.one_of(st.integers(0, len(text) + 2), st.sampled_from([start + 1])))
    exact = text[start:end]
    quote = data.draw(st.one_of(st.just(exact), st.text(min_size=1, max_size=5)))
    claim = next(c for c in shipped_repository.claims if c.id == "elections-on-19-march-2023")
    span = Span("elkz-2023-03-11", start, end, quote)
    codes = {
        p.code for p in _check_span(shipped_repository, claim.origin, ("appearances", 0), span)
    }
    accepted = not codes & {"A001", "A002"}
    assert accepted == (0 <= start < end <= len(text) and quote == text[start:end]), codes


def test_a_source_published_or_revised_in_the_future_is_pointed_at(repo: Path) -> None:
    """D001 names the source's own field, `published` or the revision's `date`, with the day
    it was judged against; D002 tells the curator to check both dates."""
    add_source(repo, "future-2024", EMOJI_TEXT)
    metadata = repo / "claims" / "sources" / "future-2024.yaml"
    data = yaml.safe_load(metadata.read_text(encoding="utf-8"))
    data["published"] = "2026-12"
    data["revisions"] = [
        {"date": "2024-02-01", "sha256": "0" * 64, "reason": "typo fixed"},
        {"date": "2027", "sha256": "1" * 64, "reason": "dated ahead"},
    ]
    write_yaml(metadata, data)
    problems = [p for p in validate(Layout(repo), TODAY).problems if p.code == "D001"]
    lines = metadata.read_text(encoding="utf-8").splitlines()
    assert [(p.file, p.line, p.message) for p in problems] == [
        (
            "claims/sources/future-2024.yaml",
            lines.index("published: 2026-12") + 1,
            f"2026-12 is in the future (today is {TODAY.isoformat()}); check the date",
        ),
        (
            "claims/sources/future-2024.yaml",
            lines.index("- date: '2027'") + 1,
            f"2027 is in the future (today is {TODAY.isoformat()}); check the date",
        ),
    ]


def test_a_review_before_its_claim_says_which_dates_to_check(repo: Path) -> None:
    review = {
        "verdict": "not-enough-evidence",
        "rationale": "No other source.",
        "reviewed": "2023-12",
    }
    add_abolished_claim(repo, "early", review=review)
    [problem] = [p for p in validate(Layout(repo), TODAY).problems if p.code == "D002"]
    assert problem.message == (
        "reviewed 2023-12 is before the claim was made (2024-01-02); check both dates"
    )


def test_a_related_link_names_the_claim_meant_or_says_to_check_the_id(repo: Path) -> None:
    related = [
        {"claim": "linked", "relation": "repeats"},
        {"claim": "death-penalty-removed-202", "relation": "repeats"},
        {"claim": "zzzz", "relation": "repeats"},
    ]
    path = add_abolished_claim(repo, "linked", related=related)
    problems = [p for p in validate(Layout(repo), TODAY).problems if p.file.endswith("linked.yaml")]
    lines = path.read_text(encoding="utf-8").splitlines()
    claim_lines = [i + 1 for i, line in enumerate(lines) if line.startswith("- claim:")]
    assert [(p.code, p.line, p.message) for p in problems] == [
        (
            "R006",
            claim_lines[0],
            "a claim cannot be related to itself; point at another claim or remove the link",
        ),
        (
            "R005",
            claim_lines[1],
            "no claim 'death-penalty-removed-202' in claims/records; "
            "did you mean 'death-penalty-removed-2022'?",
        ),
        ("R005", claim_lines[2], "no claim 'zzzz' in claims/records; check the id"),
    ]


def test_span_problems_point_at_the_field_to_fix_and_say_how(repo: Path) -> None:
    add_source(repo, "emoji-2024", EMOJI_TEXT)
    start = EMOJI_TEXT.index("death")
    cases = {
        "near-id": ("emoji-202", start, start + 5, "death"),
        "unknown": ("zzzz", start, start + 5, "death"),
        "empty": ("emoji-2024", start, start, "death"),
        "spaced": ("emoji-2024", start - 1, start + 5, " death"),
    }
    for claim_id, (source, begin, end, quote) in cases.items():
        add_claim(repo, claim_id, source, begin, end, quote=quote)
    problems = validate(Layout(repo), TODAY).problems

    def at(claim_id: str, code: str) -> tuple[str, str]:
        [problem] = [p for p in problems if p.file.endswith(f"/{claim_id}.yaml") and p.code == code]
        lines = (repo / problem.file).read_text(encoding="utf-8").splitlines()
        return lines[problem.line - 1].strip(), problem.message

    sources = sorted(p.stem for p in (repo / "claims" / "sources").glob("*.txt"))
    assert at("near-id", "R003") == (
        "- source: emoji-202",
        "no source 'emoji-202' in claims/sources; did you mean 'emoji-2024'?",
    )
    assert at("unknown", "R003") == (
        "- source: zzzz",
        f"no source 'zzzz' in claims/sources; known sources: {', '.join(sources)}",
    )
    assert at("empty", "A001")[0] == f"start: {start}"  # start == end: the start is wrong
    assert at("spaced", "A102") == (
        "quote: ' death'",
        "the quote starts or ends with whitespace; narrow the span to the words",
    )


def test_a_quote_that_differs_is_shown_and_its_real_places_named(repo: Path) -> None:
    """A002: what the source reads there (cut at 100 characters), and where the words are: up
    to five exact places, the tolerant one with what differs, or that they are nowhere."""
    text = "alpha beta gamma. " * 6 + "\n" + "x" * 150 + "\nline one\nline two\n"
    add_source(repo, "words-2024", text)
    xs = text.index("x")
    line = text.index("line one")
    cases = {
        "five-places": (1, 11, "alpha beta"),
        "hundred": (xs, xs + 100, "nope"),
        "hundred-one": (xs, xs + 101, "nope"),
        "nowhere": (0, 5, "zebra"),
        "spacing": (0, 17, "line one line two"),
    }
    for claim_id, (begin, end, quote) in cases.items():
        add_claim(repo, claim_id, "words-2024", begin, end, quote=quote)
    messages = {
        p.file.rsplit("/", 1)[-1].removesuffix(".yaml"): p.message
        for p in validate(Layout(repo), TODAY).problems
        if p.code == "A002"
    }
    assert messages["five-places"] == (
        "the quote differs from words-2024 at 1-11, which reads 'lpha beta '; the quote occurs "
        "in 6 places, such as 0-10, 18-28, 36-46, 54-64, 72-82 (the 5 nearest to 1): set start "
        "and end to the one meant"
    )
    assert f"which reads {'x' * 100!r};" in messages["hundred"]
    assert f"which reads {'x' * 97 + '...'!r};" in messages["hundred-one"]
    assert messages["nowhere"].endswith(
        "; the quote does not occur in the source: copy it from the source text"
    )
    assert messages["spacing"].endswith(
        f"; the source has 'line one\\nline two' at {line}-{line + 17}: set start: {line}, "
        f"end: {line + 17} and copy the quote from the source"
    )


def test_a_quote_in_many_places_names_the_few_nearest_and_counts_only_so_far(
    repo: Path,
) -> None:
    """A one-word quote that occurs 200,000 times: the hint names the five places nearest to
    the offsets given and says "more than 100" rather than finding every place (which once
    took seconds a span). Two or three places are all named; one is named with its offsets."""
    text = "the " * 200_000
    add_source(repo, "common-2024", text)
    cases = {"start-2024": 1, "middle-2024": 400_001, "end-2024": 799_997}
    for claim_id, start in cases.items():
        add_claim(repo, claim_id, "common-2024", start, start + 3, quote="the")
    add_source(repo, "few-2024", "one two one two one\n")
    add_claim(repo, "three-2024", "few-2024", 1, 4, quote="one")
    add_claim(repo, "once-2024", "few-2024", 1, 4, quote="two one two")
    messages = {
        p.file.rsplit("/", 1)[-1].removesuffix(".yaml"): p.message.partition("; ")[2]
        for p in validate(Layout(repo), TODAY).problems
        if p.code == "A002"
    }
    assert messages["middle-2024"] == (
        "the quote occurs in more than 100 places, such as 399992-399995, 399996-399999, "
        "400000-400003, 400004-400007, 400008-400011 (the 5 nearest to 400001): set start and "
        "end to the one meant"
    )
    assert messages["start-2024"].startswith(
        "the quote occurs in more than 100 places, such as 0-3, 4-7, 8-11, 12-15, 16-19 "
    )
    assert (
        "such as 799980-799983, 799984-799987, 799988-799991, 799992-799995, 799996-799999 ("
        in (messages["end-2024"])
    )
    assert messages["three-2024"] == (
        "the quote occurs at 0-3, 8-11, 16-19: set start and end to the one meant"
    )
    assert messages["once-2024"] == "the quote occurs at 4-15: set start: 4 and end: 15"


def _from_column(repo: Path, problem: Problem) -> str:
    """The problem's line from its column on: the value the curator has to change."""
    line = (repo / problem.file).read_text(encoding="utf-8").splitlines()[problem.line - 1]
    return line[problem.column - 1 :]


def test_record_problems_point_at_the_value_to_change(repo: Path) -> None:
    """R001, R002, R003 and R005 put the cursor on the id, the span's source or the related
    claim itself, not on the mapping that holds it."""
    add_abolished_claim(repo, "linked", related=[{"claim": "zzzz", "relation": "repeats"}])
    add_abolished_claim(repo, "renamed", id="linked")
    add_source(repo, "emoji-2024", EMOJI_TEXT)
    add_claim(repo, "elsewhere", "emoji-202", 0, 9, quote="Statement")
    positions = {
        (p.file.rsplit("/", 1)[-1], p.code, _from_column(repo, p))
        for p in validate(Layout(repo), TODAY).problems
    }
    assert positions == {
        ("linked.yaml", "R002", "linked"),
        ("linked.yaml", "R005", "zzzz"),
        ("renamed.yaml", "R001", "linked"),
        ("renamed.yaml", "R002", "linked"),
        ("elsewhere.yaml", "R003", "emoji-202"),
    }


def test_a_revision_dated_ahead_points_at_its_date(repo: Path) -> None:
    add_source(repo, "future-2024", EMOJI_TEXT)
    metadata = repo / "claims" / "sources" / "future-2024.yaml"
    data = yaml.safe_load(metadata.read_text(encoding="utf-8"))
    data["revisions"] = [{"reason": "dated ahead", "date": "2027", "sha256": "1" * 64}]
    write_yaml(metadata, data)
    [problem] = [p for p in validate(Layout(repo), TODAY).problems if p.code == "D001"]
    assert _from_column(repo, problem) == "'2027'"


def test_an_unknown_topic_names_the_one_meant_or_where_topics_are_listed(repo: Path) -> None:
    add_abolished_claim(repo, "topical", topics=["death-penalty", "death-penalti", "zzzz"])
    problems = [p for p in validate(Layout(repo), TODAY).problems if p.code == "R004"]
    assert [(_from_column(repo, p), p.message) for p in problems] == [
        (
            "death-penalti",
            "topic 'death-penalti' is not in claims/topics.yaml; did you mean 'death-penalty'?",
        ),
        (
            "zzzz",
            "topic 'zzzz' is not in claims/topics.yaml; "
            "add it to claims/topics.yaml or pick one listed there",
        ),
    ]


def test_a_changed_source_text_says_to_reanchor_or_restore(repo: Path) -> None:
    add_source(repo, "emoji-2024", EMOJI_TEXT)
    text = repo / "claims" / "sources" / "emoji-2024.txt"
    text.write_text(EMOJI_TEXT.replace("abolished", "abolishd"), encoding="utf-8")
    actual = hashlib.sha256(text.read_bytes()).hexdigest()
    [problem] = [p for p in validate(Layout(repo), TODAY).problems if p.code == "A003"]
    assert (problem.file, _from_column(repo, problem)) == (
        "claims/sources/emoji-2024.yaml",
        hashlib.sha256(EMOJI_TEXT.encode("utf-8")).hexdigest(),
    )
    assert problem.message == (
        f"sources/emoji-2024.txt has sha256 {actual}, not the one recorded here; if the text "
        "was meant to change, run `claims reanchor`, otherwise restore the text"
    )


def test_checking_one_record_still_finds_its_id_taken_by_files_not_read(repo: Path) -> None:
    """`claims check FILE` reads only FILE's record; files named after the same id are known
    by their names, and every one is named."""
    add_abolished_claim(repo, "twice")
    copy = add_abolished_claim(repo, "copy", id="twice")
    nested = repo / "claims" / "records" / "2024" / "twice.yaml"
    nested.parent.mkdir()
    shutil.copy(repo / "claims" / "records" / "twice.yaml", nested)
    only = Selection(files=frozenset({copy.relative_to(repo).as_posix()}))
    problems = validate(Layout(repo), TODAY, only=only).problems
    assert [(p.file, p.message) for p in problems if p.code == "R002"] == [
        (
            "claims/records/copy.yaml",
            "claim id 'twice' is also used by claims/records/2024/twice.yaml, "
            "claims/records/twice.yaml; give one of them a new id",
        )
    ]

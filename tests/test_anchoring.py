"""Offsets are code points of the text as stored; quotes are found however they were typed."""

from __future__ import annotations

import pytest
import regex
from hypothesis import assume, given
from hypothesis import strategies as st

from builder.anchoring import (
    Match,
    Near,
    OffsetTable,
    closest,
    differences,
    exact_matches,
    exact_nearest,
    grapheme_boundary,
    inside_word,
    locate,
    not_exact,
    splits_character,
)
from tests.conftest import PROJECT

SOURCES = PROJECT / "claims" / "sources"

# An astral emoji with a skin-tone modifier (2 code points, 4 UTF-16 units, 8 UTF-8 bytes),
# a decomposed accent (e + U+0301), Cyrillic, Romanian comma-below letters and a no-break space.
TEXT = "👍🏽 Cafe\u0301 au lait. \u0421laus a spus: «nu există deținuți\u00a0politici» în 2018."


def test_offsets_are_code_points_not_bytes_or_utf16_units() -> None:
    [match] = locate(TEXT, "Cafe\u0301")
    assert (match.start, match.end, match.exact) == (3, 8, True)
    offsets = OffsetTable(TEXT)
    assert (offsets.utf8(3), offsets.utf16(3)) == (9, 5)


def test_a_precomposed_accent_finds_the_decomposed_one() -> None:
    [match] = locate(TEXT, "Caf\u00e9")
    assert (match.start, match.end, match.exact) == (3, 8, False)


def test_a_match_never_splits_a_letter_from_its_accent() -> None:
    # "Cafe" is in the code points of "Cafe" + U+0301, but the word there is "Café".
    assert locate(TEXT, "Cafe") == []
    assert inside_word(TEXT, 7)


def test_latin_letters_find_cyrillic_look_alikes() -> None:
    [match] = locate(TEXT, "Claus a spus")
    assert TEXT[match.start : match.end] == "\u0421laus a spus"
    assert differences(TEXT[match.start : match.end], "Claus a spus") == (
        "'\u0421' U+0421 CYRILLIC CAPITAL LETTER ES"
    )


def test_plain_quotes_spaces_and_cedillas_find_the_typographic_text() -> None:
    [match] = locate(TEXT, '"nu există deţinuţi politici"')
    assert TEXT[match.start : match.end] == "«nu există deținuți\u00a0politici»"


def test_neukirch_is_found_in_the_real_source_from_latin_letters() -> None:
    text = (SOURCES / "elkz-2023-03-11.txt").read_text(encoding="utf-8")
    assert locate(text, "Claus Neukirch") == [Match(585, 599, exact=False)]
    assert text[585:599] == "\u0421laus Neukirch"


def test_no_break_spaces_in_the_real_source_match_plain_spaces() -> None:
    text = (SOURCES / "europarl-2022-08.txt").read_text(encoding="utf-8")
    [match] = locate(text, "Press Releases \n \n \n\nA delegation")
    assert "\u00a0" in text[match.start : match.end]


def test_exact_matches_come_first_and_all_are_listed() -> None:
    text = "the state, the State, the  state"
    assert locate(text, "the state") == [Match(0, 9, True), Match(22, 32, False)]


def test_case_and_missing_words_are_not_forgiven() -> None:
    assert locate(TEXT, "caf\u00e9 au lait") == []
    assert locate(TEXT, "Claus spus") == []
    assert locate(TEXT, "") == []


def test_word_boundaries() -> None:
    assert inside_word("human rights", 3)
    assert not inside_word("human rights", 5)
    assert not inside_word("human rights", 0)


@given(st.text(min_size=1, max_size=60), st.data())
def test_every_slice_of_a_text_is_found_exactly_where_it_is(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    assume(not splits_character(text, start) and not splits_character(text, end))
    assert Match(start, end, exact=True) in locate(text, text[start:end])


@given(st.text(max_size=40) | st.text(alphabet="a\u00e9\u0421\u00a0\U0001f44d\u0301", max_size=600))
def test_utf8_and_utf16_offsets_agree_with_the_encoders(text: str) -> None:
    # Long texts cross the table's checkpoints (every 256 code points).
    offsets = OffsetTable(text)
    for index in range(len(text) + 1):
        assert offsets.utf8(index) == len(text[:index].encode("utf-8"))
        assert offsets.utf16(index) == len(text[:index].encode("utf-16-le")) // 2


def test_overlapping_occurrences_are_all_found() -> None:
    assert [m.start for m in exact_matches("aaaa", "aa")] == [0, 1, 2]
    assert locate("\u0430\u0430\u0430", "aa") == [Match(0, 2, False), Match(1, 3, False)]
    assert locate("the  state, the\u00a0state, the\tstate", "the state") == [
        Match(0, 10, exact=False),
        Match(12, 21, exact=False),
        Match(23, 32, exact=False),
    ]


def test_a_ligature_is_matched_whole_or_not_at_all() -> None:
    """ﬁ folds to two letters; a match must take both, even at a text's first or last code
    point."""
    assert locate("\ufb01", "fi") == [Match(0, 1, exact=False)]
    assert locate("\ufb01x", "ix") == []
    assert locate("a\ufb01x", "ix") == []
    assert locate("a\ufb01x", "af") == []


# Characters whose clusters are more than one code point: a letter and its accents, an emoji
# with a skin tone or joined by ZWJ, flags (pairs of regional indicators), Hangul jamo, CR LF.
CLUSTERED = (
    "ae\u0301\u0308\r\n \U0001f468\u200d\U0001f469\U0001f3fd\U0001f1f0\U0001f1ff\u1100\u1161\u11a8"
)


@given(st.text(alphabet=CLUSTERED, max_size=150))
def test_boundaries_are_exactly_those_of_unicode_grapheme_clusters(text: str) -> None:
    ends = {0} | {cluster.end() for cluster in regex.finditer(r"\X", text)}
    assert [i for i in range(len(text) + 1) if grapheme_boundary(text, i)] == sorted(ends)


@pytest.mark.parametrize(
    ("text", "index", "boundary"),
    [
        ("\u00e9a", 0, True),  # the first code point, not ASCII
        ("e\u0301", 1, False),  # between the first letter and its accent
        ("a\r\n", 2, False),
        ("a\n\r", 2, True),
        ("a\rb", 2, True),
        ("\U0001f468\u200d\U0001f469", 2, False),  # after a zero-width joiner
        ("x\U0001f468\u200d\U0001f469", 3, False),
    ],
)
def test_a_boundary_never_cuts_a_cluster(text: str, index: int, boundary: bool) -> None:
    assert grapheme_boundary(text, index) is boundary


def test_what_differs_is_every_character_named_once_in_order() -> None:
    assert differences("«\u0421udo\ue000»»", '"Cudo"') == (
        "'«' U+00AB LEFT-POINTING DOUBLE ANGLE QUOTATION MARK; "
        "'\u0421' U+0421 CYRILLIC CAPITAL LETTER ES; '\\ue000' U+E000 unnamed; "
        "'»' U+00BB RIGHT-POINTING DOUBLE ANGLE QUOTATION MARK"
    )


def test_a_match_not_exact_shows_the_source_and_names_only_what_is_worth_naming() -> None:
    assert not_exact("a  b", Match(0, 4, exact=False), "a b") == "the source reads 'a  b'"
    assert not_exact("«x»", Match(0, 3, exact=False), '"x"') == (
        "the source reads '«x»' (has '«' U+00AB LEFT-POINTING DOUBLE ANGLE QUOTATION MARK; "
        "'»' U+00BB RIGHT-POINTING DOUBLE ANGLE QUOTATION MARK)"
    )


def test_byte_and_utf16_offsets_past_the_first_checkpoint_and_outside_the_text() -> None:
    text = "\u00e9" + "a" * 300 + "\U0001f44d"
    offsets = OffsetTable(text)
    assert (offsets.utf8(300), offsets.utf16(302)) == (301, 303)
    assert all(type(offsets.utf16(i)) is int for i in (0, 255, 256, 302))
    with pytest.raises(IndexError, match="offset 303 is outside a text of 302"):
        offsets.utf8(303)
    with pytest.raises(IndexError, match="offset -1 is outside"):
        offsets.utf16(-1)


@pytest.mark.parametrize(
    ("text", "index", "cuts"),
    [
        ("ab", 1, True),  # the first place inside a text
        ("\u0301a", 1, False),  # a mark with no letter before it, at the text's start
        ("e\u0301x", 2, True),  # after an accented letter at the text's start
        ("a e\u0301x", 4, True),
        (" \u0301x", 2, False),  # a mark on a space is no letter
    ],
)
def test_a_boundary_after_an_accent_cuts_a_word_only_if_a_letter_carries_it(
    text: str, index: int, cuts: bool
) -> None:
    assert inside_word(text, index) is cuts


SENTENCES = "The death penalty has been abolished. Torture is prohibited by the Constitution."


def test_the_closest_passage_may_have_one_word_fewer_or_more_than_typed() -> None:
    [fewer] = closest(SENTENCES, "the death penalty was has been abolished")
    assert (fewer.start, fewer.end) == (0, 37)
    assert fewer.differences == "-'the' +'The'; -'was'; -'abolished' +'abolished.'"
    [one] = closest(SENTENCES, "abolishd")
    assert (one.start, one.end) == (27, 37)
    [last] = closest(SENTENCES, "prohibited by the Constitutio")
    assert (last.start, last.end, last.differences) == (
        49,
        80,
        "-'Constitutio' +'Constitution.'",
    )
    [stricter] = closest(SENTENCES, "has been abolishd", floor=0.9)
    assert (stricter.start, stricter.end) == (18, 37)
    [words] = closest("The penalty has been abolished.", "The penalty was fully abolished")
    assert words.differences == "-'was fully abolished' +'has been abolished.'"


def test_at_most_three_passages_none_overlapping_best_first() -> None:
    text = "abolishd, then abolishes, then abolishe, then abolishen."
    assert [(n.start, n.end) for n in closest(text, "abolished")] == [(0, 9), (31, 40), (15, 25)]
    assert len(closest(text, "abolished", limit=4)) == 4
    # Passages around the best one (a word more or fewer) are more alike than the second
    # place, and are passed over.
    repeated = "the death penalty abolishd and the death sentences abolished"
    assert [(n.start, n.end) for n in closest(repeated, "death penalty abolished")] == [
        (4, 26),
        (35, 60),
    ]


def test_a_passage_exactly_at_the_floor_is_shown() -> None:
    assert closest("abcdefg", "abc") == [Near(0, 7, 0.6, "-'abc' +'abcdefg'")]


def test_a_long_quote_with_typos_is_found_whole_and_as_alike_as_it_is() -> None:
    """difflib's autojunk would treat the commonest letters of a quote of 200 characters or
    more as noise, and the passage would look far less alike than it is."""
    quote = (
        "The European Parliament delegation met officials in Astana and discussed the human "
        "rights situation, the abolition of the death penalty, the treatment of prisoners and "
        "the freedom of assembly in Kazakhstan today."
    )
    typed = quote
    for right, wrong in [("Parliament", "Parlament"), ("prisoners", "prisonres")]:
        typed = typed.replace(right, wrong)
    typed = typed.replace("officials", "oficials").replace("assembly", "asembly")
    [near] = closest(f"Before. {quote} After.", typed)
    assert (near.start, near.end) == (8, 220)
    assert near.likeness > 0.98
    assert near.differences == (
        "-'Parlament' +'Parliament'; -'oficials' +'officials'; -'prisonres' +'prisoners'; "
        "-'asembly' +'assembly'"
    )


@given(
    st.text(alphabet="ab\u0301 ", max_size=80),
    st.text(alphabet="ab\u0301", min_size=1, max_size=3),
    st.integers(-5, 90),
    st.integers(0, 6),
)
def test_the_nearest_exact_places_are_those_closest_to_the_offset(
    text: str, needle: str, offset: int, limit: int
) -> None:
    """exact_nearest answers the places exact_matches finds, the `limit` closest to the offset
    (ties either way), in text order, whatever the overlaps and accents."""
    every = list(exact_matches(text, needle))
    near = exact_nearest(text, needle, offset, limit)
    assert near == sorted(near)
    assert set(near) <= set(every)
    assert len(near) == min(limit, len(every))
    clamped = min(max(offset, 0), len(text))
    distances = sorted(abs(m.start - clamped) for m in every)
    assert sorted(abs(m.start - clamped) for m in near) == distances[: len(near)]

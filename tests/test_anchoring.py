"""Offsets are code points of the text as stored; quotes are found however they were typed."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from builder.anchoring import (
    Match,
    OffsetTable,
    differences,
    inside_word,
    locate,
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

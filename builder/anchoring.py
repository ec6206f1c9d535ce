"""Offsets and quotes: where a quote sits in a source text, however it was typed.

Offsets are Unicode code points of the text exactly as stored (Python `str` indices). A curator
types a quote with ordinary spaces and Latin letters; the source may hold no-break spaces, line
breaks, Cyrillic look-alike letters, typographic quotes or decomposed accents. `locate` finds the
quote anyway and answers with offsets into the real text. Validation, `claims locate`,
`claims new`, `claims show` and re-anchoring all use this one module.
"""

from __future__ import annotations

import functools
import itertools
import unicodedata
from array import array
from collections.abc import Iterator

import attrs
from confusable_homoglyphs import confusables


@attrs.frozen(order=True)
class Match:
    """A place in a text: `text[start:end]`, found exactly or only after folding."""

    start: int
    end: int
    exact: bool = attrs.field(order=False)


def locate(text: str, needle: str) -> list[Match]:
    """Every occurrence of `needle` in `text`: exact ones first, then tolerant ones, each in order.

    Tolerant matching ignores differences of whitespace (kind and amount), look-alike letters
    (Unicode's confusables that have an ASCII prototype), quotation mark and dash styles, and
    composed versus decomposed accents. It never ignores case or a missing word.
    """
    exact = list(_exact(text, needle))
    found = {(m.start, m.end) for m in exact}
    tolerant = [m for m in _tolerant(text, needle) if (m.start, m.end) not in found]
    return exact + tolerant


def _exact(text: str, needle: str) -> Iterator[Match]:
    if not needle:
        return
    start = text.find(needle)
    while start != -1:
        end = start + len(needle)
        if not (splits_character(text, start) or splits_character(text, end)):
            yield Match(start, end, exact=True)
        start = text.find(needle, start + 1)


def _tolerant(text: str, needle: str) -> Iterator[Match]:
    folded_needle = fold(needle.strip()).text
    if not folded_needle.strip():
        return
    folded = fold(text)
    start = folded.text.find(folded_needle)
    while start != -1:
        match = folded.original_span(start, start + len(folded_needle))
        if match and not (splits_character(text, match.start) or splits_character(text, match.end)):
            yield match
        start = folded.text.find(folded_needle, start + 1)


@attrs.frozen
class Folded:
    """A text with look-alikes folded, and for each folded character, where it came from."""

    text: str
    origin: tuple[int, ...] = attrs.field(repr=False)

    def original_span(self, start: int, end: int) -> Match | None:
        """The original text's span for `folded[start:end]`, if it falls on whole characters."""
        origin = self.origin
        if start > 0 and origin[start - 1] == origin[start]:
            return None
        if end < len(origin) and origin[end] == origin[end - 1]:
            return None
        return Match(origin[start], origin[end - 1] + 1, exact=False)


@functools.lru_cache(maxsize=64)
def fold(text: str) -> Folded:
    """Fold `text` for tolerant matching; cached, since a source is searched for every span."""
    chars: list[str] = []
    origin: list[int] = []
    in_space = False
    for index, char in enumerate(text):
        if char.isspace():
            if not in_space:  # a run of whitespace of any kind folds to one space
                chars.append(" ")
                origin.append(index)
            in_space = True
            continue
        in_space = False
        for folded_char in _fold_char(char):
            chars.append(folded_char)
            origin.append(index)
    return Folded("".join(chars), tuple(origin))


@functools.cache
def _fold_char(char: str) -> str:
    if char.isascii():
        return char
    return "".join(_prototype(part) for part in unicodedata.normalize("NFKD", char))


@functools.cache
def _prototype(char: str) -> str:
    """The ASCII character that `char` is written to look like, if there is one."""
    if char.isascii():
        return char
    if char == "\u0327":  # cedilla: Romanian ş and ţ are often typed for ș and ț
        return "\u0326"
    name = unicodedata.name(char, "")
    if "QUOTATION MARK" in name:
        return '"' if ("DOUBLE" in name or "ANGLE" in name) else "'"
    if unicodedata.category(char) == "Pd":
        return "-"
    for homoglyph in confusables.confusables_data.get(char, ()):
        prototype: str = homoglyph["c"]
        if len(prototype) == 1 and prototype.isascii() and prototype.isprintable():
            return prototype
    return char


def differences(found: str, typed: str) -> list[str]:
    """Characters of `found` that a tolerant match let pass, named, so a curator sees why."""
    named = []
    for char in dict.fromkeys(found):
        if not char.isascii() and char not in typed:
            named.append(f"{char!r} U+{ord(char):04X} {unicodedata.name(char, 'unnamed')}")
    return named


class OffsetTable:
    """UTF-8 and UTF-16 offsets of every code point of one text, computed once in O(n), so
    that converting a span costs O(1) however many spans point into the text."""

    def __init__(self, text: str) -> None:
        widths = [(len(char.encode("utf-8")), 2 if ord(char) > 0xFFFF else 1) for char in text]
        self._utf8 = array("q", itertools.accumulate((w for w, _ in widths), initial=0))
        self._utf16 = array("q", itertools.accumulate((w for _, w in widths), initial=0))

    def utf8(self, index: int) -> int:
        return self._utf8[index]

    def utf16(self, index: int) -> int:
        return self._utf16[index]


def splits_character(text: str, index: int) -> bool:
    """Whether `index` falls between a letter and its combining mark (e + U+0301)."""
    return 0 < index < len(text) and unicodedata.category(text[index]).startswith("M")


def inside_word(text: str, index: int) -> bool:
    """Whether a span boundary at `index` cuts a word, or a letter from its accent, in two."""
    if splits_character(text, index):
        return True
    return 0 < index < len(text) and text[index - 1].isalnum() and text[index].isalnum()

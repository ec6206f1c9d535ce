"""Offsets and quotes: where a quote sits in a source text, however it was typed.

Offsets are Unicode code points of the text exactly as stored (Python `str` indices). A curator
types a quote with ordinary spaces and Latin letters; the source may hold no-break spaces, line
breaks, Cyrillic look-alike letters, typographic quotes or decomposed accents. `locate` finds the
quote anyway and answers with offsets into the real text. Validation, `claims locate`,
`claims new`, `claims show` and re-anchoring all use this one module.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import re
import unicodedata
from collections.abc import Iterator

import attrs
import regex
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
    exact = list(exact_matches(text, needle))
    found = {(m.start, m.end) for m in exact}
    tolerant = [m for m in tolerant_matches(text, needle) if (m.start, m.end) not in found]
    return exact + tolerant


def exact_matches(text: str, needle: str) -> Iterator[Match]:
    """Every place `needle` occurs in `text` as it is, not splitting a grapheme cluster."""
    return _exact_after(text, needle, 0)


def exact_nearest(text: str, needle: str, offset: int, limit: int) -> list[Match]:
    """The `limit` exact occurrences of `needle` nearest to `offset`, in text order.

    The search walks out from `offset` both ways and stops at `limit`: its work grows with
    `limit` and the distance covered, not with how often `needle` occurs (a common word can
    occur a hundred thousand times in one source)."""
    offset = min(max(offset, 0), len(text))
    after = _exact_after(text, needle, offset)
    before = _exact_before(text, needle, offset)
    found: list[Match] = []
    ahead, behind = next(after, None), next(before, None)
    while len(found) < limit and (ahead or behind):
        if ahead and (behind is None or ahead.start - offset <= offset - behind.start):
            found.append(ahead)
            ahead = next(after, None)
        elif behind:
            found.append(behind)
            behind = next(before, None)
    return sorted(found)


def _exact_after(text: str, needle: str, offset: int) -> Iterator[Match]:
    """Exact occurrences starting at `offset` or later, nearest first."""
    if not needle:
        return
    start = text.find(needle, offset)
    while start != -1:
        end = start + len(needle)
        if not (splits_character(text, start) or splits_character(text, end)):
            yield Match(start, end, exact=True)
        start = text.find(needle, start + 1)


def _exact_before(text: str, needle: str, offset: int) -> Iterator[Match]:
    """Exact occurrences starting before `offset`, nearest first."""
    if not needle:
        return
    # rfind(needle, 0, limit) answers the last occurrence ending by `limit`, so one that
    # starts at `offset - 1` at the latest.
    start = text.rfind(needle, 0, offset - 1 + len(needle)) if offset > 0 else -1
    while start != -1:
        end = start + len(needle)
        if not (splits_character(text, start) or splits_character(text, end)):
            yield Match(start, end, exact=True)
        start = text.rfind(needle, 0, start - 1 + len(needle)) if start > 0 else -1


def tolerant_matches(text: str, needle: str) -> Iterator[Match]:
    """Every place `needle` occurs in `text` once both are folded (see `locate`)."""
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


def fold(text: str) -> Folded:
    """Fold `text` for tolerant matching; a long text (a source, searched for every span) is
    folded once and kept, a quote is folded each time and not kept."""
    return _fold_source(text) if len(text) > _LONG else _fold(text)


_LONG = 1000


@functools.lru_cache(maxsize=64)
def _fold_source(text: str) -> Folded:
    return _fold(text)


def _fold(text: str) -> Folded:
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


def differences(found: str, typed: str) -> str:
    """The characters of `found` that a tolerant match let pass, named, so a curator sees why
    the match is not exact (empty when none is worth naming)."""
    return "; ".join(
        f"{char!r} U+{ord(char):04X} {unicodedata.name(char, 'unnamed')}"
        for char in dict.fromkeys(found)
        if not char.isascii() and char not in typed
    )


def not_exact(text: str, match: Match, typed: str) -> str:
    """Why `match`, found for the `typed` words, is not exact: what the source reads there."""
    found = text[match.start : match.end]
    named = differences(found, typed)
    return f"the source reads {found!r}" + (f" (has {named})" if named else "")


class OffsetTable:
    """UTF-8 and UTF-16 offsets of the code points of one text.

    A checkpoint every BLOCK code points is computed once; from there the rest of the way is
    encoded on demand. Both steps run in C (str.encode), where a table of every code point
    built in Python cost most of a build's row time.
    """

    BLOCK = 256

    def __init__(self, text: str) -> None:
        self._text = text
        blocks = [text[i : i + self.BLOCK] for i in range(0, len(text), self.BLOCK)]
        self._utf8 = list(itertools.accumulate((_utf8_length(b) for b in blocks), initial=0))
        self._utf16 = list(itertools.accumulate((_utf16_length(b) for b in blocks), initial=0))

    def utf8(self, index: int) -> int:
        block, rest = self._locate(index)
        return self._utf8[block] + _utf8_length(rest)

    def utf16(self, index: int) -> int:
        block, rest = self._locate(index)
        return self._utf16[block] + _utf16_length(rest)

    def _locate(self, index: int) -> tuple[int, str]:
        if not 0 <= index <= len(self._text):
            raise IndexError(f"offset {index} is outside a text of {len(self._text)}")
        block = index // self.BLOCK
        return block, self._text[block * self.BLOCK : index]


def _utf8_length(text: str) -> int:
    return len(text.encode("utf-8"))


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def splits_character(text: str, index: int) -> bool:
    """Whether `index` falls inside a grapheme cluster: between a letter and its accent
    (e + U+0301), an emoji and its skin tone, the two letters of a flag, CR and LF."""
    return not grapheme_boundary(text, index)


def grapheme_boundary(text: str, index: int) -> bool:
    """Whether a span may start or end at `index` without cutting a user-perceived character
    (Unicode's extended grapheme clusters, UAX #29, as the regex module finds them)."""
    if index <= 0 or index >= len(text):
        return True
    before, after = text[index - 1], text[index]
    if before.isascii() and after.isascii():
        return not (before == "\r" and after == "\n")  # ASCII breaks everywhere but CR LF
    # Clusters are short: start the search where a cluster surely begins (after an ASCII
    # character that is followed by one), a little way back.
    start = max(0, index - _CLUSTER_WINDOW)
    for back in range(index - 1, start, -1):
        if text[back - 1].isascii() and text[back].isascii() and text[back - 1] != "\r":
            start = back
            break
    position = start
    for cluster in _GRAPHEME.finditer(text, start, min(len(text), index + _CLUSTER_WINDOW)):
        position = cluster.end()
        if position >= index:
            break
    return position == index


_GRAPHEME = regex.compile(r"\X")
_CLUSTER_WINDOW = 64


def inside_word(text: str, index: int) -> bool:
    """Whether a span boundary at `index` cuts a word, or a letter from its accent, in two."""
    if splits_character(text, index):
        return True
    if not 0 < index < len(text) or not text[index].isalnum():
        return False
    before = index - 1  # the letter an accent (e + U+0301) belongs to
    while before > 0 and unicodedata.category(text[before]).startswith("M"):
        before -= 1
    return text[before].isalnum()


# Near misses: what a curator probably meant when the words do not occur --------------------


@attrs.frozen
class Near:
    """A passage of the text like the words asked for: where, how alike, and how it differs."""

    start: int
    end: int
    likeness: float
    differences: str


def closest(text: str, typed: str, limit: int = 3, floor: float = 0.6) -> list[Near]:
    """The passages of `text` most like `typed` (folded as `locate` folds), best first, at
    most `limit`, none overlapping; each starts and ends on whole words."""
    wanted = fold(typed.strip()).text
    if not wanted.strip():
        return []
    folded = fold(text)
    words = [m.start() for m in re.finditer(r"\S+", folded.text)]
    size = len(wanted.split())
    scored = []
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(wanted)
    for index, start in enumerate(words):
        for width in (size - 1, size, size + 1):
            if width < 1 or index + width > len(words):
                continue
            last = words[index + width - 1]
            end = last + len(folded.text[last:].split(maxsplit=1)[0])
            matcher.set_seq1(folded.text[start:end])
            if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
                continue
            ratio = matcher.ratio()
            if ratio >= floor:
                scored.append((ratio, start, end))
    found: list[Near] = []
    for ratio, start, end in sorted(scored, key=lambda s: (-s[0], s[1])):
        span = folded.original_span(start, end)
        if span is None or any(span.start < n.end and span.end > n.start for n in found):
            continue
        found.append(
            Near(span.start, span.end, ratio, _word_changes(typed, text[span.start : span.end]))
        )
        if len(found) == limit:
            break
    return found


def _word_changes(typed: str, found: str) -> str:
    """How the source's words differ from those typed: `-'typed' +'source'` per change."""
    before, after = fold(typed).text.split(), fold(found).text.split()
    changes = []
    for kind, i1, i2, j1, j2 in difflib.SequenceMatcher(a=before, b=after).get_opcodes():
        if kind == "equal":
            continue
        parts = [f"-{' '.join(before[i1:i2])!r}"] if i2 > i1 else []
        parts += [f"+{' '.join(after[j1:j2])!r}"] if j2 > j1 else []
        changes.append(" ".join(parts))
    return "; ".join(changes)

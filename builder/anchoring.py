"""Offsets and quotes: where a quote sits in a source text, however it was typed.

Offsets are Unicode code points of the text exactly as stored (Python `str` indices). A curator
types a quote with ordinary spaces and Latin letters; the source may hold no-break spaces, line
breaks, Cyrillic look-alike letters, typographic quotes or decomposed accents. `locate` finds the
quote anyway and answers with offsets into the real text. Validation, `claims locate`,
`claims new`, `claims show` and re-anchoring all use this one module.
"""

from __future__ import annotations

import difflib
import enum
import functools
import itertools
import re
import unicodedata
from collections.abc import Iterator

import attrs
import diff_match_patch
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
    """Whether `index` falls between a letter and its combining mark (e + U+0301)."""
    return 0 < index < len(text) and unicodedata.category(text[index]).startswith("M")


def inside_word(text: str, index: int) -> bool:
    """Whether a span boundary at `index` cuts a word, or a letter from its accent, in two."""
    if splits_character(text, index):
        return True
    return 0 < index < len(text) and text[index - 1].isalnum() and text[index].isalnum()


# Re-anchoring: finding a span again after its source's text was revised -----------------------

CONTEXT = 32
# A fuzzy match may differ from the old quote by at most this share of its characters.
FUZZY_SHARE = 0.10
# Context (of 2 * CONTEXT characters) that must agree for an exact match far from where the
# revision puts the span: a moved paragraph, not a chance repetition of a short phrase.
FAR_CONTEXT = 16
# Where the span's words occur more than once, the place chosen must share this many more
# characters of the span's context than any other place does, or the span is ambiguous.
MARGIN = 8


class Outcome(enum.Enum):
    UNCHANGED = "unchanged"
    MOVED = "moved"
    CHANGED_QUOTE = "changed-quote"
    AMBIGUOUS = "ambiguous"
    LOST = "lost"


@attrs.frozen
class Reanchored:
    """Where a span is in the revised text: new offsets and quote, or why there are none."""

    outcome: Outcome
    start: int | None = None
    end: int | None = None
    quote: str | None = None
    detail: str = ""


class Reanchorer:
    """Spans of one text found again in its revision, the way annotation tools re-anchor a
    text-quote selector: by where the revision moved the span's text (a diff), then by the
    quote with its 32 characters of context, then tolerantly (whitespace, look-alike letters),
    then fuzzily (at most 10% of the quote edited, near where the span was). A span is never
    put where its words are not: what cannot be found surely is ambiguous or lost."""

    def __init__(self, old: str, new: str) -> None:
        self.old, self.new = old, new
        self._dmp = diff_match_patch.diff_match_patch()
        self._dmp.Diff_Timeout = 0  # no time limit: the same texts always give the same diff
        self._diffs = self._dmp.diff_main(old, new)

    def find(self, start: int, end: int) -> Reanchored:
        quote = self.old[start:end]
        expected = self._dmp.diff_xIndex(self._diffs, start)
        expected_end = self._dmp.diff_xIndex(self._diffs, end)
        if self.new[expected:expected_end] == quote:
            repeated = self._repeated(start, end)
            if repeated is not None:
                return repeated
            outcome = (
                Outcome.UNCHANGED if (expected, expected_end) == (start, end) else Outcome.MOVED
            )
            return Reanchored(outcome, expected, expected_end, quote)
        # Where the revision put the span's text comes first, matched exactly, tolerantly, then
        # fuzzily; elsewhere (a moved paragraph), only a match that brings the span's context.
        here = Match(expected, max(expected_end, expected + 1), exact=False)
        exact = list(_exact(self.new, quote))
        close = [m for m in exact if _overlap(m, here)]
        if close:
            return self._best(start, end, close, Outcome.MOVED)
        # The tolerant search folds and scans the whole text: only when no exact match is near.
        tolerant = list(_tolerant(self.new, quote))
        close = [m for m in tolerant if _overlap(m, here)]
        if close:
            return self._best(start, end, close, Outcome.CHANGED_QUOTE)
        fuzzy = self._fuzzy(start, end, here)
        if fuzzy.outcome is not Outcome.LOST:
            return fuzzy
        for outcome, matches in ((Outcome.MOVED, exact), (Outcome.CHANGED_QUOTE, tolerant)):
            far = [m for m in matches if self._context(start, end, m) >= FAR_CONTEXT]
            if far:
                return self._best(start, end, far, outcome)
        return fuzzy

    def _repeated(self, start: int, end: int) -> Reanchored | None:
        """Where the revision changed how many times the quote occurs, the place the diff
        gives proves nothing (a copy of a paragraph inserted before the original takes the
        original's place in the diff; a deleted copy leaves its span on another). The span
        goes where its own context is, by MARGIN characters more than at any other new place,
        and more than the context of any other old copy of the words; otherwise it is
        ambiguous, or lost if its own copy is gone. None where the quote occurs as often as
        before: the diff pairs each copy with its own."""
        quote = self.old[start:end]
        new_places = list(_exact(self.new, quote))
        old_others = [m for m in _exact(self.old, quote) if (m.start, m.end) != (start, end)]
        if len(new_places) == len(old_others) + 1:
            return None  # as many copies as before: the diff pairs each with its own
        scored = sorted(
            ((self._context(start, end, m), m) for m in new_places),
            key=lambda s: (-s[0], s[1].start),
        )
        best_score, best = scored[0]
        runner_up = scored[1][0] if len(scored) > 1 else -MARGIN
        rival = max((self._context(m.start, m.end, best) for m in old_others), default=-MARGIN)
        if rival > best_score:
            detail = "its own copy of the words is gone; another copy remains at "
            return Reanchored(Outcome.LOST, detail=detail + f"{best.start}-{best.end}")
        if best_score - max(runner_up, rival) < MARGIN:
            places = ", ".join(f"{m.start}-{m.end}" for _, m in scored[:5])
            return Reanchored(
                Outcome.AMBIGUOUS,
                detail=f"found at {places}, none with clearly more of the span's context",
            )
        outcome = Outcome.UNCHANGED if (best.start, best.end) == (start, end) else Outcome.MOVED
        return Reanchored(outcome, best.start, best.end, quote)

    def _context(self, start: int, end: int, match: Match) -> int:
        """How many of the span's 2 x 32 characters of context the candidate shares."""
        before = self.old[max(0, start - CONTEXT) : start]
        after = self.old[end : end + CONTEXT]
        new_before = self.new[max(0, match.start - CONTEXT) : match.start]
        new_after = self.new[match.end : match.end + CONTEXT]
        return _common_suffix(before, new_before) + _common_prefix(after, new_after)

    def _best(self, start: int, end: int, matches: list[Match], outcome: Outcome) -> Reanchored:
        scored = sorted(((self._context(start, end, m), m) for m in matches), key=lambda s: -s[0])
        if len(scored) > 1 and scored[0][0] == scored[1][0]:
            places = ", ".join(f"{m.start}-{m.end}" for _, m in scored[:5])
            return Reanchored(
                Outcome.AMBIGUOUS, detail=f"found at {places} with equally good context"
            )
        best = scored[0][1]
        if outcome is Outcome.MOVED and (best.start, best.end) == (start, end):
            outcome = Outcome.UNCHANGED
        return Reanchored(outcome, best.start, best.end, self.new[best.start : best.end])

    def _fuzzy(self, start: int, end: int, here: Match) -> Reanchored:
        """The quote with at most 10% of it edited, overlapping where the revision put it, and
        on word boundaries wherever the old span was."""
        lost = Reanchored(Outcome.LOST, detail="the quote is no longer in the text")
        quote = self.old[start:end]
        budget = int(len(quote) * FUZZY_SHARE)
        if budget == 0:
            return lost
        offset = max(0, here.start - len(quote) - CONTEXT)
        region = self.new[offset : min(len(self.new), here.end + len(quote) + CONTEXT)]
        self._dmp.Match_Threshold = FUZZY_SHARE * 2
        self._dmp.Match_Distance = max(1000, len(region))
        found = self._dmp.match_main(region, quote, here.start - offset)
        if found == -1:
            return lost
        alignment = self._dmp.diff_main(quote, region[found : found + len(quote) + budget])
        # Where the quote's last character went (its end would take in text inserted after it).
        match = Match(
            offset + found,
            offset + found + self._dmp.diff_xIndex(alignment, len(quote) - 1) + 1,
            exact=False,
        )
        new_quote = self.new[match.start : match.end]
        edits = self._dmp.diff_levenshtein(self._dmp.diff_main(quote, new_quote))
        cuts = any(
            inside_word(self.new, new) and not inside_word(self.old, old)
            for old, new in ((start, match.start), (end, match.end))
        )
        if edits > budget or cuts or not _overlap(match, here) or new_quote != new_quote.strip():
            return lost
        return Reanchored(
            Outcome.CHANGED_QUOTE, match.start, match.end, new_quote, f"{edits} characters edited"
        )


def _overlap(a: Match, b: Match) -> bool:
    return a.start < b.end and a.end > b.start


def _common_prefix(a: str, b: str) -> int:
    return next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])


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

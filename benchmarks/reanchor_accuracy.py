"""How often re-anchoring puts a span in the right place, refuses, or is wrong, by edit kind.

Revised texts of the five shipped sources are made by construction (fixed seed): every character
of a revision remembers which character of the old text it came from, so the true new place of
every span is known. A span's truth is a place, or "gone" (its words were deleted or mostly
rewritten), or "undecidable" (two copies that no reader could tell apart: a paragraph doubled in
place, one of two adjacent copies of a headline removed). The spans are the shipped records'
spans into each source and word-aligned clauses drawn from its paragraphs.

`claims reanchor` (`builder.anchoring.Reanchorer`) is compared with a reimplementation of the
Hypothesis annotation client's text-quote matching (src/annotator/anchoring/match-quote.ts:
every best approximate match of the quote, with up to half of it in errors, scored by quote,
32 characters of prefix and suffix, and position; the best score wins).

    python benchmarks/reanchor_accuracy.py             # the table, per edit kind and in all
    python benchmarks/reanchor_accuracy.py --markdown  # the totals as the README shows them
    python benchmarks/reanchor_accuracy.py --cases wrong,findable  # the cases behind a count
    python benchmarks/reanchor_accuracy.py --seed 7    # other revisions of the same kinds
"""

from __future__ import annotations

import argparse
import collections
import random
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import numpy as np
import yaml
from rapidfuzz.distance import Levenshtein

from builder.reanchoring import Outcome, Reanchorer

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "claims" / "sources"
RECORDS = ROOT / "claims" / "records"
SEED = 2026
REVISIONS_PER_KIND = 3  # for each source
SPANS_PER_REVISION = 14
GONE = "gone"
UNDECIDABLE = "undecidable"
# A span more than this share of whose characters were rewritten says something else: gone.
REWRITTEN = 1 / 3

Truth = tuple[int, int] | str
Place = tuple[int, int] | None  # None: refused (ambiguous or lost)


@attrs.frozen
class Case:
    kind: str
    source: str
    old: str
    new: str
    start: int
    end: int
    truth: Truth


class Draft:
    """A text being revised, each character with the index of the old character it came from
    (None for new text), so a span's true new place can be read off after any edits."""

    def __init__(self, text: str) -> None:
        self.chars: list[str] = list(text)
        self.origin: list[int | None] = list(range(len(text)))

    @property
    def text(self) -> str:
        return "".join(self.chars)

    def replace(self, start: int, end: int, new: str, *, keep: bool = True) -> None:
        """`text[start:end]` becomes `new`; characters replaced one for one keep their origin
        (a letter corrected is still the letter it was), unless `keep` is false."""
        kept = self.origin[start : start + min(end - start, len(new))] if keep else []
        self.chars[start:end] = list(new)
        self.origin[start:end] = kept + [None] * (len(new) - len(kept))

    def at(self, index: int) -> int:
        """Where the old character at `index` is now."""
        return self.origin.index(index)

    def delete(self, start: int, end: int) -> None:
        """Delete the old characters `start:end`, wherever they are now."""
        keep = [i for i, o in enumerate(self.origin) if o is None or not start <= o < end]
        self.chars = [self.chars[i] for i in keep]
        self.origin = [self.origin[i] for i in keep]

    def move(self, start: int, end: int, to: int) -> None:
        """Move `text[start:end]` to before index `to` of the text."""
        chars, origin = self.chars[start:end], self.origin[start:end]
        del self.chars[start:end], self.origin[start:end]
        if to > start:
            to -= end - start
        self.chars[to:to] = chars
        self.origin[to:to] = origin

    def truth(self, old: str, start: int, end: int) -> Truth:
        places = [i for i, o in enumerate(self.origin) if o is not None and start <= o < end]
        if not places:
            return GONE
        first, last = places[0], places[-1] + 1
        first, last = self._whole_words(old, start, end, first, last)
        if _edits(old[start:end], self.text[first:last]) > (end - start) * REWRITTEN:
            return GONE
        if any(self.origin[i] is not None and not start <= self.origin[i] < end  # type: ignore[operator]
               for i in range(first, last)):  # fmt: skip
            return GONE  # the span's words were torn apart
        return first, last

    def _whole_words(
        self, old: str, start: int, end: int, first: int, last: int
    ) -> tuple[int, int]:
        """Inserted letters at a word's edge belong to the word; a replaced first or last word
        is the span's first or last word: the span keeps the kind of edges it had."""
        text, origin = self.text, self.origin
        if not _cuts_word(old, start) and (
            _cuts_word(text, first) or (text[first].isspace() and not old[start].isspace())
        ):
            while first > 0 and origin[first - 1] is None:
                first -= 1
        if not _cuts_word(old, end) and (
            _cuts_word(text, last) or (text[last - 1].isspace() and not old[end - 1].isspace())
        ):
            while last < len(text) and origin[last] is None:
                last += 1
        return first, last


def _edits(a: str, b: str) -> int:
    """Levenshtein distance: characters inserted, deleted or replaced."""
    return int(Levenshtein.distance(a, b))


def _cuts_word(text: str, index: int) -> bool:
    return 0 < index < len(text) and text[index - 1].isalnum() and text[index].isalnum()


# Where things are in a source -------------------------------------------------------------


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Non-empty lines, as (start, end) without the line break."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]*\S[^\n]*", text)]


def clauses(text: str, rng: random.Random, within: tuple[int, int]) -> Iterator[tuple[int, int]]:
    """Word-aligned spans inside one paragraph: a sentence, a clause, or a few words."""
    start, end = within
    words = [(start + m.start(), start + m.end()) for m in re.finditer(r"\S+", text[start:end])]
    if not words:
        return
    while True:
        first = rng.randrange(len(words))
        last = min(len(words) - 1, first + rng.choice((0, 1, 2, 4, 7, 12, 20)))
        a, b = words[first][0], words[last][1]
        while b > a + 1 and not text[b - 1].isalnum():  # end on a word, not its punctuation
            b -= 1
        yield a, b


def recorded_spans() -> dict[str, set[tuple[int, int]]]:
    """Every span the shipped records hold, by source."""
    spans: dict[str, set[tuple[int, int]]] = collections.defaultdict(set)

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if {"source", "start", "end"} <= node.keys():
                spans[node["source"]].add((node["start"], node["end"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in sorted(RECORDS.rglob("*.yaml")):
        walk(yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader))
    return spans


# Revisions, one function per edit kind ------------------------------------------------------

Edit = Callable[[Draft, str, random.Random], tuple[list[tuple[int, int]], set[int]]]
"""Revises the draft; answers the old spans the edit concerns and the old paragraph starts
whose spans are undecidable."""


def _pick(text: str, rng: random.Random, minimum: int = 40) -> tuple[int, int]:
    """A paragraph of at least `minimum` characters that occurs once (the repeated headline
    has an edit kind of its own, which knows when its copies cannot be told apart)."""
    found = paragraphs(text)
    once = [p for p in found if [text[a:b] for a, b in found].count(text[p[0] : p[1]]) == 1]
    return rng.choice([p for p in once if p[1] - p[0] >= minimum])


def _other_words(rng: random.Random) -> str:
    words = "the delegation noted that further steps on reform were discussed in detail"
    words = words.split()
    return " ".join(rng.choice(words) for _ in range(rng.randrange(6, 30))).capitalize() + "."


def _spans_in(text: str, rng: random.Random, paragraph: tuple[int, int], n: int = 4) -> list:
    found = clauses(text, rng, paragraph)
    return [next(found) for _ in range(n)]


def insert_paragraph(draft: Draft, old: str, rng: random.Random) -> tuple[list, set[int]]:
    start, _ = _pick(old, rng, 1)
    draft.replace(start, start, _other_words(rng) + "\n\n")
    return [], set()


def delete_paragraph(draft: Draft, old: str, rng: random.Random) -> tuple[list, set[int]]:
    start, end = _pick(old, rng)
    spans = _spans_in(old, rng, (start, end))
    cut = end + 1 if old[end : end + 1] == "\n" else end
    draft.replace(start, cut, "")
    return spans, set()


def move_paragraph(draft: Draft, old: str, rng: random.Random) -> tuple[list, set[int]]:
    start, end = _pick(old, rng)
    spans = _spans_in(old, rng, (start, end))
    to, _ = rng.choice([p for p in paragraphs(old) if not start <= p[0] <= end])
    draft.replace(end, end, "\n")  # the moved paragraph brings a line break with it
    draft.move(start, end + 1, to + 1 if to > end else to)
    return spans, set()


def move_and_edit(draft: Draft, old: str, rng: random.Random) -> tuple[list, set[int]]:
    spans, _ = move_paragraph(draft, old, rng)
    for span in spans[:2]:
        _typo(draft, old, span, rng, where="inside")
    return spans, set()


def _typo(draft: Draft, old: str, span: tuple[int, int], rng: random.Random, *, where: str) -> None:
    """One typing error fixed (or made) in a word of the span: a letter replaced, dropped,
    doubled, or two letters swapped."""
    present = set(draft.origin)
    letters = [i for i in range(*span) if old[i].isalpha() and i in present]
    if not letters:
        return
    if where == "last":
        letters = [i for i in letters if not old[i + 1 : i + 2].isalnum()] or letters
        letters = letters[-1:]
    elif where == "first":
        letters = letters[:1]
    at = draft.origin.index(rng.choice(letters))
    kind = rng.choice(("replace", "drop", "double", "swap"))
    if kind == "replace":
        draft.replace(at, at + 1, "x" if draft.chars[at] != "x" else "y")
    elif kind == "drop" and span[1] - span[0] > 1:
        draft.replace(at, at + 1, "")
    elif kind == "swap" and at + 1 < len(draft.chars) and draft.chars[at + 1].isalpha():
        draft.chars[at], draft.chars[at + 1] = draft.chars[at + 1], draft.chars[at]
    else:
        draft.chars.insert(at, draft.chars[at])
        draft.origin.insert(at, None)


def typo_in_quote(draft: Draft, old: str, rng: random.Random) -> tuple[list, set[int]]:
    spans = _spans_in(old, rng, _pick(old, rng), 3)
    spans = [s for s in spans if sum(c.isalpha() for c in old[s[0] : s[1]]) >= 12]
    for span in spans:
        _typo(draft, old, span, rng, where="inside")
    return spans, set()


def typo_at_edge(draft: Draft, old: str, rng: random.Random) -> tuple[list, set[int]]:
    spans = _spans_in(old, rng, _pick(old, rng), 2)
    spans = [s for s in spans if sum(c.isalpha() for c in old[s[0] : s[1]]) >= 12]
    for span, where in zip(spans, ("last", "first"), strict=False):
        _typo(draft, old, span, rng, where=where)
    return spans, set()


def rewrite(draft: Draft, old: str, rng: random.Random) -> tuple[list, set[int]]:
    """Words of a sentence replaced by others: from a tenth to two thirds of it."""
    spans = [s for s in _spans_in(old, rng, _pick(old, rng), 6) if len(old[s[0] : s[1]]) > 40]
    for start, end in spans[:1]:
        words = list(re.finditer(r"\w+", old[start:end]))[1:-1]  # its edges: typo kinds
        share = rng.choice((0.12, 0.2, 0.3, 0.5, 0.7))
        for m in rng.sample(words, max(1, int(len(words) * share)))[::-1]:
            at = draft.origin.index(start + m.start())
            word = rng.choice(("reformed", "new", "several"))
            draft.replace(at, at + len(m.group()), word, keep=False)
    return spans[:1], set()


LOOK_ALIKES = {"\u0421": "C", "\u0430": "a", "\u0435": "e", "\u043e": "o", "\u00a0": " "}


def normalise(draft: Draft, old: str, rng: random.Random) -> tuple[list, set[int]]:
    """Cyrillic look-alike letters and no-break spaces replaced by Latin letters and spaces,
    typographic quotes by straight ones."""
    table = {**LOOK_ALIKES, "\u2019": "'", "\u201c": '"', "\u201d": '"'}
    spans = []
    for i, char in enumerate(old):
        if char in table and rng.random() < 0.8:
            at = draft.at(i)
            draft.replace(at, at + 1, table[char])
            spans.append(next(clauses(old, rng, _around(old, i))))
    return spans[:8], set()


def _around(text: str, index: int) -> tuple[int, int]:
    return next(p for p in [*paragraphs(text), (0, len(text))] if p[0] <= index < p[1])


def rewrap(draft: Draft, old: str, rng: random.Random) -> tuple[list, set[int]]:
    """Long paragraphs broken into lines of about 70 characters, and blank lines collapsed."""
    for start, end in reversed(paragraphs(old)):
        for m in reversed(list(re.finditer(" ", old[start:end]))):
            if m.start() % 70 < 8 and rng.random() < 0.7:
                at = draft.origin.index(start + m.start())
                draft.replace(at, at + 1, "\n")
    for m in reversed(list(re.finditer("\n\n", old))):
        if rng.random() < 0.5:
            at = draft.origin.index(m.start())
            draft.replace(at, at + 2, "\n")
    return [], set()


def duplicate(where: str) -> Edit:
    def edit(draft: Draft, old: str, rng: random.Random) -> tuple[list, set[int]]:
        start, end = _pick(old, rng)
        spans = _spans_in(old, rng, (start, end))
        if where == "far":
            others = [p for p in paragraphs(old) if abs(p[0] - start) > 600]
            if not others:
                return spans, set()
            to = rng.choice(others)[0]
        else:
            to = start if where == "before" else end + 1
        if to > len(old):  # after the last line, which has no line break of its own
            draft.replace(len(old), len(old), "\n" + old[start:end])
        else:
            draft.replace(to, to, old[start:end] + "\n")
        return spans, set() if where == "far" else {start}

    edit.__name__ = f"duplicate_{where}"
    return edit


def repeated_headline(draft: Draft, old: str, rng: random.Random) -> tuple[list, set[int]]:
    """Sources that print their headline twice: one copy deleted or moved away."""
    lines = paragraphs(old)
    texts = [old[a:b] for a, b in lines]
    repeated = [p for p, t in zip(lines, texts, strict=True) if texts.count(t) > 1]
    if not repeated:
        return [], set()
    first, second = repeated[0], repeated[1]
    spans = [first, second, *_spans_in(old, rng, first, 2), *_spans_in(old, rng, second, 2)]
    action = rng.choice(("delete first", "delete second", "move second"))
    if action == "move second":
        draft.move(second[0], second[1] + 1, len(old))
        return spans, set()
    start, end = first if action == "delete first" else second
    draft.replace(start, end + 1, "")
    # Where deleting the other copy gives the same text, which one went cannot be told.
    other = second if action == "delete first" else first
    same = old[: other[0]] + old[other[1] + 1 :] == draft.text
    return spans, {first[0], second[0]} if same else set()


def page_noise(draft: Draft, old: str, rng: random.Random) -> tuple[list, set[int]]:
    """Lines of page furniture (numbers, 'News', 'Share:', short menu items) removed."""
    for start, end in reversed(paragraphs(old)):
        if end - start < 20 and rng.random() < 0.8:
            draft.delete(start, end + 1 if old[end : end + 1] == "\n" else end)
    return [], set()


def combined(draft: Draft, old: str, rng: random.Random) -> tuple[list, set[int]]:
    spans, _ = move_paragraph(draft, old, rng)
    more, _ = typo_in_quote(draft, old, rng)
    normalise(draft, old, rng)
    page_noise(draft, old, rng)
    return spans + more, set()


KINDS: dict[str, Edit] = {
    "paragraph inserted": insert_paragraph,
    "paragraph deleted": delete_paragraph,
    "paragraph moved": move_paragraph,
    "moved and edited": move_and_edit,
    "typo inside a quote": typo_in_quote,
    "typo at a quote's edge": typo_at_edge,
    "sentence rewritten": rewrite,
    "look-alikes normalised": normalise,
    "re-wrapped": rewrap,
    "paragraph doubled before": duplicate("before"),
    "paragraph doubled after": duplicate("after"),
    "paragraph copied far away": duplicate("far"),
    "repeated headline": repeated_headline,
    "page noise removed": page_noise,
    "combined": combined,
}


def cases(seed: int = SEED) -> Iterator[Case]:
    rng = random.Random(seed)
    recorded = recorded_spans()
    for path in sorted(SOURCES.glob("*.txt")):
        source = path.stem
        old = path.read_bytes().decode("utf-8")
        for kind, edit in KINDS.items():
            for _ in range(REVISIONS_PER_KIND):
                draft = Draft(old)
                concerned, undecidable = edit(draft, old, rng)
                new = draft.text
                if new == old:  # a kind this source offers nothing to (no repeated headline)
                    continue
                spans = list(dict.fromkeys(concerned))
                others = sorted(recorded[source]) + [
                    next(clauses(old, rng, p)) for p in rng.sample(paragraphs(old), 6)
                ]
                rng.shuffle(others)
                spans += [s for s in others if s not in spans]
                for start, end in spans[:SPANS_PER_REVISION]:
                    truth = draft.truth(old, start, end)
                    if any(start >= p and end <= _around(old, p)[1] for p in undecidable):
                        truth = UNDECIDABLE
                    yield Case(kind, source, old, new, start, end, truth)


# The two re-anchorers ----------------------------------------------------------------------


def claims_reanchor(old: str, new: str) -> Callable[[int, int], Place]:
    reanchorer = Reanchorer(old, new)

    def place(start: int, end: int) -> Place:
        found = reanchorer.find(start, end)
        if found.outcome in (Outcome.AMBIGUOUS, Outcome.LOST):
            return None
        assert found.start is not None and found.end is not None
        return found.start, found.end

    return place


def hypothesis_match(old: str, new: str) -> Callable[[int, int], Place]:
    """match-quote.ts: the quote, its 32-character prefix and suffix, and its old position."""

    def place(start: int, end: int) -> Place:
        quote = old[start:end]
        prefix, suffix = old[max(0, start - 32) : start], old[end : end + 32]
        matches = _search(new, quote, min(256, len(quote) // 2))
        if not matches:
            return None

        def score(match: tuple[int, int, int]) -> float:
            m_start, m_end, errors = match
            quote_score = 1 - errors / len(quote)
            prefix_score = _text_match_score(new[max(0, m_start - len(prefix)) : m_start], prefix)
            suffix_score = _text_match_score(new[m_end : m_end + len(suffix)], suffix)
            position_score = 1 - abs(m_start - start) / len(new)
            raw = 50 * quote_score + 20 * prefix_score + 20 * suffix_score + 2 * position_score
            return raw / 92

        best = max(matches, key=score)  # the first of equal scores, as a stable sort keeps it
        return best[0], best[1]

    return place


def _text_match_score(text: str, wanted: str) -> float:
    if not text or not wanted:
        return 0.0
    return 1 - _search(text, wanted, len(wanted))[0][2] / len(wanted)


def _search(text: str, pattern: str, max_errors: int) -> list[tuple[int, int, int]]:
    """Exact matches if there are any; otherwise every lowest-cost approximate match with at
    most `max_errors` edits (approx-string-match, as match-quote.ts uses it)."""
    exact = [m.start() for m in re.finditer(f"(?={re.escape(pattern)})", text)]
    if exact:
        return [(s, s + len(pattern), 0) for s in exact]
    row = _edit_row(np.array([ord(c) for c in text]), pattern, anchored=False)
    errors = int(row[1:].min())
    if errors > max_errors:
        return []
    matches = []
    for end in (np.flatnonzero(row == errors)).tolist():
        if end == 0:
            continue
        window = text[max(0, end - len(pattern) - errors) : end][::-1]
        back = _edit_row(np.array([ord(c) for c in window]), pattern[::-1], anchored=True)
        length = int(np.flatnonzero(back == errors)[0])
        matches.append((end - length, end, errors))
    return matches


def _edit_row(text: np.ndarray, pattern: str, *, anchored: bool) -> np.ndarray:
    """The last row of the edit-distance table of `pattern` against every prefix (anchored) or
    every substring ending at each index (not anchored) of `text`."""
    columns = np.arange(len(text) + 1)
    row = columns.copy() if anchored else np.zeros(len(text) + 1, dtype=np.int64)
    for i, char in enumerate(pattern, start=1):
        step = np.empty_like(row)
        step[0] = i
        step[1:] = np.minimum(row[:-1] + (text != ord(char)), row[1:] + 1)
        row = np.minimum.accumulate(step - columns) + columns
    return row


# The table ----------------------------------------------------------------------------------

RESULTS = ("placed right", "refused rightly", "refused, though findable", "placed wrong")


def judge(case: Case, place: Place) -> str:
    if isinstance(case.truth, str):
        return "refused rightly" if place is None else "placed wrong"
    if place is None:
        return "refused, though findable"
    return "placed right" if place == case.truth else "placed wrong"


def run(seed: int = SEED) -> dict[str, dict[str, list[tuple[Case, Place]]]]:
    """For each tool, each result, the cases that got it (with where they were placed)."""
    tools = {"claims reanchor": claims_reanchor, "Hypothesis": hypothesis_match}
    results: dict[str, dict[str, list[tuple[Case, Place]]]] = {
        tool: collections.defaultdict(list) for tool in tools
    }
    by_revision: dict[tuple[str, str], list[Case]] = collections.defaultdict(list)
    for case in cases(seed):
        by_revision[(case.old, case.new)].append(case)
    for (old, new), revision in by_revision.items():
        for tool, make in tools.items():
            place = make(old, new)
            for case in revision:
                found = place(case.start, case.end)
                results[tool][judge(case, found)].append((case, found))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true", help="the totals as a table")
    parser.add_argument("--cases", default="", help="print the cases of these results")
    parser.add_argument("--seed", type=int, default=SEED, help="other revisions, as many")
    args = parser.parse_args()
    results = run(args.seed)
    revisions = len({(c.old, c.new) for r in results["claims reanchor"].values() for c, _ in r})
    total = sum(len(r) for r in results["claims reanchor"].values())
    if args.markdown:
        print(f"{revisions} revised texts, {total:,} span cases:\n")
        print("| | " + " | ".join(RESULTS) + " |")
        print("|---|" + "---:|" * len(RESULTS))
        for tool, result in results.items():
            print(f"| {tool} | " + " | ".join(f"{len(result[r]):,}" for r in RESULTS) + " |")
        return
    print(f"{revisions} revised texts of {len(list(SOURCES.glob('*.txt')))} sources, "
          f"{total} span cases")  # fmt: skip
    for tool, result in results.items():
        print(f"\n{tool}")
        print(f"{'':<28}" + "".join(f"{r:>26}" for r in RESULTS))
        for kind in [*KINDS, "all"]:
            counts = [sum(1 for c, _ in result[r] if kind in ("all", c.kind)) for r in RESULTS]
            print(f"{kind:<28}" + "".join(f"{n:>26,}" for n in counts))
    for wanted in filter(None, args.cases.split(",")):
        for case, place in results["claims reanchor"][_result(wanted)]:
            old_quote = case.old[case.start : case.end]
            truth = case.truth if isinstance(case.truth, str) else case.new[slice(*case.truth)]
            got = "refused" if place is None else repr(case.new[slice(*place)])
            print(
                f"\n[{case.kind}] {case.source} {case.start}-{case.end} {old_quote!r}\n"
                f"  truth {case.truth} {truth!r}\n  got {place} {got}"
            )


def _result(name: str) -> str:
    return next(r for r in RESULTS if name in r)


if __name__ == "__main__":
    main()

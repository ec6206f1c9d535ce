"""Finding a span again after its source's text was revised: the engine of `claims reanchor`.

A span follows its words: first to where the revision's diff moved them, then to where its
quote occurs, exactly, tolerantly (whitespace, look-alike letters) or fuzzily (a few characters
edited). Wherever its words occur more than once, old or new, a place is chosen only if the
span's context clearly prefers it: by MARGIN characters, on neither side worse. A place that
another old copy of the words explains better belongs to that copy. Every placement keeps the
kind of boundary the span had (a word's edge or inside it; a letter, a mark or a space at each
end) and never cuts a grapheme cluster. What cannot be found surely is reported ambiguous (with
the candidates) or lost (with why), and left alone.
"""

from __future__ import annotations

import enum
import itertools
import re
from collections.abc import Callable
from fractions import Fraction

import attrs
import diff_match_patch
from rapidfuzz.distance import Levenshtein

from builder.anchoring import (
    Match,
    exact_matches,
    fold,
    grapheme_boundary,
    inside_word,
    tolerant_matches,
)

# A place in a text: its start and end offsets.
Span = tuple[int, int]

# Characters of context on each side that count as a span's surroundings for fuzzy matching.
CONTEXT = 32
# How far agreement of the context is followed on each side when copies of the words compete:
# beyond the longest paragraph, so that two copies of one paragraph differ somewhere.
REACH = 4096
# A place wins over another only with this many more characters of agreeing context on one
# side, and no fewer by as many on the other.
MARGIN = 8
# Context (of 2 x CONTEXT) that must agree for a quote found far from where the revision puts
# the span: a moved paragraph, not a chance repetition of a short phrase...
FAR_CONTEXT = 16
# ...unless the quote brings as much itself: this many of its characters found unedited (as
# many as the context on one side) in text the revision wrote or moved are no chance repetition.
LONG_QUOTE = 32
# A fuzzy match may differ from the old quote by this share of its characters where none of
# its context agrees, rising to the larger share where half of it (CONTEXT of the 2 x CONTEXT
# characters around it) or more does.
FUZZY_SHARE = Fraction(1, 10)
FUZZY_SHARE_IN_CONTEXT = Fraction(1, 3)
# How far an end of a fuzzy match may move to land on the span's kind of boundary.
SLACK = 12
# Choosing a fuzzy match's ends, one character edited weighs as much as this many characters
# of context agreeing just outside them.
EDIT_WEIGHT = 4


class Outcome(enum.Enum):
    UNCHANGED = "unchanged"
    MOVED = "moved"
    CHANGED_QUOTE = "changed-quote"
    AMBIGUOUS = "ambiguous"
    LOST = "lost"


@attrs.frozen
class Candidate:
    """A place the span's words were found, and how much of its context agrees there."""

    start: int
    end: int
    before: int
    after: int

    @property
    def context(self) -> int:
        return self.before + self.after

    @property
    def span(self) -> Span:
        return self.start, self.end

    def __str__(self) -> str:
        return f"{self.start}-{self.end} (context {self.before}+{self.after})"


@attrs.frozen
class Reanchored:
    """Where a span is in the revised text, and how it was found; or why it was not."""

    outcome: Outcome
    start: int | None = None
    end: int | None = None
    quote: str | None = None
    detail: str = ""
    method: str = ""  # diff, exact, tolerant or fuzzy: what placed the span
    context: tuple[int, int] | None = None  # agreeing characters before and after it
    edited: float | None = None  # the share of the quote a fuzzy match edited
    candidates: tuple[Candidate, ...] = ()


@attrs.frozen
class Edges:
    """The kind of boundary a span has at each end: inside a word or at its edge, and
    whether the character there is a letter or digit, a space, or a mark."""

    starts_inside: bool
    ends_inside: bool
    first: str
    last: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Edges:
        return cls(
            inside_word(text, start),
            inside_word(text, end),
            _kind(text, start),
            _kind(text, end - 1),
        )

    def fit(self, text: str, start: int, end: int) -> bool:
        return self.fits_start(text, start) and self.fits_end(text, end)

    def fits_start(self, text: str, start: int) -> bool:
        return (
            start < len(text)
            and grapheme_boundary(text, start)
            and (self.starts_inside or not inside_word(text, start))
            and _kind(text, start) == self.first
        )

    def fits_end(self, text: str, end: int) -> bool:
        return (
            end > 0
            and grapheme_boundary(text, end)
            and (self.ends_inside or not inside_word(text, end))
            and _kind(text, end - 1) == self.last
        )


def _kind(text: str, index: int) -> str:
    """What the grapheme at `index` is: a word character, a space or a mark (punctuation,
    symbol); a combining accent counts as its letter."""
    while index > 0 and not grapheme_boundary(text, index):
        index -= 1
    char = text[index]
    return "word" if char.isalnum() else "space" if char.isspace() else "mark"


class Reanchorer:
    """Spans of one text found again in its revision."""

    def __init__(self, old: str, new: str) -> None:
        self.old, self.new = old, new
        self._dmp = diff_match_patch.diff_match_patch()
        self._dmp.Diff_Timeout = 0  # no time limit: the same texts always give the same diff
        # Bitap looks for the quote, edited, over the whole text (distance costs at most 0.1).
        self._dmp.Match_Threshold = float(FUZZY_SHARE_IN_CONTEXT) + 0.1
        self._dmp.Match_Distance = 10 * len(new)
        self._diffs = self._dmp.diff_main(old, new)
        self._reverse = [(-operation, text) for operation, text in self._diffs]  # new to old

    def find(self, start: int, end: int) -> Reanchored:
        quote = self.old[start:end]
        edges = Edges.of(self.old, start, end)
        expected = self._dmp.diff_xIndex(self._diffs, start)
        expected_end = self._dmp.diff_xIndex(self._diffs, end)
        here = (expected, max(expected_end, expected + 1))
        if (
            self.new[expected:expected_end] == quote
            and self.old.count(quote) == self.new.count(quote)
            and edges.fit(self.new, expected, expected_end)
        ):
            # As many copies as before and the diff pairs this one with its own: kept.
            unchanged = (expected, expected_end) == (start, end)
            return Reanchored(
                Outcome.UNCHANGED if unchanged else Outcome.MOVED,
                expected,
                expected_end,
                quote,
                "" if unchanged else f"moved by {expected - start:+}",
                method="diff",
            )
        places, copies = _places(self.new, quote, edges), _places(self.old, quote, edges)
        # Other copies, overlapping ones included ("rights rights" twice in a row); not the
        # span itself, found tolerantly without its outer spaces.
        others = [(s, e) for s, e in copies if not (start <= s and e <= end)]
        if places:
            paired = (expected, expected_end) in places
            same = _method(quote, self.new[expected:expected_end]) != "widened"
            if paired and same and len(places) == len(copies):
                # Only spacing or letter forms changed, and the diff pairs the copies.
                return Reanchored(
                    Outcome.CHANGED_QUOTE,
                    expected,
                    expected_end,
                    self.new[expected:expected_end],
                    "the same words, written differently",
                    method="diff",
                )
            found = self._choose(start, end, places, others, here)
            if found is not None:
                return found
        return self._fuzzy(start, end, here, edges, others)

    def _choose(
        self,
        start: int,
        end: int,
        places: list[Span],
        others: list[Span],
        here: Span,
    ) -> Reanchored | None:
        """The one place whose context clearly prefers the span, or why there is none; None
        where every place is clearly another old copy's. Other copies are weighed only
        against the places that could be the span's, so many copies stay cheap."""
        quote = self.old[start:end]
        ranked = sorted(
            (
                candidate
                for candidate in (self._candidate((start, end), place) for place in places)
                if self._within_limit(quote, candidate)
            ),
            key=lambda c: (-c.context, abs(c.start - here[0]), c.start),
        )
        if not ranked:
            return None
        owner: dict[Candidate, Span | None] = {}
        shift = here[0] - start

        def owned(candidate: Candidate) -> bool:
            """Whether another old copy clearly has more of its context at `candidate` (it
            owns the place). The copy the revision's shift brings there is asked first."""
            if candidate not in owner:
                nearest = sorted(others, key=lambda o: abs(o[0] + shift - candidate.start))
                owner[candidate] = next(
                    (
                        o
                        for o in nearest
                        if _compare(candidate, self._candidate(o, candidate.span)) == -1
                    ),
                    None,
                )
            return owner[candidate] is not None

        def owners() -> set[Span]:
            """The old copies that clearly own one of the places asked about so far."""
            return {o for o in owner.values() if o is not None}

        best = next((c for c in ranked if not owned(c)), None)
        if best is None:
            return None
        if any(c is not best and _compare(best, c) != 1 and not owned(c) for c in ranked):
            return _ambiguous(ranked, "no place has clearly more of the span's context")
        contesting = [o for o in others if _compare(best, self._candidate(o, best.span)) == 0]
        if contesting:
            for candidate in ranked:  # an old copy that clearly owns another place is no rival
                owned(candidate)
            if not set(contesting) <= owners():
                return _ambiguous(
                    ranked, "another old copy of the words fits there as well as this span"
                )
        near = _overlap(best.span, here)
        if not near and best.context < FAR_CONTEXT and len(quote) < LONG_QUOTE:
            # Still this span's if every other old copy owns one of the other places.
            for candidate in ranked:
                owned(candidate)
            others_placed = len(owners()) == len(others) == len(ranked) - 1
            if not others_placed:
                return Reanchored(
                    Outcome.LOST,
                    detail=f"the words remain at {best}, far from where the revision puts "
                    "the span and with too little of its context to be sure they are its own",
                    candidates=tuple(ranked[:5]),
                )
        changed = self.new[best.start : best.end] != quote
        if changed:
            outcome = Outcome.CHANGED_QUOTE
        elif (best.start, best.end) == (start, end):
            outcome = Outcome.UNCHANGED
        else:
            outcome = Outcome.MOVED
        return Reanchored(
            outcome,
            best.start,
            best.end,
            self.new[best.start : best.end],
            f"found at {best}" if len(ranked) == 1 else f"chose {best} of {len(ranked)} places",
            method=_method(quote, self.new[best.start : best.end]),
            context=(best.before, best.after),
            candidates=tuple(ranked[:5]) if len(ranked) > 1 else (),
        )

    def _within_limit(self, quote: str, candidate: Candidate) -> bool:
        """A place widened to whole words holds letters the quote lacks: no more than a
        fuzzy match could have edited there."""
        found = self.new[candidate.start : candidate.end]
        if _method(quote, found) != "widened":
            return True
        return Levenshtein.distance(quote, found) <= _allowed(quote, candidate)

    def _candidate(self, was: Span, now: Span, reach: int = REACH) -> Candidate:
        """How far (up to `reach`) the old text around `was` and the new text around `now`
        agree."""
        old, new = self.old, self.new
        (start, end), (new_start, new_end) = was, now

        def before(n: int) -> bool:
            return old[start - n : start] == new[new_start - n : new_start]

        def after(n: int) -> bool:
            return old[end : end + n] == new[new_end : new_end + n]

        agree_before = _longest(before, min(reach, start, new_start))
        agree_after = _longest(after, min(reach, len(old) - end, len(new) - new_end))
        # Where both texts begin (or end) at the same distance, they agree all the way.
        if agree_before == start == new_start:
            agree_before = reach
        if agree_after == len(old) - end == len(new) - new_end:
            agree_after = reach
        return Candidate(new_start, new_end, agree_before, agree_after)

    def _fuzzy(
        self,
        start: int,
        end: int,
        here: Span,
        edges: Edges,
        others: list[Span],
    ) -> Reanchored:
        """The passage most like the quote, with at most `_allowed` characters edited: looked
        for anywhere, the nearest to where the revision puts the span first, and between what
        were its neighbours."""
        quote = self.old[start:end]
        if int(len(quote) * FUZZY_SHARE_IN_CONTEXT) == 0:
            return Reanchored(Outcome.LOST, detail="the quote is no longer in the text")
        guesses = self._guesses(start, end, here)
        # Of passages found from several guesses that overlap, the best ends win: the
        # others are the same passage cut worse.
        passages: list[tuple[int, ...]] = []
        for passage in sorted(
            {p for g in guesses if (p := self._passage(start, end, g, edges))},
            key=lambda p: (p[3], p[2], p[0]),
        ):
            if not any(passage[0] < kept[1] and passage[1] > kept[0] for kept in passages):
                passages.append(passage)
        scored = sorted(
            ((edits, self._candidate((start, end), (s, e))) for s, e, edits, _ in passages),
            key=lambda f: (f[0], -f[1].context, f[1].start),
        )
        close = [
            (edits, c)
            for edits, c in scored
            if edits <= _allowed(quote, c)
            and not self._untouched_elsewhere(start, end, c)
            and not self._fits_another(c, others)
        ]
        found = [
            (edits, c)
            for edits, c in close
            if _overlap(c.span, here)
            or c.context >= FAR_CONTEXT
            or len(quote) - edits >= LONG_QUOTE
        ]
        if not found:
            if not scored:
                return Reanchored(Outcome.LOST, detail="the quote is no longer in the text")
            edits, candidate = close[0] if close else scored[0]
            why = self._refused(start, end, edits, candidate, far=bool(close))
            return Reanchored(
                Outcome.LOST,
                detail=f"the passage most like the quote, at {candidate}, {edits} characters "
                f"edited, {why}",
                candidates=(candidate,),
            )
        edits, best = found[0]
        rivals = [c for _, c in found[1:] if not _overlap(c.span, best.span)]
        for other_edits, other in ((e, c) for e, c in found[1:] if c in rivals):
            preferred = _compare(best, other)
            if not (preferred == 1 or (preferred == 0 and edits < other_edits)):
                return _ambiguous([best, *rivals], "the quote, edited, fits more than one place")
        return Reanchored(
            Outcome.CHANGED_QUOTE,
            best.start,
            best.end,
            self.new[best.start : best.end],
            f"{edits} characters edited",
            method="fuzzy",
            context=(best.before, best.after),
            edited=round(edits / len(quote), 3),
            candidates=tuple(rivals[:4]),
        )

    def _refused(self, start: int, end: int, edits: int, candidate: Candidate, *, far: bool) -> str:
        """Why the passage most like the quote is not taken for the span."""
        allowed = _allowed(self.old[start:end], candidate)
        if far:
            return (
                "is far from where the revision puts the span, with too little of its "
                "context to be sure it is the same passage"
            )
        if edits > allowed:
            return f"differs in more than the {allowed} allowed there"
        if self._untouched_elsewhere(start, end, candidate):
            return "is text the revision left as it was, elsewhere: another passage's words"
        return "another old copy of the words fits there at least as well"

    def _fits_another(self, candidate: Candidate, others: list[Span]) -> bool:
        """Whether another old copy of the words has as much of its context around the
        candidate as this span (an edited copy in repeated text is not surely this span's)."""
        return any(_compare(candidate, self._candidate(o, candidate.span)) != 1 for o in others)

    def _untouched_elsewhere(self, start: int, end: int, candidate: Candidate) -> bool:
        """Whether the candidate is text the revision left as it was, somewhere other than
        the span: another passage's words (a similar sentence), not this span's, edited."""
        old_start = self._dmp.diff_xIndex(self._reverse, candidate.start)
        old_end = old_start + (candidate.end - candidate.start)
        unchanged = self.old[old_start:old_end] == self.new[candidate.start : candidate.end]
        return unchanged and not (old_start < end and old_end > start)

    def _guesses(self, start: int, end: int, here: Span) -> set[tuple[int, int]]:
        """Where the edited quote may start and end: by bitap over the whole text (of like
        matches, the one nearest where the revision puts the span), and between the words that
        were its neighbours."""
        text, quote = self.new, self.old[start:end]
        guesses = set()
        found = self._dmp.match_main(text, quote, here[0])
        if found != -1:
            guesses.add((found, self._aligned_end(quote, found)))
        # Between the span's old neighbours: a paragraph moved and edited brings them along.
        width = CONTEXT // 2
        before, after = self.old[max(0, start - width) : start], self.old[end : end + width]
        ends_of_before = (
            [m.end for m in exact_matches(text, before)] if len(before) == width else []
        )
        starts_of_after = (
            [m.start for m in exact_matches(text, after)] if len(after) == width else []
        )
        budget = int(len(quote) * FUZZY_SHARE_IN_CONTEXT)
        for s in ends_of_before:
            guesses.add((s, self._aligned_end(quote, s)))
            guesses |= {(s, e) for e in starts_of_after if abs(e - s - len(quote)) <= budget}
        for e in starts_of_after:
            guesses.add((max(0, e - len(quote)), e))
        return guesses

    def _aligned_end(self, quote: str, found: int) -> int:
        """Where the quote's last character went, aligned from `found` (its end would take in
        text inserted after it)."""
        budget = int(len(quote) * FUZZY_SHARE_IN_CONTEXT)
        alignment = self._dmp.diff_main(quote, self.new[found : found + len(quote) + budget])
        return found + int(self._dmp.diff_xIndex(alignment, len(quote) - 1)) + 1

    def _passage(
        self, start: int, end: int, guess: tuple[int, int], edges: Edges
    ) -> tuple[int, int, int, int] | None:
        """The passage near `guess` with the span's kind of boundary at each end (start, end
        edits and cost), or None: the one most like the quote, counting each character of the
        span's context agreeing just outside it against a quarter of an edit (an edge is
        where its context begins: a last word glued to new letters is not dropped)."""
        text, quote = self.new, self.old[start:end]
        found, guessed_end = guess
        slack = min(SLACK, int(len(quote) * FUZZY_SHARE_IN_CONTEXT))
        # Each end near where it was guessed, or the quote's length from the other end (where
        # the alignment drifted).
        words = _WORD.findall(quote) or [quote]
        # Words the old text had around the span are no new letters glued to an edge word.
        known = {
            *_WORD.findall(self.old, _word_start(self.old, start - CONTEXT), start),
            *_WORD.findall(self.old, end, _word_end(self.old, end + CONTEXT)),
        }
        starts = _near(found, guessed_end - len(quote), slack)
        starts = [
            s
            for s in starts
            if s >= 0 and edges.fits_start(text, s) and not _glued_before(text, s, words[0], known)
        ]
        ends = _near(guessed_end, found + len(quote), slack)
        ends = [
            e
            for e in ends
            if e <= len(text)
            and edges.fits_end(text, e)
            and not _glued_after(text, e, words[-1], known)
        ]
        best: tuple[int, ...] | None = None  # cost, edits, distance, s, e
        for s in starts:
            for e in ends:
                if e <= s:
                    continue
                edits = Levenshtein.distance(quote, text[s:e])
                around = self._candidate((start, end), (s, e), reach=CONTEXT)
                cost = EDIT_WEIGHT * edits - around.context
                key = (cost, edits, abs(s - found) + abs(e - guessed_end), s, e)
                if best is None or key < best:
                    best = key
        return None if best is None else (best[3], best[4], best[1], best[0])


def _near(a: int, b: int, slack: int) -> list[int]:
    """Every index within `slack` of `a` or of `b`, in order."""
    return sorted({*range(a - slack, a + slack + 1), *range(b - slack, b + slack + 1)})


def _glued_after(text: str, end: int, last: str, known: set[str]) -> bool:
    """Whether, within a few characters after `end`, the text has the quote's last word
    glued to new letters (`EU00`, where the old text had `EU` and then `,`): a passage ending
    at `end` would leave that word out, with any word between, or take a copy of it further
    on. Words in `known` were there before."""
    after = _WORD.findall(text, end, _word_end(text, end + len(last) + SLACK))
    return any(w != last and w not in known and w.startswith(last) for w in after)


def _glued_before(text: str, start: int, first: str, known: set[str]) -> bool:
    """The same before `start`, for the quote's first word (`00EU`)."""
    before = _WORD.findall(text, _word_start(text, start - len(first) - SLACK), start)
    return any(w != first and w not in known and w.endswith(first) for w in before)


def _word_end(text: str, index: int) -> int:
    """`index`, or the end of the word it cuts, up to CONTEXT characters on (a word is read
    whole, not as the letters a reach happens to take)."""
    limit = index + CONTEXT
    while index < limit and inside_word(text, index):
        index += 1
    return index


def _word_start(text: str, index: int) -> int:
    """`index`, or the start of the word it cuts, up to CONTEXT characters back."""
    limit = index - CONTEXT
    while index > limit and inside_word(text, index):
        index -= 1
    return index


_WORD = re.compile(r"\w+")


def _allowed(quote: str, candidate: Candidate) -> int:
    """How many characters of the quote may be edited at a place: FUZZY_SHARE where none of
    its CONTEXT characters on either side agree, rising to FUZZY_SHARE_IN_CONTEXT where at
    least CONTEXT of those 2 x CONTEXT do."""
    agreeing = min(candidate.before, CONTEXT) + min(candidate.after, CONTEXT)
    weight = min(Fraction(agreeing, CONTEXT), Fraction(1))
    share = FUZZY_SHARE + (FUZZY_SHARE_IN_CONTEXT - FUZZY_SHARE) * weight
    return int(len(quote) * share)


def _compare(a: Candidate, b: Candidate) -> int:
    """1 if `a` has clearly more of the context (MARGIN more on a side, not MARGIN less on
    the other), -1 if `b` has, 0 if neither: a tie, or each better on its own side."""
    if b.before >= a.before + MARGIN or b.after >= a.after + MARGIN:
        return 0 if (a.before >= b.before + MARGIN or a.after >= b.after + MARGIN) else -1
    return 1 if (a.before >= b.before + MARGIN or a.after >= b.after + MARGIN) else 0


def _ambiguous(ranked: list[Candidate], why: str) -> Reanchored:
    places = ", ".join(str(c) for c in ranked[:5])
    return Reanchored(
        Outcome.AMBIGUOUS, detail=f"found at {places}: {why}", candidates=tuple(ranked[:5])
    )


def _longest(same: Callable[[int], bool], limit: int) -> int:
    """The largest n <= limit for which same(n) holds, given it holds for every smaller n:
    doubling, then halving, so each test compares slices in C."""
    low, high = 0, 1
    while high <= limit and same(high):
        low, high = high, high * 2
    high = min(high, limit + 1)
    while high - low > 1:
        middle = (low + high) // 2
        if same(middle):
            low = middle
        else:
            high = middle
    return low


def _method(quote: str, found: str) -> str:
    if found == quote:
        return "exact"
    return "tolerant" if fold(found).text == fold(quote).text else "widened"


def _places(text: str, quote: str, edges: Edges) -> list[Span]:
    """Every place the span's words are in `text`, with the span's kind of edges: exactly,
    tolerantly (spacing, letter forms), or with letters glued to its first or last word (the
    place widened to the whole word: `paid` found in `ppaid` is `ppaid`)."""
    found: set[Span] = set()
    for match in itertools.chain(exact_matches(text, quote), tolerant_matches(text, quote)):
        fits = edges.fit(text, match.start, match.end)
        place = (match.start, match.end) if fits else _widened(text, match, edges)
        if place is not None:
            found.add(place)
    return sorted(found)


def _widened(text: str, match: Match, edges: Edges) -> Span | None:
    start, end = match.start, match.end
    while not edges.starts_inside and start > match.start - SLACK and inside_word(text, start):
        start -= 1
    while not edges.ends_inside and end < match.end + SLACK and inside_word(text, end):
        end += 1
    if (start, end) == (match.start, match.end) or not edges.fit(text, start, end):
        return None
    return start, end


def _overlap(a: Span, b: Span) -> bool:
    return a[0] < b[1] and a[1] > b[0]

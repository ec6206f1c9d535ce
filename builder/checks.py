"""Semantic checks over a loaded repository: what the schemas cannot see.

Each check is a small generator of problems; `check_repository` runs them all. None of them
raises for bad data, and none of them prints.
"""

from __future__ import annotations

import datetime
import difflib
import hashlib
import itertools
from collections import defaultdict
from collections.abc import Iterator
from pathlib import PurePosixPath

from builder import anchoring, dates
from builder.layout import RECORDS, SOURCES, TOPICS
from builder.loader import Document, Pointer
from builder.model import Repository, Span
from builder.problems import Problem


def check_repository(repository: Repository, today: datetime.date) -> Iterator[Problem]:
    for check in (
        check_ids,
        check_duplicate_ids,
        check_source_texts,
        check_spans,
        check_topics,
        check_related,
    ):
        yield from check(repository)
    yield from check_dates(repository, today)


def check_ids(repository: Repository) -> Iterator[Problem]:
    """A claim's or source's id is its file's stem: the file name is how people find it."""
    origins = [claim.origin for claim in repository.claims]
    origins += [source.origin for source in repository.sources.values()]
    for document in origins:
        stem = PurePosixPath(document.path).stem
        record_id = document.data["id"]
        if record_id != stem:
            yield document.problem(
                ("id",),
                "R001",
                f"id {record_id!r} differs from the file name {stem}.yaml; make them the same "
                f"(rename the file or set id: {stem})",
            )


def check_duplicate_ids(repository: Repository) -> Iterator[Problem]:
    """A claim id names one claim: two records with one id would be merged by every user."""
    by_id: dict[str, list[Document]] = defaultdict(list)
    for claim in repository.claims:
        by_id[claim.id].append(claim.origin)
    for claim_id, documents in by_id.items():
        # Records a partial read left out can only be known by name: their stem is their id.
        unread = repository.unread_claim_files.get(claim_id, ())
        if len(documents) + len(unread) < 2:
            continue
        for document in documents:
            others = ", ".join([*(d.path for d in documents if d is not document), *unread])
            yield document.problem(
                ("id",),
                "R002",
                f"claim id {claim_id!r} is also used by {others}; give one of them a new id",
            )


def check_source_texts(repository: Repository) -> Iterator[Problem]:
    """The sha256 pins a source's text: a changed text would silently move every span."""
    for source in repository.sources.values():
        actual = hashlib.sha256(source.text.encode("utf-8")).hexdigest()
        if actual != source.sha256:
            yield source.origin.problem(
                ("sha256",),
                "A003",
                f"sources/{source.id}.txt has sha256 {actual}, not the one recorded here; if "
                "the text was meant to change, run `claims reanchor`, otherwise restore the text",
            )


def check_spans(repository: Repository) -> Iterator[Problem]:
    """Every span points at a real source, inside its text, and quotes it exactly."""
    for claim in repository.claims:
        for placed in claim.spans():
            yield from _check_span(repository, claim.origin, placed.pointer, placed.span)


def _check_span(
    repository: Repository, document: Document, pointer: Pointer, span: Span
) -> Iterator[Problem]:
    if span.source in repository.unreadable_sources:
        return  # the source's own problems are reported on its files
    source = repository.sources.get(span.source)
    if source is None:
        known = sorted(repository.source_files - repository.unreadable_sources)
        close = difflib.get_close_matches(span.source, known, n=1)
        advice = f"did you mean {close[0]!r}?" if close else f"known sources: {', '.join(known)}"
        yield document.problem(
            (*pointer, "source"), "R003", f"no source {span.source!r} in {SOURCES}; {advice}"
        )
        return
    text = source.text
    if span.end > len(text) or span.start >= span.end:
        field = "end" if span.start < span.end else "start"
        yield document.problem(
            (*pointer, field),
            "A001",
            f"span {span.start}-{span.end} is not inside {span.source} (0-{len(text)}) or ends "
            f"before it starts; {_where_quote_is(text, span.quote, span.start)}",
        )
        return
    actual = text[span.start : span.end]
    if actual != span.quote:
        yield document.problem(
            (*pointer, "quote"),
            "A002",
            f"the quote differs from {span.source} at {span.start}-{span.end}, which reads "
            f"{_excerpt(actual)}; {_where_quote_is(text, span.quote, span.start)}",
        )
        return
    for field, index in (("start", span.start), ("end", span.end)):
        if anchoring.inside_word(text, index):
            yield document.problem(
                (*pointer, field),
                "A101",
                f"the span's {field} ({index}) cuts the word {_word_at(text, index)!r}; "
                "widen the span to whole words",
            )
    if span.quote != span.quote.strip():
        yield document.problem(
            (*pointer, "quote"),
            "A102",
            "the quote starts or ends with whitespace; narrow the span to the words",
        )


# A hint names at most SHOWN places and counts at most COUNTED: a quote of one common word can
# occur a hundred thousand times in a source, and a repository can have hundreds of such spans.
SHOWN = 5
COUNTED = 100


def _where_quote_is(text: str, quote: str, near: int) -> str:
    """Where `quote` really is in `text`, for a span given at `near`: its one place, its few
    places, or the few nearest `near` of its many; else the first place that matches it
    tolerantly, with what differs there."""
    counted = sum(1 for _ in itertools.islice(anchoring.exact_matches(text, quote), COUNTED + 1))
    if counted:
        nearest = anchoring.exact_nearest(text, quote, near, SHOWN)
        places = ", ".join(f"{m.start}-{m.end}" for m in nearest)
        if counted == 1:
            return (
                f"the quote occurs at {places}: set start: {nearest[0].start} and end: "
                f"{nearest[0].end}"
            )
        if counted <= SHOWN:
            return f"the quote occurs at {places}: set start and end to the one meant"
        many = f"more than {COUNTED}" if counted > COUNTED else str(counted)
        return (
            f"the quote occurs in {many} places, such as {places} (the {SHOWN} nearest to "
            f"{near}): set start and end to the one meant"
        )
    # Only the first tolerant place is named: the generator stops there.
    first = next(anchoring.tolerant_matches(text, quote), None)
    if first is None:
        return "the quote does not occur in the source: copy it from the source text"
    found = text[first.start : first.end]
    named = anchoring.differences(found, quote)
    spelled = f" (it has {named})" if named else ""
    return (
        f"the source has {_excerpt(found)} at {first.start}-{first.end}{spelled}: "
        f"set start: {first.start}, end: {first.end} and copy the quote from the source"
    )


def _excerpt(text: str, width: int = 100) -> str:
    return repr(text if len(text) <= width else text[: width - 3] + "...")


def _word_at(text: str, index: int) -> str:
    start, end = index, index
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return text[start:end]


def check_topics(repository: Repository) -> Iterator[Problem]:
    """Topics come from the controlled vocabulary, so that they can be counted and filtered."""
    if not repository.topics:
        return  # topics.yaml is missing or broken; that is reported on its own
    vocabulary = sorted(repository.topics)
    for claim in repository.claims:
        for index, topic in enumerate(claim.topics):
            if topic not in repository.topics:
                close = difflib.get_close_matches(topic, vocabulary, n=1)
                advice = (
                    f"did you mean {close[0]!r}?"
                    if close
                    else f"add it to {TOPICS} or pick one listed there"
                )
                yield claim.origin.problem(
                    ("topics", index),
                    "R004",
                    f"topic {topic!r} is not in {TOPICS}; {advice}",
                )


def check_related(repository: Repository) -> Iterator[Problem]:
    """A link between claims points at another claim that exists."""
    known = repository.claim_files | {claim.id for claim in repository.claims}
    for claim in repository.claims:
        for index, related in enumerate(claim.related):
            pointer = ("related", index, "claim")
            if related.claim == claim.id:
                yield claim.origin.problem(
                    pointer,
                    "R006",
                    "a claim cannot be related to itself; "
                    "point at another claim or remove the link",
                )
            elif related.claim not in known:
                close = difflib.get_close_matches(related.claim, sorted(known), n=1)
                advice = f"did you mean {close[0]!r}?" if close else "check the id"
                yield claim.origin.problem(
                    pointer, "R005", f"no claim {related.claim!r} in {RECORDS}; {advice}"
                )


def check_dates(repository: Repository, today: datetime.date) -> Iterator[Problem]:
    """Dates are not in the future, and a review comes after the claim it reviews."""
    for claim in repository.claims:
        yield from _not_future(claim.origin, ("claim_date",), claim.claim_date, today)
        if claim.review is not None:
            reviewed = claim.review.reviewed
            yield from _not_future(claim.origin, ("review", "reviewed"), reviewed, today)
            if dates.last_day(reviewed) < dates.first_day(claim.claim_date):
                yield claim.origin.problem(
                    ("review", "reviewed"),
                    "D002",
                    f"reviewed {reviewed} is before the claim was made ({claim.claim_date}); "
                    "check both dates",
                )
    for source in repository.sources.values():
        yield from _not_future(source.origin, ("published",), source.published, today)
        for index, revision in enumerate(source.revisions):
            yield from _not_future(
                source.origin, ("revisions", index, "date"), revision.date, today
            )


def _not_future(
    document: Document, pointer: Pointer, value: str, today: datetime.date
) -> Iterator[Problem]:
    if dates.first_day(value) > today:
        yield document.problem(
            pointer,
            "D001",
            f"{value} is in the future (today is {today.isoformat()}); check the date",
        )

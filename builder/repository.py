"""Reading a claims repository into the model: every file the layout lists is read or reported.

Files are opened only at paths the layout listed itself, so nothing outside the repository is
ever read, and a file the tool would not read is a problem, not a silence.
"""

from __future__ import annotations

import itertools
import os
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs

from builder import workers
from builder.errors import UsageError
from builder.layout import CLAIMS, DATASET, TOPICS, Kind, Layout, Listing, stem
from builder.loader import Document, Loaded, ParseFailure, load_file
from builder.model import Claim, DatasetMetadata, Repository, Source
from builder.problems import Problem
from builder.progress import Tick, silent
from builder.schemas import schema_problems
from builder.selection import Selection


@attrs.frozen
class ReadResult:
    """What reading a repository gave: the model, the problems met, and the files read."""

    repository: Repository
    problems: tuple[Problem, ...]
    files: tuple[str, ...]


Checked = tuple[str, Document | None, tuple[Problem, ...]]


@attrs.define
class _Reader:
    layout: Layout
    problems: list[Problem] = attrs.Factory(list)
    files: list[str] = attrs.Factory(list)

    def document(self, relative: str, kind: Kind) -> Document | None:
        """A schema-valid document, or None with its problems recorded."""
        return self.record(checked_document(self.layout.path(relative), relative, kind))

    def record(self, checked: Checked, tick: Tick = silent) -> Document | None:
        tick()
        display, document, problems = checked
        self.files.append(display)
        self.problems.extend(problems)
        return document

    def text(self, relative: str) -> str | None:
        self.files.append(relative)
        text = self.layout.read_source_text(relative)
        if isinstance(text, Problem):
            self.problems.append(text)
            return None
        return text


def read_repository(
    layout: Layout, only: Selection | None = None, jobs: int = 1, tick: Tick = silent
) -> ReadResult:
    """Read the repository; problems are collected, never raised.

    With `only`, read just the selected records and sources and what checking them needs: the
    metadata, the topics, the sources the selected records quote, and the names of all other
    files (for unique ids and references). Checking that much gives, for the selected files,
    the problems a full read gives, at the cost of the selection rather than the repository.
    `jobs` processes share the records; the result is the same for any number.
    """
    if not layout.is_repository():
        raise UsageError(f"{layout.root} has no {CLAIMS}/ folder: it is not a claims repository")
    listing = layout.list()
    reader = _Reader(layout, list(listing.problems))
    dataset = _read_dataset(reader, listing)
    topics = _read_topics(reader, listing)
    claims, unread = _read_claims(reader, listing, only, jobs, tick)
    quoted = {placed.span.source for claim in claims for placed in claim.spans()}

    def wanted(source_id: str, paths: list[str]) -> bool:
        return only is None or source_id in quoted or any(map(only.includes, paths))

    sources, unreadable = _read_sources(reader, listing, wanted)
    repository = Repository(
        dataset=dataset,
        topics=topics,
        sources=sources,
        claims=claims,
        unreadable_sources=frozenset(unreadable),
        claim_files=frozenset(map(stem, listing.records)),
        unread_claim_files=unread,
        source_files=frozenset(listing.sources),
    )
    return ReadResult(repository, tuple(reader.problems), tuple(reader.files))


def _read_dataset(reader: _Reader, listing: Listing) -> DatasetMetadata | None:
    if not _required(reader, listing, listing.dataset, DATASET):
        return None
    assert listing.dataset is not None
    document = reader.document(listing.dataset, Kind.DATASET)
    return None if document is None else DatasetMetadata.from_document(document)


def _read_topics(reader: _Reader, listing: Listing) -> dict[str, str]:
    if not _required(reader, listing, listing.topics, TOPICS):
        return {}
    assert listing.topics is not None
    document = reader.document(listing.topics, Kind.TOPICS)
    return {} if document is None else dict(document.data)


def _required(reader: _Reader, listing: Listing, found: str | None, name: str) -> bool:
    if found is not None:
        return True
    if name not in listing.refused:  # a link out of the repository is reported as such
        reader.problems.append(
            Problem(name, 1, 1, "L013", f"{name} is missing; every claims repository has one")
        )
    return False


def _read_sources(
    reader: _Reader, listing: Listing, wanted: Callable[[str, list[str]], bool]
) -> tuple[dict[str, Source], set[str]]:
    """The sources `wanted` (asked with each id and its files' paths) by id, and the ids of
    those that did not load."""
    sources: dict[str, Source] = {}
    unreadable: set[str] = set()
    for source_id, files in listing.sources.items():
        if files.text is None:
            reader.problems.append(
                Problem(
                    files.metadata or "",
                    1,
                    1,
                    "R007",
                    f"no text for this source: add sources/{source_id}.txt",
                )
            )
        if files.metadata is None:
            reader.problems.append(
                Problem(
                    files.text or "",
                    1,
                    1,
                    "R007",
                    f"no metadata for this text: add sources/{source_id}.yaml",
                )
            )
        paths = [path for path in (files.metadata, files.text) if path]
        if not wanted(source_id, paths):
            continue
        document = reader.document(files.metadata, Kind.SOURCE) if files.metadata else None
        text = reader.text(files.text) if files.text else None
        if document is None or text is None:
            unreadable.add(source_id)
        else:
            sources[source_id] = Source.from_document(document, text)
    return sources, unreadable


def _read_claims(
    reader: _Reader, listing: Listing, only: Selection | None, jobs: int, tick: Tick
) -> tuple[tuple[Claim, ...], dict[str, tuple[str, ...]]]:
    """The claims read (all, or those in `only`), and the paths of the record files not read,
    by stem."""
    unread: dict[str, list[str]] = defaultdict(list)
    selected: list[str] = []
    for name in listing.records:
        if only is not None and not only.includes(name):
            unread[stem(name)].append(name)
        else:
            selected.append(name)
    claims = [
        Claim.from_document(document)
        for checked in _check_records(reader.layout.root, selected, jobs)
        if (document := reader.record(checked, tick)) is not None
    ]
    return tuple(claims), {stem: tuple(paths) for stem, paths in unread.items()}


def checked_document(path: Path, display: str, kind: Kind) -> Checked:
    """Load and schema-check one file: the document if it passed, and its problems."""
    loaded: Loaded = load_file(path, display)
    if isinstance(loaded, ParseFailure):
        return display, None, loaded.problems
    problems = tuple(schema_problems(loaded, kind))
    return display, None if problems else loaded, problems


# Below this many records a process pool costs more than it saves.
PARALLEL_FROM = 400
_CHUNK = 200


def _check_records(root: Path, relatives: list[str], jobs: int) -> Iterator[Checked]:
    """Each record checked, in the given order, by `jobs` processes when there are enough."""
    jobs = min(jobs, os.cpu_count() or 1, -(-len(relatives) // _CHUNK))
    if jobs <= 1 or len(relatives) < PARALLEL_FROM:
        yield from _check_chunk(root, relatives)
        return
    chunks = [relatives[i : i + _CHUNK] for i in range(0, len(relatives), _CHUNK)]
    with workers.pool(jobs) as pool:
        for checked in pool.map(_check_chunk, itertools.repeat(root), chunks):
            yield from checked


def _check_chunk(root: Path, relatives: list[str]) -> list[Checked]:
    layout = Layout(root)
    return [checked_document(layout.path(display), display, Kind.CLAIM) for display in relatives]

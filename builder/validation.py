"""Validation of a whole repository: read every file, check everything, collect the result."""

from __future__ import annotations

import datetime
import os
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import attrs

from builder import cache, dates, positions
from builder.checks import check_repository
from builder.layout import Layout, Listing
from builder.model import Repository
from builder.problems import Problem, Severity
from builder.progress import Tick, silent
from builder.repository import read_repository
from builder.selection import Selection


@attrs.frozen
class Result:
    """The problems of one validation run, sorted by file and position, and what was read."""

    problems: tuple[Problem, ...]
    files: tuple[str, ...]
    repository: Repository

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p.severity is Severity.WARNING)

    def success(self, *, strict: bool = False) -> bool:
        return self.errors == 0 and not (strict and self.warnings)

    def restricted_to(self, selection: Selection) -> Result:
        """The same run, keeping only problems in the selected files and folders."""
        return Result(
            tuple(p for p in self.problems if selection.includes(p.file)),
            tuple(f for f in self.files if selection.includes(f)),
            self.repository,
        )


def validate(
    layout: Layout,
    today: datetime.date | None = None,
    only: Selection | None = None,
    jobs: int = 1,
    tick: Tick = silent,
) -> Result:
    """Check the repository against the schemas and its own sources; with `only`, check just
    the selected files (against the whole repository) and report on them; with `jobs`, read
    the records in that many processes; `tick` is called once per record read."""
    read = read_repository(layout, only, jobs, tick)
    problems = [*read.problems, *_checked(read.repository, today or dates.today(), jobs)]
    result = Result(tuple(sorted(set(problems))), read.files, read.repository)
    return result if only is None else result.restricted_to(only)


def _checked(repository: Repository, today: datetime.date, jobs: int) -> list[Problem]:
    """The semantic checks' problems, placed in `jobs` processes afterwards."""
    with positions.deferred() as pending:
        problems = list(check_repository(repository, today))
    return positions.placed(problems, pending, jobs)


# Problems whose presence means a partial run may differ from a full one: a record's id that is
# not its file name is known to other records only once that record is read.
_NEEDS_FULL_RUN = frozenset({"R001", "R002"})


def validate_cached(
    layout: Layout,
    today: datetime.date | None = None,
    jobs: int = 1,
    tick: Tick = silent,
    cache_folder: Path | None = None,
) -> Result:
    """`validate` of the whole repository, reusing what an earlier run found for the records
    that did not change (see `builder.cache`): the same problems, at the cost of the changes.

    Only the records whose entries are stale are read, with every other file, as a run on
    those files would read them. The result's repository holds only the records read.
    """
    today = today or dates.today()
    listing = layout.list()
    shared = cache.shared_digest(layout, listing, today.isoformat())
    stored = cache.Cache.load(layout, shared, cache_folder)
    stamps = cache.source_stamps(layout, listing)
    digests = {}
    kept: dict[str, cache.Entry] = {}
    root = os.fspath(layout.root) + os.sep  # string paths: no pathlib object per record
    for record in listing.records:
        digest = digests[record] = cache.file_digest(root + record)
        entry = stored.fresh(record, digest, stamps)  # an unreadable file (None) is never fresh
        if entry is not None:
            kept[record] = entry
            tick()
    stale = [record for record in listing.records if record not in kept]
    if kept:
        result = _validate_stale(
            layout, listing, stale=stale, kept=kept, today=today, jobs=jobs, tick=tick
        )
    else:
        result = validate(layout, today, jobs=jobs, tick=tick)
    if any(p.code in _NEEDS_FULL_RUN for p in result.problems) and kept:
        result = validate(layout, today, jobs=jobs, tick=silent)
        kept = {}
    if stale or kept.keys() != stored.entries.keys():
        entries = _entries(result, stale if kept else listing.records, digests, stamps)
        stored.save({**kept, **_still_current(layout, listing, entries, shared, today)})
    return result


def _still_current(
    layout: Layout,
    listing: Listing,
    entries: dict[str, cache.Entry],
    shared: str,
    today: datetime.date,
) -> dict[str, cache.Entry]:
    """The entries whose files did not change while this run read them: a record or source
    edited meanwhile may have been checked as either version, so its result is not kept."""
    if cache.shared_digest(layout, listing, today.isoformat()) != shared:
        return {}
    stamps = cache.source_stamps(layout, listing)
    root = os.fspath(layout.root) + os.sep
    return {
        record: entry
        for record, entry in entries.items()
        if cache.file_digest(root + record) == entry.digest
        and all(stamps.get(source) == stamp for source, stamp in entry.sources.items())
    }


def _validate_stale(
    layout: Layout,
    listing: Listing,
    *,
    stale: list[str],
    kept: dict[str, cache.Entry],
    today: datetime.date,
    jobs: int,
    tick: Tick,
) -> Result:
    records = set(listing.records)
    others = [path for path, _ in listing.documents() if path not in records]
    texts = [files.text for files in listing.sources.values() if files.text]
    only = Selection(files=frozenset([*stale, *others, *texts]))
    read = read_repository(layout, only, jobs, tick)
    problems = [*read.problems, *_checked(read.repository, today, jobs)]
    problems += [problem for entry in kept.values() for problem in entry.problems]
    files = [*read.files, *kept]
    return Result(tuple(sorted(set(problems))), tuple(files), read.repository)


def _entries(
    result: Result,
    records: Iterable[str],
    digests: dict[str, str | None],
    stamps: dict[str, str],
) -> dict[str, cache.Entry]:
    """Cache entries for the records this run read."""
    quoted: dict[str, set[str]] = defaultdict(set)
    for claim in result.repository.claims:
        quoted[claim.origin.path].update(placed.span.source for placed in claim.spans())
    found: dict[str, list[Problem]] = defaultdict(list)
    for problem in result.problems:
        found[problem.file].append(problem)
    entries = {}
    for record in records:
        if digest := digests.get(record):  # an unreadable file is checked every time
            sources = {source: stamps.get(source) for source in sorted(quoted[record])}
            entries[record] = cache.Entry(digest, sources, tuple(found[record]))
    return entries


def still_to_fill(layout: Layout, written: list[str]) -> tuple[Problem, ...]:
    """What `validate` says of files a command just wrote (a skeleton): what is left to do."""
    # A fresh layout: the given one listed the repository before these files existed.
    return validate(Layout(layout.root), only=Selection(files=frozenset(written))).problems

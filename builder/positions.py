"""Where problems are, worked out after the checks and in parallel.

A problem found by the semantic checks (a span cutting a word, a quote that differs) is placed
by reading its file's YAML again for positions, which costs more than the check itself. With
positions deferred, the checks place such problems at 0:0 and list them; the files are then
read again in `jobs` processes, each keeping only the positions asked for, and the problems
are placed. A repository where every record has a warning is checked at the cost of the
clean one plus that reading, shared by the cores, and no file's positions stay in memory.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

from builder import workers
from builder.loader import DEFERRED, Document, Pending, Pointer, Position, places
from builder.problems import Problem

# Below this many files to read again, a process pool costs more than it saves.
PARALLEL_FROM = 200
_CHUNK = 100

Asked = tuple[str | Path, dict[str, Any], list[tuple[Pointer, bool]]]


@contextlib.contextmanager
def deferred() -> Iterator[Pending]:
    """Problems made meanwhile by `Document.problem` are listed here, placed at 0:0."""
    pending: Pending = []
    token = DEFERRED.set(pending)
    try:
        yield pending
    finally:
        DEFERRED.reset(token)


def placed(problems: list[Problem], pending: Pending, jobs: int) -> list[Problem]:
    """`problems` with each pending one at its place."""
    if not pending:
        return problems
    by_document: dict[int, tuple[Document, list[tuple[Problem, Pointer, bool]]]] = {}
    for problem, document, pointer, key in pending:
        by_document.setdefault(id(document), (document, []))[1].append((problem, pointer, key))
    asked: list[Asked] = [
        (document.text, document.data, [(pointer, key) for _, pointer, key in wanted])
        for document, wanted in by_document.values()
    ]
    found = _positions(asked, jobs)
    where: dict[int, Position] = {}
    for (_, wanted), positions in zip(by_document.values(), found, strict=True):
        for (problem, _, _), position in zip(wanted, positions, strict=True):
            where[id(problem)] = position
    return [
        attrs.evolve(p, line=where[id(p)].line, column=where[id(p)].column) if id(p) in where else p
        for p in problems
    ]


def _positions(asked: list[Asked], jobs: int) -> list[list[Position]]:
    jobs = min(jobs, os.cpu_count() or 1, -(-len(asked) // _CHUNK))
    if jobs <= 1 or len(asked) < PARALLEL_FROM:
        return _place_chunk(asked)
    chunks = [asked[i : i + _CHUNK] for i in range(0, len(asked), _CHUNK)]
    with workers.pool(jobs) as pool:
        return [positions for chunk in pool.map(_place_chunk, chunks) for positions in chunk]


def _place_chunk(asked: list[Asked]) -> list[list[Position]]:
    return [_place(text, data, wanted) for text, data, wanted in asked]


def _place(
    text: str | Path, data: dict[str, Any], wanted: list[tuple[Pointer, bool]]
) -> list[Position]:
    content = text if isinstance(text, str) else text.read_text("utf-8")
    values, keys = places(content, data)
    result = []
    for pointer, key in wanted:
        found = keys.get(pointer) if key else None
        at = pointer
        while found is None and at not in values:
            at = at[:-1]
        result.append(found or values[at])
    return result

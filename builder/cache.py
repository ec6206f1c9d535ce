"""Validation results remembered between runs, so that records which did not change are not
read, parsed and checked again.

A record's problems depend on its own bytes, on the texts and metadata of the sources it
quotes, and on what every record shares: the tool's code and schemas, the topics, the dataset
metadata, the names of all records and sources, and today's date. An entry keeps the record's
digest, a stamp of each source it quotes and its problems; the shared part is one digest for
the whole cache. An entry is used only when all of them are what they are now.

The cache is a file in the user's cache folder (`CLAIMS_CACHE_DIR`, else
`$XDG_CACHE_HOME/claims`, else `~/.cache/claims`), one per repository, never inside the
repository: a pull request could otherwise bring its own cache, saying its records are valid.
A cache folder set to a place inside the repository is not used at all.
It is plain JSON (reading it runs nothing); one that cannot be read, is damaged, or was written
for other circumstances is ignored and written anew. Two runs may share it: each replaces it
atomically, and either result is a correct cache.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from builder import state
from builder.errors import ClaimsError
from builder.layout import Layout, Listing
from builder.loader import MAX_FILE_BYTES
from builder.problems import CODES, Problem
from builder.writing import FileWrite, read_regular, write_file

FORMAT = "claims-validation-cache/1"
MAX_CACHE_BYTES = 1024 * 1024 * 1024


@attrs.frozen
class Entry:
    """What validating one record found, and what that depended on besides the shared part."""

    digest: str
    sources: Mapping[str, str | None]  # source id -> stamp of each source quoted (None: missing)
    problems: tuple[Problem, ...]


@attrs.frozen
class Cache:
    path: Path | None  # None where the cache folder is not to be used
    shared: str  # digest of everything every record's result depends on
    entries: Mapping[str, Entry]

    @classmethod
    def load(cls, layout: Layout, shared: str, folder: Path | None = None) -> Cache:
        """The cache of this repository, or an empty one if there is none that can be used."""
        folder = folder or state.user_folder()
        path = folder / f"{_digest(os.fsencode(layout.real_root))}.json"
        if state.inside(folder, layout.real_root):
            return cls(None, shared, {})
        try:
            stored = json.loads(read_regular(path, MAX_CACHE_BYTES))
            current = stored["format"] == FORMAT and stored["shared"] == shared
            entries = (
                {name: _entry(value) for name, value in stored["entries"].items()}
                if current
                else {}
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            entries = {}
        return cls(path, shared, entries)

    def fresh(self, record: str, digest: str | None, stamps: Mapping[str, str]) -> Entry | None:
        """The entry of `record` if nothing it depends on changed."""
        entry = self.entries.get(record)
        if entry is None or entry.digest != digest:
            return None
        if any(stamps.get(source) != stamp for source, stamp in entry.sources.items()):
            return None
        return entry

    def save(self, entries: Mapping[str, Entry]) -> None:
        """Replace the stored cache by `entries`; a cache that cannot be written is no error."""
        if self.path is None:
            return
        document = {
            "format": FORMAT,
            "shared": self.shared,
            "entries": {
                name: {
                    "digest": entry.digest,
                    "sources": dict(entry.sources),
                    "problems": [
                        [p.file, p.line, p.column, p.code, p.message] for p in entry.problems
                    ],
                }
                for name, entry in entries.items()
            },
        }
        content = json.dumps(document, separators=(",", ":"))
        with contextlib.suppress(ClaimsError):
            write_file(FileWrite(self.path, content.encode()))


def _entry(value: dict[str, Any]) -> Entry:
    """An entry as stored; ValueError unless every part is what `save` writes."""
    problems, digest, sources = value["problems"], value["digest"], value["sources"]
    if not (
        all(_is_problem(problem) for problem in problems)
        and isinstance(digest, str)
        and isinstance(sources, dict)
    ):
        raise ValueError
    return Entry(digest, dict(sources), tuple(Problem(*problem) for problem in problems))


def _is_problem(stored: list[Any]) -> bool:
    file, line, column, code, message = stored
    return (
        isinstance(file, str)
        and type(line) is int
        and type(column) is int
        and code in CODES
        and isinstance(message, str)
    )


# Digests ----------------------------------------------------------------------------------------


def file_digest(path: str | Path) -> str | None:
    """The digest of a file as the loader reads it (at most one byte past the size limit);
    None if it cannot be read, so that validation reports why."""
    try:
        with open(path, "rb") as stream:  # noqa: PTH123 (str paths, cheaper per record)
            return _digest(stream.read(MAX_FILE_BYTES + 1))
    except OSError:
        return None


def source_stamps(layout: Layout, listing: Listing) -> dict[str, str]:
    """Per source: the digest of its metadata and text together (either may be missing)."""
    stamps = {}
    for source_id, files in listing.sources.items():
        parts = [
            file_digest(layout.path(relative)) if relative else None
            for relative in (files.metadata, files.text)
        ]
        stamps[source_id] = _digest(json.dumps(parts).encode())
    return stamps


def shared_digest(layout: Layout, listing: Listing, today: str) -> str:
    """What every record's result depends on: the tool, the shared files, the names of all
    records and sources, and the day."""
    shared = [
        FORMAT,
        tool_digest(),
        today,
        [file_digest(layout.path(p)) if p else None for p in (listing.dataset, listing.topics)],
        list(listing.records),
        sorted([s.id, s.metadata, s.text] for s in listing.sources.values()),
        sorted(listing.refused),
    ]
    return _digest(json.dumps(shared).encode())


@functools.cache
def tool_digest() -> str:
    """The code and schemas of the installed tool: a new version, or any edit to either, makes
    every cached result stale."""
    package = resources.files("builder")
    contents = sorted(_package_files(package, ""))
    return _digest(json.dumps(contents).encode())


def _package_files(folder: Any, prefix: str) -> Iterable[tuple[str, str]]:
    for item in folder.iterdir():
        name = f"{prefix}{item.name}"
        if item.is_dir():  # __pycache__ included: it holds no .py or .json
            yield from _package_files(item, f"{name}/")
        elif item.name.endswith((".py", ".json")):
            yield name, _digest(item.read_bytes())


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()

"""`claims fmt`: records and metadata in their canonical form, never changing their data.

Every YAML document of the repository (or of a selection) is written canonically; the files
that change are then replaced all together or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from builder.canonical import canonical_file
from builder.layout import Kind, Layout
from builder.loader import Document, ParseFailure, load_file, parse_text
from builder.problems import Problem
from builder.progress import Tick, silent
from builder.selection import Selection
from builder.writing import FileWrite, write_files


@attrs.frozen
class Formatted:
    """What formatting one file gives: its canonical text, or the problems that prevent it."""

    display: str
    original: str | None
    canonical: str | None
    problems: tuple[Problem, ...] = ()

    @property
    def changed(self) -> bool:
        return self.canonical is not None and self.canonical != self.original


@attrs.frozen
class FmtRun:
    """Every file looked at, in order."""

    files: tuple[Formatted, ...]

    @property
    def changed(self) -> tuple[Formatted, ...]:
        return tuple(f for f in self.files if f.changed)

    @property
    def problems(self) -> tuple[Problem, ...]:
        return tuple(p for f in self.files for p in f.problems)


def format_repository(layout: Layout, selection: Selection, tick: Tick = silent) -> FmtRun:
    """The canonical form of every selected document; nothing is written."""
    files = []
    for display, kind in layout.list().documents():
        if selection.includes(display):
            files.append(format_file(layout, display, kind))
            tick()
    return FmtRun(tuple(files))


def format_file(layout: Layout, display: str, kind: Kind) -> Formatted:
    path = layout.path(display)
    loaded = load_file(path, display)
    if isinstance(loaded, ParseFailure):
        return Formatted(display, None, None, loaded.problems)
    original = path.read_bytes().decode("utf-8")  # as stored: CRLF is not canonical
    canonical = canonical_file(original, display, kind, loaded.data)
    if isinstance(canonical, Problem):
        return Formatted(display, original, None, (canonical,))
    if not _same_data(loaded, canonical):
        problem = Problem(
            display,
            1,
            1,
            "F002",
            "a value would not read back the same after formatting (such as .nan, which equals "
            "nothing); the file is left as it is: run `claims validate` to find the value",
        )
        return Formatted(display, original, None, (problem,))
    return Formatted(display, original, canonical)


def write(layout: Layout, files: Iterable[Formatted]) -> None:
    """Replace every given file by its canonical text, all of them or none."""
    write_files(
        [
            FileWrite(layout.path(f.display), f.canonical.encode("utf-8"))
            for f in files
            if f.canonical is not None
        ],
        layout.state,
    )


def _same_data(loaded: Document, canonical: str) -> bool:
    again = parse_text(canonical, loaded.path)
    return isinstance(again, Document) and again.data == loaded.data

"""`claims fmt`: rewrite records and metadata in their canonical form, never changing their data.

PyYAML cannot keep comments inside a document, so a file's leading comment block is kept as
it is and a file with any other comment is left untouched and reported, rather than silently
losing the comment.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import attrs
import yaml

from builder.loader import Document, ParseFailure, load_file, parse_text
from builder.problems import Problem
from builder.schemas import Kind
from builder.writer import canonical_text


@attrs.frozen
class Formatted:
    """What formatting one file gives: its canonical text, or the problems that prevent it."""

    path: Path
    display: str
    original: str | None
    canonical: str | None
    problems: tuple[Problem, ...] = ()

    @property
    def changed(self) -> bool:
        return self.canonical is not None and self.canonical != self.original


def format_file(path: Path, display: str, kind: Kind) -> Formatted:
    loaded = load_file(path, display)
    if isinstance(loaded, ParseFailure):
        return Formatted(path, display, None, None, loaded.problems)
    formatted = updated_file(path, display, kind, loaded.data)
    if formatted.canonical is not None:
        _assert_same_data(loaded, formatted.canonical)
    return formatted


def updated_file(path: Path, display: str, kind: Kind, data: dict[str, Any]) -> Formatted:
    """`path` with new data, in canonical form, its leading comment block kept: for the
    commands that change a file (`claims release`), so that they write what `fmt` would."""
    original = path.read_bytes().decode("utf-8")  # as stored: CRLF is not canonical
    header, inner = _comments(original)
    if inner is not None:
        problem = Problem(
            display,
            inner[0],
            inner[1],
            "F001",
            "a comment inside the document would be lost by formatting; move it into "
            "`notes` or to the top of the file",
        )
        return Formatted(path, display, original, None, (problem,))
    return Formatted(path, display, original, header + canonical_text(kind, data))


def write(formatted: Formatted) -> None:
    """Replace the file with its canonical text atomically: a crash leaves old or new, not half."""
    assert formatted.canonical is not None
    folder = formatted.path.parent
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=folder, prefix=".fmt-", suffix=".tmp", delete=False
    ) as stream:
        stream.write(formatted.canonical)
    Path(stream.name).replace(formatted.path)


def _comments(text: str) -> tuple[str, tuple[int, int] | None]:
    """The leading comment block, and where the first comment after it is (if any)."""
    scalars: list[tuple[int, int]] = []
    first_content: int | None = None
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        start, end = event.start_mark, event.end_mark
        assert start is not None and end is not None  # libyaml marks every event
        if isinstance(event, yaml.NodeEvent) and first_content is None:
            first_content = start.index
        if isinstance(event, yaml.ScalarEvent):
            scalars.append((start.index, end.index))
    first_content = len(text) if first_content is None else first_content
    header_end = text.rfind("\n", 0, first_content) + 1
    header = text[:header_end]
    index = text.find("#", header_end)
    while index != -1:
        if not any(start <= index < end for start, end in scalars):
            line = text.count("\n", 0, index) + 1
            return header, (line, index - text.rfind("\n", 0, index))
        index = text.find("#", index + 1)
    return header, None


def _assert_same_data(loaded: Document, canonical: str) -> None:
    again = parse_text(canonical, loaded.path)
    if not isinstance(again, Document) or again.data != loaded.data:
        raise AssertionError(f"formatting {loaded.path} would change its data; not written")

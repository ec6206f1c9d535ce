"""CHANGELOG.md in the Keep a Changelog form: `## [X.Y.Z] - YYYY-MM-DD` entries, newest first.

`claims release` adds entries; the build copies them into the dataset card and takes the
release date for the citation from here, never from the clock.
"""

from __future__ import annotations

import re
from pathlib import Path

import attrs

HEADER = (
    "# Changelog\n\n"
    "Every released version of the dataset, newest first. Written by `claims release`; edit the\n"
    "wording freely, but keep each heading as `## [VERSION] - DATE`.\n"
)
# Reading CHANGELOG.md back (universal newlines) ends a line at \r too.
_LINE_BREAK = re.compile(r"\r\n?")
_HEADING = re.compile(r"^## \[(?P<version>[^\]]+)\] - (?P<date>\d{4}-\d{2}-\d{2})[ \t]*$", re.M)


@attrs.frozen
class Entry:
    version: str
    date: str
    body: str


def read(path: Path) -> list[Entry]:
    """The entries of the changelog at `path`, newest first; none if there is no such file."""
    if not path.is_file():
        return []
    return parse(path.read_text(encoding="utf-8"))


def parse(text: str) -> list[Entry]:
    headings = list(_HEADING.finditer(text))
    entries = []
    for heading, following in zip(headings, [*headings[1:], None], strict=True):
        end = following.start() if following else len(text)
        body = text[heading.end() : end].strip("\n")
        entries.append(Entry(heading["version"], heading["date"], body))
    return entries


def add_entry(text: str | None, entry: Entry) -> str:
    """`text` (a changelog, or None for a new one) with `entry` above the newest entry; every
    other line is kept as the maintainers wrote it. The entry adds exactly one heading: a line
    of its body that `parse` would read as a release heading is escaped, and so loses the
    `## [` that `claims release` looks for in the history to find a release's commit (the
    body's text from the data is escaped already; this holds whatever the body is)."""
    text = text if text is not None else HEADER
    lines = _LINE_BREAK.sub("\n", entry.body.strip())
    body = _HEADING.sub(lambda heading: "\\#\\# \\[" + heading[0].removeprefix("## ["), lines)
    block = f"## [{entry.version}] - {entry.date}\n\n{body}\n\n"
    first = _HEADING.search(text)
    if first is None:
        return f"{text.rstrip()}\n\n{block}".rstrip("\n") + "\n"
    return text[: first.start()] + block + text[first.start() :]


def release_date(entries: list[Entry], version: str) -> str | None:
    return next((e.date for e in entries if e.version == version), None)

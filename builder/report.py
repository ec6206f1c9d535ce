"""Problems to text: one line each for people, JSON for programs, workflow commands for GitHub.

Whatever comes from the data (a file name, a key, a quote) may hold a line break, a terminal
escape sequence or a right-to-left override; `visible` writes those as escapes, so that one
problem is one line and nothing printed can forge another line or steer the terminal.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from builder.problems import Problem

_ESCAPES = {ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"}
# C0 and C1 controls (ESC starts terminal sequences), Unicode's line and paragraph separators,
# zero-width and direction marks, direction embeddings, overrides and isolates, the BOM.
_HIDDEN_CODES = (
    *range(0x20),
    *range(0x7F, 0xA0),
    *range(0x200B, 0x2010),
    0x2028,
    0x2029,
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
    0xFEFF,
)
_HIDDEN = {
    code: _ESCAPES.get(code, f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
    for code in _HIDDEN_CODES
}
_BETWEEN_BREAKS = re.compile(r"[^\r\n]+")


def visible(text: str) -> str:
    """`text` with control, line-breaking and direction-changing characters as escapes."""
    return text.translate(_HIDDEN)


def as_text(problems: Iterable[Problem]) -> str:
    return "".join(
        f"{visible(p.file)}:{p.line}:{p.column}: {p.code} {visible(p.message)}\n" for p in problems
    )


def as_json(problems: Iterable[Problem]) -> str:
    return json.dumps([p.as_dict() for p in problems], indent=2, ensure_ascii=False) + "\n"


def as_github(problems: Iterable[Problem]) -> str:
    """GitHub Actions workflow commands, escaped as GitHub's own toolkit escapes them, and every
    other hidden character as `visible` writes it: one problem is one command, nothing from the
    data ends it early or starts another, and no escape sequence reaches the log."""
    return "".join(
        f"::{p.severity.value} file={_property(p.file)},line={p.line},col={p.column},"
        f"title={_property(p.code)}::{_data(p.message)}\n"
        for p in problems
    )


def summary(files: int, errors: int, warnings: int) -> str:
    def plural(count: int, word: str) -> str:
        return f"{count} {word}{'' if count == 1 else 's'}"

    return (
        f"{plural(files, 'file')} checked: {plural(errors, 'error')}, "
        f"{plural(warnings, 'warning')}\n"
    )


def _data(text: str) -> str:
    # The runner turns %0D and %0A back into line breaks inside the annotation; a line break
    # keeps that meaning, every other hidden character is shown as an escape.
    shown = _BETWEEN_BREAKS.sub(lambda part: visible(part[0]), text)
    return shown.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


FORMATS = {"text": as_text, "json": as_json, "github": as_github}

"""Problems to text: one line each for people, JSON for programs, workflow commands for GitHub."""

from __future__ import annotations

import json
from collections.abc import Iterable

from builder.problems import Problem


def as_text(problems: Iterable[Problem]) -> str:
    return "".join(f"{p.file}:{p.line}:{p.column}: {p.code} {p.message}\n" for p in problems)


def as_json(problems: Iterable[Problem]) -> str:
    return json.dumps([p.as_dict() for p in problems], indent=2, ensure_ascii=False) + "\n"


def as_github(problems: Iterable[Problem]) -> str:
    """GitHub Actions workflow commands, escaped as GitHub's own toolkit escapes them."""
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
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


FORMATS = {"text": as_text, "json": as_json, "github": as_github}

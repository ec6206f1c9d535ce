"""Documentation generated from its single sources: field tables from the JSON Schemas, and
the problem-code table from `problems.CODES`.

Generated sections sit between `<!-- NAME:start -->` and `<!-- NAME:end -->` markers in a
Markdown file; `python -m builder.docs README.md` rewrites them, and a test fails when they are
stale.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable
from pathlib import Path

from builder.layout import Kind
from builder.problems import CODES
from builder.schemas import field_rows
from builder.writing import FileWrite, write_file


def fields_table(kind: Kind) -> str:
    lines = ["| field | required | meaning |", "|---|---|---|"]
    for name, required, description in field_rows(kind):
        lines.append(f"| `{name}` | {'yes' if required else 'no'} | {description} |")
    return "\n".join(lines)


def codes_table() -> str:
    lines = ["| code | severity | meaning |", "|---|---|---|"]
    lines += [f"| `{c.code}` | {c.severity.value} | {c.summary} |" for c in CODES.values()]
    return "\n".join(lines)


SECTIONS: dict[str, Callable[[], str]] = {
    "claim-fields": functools.partial(fields_table, Kind.CLAIM),
    "source-fields": functools.partial(fields_table, Kind.SOURCE),
    "dataset-fields": functools.partial(fields_table, Kind.DATASET),
    "codes": codes_table,
}


def render(markdown: str) -> str:
    """`markdown` with every generated section brought up to date."""
    for name, make in SECTIONS.items():
        pattern = re.compile(
            rf"(<!-- {name}:start -->\n)(?:.*?\n)?(<!-- {name}:end -->)", re.DOTALL
        )
        markdown = pattern.sub(functools.partial(_fill, content=make()), markdown)
    return markdown


def _fill(markers: re.Match[str], content: str) -> str:
    return f"{markers[1]}{content}\n{markers[2]}"


def main(argv: list[str]) -> int:
    for name in argv:
        path = Path(name)
        text = path.read_text(encoding="utf-8")
        write_file(FileWrite(path, render(text).encode("utf-8")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

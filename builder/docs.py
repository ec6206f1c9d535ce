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
from typing import Any

from builder.problems import CODES
from builder.schemas import load_schemas, resolve


def field_rows(schema: dict[str, Any], prefix: str = "") -> list[tuple[str, bool, str]]:
    """(field path, required, description) for every field, nested objects flattened."""
    rows: list[tuple[str, bool, str]] = []
    required = set(schema.get("required", ()))
    for name, spec in schema.get("properties", {}).items():
        resolved = resolve(spec, schema)
        description = spec.get("description") or resolved.get("description", "")
        rows.append((f"{prefix}{name}", name in required, description))
        nested = resolved.get("items", resolved) if resolved.get("type") == "array" else resolved
        nested = resolve(nested, schema)
        if "properties" in nested:
            marker = "[]." if resolved.get("type") == "array" else "."
            rows += field_rows(
                {**nested, "$defs": schema.get("$defs", {})}, f"{prefix}{name}{marker}"
            )
    return rows


def fields_table(kind: str) -> str:
    schemas = load_schemas()
    schema = schemas[kind]
    lines = ["| field | required | meaning |", "|---|---|---|"]
    for name, required, description in field_rows(schema):
        lines.append(f"| `{name}` | {'yes' if required else 'no'} | {description} |")
    return "\n".join(lines)


def codes_table() -> str:
    lines = ["| code | severity | meaning |", "|---|---|---|"]
    lines += [f"| `{c.code}` | {c.severity.value} | {c.summary} |" for c in CODES.values()]
    return "\n".join(lines)


SECTIONS: dict[str, Callable[[], str]] = {
    "claim-fields": functools.partial(fields_table, "claim"),
    "source-fields": functools.partial(fields_table, "source"),
    "dataset-fields": functools.partial(fields_table, "dataset"),
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
        path.write_text(render(text), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The canonical YAML form of records and metadata, so that diffs show only real changes.

`canonical_text` writes data in that form; `canonical_file` writes it in place of a file's text,
keeping the file's leading comment block (PyYAML cannot keep comments inside a document, so a
file with any other comment is refused with F001 rather than silently losing the comment).

- Keys follow the order of the schema's `properties` (the contract's order); keys the schema
  does not know keep their place after the known ones, so formatting never drops anything.
- A string is quoted when a YAML 1.1 reader (PyYAML, most tools) or a YAML 1.2 reader would
  take it for something else: `2021-02-13`, `no`, `0E0`, `12`.
- Lists of plain values stay on one line (`topics: [a, b]`), sequences are indented under their
  key, lines are folded at 100 characters, and text with line breaks is a literal block.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from builder.layout import Kind
from builder.loader import resolve_plain
from builder.problems import Problem
from builder.schemas import load_schemas, resolve

WIDTH = 88  # PyYAML folds at the first space past this, keeping lines near 100


class _CanonicalDumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # indent sequences under their key


# Characters YAML reads as line breaks, or will not print as they are: only a double-quoted
# string (which writes them as escapes) keeps them.
_UNPRINTABLE = re.compile(
    "[^\x09\x0a\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029]"
)


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style: str | None = None
    if _UNPRINTABLE.search(text):
        style = '"'
    elif "\n" in text:
        style = "|" if text.strip() == text.rstrip("\n") and "\r" not in text else '"'
    elif not isinstance(resolve_plain(text), str) or _typed_by_yaml_1_1(dumper, text):
        style = '"'
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def _typed_by_yaml_1_1(dumper: yaml.SafeDumper, text: str) -> bool:
    tag: str = dumper.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return tag != "tag:yaml.org,2002:str"


def _represent_list(dumper: yaml.SafeDumper, items: list[Any]) -> yaml.SequenceNode:
    flat = all(not isinstance(item, dict | list) for item in items)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flat)


def _represent_mapping(dumper: yaml.SafeDumper, mapping: dict[str, Any]) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", mapping, flow_style=False)


_CanonicalDumper.add_representer(str, _represent_text)
_CanonicalDumper.add_representer(list, _represent_list)
_CanonicalDumper.add_representer(dict, _represent_mapping)


def canonical_text(kind: Kind, data: dict[str, Any]) -> str:
    """The canonical YAML text of a document of the given kind."""
    schema = load_schemas()[kind.value]
    ordered = _ordered(data, schema, schema)
    return yaml.dump(
        ordered,
        Dumper=_CanonicalDumper,
        allow_unicode=True,
        sort_keys=False,
        width=WIDTH,
        indent=2,
    )


def canonical_file(original: str, display: str, kind: Kind, data: dict[str, Any]) -> str | Problem:
    """`data` in canonical form, to replace the file `display` whose text is `original`: its
    leading comment block kept, or F001 if a comment elsewhere in it would be lost."""
    header, inner = _comments(original)
    if inner is not None:
        return Problem(
            display,
            inner[0],
            inner[1],
            "F001",
            "a comment inside the document would be lost by formatting; move it into "
            "`notes` or to the top of the file",
        )
    return header + canonical_text(kind, data)


def _ordered(value: Any, schema: dict[str, Any], local: dict[str, Any]) -> Any:
    schema, local = resolve(schema, local)
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        known = [key for key in properties if key in value]
        rest = [key for key in value if key not in properties]
        extra = schema.get("additionalProperties")
        return {
            key: _ordered(
                value[key],
                properties.get(key, extra if isinstance(extra, dict) else {}),
                local,
            )
            for key in known + rest
        }
    if isinstance(value, list):
        items = schema.get("items", {})
        return [_ordered(item, items, local) for item in value]
    return value


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

"""The canonical YAML form of records and metadata, so that diffs show only real changes.

- Keys follow the order of the schema's `properties` (the contract's order); keys the schema
  does not know keep their place after the known ones, so formatting never drops anything.
- A string is quoted when a YAML 1.1 reader (PyYAML, most tools) or a YAML 1.2 reader would
  take it for something else: `2021-02-13`, `no`, `0E0`, `12`.
- Lists of plain values stay on one line (`topics: [a, b]`), sequences are indented under their
  key, lines are folded at 100 characters, and text with line breaks is a literal block.
"""

from __future__ import annotations

from typing import Any

import yaml

from builder.loader import resolve_plain
from builder.schemas import Kind, load_schemas, resolve

WIDTH = 88  # PyYAML folds at the first space past this, keeping lines near 100


class _CanonicalDumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # indent sequences under their key


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style: str | None = None
    if "\n" in text:
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


def _ordered(value: Any, schema: dict[str, Any], root: dict[str, Any]) -> Any:
    schema = resolve(schema, root)
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        known = [key for key in properties if key in value]
        rest = [key for key in value if key not in properties]
        extra = schema.get("additionalProperties")
        return {
            key: _ordered(
                value[key],
                properties.get(key, extra if isinstance(extra, dict) else {}),
                root,
            )
            for key in known + rest
        }
    if isinstance(value, list):
        items = schema.get("items", {})
        return [_ordered(item, items, root) for item in value]
    return value

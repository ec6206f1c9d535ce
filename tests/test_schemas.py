"""The JSON Schemas are valid, documented, and only name codes the tool knows."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from builder.problems import CODES
from builder.schemas import SCHEMA_FILES, load_schemas
from tests.conftest import PROJECT


def walk(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, f"{path}/{index}")


@pytest.mark.parametrize("name", SCHEMA_FILES)
def test_schema_is_valid_draft_2020_12(name: str) -> None:
    schema = load_schemas()[name]
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("name", SCHEMA_FILES)
def test_installed_schemas_are_the_repository_schemas(name: str) -> None:
    on_disk = json.loads((PROJECT / "schema" / f"{name}.schema.json").read_text("utf-8"))
    assert load_schemas()[name] == on_disk


@pytest.mark.parametrize("name", SCHEMA_FILES)
def test_every_object_is_closed_and_every_field_described(name: str) -> None:
    for path, node in walk(load_schemas()[name]):
        if node.get("type") == "object" and "properties" in node:
            assert node.get("additionalProperties") is False, path
        for field, spec in node.get("properties", {}).items():
            if {"if", "then"} & set(path.split("/")):
                continue  # conditions restate fields described where they are defined
            described = "description" in spec or ("$ref" in spec and "#/$defs/" in spec["$ref"])
            assert described, f"{path}/properties/{field} has no description"


def test_schema_codes_are_known() -> None:
    for name in SCHEMA_FILES:
        for path, node in walk(load_schemas()[name]):
            if "x-code" in node:
                assert node["x-code"] in CODES, f"{name}{path}"

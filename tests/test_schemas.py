"""The JSON Schemas are valid, documented, and only name codes the tool knows."""

from __future__ import annotations

import copy
import functools
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from builder.layout import Kind
from builder.loader import Document, load_file
from builder.problems import CODES
from builder.schemas import (
    SCHEMA_FILES,
    StrictValidator,
    fast_validator,
    load_schemas,
    validator,
)
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


# Other tools ---------------------------------------------------------------------------------

CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"
SHIPPED = {
    "claim": sorted((PROJECT / "claims" / "records").rglob("*.yaml")),
    "source": sorted((PROJECT / "claims" / "sources").glob("*.yaml")),
    "dataset": [PROJECT / "claims" / "dataset.yaml"],
    "topics": [PROJECT / "claims" / "topics.yaml"],
}


def check_jsonschema(schema: str, *files: Path) -> subprocess.CompletedProcess[str]:
    """check-jsonschema with nothing but `schema/`: any attempt to reach the network fails."""
    offline = {
        **os.environ,
        "HTTP_PROXY": "http://127.0.0.1:9",
        "HTTPS_PROXY": "http://127.0.0.1:9",
    }
    return subprocess.run(
        [CHECK_JSONSCHEMA, "--no-cache", "--schemafile", f"schema/{schema}.schema.json", *files],
        cwd=PROJECT,
        env=offline,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("schema", sorted(SHIPPED))
def test_check_jsonschema_validates_every_shipped_file_offline(schema: str) -> None:
    result = check_jsonschema(schema, *SHIPPED[schema])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "validation done" in result.stdout


@pytest.mark.parametrize(
    ("schema", "shipped", "edit", "complaint"),
    [
        # A slug is defined in common.schema.json: the reference across files is followed.
        (
            "claim",
            "claims/records/2022/death-penalty-removed-2022.yaml",
            ("id", "Death Penalty"),
            "does not match",
        ),
        (
            "claim",
            "claims/records/2022/death-penalty-removed-2022.yaml",
            ("veracity", "true"),
            "Additional properties",
        ),
        ("source", "claims/sources/europarl-2022-08.yaml", ("sha256", "abc"), "does not match"),
        ("dataset", "claims/dataset.yaml", ("version", "one"), "does not match"),
    ],
)
def test_check_jsonschema_rejects_a_broken_file(
    tmp_path: Path, schema: str, shipped: str, edit: tuple[str, str], complaint: str
) -> None:
    data = yaml.safe_load((PROJECT / shipped).read_text("utf-8"))
    data[edit[0]] = edit[1]
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    result = check_jsonschema(schema, broken)
    assert result.returncode == 1, result.stdout + result.stderr
    assert complaint in result.stdout


def test_the_editor_settings_map_every_shipped_file_to_its_schema() -> None:
    settings = json.loads((PROJECT / ".vscode" / "settings.json").read_text("utf-8"))
    mapped = {
        schema: sorted(path for glob in globs for path in PROJECT.glob(glob))
        for schema, globs in settings["yaml.schemas"].items()
    }
    assert mapped == {f"./schema/{name}.schema.json": files for name, files in SHIPPED.items()}


# The fast path ----------------------------------------------------------------------------------

KINDS = [Kind.CLAIM, Kind.SOURCE, Kind.DATASET, Kind.TOPICS]
CORPUS = sorted({*PROJECT.glob("claims/**/*.yaml"), *(PROJECT / "tests" / "cases").rglob("*.yaml")})


def agree(data: object, kind: Kind) -> None:
    """jsonschema-rs calls a document valid exactly when python-jsonschema finds no error, so
    skipping python-jsonschema for the valid ones changes no problem printed."""
    errors = [error.message for error in validator(kind).iter_errors(data)]
    assert fast_validator(kind).is_valid(data) == (not errors), (kind, data, errors)


@pytest.mark.parametrize("path", CORPUS, ids=lambda path: path.relative_to(PROJECT).as_posix())
def test_the_fast_validator_agrees_on_every_corpus_document(path: Path) -> None:
    loaded = load_file(path, path.name)
    if isinstance(loaded, Document):
        for kind in KINDS:
            agree(loaded.data, kind)


SHIPPED_RECORD = yaml.safe_load(
    (PROJECT / "claims/records/2022/death-penalty-removed-2022.yaml").read_text("utf-8")
)
LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, 1.0, 2050.0, 1e20]),  # integral floats: JSON Schema integers, not ours
    st.text(max_size=12),
    st.sampled_from(
        ["", " x", "x ", "a\n", "death-penalty", "Death-Penalty", "2022-02-30", "2022-08",
         "2022", "20220801", "١٢", "ro", "en-GB", "supported", "person", "full-text", "x\u00a0y"]
    ),
)  # fmt: skip
VALUES = st.recursive(
    LEAVES,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += paths(value, (*prefix, index))
    return found


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_the_fast_validator_agrees_on_generated_records(data: st.DataObject) -> None:
    record = copy.deepcopy(SHIPPED_RECORD)
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths(record)[1:]))
        *parents, last = path
        parent = functools.reduce(lambda node, part: node[part], parents, record)
        if data.draw(st.booleans()) and isinstance(parent, dict):
            del parent[last]
        else:
            parent[last] = data.draw(VALUES)
    agree(record, Kind.CLAIM)


# Line breaks in patterns ------------------------------------------------------------------------

# Every line break some reader of the data sees: YAML 1.2 (LF, CR), YAML 1.1 and Unicode (NEL,
# LS, PS), and Python's str.splitlines (VT, FF, FS, GS, RS), which builds CHANGELOG.md and the card.
LINE_BREAKS = [
    "\n",
    "\r",
    "\r\n",
    "\x85",
    "\u2028",
    "\u2029",
    "\x0b",
    "\x0c",
    "\x1c",
    "\x1d",
    "\x1e",
]
# A value each pattern takes, to break in the middle, at the start and at the end.
PATTERN_EXAMPLES = {
    "common/$defs/slug": "death-penalty",
    "common/$defs/date/anyOf/0": "2021",
    "common/$defs/date/anyOf/1": "2021-02",
    "common/$defs/date/anyOf/2": "2021-02-13",
    "common/$defs/language": "en-GB",
    "common/$defs/sha256": "0" * 64,
    "common/$defs/url": "https://example.org/a",
    "claim/$defs/sentence": "The talks will continue.",
    "dataset/properties/version": "1.2.3",
    "dataset/properties/license": "cc-by-4.0",
    "dataset/properties/repo_id": "my-org/my-dataset",
    "dataset/properties/splits/propertyNames": "train",
    "dataset/properties/claim_url": "https://example.org/{id}.html",
    "dataset/properties/labelled_splits/propertyNames": "train",
    "source/properties/license": "CC-BY-4.0",
}
MULTILINE = {"common/$defs/text"}  # free text may hold line breaks


def patterns() -> dict[str, str]:
    return {
        f"{name}{path}": node["pattern"]
        for name in SCHEMA_FILES
        for path, node in walk(load_schemas()[name])
        if isinstance(node.get("pattern"), str)
    }


def matches(pattern: str, text: str) -> tuple[bool, bool]:
    """Whether python-jsonschema and jsonschema-rs each find `text` to match `pattern`."""
    schema = {"type": "string", "pattern": pattern}
    python = not list(StrictValidator(schema).iter_errors(text))
    return python, jsonschema_rs.Draft202012Validator(schema).is_valid(text)


def test_every_pattern_has_an_example_or_takes_several_lines() -> None:
    assert set(patterns()) == set(PATTERN_EXAMPLES) | MULTILINE


@pytest.mark.parametrize("where", sorted(PATTERN_EXAMPLES))
def test_pattern_checks_forbid_every_line_break_any_reader_sees(where: str) -> None:
    pattern, example = patterns()[where], PATTERN_EXAMPLES[where]
    assert matches(pattern, example) == (True, True)
    middle = len(example) // 2
    for line_break in LINE_BREAKS:
        for broken in (
            example[:middle] + line_break + example[middle:],
            line_break + example,
            example + line_break,
        ):
            assert matches(pattern, broken) == (False, False), (where, broken)


@pytest.mark.parametrize("character", [*LINE_BREAKS, " ", "\t", "\x1f", "\xa0", "\ufeff"])
def test_free_text_of_only_white_space_is_refused_by_both_validators(character: str) -> None:
    (pattern,) = (patterns()[where] for where in MULTILINE)
    assert matches(pattern, character * 2) == (False, False)
    assert matches(pattern, f"a{character}b") == (True, True)

"""The fast paths change nothing: the C loader reads what the careful loader reads, and
validation in several processes reports what one process reports, in the same order."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from builder import loader
from builder.layout import Layout
from builder.repository import PARALLEL_FROM
from builder.validation import validate
from tests.conftest import CASES, PROJECT

_spec = importlib.util.spec_from_file_location("generate", PROJECT / "benchmarks" / "generate.py")
assert _spec is not None and _spec.loader is not None
generate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generate)


def _careful(text: str) -> loader.Loaded:
    return loader.parse_events(text, "careful.yaml")


def _utf8(path: Path) -> bool:
    """Files that are not UTF-8 are refused before either loader sees them."""
    try:
        path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


YAML_FILES = sorted(
    filter(_utf8, [*PROJECT.joinpath("claims").rglob("*.yaml"), *CASES.rglob("*.yaml")]), key=str
)


@pytest.mark.parametrize("path", YAML_FILES, ids=[p.name for p in YAML_FILES])
def test_the_fast_loader_reads_every_file_as_the_careful_one_does(path: Path) -> None:
    text = path.read_bytes().decode("utf-8")
    fast = loader._plain_data(text)
    careful = _careful(text)
    if fast is not None:
        assert isinstance(careful, loader.Document)
        assert fast == careful.data


SCALARS = st.one_of(
    st.text(max_size=20),
    st.sampled_from(
        [
            "yes",
            "no",
            "on",
            "off",
            "2021-02-13",
            "2021-07",
            "0o17",
            "0x1F",
            "1e3",
            ".inf",
            "-.INF",
            ".nan",
            "~",
            "null",
            "True",
            "FALSE",
            "012",
            "+1",
            "1_000",
            "3.0",
            "",
            " ",
        ]
    ),
    st.integers(),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=8), VALUES, min_size=1, max_size=5), st.data())
def test_the_fast_loader_types_scalars_as_the_careful_one(
    data: dict[str, Any], draw: st.DataObject
) -> None:
    style = draw.draw(st.sampled_from([None, "'", '"']))
    text = yaml.safe_dump(data, allow_unicode=True, default_style=style, sort_keys=False)
    fast = loader._plain_data(text)
    careful = _careful(text)
    if fast is not None:
        assert isinstance(careful, loader.Document)
        assert fast == careful.data


def test_positions_are_found_when_a_problem_asks_for_them() -> None:
    text = "id: x\nclaim: >\n  folded\ntopics: [a, b]\n"
    document = loader.parse_text(text, "x.yaml")
    assert isinstance(document, loader.Document)
    assert document.position(("topics", 1)).line == 4
    assert document.key_position(("claim",)) == loader.Position(2, 1)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated repository big enough for the process pool, with problems of every layer
    spread over its records."""
    root = tmp_path_factory.mktemp("synthetic")
    generate.generate(PARALLEL_FROM + 300, root)
    records = sorted((root / "claims" / "records").rglob("*.yaml"))
    breakages = [
        ("claim_date: ", "claim_date: 2021-02-30 #"),  # not a real date
        ("topics:", "topicz:"),  # unknown field, missing field
        ("id: ", "id: &anchor "),  # an anchor: the careful loader
        ("quote: ", "quote: 'not the quote' #"),  # quote differs from the source
        ("kind: person", "kind: person\n  kind: organization"),  # duplicate key
    ]
    for index, (old, new) in enumerate(breakages):
        path = records[index * 97 + 5]
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    shutil.copy(records[3], records[3].parent.parent / records[3].name)  # a duplicate id
    return root


def test_parallel_and_serial_validation_report_the_same_problems_in_the_same_order(
    synthetic: Path,
) -> None:
    serial = validate(Layout(synthetic), jobs=1)
    parallel = validate(Layout(synthetic), jobs=2)
    assert serial.errors >= 6
    assert parallel.problems == serial.problems
    assert parallel.files == serial.files
    codes = {problem.code for problem in serial.problems}
    assert {"S005", "S002", "L006", "A002", "L005", "R002"} <= codes

"""Fuzzing: whatever bytes a file holds and whatever a command line says, the tool answers with
problems or an error and an exit code, never a traceback. CI runs a bounded number of examples;
`benchmarks/fuzz.py` runs the long campaign by hand."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from builder.cli import main
from builder.loader import Document, ParseFailure, load_bytes
from builder.problems import CODES
from tests.conftest import MINI

LOADER_EXAMPLES = 400
COMMAND_EXAMPLES = 150


def check_loaded(raw: bytes) -> None:
    """The loader's promise for any bytes: a document, or problems with a known code at a real
    place, each message one line."""
    loaded = load_bytes(raw, "fuzz.yaml")
    if isinstance(loaded, Document):
        assert isinstance(loaded.data, dict)
        return
    assert isinstance(loaded, ParseFailure) and loaded.problems
    for problem in loaded.problems:
        assert problem.code in CODES and problem.code.startswith("L")
        assert problem.line >= 1 and problem.column >= 1
        assert "\n" not in problem.message and problem.message


@settings(max_examples=LOADER_EXAMPLES, deadline=None)
@given(st.binary(max_size=3000))
def test_any_bytes_load_or_are_refused_with_a_code(raw: bytes) -> None:
    check_loaded(raw)


# YAML built from events: every construct a file can hold, nested, styled, anchored, tagged --

SCALARS = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["yes", "no", "2021-02-13", "1_000", "0x1F", ".nan", "~", "null", "-", "?"]),
)
STYLES = st.sampled_from([None, "", "'", '"', "|", ">"])
TAGS = st.sampled_from([None, None, None, "!", "!x", "tag:yaml.org,2002:str", "!!python/none"])
ANCHORS = st.sampled_from([None, None, None, "a", "b"])


def nodes(depth: int = 0) -> st.SearchStrategy[list[yaml.Event]]:
    scalar = st.builds(
        lambda value, style, tag, anchor: [
            yaml.ScalarEvent(anchor, tag, (tag is None, tag is None), value, style=style)
        ],
        SCALARS,
        STYLES,
        TAGS,
        ANCHORS,
    )
    alias = st.builds(lambda name: [yaml.AliasEvent(name)], st.sampled_from(["a", "b"]))
    if depth > 4:
        return st.one_of(scalar, alias)
    children = st.lists(st.deferred(lambda: nodes(depth + 1)), max_size=4)
    sequence = st.builds(
        lambda items, flow, anchor, tag: [
            yaml.SequenceStartEvent(anchor, tag, tag is None, flow_style=flow),
            *(event for item in items for event in item),
            yaml.SequenceEndEvent(),
        ],
        children,
        st.booleans(),
        ANCHORS,
        TAGS,
    )
    mapping = st.builds(
        lambda pairs, flow, anchor: [
            yaml.MappingStartEvent(anchor, None, True, flow_style=flow),
            *(event for key, value in pairs for event in (*key, *value)),
            yaml.MappingEndEvent(),
        ],
        st.lists(
            st.tuples(st.deferred(lambda: nodes(depth + 1)), children.map(_first)), max_size=4
        ),
        st.booleans(),
        ANCHORS,
    )
    return st.one_of(scalar, alias, sequence, mapping)


def _first(items: list[list[yaml.Event]]) -> list[yaml.Event]:
    return items[0] if items else [yaml.ScalarEvent(None, None, (True, True), "")]


def _emitted(events: list[yaml.Event]) -> str | None:
    stream = [yaml.StreamStartEvent(), yaml.DocumentStartEvent(), *events, yaml.DocumentEndEvent()]
    try:
        return str(yaml.emit([*stream, yaml.StreamEndEvent()], allow_unicode=True))
    except yaml.YAMLError:
        return None


@settings(max_examples=LOADER_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(nodes(), st.integers(0, 200), st.text(max_size=3))
def test_any_yaml_built_from_events_loads_or_is_refused_with_a_code(
    events: list[yaml.Event], cut: int, inserted: str
) -> None:
    text = _emitted(events)
    assume(text is not None)
    assert text is not None
    check_loaded(text.encode("utf-8"))
    check_loaded((text[:cut] + inserted + text[cut:]).encode("utf-8", "surrogatepass"))


# The command line -------------------------------------------------------------------------

COMMANDS = ["validate", "locate", "new", "fmt", "show", "diff", "add-source", "reanchor"]
KNOWN_WORDS = [
    "--root", "--format", "json", "--id", "--source", "--quote", "--folder", "--start",
    "--changed-since", "-", "--", "..", "/", "mini-report-2024", "HEAD", "--jobs", "0",
    "cafe-talks-continue-2024", "--dry-run", "--check", "--debug", "*", "\x00", "\udcff",
]  # fmt: skip
WORDS = st.one_of(st.text(max_size=20), st.sampled_from(KNOWN_WORDS))


@pytest.fixture(scope="module")
def playground(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz") / "repo"
    shutil.copytree(MINI / "claims", root / "claims")
    return root


@settings(
    max_examples=COMMAND_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(command=st.sampled_from(COMMANDS), words=st.lists(WORDS, max_size=6))
def test_any_command_line_gets_an_answer_not_a_traceback(
    playground: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    words: list[str],
) -> None:
    monkeypatch.chdir(playground)
    code: Any = main([command, *words])
    err = capsys.readouterr().err
    assert code in (0, 1, 2), (command, words, err)
    assert "Traceback" not in err and "internal error" not in err, (command, words, err)

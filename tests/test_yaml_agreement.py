"""One reading of YAML: whichever path a text takes through the loader (rapidyaml's JSON, libyaml's
C loader, or the careful reading from libyaml's events checked by rapidyaml), the result is the
careful reading's: the same data, or a refusal. The texts are small documents built from the
pieces the two YAML readers are known to read differently: line breaks (CR, CRLF, and the NEL,
LS and PS YAML 1.1 counts), tabs, flow indicators, quotes and escapes, anchors, tags, block
scalar headers, plain scalars the core schema types. CI runs a fixed set of examples;
`benchmarks/yaml_agreement.py` runs the long campaign by hand."""

from __future__ import annotations

import math
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from builder import loader
from builder.loader import Document, ParseFailure
from builder.problems import CODES

EXAMPLES = 2000

BREAKS = ["\n", "\r\n", "\r", "\x85", "\u2028", "\u2029"]
LINE_ENDS = ["\n"] * 16 + ["\r\n"] * 3 + BREAKS
PIECES = [
    *BREAKS,
    *[" ", " ", "  ", "\t", ": ", ":", "- ", "-", "? ", "?", "# c", "#", ", ", ","],
    *["[", "]", "{", "}", '"', "'", "\\", '\\"', "\\x85", "\\ud800", "\\u2028", "\\N", "\\t"],
    *["&a ", "*a", "!t ", "!!str ", "!", "%", "@", "`", "---", "..."],
    *["|", "|1e", "|2", "|-", "|+", ">", ">-", ">1"],
    *[".NaN", ".nan", ".inf", "~", "null", "True", "0x1F", "0o7", "012", "+1", "1", "1.5", "-"],
    *["a", "b", "key", "x y", "id", "claim", "é", "\u00a0", "\ufeff"],
]
# Values a record holds, to build texts that mostly parse and so take every path.
ORDINARY = [
    *["x", "x y", "One sentence.", "1", "2021-02-13", "é", "null", "-x", "?x", ":x", "a:b"],
    *['"q"', "'s'", "'it''s'", '"a # b"', "[a, b]", "[]", "{}", "{a: b}", "[a, [b]]"],
    *["|", ">-", "|+", "", "# c", "a #c", "x  y", "x:  y", '"x\n  y"', "'x\n\n  y'"],
]
WORDS = st.sampled_from(PIECES)
VALUES = st.one_of(st.sampled_from(ORDINARY), st.sampled_from(ORDINARY), WORDS)
KEYS = st.sampled_from(["a", "b", "id", "claim", "notes", ".NaN", "~", '"q"', "'s'", "`k", "1"])
INDENTS = st.sampled_from(["", "", "", " ", "  ", "    ", "\t"])


def _soup() -> st.SearchStrategy[str]:
    """Pieces joined at random: mostly not YAML, which is the point."""
    return st.lists(WORDS, max_size=24).map("".join)


def _value() -> st.SearchStrategy[str]:
    return st.lists(VALUES, max_size=3).map(" ".join) | st.lists(VALUES, max_size=3).map("".join)


def _line() -> st.SearchStrategy[str]:
    entry = st.tuples(INDENTS, KEYS, st.sampled_from([": ", ":", ": ", ":\t", " : "]), _value())
    item = st.tuples(INDENTS, st.sampled_from(["- ", "-", "? ", ": "]), _value(), st.just(""))
    more = st.tuples(INDENTS, st.just("  "), _value(), st.just(""))  # a continuation line
    return st.tuples(st.one_of(entry, entry, entry, item, more), st.sampled_from(LINE_ENDS)).map(
        lambda parts: "".join(parts[0]) + parts[1]
    )


def _lines() -> st.SearchStrategy[str]:
    """Lines shaped like a record's (`key: value`, `- item`): texts that mostly parse, so
    that every path of the loader is taken."""
    return st.lists(_line(), min_size=1, max_size=6).map("".join)


TEXTS = st.one_of(_lines(), _lines(), _soup())


def comparable(value: Any) -> Any:
    """`value` with its types spelled out: 1, 1.0 and True are equal in Python, not in a record;
    NaN is not equal to itself, but is the same reading; key order is part of a reading."""
    if isinstance(value, dict):
        return ("map", [(comparable(k), comparable(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("seq", [comparable(item) for item in value])
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    return (type(value).__name__, value)


def outcome(loaded: loader.Loaded) -> Any:
    if isinstance(loaded, Document):
        return comparable(loaded.data)
    assert isinstance(loaded, ParseFailure) and loaded.problems
    for problem in loaded.problems:
        assert problem.code in CODES and problem.code.startswith("L")
        assert problem.line >= 1 and problem.column >= 1
        assert "\n" not in problem.message and problem.message
    return "refused"


def check_one_reading(text: str) -> None:
    """The loader's entry reads `text` as the careful reading does: same data, or refused."""
    assert outcome(loader.parse_text(text, "x.yaml")) == outcome(
        loader.read_carefully(text, "x.yaml")
    )


@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(TEXTS)
# What the audit of the fast path found, and every difference the long campaign has found.
@example("notes: Fine.\rclaim_types:\r- numerical\r")
@example("claim: One.\rTwo.\nid: x\n")
@example("claim: ]\n")
@example("`key: x\n")
@example("a: |1e\n  x\n")
@example(".NaN: 1\n")
@example('a: "\\ud800"\n')
@example('a: "x\x85y"\n')
@example("a: x\u2028y\n")
@example("# c\x85a: b\n")
@example("    a: >1\"'`\ufeff\n")  # a block scalar header rapidyaml's JSON read as empty
def test_every_path_reads_a_text_as_the_careful_reading_does(text: str) -> None:
    check_one_reading(text)

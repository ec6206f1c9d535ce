"""The strict YAML loader: YAML 1.2 core typing, positions, and what it refuses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from builder import loader, positions, rapidyaml
from builder.loader import (
    Document,
    ParseFailure,
    Position,
    load_file,
    parse_text,
    resolve_plain,
)
from builder.problems import Problem
from tests.conftest import CASES, PROJECT


def parsed(text: str) -> Document:
    document = parse_text(text, "record.yaml")
    assert isinstance(document, Document), document
    return document


def codes(text: str) -> list[tuple[str, int, int]]:
    failure = parse_text(text, "record.yaml")
    assert isinstance(failure, ParseFailure), failure
    return [(p.code, p.line, p.column) for p in failure.problems]


def test_dates_and_yes_no_stay_strings_as_in_yaml_1_2() -> None:
    data = parsed("a: 2021-02-13\nb: no\nc: yes\nd: on\ne: off\nf: 2018\ng: 0.1.0\nh: 12:30\n").data
    assert data == {
        "a": "2021-02-13",
        "b": "no",
        "c": "yes",
        "d": "on",
        "e": "off",
        "f": 2018,
        "g": "0.1.0",
        "h": "12:30",
    }


@pytest.mark.parametrize(
    ("plain", "typed"),
    [
        *[(null, None) for null in ("", "~", "null", "Null", "NULL")],
        *[(true, True) for true in ("true", "True", "TRUE")],
        *[(false, False) for false in ("false", "False", "FALSE")],
        *[(other, other) for other in ("nULL", "tRUE", "fALSE", "None", "yes")],
    ],
)
def test_the_core_schema_spellings_of_null_and_booleans_and_no_others(
    plain: str, typed: object
) -> None:
    assert resolve_plain(plain) == typed and type(resolve_plain(plain)) is type(typed)
    assert parsed(f"a: {plain}\n").data == {"a": typed}


def test_infinities_keep_their_sign() -> None:
    assert [resolve_plain(t) for t in ("-.inf", ".inf", "+.Inf", "-.INF")] == [
        float("-inf"),
        float("inf"),
        float("inf"),
        float("-inf"),
    ]


@pytest.mark.parametrize("text", ["a: @x\n", "a: `x\n"])
def test_characters_yaml_reserves_cannot_start_a_plain_value(text: str) -> None:
    assert [p.code for p in parse_text(text, "x.yaml").problems] == ["L004"]  # type: ignore[union-attr]
    assert parsed(text.replace("a: ", "a: '").replace("\n", "'\n")).data == {"a": text[3:-1]}


def test_core_schema_types_numbers_booleans_and_nulls() -> None:
    data = parsed("a: true\nb: FALSE\nc: ~\nd:\ne: 0x1F\nf: 0o17\ng: -3\nh: 1.5e3\ni: '12'\n").data
    assert data == {
        "a": True,
        "b": False,
        "c": None,
        "d": None,
        "e": 31,
        "f": 15,
        "g": -3,
        "h": 1500.0,
        "i": "12",
    }


def test_positions_count_characters_from_one() -> None:
    document = parsed("ключ: значение\nlist:\n  - {a: «b»}\n")
    assert document.position(("ключ",)) == Position(1, 7)
    assert document.key_position(("list",)) == Position(2, 1)
    assert document.position(("list", 0, "a")) == Position(3, 9)
    assert document.position(("list", 0, "missing")) == Position(3, 5)


def test_duplicate_key_names_the_first_line() -> None:
    failure = parse_text("a: 1\nb: 2\na: 3\n", "r.yaml")
    assert isinstance(failure, ParseFailure)
    assert [p.code for p in failure.problems] == ["L005"]
    assert "line 1" in failure.problems[0].message
    assert (failure.problems[0].line, failure.problems[0].column) == (3, 1)


def test_alias_bomb_is_refused_without_expansion() -> None:
    # Fully expanded this document has 9**30 strings; the loader must never try.
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 31)]
    problems = codes("\n".join(lines) + "\n")
    assert {code for code, _, _ in problems} == {"L006"}
    assert len(problems) == 61  # each anchor and each alias name once, not once per use


def test_python_tags_construct_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "created"
    text = f"a: !!python/object/apply:pathlib.Path.touch [{str(marker)!r}]\n"
    assert codes(text) == [("L007", 1, 4)]
    assert not marker.exists()


def test_every_tag_is_refused() -> None:
    assert codes("a: !!str 1\nb: !custom x\n") == [("L007", 1, 4), ("L007", 2, 4)]


def test_quoted_non_specific_tag_is_plain_text() -> None:
    assert parsed("a: ! 12\n").data == {"a": "12"}


def test_one_document_per_file() -> None:
    assert codes("a: 1\n---\nb: 2\n") == [("L008", 2, 1)]
    assert parsed("---\na: 1\n...\n").data == {"a": 1}


def test_empty_and_comment_only_files_are_refused() -> None:
    assert codes("") == [("L003", 1, 1)]
    assert codes("# nothing here\n\n") == [("L003", 1, 1)]


def test_top_level_must_be_a_mapping() -> None:
    assert codes("- a\n") == [("L009", 1, 1)]
    assert codes("just text\n") == [("L009", 1, 1)]
    assert codes("~\n") == [("L009", 1, 1)]


def test_keys_must_be_plain_strings() -> None:
    assert codes("? [a, b]\n: 1\n") == [("L010", 1, 3)]


def test_syntax_error_points_at_the_problem() -> None:
    [(code, line, _)] = codes("a: [1, 2\nb: 3\n")
    assert (code, line) == ("L004", 2)


def test_file_limits(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("a: " + "x" * (1024 * 1024) + "\n", encoding="utf-8")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"a: ok\nb: caf\xe9\n")
    assert [p.code for p in load_file(big, "big.yaml").problems] == ["L002"]  # type: ignore[union-attr]
    failure = load_file(latin, "latin.yaml")
    assert isinstance(failure, ParseFailure)
    assert [(p.code, p.line, p.column) for p in failure.problems] == [("L001", 2, 7)]


def test_a_file_of_exactly_the_largest_size_is_read_and_one_byte_more_is_not() -> None:
    largest = b"a: " + b"x" * (loader.MAX_FILE_BYTES - 4) + b"\n"
    assert len(largest) == loader.MAX_FILE_BYTES
    assert isinstance(loader.load_bytes(largest, "x.yaml"), Document)
    failure = loader.load_bytes(largest + b"\n", "x.yaml")
    assert isinstance(failure, ParseFailure)
    assert [(p.code, p.line, p.column) for p in failure.problems] == [("L002", 1, 1)]


def test_missing_file_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    failure = load_file(tmp_path / "absent.yaml", "absent.yaml")
    assert isinstance(failure, ParseFailure)
    assert failure.problems[0].code == "L011"
    folder = load_file(tmp_path, "claims/records/x.yaml")
    assert folder == ParseFailure(
        "claims/records/x.yaml",
        (Problem("claims/records/x.yaml", 1, 1, "L011", "cannot read the file: Is a directory"),),
    )


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs a file that never ends")
def test_a_file_that_never_ends_is_refused_after_its_first_mebibyte() -> None:
    failure = load_file(Path("/dev/zero"), "claims/records/zero.yaml")
    assert [p.code for p in failure.problems] == ["L002"]  # type: ignore[union-attr]


def test_a_file_is_read_again_as_utf8_whatever_the_locale(tmp_path: Path) -> None:
    """Positions are read from the file again when a problem needs them; a machine whose
    locale is ASCII (LC_ALL=C, without UTF-8 mode) must still read it as UTF-8."""
    path = tmp_path / "x.yaml"
    path.write_text("id: x\nclaim: Deținuți «politici»\ntopics: [a]\n", encoding="utf-8")
    code = (
        "import sys; from pathlib import Path; from builder.loader import load_file; "
        "print(load_file(Path(sys.argv[1]), 'x.yaml').position(('topics', 0)))"
    )
    ascii_locale = {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
    result = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        env={**os.environ, **ascii_locale},
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.stdout, result.stderr) == ("Position(line=3, column=10)\n", "")


def test_a_loaded_file_keeps_its_path_not_its_text(tmp_path: Path) -> None:
    """100,000 records need not keep their texts in memory: positions read the file again."""
    path = tmp_path / "x.yaml"
    path.write_text("id: x\nclaim: y\n", encoding="utf-8")
    document = load_file(path, "x.yaml")
    assert isinstance(document, Document) and document.text == path
    assert document.position(("claim",)) == Position(2, 8)


keys = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0x2FFFF, categories=["L", "N", "P", "S", "Zs"]),
    min_size=1,
    max_size=12,
)
# Text as curators write it; NEL and the Unicode line separators are left out because PyYAML's
# emitter writes them unescaped and YAML readers then fold them into line breaks.


texts = st.text(
    st.characters(exclude_categories=["Cc", "Cs", "Zl", "Zp"], include_characters="\n\t"),
    max_size=30,
)


scalars = st.one_of(
    texts,
    st.integers(-(10**12), 10**12),
    st.booleans(),
    st.none(),
    st.sampled_from(["no", "yes", "on", "2021-02-13", "1:20", "0.1.0", "~", "null", "12"]),
)


values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=12,
)


class CoreSchemaDumper(yaml.SafeDumper):
    """PyYAML's emitter, quoting the strings that YAML 1.2 (unlike 1.1) would type, e.g. 0E0."""


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = '"' if not isinstance(resolve_plain(text), str) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


CoreSchemaDumper.add_representer(str, _represent_text)


@given(st.dictionaries(keys, values, min_size=1, max_size=6))
def test_data_written_by_a_yaml_emitter_reads_back_unchanged(data: dict[str, object]) -> None:
    text = yaml.dump(data, Dumper=CoreSchemaDumper, allow_unicode=True)
    assert parsed(text).data == data


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
    careful = _careful(text)
    for fast in (loader._json_data(text), loader._plain_data(text)):
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
    # A line break the readers disagree on is refused before either fast path is tried.
    assume(loader._disputed_break(text, "fast.yaml") is None)
    careful = _careful(text)
    for fast in (loader._json_data(text), loader._plain_data(text)):
        if fast is not None:
            assert isinstance(careful, loader.Document)
            assert fast == careful.data


def test_positions_are_found_when_a_problem_asks_for_them() -> None:
    text = "id: x\nclaim: >\n  folded\ntopics: [a, b]\n"
    document = loader.parse_text(text, "x.yaml")
    assert isinstance(document, loader.Document)
    assert document.position(("topics", 1)).line == 4
    assert document.key_position(("claim",)) == loader.Position(2, 1)


# rapidyaml's opinion --------------------------------------------------------------------------


def _rapid(text: str) -> Any:
    try:
        return rapidyaml.read(text.encode("utf-8"), loader.MAX_DEPTH, loader.resolve_plain)
    except rapidyaml.Refused as refused:
        return refused.code


@pytest.mark.parametrize("path", YAML_FILES, ids=[p.name for p in YAML_FILES])
def test_rapidyaml_reads_every_file_as_the_careful_loader_does(path: Path) -> None:
    """The reader of what libyaml refuses types and refuses as the careful loader does."""
    text = path.read_bytes().decode("utf-8")
    careful = _careful(text)
    if isinstance(careful, loader.Document):
        _same_or_unread(_rapid(text), careful.data)
    elif {p.code for p in careful.problems} <= {"L005", "L006", "L007", "L008"}:
        assert _rapid(text) in {p.code for p in careful.problems}


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=8), VALUES, min_size=1, max_size=5), st.data())
def test_rapidyaml_types_scalars_as_the_careful_loader(
    data: dict[str, Any], draw: st.DataObject
) -> None:
    style = draw.draw(st.sampled_from([None, "'", '"']))
    text = yaml.safe_dump(data, allow_unicode=True, default_style=style, sort_keys=False)
    # YAML 1.1 counts NEL, LS and PS as line breaks and 1.2 does not; PyYAML's emitter (1.1)
    # writes them raw inside quotes, where the two versions read different strings.
    assume(not any(c in text for c in "\x85\u2028\u2029"))
    careful = _careful(text)
    if isinstance(careful, loader.Document):
        _same_or_unread(_rapid(text), careful.data)
        loaded = loader.parse_text(text, "x.yaml")  # rapidyaml's opinion refuses nothing valid
        assert isinstance(loaded, loader.Document) and loaded.data == careful.data


def _same_or_unread(rapid: Any, careful: dict[str, Any]) -> None:
    """rapidyaml reads the same data, or cannot parse the text at all (it refuses some valid
    YAML; the loader then keeps libyaml's reading)."""
    assert rapid in (careful, "L004")


# The suite's cases, and ours in its format for the line breaks and tabs it has few of.
SUITE = [
    case
    for name in ("cases.json", "line-breaks.json")
    for case in json.loads((CASES / "yaml-test-suite" / name).read_text(encoding="utf-8"))
]
INVALID = [case for case in SUITE if case["invalid"]]
PLAIN = [case for case in SUITE if not case["invalid"] and case["plain_mapping"]]
# Both parsers fail this one: libyaml refuses tabs separating nested block sequence entries,
# rapidyaml reads them as one string. Refusing is the safe side.
MISREAD_BY_BOTH = {"A2M4"}
# Valid YAML 1.2 that a reader reads otherwise: rapidyaml does not end a line at a CR alone,
# libyaml ends lines at NEL, LS and PS as YAML 1.1 did. A record has one reading, so these are
# refused, saying why.
DISPUTED = {
    *("line-breaks/CR", "line-breaks/CR-plain", "line-breaks/CR-sequence"),
    *("line-breaks/NEL-plain", "line-breaks/NEL-double-quoted", "line-breaks/NEL-comment"),
    *("line-breaks/LS-plain", "line-breaks/LS-single-quoted", "line-breaks/PS-double-quoted"),
}


def _suite(case: dict[str, Any]) -> loader.Loaded:
    return loader.load_bytes(case["yaml"].encode("utf-8"), "case.yaml")


@pytest.mark.parametrize("case", INVALID, ids=[c["id"] for c in INVALID])
def test_every_invalid_case_of_the_yaml_test_suite_is_refused(case: dict[str, Any]) -> None:
    loaded = _suite(case)
    assert isinstance(loaded, loader.ParseFailure), case["name"]
    assert all(problem.code.startswith("L") for problem in loaded.problems)


@pytest.mark.parametrize("case", PLAIN, ids=[c["id"] for c in PLAIN])
def test_every_valid_plain_mapping_of_the_yaml_test_suite_has_no_syntax_error(
    case: dict[str, Any],
) -> None:
    loaded = _suite(case)
    syntax = isinstance(loaded, loader.ParseFailure) and any(
        problem.code == "L004" for problem in loaded.problems
    )
    assert syntax == (case["id"] in MISREAD_BY_BOTH | DISPUTED), case["name"]
    if case["id"] in DISPUTED:
        assert isinstance(loaded, loader.ParseFailure)
        assert "YAML readers disagree" in loaded.problems[0].message
    if isinstance(loaded, loader.Document) and case["json"] is not None:
        assert loaded.data == json.loads(case["json"]), case["name"]


SYNTAX = "YAML syntax error: "
NOT_A_MAPPING = "not a mapping of field names to values"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        # libyaml reads it; rapidyaml finds a syntax error, placed where it found it
        ('key: "value"# comment\n', (1, 13, "L004", f"{SYNTAX}comment not preceded by whitespace")),
        ('foo: "bar\n\tbaz"\n', (2, 1, "L004", f"{SYNTAX}bad indentation")),
        # libyaml refuses its syntax alone; rapidyaml reads what the careful loader refuses
        (": a\n: b\n", (1, 1, "L005", "duplicate key '': keep one of the two")),
        ("...\n", (1, 1, "L003", "the file is empty; write the record's fields")),
        ("\t[\n\t]\n", (1, 1, "L009", f"the document is a list, {NOT_A_MAPPING}")),
        ("\t{}\n", (1, 1, "L009", f"the document is an empty mapping, {NOT_A_MAPPING}")),
    ],
)  # fmt: skip
def test_what_the_two_parsers_read_differently_is_refused_with_the_stricter_reason(
    text: str, problem: tuple[int, int, str, str]
) -> None:
    assert parse_text(text, "claims/records/x.yaml") == ParseFailure(
        "claims/records/x.yaml", (Problem("claims/records/x.yaml", *problem),)
    )


FLOW = "did not find expected ',' or ']' while parsing a flow sequence"
NOT_IN_YAML = (
    "the character U+0001 is not allowed in YAML; "
    "remove it (a double-quoted string may write it as an escape)"
)
TAGGED = (
    "tag tag:yaml.org,2002:str is not allowed: remove it, values are plain strings, numbers, "
    "lists and mappings"
)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("id: x\nclaim: a\x01b\n", (2, 9, "L004", f"{SYNTAX}{NOT_IN_YAML}")),
        # where the broken construct started is named when it is on another line
        (
            "id: x\ntopics: [a,\n  b\nclaim: y\n",
            (4, 6, "L004", f"{SYNTAX}{FLOW} (started at line 2, column 9)"),
        ),
        ("id: [b, c}\n", (1, 10, "L004", f"{SYNTAX}{FLOW}")),
        ("id: !!str x\n", (1, 5, "L007", TAGGED)),
        ("? [a]\n: b\n", (1, 3, "L010", "a mapping key must be a plain string")),
    ],
)
def test_each_syntax_problem_is_placed_and_explained(
    text: str, problem: tuple[int, int, str, str]
) -> None:
    assert parse_text(text, "x.yaml") == ParseFailure("x.yaml", (Problem("x.yaml", *problem),))


SECOND = (
    "a second YAML document starts here; "
    "a file holds exactly one, so remove the `---` and what follows"
)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("# only a comment\n", (1, 1, "L003", "the file is empty; write the record's fields")),
        ("---\n", (2, 1, "L009", f"the document is empty, {NOT_A_MAPPING}")),
        ("---\n\n  - a\n", (3, 3, "L009", f"the document is a list, {NOT_A_MAPPING}")),
        ("just text\n", (1, 1, "L009", f"the document is a str, {NOT_A_MAPPING}")),
        ("a: 1\n---\nb: 2\n", (2, 1, "L008", SECOND)),
    ],
)
def test_the_careful_reading_refuses_what_is_not_one_mapping(
    text: str, problem: tuple[int, int, str, str]
) -> None:
    assert loader.parse_events(text, "x.yaml") == ParseFailure(
        "x.yaml", (Problem("x.yaml", *problem),)
    )


def test_a_deep_file_is_measured_whatever_its_strings_hold() -> None:
    """Question marks in a string do not hide a nesting too deep from the depth bound."""
    text = NESTED["flow sequences"](loader.MAX_DEPTH + 1) + 'b: "' + "? " * 60 + '"\n'
    assert [p.code for p in parse_text(text, "x.yaml").problems] == ["L014"]  # type: ignore[union-attr]


def test_a_file_read_by_libyamls_fast_loader_is_placed_too() -> None:
    """A quoted '12' could have been typed had it been plain: libyaml reads this file."""
    assert parsed("id: x\nversion: '12'\n").position(("version",)) == Position(2, 10)


def test_the_non_specific_tag_on_a_key_is_a_plain_string() -> None:
    assert parsed("! key: value\n").data == {"key": "value"}


NESTED = {  # `levels` levels: the record's mapping, and values inside each other
    "flow sequences": lambda levels: "a: " + "[" * (levels - 1) + "]" * (levels - 1) + "\n",
    "flow mappings": lambda levels: "a: " + "{b: " * (levels - 1) + "1" + "}" * (levels - 1),
    "block sequences": lambda levels: "a:\n" + "- " * (levels - 1) + "x\n",
}


@pytest.mark.parametrize("form", NESTED)
def test_nesting_is_refused_one_level_past_the_limit(form: str) -> None:
    """Whichever reader reads a file (the fast ones go by a cheap bound of its depth), one
    level past MAX_DEPTH is refused, and MAX_DEPTH levels are read."""
    nested = NESTED[form]
    for read in (loader.parse_text, loader.parse_events):
        assert isinstance(read(nested(loader.MAX_DEPTH), "x.yaml"), Document)
        too_deep = read(nested(loader.MAX_DEPTH + 1), "x.yaml")
        assert isinstance(too_deep, ParseFailure)
        assert [p.code for p in too_deep.problems] == ["L014"]


def test_rapidyaml_prints_nothing_of_its_own(capfd: pytest.CaptureFixture[str]) -> None:
    loaded = loader.parse_text('key: "value"# comment\n', "x.yaml")
    assert isinstance(loaded, loader.ParseFailure)
    assert loaded.problems[0].code == "L004"
    assert capfd.readouterr() == ("", "")


@pytest.mark.parametrize("path", YAML_FILES, ids=[p.name for p in YAML_FILES])
def test_positions_read_again_are_those_of_the_careful_reading(path: Path) -> None:
    """Positions worked out for a problem (in another process, after the checks) are exactly
    those the careful loader records."""
    text = path.read_bytes().decode("utf-8")
    careful = _careful(text)
    if isinstance(careful, loader.Document):
        assert loader.places(text, careful.data) == careful._located()


# Where problems are placed ---------------------------------------------------------------------


def test_a_problem_is_at_the_value_or_at_its_key_and_a_list_item_at_itself() -> None:
    document = parsed("id: x\ntopics:\n  - a\n  - b\n")
    at = {
        key: (p.line, p.column)
        for key, p in (
            ("value", document.problem(("id",), "R001", "m")),
            ("key", document.problem(("id",), "R001", "m", key=True)),
            ("item", document.problem(("topics", 1), "R004", "m", key=True)),
            ("missing", document.problem(("topics", 5), "R004", "m", key=True)),
        )
    }
    assert at == {"value": (1, 5), "key": (1, 1), "item": (4, 5), "missing": (3, 3)}


def test_a_deferred_problem_waits_at_0_0_without_reading_its_file_again() -> None:
    """Placing problems is deferred while the checks run (see `builder.positions`)."""
    document = parsed("id: x\nclaim: y\n")
    with positions.deferred() as pending:
        problem = document.problem(("claim",), "R001", "m")
    assert (problem.line, problem.column) == (0, 0)
    assert pending == [(problem, document, ("claim",), False)]
    assert not document._places  # nothing was read for positions
    [placed] = positions.placed([problem], pending, jobs=1)
    assert (placed.line, placed.column) == (2, 8)


def test_an_empty_key_is_placed_like_any_other() -> None:
    values, keys = loader.places('"": 1\nb: 2\n', {})
    assert (values[("",)], keys[("",)], values[("b",)]) == (
        Position(1, 5),
        Position(1, 1),
        Position(2, 4),
    )


def test_a_document_only_rapidyaml_reads_is_placed_at_its_top_level_keys() -> None:
    """libyaml refuses a flow key whose `:` is on the next line; rapidyaml reads it, and its
    problems are placed where each top-level key's line starts, the rest at 1:1."""
    document = parsed('\n"id": x\n\nnested: { "foo"\n  :bar }\n')
    assert document.data == {"id": "x", "nested": {"foo": "bar"}}
    assert document.position(("nested", "foo")) == Position(4, 1)
    assert document.key_position(("id",)) == Position(2, 1)
    indented = parsed('  id: x\n  nested: { "foo"\n    :bar }\n')
    assert indented.position(("nested", "foo")) == Position(1, 1)


def test_what_only_rapidyaml_reads_is_read_from_its_tree() -> None:
    """libyaml refuses a flow key whose `:` is on the next line, for its syntax alone."""
    text = '---\n{ "foo"\n  :bar }\n'
    document = parse_text(text, "x.yaml")
    assert document == Document("x.yaml", {"foo": "bar"}, text)
    assert isinstance(document, Document) and document.position(("foo",)) == Position(1, 1)


@pytest.mark.parametrize("rest", ["b: &c d\n", "b: *c\n", "&c b: d\n", "b: [&c d]\n"])
def test_what_only_rapidyaml_reads_holds_no_anchor_or_alias(rest: str) -> None:
    """libyaml stops at `{x: :x}` before it meets the anchor or alias after it: rapidyaml's
    reading, the only one, must refuse them too."""
    assert codes("a: {x: :x}\n" + rest) == [("L006", 1, 1)]


@pytest.mark.parametrize(
    "text",
    [
        "claim: ]\n",  # an indicator cannot start a plain value
        "claim: a\nid: }\n",
        "`key: x\n",
        "id: x\n`key: x\n",
        "a: |1e\n  x\n",  # a block scalar header holds its indicators and nothing else
        "a: >x\n  x\n",
        'a: "\\ud800"\n',  # the escape of a lone surrogate is not a character
        'a: "\\U0000DFFF"\n',
    ],
)
def test_what_yaml_1_2_refuses_is_refused_whichever_reader_reads_it(text: str) -> None:
    assert [code for code, _, _ in codes(text)] == ["L004"]
    assert [code for code, _, _ in codes(text + 'notes: "Tom & Jerry"\n')] == ["L004"]


@pytest.mark.parametrize(
    ("text", "place", "named"),
    [
        ("notes: Fine.\rclaim_types:\r- numerical\r", (1, 13), "a carriage return"),
        ("claim: One.\rTwo.\n", (1, 12), "a carriage return"),
        ('id: x\nnotes: "Not\x85reviewed"\n', (2, 12), "U+0085 (next line)"),
        ("claim: One\u2028two\n", (1, 11), "U+2028 (line separator)"),
        ("# c\u2029a: b\n", (1, 4), "U+2029 (paragraph separator)"),
    ],
)
def test_line_breaks_yaml_readers_disagree_on_are_refused_where_they_are(
    text: str, place: tuple[int, int], named: str
) -> None:
    failure = parse_text(text, "x.yaml")
    assert isinstance(failure, ParseFailure)
    ((code, line, column),) = codes(text)
    assert (code, (line, column)) == ("L004", place)
    assert named in failure.problems[0].message


def test_a_crlf_file_is_read_as_its_lf_twin() -> None:
    text = "id: x\nclaim: One\n  sentence.\ntopics: [a, b]\nnotes: |\n  a\n  b\n"
    assert parsed(text.replace("\n", "\r\n")).data == parsed(text).data


def test_a_key_the_core_schema_would_type_is_kept_as_written() -> None:
    """rapidyaml's JSON writes the key `.NaN` as `.nan`: such a text is read by libyaml."""
    assert parsed(".NaN: 1\nTrue: 2\n~: 3\n").data == {".NaN": 1, "True": 2, "~": 3}


@pytest.mark.parametrize(
    "path",
    [
        PROJECT / "claims/records/2022/death-penalty-removed-2022.yaml",
        CASES / "dataset/claims/records/2024/death-penalty-abolished-2024.yaml",
    ],
    ids=lambda path: path.name,
)
def test_an_ordinary_record_takes_the_fastest_path(path: Path) -> None:
    """Only the unusual pay for the careful reading."""
    text = path.read_text(encoding="utf-8")
    assert loader._json_data(text) == parsed(text).data


@pytest.mark.parametrize(
    ("block", "value"), [("|\n  last line", "last line\n"), (">\n  a\n  b", "a b\n")]
)
@pytest.mark.parametrize("comment", ["", "# read by the careful loader: *\n"])
def test_a_block_scalar_ending_the_file_keeps_its_line_break(
    block: str, value: str, comment: str
) -> None:
    """As the YAML test suite reads it (L24T): libyaml drops the last line break when the
    file has no final newline; whichever loader reads it, the value keeps it."""
    assert parsed(f"{comment}claim: {block}").data == {"claim": value}


def test_what_libyaml_misreads_is_read_as_rapidyaml_reads_it() -> None:
    """`{?foo: bar}` is the key `?foo` in YAML 1.2; libyaml reads `foo`."""
    text = "# a comment *\nid: x\nnested: {?foo: bar}\n"
    document = parsed(text)
    assert document == Document("record.yaml", {"id": "x", "nested": {"?foo": "bar"}}, text)
    assert document.text == text
    assert document.position(("nested", "?foo")) == Position(3, 1)
    in_a_list = parsed("# a comment *\nid: x\nlist: [?foo: bar]\n")
    assert in_a_list.data == {"id": "x", "list": [{"?foo": "bar"}]}
    same = parsed('# a comment *\nid: x\ntopics: [a, b]\nnote: "?"\n')
    assert same.position(("topics", 1)) == Position(3, 13)  # libyaml's own, exact, places


def test_bytes_that_are_not_utf8_are_placed_after_a_first_blank_line() -> None:
    failure = loader.load_bytes(b"\nid: \xff\n", "x.yaml")
    assert isinstance(failure, ParseFailure)
    assert [(p.code, p.line, p.column) for p in failure.problems] == [("L001", 2, 5)]

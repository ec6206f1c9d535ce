"""The three output formats: text for people, JSON for programs, workflow commands for GitHub."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder.problems import CODES, Problem
from builder.report import as_github, as_json, as_text, summary, visible

COMMAND = re.compile(
    r"^::(?P<severity>error|warning) (?P<properties>[^:]*)::(?P<message>.*)$", re.MULTILINE
)


def parse_github(output: str) -> list[dict[str, str]]:
    """Read workflow commands back the way the runner does, undoing the toolkit's escapes."""

    def unescape(text: str) -> str:
        for escaped, char in (
            ("%0D", "\r"),
            ("%0A", "\n"),
            ("%3A", ":"),
            ("%2C", ","),
            ("%25", "%"),
        ):
            text = text.replace(escaped, char)
        return text

    commands = []
    for match in COMMAND.finditer(output):
        fields = dict(item.split("=", 1) for item in match["properties"].split(","))
        commands.append(
            {
                "severity": match["severity"],
                **{key: unescape(value) for key, value in fields.items()},
                "message": unescape(match["message"]),
            }
        )
    return commands


PROBLEMS = [
    Problem("claims/records/a,b: c%.yaml", 3, 7, "A002", "quote differs: 50% off,\nsee line 2\r"),
    Problem("claims/records/x.yaml", 1, 1, "A101", "the span's end (12) cuts the word 'rights'"),
]


def test_github_commands_parse_back_to_the_problems() -> None:
    output = as_github(PROBLEMS)
    assert len(output.splitlines()) == len(PROBLEMS)  # newlines in messages never break a line
    assert parse_github(output) == [
        {
            "severity": "error",
            "file": "claims/records/a,b: c%.yaml",
            "line": "3",
            "col": "7",
            "title": "A002",
            "message": "quote differs: 50% off,\nsee line 2\r",
        },
        {
            "severity": "warning",
            "file": "claims/records/x.yaml",
            "line": "1",
            "col": "1",
            "title": "A101",
            "message": "the span's end (12) cuts the word 'rights'",
        },
    ]


@given(st.text(min_size=1), st.text(), st.sampled_from(sorted(CODES)))
def test_any_file_name_and_message_survive_the_github_escapes(
    file: str, message: str, code: str
) -> None:
    output = as_github([Problem(file, 2, 5, code, message)])
    [parsed] = parse_github(output)
    assert (parsed["file"], parsed["message"], parsed["title"]) == (
        _shown(file),
        _shown(message),
        code,
    )
    assert output.count("\n") == 1 and not HIDDEN.search(output.rstrip("\n"))


HIDDEN = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")


def _shown(text: str) -> str:
    """What the runner shows: line breaks as they are, every other hidden character escaped."""
    return re.sub(r"[^\r\n]+", lambda part: visible(part[0]), text)


@pytest.mark.parametrize(
    ("message", "shown"),
    [
        ("\x1b[2J\x1b]0;owned\x07", "\\x1b[2J\\x1b]0;owned\\x07"),
        ("a\u2028::error file=x::forged", "a\\u2028::error file=x::forged"),
        ("a\x85b\u2029c", "a\\x85b\\u2029c"),
        ("tab\there, right\u202eleft, nul\x00", "tab\\there, right\\u202eleft, nul\\x00"),
        ("50%\n::error::forged\r", "50%\n::error::forged\r"),
    ],
)
def test_github_commands_show_control_characters_as_escapes(message: str, shown: str) -> None:
    output = as_github([Problem("claims/records/\x1b[31mx.yaml", 1, 1, "A002", message)])
    assert output.startswith("::error file=claims/records/\\x1b[31mx.yaml,line=1,")
    assert not HIDDEN.search(output.rstrip("\n"))
    assert output.count("\n") == 1  # one command: nothing from the data starts another
    [parsed] = parse_github(output)
    assert parsed["message"] == shown


def test_json_is_a_list_of_problem_objects() -> None:
    data = json.loads(as_json(PROBLEMS))
    assert data[0] == {
        "file": "claims/records/a,b: c%.yaml",
        "line": 3,
        "column": 7,
        "code": "A002",
        "severity": "error",
        "message": "quote differs: 50% off,\nsee line 2\r",
    }
    assert data[1]["severity"] == "warning"


def test_text_is_one_line_per_problem_with_its_place() -> None:
    assert as_text(PROBLEMS[1:]) == (
        "claims/records/x.yaml:1:1: A101 the span's end (12) cuts the word 'rights'\n"
    )


def test_summary_counts_in_words() -> None:
    assert summary(1, 0, 2) == "1 file checked: 0 errors, 2 warnings\n"

"""Every file under cases/bad/ is a broken input: placed into a copy of the shipped repository,
it must make `claims validate` exit 1 with its own code, at its file and line, without a
traceback. Adding a case is adding a file; its first line says where it goes and what to expect:

    # case: TARGET expect CODE at LINE[:COLUMN] [pad BYTES] [copy SECOND_TARGET]
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from builder.layout import Layout
from builder.selection import Selection
from builder.validation import validate
from tests.conftest import CASES, Run

HEADER = re.compile(
    rb"# case: (?P<target>\S+) expect (?P<code>[A-Z]\d{3}) at (?P<line>\d+)(?::(?P<column>\d+))?"
    rb"(?: pad (?P<pad>\d+))?(?: copy (?P<copy>\S+))?\n"
)
BAD = sorted((CASES / "bad").iterdir())


def test_the_corpus_covers_every_loader_and_check_code() -> None:
    codes = {HEADER.match(path.read_bytes()).group("code").decode() for path in BAD}  # type: ignore[union-attr]
    expected = {
        "L001",
        "L002",
        "L003",
        "L004",
        "L005",
        "L006",
        "L007",
        "L008",
        "L009",
        "L010",
        "L012",
        "S001",
        "S002",
        "S003",
        "S004",
        "S005",
        "S006",
        "S007",
        "S008",
        "S009",
        "S010",
        "R001",
        "R002",
        "R003",
        "R004",
        "R005",
        "R006",
        "R007",
        "A001",
        "A002",
        "A003",
        "A004",
        "D001",
        "D002",
    }
    assert expected <= codes
    assert len(BAD) >= 25


def _place(case: Path, repo: Path) -> tuple[re.Match[bytes], list[str]]:
    """Put the case into the repository; its header and the paths it went to."""
    content = case.read_bytes()
    header = HEADER.match(content)
    assert header, f"{case.name} lacks a '# case:' header line"
    if header.group("pad"):
        content += b"# " + b"x" * int(header.group("pad")) + b"\n"
    places = [p.decode() for p in (header.group("target"), header.group("copy")) if p]
    for place in places:
        path = repo / place
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return header, places


@pytest.mark.parametrize("case", BAD, ids=[path.name for path in BAD])
def test_bad_input_is_reported_at_its_place(case: Path, repo: Path, claims: Run) -> None:
    header, _ = _place(case, repo)
    target = header.group("target").decode()
    result = claims("validate", "--root", repo, "--format", "json")

    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    problems = json.loads(result.stdout)
    found = [(p["file"], p["code"], p["line"], p["column"]) for p in problems]
    code, line = header.group("code").decode(), int(header.group("line"))
    column = header.group("column")
    assert any(
        file == target and c == code and ln == line and (column is None or col == int(column))
        for file, c, ln, col in found
    ), found
    for problem in problems:
        assert problem["message"], problem


@pytest.mark.parametrize("case", BAD, ids=[path.name for path in BAD])
def test_checking_only_the_broken_file_finds_what_a_full_run_finds_there(
    case: Path, repo: Path
) -> None:
    """A partial run (`validate PATH`, `--changed-since`) reads the selected files and what
    checking them needs, not the whole repository; for those files it must find exactly the
    problems of a full run."""
    _, places = _place(case, repo)
    selection = Selection(files=frozenset(places))
    partial = validate(Layout(repo), only=selection)
    full = validate(Layout(repo)).restricted_to(selection)
    assert partial.problems == full.problems
    assert partial.files == full.files

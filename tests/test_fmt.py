"""`claims fmt`: the canonical form, written without changing data or losing a comment."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from builder.canonical import canonical_text
from builder.layout import Kind
from builder.loader import Document, parse_text
from tests.conftest import PROJECT, Run


def test_fmt_check_lists_and_fmt_rewrites_without_changing_data(repo: Path, claims: Run) -> None:
    record = next((repo / "claims/records").rglob("no-political-prisoners-2018.yaml"))
    original = parse_text(record.read_text("utf-8"), "r")
    assert isinstance(original, Document)
    messy = yaml.safe_dump(
        dict(reversed(list(original.data.items()))), allow_unicode=False, width=40
    )
    record.write_text("# reviewed twice\n" + messy, encoding="utf-8")
    check = claims("fmt", "--check", "--root", repo)
    assert check.returncode == 1
    assert check.stdout == f"would reformat {record.relative_to(repo).as_posix()}\n"
    assert claims("fmt", "--root", repo).returncode == 0
    formatted = record.read_text("utf-8")
    assert formatted.startswith("# reviewed twice\nid: no-political-prisoners-2018\n")
    again = parse_text(formatted, "r")
    assert isinstance(again, Document) and again.data == original.data
    assert claims("fmt", "--check", "--root", repo).returncode == 0


def test_fmt_turns_windows_line_ends_into_canonical_ones(repo: Path, claims: Run) -> None:
    record = next((repo / "claims/records").rglob("sanctions-compliance-2022.yaml"))
    canonical = record.read_bytes()
    record.write_bytes(canonical.replace(b"\n", b"\r\n"))
    assert claims("fmt", "--check", "--root", repo).returncode == 1
    assert claims("fmt", "--root", repo).returncode == 0
    assert record.read_bytes() == canonical


def test_fmt_leaves_a_file_with_inner_comments_untouched(repo: Path, claims: Run) -> None:
    record = next((repo / "claims/records").rglob("sanctions-compliance-2022.yaml"))
    text = record.read_text("utf-8").replace("topics:", "topics:   # check\n", 1)
    text = text.replace("topics:   # check\n ", "topics: # check\n ")
    record.write_text(text.replace("claim_date: 2022-08", "claim_date:  2022-08"), "utf-8")
    result = claims("fmt", "--root", repo)
    assert result.returncode == 1
    assert "F001" in result.stderr
    assert record.read_text("utf-8") == text.replace("claim_date: 2022-08", "claim_date:  2022-08")


def test_the_shipped_files_are_canonical(claims: Run) -> None:
    assert claims("fmt", "--check", "--root", PROJECT).returncode == 0


@pytest.mark.parametrize("character", ["\r", "\r\n", "\x85", "\u2028", "\u2029"])
def test_fmt_writes_line_breaks_readers_disagree_on_as_escapes(character: str) -> None:
    """A raw CR alone, NEL, LS or PS is refused on reading; as an escape it reads back."""
    data = {"id": "x", "notes": f"one{character}two"}
    text = canonical_text(Kind.CLAIM, data)
    assert character not in text
    again = parse_text(text, "r")
    assert isinstance(again, Document) and again.data == data

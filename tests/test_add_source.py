"""`claims add-source`: a source text kept byte for byte and pinned by its digest."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from builder.layout import MAX_SOURCE_BYTES
from tests.conftest import (
    RECEIVED,
    Run,
    add_received_source,
)


def test_add_source_keeps_every_byte_and_pins_it(
    bare_repo: Path, tmp_path: Path, claims: Run
) -> None:
    received = tmp_path / "statement.txt"
    received.write_bytes(RECEIVED)
    result = add_received_source(claims, bare_repo, received)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "claims/sources/mfa-2024-05.txt",
        "claims/sources/mfa-2024-05.yaml",
    ]
    # Nothing left to fill in: only the next step.
    assert result.stderr == (
        "next: `claims locate mfa-2024-05 'WORDS'` to find a claim's words, then "
        "`claims new --source mfa-2024-05 --quote 'WORDS'`\n"
    )
    sources = bare_repo / "claims" / "sources"
    assert (sources / "mfa-2024-05.txt").read_bytes() == RECEIVED
    metadata = yaml.safe_load((sources / "mfa-2024-05.yaml").read_text(encoding="utf-8"))
    assert metadata["sha256"] == hashlib.sha256(RECEIVED).hexdigest()
    again = claims("add-source", received, "--root", bare_repo, "--id", "mfa-2024-05")
    assert again.returncode == 2
    assert "already exists and is never overwritten" in again.stderr
    assert (sources / "mfa-2024-05.txt").read_bytes() == RECEIVED


@pytest.mark.parametrize(
    "case",
    [
        ("caf\xe9".encode("latin-1"), "latin-2024", "is not UTF-8 (byte 3 is 0xe9)"),
        (b"  \n", "blank-2024", "is empty"),
        (b"text", "Not_A_Slug", "is not a source id"),
    ],
    ids=["not-utf8", "empty", "bad-id"],
)
def test_add_source_refuses_what_it_cannot_keep_and_writes_nothing(
    bare_repo: Path, tmp_path: Path, claims: Run, case: tuple[bytes, str, str]
) -> None:
    content, source_id, message = case
    received = tmp_path / "received.txt"
    received.write_bytes(content)
    before = sorted((bare_repo / "claims" / "sources").iterdir())
    result = claims("add-source", received, "--root", bare_repo, "--id", source_id)
    assert result.returncode == 2
    assert message in result.stderr
    assert sorted((bare_repo / "claims" / "sources").iterdir()) == before


def test_add_source_without_its_licence_lists_what_is_missing_and_how_to_check(
    bare_repo: Path, tmp_path: Path, claims: Run
) -> None:
    received = tmp_path / "statement.txt"
    received.write_bytes(RECEIVED)
    result = claims("add-source", received, "--root", bare_repo, "--id", "mfa-2024-05")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith("still to fill in (")
    for field in ("title", "publisher", "published", "license", "redistribution", "rights"):
        assert any(f"in `{field}` is not " in line for line in lines), field
    assert lines[-1].startswith("next: fill those in, then `claims validate --root ")


def test_a_text_over_the_size_limit_is_refused_unread_and_so_is_a_stored_one(
    bare_repo: Path, tmp_path: Path, claims: Run
) -> None:
    """A source text is a news item: one over MAX_SOURCE_BYTES is a mistake, or an attempt to
    exhaust the machine, whether given to add-source or already in the repository."""
    huge = tmp_path / "huge.txt"
    huge.write_bytes(b"a" * (MAX_SOURCE_BYTES + 1))
    result = claims("add-source", huge, "--root", bare_repo, "--id", "huge")
    assert result.returncode == 2
    assert f"at most {MAX_SOURCE_BYTES:,} bytes" in result.stderr
    assert not (bare_repo / "claims" / "sources" / "huge.txt").exists()
    stored = next((bare_repo / "claims" / "sources").glob("*.txt"))
    stored.write_bytes(b"a" * (MAX_SOURCE_BYTES + 1))
    result = claims("validate", "--root", bare_repo)
    assert result.returncode == 1
    assert f"{stored.relative_to(bare_repo).as_posix()}:1:1: L002 " in result.stdout

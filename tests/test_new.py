"""`claims new`: a record skeleton with its span found in the source, never overwriting one."""

from __future__ import annotations

import functools
from pathlib import Path

import yaml

from tests.conftest import Run


def test_new_writes_a_skeleton_that_validate_explains(repo: Path, claims: Run) -> None:
    # The source has a no-break space and two line breaks between "Kazakhstan" and "Press".
    result = claims(
        "new",
        "--source",
        "europarl-2022-08",
        "--quote",
        "Kazakhstan Press Releases",
        "--id",
        "press-releases",
        cwd=repo,
    )
    assert result.returncode == 0, result.stderr
    record = repo / "claims/records/press-releases.yaml"
    data = yaml.safe_load(record.read_text(encoding="utf-8"))
    assert data["appearances"] == [
        {
            "source": "europarl-2022-08",
            "start": 44,
            "end": 71,
            "quote": "Kazakhstan\u00a0\n\nPress Releases",
            "language": "en",
        }
    ]
    missing = claims("validate", "--root", repo, "--format", "json", str(record))
    assert missing.returncode == 1
    assert "claim_date" in result.stderr and "claimant.kind" in result.stderr


def test_new_with_a_look_alike_letter_and_extra_spaces(repo: Path, claims: Run) -> None:
    result = claims(
        "new",
        "--root",
        repo,
        "--source",
        "elkz-2023-03-11",
        "--quote",
        "Claus  Neukirch",
        "--claim",
        "Claus Neukirch met Kazakhstan's Commissioner for Human Rights.",
        "--claimant",
        "El.kz",
        "--kind",
        "organization",
        "--date",
        "2023-03-11",
        "--topic",
        "international-cooperation",
        "--folder",
        "2023",
    )
    assert result.returncode == 0, result.stderr
    record = (
        repo / "claims/records/2023/claus-neukirch-met-kazakhstan-s-commissioner-for-human.yaml"
    )
    data = yaml.safe_load(record.read_text(encoding="utf-8"))
    assert data["appearances"][0]["quote"] == "\u0421laus Neukirch"
    assert (data["appearances"][0]["start"], data["appearances"][0]["end"]) == (585, 599)
    assert claims("validate", "--root", repo, "--strict").returncode == 0


def test_new_asks_for_the_language_of_a_bilingual_source(repo: Path, claims: Run) -> None:
    args = [
        "new",
        "--root",
        str(repo),
        "--source",
        "kz-mission-eu-2018-08",
        "--quote",
        "Reuniunile periodice ale acestor organisme",
    ]
    refused = claims(*args)
    assert refused.returncode == 2 and "--language" in refused.stderr
    written = claims(*args, "--language", "ro", "--id", "meetings-2018")
    assert written.returncode == 0, written.stderr
    data = yaml.safe_load((repo / "claims/records/meetings-2018.yaml").read_text("utf-8"))
    assert data["appearances"][0]["translation"] == ""


def test_new_refuses_ambiguous_missing_and_existing(repo: Path, claims: Run) -> None:
    new = functools.partial(claims, "new", "--root", repo, "--source", "europarl-2022-08")
    ambiguous = new("--quote", "January")
    assert ambiguous.returncode == 2
    assert "occurs 4 times" in ambiguous.stderr and "--start 2525" in ambiguous.stderr
    picked = new("--quote", "January", "--start", "2525", "--id", "january")
    assert picked.returncode == 0, picked.stderr
    again = new("--quote", "January", "--start", "1193", "--id", "january")
    assert again.returncode == 2 and "never overwritten" in again.stderr
    existing = next((repo / "claims/records").rglob("death-penalty-removed-2022.yaml"))
    before = existing.read_bytes()
    clash = new("--quote", "Contact", "--id", "death-penalty-removed-2022")
    assert clash.returncode == 2 and existing.read_bytes() == before
    missing = new("--quote", "Astana")
    assert missing.returncode == 1 and "does not occur" in missing.stderr


def test_what_is_still_to_fill_in_names_the_new_record_only(repo: Path, claims: Run) -> None:
    """A repository with problems elsewhere: `new` lists what its own skeleton lacks, not the
    other records' problems."""
    other = next((repo / "claims" / "records").rglob("*.yaml"))
    other.write_text(other.read_text(encoding="utf-8").replace("topics:", "topics: [nope]\nx:", 1))
    result = claims(
        "new", "--root", repo, "--source", "europarl-2022-08", "--quote",
        "Kazakhstan Press Releases", "--id", "press-releases",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    listed = [line for line in result.stderr.splitlines() if line.startswith("claims/")]
    assert listed and all(line.startswith("claims/records/press-releases.yaml:") for line in listed)

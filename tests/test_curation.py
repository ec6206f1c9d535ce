"""The curator's tools through the command line: `claims new`, `claims fmt`, `claims show`."""

from __future__ import annotations

import functools
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.canonical import canonical_text
from builder.layout import Kind
from builder.loader import Document, parse_text
from tests.conftest import PROJECT, Run


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


def test_show_highlights_spans_in_their_sources(claims: Run) -> None:
    result = claims("show", "--root", PROJECT, "no-political-prisoners-2018")
    assert result.returncode == 0, result.stderr
    assert "verdict:   conflicting" in result.stdout
    assert "[[nu există „deținuți politici” în Kazahstan]]" in result.stdout
    assert "translation: there are no “political prisoners” in Kazakhstan" in result.stdout
    assert "evidence 1: refutes, europarl-2022-08" in result.stdout
    colored = claims("show", "--root", PROJECT, "--color", "always", "neukirch-met-ombudsman-2023")
    assert (
        "\x1b[1;7mDirector of the Coordination Programs Department \u0421laus Neukirch\x1b[0m"
        in colored.stdout
    )
    assert "not reviewed yet" in colored.stdout


def test_show_unknown_claim(claims: Run) -> None:
    result = claims("show", "--root", PROJECT, "no-such-claim")
    assert result.returncode == 2 and "does not exist" in result.stderr


texts = st.text(
    st.characters(exclude_categories=["Cs", "Cc"], include_characters="\n"), max_size=40
)


@settings(max_examples=200)
@given(claim=texts, name=texts, notes=texts, quote=texts, topics=st.lists(texts, max_size=3))
def test_canonical_form_never_changes_data(
    claim: str, name: str, notes: str, quote: str, topics: list[str]
) -> None:
    data = {
        "notes": notes,
        "topics": topics,
        "id": "x",
        "claim": claim,
        "extra": {"b": 1, "a": [quote]},
        "claimant": {"kind": "person", "name": name},
        "appearances": [{"quote": quote, "start": 0, "source": "s", "end": 1}],
    }
    text = canonical_text(Kind.CLAIM, data)
    again = parse_text(text, "r")
    assert isinstance(again, Document) and again.data == data
    assert list(again.data) == [
        "id",
        "claim",
        "claimant",
        "appearances",
        "topics",
        "notes",
        "extra",
    ]

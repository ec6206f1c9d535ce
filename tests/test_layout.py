"""The layout: one walker that reads or reports every file under claims/, never leaving the
repository, and ids checked before any path is made from them."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest

from builder.errors import InvalidDataError, UsageError
from builder.layout import Kind, Layout
from builder.validation import validate
from tests.conftest import CASES, found

TODAY = datetime.date(2026, 11, 23)
GOOD = CASES / "good" / "death-penalty-removed.yaml"


def test_a_symlink_leaving_the_repository_is_refused(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    shutil.copy(GOOD, outside)
    (repo / "claims" / "records").mkdir(exist_ok=True)
    (repo / "claims" / "records" / "death-penalty-removed.yaml").symlink_to(outside)
    assert found(validate(Layout(repo), TODAY)) == [
        ("claims/records/death-penalty-removed.yaml", "L011", 1)
    ]


def test_a_symlink_inside_the_repository_is_followed(repo: Path) -> None:
    (repo / "claims" / "records").mkdir(exist_ok=True)
    (repo / "shared").mkdir()
    shutil.copy(GOOD, repo / "shared" / GOOD.name)
    (repo / "claims" / "records" / GOOD.name).symlink_to(repo / "shared" / GOOD.name)
    assert found(validate(Layout(repo), TODAY)) == []


def test_stray_files_are_reported_not_ignored(repo: Path) -> None:
    (repo / "claims" / "sources" / "notes.md").write_text("draft\n")
    (repo / "claims" / "records").mkdir(exist_ok=True)
    (repo / "claims" / "records" / ".gitkeep").write_text("")
    assert found(validate(Layout(repo), TODAY)) == [("claims/sources/notes.md", "L012", 1)]


@pytest.mark.parametrize(
    "given",
    ["../../OUT", "/etc/passwd", "evil\n", "Evil", "a--b", "-a", "", "x" * 101, "a/b", "*"],
)
def test_an_id_that_is_not_a_slug_never_becomes_a_path(repo: Path, given: str) -> None:
    layout = Layout(repo)
    for make in (layout.find_record, layout.source, lambda i: layout.new_record(i, None)):
        with pytest.raises(UsageError, match=r"is not a (claim|source) id"):
            make(given)
    with pytest.raises(UsageError, match="is not a source id"):
        layout.new_source(given)


@pytest.mark.parametrize("folder", ["../..", "/tmp", "2024/../../..", ".hidden", "2024/.drafts"])
def test_a_new_record_stays_under_records(repo: Path, folder: str) -> None:
    with pytest.raises(UsageError, match="--folder"):
        Layout(repo).new_record("a-claim", folder)


def test_a_new_record_goes_into_its_folder(repo: Path) -> None:
    layout = Layout(repo)
    assert layout.new_record("a-claim", None) == "claims/records/a-claim.yaml"
    assert layout.new_record("a-claim", "2024/march") == "claims/records/2024/march/a-claim.yaml"


def test_a_linked_folder_leading_out_is_refused_once(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.copy(GOOD, outside / GOOD.name)
    (repo / "claims" / "records" / "linked").symlink_to(outside, target_is_directory=True)
    listing = Layout(repo).list()
    assert [(p.file, p.code) for p in listing.problems] == [("claims/records/linked", "L011")]
    assert not any("linked" in path for path in listing.records)


def test_a_folder_named_like_a_record_is_a_folder(repo: Path) -> None:
    folder = repo / "claims" / "records" / "x.yaml"
    folder.mkdir()
    shutil.copy(GOOD, folder / GOOD.name)
    listing = Layout(repo).list()
    assert f"claims/records/x.yaml/{GOOD.name}" in listing.records
    assert "claims/records/x.yaml" not in listing.records


def test_hidden_files_are_skipped_and_every_kind_is_found(repo: Path) -> None:
    (repo / "claims" / "records" / ".gitkeep").write_text("")
    listing = Layout(repo).list()
    assert not listing.problems
    assert (listing.dataset, listing.topics) == ("claims/dataset.yaml", "claims/topics.yaml")
    assert set(listing.sources) == {p.stem for p in (repo / "claims" / "sources").glob("*.txt")}
    assert len(listing.records) == len(list((repo / "claims" / "records").rglob("*.yaml")))
    kinds = [kind for _, kind in listing.documents()]
    assert kinds == sorted(kinds, key=[Kind.DATASET, Kind.TOPICS, Kind.SOURCE, Kind.CLAIM].index)


def test_a_source_text_is_read_as_stored(repo: Path) -> None:
    text = repo / "claims" / "sources" / "elkz-2023-03-11.txt"
    text.write_bytes(b"line one\r\nline two\r\n")
    assert Layout(repo).source_text("elkz-2023-03-11") == "line one\r\nline two\r\n"
    text.write_bytes(b"caf\xe9")
    with pytest.raises(InvalidDataError) as refused:
        Layout(repo).source_text("elkz-2023-03-11")
    assert [p.code for p in refused.value.problems] == ["A004"]


def test_a_path_from_the_layout_never_leaves_the_root(repo: Path) -> None:
    for relative in ("../x", "/etc/passwd", "claims/../../x", ""):
        with pytest.raises(UsageError):
            Layout(repo).path(relative)

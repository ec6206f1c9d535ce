"""The validation cache: a run that reuses it reports exactly what a full run reports, and an
entry is used only while everything its result depends on is unchanged.

A forged entry (a problem no check would report) shows whether the cache was trusted: it is
printed while the entry is fresh, and gone as soon as anything it depends on changes."""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from builder import cache, validation
from builder.layout import Layout
from builder.loader import MAX_FILE_BYTES
from builder.validation import validate, validate_cached
from tests.conftest import CLAIMS_COMMAND, MINI, RECORDS_2024, Run, edit_record

RECORD = f"{RECORDS_2024}/no-political-prisoners-2024.yaml"
FORGED = "FORGED: this problem comes from the cache"
TODAY = datetime.date(2026, 11, 23)


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A writable copy of the fixture repository."""
    shutil.copytree(MINI / "claims", tmp_path / "claims")
    return tmp_path


def cache_file(folder: Path) -> Path:
    [path] = folder.glob("*.json")
    return path


def forge(folder: Path, record: str = RECORD) -> None:
    """Add a problem of our own to the cached entry of `record`."""
    path = cache_file(folder)
    stored = json.loads(path.read_text(encoding="utf-8"))
    stored["entries"][record]["problems"].append([record, 1, 1, "D001", FORGED])
    path.write_text(json.dumps(stored), encoding="utf-8")


def messages(root: Path, today: datetime.date = TODAY) -> list[str]:
    return [p.message for p in validate_cached(Layout(root), today).problems]


def test_a_cached_run_reports_what_a_full_run_reports(mini: Path, cache_folder: Path) -> None:
    edit_record(mini, "cafe-talks-continue-2024", "quote: ", "quote: x")
    full = validate(Layout(mini), TODAY)
    assert full.problems, "the repository must have problems for this test to mean anything"
    cold = validate_cached(Layout(mini), TODAY)
    warm = validate_cached(Layout(mini), TODAY)
    assert cold.problems == warm.problems == full.problems
    assert len(cold.files) == len(warm.files) == len(full.files)
    edit_record(mini, "death-penalty-abolished-2024", "topics: [", "topics: [torture, ")
    partial = validate_cached(Layout(mini), TODAY)
    assert partial.problems == validate(Layout(mini), TODAY).problems


def test_a_fresh_entry_is_used(mini: Path, cache_folder: Path) -> None:
    validate_cached(Layout(mini), TODAY)
    forge(cache_folder)
    assert FORGED in messages(mini)


def test_an_edited_record_is_checked_again(mini: Path, cache_folder: Path) -> None:
    validate_cached(Layout(mini), TODAY)
    forge(cache_folder)
    edit_record(mini, "no-political-prisoners-2024", "minister", "deputy minister")
    assert FORGED not in messages(mini)


def test_a_change_to_a_quoted_source_checks_its_records_again(
    mini: Path, cache_folder: Path
) -> None:
    validate_cached(Layout(mini), TODAY)
    forge(cache_folder)
    text = mini / "claims" / "sources" / "mini-report-2024.txt"
    text.write_bytes(text.read_bytes().replace(b"Rights groups", b"Rights-groups"))
    found = messages(mini)
    assert FORGED not in found
    assert any("differs" in message for message in found)  # A002, and the digest's A003


@pytest.mark.parametrize(
    "change",
    ["topics", "dataset", "a record added", "a new day", "a new version of the tool"],
)
def test_a_change_every_record_depends_on_makes_every_entry_stale(
    mini: Path, cache_folder: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    validate_cached(Layout(mini), TODAY)
    forge(cache_folder)
    today = TODAY
    claims = mini / "claims"
    if change == "topics":
        (claims / "topics.yaml").write_text(
            (claims / "topics.yaml").read_text(encoding="utf-8") + "new-topic: A new topic.\n"
        )
    elif change == "dataset":
        path = claims / "dataset.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("test: 1", "test: 2"))
    elif change == "a record added":
        source = mini / RECORDS_2024 / "cafe-talks-continue-2024.yaml"
        (claims / "records" / "extra.yaml").write_text(source.read_text(encoding="utf-8"))
    elif change == "a new day":
        today = TODAY + datetime.timedelta(days=1)
    else:  # the code or the schemas changed: both are in the tool's digest
        monkeypatch.setattr(cache, "tool_digest", lambda: "another version")
    assert FORGED not in messages(mini, today)


def test_the_tool_digest_covers_code_and_schemas() -> None:
    package = Path(cache.__file__).parent
    names = {name for name, _ in cache._package_files(package, "")}
    assert {"cache.py", "schema/claim.schema.json", "schema/common.schema.json"} <= names


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\xff not json",
        b'{"format": "claims-validation-cache/1"}',
        b"[]",
        b'{"format": "claims-validation-cache/1", "shared": 1, "entries": []}',
    ],
    ids=["garbage", "truncated", "a list", "wrong types"],
)
def test_a_damaged_cache_is_ignored_and_written_anew(
    mini: Path, cache_folder: Path, content: bytes
) -> None:
    expected = validate(Layout(mini), TODAY).problems
    validate_cached(Layout(mini), TODAY)
    cache_file(cache_folder).write_bytes(content)
    assert validate_cached(Layout(mini), TODAY).problems == expected
    assert json.loads(cache_file(cache_folder).read_bytes())["format"] == cache.FORMAT


def test_an_entry_with_a_problem_no_check_has_is_not_trusted(
    mini: Path, cache_folder: Path
) -> None:
    validate_cached(Layout(mini), TODAY)
    path = cache_file(cache_folder)
    stored = json.loads(path.read_text(encoding="utf-8"))
    stored["entries"][RECORD]["problems"].append([RECORD, 1, 1, "X999", FORGED])
    path.write_text(json.dumps(stored), encoding="utf-8")
    assert FORGED not in messages(mini)


def test_the_cache_lives_outside_the_repository(mini: Path, cache_folder: Path) -> None:
    validate_cached(Layout(mini), TODAY)
    assert cache_file(cache_folder).is_file()
    assert not [p for p in mini.rglob("*") if "cache" in p.name]


def test_no_cache_neither_reads_nor_writes_it(mini: Path, cache_folder: Path, claims: Run) -> None:
    result = claims("validate", "--root", mini, "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr
    assert not list(cache_folder.iterdir())
    claims("validate", "--root", mini)
    forge(cache_folder)
    assert FORGED not in claims("validate", "--root", mini, "--no-cache").stdout
    assert FORGED in claims("validate", "--root", mini).stdout


def test_two_runs_at_once_share_the_cache(mini: Path, cache_folder: Path) -> None:
    edit_record(mini, "cafe-talks-continue-2024", "quote: ", "quote: x")
    expected = subprocess.run(
        [CLAIMS_COMMAND, "validate", "--root", mini, "--no-cache"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    for _ in range(3):
        runs = [
            subprocess.Popen(
                [CLAIMS_COMMAND, "validate", "--root", mini],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(4)
        ]
        outputs = [run.communicate()[0] for run in runs]
        assert outputs == [expected] * 4
        assert json.loads(cache_file(cache_folder).read_bytes())["format"] == cache.FORMAT


def test_a_cache_folder_inside_the_repository_is_never_used(mini: Path, cache_folder: Path) -> None:
    """A pull request can commit files anywhere in the checkout: a cache there, saying its
    records are valid, is neither read nor written."""
    validate_cached(Layout(mini), TODAY)
    forge(cache_folder)
    planted = mini / ".cache" / "claims"
    shutil.copytree(cache_folder, planted)
    before = {path.name: path.read_bytes() for path in planted.iterdir()}
    assert FORGED not in [
        p.message for p in validate_cached(Layout(mini), TODAY, cache_folder=planted).problems
    ]
    assert {path.name: path.read_bytes() for path in planted.iterdir()} == before


def test_a_record_edited_while_it_is_validated_leaves_no_entry(
    mini: Path, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The run hashes a record, then reads it: edited in between, its problems belong to the
    new version but its digest to the old one. Such an entry is not kept, so the old version
    is checked afresh when it comes back."""
    record = mini / RECORD
    original = record.read_bytes()
    real = validation.read_repository

    def edited_meanwhile(*args: object, **kwargs: object) -> object:
        record.write_bytes(original.replace(b"quote: ", b"quote: x", 1))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(validation, "read_repository", edited_meanwhile)
    edited = validate_cached(Layout(mini), TODAY)
    assert any(p.file == RECORD for p in edited.problems)
    monkeypatch.setattr(validation, "read_repository", real)
    record.write_bytes(original)
    assert validate_cached(Layout(mini), TODAY).problems == validate(Layout(mini), TODAY).problems


def test_a_duplicate_id_found_by_a_partial_run_is_reported_as_a_full_run_reports_it(
    mini: Path, cache_folder: Path
) -> None:
    """A record given another record's id: the other one, unchanged and cached as valid, is
    also reported (R002), which only a full run can see."""
    validate_cached(Layout(mini), TODAY)
    edit_record(
        mini,
        "cafe-talks-continue-2024",
        "id: cafe-talks-continue-2024",
        "id: no-political-prisoners-2024",
    )
    full = validate(Layout(mini), TODAY)
    assert {p.code for p in full.problems} >= {"R001", "R002"}
    assert validate_cached(Layout(mini), TODAY).problems == full.problems


@pytest.mark.parametrize(
    "damage",
    [
        {"problems": [[1, 1, 1, "D001", FORGED]]},
        {"problems": [[RECORD, "1", 1, "D001", FORGED]]},
        {"problems": [[RECORD, 1, True, "D001", FORGED]]},
        {"problems": [[RECORD, 1, 1, "D001", [FORGED]]]},
        {"problems": [[RECORD, 1, 1, "D001"]]},
        {"digest": 1},
        {"sources": [["mini-report-2024", "x"]]},
    ],
    ids=["file", "line", "column", "message", "short", "digest", "sources"],
)
def test_an_entry_unlike_what_the_cache_writes_is_not_trusted(
    mini: Path, cache_folder: Path, damage: dict[str, object]
) -> None:
    """Every part of an entry is checked: a problem of five values of the right types, a
    digest, a mapping of sources; anything else makes the cache unusable, never a crash."""
    expected = validate(Layout(mini), TODAY).problems
    validate_cached(Layout(mini), TODAY)
    path = cache_file(cache_folder)
    stored = json.loads(path.read_text(encoding="utf-8"))
    stored["entries"][RECORD].update(damage)
    path.write_text(json.dumps(stored), encoding="utf-8")
    assert validate_cached(Layout(mini), TODAY).problems == expected


def test_a_record_of_exactly_the_largest_size_is_checked_again_when_its_last_byte_changes(
    mini: Path, cache_folder: Path
) -> None:
    record = mini / RECORD
    text = record.read_bytes()
    padded = text + b"#" * (MAX_FILE_BYTES - len(text) - 1) + b"\n"
    assert len(padded) == MAX_FILE_BYTES
    record.write_bytes(padded)
    validate_cached(Layout(mini), TODAY)
    forge(cache_folder)
    record.write_bytes(padded[:-1] + b"#")  # the very last byte
    assert FORGED not in messages(mini)


@pytest.mark.parametrize("missing", ["topics", "source metadata"])
def test_a_repository_missing_a_file_is_cached_as_it_is_checked(
    mini: Path, cache_folder: Path, missing: str
) -> None:
    claims = mini / "claims"
    if missing == "topics":
        (claims / "topics.yaml").unlink()
    else:
        (claims / "sources" / "mini-report-2024.yaml").unlink()
    full = validate(Layout(mini), TODAY).problems
    assert validate_cached(Layout(mini), TODAY).problems == full
    assert validate_cached(Layout(mini), TODAY).problems == full


def test_a_cache_made_stale_is_written_anew_and_used(mini: Path, cache_folder: Path) -> None:
    """After a change every record depends on, and after an edit of one record, the next run
    writes the cache again, and the run after it uses what was written."""
    validate_cached(Layout(mini), TODAY)
    topics = mini / "claims" / "topics.yaml"
    topics.write_text(topics.read_text(encoding="utf-8") + "new-topic: A new topic.\n")
    validate_cached(Layout(mini), TODAY)
    forge(cache_folder)
    assert FORGED in messages(mini)
    edit_record(mini, "no-political-prisoners-2024", "minister", "deputy minister")
    validate_cached(Layout(mini), TODAY)
    forge(cache_folder)
    assert FORGED in messages(mini)


def test_a_cache_that_cannot_be_written_is_no_error(
    mini: Path,
    tmp_path_factory: pytest.TempPathFactory,
    claims: Run,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    blocked = tmp_path_factory.mktemp("elsewhere") / "not-a-folder"
    blocked.write_text("a file where the cache folder would be\n")
    monkeypatch.setenv("CLAIMS_CACHE_DIR", str(blocked))
    result = claims("validate", "--root", mini)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_cached_run_judges_dates_by_the_day_it_is_given(mini: Path, cache_folder: Path) -> None:
    """A claim dated after `today` is an error on that day: cold, warm and after a partial
    re-run, the cached result is judged by the same day as a full run."""
    edit_record(
        mini, "no-political-prisoners-2024", 'claim_date: "2024-03-12"', 'claim_date: "2026-11-30"'
    )
    full = validate(Layout(mini), TODAY).problems
    assert any(p.file == RECORD for p in full), "the date must be in the future on TODAY"
    assert validate_cached(Layout(mini), TODAY).problems == full
    edit_record(mini, "death-penalty-abolished-2024", "topics: [", "topics: [torture, ")
    assert validate_cached(Layout(mini), TODAY).problems == validate(Layout(mini), TODAY).problems
    edit_record(
        mini,
        "cafe-talks-continue-2024",
        "id: cafe-talks-continue-2024",
        "id: no-political-prisoners-2024",
    )
    assert validate_cached(Layout(mini), TODAY).problems == validate(Layout(mini), TODAY).problems


def test_every_record_is_counted_once_for_the_progress_shown(
    mini: Path, cache_folder: Path
) -> None:
    records = len(Layout(mini).list().records)

    def ticks() -> int:
        counted: list[None] = []
        validate_cached(Layout(mini), TODAY, tick=lambda: counted.append(None))
        return len(counted)

    assert ticks() == ticks() == records  # cold, then warm
    edit_record(mini, "death-penalty-abolished-2024", "topics: [", "topics: [torture, ")
    assert ticks() == records  # partly cached


def test_a_run_that_found_everything_cached_writes_nothing(mini: Path, cache_folder: Path) -> None:
    validate_cached(Layout(mini), TODAY)
    before = cache_file(cache_folder).stat()
    validate_cached(Layout(mini), TODAY)
    after = cache_file(cache_folder).stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_a_record_kept_from_the_cache_still_depends_on_its_sources(
    mini: Path, cache_folder: Path
) -> None:
    """After a partial run (another record edited), the entries kept keep the stamps of the
    sources their records quote: a later change to one of those sources checks them again."""
    validate_cached(Layout(mini), TODAY)
    edit_record(mini, "death-penalty-abolished-2024", "topics: [", "topics: [torture, ")
    validate_cached(Layout(mini), TODAY)
    forge(cache_folder)
    stored = json.loads(cache_file(cache_folder).read_text(encoding="utf-8"))
    quoted = stored["entries"][RECORD]["sources"]
    assert quoted, "the record must quote a source for this test to mean anything"
    source = mini / "claims" / "sources" / f"{sorted(quoted)[0]}.yaml"
    source.write_text(source.read_text(encoding="utf-8") + "notes: Checked.\n", encoding="utf-8")
    assert FORGED not in messages(mini)
